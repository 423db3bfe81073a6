package org.rengarde.client;

import org.rengarde.config.HostPort;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * What one link is: which interface (by name and index), which source address, which destination. A link whose
 * spec changes is re-created: a socket bound to an old interface index fails forever.
 *
 * @param destination the resolved server address; null until resolved
 */
public record LinkSpec(String ifName, int index, Inet4Address source, HostPort configuredDestination,
                       InetSocketAddress destination) {

  /** The same link apart from the resolved destination (which may legitimately change only on re-creation). */
  public boolean sameInterfaceAs(LinkSpec other) {
    return other != null && ifName.equals(other.ifName) && index == other.index && source.equals(other.source)
        && configuredDestination.equals(other.configuredDestination);
  }
}
