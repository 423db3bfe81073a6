package org.rengarde.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.rengarde.VertxSetup;
import org.rengarde.bus.BusAddresses;
import org.rengarde.client.Dispatcher;
import org.rengarde.client.InterfaceInfo;
import org.rengarde.client.InterfaceWatcher;
import org.rengarde.config.ClientConfig;
import org.rengarde.config.HostPort;
import org.rengarde.config.ServerConfig;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.config.WriteTimeout;
import org.rengarde.server.ServerRelay;
import org.rengarde.testing.UdpPeer;
import org.rengarde.testing.WireGuardMessages;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real verticles on loopback for the web manager tests: a server (relay, fake WireGuard, web manager) or a client
 * (Dispatcher, Interface Watcher over scripted interfaces, web manager), and an HTTP client to talk to them. One
 * Vert.x instance per test, made by {@link VertxSetup} so the Micrometer registry exists, closed after each test
 * (the default registry is global to the JVM).
 */
abstract class WebManagerTestSupport {
  static final String USER = "admin";
  static final String PASSWORD = "s3cret";

  protected Vertx vertx;
  protected WebClient http;
  private final List<UdpPeer> peers = new ArrayList<>();
  private final List<String> deployments = new ArrayList<>();
  /** Every record logged at INFO or above during the test, from any logger. */
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler logCapture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.INFO.intValue()) {
        logged.add(record);
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  /** What a server set-up is made of. */
  record ServerSetup(int webPort, InetSocketAddress relay, UdpPeer wireGuard, ServerConfig config) {
  }

  /** What a client set-up is made of. */
  record ClientSetup(int webPort, ClientConfig config) {
  }

  @BeforeEach
  void createVertx() {
    Logger.getLogger("").addHandler(logCapture);
    vertx = VertxSetup.create();
    http = WebClient.create(vertx);
  }

  /** Deploys and remembers the deployment, so that the close can undeploy in reverse order. */
  void deploy(io.vertx.core.Deployable verticle) throws Exception {
    deployments.add(0, await(vertx.deployVerticle(verticle)));
  }

  /**
   * Undeploys in reverse order before closing, as the program stops: the Interface Watcher's stop waits for the links
   * it is still starting. Closing Vert.x with a link's start in flight makes Vert.x fail that start and then throw
   * "Promise already completed" when the start completes (logged at SEVERE by ContextImpl).
   */
  @AfterEach
  void closeVertx() throws Exception {
    http.close();
    for (String id : deployments) {
      vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    peers.forEach(UdpPeer::close);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Logger.getLogger("").removeHandler(logCapture);
    assertNoStackTraceLogged();
  }

  /** A stranger's request must not put a stack trace in the log at INFO or above (nor can our own start-up). */
  private void assertNoStackTraceLogged() {
    for (LogRecord r : logged) {
      if (r.getThrown() != null) {
        StringBuilder where = new StringBuilder();
        StackTraceElement[] frames = r.getThrown().getStackTrace();
        for (int i = 0; i < Math.min(4, frames.length); i++) {
          where.append(" at ").append(frames[i]);
        }
        fail("logged at " + r.getLevel() + " with a stack trace by " + r.getLoggerName() + ": " + r.getMessage()
            + ": " + r.getThrown() + where, r.getThrown());
      }
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The failure of a future that must fail. */
  static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    return fail("expected a failure");
  }

  static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  UdpPeer peer() throws IOException {
    UdpPeer p = new UdpPeer();
    peers.add(p);
    return p;
  }

  static WebManagerConfig web(int port, String user, String password) {
    return web(port, user, password, List.of());
  }

  static WebManagerConfig web(int port, String user, String password, List<String> allowedHosts) {
    return new WebManagerConfig(new HostPort("127.0.0.1", port), user, password, allowedHosts);
  }

  // ---- server ----

  ServerSetup startServer(String user, String password) throws Exception {
    UdpPeer wireGuard = peer();
    int relayPort = freeUdpPort();
    int webPort = freeTcpPort();
    WebManagerConfig webCfg = web(webPort, user, password);
    ServerConfig config = new ServerConfig("test server", new HostPort("127.0.0.1", relayPort),
        new HostPort("127.0.0.1", wireGuard.port()), 30, WriteTimeout.fromConfigured(0), webCfg, true);
    deploy(new ServerRelay(BusAddresses.DEFAULT, config));
    deploy(new WebManager("server", webCfg, new ServerStatusSource(vertx, BusAddresses.DEFAULT, () -> config)));
    return new ServerSetup(webPort, new InetSocketAddress("127.0.0.1", relayPort), wireGuard, config);
  }

  /**
   * A new client of one link that the relay admitted: its initiation reached WireGuard, which answered it on the
   * socket it came from (the peer's own), and the response came back to the client.
   */
  UdpPeer connectClient(ServerSetup server) throws Exception {
    UdpPeer client = peer();
    int index = 0x0C00_0000 + client.port();
    byte[] init = WireGuardMessages.initiation(index);
    client.send(init, server.relay());
    UdpPeer.Received arrived = server.wireGuard().receiveDatagram(UdpPeer.WAIT_MILLIS);
    assertNotNull(arrived, "WireGuard gets the client's initiation");
    assertArrayEquals(init, arrived.bytes());
    byte[] response = WireGuardMessages.response(0x5000_0000 + client.port(), index);
    server.wireGuard().send(response, arrived.from());
    assertArrayEquals(response, client.receive(UdpPeer.WAIT_MILLIS), "the client gets WireGuard's response");
    return client;
  }

  // ---- client ----

  /**
   * The scripted machine. None of these interfaces gets a link, so no socket is bound to a device that does not
   * exist here: lo has no eligible address, eth9 none at all, wg0 is excluded by the configuration, eth7 is down.
   */
  static List<InterfaceInfo> scriptedInterfaces() throws IOException {
    return List.of(
        new InterfaceInfo("lo", 1, true, List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))),
        new InterfaceInfo("eth9", 2, true, List.of()),
        new InterfaceInfo("wg0", 3, true, List.of(InetAddress.getByAddress(new byte[] {10, 9, 0, 2}))),
        new InterfaceInfo("eth7", 4, false, List.of(InetAddress.getByAddress(new byte[] {10, 8, 0, 2}))));
  }

  ClientSetup startClient(String user, String password) throws Exception {
    return startClient(user, password, List.of());
  }

  ClientSetup startClient(String user, String password, List<String> allowedHosts) throws Exception {
    int listenPort = freeUdpPort();
    int webPort = freeTcpPort();
    WebManagerConfig webCfg = web(webPort, user, password, allowedHosts);
    HostPort listen = new HostPort("127.0.0.1", listenPort);
    ClientConfig config = new ClientConfig("test client", listen, new HostPort("127.0.0.1", freeUdpPort()),
        WriteTimeout.fromConfigured(0), Set.of("wg0"), Map.of("eth9", "Spare"), List.of(), webCfg,
        ClientConfig.DEFAULT_POLL_INTERVAL_MILLIS);
    List<InterfaceInfo> interfaces = scriptedInterfaces();
    deploy(new Dispatcher(BusAddresses.DEFAULT, listen, 64 * 1024, true));
    deploy(new InterfaceWatcher(BusAddresses.DEFAULT, config, () -> interfaces, null));
    deploy(new WebManager("client", webCfg, new ClientStatusSource(vertx, BusAddresses.DEFAULT)));
    return new ClientSetup(webPort, config);
  }

  // ---- HTTP ----

  HttpRequest<Buffer> request(HttpMethod method, int port, String path) {
    return http.request(method, port, "127.0.0.1", path);
  }

  HttpResponse<Buffer> get(int port, String path) throws Exception {
    return await(request(HttpMethod.GET, port, path).send());
  }

  HttpResponse<Buffer> post(int port, String path, String body) throws Exception {
    return await(request(HttpMethod.POST, port, path).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)));
  }

  /** POSTs {"interface": name} and returns the JSON answer, which must come with a 200. */
  JsonObject command(int port, String path, String name) throws Exception {
    HttpResponse<Buffer> r = post(port, path, new JsonObject().put("interface", name).encode());
    if (r.statusCode() != 200) {
      fail(path + " " + name + ": HTTP " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  JsonObject getList(int port) throws Exception {
    HttpResponse<Buffer> r = get(port, "/api/v1/get-list");
    if (r.statusCode() != 200) {
      fail("get-list: HTTP " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  /** get-list, asked again until {@code condition} holds (at most {@code millis}); the last document otherwise. */
  JsonObject getListUntil(int port, long millis, Predicate<JsonObject> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    JsonObject doc = getList(port);
    while (!condition.test(doc) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      doc = getList(port);
    }
    return doc;
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The entry of one interface in a client get-list document. */
  static JsonObject iface(JsonObject doc, String name) {
    JsonArray interfaces = doc.getJsonArray("interfaces");
    for (int i = 0; i < interfaces.size(); i++) {
      if (name.equals(interfaces.getJsonObject(i).getString("name"))) {
        return interfaces.getJsonObject(i);
      }
    }
    return fail("no interface " + name + " in " + doc.encode());
  }

  static String statusOf(JsonObject doc, String name) {
    return iface(doc, name).getString("status");
  }
}
