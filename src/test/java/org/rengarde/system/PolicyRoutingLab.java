package org.rengarde.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lab of its own (namespaces {@value #CLIENT_NS} and {@value #SERVER_NS}, apart from scripts/lab's) for links bound
 * to their addresses only: two veth links, the server's address reachable through both, the client's main table
 * routing it through link a alone, and one policy rule and table per link address. wireguard-go at both ends, our
 * jar between them with {@code bindToDevice: false}. nftables counters in the client's output hook tell which
 * interface each link's datagrams leave through.
 */
final class PolicyRoutingLab {
  static final String CLIENT_NS = "rgb-client";
  static final String SERVER_NS = "rgb-server";
  static final List<String> LINKS = List.of("a", "b");
  static final String SERVER_ADDRESS = "10.211.0.1";
  static final String SERVER_TUNNEL_IP = "10.212.0.1";
  static final String CLIENT_WEB = "http://127.0.0.1:9021";
  private static final String CLIENT_TUNNEL_IP = "10.212.0.2";
  private static final int RELAY_PORT = 59422;
  private static final int CLIENT_LISTEN_PORT = 59421;
  private static final int WG_SERVER_PORT = 59321;
  private static final String WG_CLIENT = "rgbwg0";
  private static final String WG_SERVER = "rgbwg1";
  private static final String TABLE = "rgbtest";
  private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");

  private final Path jar;
  final Path dir;
  private final List<Process> processes = new ArrayList<>();

  /** Logs and keys go to one directory, overwritten by each run and left for reading afterwards. */
  PolicyRoutingLab(Path projectDir) throws IOException {
    this.jar = projectDir.resolve("target/rengarde.jar");
    this.dir = Path.of(System.getProperty("java.io.tmpdir"), "rengarde-bind-to-address");
    Files.createDirectories(dir);
  }

  static String clientSide(String link) {
    return "rgb-" + link + "0";
  }

  private static String serverSide(String link) {
    return "rgb-" + link + "1";
  }

  private static int subnet(String link) {
    return link.charAt(0) - 'a' + 1;
  }

  static String clientAddress(String link) {
    return "10.211." + subnet(link) + ".2";
  }

  private static String gateway(String link) {
    return "10.211." + subnet(link) + ".1";
  }

  private static int table(String link) {
    return 210 + subnet(link);
  }

  void up() throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " is missing: run under mvn verify (the package phase builds it)");
    }
    down();
    for (String ns : List.of(CLIENT_NS, SERVER_NS)) {
      Shell.run("ip", "netns", "add", ns);
      Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
      // Replies arrive on the link their destination address belongs to, which the main table does not route by.
      inNs(ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0");
    }
    Shell.run("ip", "-n", SERVER_NS, "addr", "add", SERVER_ADDRESS + "/32", "dev", "lo");
    for (String l : LINKS) {
      Shell.run("ip", "link", "add", clientSide(l), "netns", CLIENT_NS, "type", "veth", "peer", "name",
          serverSide(l), "netns", SERVER_NS);
      Shell.run("ip", "-n", SERVER_NS, "addr", "add", gateway(l) + "/24", "dev", serverSide(l));
      Shell.run("ip", "-n", CLIENT_NS, "addr", "add", clientAddress(l) + "/24", "dev", clientSide(l));
      Shell.run("ip", "-n", SERVER_NS, "link", "set", serverSide(l), "up");
      Shell.run("ip", "-n", CLIENT_NS, "link", "set", clientSide(l), "up");
      Shell.run("ip", "-n", CLIENT_NS, "route", "add", "default", "via", gateway(l), "dev", clientSide(l), "table",
          Integer.toString(table(l)));
      addRule(l);
    }
    // The main table knows one way to the server, as a machine with one default route does.
    Shell.run("ip", "-n", CLIENT_NS, "route", "add", SERVER_ADDRESS + "/32", "via", gateway("a"), "dev",
        clientSide("a"));
    countDepartures();
    startWireGuard();
    Files.writeString(dir.resolve("engarde.yml"), config());
    start("server", SERVER_NS, java("server"));
    start("client", CLIENT_NS, java("client"));
    waitForTunnel();
  }

  void addRule(String link) {
    Shell.run("ip", "-n", CLIENT_NS, "rule", "add", "from", clientAddress(link), "table",
        Integer.toString(table(link)));
  }

  void deleteRule(String link) {
    Shell.run("ip", "-n", CLIENT_NS, "rule", "del", "from", clientAddress(link), "table",
        Integer.toString(table(link)));
  }

  void setLink(String link, boolean up) {
    Shell.run("ip", "-n", CLIENT_NS, "link", "set", clientSide(link), up ? "up" : "down");
  }

  private String config() {
    return """
        client:
          listenAddr: "127.0.0.1:%d"
          dstAddr: "%s:%d"
          bindToDevice: false
          excludedInterfaces: [lo, %s]
          webManager:
            listenAddr: "127.0.0.1:9021"
        server:
          listenAddr: "0.0.0.0:%d"
          dstAddr: "127.0.0.1:%d"
        """.formatted(CLIENT_LISTEN_PORT, SERVER_ADDRESS, RELAY_PORT, WG_CLIENT, RELAY_PORT, WG_SERVER_PORT);
  }

  private List<String> java(String role) {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
        "-Xmx64m", "-jar", jar.toString(), role, dir.resolve("engarde.yml").toString());
  }

  private void startWireGuard() throws Exception {
    start("wg-server", SERVER_NS, List.of("wireguard-go", "-f", WG_SERVER));
    start("wg-client", CLIENT_NS, List.of("wireguard-go", "-f", WG_CLIENT));
    for (String dev : List.of(WG_SERVER, WG_CLIENT)) {
      waitFor(() -> Files.exists(Path.of("/var/run/wireguard", dev + ".sock")), 5, "wireguard-go made no " + dev);
    }
    Shell.run("sh", "-c", "cd " + dir + " && umask 077 && wg genkey > server.key && wg genkey > client.key"
        + " && wg pubkey < server.key > server.pub && wg pubkey < client.key > client.pub");
    inNs(SERVER_NS, "wg", "set", WG_SERVER, "listen-port", Integer.toString(WG_SERVER_PORT), "private-key",
        dir.resolve("server.key").toString(), "peer", read("client.pub"), "allowed-ips", CLIENT_TUNNEL_IP + "/32");
    inNs(CLIENT_NS, "wg", "set", WG_CLIENT, "private-key", dir.resolve("client.key").toString(), "peer",
        read("server.pub"), "allowed-ips", SERVER_TUNNEL_IP + "/32", "endpoint", "127.0.0.1:" + CLIENT_LISTEN_PORT);
    Shell.run("ip", "-n", SERVER_NS, "addr", "add", SERVER_TUNNEL_IP + "/24", "dev", WG_SERVER);
    Shell.run("ip", "-n", CLIENT_NS, "addr", "add", CLIENT_TUNNEL_IP + "/24", "dev", WG_CLIENT);
    Shell.run("ip", "-n", SERVER_NS, "link", "set", WG_SERVER, "mtu", "1420", "up");
    Shell.run("ip", "-n", CLIENT_NS, "link", "set", WG_CLIENT, "mtu", "1420", "up");
  }

  private String read(String file) throws IOException {
    return Files.readString(dir.resolve(file)).trim();
  }

  private void waitForTunnel() throws Exception {
    waitFor(() -> {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new AssertionError("a lab process stopped; logs in " + dir);
        }
      }
      try {
        inNs(CLIENT_NS, "ping", "-c", "1", "-W", "1", SERVER_TUNNEL_IP);
        return true;
      } catch (AssertionError notYet) {
        return false;
      }
    }, 30, "no ping across the tunnel after 30 s; logs in " + dir);
  }

  /**
   * One named counter per (interface, source address) pair of the client's datagrams to the relay: right where a
   * link's address leaves through its own interface, wrong where it leaves through the other.
   */
  private void countDepartures() {
    nft("add table inet " + TABLE);
    nft("add chain inet " + TABLE + " out { type filter hook output priority 0; }");
    for (String via : LINKS) {
      for (String from : LINKS) {
        String name = counterName(via, from);
        nft("add counter inet " + TABLE + " " + name);
        nft("add rule inet " + TABLE + " out oifname \"" + clientSide(via) + "\" ip saddr " + clientAddress(from)
            + " udp dport " + RELAY_PORT + " counter name " + name);
      }
    }
  }

  private static String counterName(String via, String from) {
    return "via_" + via + "_from_" + from;
  }

  /** Datagrams to the relay that left through link {@code via}'s interface with link {@code from}'s address. */
  long departures(String via, String from) {
    String listing = inNs(CLIENT_NS, "nft", "list", "counter", "inet", TABLE, counterName(via, from));
    Matcher m = PACKETS.matcher(listing);
    if (!m.find()) {
      throw new AssertionError("no packet count in " + listing);
    }
    return Long.parseLong(m.group(1));
  }

  private void nft(String rule) {
    inNs(CLIENT_NS, "nft", rule);
  }

  /** Starts {@code count} pings at 100 per second across the tunnel; read them with {@link Lab#finish}. */
  Process startPing(int count) {
    return Shell.start(List.of("ip", "netns", "exec", CLIENT_NS, "ping", "-D", "-n", "-i", "0.01", "-W", "2",
        "-c", Integer.toString(count), SERVER_TUNNEL_IP));
  }

  /** The client's get-list, asked from inside its namespace. */
  io.vertx.core.json.JsonObject clientList() {
    return new io.vertx.core.json.JsonObject(inNs(CLIENT_NS, "curl", "-sS", "--max-time", "5",
        CLIENT_WEB + "/api/v1/get-list"));
  }

  String clientLog() throws IOException {
    return Files.readString(dir.resolve("client.log"));
  }

  private static String inNs(String ns, String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(command));
    return Shell.run(cmd.toArray(String[]::new));
  }

  /** {@code ip netns exec} execs the command: the process is the program itself, so destroy() stops it. */
  private void start(String name, String ns, List<String> command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(command);
    processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile()).start());
  }

  private interface Check {
    boolean done() throws Exception;
  }

  private static void waitFor(Check check, int seconds, String failure) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure);
      }
      Thread.sleep(100);
    }
  }

  /** Stops what {@link #up} started, client first, and deletes the namespaces; safe to call twice. */
  void down() throws InterruptedException {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    processes.clear();
    for (String ns : List.of(CLIENT_NS, SERVER_NS)) {
      try {
        Shell.run("ip", "netns", "del", ns);
      } catch (AssertionError absent) {
        // nothing left from an earlier run
      }
    }
    for (String dev : List.of(WG_CLIENT, WG_SERVER)) {
      try {
        Files.deleteIfExists(Path.of("/var/run/wireguard", dev + ".sock"));
      } catch (IOException e) {
        throw new AssertionError("cannot remove the socket of " + dev + ": " + e.getMessage(), e);
      }
    }
  }
}
