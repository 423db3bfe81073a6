package org.rengarde.client;

import org.rengarde.config.HostPort;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides, from one look at the interfaces, which links should exist: one for each interface that is UP, has an
 * eligible address and is not excluded. Pure logic, so scripted sequences of interfaces can test it.
 */
public final class LinkPlanner {

  private LinkPlanner() {
  }

  /**
   * @param seen the interfaces now
   * @param exclusions effective exclusions
   * @param destinationFor the configured destination of an interface ({@code dstOverrides} or {@code dstAddr})
   * @param running the links that exist now, by interface name
   */
  public static LinkPlan plan(List<InterfaceInfo> seen, Exclusions exclusions,
                              Function<String, HostPort> destinationFor, Map<String, LinkSpec> running) {
    Map<String, InterfaceInfo> byName = new HashMap<>();
    for (InterfaceInfo i : seen) {
      byName.put(i.name(), i);
    }
    List<LinkPlan.Stop> stops = new ArrayList<>();
    List<LinkSpec> starts = new ArrayList<>();
    for (LinkSpec link : running.values()) {
      String reason = stopReason(link, byName.get(link.ifName()), exclusions, destinationFor);
      if (reason != null) {
        stops.add(new LinkPlan.Stop(link.ifName(), reason));
      }
    }
    for (InterfaceInfo i : seen) {
      if (!wanted(i, exclusions)) {
        continue;
      }
      LinkSpec want = new LinkSpec(i.name(), i.index(), i.eligibleAddress(), destinationFor.apply(i.name()), null);
      LinkSpec have = running.get(i.name());
      if (have == null || !have.sameInterfaceAs(want)) {
        starts.add(want);
      }
    }
    return new LinkPlan(stops, starts);
  }

  /** Whether an interface should carry a link. */
  public static boolean wanted(InterfaceInfo i, Exclusions exclusions) {
    return !exclusions.isExcluded(i.name()) && i.up() && i.eligibleAddress() != null;
  }

  private static String stopReason(LinkSpec link, InterfaceInfo now, Exclusions exclusions,
                                   Function<String, HostPort> destinationFor) {
    if (now == null) {
      return InterfaceEvents.NO_LONGER_EXISTS;
    }
    if (exclusions.isExcluded(now.name())) {
      return InterfaceEvents.NOW_EXCLUDED;
    }
    if (!now.up()) {
      return InterfaceEvents.DOWN;
    }
    Inet4Address address = now.eligibleAddress();
    if (address == null) {
      return InterfaceEvents.lostAddress();
    }
    if (now.index() != link.index()) {
      return InterfaceEvents.reindexed(link.index(), now.index());
    }
    if (!address.equals(link.source())) {
      return InterfaceEvents.changedAddress(address);
    }
    HostPort destination = destinationFor.apply(now.name());
    if (!destination.equals(link.configuredDestination())) {
      return InterfaceEvents.changedDestination(destination);
    }
    return null;
  }
}
