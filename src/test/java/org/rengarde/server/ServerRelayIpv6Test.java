package org.rengarde.server;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rengarde.bus.BusAddresses;
import org.rengarde.bus.LocalCodec;
import org.rengarde.config.HostPort;
import org.rengarde.config.ServerConfig;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.config.WriteTimeout;
import org.rengarde.testing.FakeWireGuard;
import org.rengarde.testing.FakeWireGuard.Arrival;
import org.rengarde.testing.FakeWireGuard.Session;
import org.rengarde.testing.UdpPeer;
import org.rengarde.testing.WireGuardClient;
import org.rengarde.testing.WireGuardMessages;

import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server relay listening on {@code [::]}: IPv4 and IPv6 clients on one port, each answered from the very
 * address it sent to (a link's socket is connected to the server address, so a reply from another address is
 * dropped), with WireGuard on IPv4 or IPv6 loopback.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class ServerRelayIpv6Test {
  private static final int QUIET_MILLIS = 150;
  private static final int DATAGRAMS = 10;
  private static final InetAddress V6_LOOPBACK = address("::1");
  private static final InetAddress V4_LOOPBACK = address("127.0.0.1");

  private Vertx vertx;
  private FakeWireGuard wireGuard;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private int port;

  private interface Scenario {
    void run() throws Exception;
  }

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
    wireGuard = new FakeWireGuard();
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("::", 0))) {
      port = probe.getLocalPort();
    }
  }

  @AfterEach
  void tearDown(VertxTestContext test) throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    wireGuard.close();
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private void run(VertxTestContext test, HostPort dstAddr, Scenario scenario) {
    ServerConfig config = new ServerConfig("test", new HostPort("::", port), dstAddr, 30,
        WriteTimeout.fromConfigured(0), WebManagerConfig.OFF, true);
    vertx.deployVerticle(new ServerRelay(BusAddresses.DEFAULT, config)).onComplete(test.succeeding(id -> {
      Thread t = new Thread(() -> {
        try {
          scenario.run();
          test.completeNow();
        } catch (Throwable e) {
          test.failNow(e);
        }
      }, "scenario");
      t.setDaemon(true);
      t.start();
    }));
  }

  private JsonObject status() throws Exception {
    return (JsonObject) vertx.eventBus().request(BusAddresses.DEFAULT.serverStatus(), null).await(5, TimeUnit.SECONDS).body();
  }

  /** A client whose link i sits on {@code from[i]} and sends to the relay's address {@code to[i]}. */
  private WireGuardClient client(int index, InetAddress[] from, InetAddress[] to) throws Exception {
    List<UdpPeer> links = new ArrayList<>();
    List<InetSocketAddress> relays = new ArrayList<>();
    for (int i = 0; i < from.length; i++) {
      links.add(new UdpPeer(from[i]));
      relays.add(new InetSocketAddress(to[i], port));
    }
    WireGuardClient c = new WireGuardClient(wireGuard, index, links, relays);
    opened.add(c);
    return c;
  }

  /**
   * The handshake, then transport both ways: WireGuard gets each datagram once, each link gets every one of
   * WireGuard's, and every reply a link gets comes from the relay address it sent to.
   */
  private void exchange(WireGuardClient c, InetAddress[] to) throws Exception {
    byte[] init = c.initiate();
    List<Arrival> arrived = wireGuard.receive(1, QUIET_MILLIS);
    assertEquals(1, arrived.stream().filter(a -> Arrays.equals(a.bytes(), init)).count());
    Session s = wireGuard.session(c.index());
    assertNotNull(s, "WireGuard authenticated the initiation");
    c.serverIndex(s.ownIndex());
    for (int i = 0; i < to.length; i++) {
      UdpPeer.Received r = c.link(i).receiveDatagram(UdpPeer.WAIT_MILLIS);
      assertNotNull(r, "link " + i + " gets WireGuard's response");
      assertEquals(2, WireGuardMessages.type(r.bytes()));
      assertEquals(new InetSocketAddress(to[i], port), r.from(), "the response leaves from the address sent to");
    }
    for (int i = 0; i < DATAGRAMS; i++) {
      c.transport(100 + i);
    }
    assertEquals(DATAGRAMS, wireGuard.receive(DATAGRAMS, QUIET_MILLIS).size(), "each reaches WireGuard once");
    List<byte[]> down = new ArrayList<>();
    for (int i = 0; i < DATAGRAMS; i++) {
      down.add(wireGuard.sendTransport(s, 200 + i));
    }
    for (int i = 0; i < to.length; i++) {
      for (int k = 0; k < DATAGRAMS; k++) {
        UdpPeer.Received r = c.link(i).receiveDatagram(UdpPeer.WAIT_MILLIS);
        assertNotNull(r, "link " + i + " gets WireGuard's datagram " + k);
        assertArrayEquals(down.get(k), r.bytes());
        assertEquals(new InetSocketAddress(to[i], port), r.from(), "from the address the link sent to");
      }
    }
  }

  private static Set<String> memberAddresses(JsonObject status) {
    Set<String> out = new HashSet<>();
    for (Object a : status.getJsonArray("sockets")) {
      out.add(((JsonObject) a).getString("address"));
    }
    return out;
  }

  /** A global or unique-local IPv6 address of this machine, or null (then the test that needs one is skipped). */
  private static InetAddress nonLoopbackIpv6() throws Exception {
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!ni.isUp()) {
        continue;
      }
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (a instanceof Inet6Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return InetAddress.getByAddress(a.getAddress());
        }
      }
    }
    return null;
  }

  /**
   * The stranger inputs of {@link ServerRelayTest#strangerInputs}, sent over IPv6 to the relay's [::] port, beside a
   * client with an IPv4 and an IPv6 link: the stranger gets nothing, WireGuard's endpoint does not move, and the
   * client's traffic goes on.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.rengarde.server.ServerRelayTest#strangerInputs")
  void anIpv6StrangerGetsNothing(String name, Function<ServerRelayTest.Known, List<byte[]>> input,
                                 VertxTestContext test) {
    InetAddress[] from = {V4_LOOPBACK, V6_LOOPBACK};
    InetAddress[] to = {V4_LOOPBACK, V6_LOOPBACK};
    run(test, new HostPort("127.0.0.1", wireGuard.port()), () -> {
      WireGuardClient c = client(0x0C00_0001, from, to);
      exchange(c, to);
      Session s = wireGuard.session(c.index());
      InetSocketAddress endpoint = s.endpoint();
      UdpPeer stranger = new UdpPeer(V6_LOOPBACK);
      opened.add(stranger);
      InetSocketAddress relay = new InetSocketAddress(V6_LOOPBACK, port);
      for (byte[] d : input.apply(new ServerRelayTest.Known(c.index(), c.serverIndex(), DATAGRAMS))) {
        stranger.send(d, relay);
      }
      wireGuard.receive(QUIET_MILLIS);
      assertEquals(endpoint, wireGuard.session(c.index()).endpoint(), "WireGuard authenticated none of it");
      byte[] down = wireGuard.sendTransport(s, 300);
      for (int i = 0; i < to.length; i++) {
        assertArrayEquals(down, c.link(i).receive(UdpPeer.WAIT_MILLIS), "link " + i + " still gets the peer's");
      }
      byte[] rekey = wireGuard.initiate(s);
      for (int i = 0; i < to.length; i++) {
        assertArrayEquals(rekey, c.link(i).receive(UdpPeer.WAIT_MILLIS), "and WireGuard's initiation");
      }
      assertEquals(List.of(), stranger.drain(QUIET_MILLIS), "not one datagram for the stranger");
      assertEquals(new HashSet<>(c.addresses()), memberAddresses(status()), "the stranger is nobody's member");
    });
  }

  @Test
  void anIpv4AndAnIpv6LinkOfOneClientShareThePort(VertxTestContext test) {
    InetAddress[] from = {V4_LOOPBACK, V6_LOOPBACK};
    InetAddress[] to = {V4_LOOPBACK, V6_LOOPBACK};
    run(test, new HostPort("127.0.0.1", wireGuard.port()), () -> {
      WireGuardClient c = client(0x0C00_0001, from, to);
      exchange(c, to);
      JsonObject st = status();
      assertEquals(new HashSet<>(c.addresses()), memberAddresses(st), "both links are members of one peer");
      for (Object m : st.getJsonArray("sockets")) {
        assertNotNull(((JsonObject) m).getJsonObject("socket"), "each member has a socket of its own: " + m);
      }
      assertEquals(0, st.getLong("memberSocketFailures"));
      assertTrue(c.addresses().get(1).startsWith("[::1]:"), "IPv6 addresses are shown in brackets: " + c.addresses());
      assertTrue(st.getJsonArray("ipv6ListenAddresses").contains("[::1]:" + port),
          "a listen socket of its own on ::1: " + st.getJsonArray("ipv6ListenAddresses"));
    });
  }

  /**
   * A link that sends to the machine's other IPv6 address from ::1: source selection alone would answer from ::1
   * (the route back is loopback), which the client's connected socket drops.
   */
  @Test
  void anIpv6ClientIsAnsweredFromTheAddressItSentToNotTheOneSourceSelectionPicks(VertxTestContext test)
      throws Exception {
    InetAddress other = nonLoopbackIpv6();
    assumeTrue(other != null, "needs a global or unique-local IPv6 address on this machine");
    InetAddress[] from = {V6_LOOPBACK, V6_LOOPBACK};
    InetAddress[] to = {other, V6_LOOPBACK};
    run(test, new HostPort("127.0.0.1", wireGuard.port()), () -> {
      exchange(client(0x0C00_0002, from, to), to);
      for (Object m : status().getJsonArray("sockets")) {
        assertNotNull(((JsonObject) m).getJsonObject("socket"), "each member has a socket of its own: " + m);
      }
    });
  }

  /** A new listen port (hot reload): the per-address sockets move with it, and clients are served there. */
  @Test
  void theIpv6ListenSocketsFollowANewListenPort(VertxTestContext test) {
    LocalCodec.register(vertx.eventBus(), ServerConfig.class);
    InetAddress[] from = {V6_LOOPBACK};
    InetAddress[] to = {V6_LOOPBACK};
    run(test, new HostPort("127.0.0.1", wireGuard.port()), () -> {
      int before = port;
      try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("::", 0))) {
        port = probe.getLocalPort();
      }
      vertx.eventBus().publish(BusAddresses.DEFAULT.serverConfig(), new ServerConfig("test", new HostPort("::", port),
          new HostPort("127.0.0.1", wireGuard.port()), 30, WriteTimeout.fromConfigured(0), WebManagerConfig.OFF, true));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!status().getJsonArray("ipv6ListenAddresses").contains("[::1]:" + port) && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      JsonObject st = status();
      assertTrue(st.getJsonArray("ipv6ListenAddresses").contains("[::1]:" + port), st.encode());
      assertTrue(!st.getJsonArray("ipv6ListenAddresses").contains("[::1]:" + before), "the old port's sockets went");
      exchange(client(0x0C00_0004, from, to), to);
    });
  }

  /** WireGuard on ::1: every peer's socket is on ::1, each on its own port. */
  @Test
  void wireGuardOnIpv6Loopback(VertxTestContext test) throws Exception {
    FakeWireGuard v6 = new FakeWireGuard(V6_LOOPBACK);
    wireGuard.close();
    wireGuard = v6;
    InetAddress[] from = {V4_LOOPBACK, V6_LOOPBACK};
    InetAddress[] to = {V4_LOOPBACK, V6_LOOPBACK};
    run(test, new HostPort("::1", wireGuard.port()), () -> {
      WireGuardClient c = client(0x0C00_0003, from, to);
      exchange(c, to);
      assertEquals(V6_LOOPBACK, wireGuard.session(c.index()).endpoint().getAddress(), "the peer's socket is on ::1");
    });
  }
}
