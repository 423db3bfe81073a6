package org.rengarde.client;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * One network interface as a poll saw it.
 *
 * @param up UP and RUNNING (a veth whose peer is down reads false)
 */
public record InterfaceInfo(String name, int index, boolean up, List<InetAddress> addresses) {

  public InterfaceInfo {
    addresses = List.copyOf(addresses);
  }

  /**
   * engarde's rule: the first IPv4 address outside 127/8 and 169.254/16 (RFC 1918 and 100.64/10 are fine); null
   * when there is none.
   */
  public Inet4Address eligibleAddress() {
    for (InetAddress a : addresses) {
      if (a instanceof Inet4Address v4 && !v4.isLoopbackAddress() && !v4.isLinkLocalAddress()) {
        return v4;
      }
    }
    return null;
  }
}
