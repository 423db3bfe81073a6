package org.rengarde.system;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the kernel dropped packets, at one moment: each UDP socket's drop counter (the last column of
 * /proc/net/udp and udp6) in the namespaces named, keyed "ns local-address:port"; each interface's receive and send
 * drops there (veth, loopback, WireGuard's tun), keyed "ns name rx" and "ns name tx"; and the drops of every CPU's
 * input backlog (the second column of /proc/net/softnet_stat, which all namespaces share: veth and loopback
 * deliver through it). {@link #since} tells what changed between two snapshots, so a lost ping in a lab test can
 * be put on the socket or queue that lost it.
 */
record KernelDrops(Map<String, Long> counters, long backlog) {

  static KernelDrops now(String... namespaces) {
    Map<String, Long> counters = new TreeMap<>();
    for (String ns : namespaces) {
      var links = new io.vertx.core.json.JsonArray(Shell.run("ip", "-n", ns, "-j", "-s", "link", "show"));
      for (int i = 0; i < links.size(); i++) {
        var link = links.getJsonObject(i);
        var stats = link.getJsonObject("stats64");
        if (stats != null) {
          counters.put(ns + " " + link.getString("ifname") + " rx", stats.getJsonObject("rx").getLong("dropped", 0L));
          counters.put(ns + " " + link.getString("ifname") + " tx", stats.getJsonObject("tx").getLong("dropped", 0L));
        }
      }
    }
    for (String ns : namespaces) {
      for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
        for (String line : Shell.run("ip", "netns", "exec", ns, "cat", table).split("\n")) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 12 && f[0].endsWith(":")) {
            counters.merge(ns + " " + address(f[1]), Long.parseLong(f[f.length - 1]), Long::sum);
          }
        }
      }
    }
    long backlog = 0;
    for (String line : Shell.run("cat", "/proc/net/softnet_stat").split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 1) {
        backlog += Long.parseLong(f[1], 16);
      }
    }
    return new KernelDrops(counters, backlog);
  }

  /** How many drops since {@code before} were on the keys {@code which} accepts (the backlog's key is "backlog"). */
  long grewOn(KernelDrops before, java.util.function.Predicate<String> which) {
    long grew = which.test("backlog") ? backlog - before.backlog : 0;
    for (var e : counters.entrySet()) {
      if (which.test(e.getKey())) {
        grew += grown(e.getValue(), before.counters.getOrDefault(e.getKey(), 0L));
      }
    }
    return grew;
  }

  /**
   * A counter's growth: one that went down belongs to a socket (or interface) closed and opened again on the same
   * address between the two readings, so all of its count is new.
   */
  private static long grown(long now, long before) {
    return now >= before ? now - before : now;
  }

  /** What grew since {@code before}: "ns address:port +n" for each socket, then "backlog +n"; "none" when nothing. */
  String since(KernelDrops before) {
    StringBuilder sb = new StringBuilder();
    counters.forEach((socket, drops) -> {
      long grew = grown(drops, before.counters.getOrDefault(socket, 0L));
      if (grew > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(socket).append(" +").append(grew);
      }
    });
    if (backlog > before.backlog) {
      sb.append(sb.length() == 0 ? "" : ", ").append("backlog +").append(backlog - before.backlog);
    }
    return sb.length() == 0 ? "none" : sb.toString();
  }

  /** "0100007F:E709" (IPv4, little-endian words) as "127.0.0.1:59145"; IPv6 stays in hex with its port decoded. */
  private static String address(String hex) {
    int colon = hex.indexOf(':');
    String ip = hex.substring(0, colon);
    int port = Integer.parseInt(hex.substring(colon + 1), 16);
    if (ip.length() == 8) {
      long v = Long.parseLong(ip, 16);
      return (v & 0xff) + "." + (v >> 8 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 24 & 0xff) + ":" + port;
    }
    return "[" + ip + "]:" + port;
  }
}
