package org.rengarde.client;

import org.junit.jupiter.api.Test;
import org.rengarde.config.HostPort;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scripted sequences of polls: each poll's plan is applied to {@code running} as the Interface Watcher would, so a
 * test reads as "the interfaces were like this, then like that".
 */
class LinkPlannerTest {
  private static final HostPort SERVER = new HostPort("203.0.113.7", 59402);
  private static final HostPort OVERRIDE = new HostPort("10.1.0.1", 59402);

  private final Exclusions exclusions = new Exclusions(Set.of("wg0"));
  private final Map<String, HostPort> overrides = new HashMap<>();
  private final Function<String, HostPort> destinationFor = name -> overrides.getOrDefault(name, SERVER);
  private final Map<String, LinkSpec> running = new HashMap<>();

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static Inet4Address ip4(String literal) {
    return (Inet4Address) ip(literal);
  }

  private static InterfaceInfo iface(String name, int index, boolean up, String... addresses) {
    return new InterfaceInfo(name, index, up, java.util.Arrays.stream(addresses).map(LinkPlannerTest::ip).toList());
  }

  private static InterfaceInfo eth0(String address) {
    return iface("eth0", 2, true, address);
  }

  /** One poll: plans, then applies the plan to {@code running}. */
  private LinkPlan poll(InterfaceInfo... seen) {
    LinkPlan plan = LinkPlanner.plan(List.of(seen), exclusions, destinationFor, Map.copyOf(running));
    for (LinkPlan.Stop stop : plan.stops()) {
      running.remove(stop.ifName());
    }
    for (LinkStart start : plan.starts()) {
      running.put(start.ifName(), resolved(start));
    }
    return plan;
  }

