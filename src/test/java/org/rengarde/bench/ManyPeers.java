package org.rengarde.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.rengarde.VertxSetup;
import org.rengarde.bus.BusAddresses;
import org.rengarde.config.HostPort;
import org.rengarde.config.ServerConfig;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.config.WriteTimeout;
import org.rengarde.server.ServerRelay;
import org.rengarde.web.ServerStatusSource;
import org.rengarde.web.WebManager;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Many clients on one port, on loopback: a real {@link ServerRelay} (Vert.x as the application makes it, native
 * transport), a {@link WireGuardStandIn} and a {@link ClientFleet} of N clients of 2-3 links each. All N
 * handshake (at most {@code window} at once: the relay admits 64 unanswered initiations at a time), then each sends
 * K transport datagrams on all its links and WireGuard sends K to each peer. Checked: every client's links receive
 * only their own peer's datagrams, WireGuard receives each datagram once and from that peer's socket. Measured:
 * the handshakes' time, heap and RSS per peer, file descriptors per peer, event-loop CPU per datagram, the status
 * document's time and size, and with the web manager its get-list and /metrics.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.rengarde.bench.ManyPeers
 * [--peers N] [--datagrams K] [--length BYTES] [--window W] [--no-web] [--deadline SECONDS]}. Each client and link
 * socket of the harness is in this process too: the descriptor figure subtracts them (they are open before the
 * baseline), and so do the heap and RSS figures.
 */
public final class ManyPeers {
  private static final int RETRY_MILLIS = 1000;

  /**
   * What to run. {@code deadlineSeconds} bounds the handshakes (a run under a low descriptor limit ends there);
   * {@code idleSeconds} is how long the idle CPU figures are measured.
   */
  public record Options(int peers, int datagrams, int length, int window, boolean web, int deadlineSeconds,
                        int idleSeconds) {
    public static Options of(int peers) {
      return new Options(peers, 20, 200, 32, true, 60, 5);
    }
  }

  /** The checks' counts (all 0 in a good run but {@code refused*}) and the printed figures. */
  public record Result(int peers, int links, int handshaken, int activePeers, int membersWithOwnSocket,
                       long crossDelivered, long wireGuardDuplicates, long wireGuardMissing,
                       long wireGuardFromWrongSocket, int socketsOfTwoClients, int linksShortOfTransport,
                       long socketFailures,
                       long memberSocketFailures, JsonObject limits, int clientSeries, int peerSeries,
                       Map<String, String> figures) {
    /** The figures were printed as they were measured; this is the line a parent process reads. */
    void print() {
      System.out.println("RESULT " + new JsonObject().put("peers", peers).put("links", links)
          .put("handshaken", handshaken).put("activePeers", activePeers)
          .put("membersWithOwnSocket", membersWithOwnSocket).put("crossDelivered", crossDelivered)
          .put("wireGuardDuplicates", wireGuardDuplicates).put("wireGuardMissing", wireGuardMissing)
          .put("wireGuardFromWrongSocket", wireGuardFromWrongSocket).put("socketsOfTwoClients", socketsOfTwoClients)
          .put("linksShortOfTransport", linksShortOfTransport).put("socketFailures", socketFailures)
          .put("memberSocketFailures", memberSocketFailures).put("limits", limits)
          .put("clientSeries", clientSeries).put("peerSeries", peerSeries).encode());
    }
  }

  private ManyPeers() {
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.of(1000);
    int peers = o.peers();
    int datagrams = o.datagrams();
    int length = o.length();
    int window = o.window();
    boolean web = o.web();
    int deadline = o.deadlineSeconds();
    int idle = o.idleSeconds();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--peers" -> peers = Integer.parseInt(args[++i]);
        case "--datagrams" -> datagrams = Integer.parseInt(args[++i]);
        case "--length" -> length = Integer.parseInt(args[++i]);
        case "--window" -> window = Integer.parseInt(args[++i]);
        case "--no-web" -> web = false;
        case "--deadline" -> deadline = Integer.parseInt(args[++i]);
        case "--idle" -> idle = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    run(new Options(peers, datagrams, length, window, web, deadline, idle)).print();
    System.exit(0);
  }

