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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The running server relay on loopback, with plain sockets standing in for WireGuard and for client links. */
class ServerRelayTest {
  private Vertx vertx;
  private UdpPeer wireGuard;
  private InetSocketAddress relay;
  private final List<UdpPeer> peers = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    wireGuard = new UdpPeer();
  }

  @AfterEach
  void tearDown() throws Exception {
    peers.forEach(UdpPeer::close);
    wireGuard.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void startRelay(int clientTimeoutSeconds, boolean filter) throws Exception {
    int port;
    try (DatagramSocket probe = new DatagramSocket(0)) {
      port = probe.getLocalPort();
    }
    ServerConfig config = new ServerConfig("test", new HostPort("127.0.0.1", port),
        new HostPort("127.0.0.1", wireGuard.port()), clientTimeoutSeconds, WriteTimeout.fromConfigured(0),
        WebManagerConfig.OFF, filter);
    vertx.deployVerticle(new ServerRelay(config)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    relay = new InetSocketAddress("127.0.0.1", port);
  }

  private UdpPeer client() throws Exception {
    UdpPeer p = new UdpPeer();
    peers.add(p);
    return p;
  }

  private JsonObject status() throws Exception {
    return (JsonObject) vertx.eventBus().request(BusAddresses.SERVER_STATUS, null)
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).body();
  }

  /** Sends from the client until WireGuard has it: makes the client known to the relay. */
  private InetSocketAddress connect(UdpPeer client) throws Exception {
    byte[] hello = WireGuardMessages.transport(64, 1, client.port());
    client.send(hello, relay);
    byte[] got = wireGuard.receive(2000);
    assertArrayEquals(hello, got, "WireGuard gets the client's datagram unchanged");
    return client.address();
  }

  @Test
  void forwardsClientDatagramsToWireGuardUnchanged() throws Exception {
    startRelay(30, true);
    UdpPeer client = client();
    byte[] init = WireGuardMessages.initiation();
    client.send(init, relay);
    assertArrayEquals(init, wireGuard.receive(2000));
    byte[] data = WireGuardMessages.transport(1400, 7, 1);
    client.send(data, relay);
    assertArrayEquals(data, wireGuard.receive(2000));
  }

  @Test
  void wireGuardSeesOneStableSourceForAllClients() throws Exception {
    startRelay(30, true);
    UdpPeer a = client();
    UdpPeer b = client();
    a.send(WireGuardMessages.transport(40, 1, 1), relay);
    InetSocketAddress first = wireGuard.receiveFrom(2000);
    b.send(WireGuardMessages.transport(40, 1, 2), relay);
    InetSocketAddress second = wireGuard.receiveFrom(2000);
    assertNotNull(first);
    assertEquals(first, second);
  }

  @Test
  void fansOutEveryWireGuardDatagramToEveryLiveClient() throws Exception {
    startRelay(30, true);
    List<UdpPeer> clients = List.of(client(), client(), client());
    for (UdpPeer c : clients) {
      connect(c);
    }
    InetSocketAddress relayToWireGuard = null;
    UdpPeer first = clients.get(0);
    first.send(WireGuardMessages.transport(48, 9, 9), relay);
    relayToWireGuard = wireGuard.receiveFrom(2000);
    byte[] reply = WireGuardMessages.transport(1200, 3, 77);
    wireGuard.send(reply, relayToWireGuard);
    for (UdpPeer c : clients) {
      assertArrayEquals(reply, c.receive(2000), "each client address gets a copy");
    }
    assertEquals(3, status().getJsonArray("sockets").size());
  }

  @Test
  void forgetsClientsSilentForClientTimeout() throws Exception {
    startRelay(1, true);
    UdpPeer client = client();
    connect(client);
    client.send(WireGuardMessages.transport(40, 1, 5), relay);
    InetSocketAddress relayToWireGuard = wireGuard.receiveFrom(2000);
    Thread.sleep(2300);
    assertEquals(0, status().getJsonArray("sockets").size(), "the timer expired it without any WireGuard traffic");
    wireGuard.send(WireGuardMessages.transport(40, 2, 1), relayToWireGuard);
    assertNull(client.receive(500), "an expired address gets no more replies");
  }

  @Test
  void refusesAndCountsDatagramsNotShapedLikeWireGuard() throws Exception {
    startRelay(30, true);
    UdpPeer stranger = client();
    stranger.send("hello, anyone there?".getBytes(), relay);
    stranger.send(new byte[148], relay);
    assertNull(wireGuard.receive(500), "junk never reaches WireGuard");
    JsonObject s = status();
    assertEquals(2, s.getLong("refusedDatagrams"));
    assertEquals(0, s.getJsonArray("sockets").size(), "and the stranger is not a client");

    UdpPeer client = client();
    connect(client);
    client.send(WireGuardMessages.transport(40, 1, 1), relay);
    wireGuard.send(WireGuardMessages.transport(40, 2, 2), wireGuard.receiveFrom(2000));
    assertNotNull(client.receive(2000));
    assertNull(stranger.receive(300), "the stranger gets no copy of the tunnel's traffic");
  }

  @Test
  void relaysAnyUdpPayloadWhenTheFilterIsOff() throws Exception {
    startRelay(30, false);
    UdpPeer client = client();
    byte[] rtp = "not wireguard at all".getBytes();
    client.send(rtp, relay);
    assertArrayEquals(rtp, wireGuard.receive(2000));
  }

  @Test
  void carriesSixtyKilobyteDatagramsIntactBothWays() throws Exception {
    startRelay(30, true);
    UdpPeer client = client();
    byte[] big = WireGuardMessages.transport(60_000, 5, 5);
    client.send(big, relay);
    byte[] atWireGuard = wireGuard.receive(2000);
    assertArrayEquals(big, atWireGuard);
    client.send(WireGuardMessages.transport(40, 1, 1), relay);
    InetSocketAddress back = wireGuard.receiveFrom(2000);
    byte[] bigReply = WireGuardMessages.transport(65_507, 6, 6);
    wireGuard.send(bigReply, back);
    assertArrayEquals(bigReply, client.receive(2000));
  }

  @Test
  void aClientAddressThatRefusesPacketsDoesNotDisturbTheOthers() throws Exception {
    startRelay(30, true);
    UdpPeer gone = client();
    UdpPeer a = client();
    UdpPeer b = client();
    connect(gone);
    connect(a);
    connect(b);
    a.send(WireGuardMessages.transport(40, 1, 1), relay);
    InetSocketAddress back = wireGuard.receiveFrom(2000);
    gone.close();
    int n = 200;
    for (int i = 0; i < n; i++) {
      wireGuard.send(WireGuardMessages.transport(100, 4, i), back);
    }
    for (UdpPeer live : List.of(a, b)) {
      int got = 0;
      while (live.receive(1000) != null) {
        got++;
      }
      assertEquals(n, got, "every reply reaches the live addresses although one refuses (ICMP port unreachable)");
    }
  }

  @Test
  void afterAHandshakeOnlyClientsNamingWireGuardsIndexGetTheTunnelsTraffic() throws Exception {
    startRelay(30, true);
    UdpPeer client = client();
    UdpPeer stranger = client();
    client.send(WireGuardMessages.initiation(), relay);
    InetSocketAddress back = wireGuard.receiveFrom(2000);
    byte[] response = WireGuardMessages.response(0x5151, 0x7777);
    wireGuard.send(response, back);
    assertArrayEquals(response, client.receive(2000), "the initiator gets WireGuard's handshake response");

    byte[] data = WireGuardMessages.transport(200, 0x5151, 1);
    client.send(data, relay);
    assertArrayEquals(data, wireGuard.receive(2000), "a transport message naming WireGuard's index passes");
    stranger.send(WireGuardMessages.transport(200, 0x9999, 1), relay);
    assertNull(wireGuard.receive(300), "a guessed index does not");

    byte[] reply = WireGuardMessages.transport(300, 0x7777, 1);
    wireGuard.send(reply, back);
    assertArrayEquals(reply, client.receive(2000));
    assertNull(stranger.receive(300), "the stranger gets no copy of the tunnel's traffic");
    assertEquals(1, status().getJsonArray("sockets").size());
  }

  @Test
  void anInitiatorGetsNoTransportMessagesUntilItNamesAnIndex() throws Exception {
    startRelay(30, true);
    UdpPeer member = client();
    connect(member);
    UdpPeer initiator = client();
    initiator.send(WireGuardMessages.initiation(), relay);
    InetSocketAddress back = wireGuard.receiveFrom(2000);
    byte[] reply = WireGuardMessages.transport(300, 3, 3);
    wireGuard.send(reply, back);
    assertArrayEquals(reply, member.receive(2000));
    assertNull(initiator.receive(300), "a spoofed initiation cannot turn the relay into a reflector of data");
  }
}
