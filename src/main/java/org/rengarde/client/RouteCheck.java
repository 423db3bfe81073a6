package org.rengarde.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Warns about the commonest multi-link mistake: an uplink without a route of its own to the server. A socket bound
 * to the device then sends on-link, and on a real WAN its packets vanish. Blocking (runs {@code ip route}).
 */
public final class RouteCheck {

  private RouteCheck() {
  }

  /**
   * Returns null when some route through {@code ifName} (any table) covers {@code destination}, else a warning;
   * null too when {@code ip} cannot be run (nothing to say then).
   */
  public static String check(String ifName, InetAddress destination) {
    List<String> routes;
    try {
      routes = routesOf(ifName, destination instanceof Inet4Address ? "-4" : "-6");
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return null;
    }
    for (String line : routes) {
      if (covers(line, destination)) {
        return null;
      }
    }
    String shown = org.rengarde.config.HostPort.format(destination);
    return "interface " + ifName + " has no route to the server " + shown
        + ": its packets are sent on-link and will probably vanish; add one, e.g. `ip" + (destination instanceof
        Inet4Address ? "" : " -6") + " route add " + shown + " via GATEWAY dev " + ifName
        + " table 100` (see README, Troubleshooting)";
  }

  /**
   * One line of {@code ip -o -4 route show table all dev IF} (or {@code -6}): does its prefix cover the address?
   * Lines of another type ({@code local}, {@code multicast}, ...) start with the type and cover nothing.
   */
  static boolean covers(String line, InetAddress destination) {
    String[] words = line.trim().split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      return false;
    }
    String prefix = words[0];
    if (prefix.equals("default")) {
      return true;
    }
    if (!prefix.matches("[0-9a-f.:]+(/[0-9]{1,3})?")) {
      return false;
    }
    int slash = prefix.indexOf('/');
    String net = slash < 0 ? prefix : prefix.substring(0, slash);
    try {
      if (!io.netty.util.NetUtil.isValidIpV4Address(net) && !io.netty.util.NetUtil.isValidIpV6Address(net)) {
        return false;
      }
      byte[] n = InetAddress.getByName(net).getAddress();
      byte[] d = destination.getAddress();
      int bits = slash < 0 ? n.length * 8 : Integer.parseInt(prefix.substring(slash + 1));
      if (n.length != d.length || bits > n.length * 8) {
        return false;
      }
      return samePrefix(n, d, bits);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    for (int i = 0; i < bits / 8; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    int mask = rest == 0 ? 0 : (0xFF << (8 - rest)) & 0xFF;
    return rest == 0 || (a[bits / 8] & mask) == (b[bits / 8] & mask);
  }

  private static List<String> routesOf(String ifName, String family) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ip", "-o", family, "route", "show", "table", "all", "dev", ifName)
        .redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    }
    if (!p.waitFor(5, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("ip route timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException("ip route failed");
    }
    return lines;
  }
}
