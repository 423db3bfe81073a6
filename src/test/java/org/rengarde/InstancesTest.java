package org.rengarde;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rengarde.config.Role;
import org.rengarde.testing.WireGuardMessages;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two server instances of one file in one Vert.x, on loopback, each with its fake WireGuard and its web manager:
 * the program as {@code rengarde-server FILE} runs it. No datagram, figure or reload of one reaches the other.
 */
@ExtendWith(VertxExtension.class)
class InstancesTest {
  private static final long WAIT_MILLIS = 15_000;

  /** One instance's ports and what its fake WireGuard received. */
  private static final class Side {
    final String name;
    final int relayPort;
    final int webPort;
    DatagramSocket wireGuard;
    DatagramSocket client;
    final List<byte[]> atWireGuard = new CopyOnWriteArrayList<>();

    Side(String name) throws IOException {
      this.name = name;
      this.relayPort = freeUdpPort();
      this.webPort = freeTcpPort();
    }

    String entry(String description) {
      return "  - name: " + name + "\n"
          + "    server:\n"
          + "      description: " + description + "\n"
          + "      listenAddr: 127.0.0.1:" + relayPort + "\n"
          + "      dstAddr: 127.0.0.1:" + wireGuard.localAddress().port() + "\n"
          + "      webManager:\n"
          + "        listenAddr: 127.0.0.1:" + webPort + "\n";
    }

    int index() {
      return 0x0C00_0000 + relayPort;
    }
  }

  private Vertx vertx;
  private WebClient http;
  private Path file;
  private Side a;
  private Side b;

  @BeforeEach
  void setUp(@TempDir Path dir, VertxTestContext test) throws IOException {
    vertx = VertxSetup.create();
    http = WebClient.create(vertx);
    file = dir.resolve("engarde.yml");
    a = new Side("a");
    b = new Side("b");
    Future.all(open(a), open(b)).onComplete(test.succeedingThenComplete());
  }

  /** The fake WireGuard answers each initiation on the socket it came from, as WireGuard does. */
  private Future<Void> open(Side side) {
    DatagramSocket wireGuard = vertx.createDatagramSocket();
    wireGuard.handler(p -> {
      byte[] bytes = p.data().getBytes();
      side.atWireGuard.add(bytes);
      if (WireGuardMessages.type(bytes) == 1) {
        wireGuard.send(Buffer.buffer(WireGuardMessages.response(0x5000_0000 + side.relayPort,
            WireGuardMessages.senderIndex(bytes))), p.sender().port(), p.sender().host());
      }
    });
    DatagramSocket client = vertx.createDatagramSocket();
    client.handler(p -> { });
    return wireGuard.listen(0, "127.0.0.1").compose(s -> client.listen(0, "127.0.0.1")).onSuccess(s -> {
      side.wireGuard = wireGuard;
      side.client = client;
    }).mapEmpty();
  }

