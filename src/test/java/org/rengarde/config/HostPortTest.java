package org.rengarde.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** IPv6 in addresses: the forms the file may use, the one form the API, page and logs show. */
class HostPortTest {

  private static HostPort parse(String value) throws ConfigException {
    return HostPort.parse("f: k", value);
  }

  private static String error(String value) {
    return assertThrows(ConfigException.class, () -> parse(value)).getMessage();
  }

  @Test
  void aGlobalIpv6LiteralInBrackets() throws ConfigException {
    HostPort p = parse("[2001:db8::1]:59402");
    assertEquals(new HostPort("2001:db8::1", 59402), p);
    assertEquals(StandardProtocolFamily.INET6, p.literalFamily());
  }

  @Test
  void theIpv6WildcardInBrackets() throws ConfigException {
    assertEquals(new HostPort("::", 59402), parse("[::]:59402"));
  }

  @Test
  void anIpv6LiteralIsKeptInItsShortForm() throws ConfigException {
    assertEquals(new HostPort("2001:db8::1", 59402), parse("[2001:0DB8:0:0:0:0:0:1]:59402"));
    assertEquals("[2001:db8::1]:59402", parse("[2001:0DB8:0:0:0:0:0:1]:59402").toString());
  }

  @Test
  void aNameHasNoFamilyUntilResolved() throws ConfigException {
    assertNull(parse("vpn.example.org:59402").literalFamily());
    assertEquals(StandardProtocolFamily.INET, parse("192.0.2.1:59402").literalFamily());
  }

  @Test
  void bracketsAroundSomethingElseAreAnError() {
    assertEquals("f: k: \"[vpn.example.org]:59402\" is not host:port (\"vpn.example.org\" in brackets is not an "
        + "IPv6 address; zones like %eth0 are not taken)", error("[vpn.example.org]:59402"));
    assertEquals("f: k: \"[192.0.2.1]:59402\" is not host:port (\"192.0.2.1\" in brackets is not an IPv6 address; "
        + "zones like %eth0 are not taken)", error("[192.0.2.1]:59402"));
  }

  @Test
  void aZoneIsAnError() {
    assertEquals("f: k: \"[fe80::1%eth0]:59402\" is not host:port (\"fe80::1%eth0\" in brackets is not an IPv6 "
        + "address; zones like %eth0 are not taken)", error("[fe80::1%eth0]:59402"));
  }

  @Test
  void aStrayBracketIsAnError() {
    assertEquals("f: k: \"[::1:59402\" is not host:port (write IPv6 addresses as [addr]:port)", error("[::1:59402"));
    assertEquals("f: k: \"::1]:59402\" is not host:port (write IPv6 addresses as [addr]:port)", error("::1]:59402"));
  }

  @Test
  void emptyBracketsAreAnError() {
    assertEquals("f: k: \"[]:59402\" is not host:port (\"\" in brackets is not an IPv6 address; zones like %eth0 "
        + "are not taken)", error("[]:59402"));
  }

  @Test
  void ipv6SocketAddressesAreShownInBrackets() throws Exception {
    assertEquals("[2001:db8::1]:1234",
        HostPort.format(new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:0:0:0:1"), 1234)));
    assertEquals("[::1]:59402", HostPort.format(new InetSocketAddress(InetAddress.getByName("::1"), 59402)));
    assertEquals("[::]:59402", HostPort.format(new InetSocketAddress(InetAddress.getByName("::"), 59402)));
  }

  @Test
  void ipv4SocketAddressesArePlain() throws Exception {
    assertEquals("192.0.2.1:1234", HostPort.format(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1234)));
  }

  @Test
  void aGlobalAddressIsShownWithoutTheZoneTheKernelAttached() throws Exception {
    Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fd00::2").getAddress(), 4);
    assertEquals("[fd00::2]:9", HostPort.format(new InetSocketAddress(scoped, 9)));
    Inet6Address zero = Inet6Address.getByAddress(null, InetAddress.getByName("::1").getAddress(), 0);
    assertEquals("::1", HostPort.format(zero));
  }

  @Test
  void aLinkLocalAddressKeepsItsZone() throws Exception {
    Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 4);
    assertEquals("[fe80::1%4]:9", HostPort.format(new InetSocketAddress(scoped, 9)));
  }

  /** One client address is one text and one key, whether a socket reported it IPv4-mapped or plain. */
  @Test
  void aMappedAddressIsTheIpv4AddressItCarries() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, 1};
    Inet6Address v6 = Inet6Address.getByAddress(null, mapped, -1);
    InetSocketAddress asSeen = new InetSocketAddress(v6, 4000);
    InetSocketAddress plain = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 4000);
    assertEquals("192.0.2.1:4000", HostPort.format(asSeen));
    assertEquals(plain.getAddress(), HostPort.unmapped(v6));
    assertInstanceOf(Inet4Address.class, HostPort.unmapped(v6));
  }

  @Test
  void unmappedLeavesOtherAddressesAlone() throws Exception {
    InetAddress v6 = InetAddress.getByName("2001:db8::ffff:c000:201");
    assertSame(v6, HostPort.unmapped(v6));
    InetAddress v4 = InetAddress.getByName("192.0.2.1");
    assertSame(v4, HostPort.unmapped(v4));
  }

  @Test
  void anUnresolvedNameIsShownAsTheName() {
    assertEquals("vpn.example.org:59402",
        HostPort.format(InetSocketAddress.createUnresolved("vpn.example.org", 59402)));
  }

  @Test
  void theConfigurationTakesIpv6EverywhereAnAddressGoes() throws ConfigException {
    JsonObject client = new JsonObject().put("listenAddr", "[::1]:59401").put("dstAddr", "[2001:db8::1]:59402")
        .put("dstOverrides", new JsonArray().add(new JsonObject().put("ifName", "wwan0")
            .put("dstAddr", "[2001:db8::2]:59402")))
        .put("webManager", new JsonObject().put("listenAddr", "[::1]:9001"));
    ClientConfig c = ConfigParser.client("engarde.yml", new JsonObject().put("client", client)).config();
    assertEquals(new HostPort("::1", 59401), c.listenAddr());
    assertEquals(new HostPort("2001:db8::1", 59402), c.dstAddr());
    assertEquals(List.of(new DstOverride("wwan0", new HostPort("2001:db8::2", 59402))), c.dstOverrides());
    assertEquals(new HostPort("::1", 9001), c.webManager().listenAddr());
    JsonObject server = new JsonObject().put("listenAddr", "[::]:59402").put("dstAddr", "[::1]:59301");
    ServerConfig s = ConfigParser.server("engarde.yml", new JsonObject().put("server", server)).config();
    assertEquals(new HostPort("::", 59402), s.listenAddr());
    assertEquals(new HostPort("::1", 59301), s.dstAddr());
  }

  @Test
  void aBadIpv6DestinationNamesItsKey() {
    JsonObject client = new JsonObject().put("listenAddr", "127.0.0.1:59401").put("dstAddr", "[2001:db8::g]:59402");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigParser.client("engarde.yml", new JsonObject().put("client", client)));
    assertEquals("engarde.yml: client.dstAddr: \"[2001:db8::g]:59402\" is not host:port (\"2001:db8::g\" in brackets "
        + "is not an IPv6 address; zones like %eth0 are not taken)", e.getMessage());
  }
}
