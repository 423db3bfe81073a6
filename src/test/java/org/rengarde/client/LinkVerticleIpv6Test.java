package org.rengarde.client;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rengarde.bus.BusAddresses;
import org.rengarde.bus.DatagramCodec;
import org.rengarde.config.HostPort;
import org.rengarde.testing.UdpPeer;
import org.rengarde.testing.WireGuardMessages;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client over IPv6 on loopback: WireGuard talks to the Dispatcher on {@code [::1]}, a link bound to lo's
 * {@code ::1} carries the datagrams to a server on {@code [::1]} and back; the status shows bracketed addresses.
 * Device binding needs root or CAP_NET_RAW, as the links do in production.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class LinkVerticleIpv6Test {
  private static final InetAddress V6_LOOPBACK = address("::1");
  private Vertx vertx;
  private UdpPeer wireGuard;
  private UdpPeer server;

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    DatagramCodec.register(vertx.eventBus());
    wireGuard = new UdpPeer(V6_LOOPBACK);
    server = new UdpPeer(V6_LOOPBACK);
  }

  @AfterEach
  void tearDown(VertxTestContext test) {
    wireGuard.close();
    server.close();
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void aLinkToAnIpv6ServerCarriesBothWays(VertxTestContext test) throws Exception {
    int listenPort;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(V6_LOOPBACK, 0))) {
      listenPort = probe.getLocalPort();
    }
    HostPort listen = new HostPort("::1", listenPort);
    HostPort destination = new HostPort("::1", server.port());
    LinkSpec spec = new LinkSpec("lo", NetworkInterface.getByName("lo").getIndex(), V6_LOOPBACK, destination,
        new InetSocketAddress(V6_LOOPBACK, server.port()));
    vertx.deployVerticle(new Dispatcher(BusAddresses.DEFAULT, listen, 64 * 1024, true))
        .compose(d -> vertx.deployVerticle(new LinkVerticle(BusAddresses.DEFAULT, spec, 0, 64 * 1024, null, true)))
        .onComplete(test.succeeding(id -> new Thread(() -> {
          try {
            scenario(listenPort);
            test.completeNow();
          } catch (Throwable e) {
            test.failNow(e);
          }
        }, "scenario").start()));
  }

  private void scenario(int listenPort) throws Exception {
    InetSocketAddress dispatcher = new InetSocketAddress(V6_LOOPBACK, listenPort);
    byte[] init = WireGuardMessages.initiation(0x0C00_0001);
    wireGuard.send(init, dispatcher);
    UdpPeer.Received up = server.receiveDatagram(UdpPeer.WAIT_MILLIS);
    assertNotNull(up, "the initiation reaches the server over the IPv6 link");
    assertArrayEquals(init, up.bytes());
    assertEquals(V6_LOOPBACK, up.from().getAddress(), "sent from the link's IPv6 source");
    byte[] response = WireGuardMessages.response(0x5000_0001, 0x0C00_0001);
    server.send(response, up.from());
    assertArrayEquals(response, wireGuard.receive(UdpPeer.WAIT_MILLIS), "the answer reaches WireGuard");

    JsonObject link = request(BusAddresses.DEFAULT.linkStats("lo"));
    assertEquals("::1", link.getString("senderAddress"));
    assertEquals("[::1]:" + server.port(), link.getString("dstAddress"));
    JsonObject dispatcherStats = request(BusAddresses.DEFAULT.dispatcherStats());
    assertEquals("[::1]:" + listenPort, dispatcherStats.getString("listenAddress"));
    assertEquals("[::1]:" + wireGuard.port(), dispatcherStats.getString("wireGuardAddress"));
    assertTrue(link.getJsonObject("stats").getLong("datagramsOut") >= 1, link.encode());
  }

  private JsonObject request(String address) throws Exception {
    return (JsonObject) vertx.eventBus().request(address, null).await(5, TimeUnit.SECONDS).body();
  }
}
