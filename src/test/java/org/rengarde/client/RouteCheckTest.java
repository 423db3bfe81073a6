package org.rengarde.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteCheckTest {
  private static final InetAddress SERVER = ip("203.0.113.7");

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void defaultRouteCoversEverything() {
    assertTrue(RouteCheck.covers("default via 10.1.0.1 proto dhcp src 10.1.0.2 metric 100", SERVER));
  }

  @Test
  void defaultRouteInAnotherTableCovers() {
    assertTrue(RouteCheck.covers("default via 10.1.0.1 table 100", SERVER));
  }

  @Test
  void zeroPrefixCoversEverything() {
    assertTrue(RouteCheck.covers("0.0.0.0/0 via 10.1.0.1", SERVER));
  }

  @Test
  void connectedSubnetCoversAnAddressInIt() {
    assertTrue(RouteCheck.covers("10.1.0.0/24 proto kernel scope link src 10.1.0.2", ip("10.1.0.1")));
  }

  @Test
  void connectedSubnetCoversItsLastAddress() {
    assertTrue(RouteCheck.covers("10.1.0.0/24 proto kernel scope link src 10.1.0.2", ip("10.1.0.255")));
  }

  @Test
  void connectedSubnetDoesNotCoverTheNextSubnet() {
    assertFalse(RouteCheck.covers("10.1.0.0/24 proto kernel scope link src 10.1.0.2", ip("10.1.1.1")));
  }

  @Test
  void connectedSubnetDoesNotCoverTheServer() {
    assertFalse(RouteCheck.covers("10.1.0.0/24 proto kernel scope link src 10.1.0.2", SERVER));
  }

  @Test
  void widePrefixCovers() {
    assertTrue(RouteCheck.covers("10.0.0.0/8 via 10.1.0.1", ip("10.200.3.4")));
  }

  @Test
  void oddPrefixLengthCoversInside() {
    assertTrue(RouteCheck.covers("203.0.113.0/29 via 10.1.0.1", SERVER));
  }

  @Test
  void oddPrefixLengthExcludesOutside() {
    assertFalse(RouteCheck.covers("203.0.113.8/29 via 10.1.0.1", SERVER));
  }

  @Test
  void hostRouteCoversItsHost() {
    assertTrue(RouteCheck.covers("203.0.113.7 via 10.1.0.1 table 100", SERVER));
  }

  @Test
  void hostRouteDoesNotCoverItsNeighbour() {
    assertFalse(RouteCheck.covers("203.0.113.8 via 10.1.0.1 table 100", SERVER));
  }

  @Test
  void slash32RouteCoversItsHost() {
    assertTrue(RouteCheck.covers("203.0.113.7/32 via 10.1.0.1", SERVER));
  }

  @Test
  void localRouteCoversNothing() {
    assertFalse(RouteCheck.covers("local 10.1.0.2 table local proto kernel scope host src 10.1.0.2", ip("10.1.0.2")));
  }

  @Test
  void broadcastRouteCoversNothing() {
    assertFalse(RouteCheck.covers("broadcast 10.1.0.255 table local proto kernel scope link src 10.1.0.2",
        ip("10.1.0.255")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"unreachable 203.0.113.0/24", "blackhole 203.0.113.0/24", "prohibit 203.0.113.0/24",
      "multicast 203.0.113.0/24"})
  void rejectingRouteTypesCoverNothing(String line) {
    assertFalse(RouteCheck.covers(line, SERVER));
  }

  @Test
  void leadingSpacesAreIgnored() {
    assertTrue(RouteCheck.covers("   203.0.113.0/24 via 10.1.0.1", SERVER));
  }

  @Test
  void emptyLineCoversNothing() {
    assertFalse(RouteCheck.covers("", SERVER));
  }

  @Test
  void blankLineCoversNothing() {
    assertFalse(RouteCheck.covers("   ", SERVER));
  }

  @Test
  void ipv4RouteDoesNotCoverAnIpv6Address() {
    assertFalse(RouteCheck.covers("10.1.0.0/24 proto kernel scope link src 10.1.0.2", ip("2001:db8::1")));
  }

  /** lo holds only the local route of ::1: an IPv6 server has no route through it, and the hint says -6. */
  @Test
  void checkLooksAtIpv6RoutesForAnIpv6Server() {
    String warning = RouteCheck.check("lo", ip("2001:db8::1"));
    org.junit.jupiter.api.Assumptions.assumeTrue(warning != null, "`ip` cannot be run here");
    assertEquals("interface lo has no route to the server 2001:db8::1: its packets are sent on-link and will "
        + "probably vanish; add one, e.g. `ip -6 route add 2001:db8::1 via GATEWAY dev lo table 100` (see README, "
        + "Troubleshooting)", warning);
  }

  @Test
  void anIpv6PrefixCoversAnAddressInIt() {
    assertTrue(RouteCheck.covers("2001:db8::/32 via fe80::1 proto ra metric 1024 pref medium", ip("2001:db8:5::1")));
    assertFalse(RouteCheck.covers("2001:db8::/33 via fe80::1", ip("2001:db8:8000::1")));
  }

  @Test
  void anIpv6DefaultRouteCovers() {
    assertTrue(RouteCheck.covers("default via fe80::1 proto ra metric 1024 expires 1798sec", ip("2001:db8::1")));
    assertTrue(RouteCheck.covers("::/0 via fe80::1", ip("2001:db8::1")));
  }

  @Test
  void anIpv6HostRouteCoversItsHostOnly() {
    assertTrue(RouteCheck.covers("2001:db8::7 via fe80::1 table 100", ip("2001:db8::7")));
    assertFalse(RouteCheck.covers("2001:db8::7 via fe80::1 table 100", ip("2001:db8::8")));
  }

  @Test
  void theLinkLocalAndMulticastRoutesCoverNoServer() {
    assertFalse(RouteCheck.covers("fe80::/64 proto kernel metric 256 pref medium", ip("2001:db8::1")));
    assertFalse(RouteCheck.covers("multicast ff00::/8 table local proto kernel metric 256 pref medium",
        ip("ff02::1")));
  }

  @Test
  void anIpv4PrefixNeverCoversAnIpv6Address() {
    assertFalse(RouteCheck.covers("0.0.0.0/0 via 10.1.0.1", ip("2001:db8::1")));
  }
}
