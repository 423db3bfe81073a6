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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rengarde.bus.BusAddresses;
import org.rengarde.config.HostPort;
import org.rengarde.config.ServerConfig;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.config.WriteTimeout;
import org.rengarde.testing.FakeWireGuard;
import org.rengarde.testing.FakeWireGuard.Arrival;
import org.rengarde.testing.FakeWireGuard.Session;
import org.rengarde.testing.LogLines;
import org.rengarde.testing.UdpPeer;
import org.rengarde.testing.WireGuardClient;
import org.rengarde.testing.WireGuardMessages;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The running server relay on loopback, with a {@link FakeWireGuard} behind it and clients whose links are plain
 * sockets sending byte-identical copies ({@link WireGuardClient}). Each scenario blocks on those plain sockets, so
 * it runs on a thread of its own ({@link #run}); the relay's event loop is never blocked.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class ServerRelayTest {
  /** No datagram for this long on loopback: every copy that was coming has come. */
  private static final int QUIET_MILLIS = 150;
  private static final int DATAGRAMS = 20;

  private Vertx vertx;
  private FakeWireGuard wireGuard;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private ServerConfig config;
  private String deployment;
  private InetSocketAddress relay;

  /** A scenario on plain sockets. */
  private interface Scenario {
    void run() throws Exception;
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    wireGuard = new FakeWireGuard();
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    relay = new InetSocketAddress("127.0.0.1", port);
  }

  @AfterEach
  void tearDown(VertxTestContext test) throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    wireGuard.close();
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  /**
   * Deploys a relay, then runs the scenario on a thread of its own (not Vert.x's: it blocks on plain sockets and
   * waits for the relay's answers); the test ends with it.
   */
  private void run(VertxTestContext test, int clientTimeoutSeconds, boolean wireGuardFilter, Scenario scenario) {
    config = new ServerConfig("test", new HostPort("127.0.0.1", relay.getPort()),
        new HostPort("127.0.0.1", wireGuard.port()), clientTimeoutSeconds, WriteTimeout.fromConfigured(0),
        WebManagerConfig.OFF, wireGuardFilter);
    vertx.deployVerticle(new ServerRelay(BusAddresses.DEFAULT, config)).onComplete(test.succeeding(id -> {
      deployment = id;
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

  private void run(VertxTestContext test, Scenario scenario) {
    run(test, 30, true, scenario);
  }

  /** The relay's status document, asked on the event bus (from the scenario's thread). */
  private JsonObject status() throws Exception {
    return (JsonObject) vertx.eventBus().request(BusAddresses.DEFAULT.serverStatus(), null).await(5, TimeUnit.SECONDS).body();
  }

  /** The relay stops, and a new one (knowing nothing) starts on the same port. */
  private void restartRelay() throws Exception {
    vertx.undeploy(deployment).await(10, TimeUnit.SECONDS);
    deployment = vertx.deployVerticle(new ServerRelay(BusAddresses.DEFAULT, config)).await(10, TimeUnit.SECONDS);
  }

  private WireGuardClient client(int index, int links) throws Exception {
    WireGuardClient c = new WireGuardClient(wireGuard, relay, index, links);
    opened.add(c);
    return c;
  }

  private UdpPeer stranger() throws Exception {
    UdpPeer p = new UdpPeer();
    opened.add(p);
    return p;
  }

  // ---- steps

  /**
   * The client's initiation from every link; WireGuard answers it once, on the peer's own socket, which is a
   * loopback address of its own; every link gets the response (and nothing else).
   */
  private Session handshake(WireGuardClient c) throws Exception {
    byte[] init = c.initiate();
    List<Arrival> arrived = wireGuard.receive(1, QUIET_MILLIS);
    assertEquals(1, count(arrived, init), "WireGuard gets the initiation once, whatever the number of links");
    Session s = wireGuard.session(c.index());
    assertNotNull(s, "WireGuard authenticated the initiation");
    InetAddress socket = s.endpoint().getAddress();
    assertEquals(127, socket.getAddress()[0] & 0xFF, "the peer's socket is on loopback");
    assertNotEquals(InetAddress.getLoopbackAddress(), socket, "on a loopback address of its own, not 127.0.0.1");
    c.serverIndex(s.ownIndex());
    for (UdpPeer link : c.links()) {
      List<byte[]> got = link.drain(1, QUIET_MILLIS);
      assertEquals(1, got.size(), "each link gets WireGuard's response, once");
      assertEquals(2, WireGuardMessages.type(got.get(0)));
      assertEquals(c.index(), WireGuardMessages.receiverIndex(got.get(0)));
    }
    return s;
  }

  /**
   * {@value #DATAGRAMS} transport datagrams each way for every client: WireGuard gets each of a client's once,
   * from that client's peer socket, and each link of a client gets every one of WireGuard's for it and nothing
   * else.
   */
  private void exchange(List<WireGuardClient> clients, List<Session> sessions) throws Exception {
    List<List<byte[]>> up = new ArrayList<>();
    for (WireGuardClient c : clients) {
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < DATAGRAMS; i++) {
        sent.add(c.transport(100 + i));
      }
      up.add(sent);
    }
    List<Arrival> arrived = wireGuard.receive(clients.size() * DATAGRAMS, QUIET_MILLIS);
    for (int k = 0; k < clients.size(); k++) {
      for (byte[] d : up.get(k)) {
        List<Arrival> copies = arrived.stream().filter(a -> Arrays.equals(a.bytes(), d)).toList();
        assertEquals(1, copies.size(), "each datagram reaches WireGuard once: the duplicate filter dropped the copies");
        assertEquals(sessions.get(k).endpoint(), copies.get(0).from(), "on the client's own peer socket");
      }
    }
    List<List<byte[]>> down = new ArrayList<>();
    for (Session s : sessions) {
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < DATAGRAMS; i++) {
        sent.add(wireGuard.sendTransport(s, 200 + i));
      }
      down.add(sent);
    }
    for (int k = 0; k < clients.size(); k++) {
      for (UdpPeer link : clients.get(k).links()) {
        List<byte[]> got = link.drain(DATAGRAMS, QUIET_MILLIS);
        assertEquals(DATAGRAMS, got.size(), "a link gets its own peer's datagrams, and no other's");
        for (int i = 0; i < DATAGRAMS; i++) {
          assertArrayEquals(down.get(k).get(i), got.get(i));
        }
      }
    }
  }

  private List<WireGuardClient> clients(int... links) throws Exception {
    List<WireGuardClient> out = new ArrayList<>();
    for (int i = 0; i < links.length; i++) {
      out.add(client(0x0C00_0001 + i, links[i]));
    }
    return out;
  }

  private List<Session> handshakes(List<WireGuardClient> clients) throws Exception {
    List<Session> out = new ArrayList<>();
    for (WireGuardClient c : clients) {
      out.add(handshake(c));
    }
    Set<InetSocketAddress> sockets = out.stream().map(Session::endpoint).collect(Collectors.toSet());
    Set<InetAddress> addresses = out.stream().map(s -> s.endpoint().getAddress()).collect(Collectors.toSet());
    assertEquals(out.size(), sockets.size(), "one socket per peer");
    assertEquals(out.size(), addresses.size(), "each on its own loopback address");
    return out;
  }

  private static long count(List<Arrival> arrivals, byte[] datagram) {
    return arrivals.stream().filter(a -> Arrays.equals(a.bytes(), datagram)).count();
  }

  /** The peers of the status document that have live members, as sets of member addresses. */
  private static Set<Set<String>> peerAddresses(JsonObject status) {
    Set<Set<String>> out = new HashSet<>();
    for (Object p : status.getJsonArray("peers")) {
      Set<String> members = addressesOf((JsonObject) p);
      if (!members.isEmpty()) {
        out.add(members);
      }
    }
    return out;
  }

  private static Set<String> addressesOf(JsonObject peer) {
    Set<String> out = new HashSet<>();
    for (Object a : peer.getJsonArray("addresses")) {
      out.add(((JsonObject) a).getString("address"));
    }
    return out;
  }

  private static Set<String> socketAddresses(JsonObject status) {
    Set<String> out = new HashSet<>();
    for (Object a : status.getJsonArray("sockets")) {
      out.add(((JsonObject) a).getString("address"));
    }
    return out;
  }

  private static JsonObject peerOf(JsonObject status, String address) {
    for (Object p : status.getJsonArray("peers")) {
      if (addressesOf((JsonObject) p).contains(address)) {
        return (JsonObject) p;
      }
    }
    throw new AssertionError("no peer has " + address + ": " + status.encode());
  }

  private static JsonObject memberOf(JsonObject status, String address) {
    for (Object a : peerOf(status, address).getJsonArray("addresses")) {
      if (address.equals(((JsonObject) a).getString("address"))) {
        return (JsonObject) a;
      }
    }
    throw new AssertionError();
  }

  private static Set<String> setOf(List<String> list) {
    return new HashSet<>(list);
  }

  // ---- several clients on one port

  @Test
  void twoClientsGetOnlyTheirOwnDatagramsAndWireGuardEachOnce(VertxTestContext test) {
    run(test, () -> {
      List<WireGuardClient> clients = clients(2, 3);
      List<Session> sessions = handshakes(clients);
      exchange(clients, sessions);
      JsonObject s = status();
      assertEquals(Set.of(setOf(clients.get(0).addresses()), setOf(clients.get(1).addresses())), peerAddresses(s));
      for (int k = 0; k < clients.size(); k++) {
        InetSocketAddress socket = sessions.get(k).endpoint();
        assertEquals(socket.getAddress().getHostAddress() + ":" + socket.getPort(),
            peerOf(s, clients.get(k).addresses().get(0)).getString("socket"), "the status names the peer's socket");
      }
      assertEquals(5, s.getJsonArray("sockets").size(), "engarde's list: every live member address");
    });
  }

  @Test
  void threeClientsGetOnlyTheirOwnDatagramsAndWireGuardEachOnce(VertxTestContext test) {
    run(test, () -> {
      List<WireGuardClient> clients = clients(3, 2, 3);
      List<Session> sessions = handshakes(clients);
      exchange(clients, sessions);
      exchange(clients, sessions);
      assertEquals(clients.stream().map(c -> setOf(c.addresses())).collect(Collectors.toSet()),
          peerAddresses(status()));
    });
  }

  // ---- strangers

  /** What a stranger may send, knowing the indices it saw in two clients' traffic. */
  static Stream<Arguments> strangerInputs() {
    Random r = new Random(11);
    List<Arguments> out = new ArrayList<>();
    out.add(input("junk initiations", (Known k) -> List.of(WireGuardMessages.initiation(r.nextInt()),
        WireGuardMessages.initiation(r.nextInt()))));
    out.add(input("an initiation with a client's index", k -> List.of(WireGuardMessages.initiation(k.clientIndex))));
    out.add(input("responses naming random indices", k -> List.of(WireGuardMessages.response(r.nextInt(),
        r.nextInt()))));
    out.add(input("a response echoing WireGuard's index", k -> List.of(WireGuardMessages.response(r.nextInt(),
        k.serverIndex))));
    out.add(input("a response echoing a client's index", k -> List.of(WireGuardMessages.response(k.clientIndex,
        k.clientIndex))));
    out.add(input("cookie replies naming random indices", k -> List.of(WireGuardMessages.cookieReply(r.nextInt()))));
    out.add(input("a cookie reply echoing WireGuard's index", k -> List.of(
        WireGuardMessages.cookieReply(k.serverIndex))));
    out.add(input("transport naming random indices", k -> List.of(WireGuardMessages.transport(80, r.nextInt(), 0),
        WireGuardMessages.transport(80, r.nextInt(), 1), WireGuardMessages.transport(80, r.nextInt(), 2))));
    out.add(input("transport echoing WireGuard's index", k -> List.of(
        WireGuardMessages.transport(80, k.serverIndex, k.nextCounter),
        WireGuardMessages.transport(80, k.serverIndex, k.nextCounter + 1000))));
    out.add(input("transport echoing a client's index", k -> List.of(
        WireGuardMessages.transport(80, k.clientIndex, 0))));
    out.add(input("all of it, echoes first", k -> List.of(
        WireGuardMessages.transport(80, k.serverIndex, k.nextCounter),
        WireGuardMessages.cookieReply(k.serverIndex),
        WireGuardMessages.response(r.nextInt(), k.serverIndex),
        WireGuardMessages.initiation(k.clientIndex),
        WireGuardMessages.transport(80, k.clientIndex, 0),
        WireGuardMessages.transport(80, r.nextInt(), 0),
        WireGuardMessages.initiation(r.nextInt()),
        WireGuardMessages.cookieReply(r.nextInt()),
        "not WireGuard".getBytes())));
    return out.stream();
  }

  /** The indices a stranger saw: the first client's and WireGuard's for it, and the counter that comes next. */
  record Known(int clientIndex, int serverIndex, long nextCounter) {
  }

  private static Arguments input(String name, Function<Known, List<byte[]>> datagrams) {
    return Arguments.of(name, datagrams);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strangerInputs")
  void aStrangerGetsNothing(String name, Function<Known, List<byte[]>> input, VertxTestContext test) {
    run(test, () -> {
      List<WireGuardClient> clients = clients(2, 3);
      List<Session> sessions = handshakes(clients);
      exchange(clients, sessions);
      UdpPeer stranger = stranger();
      WireGuardClient first = clients.get(0);
      for (byte[] d : input.apply(new Known(first.index(), first.serverIndex(), DATAGRAMS))) {
        stranger.send(d, relay);
      }
      wireGuard.receive(QUIET_MILLIS);
      assertEquals(sessions.get(0).endpoint(), wireGuard.session(first.index()).endpoint(),
          "WireGuard authenticated none of it: its endpoint did not move");
      exchange(clients, sessions);
      byte[] rekey = wireGuard.initiate(sessions.get(0));
      for (UdpPeer link : first.links()) {
        assertArrayEquals(rekey, link.receive(UdpPeer.WAIT_MILLIS));
      }
      assertEquals(List.of(), stranger.drain(QUIET_MILLIS), "not one datagram for the stranger");
      JsonObject s = status();
      assertEquals(Set.of(setOf(first.addresses()), setOf(clients.get(1).addresses())), peerAddresses(s),
          "the stranger is nobody's member");
    });
  }

  @Test
  void aStrangersInitiationReachesWireGuardFromASocketOfItsOwn(VertxTestContext test) {
    run(test, () -> {
      List<WireGuardClient> clients = clients(2, 2);
      List<Session> sessions = handshakes(clients);
      UdpPeer stranger = stranger();
      byte[] junk = WireGuardMessages.initiation(clients.get(0).index());
      stranger.send(junk, relay);
      List<Arrival> arrived = wireGuard.receive(1, QUIET_MILLIS);
      assertEquals(1, arrived.size());
      assertArrayEquals(junk, arrived.get(0).bytes(), "WireGuard judges it (and drops it)");
      InetSocketAddress from = arrived.get(0).from();
      for (Session s : sessions) {
        assertNotEquals(s.endpoint(), from, "not from a real peer's socket");
        assertNotEquals(s.endpoint().getAddress(), from.getAddress(),
            "nor from its loopback address: WireGuard's per-address handshake limit hits the stranger only");
      }
      assertEquals(1, status().getInteger("tentativePeers"), "a tentative peer of its own");
      assertNull(stranger.receive(QUIET_MILLIS));
    });
  }

  @Test
  void aStrangerAnsweredByWireGuardGetsOnlyTheAnswerToItsOwnInitiation(VertxTestContext test) {
    run(test, () -> {
      List<WireGuardClient> clients = clients(2, 2);
      List<Session> sessions = handshakes(clients);
      UdpPeer stranger = stranger();
      // An initiation WireGuard accepts (a host that holds a key of its own, but is none of these clients).
      byte[] init = WireGuardMessages.initiation(0x0BAD_0001);
      wireGuard.genuine(init);
      stranger.send(init, relay);
      wireGuard.receive(1, QUIET_MILLIS);
      List<byte[]> answer = stranger.drain(1, QUIET_MILLIS);
      assertEquals(1, answer.size(), "the reply to its own initiation");
      assertEquals(0x0BAD_0001, WireGuardMessages.receiverIndex(answer.get(0)));
      exchange(clients, sessions);
      assertEquals(List.of(), stranger.drain(QUIET_MILLIS), "and none of the other peers' datagrams");
    });
  }

  // ---- WireGuard's own handshake

  @Test
  void wireGuardsOwnInitiationReachesThatPeersMembersOnly(VertxTestContext test) {
    run(test, () -> {
      List<WireGuardClient> clients = clients(2, 3);
      List<Session> sessions = handshakes(clients);
      WireGuardClient first = clients.get(0);
      UdpPeer candidate = stranger();
      candidate.send(WireGuardMessages.transport(80, first.serverIndex(), 5000), relay);
      wireGuard.receive(1, QUIET_MILLIS);

      byte[] init = wireGuard.initiate(sessions.get(0));
      for (UdpPeer link : first.links()) {
        List<byte[]> got = link.drain(1, QUIET_MILLIS);
        assertEquals(1, got.size());
        assertArrayEquals(init, got.get(0), "each of the peer's links gets WireGuard's initiation");
      }
      for (UdpPeer link : clients.get(1).links()) {
        assertEquals(List.of(), link.drain(QUIET_MILLIS), "another peer's links do not");
      }
      assertEquals(List.of(), candidate.drain(QUIET_MILLIS), "nor an address that only named the peer's index");

      byte[] response = first.respond(init, 0x0C00_0A0A);
      List<Arrival> arrived = wireGuard.receive(1, QUIET_MILLIS);
      assertEquals(1, count(arrived, response), "the client's response reaches WireGuard once");
      assertEquals(1, arrived.size());
      assertEquals(sessions.get(0).endpoint(), arrived.get(0).from());
      assertEquals(0x0C00_0A0A, sessions.get(0).clientIndex(), "the new key is WireGuard's current one");
      exchange(clients, sessions);
    });
  }

  // ---- roaming

  @Test
  void aRecreatedLinkIsAdmittedByItsCopiesAndTheOldAddressExpires(VertxTestContext test) {
    run(test, 1, true, () -> {
      WireGuardClient c = client(0x0C00_0001, 2);
      Session s = handshake(c);
      String old = c.addresses().get(1);
      UdpPeer fresh = c.replaceLink(1);
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
      int sent = 0;
      while (System.nanoTime() < end) {
        c.transport(120);
        sent++;
        Thread.sleep(100);
      }
      List<Arrival> arrived = wireGuard.receive(sent, QUIET_MILLIS);
      assertEquals(sent, arrived.size(), "WireGuard got each once: the new address's copies were recognised");
      JsonObject st = status();
      assertEquals(Set.of(setOf(c.addresses())), peerAddresses(st), "the new address is a member");
      assertFalse(socketAddresses(st).contains(old), "the old one expired after clientTimeout");
      byte[] down = wireGuard.sendTransport(s, 300);
      assertArrayEquals(down, c.link(0).receive(UdpPeer.WAIT_MILLIS));
      assertArrayEquals(down, fresh.receive(UdpPeer.WAIT_MILLIS), "the re-created link gets the peer's datagrams");
    });
  }

  @Test
  void aRecreatedLinkFasterThanTheOthersIsAdmittedByItsCopies(VertxTestContext test) {
    run(test, 1, true, () -> {
      WireGuardClient c = client(0x0C00_0001, 2);
      Session s = handshake(c);
      UdpPeer fresh = c.replaceLink(1);
      int sent = 0;
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
      while (System.nanoTime() < end) {
        byte[] d = c.nextTransport(120);
        c.sendFrom(1, d);
        c.sendFrom(0, d);
        sent++;
        Thread.sleep(100);
      }
      List<Arrival> arrived = wireGuard.receive(sent, QUIET_MILLIS);
      assertEquals(sent, arrived.size(), "WireGuard got each once: the first copy, the new address's");
      assertEquals(Set.of(setOf(c.addresses())), peerAddresses(status()), "the new address is a member");
      byte[] down = wireGuard.sendTransport(s, 300);
      assertArrayEquals(down, c.link(0).receive(UdpPeer.WAIT_MILLIS));
      assertArrayEquals(down, fresh.receive(UdpPeer.WAIT_MILLIS), "the re-created link gets the peer's datagrams");
    });
  }

  /**
   * Every link cut and back at once (the lab's "all links cut for 2 s"): three new addresses, no member left to copy,
   * all three delivering copies of the same datagrams. WireGuard gets each datagram once, its first answer reaches
   * the link that delivered first, and the next datagram's copies bring in the other two: no wait for a handshake.
   */
  @Test
  void everyLinkRecreatedAtOnceCarriesThePeerAfterWireGuardsFirstAnswer(VertxTestContext test) {
    run(test, () -> {
      WireGuardClient c = client(0x0C00_0001, 3);
      Session s = handshake(c);
      exchange(List.of(c), List.of(s));
      List<UdpPeer> fresh = List.of(c.replaceLink(0), c.replaceLink(1), c.replaceLink(2));
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(PeerTable.ANSWER_WINDOW_NANOS) + 100);
      byte[] up = c.transport(120);
      assertEquals(1, count(wireGuard.receive(1, QUIET_MILLIS), up), "WireGuard gets one of the three copies");
      byte[] answer = wireGuard.sendTransport(s, 110);
      int reached = 0;
      for (UdpPeer link : fresh) {
        byte[] got = link.receive(QUIET_MILLIS);
        reached += got != null && Arrays.equals(answer, got) ? 1 : 0;
      }
      assertEquals(1, reached, "WireGuard's answer admits the link whose copy it got, and only that one");
      byte[] next = c.transport(120);
      assertEquals(1, count(wireGuard.receive(1, QUIET_MILLIS), next), "once more, one copy");
      byte[] down = wireGuard.sendTransport(s, 130);
      for (UdpPeer link : fresh) {
        assertArrayEquals(down, link.receive(UdpPeer.WAIT_MILLIS), "all three links carry the peer again");
      }
    });
  }

  @Test
  void aMemberSilentForClientTimeoutGetsNothingMore(VertxTestContext test) {
    run(test, 1, true, () -> {
      WireGuardClient c = client(0x0C00_0001, 2);
      Session s = handshake(c);
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2300);
      int sent = 0;
      while (System.nanoTime() < end) {
        c.sendFrom(0, c.nextTransport(64));
        sent++;
        Thread.sleep(200);
      }
      wireGuard.receive(sent, QUIET_MILLIS);
      assertEquals(Set.of(c.addresses().get(0)), socketAddresses(status()), "the timer expired the silent link");
      byte[] down = wireGuard.sendTransport(s, 64);
      assertArrayEquals(down, c.link(0).receive(UdpPeer.WAIT_MILLIS));
      assertNull(c.link(1).receive(QUIET_MILLIS), "an expired address gets no more of the peer's datagrams");
    });
  }

  // ---- a restart mid-session

  @Test
  void aRestartedRelayRegroupsTheClientOnceWireGuardAnswers(VertxTestContext test) {
    run(test, () -> {
      WireGuardClient c = client(0x0C00_0001, 2);
      Session s = handshake(c);
      exchange(List.of(c), List.of(s));
      InetSocketAddress before = s.endpoint();
      restartRelay();

      UdpPeer stranger = stranger();
      byte[] unknown = WireGuardMessages.transport(80, 0x7E57_0001, 0);
      stranger.send(unknown, relay);
      stranger.send(unknown, relay);
      byte[] resumed = c.transport(90);
      List<Arrival> arrived = wireGuard.receive(2, QUIET_MILLIS);
      assertEquals(1, count(arrived, resumed), "one copy reaches WireGuard: the first link's sighting of the unknown "
          + "index is refused, the second link's copy opens the peer");
      InetSocketAddress now = s.endpoint();
      assertNotEquals(before, now, "WireGuard authenticated it and roamed to the new relay's socket for the peer");
      arrived.stream().filter(a -> Arrays.equals(a.bytes(), resumed))
          .forEach(a -> assertEquals(now, a.from(), "it went out of the tentative peer's socket"));
      arrived.stream().filter(a -> WireGuardMessages.receiverIndex(a.bytes()) == 0x7E57_0001).forEach(a ->
          assertNotEquals(now, a.from(), "the stranger's unknown index opened a tentative peer of its own"));
      for (UdpPeer link : c.links()) {
        assertNull(link.receive(QUIET_MILLIS), "nothing for anyone before WireGuard answers");
      }
      byte[] answer = wireGuard.sendTransport(s, 110);
      for (UdpPeer link : c.links()) {
        assertArrayEquals(answer, link.receive(UdpPeer.WAIT_MILLIS), "WireGuard's answer regrouped the peer");
      }
      exchange(List.of(c), List.of(s));
      assertEquals(List.of(), stranger.drain(QUIET_MILLIS), "the stranger does not get the answers");
      JsonObject st = status();
      assertEquals(Set.of(setOf(c.addresses())), peerAddresses(st));
      assertEquals("active", peerOf(st, c.addresses().get(0)).getString("state"));
    });
  }

  /**
   * The lab's fuzzer after a reload: 64 source ports spraying random indices while the relay regroups. Each index
   * is named once, so none costs a tentative peer, and the client's resume (its index named by both links) still
   * gets one: WireGuard's answer reaches both links at once, not after a handshake 15 s later.
   */
  @Test
  void aSprayOfRandomIndicesDoesNotStopARestartedRelaysRegrouping(VertxTestContext test) {
    run(test, () -> {
      WireGuardClient c = client(0x0C00_0001, 2);
      Session s = handshake(c);
      exchange(List.of(c), List.of(s));
      restartRelay();
      java.util.Random random = new java.util.Random(7);
      List<UdpPeer> strangers = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        strangers.add(stranger());
      }
      for (int i = 0; i < 3_000; i++) {
        strangers.get(i % 64).send(WireGuardMessages.transport(64 + random.nextInt(200), random.nextInt(), i), relay);
      }
      byte[] resumed = c.transport(90);
      List<Arrival> arrived = wireGuard.receive(1, QUIET_MILLIS);
      assertEquals(List.of(1L), List.of(count(arrived, resumed)), "the client's datagram reaches WireGuard, and "
          + "nothing of the spray: " + arrived.size() + " arrived");
      assertEquals(1, arrived.size());
      byte[] answer = wireGuard.sendTransport(s, 110);
      for (UdpPeer link : c.links()) {
        assertArrayEquals(answer, link.receive(UdpPeer.WAIT_MILLIS), "WireGuard's answer regrouped the peer");
      }
      JsonObject st = status();
      assertEquals(0, st.getJsonObject("limits").getLong("tentative_resumes"), st.encode());
      assertTrue(st.getLong("refusedUnknownIndex") >= 3_000, st.encode());
      for (UdpPeer stranger : strangers) {
        assertEquals(List.of(), stranger.drain(5), "no stranger gets anything");
      }
    });
  }

  /**
   * The peer lab's flood: a stranger naming one made-up index over and over opens a tentative peer and is its
   * candidate; WireGuard then got its datagrams at the full 25,000 a second on the socket every peer shares. Now a
   * candidate's datagrams reach WireGuard at its rate only, and the client's traffic goes on.
   */
  @Test
  void aStrangerRepeatingAnIndexReachesWireGuardOnlyAtACandidatesRate(VertxTestContext test) {
    run(test, () -> {
      WireGuardClient c = client(0x0C00_0001, 2);
      Session s = handshake(c);
      UdpPeer stranger = stranger();
      byte[] junk = WireGuardMessages.transport(500, 0x7E57_0002, 0);
      for (int i = 0; i < 3_000; i++) {
        stranger.send(junk, relay);
      }
      List<Arrival> arrived = wireGuard.receive(QUIET_MILLIS);
      long fromStranger = count(arrived, junk);
      assertTrue(fromStranger >= PeerTable.CANDIDATE_BURST && fromStranger < 400,
          "a burst and then 200 a second, not 3,000: " + fromStranger);
      exchange(List.of(c), List.of(s));
      JsonObject st = status();
      assertTrue(st.getJsonObject("limits").getLong("candidate_rate") > 2_000, st.encode());
      assertEquals(List.of(), stranger.drain(QUIET_MILLIS));
    });
  }

  // ---- what the duplicate filter may not do

  @Test
  void anAlteredCopyDoesNotCostWireGuardTheGenuineOne(VertxTestContext test) {
    run(test, () -> {
      WireGuardClient c = client(0x0C00_0001, 3);
      Session s = handshake(c);
      byte[] genuine = c.nextTransport(200);
      byte[] altered = genuine.clone();
      altered[100] ^= 0x01;
      c.sendFrom(0, altered);
      c.sendFrom(1, genuine);
      c.sendFrom(2, genuine);
      List<Arrival> arrived = wireGuard.receive(2, QUIET_MILLIS);
      assertEquals(1, count(arrived, altered), "the first copy (altered) passes");
      assertEquals(1, count(arrived, genuine), "and the genuine one too: only WireGuard can tell them apart");
      assertEquals(2, arrived.size());
      assertEquals(s.endpoint(), arrived.get(1).from());
      assertEquals(1, status().getLong("alteredForwarded"));
      Thread.sleep(ServerRelay.DUPLICATE_WINDOW_NANOS / 1_000_000 + 1200);
      JsonObject st = status();
      assertEquals(1, memberOf(st, c.addresses().get(0)).getJsonObject("quality").getLong("altered"),
          "the link whose version fewer links delivered counts it, once judged");
      assertEquals(0, memberOf(st, c.addresses().get(1)).getJsonObject("quality").getLong("altered"));
    });
  }

  @Test
  void aCounterNoLinkDeliveredIsTunnelLoss(VertxTestContext test) {
    run(test, () -> {
      WireGuardClient c = client(0x0C00_0001, 2);
      handshake(c);
      for (int i = 0; i < 10; i++) {
        c.transport(64);
      }
      c.skipCounter();
      for (int i = 0; i < 10; i++) {
        c.transport(64);
      }
      wireGuard.receive(20, QUIET_MILLIS);
      Thread.sleep(ServerRelay.DUPLICATE_WINDOW_NANOS / 1_000_000 + 1200);
      JsonObject loss = peerOf(status(), c.addresses().get(0)).getJsonObject("tunnelLoss");
      assertEquals(1, loss.getJsonObject("total").getLong("lost"), loss.encode());
      assertEquals(20, loss.getJsonObject("total").getLong("received"), loss.encode());
    });
  }

  // ---- what is not WireGuard's

  @Test
  void datagramsNotShapedLikeWireGuardsAreRefusedAndCounted(VertxTestContext test) {
    run(test, () -> {
      UdpPeer stranger = stranger();
      byte[] shortTransport = WireGuardMessages.transport(31, 1, 1);
      byte[] reservedSet = WireGuardMessages.transport(64, 1, 1);
      reservedSet[2] = 1;
      byte[] typeFive = WireGuardMessages.transport(64, 1, 1);
      typeFive[0] = 5;
      List<byte[]> junk = List.of("hello, anyone there?".getBytes(), new byte[148], new byte[0],
          Arrays.copyOf(WireGuardMessages.initiation(1), 147), shortTransport, reservedSet, typeFive);
      for (byte[] d : junk) {
        stranger.send(d, relay);
      }
      assertEquals(List.of(), wireGuard.receive(QUIET_MILLIS), "junk never reaches WireGuard");
      JsonObject s = status();
      assertEquals(junk.size(), s.getLong("refusedDatagrams"));
      assertEquals(junk.size(), s.getLong("refusedNotWireGuard"));
      assertEquals(0, s.getJsonArray("sockets").size(), "and the stranger is not a client");
      assertEquals(0, s.getJsonArray("peers").size(), "nor a peer");

      stranger.send(WireGuardMessages.response(1, 2), relay);
      stranger.send(WireGuardMessages.cookieReply(3), relay);
      assertEquals(List.of(), wireGuard.receive(QUIET_MILLIS), "handshake replies naming no index either");
      s = status();
      assertEquals(junk.size() + 2, s.getLong("refusedDatagrams"));
      assertEquals(2, s.getLong("refusedUnknownIndex"));
      assertNull(stranger.receive(QUIET_MILLIS));
    });
  }

  // ---- the packet path

  @Test
  void carriesSixtyKilobyteDatagramsIntactBothWays(VertxTestContext test) {
    run(test, () -> {
      WireGuardClient c = client(0x0C00_0001, 3);
      Session s = handshake(c);
      byte[] big = c.transport(60_000);
      List<Arrival> arrived = wireGuard.receive(1, QUIET_MILLIS);
      assertEquals(1, arrived.size());
      assertArrayEquals(big, arrived.get(0).bytes());
      byte[] bigReply = wireGuard.sendTransport(s, 65_507);
      for (UdpPeer link : c.links()) {
        assertArrayEquals(bigReply, link.receive(UdpPeer.WAIT_MILLIS));
      }
    });
  }

  @Test
  void aBurstFromWireGuardReachesEveryLinkWhole(VertxTestContext test) {
    run(test, () -> {
      WireGuardClient c = client(0x0C00_0001, 3);
      Session s = handshake(c);
      int n = 200;
      for (int i = 0; i < n; i++) {
        wireGuard.sendTransport(s, 1400);
      }
      for (UdpPeer link : c.links()) {
        assertEquals(n, link.drain(n, QUIET_MILLIS).size(), "the fan-out of one read batch to three links (more than "
            + "the 64 KiB send queue) is offered to the kernel before anything is dropped");
      }
      for (Object a : status().getJsonArray("sockets")) {
        assertEquals(0, ((JsonObject) a).getJsonObject("stats").getLong("drops"));
      }
    });
  }

  @Test
  void aLinkThatRefusesDatagramsDoesNotDisturbTheOthers(VertxTestContext test) {
    run(test, () -> {
      WireGuardClient c = client(0x0C00_0001, 3);
      Session s = handshake(c);
      c.link(0).close();
      int n = 200;
      for (int i = 0; i < n; i++) {
        wireGuard.sendTransport(s, 100);
      }
      for (int k = 1; k < 3; k++) {
        assertEquals(n, c.link(k).drain(n, QUIET_MILLIS).size(),
            "every datagram reaches the live links although one refuses (ICMP port unreachable)");
      }
    });
  }

  // ---- wireGuardFilter: false, engarde's relay

  @Test
  void withoutTheFilterAnyUdpPayloadIsRelayed(VertxTestContext test) {
    run(test, 30, false, () -> {
      UdpPeer client = stranger();
      byte[] rtp = "not wireguard at all".getBytes();
      client.send(rtp, relay);
      List<Arrival> arrived = wireGuard.receive(1, QUIET_MILLIS);
      assertEquals(1, arrived.size());
      assertArrayEquals(rtp, arrived.get(0).bytes());
      assertEquals(0, status().getLong("refusedDatagrams"));
    });
  }

  @Test
  void withoutTheFilterWireGuardSeesOneSourceAndEveryAddressGetsEveryReply(VertxTestContext test) {
    run(test, 30, false, () -> {
      List<UdpPeer> addresses = List.of(stranger(), stranger(), stranger());
      Set<InetSocketAddress> sources = new HashSet<>();
      for (UdpPeer a : addresses) {
        a.send(WireGuardMessages.transport(48, 9, a.port()), relay);
        List<Arrival> arrived = wireGuard.receive(1, QUIET_MILLIS);
        assertEquals(1, arrived.size());
        sources.add(arrived.get(0).from());
      }
      assertEquals(1, sources.size(), "one socket faces WireGuard for every client address, as engarde's");
      byte[] reply = "any reply".getBytes();
      wireGuard.send(reply, sources.iterator().next());
      for (UdpPeer a : addresses) {
        assertArrayEquals(reply, a.receive(UdpPeer.WAIT_MILLIS), "every address that sent is a client: each gets it");
      }
      assertEquals(3, status().getJsonArray("sockets").size());
    });
  }

  // ---- engarde's log lines, which users grep

  @Test
  void logsEngardesLinesForListeningANewClientAndItsTimeout(VertxTestContext test) {
    LogLines log = LogLines.attach(ServerRelay.class);
    opened.add(log);
    run(test, 1, true, () -> {
      assertNotNull(log.awaitNext("Listening on 127.0.0.1:" + relay.getPort(), 0), log.lines().toString());
      WireGuardClient c = client(0x0D00_0001, 1);
      handshake(c);
      String address = c.addresses().get(0);
      assertNotNull(log.awaitNext("New client connected: '" + address + "'", UdpPeer.WAIT_MILLIS),
          log.lines().toString());
      assertNotNull(log.awaitNext("Client '" + address + "' timed out", 3000), log.lines().toString());
    });
  }

  @Test
  void withoutTheFilterLogsEngardesLinesForANewClientAndItsTimeout(VertxTestContext test) {
    LogLines log = LogLines.attach(ServerRelay.class);
    opened.add(log);
    run(test, 1, false, () -> {
      UdpPeer client = stranger();
      client.send("hello".getBytes(), relay);
      wireGuard.receive(1, QUIET_MILLIS);
      String address = "127.0.0.1:" + client.port();
      assertNotNull(log.awaitNext("New client connected: '" + address + "'", UdpPeer.WAIT_MILLIS),
          log.lines().toString());
      assertNotNull(log.awaitNext("Client '" + address + "' timed out", 3000), log.lines().toString());
    });
  }

  @Test
  void withoutTheFilterClientsSilentForClientTimeoutAreForgotten(VertxTestContext test) {
    run(test, 1, false, () -> {
      UdpPeer client = stranger();
      client.send("hello".getBytes(), relay);
      InetSocketAddress back = wireGuard.receive(1, QUIET_MILLIS).get(0).from();
      Thread.sleep(2300);
      assertEquals(0, status().getJsonArray("sockets").size(), "the timer expired it without any WireGuard traffic");
      wireGuard.send("late".getBytes(), back);
      assertNull(client.receive(QUIET_MILLIS), "an expired address gets no more replies");
    });
  }
}
