package org.rengarde.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.rengarde.bus.BusAddresses;
import org.rengarde.cli.Version;
import org.rengarde.testing.UdpPeer;
import org.rengarde.testing.WireGuardMessages;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's web manager over real HTTP, in front of a real relay on loopback. */
class ServerWebManagerTest extends WebManagerTestSupport {

  @Test
  void getListIsEngardesServerDocument() throws Exception {
    ServerSetup server = startServer("", "");
    UdpPeer client = connectClient(server);
    JsonObject doc = getList(server.webPort());
    // Whole seconds since the address was last heard: 0 unless this machine is slow.
    long last = doc.getJsonArray("sockets").getJsonObject(0).getLong("last", -1L);
    assertTrue(last >= 0 && last <= 2, doc.encode());
    JsonObject expected = new JsonObject()
        .put("type", "server")
        .put("version", Version.get())
        .put("description", "test server")
        .put("listenAddress", "127.0.0.1:" + server.relay().getPort())
        .put("dstAddress", "127.0.0.1:" + server.wireGuard().port())
        .put("sockets", new JsonArray().add(new JsonObject()
            .put("address", "127.0.0.1:" + client.port())
            .put("last", last)));
    EngardeJson.assertContains(expected, doc);
  }

  /**
   * get-list answers from the document the push builds once a second: asking it many times does not ask the
   * relay (on its packet event loop) for its status each time.
   */
  @Test
  void getListDoesNotAskTheRelayEachTime() throws Exception {
    ServerSetup server = startServer("", "");
    getList(server.webPort());
    long start = System.nanoTime();
    double before = statusRequests(server.webPort());
    assertTrue(before >= 1, "the first get-list asked the relay, and /metrics counts it");
    int asked = 30;
    for (int i = 0; i < asked; i++) {
      getList(server.webPort());
    }
    double after = statusRequests(server.webPort());
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertTrue(after - before <= seconds + 2,
        (after - before) + " status requests for " + asked + " get-lists in " + seconds + " s (pushes: one a second)");
  }

  /** How many status requests the relay has received, from /metrics. */
  private double statusRequests(int port) throws Exception {
    String prefix = "vertx_eventbus_received_total{";
    return get(port, "/metrics").bodyAsString().lines()
        .filter(l -> l.startsWith(prefix) && l.contains("address=\"rengarde.server.status\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void getListHasThePeersWithTheirAddressesAndTunnelLoss() throws Exception {
    ServerSetup server = startServer("", "");
    UdpPeer first = connectClient(server);
    UdpPeer second = connectClient(server);
    JsonArray peers = getList(server.webPort()).getJsonArray("peers");
    assertEquals(2, peers.size(), peers.encode());
    Set<String> seen = new HashSet<>();
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < peers.size(); i++) {
      JsonObject peer = peers.getJsonObject(i);
      ids.add(peer.getInteger("id"));
      assertEquals("active", peer.getString("state"));
      JsonArray addresses = peer.getJsonArray("addresses");
      assertEquals(1, addresses.size(), "one link each");
      JsonObject a = addresses.getJsonObject(0);
      seen.add(a.getString("address"));
      assertEquals(1, a.getJsonObject("stats").getLong("datagramsIn"), "its initiation");
      assertEquals(1, a.getJsonObject("stats").getLong("datagramsOut"), "WireGuard's response");
      assertEquals(0, a.getJsonObject("quality").getJsonObject("total").getLong("missing"), a.encode());
      JsonObject loss = peer.getJsonObject("tunnelLoss");
      assertNotNull(loss, peer.encode());
      assertEquals(0, loss.getJsonObject("total").getLong("lost"));
      assertTrue(peer.getString("socket").startsWith("127.0."), "its own socket on loopback: " + peer.encode());
    }
    assertEquals(2, ids.size(), "distinct ids");
    assertEquals(Set.of("127.0.0.1:" + first.port(), "127.0.0.1:" + second.port()), seen);
  }

  @Test
  void eventsStreamPushesTheStatusDocument() throws Exception {
    ServerSetup server = startServer("", "");
    HttpClientAgent client = vertx.createHttpClient();
    try {
      CompletableFuture<String> contentType = new CompletableFuture<>();
      CompletableFuture<JsonObject> firstEvent = new CompletableFuture<>();
      StringBuilder received = new StringBuilder();
      client.request(HttpMethod.GET, server.webPort(), "127.0.0.1", "/api/v1/events")
          .compose(HttpClientRequest::send)
          .onFailure(firstEvent::completeExceptionally)
          .onSuccess(response -> {
            contentType.complete(response.getHeader("Content-Type"));
            response.exceptionHandler(firstEvent::completeExceptionally);
            response.handler(chunk -> {
              received.append(chunk.toString());
              JsonObject event = firstDataEvent(received.toString());
              if (event != null) {
                firstEvent.complete(event);
              }
            });
          });
      JsonObject event = firstEvent.get(3, TimeUnit.SECONDS);
      assertTrue(contentType.get(1, TimeUnit.SECONDS).startsWith("text/event-stream"), contentType.get());
      assertEquals("server", event.getString("type"));
      assertNotNull(event.getJsonArray("sockets"), event.encode());
    } finally {
      await(client.close());
    }
  }

  /** The JSON of the first complete {@code data:} event (ended by a blank line) in an event-stream text, or null. */
  private static JsonObject firstDataEvent(String stream) {
    int end = 0;
    int blank;
    while ((blank = stream.indexOf("\n\n", end)) >= 0) {
      for (String line : stream.substring(end, blank).split("\n")) {
        if (line.startsWith("data: {")) {
          return new JsonObject(line.substring("data: ".length()));
        }
      }
      end = blank + 2;
    }
    return null;
  }

  @Test
  void metricsHaveThePerClientCountersAndTheEventBus() throws Exception {
    ServerSetup server = startServer("", "");
    UdpPeer client = connectClient(server);
    UdpPeer stranger = peer();
    stranger.send(WireGuardMessages.initiation(0x0BAD), server.relay());
    assertNotNull(server.wireGuard().receive(UdpPeer.WAIT_MILLIS), "WireGuard judges it, and does not answer");
    String series = "rengarde_client_datagrams_received_total{address=\"127.0.0.1:" + client.port()
        + "\",peer=\"1\"}";
    Thread.sleep(1500);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    HttpResponse<Buffer> r = get(server.webPort(), "/metrics");
    while (!r.bodyAsString().contains(series) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      r = get(server.webPort(), "/metrics");
    }
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/plain"), r.getHeader("Content-Type"));
    String text = r.bodyAsString();
    String line = text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no " + series + " in /metrics; its rengarde lines:\n"
            + String.join("\n", text.lines().filter(l -> l.contains("rengarde")).toList())));
    assertEquals(1.0, Double.parseDouble(line.substring(series.length() + 1).trim()), line);
    assertFalse(text.contains("address=\"127.0.0.1:" + stranger.port() + "\""),
        "an address that proved nothing is no client: no meters of its own");
    assertTrue(text.lines().anyMatch(l -> l.startsWith("vertx_eventbus_")), "event bus metrics present");
  }

  @Test
  void aPortInUseFailsTheDeploymentNamingTheKeyAndTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      WebManager web = new WebManager("server", web(port, "", ""),
          new ServerStatusSource(vertx, BusAddresses.DEFAULT, () -> {
            throw new AssertionError("never asked: the web manager does not start");
          }));
      String message = awaitFailure(vertx.deployVerticle(web)).getMessage();
      assertTrue(message.contains("webManager.listenAddr"), message);
      assertTrue(message.contains("127.0.0.1:" + port), message);
    }
  }
}