  @AfterEach
  void tearDown(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void aDatagramForOneInstanceNeverReachesTheOther(VertxTestContext test) throws IOException {
    write(a.entry("first") + b.entry("second"));
    byte[] toA = WireGuardMessages.initiation(a.index());
    byte[] toB = WireGuardMessages.initiation(b.index());
    deployBothRunning()
        .compose(id -> send(a, toA))
        .compose(v -> send(b, toB))
        .compose(v -> eventually(() -> Future.succeededFuture(!a.atWireGuard.isEmpty() && !b.atWireGuard.isEmpty())))
        // get-list is rebuilt once a second: wait until both show a client, and a little longer for strays
        .compose(v -> eventually(() -> Future.all(getList(a), getList(b)).map(lists ->
            !socketAddresses(lists.resultAt(0)).isEmpty() && !socketAddresses(lists.resultAt(1)).isEmpty())))
        .compose(v -> pause(300))
        .compose(v -> Future.all(getList(a), getList(b)))
        .onComplete(test.succeeding(lists -> test.verify(() -> {
          assertEquals(1, a.atWireGuard.size());
          assertArrayEquals(toA, a.atWireGuard.get(0));
          assertEquals(1, b.atWireGuard.size());
          assertArrayEquals(toB, b.atWireGuard.get(0));
          JsonObject listA = lists.resultAt(0);
          JsonObject listB = lists.resultAt(1);
          assertEquals("first", listA.getString("description"));
          assertEquals("second", listB.getString("description"));
          assertEquals("127.0.0.1:" + a.relayPort, listA.getString("listenAddress"));
          assertEquals("127.0.0.1:" + b.relayPort, listB.getString("listenAddress"));
          assertEquals(List.of(clientAddress(a)), socketAddresses(listA));
          assertEquals(List.of(clientAddress(b)), socketAddresses(listB));
          assertTrue(eventBusAddresses(listA).stream().allMatch(s -> s.startsWith("rengarde.a.")), listA::encode);
          test.completeNow();
        })));
  }

  @Test
  void eachWebManagerShowsItsOwnInstancesSeries(VertxTestContext test) throws IOException {
    write(a.entry("first") + b.entry("second"));
    deployBothRunning()
        .compose(id -> send(a, WireGuardMessages.initiation(a.index())))
        .compose(v -> send(b, WireGuardMessages.initiation(b.index())))
        .compose(v -> eventually(() -> metrics(a).map(text -> text.contains(addressLabel(a)))))
        .compose(v -> eventually(() -> metrics(b).map(text -> text.contains(addressLabel(b)))))
        .compose(v -> Future.all(metrics(a), metrics(b)))
        .onComplete(test.succeeding(texts -> test.verify(() -> {
          assertFalse(texts.<String>resultAt(0).contains(addressLabel(b)), "b's client in a's /metrics");
          assertFalse(texts.<String>resultAt(1).contains(addressLabel(a)), "a's client in b's /metrics");
          test.completeNow();
        })));
  }

  @Test
  void aChangeToOneInstanceLeavesTheOtherUntouched(VertxTestContext test) throws IOException {
    write(a.entry("first") + b.entry("second"));
    deployBothRunning()
        .compose(id -> send(b, WireGuardMessages.initiation(b.index())))
        .compose(v -> eventually(() -> getList(b).map(l -> !socketAddresses(l).isEmpty())))
        .compose(v -> writeLater(a.entry("first, edited") + b.entry("second")))
        .compose(v -> eventually(() -> getList(a).map(l -> l.getString("description").equals("first, edited"))))
        .compose(v -> getList(b))
        .onComplete(test.succeeding(listB -> test.verify(() -> {
          assertEquals("second", listB.getString("description"));
          assertEquals(List.of(clientAddress(b)), socketAddresses(listB), "b kept its client: it was not restarted");
          test.completeNow();
        })));
  }

  @Test
  void aBrokenSectionKeepsThatInstanceRunningAndTheOthersApply(VertxTestContext test) throws IOException {
    write(a.entry("first") + b.entry("second"));
    String brokenB = b.entry("second, edited").replace("listenAddr: 127.0.0.1:" + b.relayPort, "listenAddr: nowhere");
    deployBothRunning()
        .compose(id -> writeLater(a.entry("first, edited") + brokenB))
        .compose(v -> eventually(() -> getList(a).map(l -> l.getString("description").equals("first, edited"))))
        .compose(v -> eventually(() -> getList(b).map(l -> l.getString("configError") != null)))
        .compose(v -> Future.all(getList(a), getList(b)))
        .compose(lists -> send(b, WireGuardMessages.initiation(b.index())).map(lists))
        .compose(lists -> eventually(() -> Future.succeededFuture(!b.atWireGuard.isEmpty())).map(lists))
        .onComplete(test.succeeding(lists -> test.verify(() -> {
          JsonObject listA = lists.resultAt(0);
          JsonObject listB = lists.resultAt(1);
          assertNull(listA.getString("configError"));
          assertEquals("second", listB.getString("description"), "b keeps its running configuration");
          assertEquals(file + ": instance b: server.listenAddr: \"nowhere\" is not host:port (no port)",
              listB.getString("configError"));
          test.completeNow();
        })));
  }

  @Test
  void theValidInstancesStartWhenOneIsBroken(VertxTestContext test) throws IOException {
    write(a.entry("first") + b.entry("second").replace("dstAddr: 127.0.0.1:", "dstAddr: 127.0.0.1:x"));
    deploy()
        .compose(id -> getList(a))
        .onComplete(test.succeeding(listA -> test.verify(() -> {
          assertEquals("first", listA.getString("description"));
          test.completeNow();
        })));
  }

  @Test
  void anInstanceThatCannotListenLeavesTheOthersRunning(VertxTestContext test) throws IOException {
    write(a.entry("first") + b.entry("second"));
    DatagramSocket squatter = vertx.createDatagramSocket();
    squatter.listen(b.relayPort, "127.0.0.1")
        .compose(s -> deploy())
        .compose(id -> getList(a))
        .compose(listA -> getList(b).map(listB -> listA).recover(e -> Future.succeededFuture(listA.put("bDown", true))))
        .onComplete(test.succeeding(listA -> test.verify(() -> {
          assertEquals("first", listA.getString("description"));
          assertEquals(Boolean.TRUE, listA.getBoolean("bDown"), "b, whose port is taken, is not running");
          test.completeNow();
        })));
  }

  @Test
  void noValidInstanceFailsTheStartNamingEach(VertxTestContext test) throws IOException {
    write(a.entry("first").replace("listenAddr: 127.0.0.1:" + a.relayPort, "listenAddr: nowhere")
        + b.entry("second").replace("dstAddr: 127.0.0.1:", "dstAddr: 127.0.0.1:x"));
    deploy().onComplete(test.failing(e -> test.verify(() -> {
      assertTrue(e.getMessage().startsWith(file + ": no instance can start: " + file + ": instance a: server.listenAddr"),
          e.getMessage());
      assertTrue(e.getMessage().contains("; " + file + ": instance b: server.dstAddr"), e.getMessage());
      test.completeNow();
    })));
  }

  @Test
  void anInstanceAddedStartsAndOneRemovedStops(VertxTestContext test) throws IOException {
    write(a.entry("first"));
    deploy()
        .compose(id -> writeLater(a.entry("first") + b.entry("second")))
        .compose(v -> eventually(() -> getList(b).map(l -> "second".equals(l.getString("description")))
            .otherwise(false)))
        .compose(v -> writeLater(b.entry("second")))
        .compose(v -> eventually(() -> getList(a).map(l -> false).otherwise(true)))
        .compose(v -> getList(b))
        .onComplete(test.succeeding(listB -> test.verify(() -> {
          assertEquals("second", listB.getString("description"));
          test.completeNow();
        })));
  }

  // ---- helpers ----

  private void write(String entries) throws IOException {
    Files.writeString(file, "instances:\n" + entries);
  }

  /** A rewrite a little later than the last, so that the watcher sees a new modification time. */
  private Future<Void> writeLater(String entries) {
    return pause(1100).compose(v -> vertx.fileSystem().writeFile(file.toString(), Buffer.buffer("instances:\n" + entries)));
  }

  private Future<String> deploy() {
    return vertx.deployVerticle(new RengardeVerticle(),
        new DeploymentOptions().setConfig(RengardeVerticle.deploymentConfig(Role.SERVER, file)));
  }

  private Future<Void> send(Side side, byte[] datagram) {
    return side.client.send(Buffer.buffer(datagram), side.relayPort, "127.0.0.1");
  }

  /**
   * Deploys, then waits until both instances answer get-list. A port the test picked as free can be taken for a
   * moment by another socket (a CI run lost instance b's listen port to one and started b a second later, on the
   * reload's retry, after the test's datagram to it had been sent and lost).
   */
  private Future<String> deployBothRunning() {
    return deploy().compose(id -> eventually(() -> Future.all(getList(a), getList(b)).map(true)).map(id));
  }

  private Future<JsonObject> getList(Side side) {
    return http.get(side.webPort, "127.0.0.1", "/api/v1/get-list").send().map(HttpResponse::bodyAsJsonObject);
  }

  private Future<String> metrics(Side side) {
    return http.get(side.webPort, "127.0.0.1", "/metrics").send().map(HttpResponse::bodyAsString);
  }

  private static String clientAddress(Side side) {
    return "127.0.0.1:" + side.client.localAddress().port();
  }

  private static String addressLabel(Side side) {
    return "address=\"" + clientAddress(side) + "\"";
  }

  private static List<String> socketAddresses(JsonObject list) {
    JsonArray sockets = list.getJsonArray("sockets", new JsonArray());
    return sockets.stream().map(s -> ((JsonObject) s).getString("address")).toList();
  }

  private static List<String> eventBusAddresses(JsonObject list) {
    JsonArray rows = list.getJsonArray("eventBus", new JsonArray());
    return rows.stream().map(r -> ((JsonObject) r).getString("address")).toList();
  }

  private Future<Void> pause(long millis) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(millis, id -> done.complete());
    return done.future();
  }

  /** Asks every 100 ms until the answer is true; fails after {@link #WAIT_MILLIS}. */
  private Future<Void> eventually(Supplier<Future<Boolean>> check) {
    Promise<Void> done = Promise.promise();
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    attempt(check, deadline, done);
    return done.future();
  }

  private void attempt(Supplier<Future<Boolean>> check, long deadline, Promise<Void> done) {
    check.get().otherwise(false).onComplete(ar -> {
      if (Boolean.TRUE.equals(ar.result())) {
        done.complete();
      } else if (System.currentTimeMillis() > deadline) {
        done.fail("still not so after " + WAIT_MILLIS + " ms");
      } else {
        vertx.setTimer(100, id -> attempt(check, deadline, done));
      }
    });
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static int freeUdpPort() throws IOException {
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
