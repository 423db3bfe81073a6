package org.rengarde.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's lab (scripts/lab) seen from a test: faults on its links, pings across its tunnel, its logs.
 * Faults live in one nftables table per namespace, {@value #TABLE}, removed by {@link #clearFaults}.
 */
final class Lab {
  static final String CLIENT_NS = "rgl-client";
  static final String SERVER_NS = "rgl-server";
  static final String SERVER_TUNNEL_IP = "10.202.0.1";
  static final int RELAY_PORT = 59402;
  /** The server's WireGuard listens here (scripts/lab's WG_SERVER_PORT); the client's picks its port. */
  static final int WG_SERVER_PORT = 59301;
  static final List<String> LINKS = List.of("a", "b", "c");
  /** The IPv6-only link; scripts/lab makes it with its client side down. */
  static final String LINK6 = "v";
  static final String SERVER_LINK6_ADDRESS = "2001:db8:201:22::1";
  static final String CLIENT_LINK6_ADDRESS = "2001:db8:201:22::2";
  private static final String TABLE = "rgltest";
  private static final Pattern COUNTER = Pattern.compile("packets (\\d+)");

  final Path root;
  final Path dir;

  /** Variables for scripts/lab beside its directory, e.g. RENGARDE_LAB_CLIENT=/usr/bin/engarde-client. */
  private final List<String> environment;

  Lab(Path root) {
    this(root, List.of());
  }

  Lab(Path root, List<String> environment) {
    this.root = root;
    this.dir = directory();
    this.environment = environment;
  }

  /** Where scripts/lab keeps the lab's state and logs for the system tests. */
  static Path directory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "rengarde-lab-test");
  }

  private List<String> script(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("env");
    cmd.add("RENGARDE_LAB_DIR=" + dir);
    cmd.addAll(environment);
    cmd.add(root.resolve("scripts/lab").toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  void up() {
    Shell.run(180, script("up").toArray(String[]::new));
  }

  void down() {
    Shell.run(60, script("down").toArray(String[]::new));
  }

  void addLink(String letter) {
    Shell.run(script("add-link", letter).toArray(String[]::new));
  }

  void deleteLink(String letter) {
    Shell.run(script("del-link", letter).toArray(String[]::new));
  }

  /**
   * The ports of the UDP sockets that wireguard-go holds in the client's namespace, as the kernel tells (ss -p):
   * where WireGuard's datagrams come from, whichever family.
   */
  static java.util.Set<Integer> clientWireGuardSocketPorts() {
    java.util.Set<Integer> ports = new java.util.TreeSet<>();
    for (String line : Shell.run("ip", "netns", "exec", CLIENT_NS, "ss", "-H", "-uanp").split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (line.contains("\"wireguard-go\"") && f.length >= 4) {
        ports.add(Integer.parseInt(f[3].substring(f[3].lastIndexOf(':') + 1)));
      }
    }
    return ports;
  }

  static String clientSide(String letter) {
    return "rgl-" + letter + "0";
  }

  static String serverSide(String letter) {
    return "rgl-" + letter + "1";
  }

  /**
   * Whether the kernel reports the client side of a link operationally up (UP and RUNNING, what an interface
   * watcher can see); for a new veth that lags its carrier by up to a second (linkwatch).
   */
  boolean operationallyUp(String letter) {
    try {
      return Shell.run("ip", "netns", "exec", CLIENT_NS, "cat", "/sys/class/net/" + clientSide(letter) + "/operstate")
          .trim().equals("up");
    } catch (AssertionError notYet) {
      return false;
    }
  }

  void setLink(String letter, boolean up) {
    Shell.run("ip", "-n", CLIENT_NS, "link", "set", clientSide(letter), up ? "up" : "down");
  }

  /** Starts {@code count} pings at 100 per second across the tunnel; read it with {@link #finish}. */
  Process startPing(int count) {
    return Shell.start(List.of("ip", "netns", "exec", CLIENT_NS, "ping", "-D", "-n", "-i", "0.01", "-W", "2",
        "-c", Integer.toString(count), SERVER_TUNNEL_IP));
  }

  static PingResult finish(Process ping) throws Exception {
    String out = new String(ping.getInputStream().readAllBytes());
    ping.waitFor();
    return PingResult.parse(out);
  }

  private void nft(String ns, String rules) {
    Shell.run("ip", "netns", "exec", ns, "nft", rules);
  }

  private void ensureTable(String ns) {
    nft(ns, "add table inet " + TABLE);
    nft(ns, "add chain inet " + TABLE + " pre { type filter hook prerouting priority -300; }");
    nft(ns, "add chain inet " + TABLE + " out { type filter hook output priority 0; }");
  }

  private static String allLinks(String side) {
    StringBuilder sb = new StringBuilder("{ ");
    for (String l : LINKS) {
      sb.append('"').append(side.equals("client") ? clientSide(l) : serverSide(l)).append("\", ");
    }
    return sb.append("}").toString().replace(", }", " }");
  }

  /** Drops {@code percent}% of the relay's datagrams as each side receives them, on every link, independently. */
  void randomLossOnReceive(int percent) {
    ensureTable(CLIENT_NS);
    ensureTable(SERVER_NS);
    nft(CLIENT_NS, "add rule inet " + TABLE + " pre iifname " + allLinks("client") + " udp sport " + RELAY_PORT
        + " numgen random mod 100 < " + percent + " drop");
    nft(SERVER_NS, "add rule inet " + TABLE + " pre iifname " + allLinks("server") + " udp dport " + RELAY_PORT
        + " numgen random mod 100 < " + percent + " drop");
  }

  /** Drops {@code percent}% of the relay's sends in the output hook: sendto fails with EPERM. */
  void randomSendFailures(int percent) {
    ensureTable(CLIENT_NS);
    ensureTable(SERVER_NS);
    nft(CLIENT_NS, "add rule inet " + TABLE + " out oifname " + allLinks("client") + " udp dport " + RELAY_PORT
        + " numgen random mod 100 < " + percent + " drop");
    nft(SERVER_NS, "add rule inet " + TABLE + " out oifname " + allLinks("server") + " udp sport " + RELAY_PORT
        + " numgen random mod 100 < " + percent + " drop");
  }

  /** Every send of the client's link {@code letter} fails with EPERM (a firewall dropping everything it sends). */
  void allSendsFailOn(String letter) {
    ensureTable(CLIENT_NS);
    nft(CLIENT_NS, "add rule inet " + TABLE + " out oifname \"" + clientSide(letter) + "\" udp dport " + RELAY_PORT
        + " drop");
  }

  /** Drops {@code percent}% of the relay's datagrams received on one link, both ways. */
  void randomLossOnOneLink(String letter, int percent) {
    ensureTable(CLIENT_NS);
    ensureTable(SERVER_NS);
    nft(CLIENT_NS, "add rule inet " + TABLE + " pre iifname \"" + clientSide(letter) + "\" udp sport " + RELAY_PORT
        + " numgen random mod 100 < " + percent + " drop");
    nft(SERVER_NS, "add rule inet " + TABLE + " pre iifname \"" + serverSide(letter) + "\" udp dport " + RELAY_PORT
        + " numgen random mod 100 < " + percent + " drop");
  }

  /** Counts datagrams sent over loopback in a namespace to or from a UDP port, in a chain of their own. */
  void countLoopback(String ns, String chain, String direction, int port) {
    ensureTable(ns);
    nft(ns, "add chain inet " + TABLE + " " + chain + " { type filter hook output priority 10; }");
    nft(ns, "add rule inet " + TABLE + " " + chain + " oifname \"lo\" udp " + direction + " " + port + " counter");
  }

  long counted(String ns, String chain) {
    String listing = Shell.run("ip", "netns", "exec", ns, "nft", "list", "chain", "inet", TABLE, chain);
    Matcher m = COUNTER.matcher(listing);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /** Runs a class of the test classpath inside a namespace. */
  Process java(String ns, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, Path.of(System.getProperty("java.home"),
        "bin", "java").toString(), "-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    return Shell.start(cmd);
  }

  /** Counts the relay's datagrams arriving at the server on one link's server side. */
  void countArrivals(String letter) {
    ensureTable(SERVER_NS);
    nft(SERVER_NS, "add rule inet " + TABLE + " pre iifname \"" + serverSide(letter) + "\" udp dport " + RELAY_PORT
        + " counter");
  }

  /**
   * Link {@code letter} alters one byte inside every relay datagram it carries longer than 80 bytes, both ways (a
   * broken middlebox, or an on-path attacker): byte 40 of the UDP payload, inside WireGuard's ciphertext.
   */
  void alterPayloadsOn(String letter) {
    ensureTable(SERVER_NS);
    ensureTable(CLIENT_NS);
    nft(SERVER_NS, "add rule inet " + TABLE + " pre iifname \"" + serverSide(letter) + "\" udp dport " + RELAY_PORT
        + " udp length > 80 @th,384,8 set 0x42 counter");
    nft(CLIENT_NS, "add rule inet " + TABLE + " pre iifname \"" + clientSide(letter) + "\" udp sport " + RELAY_PORT
        + " udp length > 80 @th,384,8 set 0x42 counter");
  }

  /** What the counters of {@code ns}'s prerouting chain counted. */
  long preroutingCount(String ns) {
    String listing = Shell.run("ip", "netns", "exec", ns, "nft", "list", "chain", "inet", TABLE, "pre");
    Matcher m = COUNTER.matcher(listing);
    long total = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }

  long arrivals() {
    return preroutingCount(SERVER_NS);
  }

  void clearFaults() {
    for (String ns : List.of(CLIENT_NS, SERVER_NS)) {
      ensureTable(ns);
      nft(ns, "delete table inet " + TABLE);
    }
    for (String l : LINKS) {
      setLink(l, true);
    }
    setLink(LINK6, false);
  }

  /** The client's get-list entry of one interface, or null. */
  static io.vertx.core.json.JsonObject clientInterface(String name) throws Exception {
    var interfaces = api(CLIENT_WEB, "/api/v1/get-list", null).getJsonArray("interfaces");
    for (int i = 0; i < interfaces.size(); i++) {
      if (name.equals(interfaces.getJsonObject(i).getString("name"))) {
        return interfaces.getJsonObject(i);
      }
    }
    return null;
  }

  static final String CLIENT_WEB = "http://10.203.1.2:9001";
  static final String SERVER_WEB = "http://10.203.2.2:9002";

  /** The lab's engarde.yml, which both ends read and watch. */
  Path configFile() {
    return dir.resolve("engarde.yml");
  }

  void editConfig(java.util.function.UnaryOperator<String> edit) throws Exception {
    Path file = configFile();
    Path tmp = dir.resolve("engarde.yml.new");
    Files.writeString(tmp, edit.apply(Files.readString(file)));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * An HTTP call to a lab web manager from the host, over the management link, with one retry. It uses a plain
   * HttpURLConnection, whose connect and read timeouts are the socket's own: twice, after the fuzzer, a
   * java.net.http call hung past both of its timeouts and stopped the whole run.
   */
  static io.vertx.core.json.JsonObject api(String base, String path, String body) throws Exception {
    try {
      return apiOnce(base, path, body);
    } catch (java.io.IOException once) {
      return apiOnce(base, path, body);
    }
  }

  private static io.vertx.core.json.JsonObject apiOnce(String base, String path, String body) throws Exception {
    var connection = (java.net.HttpURLConnection) java.net.URI.create(base + path).toURL().openConnection();
    try {
      connection.setConnectTimeout(5000);
      connection.setReadTimeout(5000);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      try (var out = connection.getOutputStream()) {
        out.write((body == null ? "" : body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      int status = connection.getResponseCode();
      var stream = status < 400 ? connection.getInputStream() : connection.getErrorStream();
      String text = stream == null ? "" : new String(stream.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (status != 200) {
        throw new AssertionError(path + " answered " + status + ": " + text);
      }
      return new io.vertx.core.json.JsonObject(text);
    } finally {
      connection.disconnect();
    }
  }

  /** Interface name to status, from the client's get-list. */
  static java.util.Map<String, String> statuses() throws Exception {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    var interfaces = api(CLIENT_WEB, "/api/v1/get-list", null).getJsonArray("interfaces");
    for (int i = 0; i < interfaces.size(); i++) {
      var e = interfaces.getJsonObject(i);
      out.put(e.getString("name"), e.getString("status"));
    }
    return out;
  }

  String clientLog() throws Exception {
    return Files.readString(dir.resolve("client.log"));
  }

  /** The command line of a process the lab started (client, server), as the kernel has it. */
  String commandLine(String name) throws Exception {
    String pid = Files.readString(dir.resolve(name + ".pid")).trim();
    return Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
  }

  boolean processAlive(String name) throws Exception {
    String pid = Files.readString(dir.resolve(name + ".pid")).trim();
    return Files.exists(Path.of("/proc", pid));
  }
}
