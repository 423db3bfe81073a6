package org.rengarde.client;

import org.junit.jupiter.api.Test;
import org.rengarde.config.HostPort;

import java.net.Inet4Address;
import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each line starts with engarde's words, copied here from engarde's client (cmd/engarde-client/main.go). */
class InterfaceEventsTest {

  private static void startsWith(String engarde, String ours) {
    assertTrue(ours.startsWith(engarde), "\"" + ours + "\" does not start with engarde's \"" + engarde + "\"");
  }

  private static Inet4Address ip(String literal) throws Exception {
    return (Inet4Address) InetAddress.getByName(literal);
  }

  @Test
  void added() throws Exception {
    startsWith("New interface 'eth0' with IP '10.0.0.2', adding it",
        InterfaceEvents.added("eth0", ip("10.0.0.2"), "port 40000 -> 203.0.113.7:59402"));
  }

  @Test
  void vanished() {
    startsWith("Interface 'eth0' no longer exists, deleting it",
        InterfaceEvents.stopped("eth0", InterfaceEvents.NO_LONGER_EXISTS));
  }

  @Test
  void excluded() {
    startsWith("Interface 'eth0' is now excluded, deleting it",
        InterfaceEvents.stopped("eth0", InterfaceEvents.NOW_EXCLUDED));
  }

  @Test
  void changedAddress() throws Exception {
    startsWith("Interface 'eth0' changed address, re-creating socket",
        InterfaceEvents.stopped("eth0", InterfaceEvents.changedAddress(ip("10.0.0.3"))));
  }

  @Test
  void lostAddressIsAChangedAddress() {
    startsWith("Interface 'eth0' changed address, re-creating socket",
        InterfaceEvents.stopped("eth0", InterfaceEvents.lostAddress()));
  }

  @Test
  void cannotResolve() {
    startsWith("Can't resolve destination address 'vpn.example.org:59402' for interface 'eth0', not using it",
        InterfaceEvents.cannotResolve("eth0", new HostPort("vpn.example.org", 59402)));
  }

  @Test
  void cannotCreateSocket() throws Exception {
    startsWith("Can't create socket for address '10.0.0.2' on interface 'eth0', not using it",
        InterfaceEvents.cannotCreateSocket("eth0", ip("10.0.0.2"), "Cannot assign requested address"));
  }

  @Test
  void sendsFailed() {
    startsWith("Error writing to 'eth0', re-creating socket", InterfaceEvents.sendsFailed("eth0"));
  }
}