  /** The link the watcher would start: a literal destination needs no look-up. */
  private static LinkSpec resolved(LinkStart start) {
    try {
      return start.resolvedTo(start.configuredDestination().resolveAll());
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> stops(LinkPlan plan) {
    return plan.stops().stream().map(s -> s.ifName() + ": " + s.reason()).toList();
  }

  private static List<String> starts(LinkPlan plan) {
    return plan.starts().stream().map(LinkStart::ifName).toList();
  }

  @Test
  void appearingInterfaceStartsALink() {
    LinkPlan plan = poll(eth0("10.1.0.2"));
    assertEquals(List.of(new LinkStart("eth0", 2, List.of(ip4("10.1.0.2")), SERVER)), plan.starts());
    assertEquals(List.of(), plan.stops());
  }

  @Test
  void unchangedInterfacesGiveAnEmptyPlan() {
    poll(eth0("10.1.0.2"), iface("eth1", 3, true, "10.2.0.2"));
    LinkPlan plan = poll(eth0("10.1.0.2"), iface("eth1", 3, true, "10.2.0.2"));
    assertTrue(plan.isEmpty());
  }

  @Test
  void nothingAtAllGivesAnEmptyPlan() {
    assertTrue(poll().isEmpty());
  }

  @Test
  void vanishedInterfaceStopsItsLink() {
    poll(eth0("10.1.0.2"));
    LinkPlan plan = poll();
    assertEquals(List.of("eth0: no longer exists, deleting it"), stops(plan));
    assertEquals(List.of(), plan.starts());
  }

  @Test
  void interfaceGoingDownStopsItsLink() {
    poll(eth0("10.1.0.2"));
    LinkPlan plan = poll(iface("eth0", 2, false, "10.1.0.2"));
    assertEquals(List.of("eth0: is down, deleting it"), stops(plan));
    assertEquals(List.of(), plan.starts());
  }

  @Test
  void interfaceComingBackUpStartsAgain() {
    poll(eth0("10.1.0.2"));
    poll(iface("eth0", 2, false, "10.1.0.2"));
    assertEquals(List.of("eth0"), starts(poll(eth0("10.1.0.2"))));
  }

  @Test
  void downInterfaceIsNotStarted() {
    assertTrue(poll(iface("eth0", 2, false, "10.1.0.2")).isEmpty());
  }

  @Test
  void configuredExclusionIsNotStarted() {
    assertTrue(poll(iface("wg0", 7, true, "10.99.0.1")).isEmpty());
  }

  @Test
  void excludingARunningInterfaceStopsItsLink() {
    poll(eth0("10.1.0.2"));
    exclusions.exclude("eth0");
    LinkPlan plan = poll(eth0("10.1.0.2"));
    assertEquals(List.of("eth0: is now excluded, deleting it"), stops(plan));
    assertEquals(List.of(), plan.starts());
  }

  @Test
  void includingAConfiguredExclusionStartsIt() {
    poll(iface("wg0", 7, true, "10.99.0.1"));
    exclusions.include("wg0");
    assertEquals(List.of("wg0"), starts(poll(iface("wg0", 7, true, "10.99.0.1"))));
  }

  @Test
  void losingTheAddressStopsTheLink() {
    poll(eth0("10.1.0.2"));
    LinkPlan plan = poll(iface("eth0", 2, true));
    assertEquals(List.of("eth0: changed address, re-creating socket (no eligible address now)"), stops(plan));
    assertEquals(List.of(), plan.starts());
  }

  @Test
  void keepingOnlyALinkLocalAddressStopsTheLink() {
    poll(eth0("10.1.0.2"));
    assertEquals(List.of("eth0: changed address, re-creating socket (no eligible address now)"), stops(poll(eth0("169.254.3.4"))));
  }

  @Test
  void recreatedInterfaceIsStoppedAndStarted() {
    poll(eth0("10.1.0.2"));
    LinkPlan plan = poll(iface("eth0", 9, true, "10.1.0.2"));
    assertEquals(List.of("eth0: was re-created (index 2 -> 9), re-creating socket"), stops(plan));
    assertEquals(List.of(new LinkStart("eth0", 9, List.of(ip4("10.1.0.2")), SERVER)), plan.starts());
  }

  @Test
  void changedAddressIsStoppedAndStarted() {
    poll(eth0("10.1.0.2"));
    LinkPlan plan = poll(eth0("10.1.0.77"));
    assertEquals(List.of("eth0: changed address, re-creating socket (now 10.1.0.77)"), stops(plan));
    assertEquals(List.of(new LinkStart("eth0", 2, List.of(ip4("10.1.0.77")), SERVER)), plan.starts());
  }

  @Test
  void changedDstOverrideIsStoppedAndStarted() {
    poll(eth0("10.1.0.2"));
    overrides.put("eth0", OVERRIDE);
    LinkPlan plan = poll(eth0("10.1.0.2"));
    assertEquals(List.of("eth0: changed destination, re-creating socket (now 10.1.0.1:59402)"), stops(plan));
    assertEquals(List.of(new LinkStart("eth0", 2, List.of(ip4("10.1.0.2")), OVERRIDE)), plan.starts());
  }

  @Test
  void startUsesTheOverride() {
    overrides.put("eth0", OVERRIDE);
    assertEquals(OVERRIDE, poll(eth0("10.1.0.2")).starts().get(0).configuredDestination());
  }

  @Test
  void resolvedDestinationDoesNotCountAsAChange() {
    poll(eth0("10.1.0.2"));
    LinkSpec planned = running.get("eth0");
    running.put("eth0", new LinkSpec("eth0", 2, planned.source(), SERVER,
        new java.net.InetSocketAddress("203.0.113.7", 59402)));
    assertTrue(poll(eth0("10.1.0.2")).isEmpty());
  }

  @Test
  void addingASecondAddressAfterTheFirstChangesNothing() {
    poll(eth0("10.1.0.2"));
    assertTrue(poll(iface("eth0", 2, true, "10.1.0.2", "10.1.0.3")).isEmpty());
  }

  @Test
  void onlyTheChangedInterfaceIsTouched() {
    poll(eth0("10.1.0.2"), iface("eth1", 3, true, "10.2.0.2"));
    LinkPlan plan = poll(eth0("10.1.0.2"), iface("eth1", 3, true, "10.2.0.9"));
    assertEquals(List.of("eth1: changed address, re-creating socket (now 10.2.0.9)"), stops(plan));
    assertEquals(List.of("eth1"), starts(plan));
  }

  @Test
  void loopbackOnlyInterfaceIsNotStarted() {
    assertTrue(poll(iface("lo", 1, true, "127.0.0.1")).isEmpty());
  }

  @Test
  void anyAddressIn127Slash8IsNotEligible() {
    assertTrue(poll(iface("dummy0", 4, true, "127.45.6.7")).isEmpty());
  }

  @Test
  void linkLocalOnlyInterfaceIsNotStarted() {
    assertTrue(poll(iface("eth0", 2, true, "169.254.10.20")).isEmpty());
  }

  @Test
  void anIpv6OnlyInterfaceHasNoLinkToAnIpv4Server() {
    assertTrue(poll(iface("eth0", 2, true, "fe80::1", "2001:db8::2")).isEmpty());
  }

  @Test
  void interfaceWithoutAddressesIsNotStarted() {
    assertTrue(poll(iface("eth0", 2, true)).isEmpty());
  }

  @Test
  void firstEligibleAddressIsUsed() {
    LinkPlan plan = poll(iface("eth0", 2, true, "fe80::1", "127.0.0.2", "169.254.1.1", "100.64.0.5", "10.1.0.2"));
    assertEquals(List.of(ip4("100.64.0.5")), plan.starts().get(0).sources());
  }

  @Test
  void rfc1918AddressIsEligible() {
    assertEquals(ip4("192.168.1.10"), iface("wlan0", 5, true, "192.168.1.10").eligibleAddress());
  }

  @Test
  void eligibleAddressIsNullWithoutOne() {
    assertNull(iface("lo", 1, true, "127.0.0.1", "::1").eligibleAddress());
  }

  @Test
  void wantedWhenUpWithAddressAndNotExcluded() {
    assertTrue(LinkPlanner.wanted(eth0("10.1.0.2"), exclusions, SERVER));
  }

  @Test
  void notWantedWhenDown() {
    assertFalse(LinkPlanner.wanted(iface("eth0", 2, false, "10.1.0.2"), exclusions, SERVER));
  }

  @Test
  void notWantedWhenExcluded() {
    assertFalse(LinkPlanner.wanted(iface("wg0", 7, true, "10.99.0.1"), exclusions, SERVER));
  }

  @Test
  void notWantedWithoutEligibleAddress() {
    assertFalse(LinkPlanner.wanted(iface("eth0", 2, true, "169.254.1.1"), exclusions, SERVER));
  }

  @Test
  void vanishedAndAppearedInOnePoll() {
    poll(eth0("10.1.0.2"));
    LinkPlan plan = poll(iface("eth1", 3, true, "10.2.0.2"));
    assertEquals(List.of("eth0: no longer exists, deleting it"), stops(plan));
    assertEquals(List.of("eth1"), starts(plan));
  }

  @Test
  void vanishedThenBackIsStartedAgain() {
    poll(eth0("10.1.0.2"));
    poll();
    assertEquals(List.of("eth0"), starts(poll(eth0("10.1.0.2"))));
  }

  @Test
  void planListsAreImmutable() {
    LinkPlan plan = poll(eth0("10.1.0.2"));
    org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> plan.starts().clear());
  }

  // ---- IPv6: each link in the family of its destination

  private static final HostPort SERVER6 = new HostPort("2001:db8::1", 59402);
  private static final HostPort BY_NAME = new HostPort("vpn.example.org", 59402);

  /** A plan without applying it (a name's start would need a look-up). */
  private LinkPlan planOnly(InterfaceInfo... seen) {
    return LinkPlanner.plan(List.of(seen), exclusions, destinationFor, Map.copyOf(running));
  }

  private static LinkSpec resolvedTo(LinkStart start, String... addresses) {
    return start.resolvedTo(java.util.Arrays.stream(addresses).map(LinkPlannerTest::ip).toArray(InetAddress[]::new));
  }

  @Test
  void anIpv6DestinationTakesTheInterfacesIpv6Address() {
    overrides.put("eth0", SERVER6);
    LinkPlan plan = poll(iface("eth0", 2, true, "10.1.0.2", "fe80::1", "2001:db8:1::2"));
    assertEquals(List.of(new LinkStart("eth0", 2, List.of(ip("2001:db8:1::2")), SERVER6)), plan.starts());
    assertEquals(ip("2001:db8:1::2"), running.get("eth0").source());
    assertEquals(new java.net.InetSocketAddress(ip("2001:db8::1"), 59402), running.get("eth0").destination());
  }

  @Test
  void anInterfaceWithoutIpv6HasNoLinkToAnIpv6Server() {
    overrides.put("eth0", SERVER6);
    assertTrue(poll(iface("eth0", 2, true, "10.1.0.2", "fe80::1")).isEmpty());
    assertFalse(LinkPlanner.wanted(iface("eth0", 2, true, "10.1.0.2"), exclusions, SERVER6));
  }

  @Test
  void uniqueLocalAddressesAreEligibleLinkLocalAndLoopbackAreNot() {
    var family = java.net.StandardProtocolFamily.INET6;
    assertEquals(ip("fd00::2"), iface("eth0", 2, true, "fe80::1", "::1", "fec0::1", "fd00::2").eligibleAddress(family));
    assertNull(iface("eth0", 2, true, "fe80::1", "::1", "fec0::1", "ff02::1").eligibleAddress(family));
  }

  @Test
  void aNameMayUseEitherFamily() {
    overrides.put("eth0", BY_NAME);
    LinkPlan plan = planOnly(iface("eth0", 2, true, "2001:db8:1::2", "10.1.0.2"));
    assertEquals(List.of(ip("10.1.0.2"), ip("2001:db8:1::2")), plan.starts().get(0).sources());
  }

  @Test
  void aNameTakesTheFirstResolvedAddressTheInterfaceCanReach() {
    LinkStart both = new LinkStart("eth0", 2, List.of(ip("10.1.0.2"), ip("2001:db8:1::2")), BY_NAME);
    assertEquals(ip("10.1.0.2"), resolvedTo(both, "192.0.2.1", "2001:db8::1").source());
    assertEquals(ip("2001:db8:1::2"), resolvedTo(both, "2001:db8::1", "192.0.2.1").source());
    LinkStart v4only = new LinkStart("eth0", 2, List.of(ip("10.1.0.2")), BY_NAME);
    assertEquals(ip("192.0.2.1"), resolvedTo(v4only, "2001:db8::1", "192.0.2.1").destination().getAddress());
    assertNull(resolvedTo(v4only, "2001:db8::1"));
  }

  @Test
  void aLinkOverIpv6StaysWhenTheInterfaceGainsAnIpv4Address() {
    overrides.put("eth0", BY_NAME);
    LinkStart start = planOnly(iface("eth0", 2, true, "2001:db8:1::2")).starts().get(0);
    running.put("eth0", resolvedTo(start, "2001:db8::1"));
    assertTrue(planOnly(iface("eth0", 2, true, "10.1.0.2", "2001:db8:1::2")).isEmpty());
  }

  @Test
  void aLinkOverIpv6IsRecreatedWhenItsAddressChanges() {
    overrides.put("eth0", SERVER6);
    poll(iface("eth0", 2, true, "2001:db8:1::2"));
    LinkPlan plan = poll(iface("eth0", 2, true, "2001:db8:1::9"));
    assertEquals(List.of("eth0: changed address, re-creating socket (now 2001:db8:1::9)"), stops(plan));
    assertEquals(List.of(new LinkStart("eth0", 2, List.of(ip("2001:db8:1::9")), SERVER6)), plan.starts());
  }

  @Test
  void aLinkOverIpv6GoesWhenTheIpv6AddressGoesAndANameComesBackOverIpv4() {
    overrides.put("eth0", BY_NAME);
    LinkStart start = planOnly(iface("eth0", 2, true, "10.1.0.2", "2001:db8:1::2")).starts().get(0);
    running.put("eth0", resolvedTo(start, "2001:db8::1", "192.0.2.1"));
    LinkPlan plan = planOnly(iface("eth0", 2, true, "10.1.0.2"));
    assertEquals(List.of("eth0: changed address, re-creating socket (no eligible address now)"), stops(plan));
    assertEquals(List.of(ip("10.1.0.2")), plan.starts().get(0).sources());
  }

  @Test
  void aDestinationMovingToIpv6RecreatesTheLink() {
    poll(iface("eth0", 2, true, "10.1.0.2", "2001:db8:1::2"));
    overrides.put("eth0", SERVER6);
    LinkPlan plan = poll(iface("eth0", 2, true, "10.1.0.2", "2001:db8:1::2"));
    assertEquals(List.of("eth0: changed destination, re-creating socket (now [2001:db8::1]:59402)"), stops(plan));
    assertEquals(ip("2001:db8:1::2"), running.get("eth0").source());
  }
}