  /** Loads (without initialising) every class of the classpath's directories: rengarde's own and the harness's. */
  private static void preloadDirectoryClasses() throws IOException {
    ClassLoader loader = ManyPeers.class.getClassLoader();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      java.nio.file.Path dir = java.nio.file.Path.of(entry);
      if (!java.nio.file.Files.isDirectory(dir)) {
        continue;
      }
      try (var files = java.nio.file.Files.walk(dir)) {
        for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
          String name = dir.relativize(f).toString();
          if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
            try {
              Class.forName(name.substring(0, name.length() - 6).replace(java.io.File.separatorChar, '.'), false,
                  loader);
            } catch (ClassNotFoundException | LinkageError e) {
              // a test class whose dependencies are not on this classpath: not one the relay needs
            }
          }
        }
      }
    }
  }

  public static Result run(Options o) throws Exception {
    // Under a low descriptor limit (the EMFILE test) nothing may be left to load from a classes directory: each class
    // file there is opened to be loaded, and a class first needed after the descriptors ran out (the duplicate
    // filter's Verdict, say) fails with NoClassDefFoundError in the middle of the packet path. The jar the program
    // runs from is opened once, so this is the harness's problem, not the relay's.
    preloadDirectoryClasses();
    Map<String, String> f = new LinkedHashMap<>() {
      @Override
      public String put(String key, String value) {
        System.out.printf("%-52s %s%n", key, value);
        return super.put(key, value);
      }
    };
    f.put("JVM", System.getProperty("java.vm.version") + ", max heap "
        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB, descriptor limit " + ProcessProbe.fdLimit());
    Vertx vertx = VertxSetup.create();
    try (WireGuardStandIn wireGuard = new WireGuardStandIn()) {
      int relayPort = freeUdpPort();
      WebManagerConfig webConfig = o.web()
          ? new WebManagerConfig(new HostPort("127.0.0.1", freeTcpPort()), "", "", List.of()) : WebManagerConfig.OFF;
      ServerConfig config = new ServerConfig("many peers", new HostPort("127.0.0.1", relayPort),
          new HostPort("127.0.0.1", wireGuard.address().getPort()), 600, WriteTimeout.fromConfigured(0), webConfig,
          true);
      await(vertx.deployVerticle(new ServerRelay(BusAddresses.DEFAULT, config)));
      InetSocketAddress relay = new InetSocketAddress("127.0.0.1", relayPort);
      Semaphore progress = new Semaphore(0);
      AtomicInteger answered = new AtomicInteger();
      try (ClientFleet fleet = new ClientFleet(o.peers(), relay, c -> {
        answered.incrementAndGet();
        progress.release();
      })) {
        return measure(o, vertx, config, wireGuard, fleet, relay, progress, answered, f);
      }
    } finally {
      vertx.close();
    }
  }

  private static Result measure(Options o, Vertx vertx, ServerConfig config, WireGuardStandIn wireGuard,
                                ClientFleet fleet, InetSocketAddress relay, Semaphore progress,
                                AtomicInteger answered, Map<String, String> f) throws Exception {
    int n = o.peers();
    int links = fleet.links();
    f.put("peers, links", n + ", " + links + " (2-3 per client)");
    status(vertx);
    long heap0 = ProcessProbe.heapAfterGc();
    long rss0 = ProcessProbe.rss();
    long direct0 = ProcessProbe.directMemory();
    int fds0 = ProcessProbe.openFds();

    // ---- handshakes
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(o.deadlineSeconds());
    long[] sentAt = new long[n];
    int next = 0;
    int retries = 0;
    long lastRetryPass = start;
    while (answered.get() < n && System.nanoTime() < deadline) {
      while (next < n && next - answered.get() < o.window()) {
        fleet.sendInitiation(next);
        sentAt[next++] = System.nanoTime();
      }
      progress.tryAcquire(5, TimeUnit.MILLISECONDS);
      long now = System.nanoTime();
      if (now - lastRetryPass > TimeUnit.MILLISECONDS.toNanos(100)) {
        lastRetryPass = now;
        for (int c = 0; c < next; c++) {
          if (!fleet.answered(c) && now - sentAt[c] > TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS)) {
            fleet.sendInitiation(c);
            sentAt[c] = now;
            retries++;
          }
        }
      }
    }
    long handshakeNanos = System.nanoTime() - start;
    int handshaken = answered.get();
    f.put("handshakes answered", handshaken + " of " + n + " in " + millis(handshakeNanos) + " ms ("
        + Math.round(handshaken / (handshakeNanos / 1e9)) + "/s, window " + o.window() + ", " + retries
        + " retries after " + RETRY_MILLIS + " ms)");
    waitFor(() -> fleet.responses() >= expectedLinks(fleet, n, handshaken), 3000);
    int peersHeld = Math.max(1, waitForOwnSockets(vertx, links).getJsonArray("peers").size());
    f.put("initiations at WireGuard (copies replayed)", wireGuard.initiations() + " (" + wireGuard.replayedInitiations()
        + "), from " + wireGuard.relaySockets() + " relay sockets, " + wireGuard.socketsOfTwoClients()
        + " of them shared by two clients");

    // ---- transport both ways
    int[] serverIndex = new int[n];
    for (int c = 0; c < n; c++) {
      serverIndex[c] = wireGuard.serverIndexOf(ClientFleet.indexOf(c));
    }
    long cpu0 = ProcessProbe.eventLoopCpuNanos();
    long pcpu0 = ProcessProbe.processCpuNanos();
    long t0 = System.nanoTime();
    int sessions = wireGuard.sessions();
    for (int k = 0; k < o.datagrams(); k++) {
      for (int c = 0; c < n; c++) {
        if (serverIndex[c] != 0) {
          fleet.sendTransport(c, serverIndex[c], k, o.length());
        }
      }
      wireGuard.sendTransport(o.length());
      long up = (long) sessions * (k + 1);
      long down = (long) linksOfAnswered(fleet, serverIndex) * (k + 1);
      waitFor(() -> wireGuard.transportReceived() >= up && fleet.transportReceived() >= down, 2000);
    }
    long transportNanos = System.nanoTime() - t0;
    long cpu = ProcessProbe.eventLoopCpuNanos() - cpu0;
    long pcpu = ProcessProbe.processCpuNanos() - pcpu0;
    long tunnel = 2L * sessions * o.datagrams();
    long handled = (long) o.datagrams() * (sessions + linksOfAnswered(fleet, serverIndex)) * 2;
    f.put("transport", o.datagrams() + " x " + o.length() + " B each way per peer in " + millis(transportNanos)
        + " ms");
    f.put("relay event-loop CPU per tunnel datagram", String.format("%.1f us (%.1f us per copy read or sent; "
        + "whole process with the harness %.1f us per tunnel datagram)", cpu / 1e3 / tunnel, cpu / 1e3 / handled,
        pcpu / 1e3 / tunnel));

    // ---- checks
    int linksShort = fleet.linksShortOfTransport(o.datagrams(), c -> serverIndex[c] != 0);
    long crossDelivered = fleet.crossDelivered();
    f.put("cross-delivered to another peer's links", String.valueOf(crossDelivered));
    f.put("WireGuard: duplicates, missing, from another client's socket", wireGuard.transportDuplicates() + ", "
        + wireGuard.transportMissing(o.datagrams()) + ", " + wireGuard.transportFromWrongSocket() + " (sessions "
        + "roamed to another socket of their client: " + wireGuard.roams() + ")");
    f.put("links (of answered clients) short of WireGuard's transport", String.valueOf(linksShort));

    // ---- memory and descriptors, the relay alone
    long heap1 = ProcessProbe.heapAfterGc();
    long rss1 = ProcessProbe.rss();
    long direct1 = ProcessProbe.directMemory();
    int fds1 = ProcessProbe.openFds();
    f.put("heap per peer (relay)", String.format("%.0f B (%.1f MB for %d peers; heap after GC %.1f -> %.1f MB)",
        (heap1 - heap0) / (double) peersHeld, (heap1 - heap0) / 1e6, peersHeld, heap0 / 1e6, heap1 / 1e6));
    if (rss0 > 0 && rss1 > 0) {
      f.put("RSS per peer (relay)", String.format("%.0f B (%.1f MB, VmRSS %.0f -> %.0f MB)",
          (rss1 - rss0) / (double) peersHeld, (rss1 - rss0) / 1e6, rss0 / 1e6, rss1 / 1e6));
    }
    f.put("direct memory per peer (relay)", String.format("%.0f B (%.1f MB -> %.1f MB)",
        (direct1 - direct0) / (double) peersHeld, direct0 / 1e6, direct1 / 1e6));
    f.put("file descriptors per peer", fds0 < 0 || fds1 < 0 ? "unknown (no descriptor left to read /proc)"
        : String.format("%.2f (%d for %d peers of %d links: one towards WireGuard, one per member; %d open before, "
        + "%d of them the harness's)", (fds1 - fds0) / (double) peersHeld, fds1 - fds0, peersHeld, links, fds0,
        links + 1));

    // ---- the status document
    long[] times = new long[10];
    int size = 0;
    for (int i = 0; i < times.length; i++) {
      long a = System.nanoTime();
      JsonObject s = status(vertx);
      times[i] = System.nanoTime() - a;
      if (i == 0) {
        size = s.encode().length();
      }
    }
    Arrays.sort(times);
    f.put("relay status (event bus round trip)", String.format("median %.1f ms, max %.1f ms, %d KB encoded",
        times[times.length / 2] / 1e6, times[times.length - 1] / 1e6, size / 1024));
    long idle0 = ProcessProbe.eventLoopCpuNanos();
    Thread.sleep(o.idleSeconds() * 1000L);
    f.put("idle event-loop CPU without the web manager", String.format("%.1f ms/s",
        (ProcessProbe.eventLoopCpuNanos() - idle0) / (o.idleSeconds() * 1e6)));

    int clientSeries = 0;
    int peerSeries = 0;
    if (o.web()) {
      int[] series = web(vertx, config, f, heap1, peersHeld, o.idleSeconds());
      clientSeries = series[0];
      peerSeries = series[1];
    }
    JsonObject s = status(vertx);
    int active = 0;
    int ownSockets = 0;
    int members = 0;
    JsonArray peers = s.getJsonArray("peers");
    for (int i = 0; i < peers.size(); i++) {
      JsonObject p = peers.getJsonObject(i);
      active += "active".equals(p.getString("state")) ? 1 : 0;
      JsonArray addresses = p.getJsonArray("addresses");
      members += addresses.size();
      for (int j = 0; j < addresses.size(); j++) {
        ownSockets += addresses.getJsonObject(j).containsKey("socket") ? 1 : 0;
      }
    }
    f.put("relay: peers (active), members (own socket), addresses known", peers.size() + " (" + active + "), "
        + members + " (" + ownSockets + "), " + s.getInteger("addresses"));
    f.put("relay: limits, socketFailures, memberSocketFailures", s.getJsonObject("limits").encode() + ", "
        + s.getLong("socketFailures") + ", " + s.getLong("memberSocketFailures"));
    return new Result(n, links, handshaken, active, ownSockets, crossDelivered, wireGuard.transportDuplicates(),
        wireGuard.transportMissing(o.datagrams()), wireGuard.transportFromWrongSocket(),
        wireGuard.socketsOfTwoClients(), linksShort,
        s.getLong("socketFailures"), s.getLong("memberSocketFailures"), s.getJsonObject("limits"), clientSeries,
        peerSeries, f);
  }

  /** Deploys the web manager, lets it tick, and measures its heap, get-list, /metrics and the push's CPU. */
  private static int[] web(Vertx vertx, ServerConfig config, Map<String, String> f, long heapBefore, int peers,
                           int seconds) throws Exception {
    await(vertx.deployVerticle(new WebManager("server", config.webManager(),
        new ServerStatusSource(vertx, BusAddresses.DEFAULT, () -> config))));
    Thread.sleep(1500);
    long cpu0 = ProcessProbe.eventLoopCpuNanos();
    Thread.sleep(seconds * 1000L);
    f.put("event-loop CPU with the web manager's push", String.format("%.1f ms/s (status, rates, meters, JSON)",
        (ProcessProbe.eventLoopCpuNanos() - cpu0) / (seconds * 1e6)));
    long heap = ProcessProbe.heapAfterGc();
    f.put("heap per peer (web manager: meters, latest document)", String.format("%.0f B (%.1f MB; heap after GC "
        + "%.1f MB)", (heap - heapBefore) / (double) peers, (heap - heapBefore) / 1e6, heap / 1e6));
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + config.webManager().listenAddr().port();
    // Not parsed here: a tree of the 1,000-peer document would take more of this JVM's heap than the relay's peers.
    if (!timedGet(http, base + "/api/v1/get-list", "get-list", f).startsWith("{")) {
      throw new IllegalStateException("get-list is no JSON object");
    }
    String metrics = timedGet(http, base + "/metrics", "/metrics", f);
    int clientSeries = (int) metrics.lines().filter(l -> l.startsWith("rengarde_client_datagrams_received_total{"))
        .count();
    int peerSeries = (int) metrics.lines().filter(l -> l.startsWith("rengarde_peer_tunnel_received_total{")).count();
    long rengarde = metrics.lines().filter(l -> l.startsWith("rengarde_")).count();
    f.put("/metrics series", rengarde + " rengarde_* (" + clientSeries + " addresses, " + peerSeries + " peers), "
        + metrics.lines().filter(l -> !l.startsWith("#")).count() + " in all");
    return new int[] {clientSeries, peerSeries};
  }

  private static String timedGet(HttpClient http, String url, String name, Map<String, String> f) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(30)).build();
    long[] times = new long[5];
    String body = null;
    for (int i = 0; i < times.length; i++) {
      long a = System.nanoTime();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      times[i] = System.nanoTime() - a;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(name + ": HTTP " + r.statusCode());
      }
      body = r.body();
    }
    Arrays.sort(times);
    f.put(name, String.format("%d KB, median %.1f ms, max %.1f ms", body.length() / 1024,
        times[times.length / 2] / 1e6, times[times.length - 1] / 1e6));
    return body;
  }

  private static int expectedLinks(ClientFleet fleet, int n, int handshaken) {
    return handshaken == n ? fleet.links() : 0;
  }

  private static int linksOfAnswered(ClientFleet fleet, int[] serverIndex) {
    int links = 0;
    for (int c = 0; c < serverIndex.length; c++) {
      links += serverIndex[c] != 0 ? fleet.linksOfClient(c) : 0;
    }
    return links;
  }

  /** The relay's status once every member has its own socket (or 5 s have passed). */
  private static JsonObject waitForOwnSockets(Vertx vertx, int links) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      JsonObject s = status(vertx);
      int own = 0;
      JsonArray peers = s.getJsonArray("peers");
      for (int i = 0; i < peers.size(); i++) {
        JsonArray members = peers.getJsonObject(i).getJsonArray("addresses");
        for (int j = 0; j < members.size(); j++) {
          own += members.getJsonObject(j).containsKey("socket") ? 1 : 0;
        }
      }
      if (own + s.getLong("memberSocketFailures") >= links || System.nanoTime() > deadline) {
        return s;
      }
      Thread.sleep(50);
    }
  }

  private static JsonObject status(Vertx vertx) throws Exception {
    return (JsonObject) vertx.eventBus().request(BusAddresses.DEFAULT.serverStatus(), null)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
  }

  private static void waitFor(BooleanSupplier c, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!c.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
