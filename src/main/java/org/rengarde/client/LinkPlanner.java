package org.rengarde.client;

import org.rengarde.config.HostPort;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides, from one look at the interfaces, which links should exist: one for each interface that is UP, is not
 * excluded and has an eligible address in a family the destination may have (the literal's family for an address;
 * either for a host name, decided once it is resolved: see {@link LinkStart#resolvedTo}). Pure logic, so scripted
 * sequences of interfaces can test it.
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
    List<LinkStart> starts = new ArrayList<>();
    for (LinkSpec link : running.values()) {
      String reason = stopReason(link, byName.get(link.ifName()), exclusions, destinationFor);
      if (reason != null) {
        stops.add(new LinkPlan.Stop(link.ifName(), reason));
      }
    }
    for (InterfaceInfo i : seen) {
      HostPort destination = destinationFor.apply(i.name());
      if (!wanted(i, exclusions, destination)) {
        continue;
      }
      LinkStart want = new LinkStart(i.name(), i.index(), sources(i, destination), destination);
      if (!want.isRunningAs(running.get(i.name()))) {
        starts.add(want);
      }
    }
    return new LinkPlan(stops, starts);
  }

  /** Whether an interface should carry a link to {@code destination}. */
  public static boolean wanted(InterfaceInfo i, Exclusions exclusions, HostPort destination) {
    return !exclusions.isExcluded(i.name()) && i.up() && !sources(i, destination).isEmpty();
  }

  /** The interface's addresses a link to {@code destination} could send from: one per family it may need. */
  static List<InetAddress> sources(InterfaceInfo i, HostPort destination) {
    StandardProtocolFamily family = destination.literalFamily();
    if (family == null) {
      return i.eligibleAddresses();
    }
    InetAddress source = i.eligibleAddress(family);
    return source == null ? List.of() : List.of(source);
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
    InetAddress address = now.eligibleAddress(InterfaceInfo.familyOf(link.source()));
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
