package org.rengarde.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rengarde.bus.BusAddresses;
import org.rengarde.config.HostPort;
import org.rengarde.config.ServerConfig;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.config.WriteTimeout;
import org.rengarde.testing.UdpPeer;
import org.rengarde.testing.WireGuardMessages;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The running relay past {@link PeerLimits#maxPeers()} (4 here): a new client is refused before it reaches
 * WireGuard, the refusal is counted in the status and logged once, and nothing the relay holds grows with the
 * refused clients; the admitted ones keep working.
 */
class ServerRelayLimitsTest {
  private static final PeerLimits FOUR_PEERS = new PeerLimits(4, 4, 4, 8, 4, 4);

  private Vertx vertx;
  private UdpPeer wireGuard;
  private InetSocketAddress relay;
  private final List<UdpPeer> sockets = new ArrayList<>();
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Logger relayLog = Logger.getLogger(ServerRelay.class.getName());
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      warnings.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void setUp() throws Exception {
    relayLog.addHandler(capture);
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    wireGuard = new UdpPeer();
    int port;
    try (DatagramSocket probe = new DatagramSocket(0)) {
      port = probe.getLocalPort();
    }
    ServerConfig config = new ServerConfig("limits", new HostPort("127.0.0.1", port),
        new HostPort("127.0.0.1", wireGuard.port()), 30, WriteTimeout.fromConfigured(0), WebManagerConfig.OFF, true);
    vertx.deployVerticle(new ServerRelay(BusAddresses.DEFAULT, config, FOUR_PEERS)).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    relay = new InetSocketAddress("127.0.0.1", port);
  }

  @AfterEach
  void tearDown() throws Exception {
    relayLog.removeHandler(capture);
    sockets.forEach(UdpPeer::close);
    wireGuard.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private UdpPeer socket() throws Exception {
    UdpPeer p = new UdpPeer();
    sockets.add(p);
    return p;
  }

  private JsonObject status() throws Exception {
    return (JsonObject) vertx.eventBus().request(BusAddresses.DEFAULT.serverStatus(), null)
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).body();
  }

  /** A client of one link that WireGuard answered; returns the peer socket WireGuard saw it from. */
  private InetSocketAddress handshake(UdpPeer client, int index) throws Exception {
    client.send(WireGuardMessages.initiation(index), relay);
    InetSocketAddress peerSocket = wireGuard.receiveFrom(2000);
    assertNotNull(peerSocket, "WireGuard gets the initiation of client " + index);
    byte[] response = WireGuardMessages.response(0x7000 + index, index);
    wireGuard.send(response, peerSocket);
    assertArrayEquals(response, client.receive(2000), "client " + index + " gets its response");
    return peerSocket;
  }

  private long peerLimitWarnings() {
    return warnings.stream().filter(r -> r.getMessage().startsWith("Peer limit reached: PEERS")).count();
  }

  @Test
  void aClientPastMaxPeersIsRefusedCountedAndLoggedOnce() throws Exception {
    List<UdpPeer> admitted = new ArrayList<>();
    List<InetSocketAddress> peerSockets = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      UdpPeer client = socket();
      peerSockets.add(handshake(client, i));
      admitted.add(client);
    }
    UdpPeer fifth = socket();
    fifth.send(WireGuardMessages.initiation(5), relay);
    assertNull(wireGuard.receive(300), "the fifth client's initiation does not reach WireGuard");
    JsonObject s = status();
    assertEquals(1, s.getJsonObject("limits").getLong("peers"), s.encode());
    assertEquals(4, s.getJsonArray("peers").size());
    assertEquals(1, peerLimitWarnings(), "logged when first reached");

    for (int i = 0; i < 3; i++) {
      fifth.send(WireGuardMessages.initiation(5), relay);
    }
    for (int i = 0; i < 40; i++) {
      UdpPeer stranger = socket();
      stranger.send(WireGuardMessages.initiation(100 + i), relay);
      byte[] unknownIndex = WireGuardMessages.transport(64, 0x5000 + i, 0);
      // An unknown index asks for a peer on its second sighting (the first is refused as unknown).
      stranger.send(unknownIndex, relay);
      stranger.send(unknownIndex, relay);
    }
    assertNull(wireGuard.receive(300), "none of them reaches WireGuard");
    s = status();
    assertEquals(4 + 40 * 2, s.getJsonObject("limits").getLong("peers"), "each refusal counted: " + s.encode());
    assertEquals(1, peerLimitWarnings(), "and logged once only");
    assertEquals(4, s.getJsonArray("peers").size(), "no peer more");
    assertEquals(4, s.getInteger("addresses"), "no address kept for the refused");
    assertEquals(0, s.getInteger("tentativePeers"));
    assertEquals(0, s.getInteger("candidates"));

    for (int i = 0; i < 4; i++) {
      byte[] data = WireGuardMessages.transport(100, 0x7000 + i + 1, 1);
      admitted.get(i).send(data, relay);
      assertArrayEquals(data, wireGuard.receive(2000), "admitted client " + (i + 1) + " still reaches WireGuard");
      byte[] reply = WireGuardMessages.transport(120, i + 1, 1);
      wireGuard.send(reply, peerSockets.get(i));
      assertArrayEquals(reply, admitted.get(i).receive(2000), "and still gets its own replies");
    }
    assertNull(fifth.receive(200), "the refused client gets nothing");
  }
}
