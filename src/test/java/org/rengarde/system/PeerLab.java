package org.rengarde.system;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The peer lab (scripts/peerlab) seen from a test: three clients with their own links, one server, one WireGuard. */
final class PeerLab {
  static final String SERVER_NS = "rgp-server";
  static final String SERVER_TUNNEL_IP = "10.220.0.1";
  static final int RELAY_PORT = 59412;
  /** The server's WireGuard's listen port (scripts/peerlab's WG_SERVER_PORT). */
  static final int WIREGUARD_PORT = 59311;
  /** Client k's link letters, as scripts/peerlab builds them. */
  static final List<List<String>> LINKS = List.of(List.of("a", "b", "c"), List.of("a", "b"), List.of("a", "b"));
  static final String SERVER_WEB = "http://127.0.0.1:9012";

  private final Path root;

  PeerLab(Path root) {
    this.root = root;
  }

  static String clientNs(int k) {
    return "rgp-c" + k;
  }

  /** Client k's side of its link {@code letter}. */
  static String clientSide(int k, String letter) {
    return "rgp" + k + letter + "0";
  }

  static String clientAddress(int k, String letter) {
    return "10.21" + k + "." + (letter.charAt(0) - 'a' + 1) + ".2";
  }

  static String serverAddress(int k, String letter) {
    return "10.21" + k + "." + (letter.charAt(0) - 'a' + 1) + ".1";
  }

  /** engarde's binaries, for interop: client 3 is engarde's own client when set. */
  static final String ENGARDE_BIN = System.getenv("ENGARDE_BIN");

  void up() {
    if (ENGARDE_BIN != null && !ENGARDE_BIN.isBlank()) {
      Shell.run(240, "env", "RENGARDE_PEERLAB_CLIENT3=" + Path.of(ENGARDE_BIN, "engarde-client"),
          root.resolve("scripts/peerlab").toString(), "up");
    } else {
      Shell.run(240, root.resolve("scripts/peerlab").toString(), "up");
    }
  }

  static String clientName(int k) {
    return k == 3 && ENGARDE_BIN != null && !ENGARDE_BIN.isBlank() ? "client 3 (engarde's)" : "client " + k;
  }

  void down() {
    Shell.run(60, root.resolve("scripts/peerlab").toString(), "down");
  }

  void setLink(int k, String letter, boolean up) {
    Shell.run("ip", "-n", clientNs(k), "link", "set", clientSide(k, letter), up ? "up" : "down");
  }

  /**
   * Drops client k's WireGuard session (its peer removed and added again): the next datagram starts a handshake
   * with new indices, which a capture started before sees.
   */
  void rekey(int k) {
    String dir = System.getProperty("java.io.tmpdir") + "/rengarde-peerlab/";
    String server = Shell.run("cat", dir + "server.pub").trim();
    Shell.run("ip", "netns", "exec", clientNs(k), "wg", "set", "rgpwg" + k, "peer", server, "remove");
    Shell.run("ip", "netns", "exec", clientNs(k), "wg", "set", "rgpwg" + k, "peer", server, "allowed-ips",
        SERVER_TUNNEL_IP + "/32", "endpoint", "127.0.0.1:59411");
  }

  /** Waits until client k's tunnel answers (its handshake done), for at most 5 s. */
  void handshake(int k) {
    Shell.run(10, "ip", "netns", "exec", clientNs(k), "ping", "-c", "1", "-w", "5", SERVER_TUNNEL_IP);
  }

  /** Starts {@code count} pings at 100 per second from client k across its tunnel. */
  Process startPing(int k, int count) {
    return Shell.start(List.of("ip", "netns", "exec", clientNs(k), "ping", "-D", "-n", "-i", "0.01", "-W", "2",
        "-c", Integer.toString(count), SERVER_TUNNEL_IP));
  }

  /** Starts tcpdump on every link of client k, writing one pcap file per link into {@code dir}. */
  List<Process> startCaptures(int k, Path dir) {
    List<Process> out = new ArrayList<>();
    for (String letter : LINKS.get(k - 1)) {
      out.add(Shell.start(List.of("ip", "netns", "exec", clientNs(k), "tcpdump", "-n", "-U", "-s", "256", "-i",
          clientSide(k, letter), "-w", dir.resolve(clientSide(k, letter) + ".pcap").toString(), "udp")));
    }
    return out;
  }

  /** Starts a Java main class of the test classpath inside a namespace. */
  static Process java(String ns, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
        System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    return Shell.start(cmd);
  }

  /** Resident memory of the server process, in MB. */
  long serverRssMb() {
    for (String line : Shell.run("cat", "/proc/" + serverPid() + "/status").split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  String serverPid() {
    return Shell.run("cat", System.getProperty("java.io.tmpdir") + "/rengarde-peerlab/server.pid").trim();
  }

  /** What the kernel dropped on the UDP sockets of namespace {@code ns} bound to {@code port} (the last column). */
  static long udpDrops(String ns, int port) {
    long drops = 0;
    String hexPort = String.format(":%04X", port);
    for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
      for (String line : Shell.run("ip", "netns", "exec", ns, "cat", table).split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 12 && f[1].endsWith(hexPort)) {
          drops += Long.parseLong(f[f.length - 1]);
        }
      }
    }
    return drops;
  }

  /** The listen port of client k's WireGuard. */
  static int clientWireGuardPort(int k) {
    return Integer.parseInt(Shell.run("ip", "netns", "exec", clientNs(k), "wg", "show", "rgpwg" + k, "listen-port")
        .trim());
  }

  /** Client k's web API (its manager listens on loopback inside its namespace). */
  static io.vertx.core.json.JsonObject clientApi(int k, String path) {
    return new io.vertx.core.json.JsonObject(Shell.run("ip", "netns", "exec", clientNs(k), "curl", "-s",
        "http://127.0.0.1:9011" + path));
  }

  static io.vertx.core.json.JsonObject serverApi(String path) {
    return new io.vertx.core.json.JsonObject(Shell.run("ip", "netns", "exec", SERVER_NS, "curl", "-s",
        SERVER_WEB + path));
  }
}
