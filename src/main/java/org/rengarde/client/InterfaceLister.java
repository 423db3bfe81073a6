package org.rengarde.client;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

/** {@code rengarde-client list-interfaces}: the helper for writing {@code excludedInterfaces}. */
public final class InterfaceLister {

  private InterfaceLister() {
  }

  public static int print(PrintStream out) {
    try {
      out.printf("%-16s %-6s %-5s %s%n", "INTERFACE", "INDEX", "STATE", "ADDRESSES A LINK WOULD USE");
      for (InterfaceInfo i : new SystemInterfaces().list()) {
        List<InetAddress> a = i.eligibleAddresses();
        out.printf("%-16s %-6d %-5s %s%n", i.name(), i.index(), i.up() ? "up" : "down", a.isEmpty()
            ? "(none: no IPv4 address outside 127/8 and 169.254/16, no global or unique-local IPv6 address)"
            : a.stream().map(org.rengarde.config.HostPort::format).collect(Collectors.joining(" ")));
      }
      return 0;
    } catch (IOException e) {
      System.err.println("rengarde-client: cannot list the interfaces: " + e.getMessage());
      return 1;
    }
  }
}
