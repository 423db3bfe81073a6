package org.rengarde.client;

import java.io.IOException;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** The real interfaces, through {@link NetworkInterface} (about 0.25 ms for a dozen interfaces here). */
public final class SystemInterfaces implements InterfaceSource {

  @Override
  public List<InterfaceInfo> list() throws IOException {
    List<InterfaceInfo> out = new ArrayList<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (ni.isVirtual()) {
        continue;
      }
      out.add(new InterfaceInfo(ni.getName(), ni.getIndex(), ni.isUp(), Collections.list(ni.getInetAddresses())));
    }
    out.sort(Comparator.comparingInt(InterfaceInfo::index));
    return out;
  }
}
