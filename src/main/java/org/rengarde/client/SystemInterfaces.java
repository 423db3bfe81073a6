package org.rengarde.client;

import java.io.IOException;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The real interfaces, through {@link NetworkInterface} (about 0.25 ms for a dozen interfaces here), and those it
 * leaves out for having no address ({@link AddresslessInterfaces}), so that every interface is listed, as by engarde.
 */
public final class SystemInterfaces implements InterfaceSource {

  @Override
  public List<InterfaceInfo> list() throws IOException {
    List<InterfaceInfo> out = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (ni.isVirtual()) {
        continue;
      }
      List<java.net.InetAddress> addresses = Collections.list(ni.getInetAddresses());
      // The JDK builds this list by prepending what the kernel reports, so it comes reversed: a secondary address
      // would come first. Reversed back it is the kernel's order (primary first), the order engarde uses.
      Collections.reverse(addresses);
      out.add(new InterfaceInfo(ni.getName(), ni.getIndex(), ni.isUp(), addresses));
      listed.add(ni.getName());
    }
    out.addAll(AddresslessInterfaces.LINUX.missingFrom(listed));
    out.sort(Comparator.comparingInt(InterfaceInfo::index));
    return out;
  }
}
