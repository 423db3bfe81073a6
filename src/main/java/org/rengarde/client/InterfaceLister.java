package org.rengarde.client;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/** {@code rengarde-client list-interfaces}: the helper for writing {@code excludedInterfaces}. */
public final class InterfaceLister {

  private InterfaceLister() {
  }

  /** engarde's form (see {@link #engardeForm}); 1 when the interfaces cannot be listed. */
  public static int printEngardeForm(PrintStream out) {
    return print(InterfaceLister::engardeForm, out);
  }

  /** Our table ({@code --detail}); 1 when the interfaces cannot be listed. */
  public static int printTable(PrintStream out) {
    return print(InterfaceLister::table, out);
  }

  /**
   * engarde's form, so that what reads engarde's output reads ours: per interface a blank line, its name, and
   * {@code   Address: A}, empty when it has no eligible address. (engarde ends its lines with CR LF.)
   */
  static void engardeForm(List<InterfaceInfo> interfaces, PrintStream out) {
    for (InterfaceInfo i : interfaces) {
      out.println();
      out.println(i.name());
      out.println("  Address: " + address(i, ""));
    }
  }

  static void table(List<InterfaceInfo> interfaces, PrintStream out) {
    out.printf("%-16s %-6s %-5s %s%n", "INTERFACE", "INDEX", "STATE", "ADDRESSES A LINK WOULD USE");
    for (InterfaceInfo i : interfaces) {
      List<InetAddress> a = i.eligibleAddresses();
      out.printf("%-16s %-6d %-5s %s%n", i.name(), i.index(), i.up() ? "up" : "down", a.isEmpty()
          ? "(none: no IPv4 address outside 127/8 and 169.254/16, no global or unique-local IPv6 address)"
          : a.stream().map(org.rengarde.config.HostPort::format).collect(Collectors.joining(" ")));
    }
  }

  /** engarde's one address: the IPv4 one it would use, else (engarde has none then) the IPv6 one. */
  private static String address(InterfaceInfo i, String none) {
    InetAddress a = i.eligibleAddress();
    return a == null ? none : org.rengarde.config.HostPort.format(a);
  }

  private static int print(BiConsumer<List<InterfaceInfo>, PrintStream> form, PrintStream out) {
    try {
      form.accept(new SystemInterfaces().list(), out);
      return 0;
    } catch (IOException e) {
      System.err.println("rengarde-client: cannot list the interfaces: " + e.getMessage());
      return 1;
    }
  }
}
