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
    if (!(destination instanceof Inet4Address)) {
      return null;
    }
    List<String> routes;
    try {
      routes = routesOf(ifName);
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
    return "interface " + ifName + " has no route to the server " + destination.getHostAddress()
        + ": its packets are sent on-link and will probably vanish; add one, e.g. `ip route add "
        + destination.getHostAddress() + " via GATEWAY dev " + ifName + " table 100` (see README, Troubleshooting)";
  }

  /** One line of {@code ip -o -4 route show table all dev IF}: does its prefix cover the address? */
  static boolean covers(String line, InetAddress destination) {
    String[] words = line.trim().split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      return false;
    }
    String prefix = words[0];
    if (prefix.equals("default")) {
      return true;
    }
    if (!prefix.matches("[0-9.]+(/[0-9]{1,2})?")) {
      return false;
    }
    int slash = prefix.indexOf('/');
    String net = slash < 0 ? prefix : prefix.substring(0, slash);
    try {
      int bits = slash < 0 ? 32 : Integer.parseInt(prefix.substring(slash + 1));
      if (bits > 32) {
        return false;
      }
      byte[] n = InetAddress.getByName(net).getAddress();
      byte[] d = destination.getAddress();
      if (n.length != d.length) {
        return false;
      }
      return prefixInt(n, bits) == prefixInt(d, bits);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private static int prefixInt(byte[] a, int bits) {
    int v = ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
    return bits == 0 ? 0 : v & (-1 << (32 - bits));
  }

  private static List<String> routesOf(String ifName) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ip", "-o", "-4", "route", "show", "table", "all", "dev", ifName)
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
