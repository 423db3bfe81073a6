package org.rengarde.client;

import org.rengarde.config.HostPort;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A link a poll decided to start, before its destination is resolved: the interface, the addresses it could send
 * from (one per family, only the destination literal's family when the destination is an address), and the
 * configured destination.
 */
public record LinkStart(String ifName, int index, List<InetAddress> sources, HostPort configuredDestination) {

  public LinkStart {
    sources = List.copyOf(sources);
  }

  /**
   * The link, once the destination is resolved: the first resolved address (in the resolver's order) whose family
   * the interface has a source in, sent to from that source. Null when none fits (a name with only AAAA records
   * and an interface with only IPv4, say).
   */
  public LinkSpec resolvedTo(InetAddress[] resolved) {
    for (InetAddress destination : resolved) {
      for (InetAddress source : sources) {
        if (InterfaceInfo.familyOf(source) == InterfaceInfo.familyOf(destination)) {
          return new LinkSpec(ifName, index, source, configuredDestination,
              new InetSocketAddress(destination, configuredDestination.port()));
        }
      }
    }
    return null;
  }

  /** Whether {@code running} is this very link (a resolved destination is no change). */
  boolean isRunningAs(LinkSpec running) {
    return running != null && ifName.equals(running.ifName()) && index == running.index()
        && sources.contains(running.source()) && configuredDestination.equals(running.configuredDestination());
  }
}
