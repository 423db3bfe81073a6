package org.rengarde.client;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
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
   * The address a link in {@code family} would send from, or null. IPv4, engarde's rule: the first address outside
   * 127/8 and 169.254/16 (RFC 1918 and 100.64/10 are fine). IPv6: the first global or unique-local (fc00::/7)
   * address; never loopback, link-local (fe80::/10: it reaches only its own link, and a server is not on it; a
   * bind to it needs the zone, which the configuration does not take), deprecated site-local (fec0::/10), multicast
   * or IPv4-mapped.
   */
  public InetAddress eligibleAddress(StandardProtocolFamily family) {
    for (InetAddress a : addresses) {
      if (family == StandardProtocolFamily.INET ? eligible4(a) : eligible6(a)) {
        return a;
      }
    }
    return null;
  }

  /** The eligible IPv4 address then the eligible IPv6 one, each where the interface has one. */
  public List<InetAddress> eligibleAddresses() {
    List<InetAddress> out = new ArrayList<>(2);
    InetAddress v4 = eligibleAddress(StandardProtocolFamily.INET);
    InetAddress v6 = eligibleAddress(StandardProtocolFamily.INET6);
    if (v4 != null) {
      out.add(v4);
    }
    if (v6 != null) {
      out.add(v6);
    }
    return out;
  }

  /** The address shown for the interface: its eligible IPv4 address, else its eligible IPv6 one, else null. */
  public InetAddress eligibleAddress() {
    List<InetAddress> all = eligibleAddresses();
    return all.isEmpty() ? null : all.get(0);
  }

  private static boolean eligible4(InetAddress a) {
    return a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress();
  }

  private static boolean eligible6(InetAddress a) {
    return a instanceof Inet6Address v6 && !v6.isLoopbackAddress() && !v6.isLinkLocalAddress()
        && !v6.isSiteLocalAddress() && !v6.isMulticastAddress() && !v6.isAnyLocalAddress()
        && !v6.isIPv4CompatibleAddress();
  }

  /** The family of an address. */
  public static StandardProtocolFamily familyOf(InetAddress address) {
    return address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
  }
}
