package org.rengarde.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The interfaces the JDK leaves out. On Linux it finds interfaces through their addresses, so one with none (a bridge
 * port, a modem not yet connected, an ifb) is missing, where engarde lists it as idle. {@code /proc/net/dev} names
 * every interface of this process's network namespace; {@code /sys/class/net} gives each one's index and flags.
 * Elsewhere neither exists and nothing is added.
 */
final class AddresslessInterfaces {
  static final AddresslessInterfaces LINUX = new AddresslessInterfaces(Path.of("/proc/net/dev"),
      Path.of("/sys/class/net"));

  private static final int IFF_UP = 0x1;
  private static final int IFF_RUNNING = 0x40;

  private final Path procNetDev;
  private final Path sysClassNet;

  AddresslessInterfaces(Path procNetDev, Path sysClassNet) {
    this.procNetDev = procNetDev;
    this.sysClassNet = sysClassNet;
  }

  /**
   * Every interface whose name is not in {@code listed}, with no address; none when {@code /proc/net/dev} cannot be
   * read, as the JDK's list is still right apart from these. Blocking (it reads files).
   */
  List<InterfaceInfo> missingFrom(Set<String> listed) {
    List<String> lines;
    try {
      lines = Files.readAllLines(procNetDev);
    } catch (IOException e) {
      return List.of();
    }
    List<InterfaceInfo> out = new ArrayList<>();
    // two header lines, then "  name: counters"; the kernel allows no ':' in a name
    for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      if (!name.isEmpty() && !listed.contains(name)) {
        int flags = number(name, "flags");
        boolean up = (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
        out.add(new InterfaceInfo(name, number(name, "ifindex"), up, List.of()));
      }
    }
    return out;
  }

  /** A number from the interface's sysfs directory (decimal or 0x hex), 0 when it cannot be read. */
  private int number(String name, String file) {
    try {
      String text = Files.readString(sysClassNet.resolve(name).resolve(file)).trim();
      return text.startsWith("0x") ? Integer.parseUnsignedInt(text.substring(2), 16) : Integer.parseInt(text);
    } catch (IOException | NumberFormatException | java.nio.file.InvalidPathException e) {
      return 0;
    }
  }
}
