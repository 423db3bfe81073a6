package org.rengarde.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rengarde.testing.UdpPeer;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The socket layer on loopback with the native transport: batched reads, connected sockets, GSO, kernel drops. */
@ExtendWith(VertxExtension.class)
class UdpSocketTest {
  private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private Vertx vertx;
  private Context context;
  private final List<UdpPeer> peers = new ArrayList<>();
  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger readBatches = new AtomicInteger();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    assertTrue(vertx.isNativeTransportEnabled(), "these tests need the native epoll transport");
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown(VertxTestContext test) {
    peers.forEach(UdpPeer::close);
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private UdpPeer peer() throws Exception {
    UdpPeer p = new UdpPeer();
    peers.add(p);
    return p;
  }

  private void keepBytes(ByteBuf content, InetSocketAddress sender) {
    ByteBuf kept = UdpSocket.keep(content);
    byte[] bytes = new byte[kept.readableBytes()];
    kept.getBytes(kept.readerIndex(), bytes);
    kept.release();
    received.add(bytes);
  }

  private io.vertx.core.Future<UdpSocket> open(UdpSocketOptions options) {
    return UdpSocket.open(context, true, options, this::keepBytes, (f, c) -> { }, readBatches::incrementAndGet);
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void awaitCount(List<?> list, int count, long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (list.size() < count && System.nanoTime() < end) {
      Thread.sleep(5);
    }
  }

  /** recvmmsg slots are 64 KiB: no size up to the IPv4 maximum is truncated, small ones are compacted. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void everySizeArrivesWhole(boolean coalescing, VertxTestContext test) throws Exception {
    UdpSocketOptions options = coalescing ? UdpSocketOptions.bind(ANY_LOOPBACK).coalescingReads()
        : UdpSocketOptions.bind(ANY_LOOPBACK);
    UdpSocket socket = open(options).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    UdpPeer sender = peer();
    int[] sizes = {1, 32, 1_400, 8_192, 8_193, 30_000, UdpSocket.MAX_DATAGRAM};
    for (int i = 0; i < sizes.length; i++) {
      sender.send(randomBytes(sizes[i], i), socket.localAddress());
    }
    awaitCount(received, sizes.length, 3000);
    test.verify(() -> {
      assertEquals(sizes.length, received.size());
      for (int i = 0; i < sizes.length; i++) {
        assertArrayEquals(randomBytes(sizes[i], i), received.get(i), "datagram of " + sizes[i] + " bytes");
      }
    });
    test.completeNow();
  }

  /** What queued while the loop was busy is read in batches (one readComplete for many datagrams), none lost. */
  @Test
  void aBurstIsReadInBatches(VertxTestContext test) throws Exception {
    UdpSocket socket = open(UdpSocketOptions.bind(ANY_LOOPBACK)).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    UdpPeer sender = peer();
    int count = 400;
    context.runOnContext(v -> sleep(200));
    for (int i = 0; i < count; i++) {
      sender.send(randomBytes(1_400, i), socket.localAddress());
    }
    awaitCount(received, count, 5000);
    int batches = readBatches.get();
    System.out.println("[socket] " + count + " datagrams queued during a busy loop arrived in " + batches
        + " read batches");
    test.verify(() -> {
      assertEquals(count, received.size());
      assertTrue(batches <= count / 4, "expected batched reads, got " + batches + " for " + count);
    });
    test.completeNow();
  }

  /**
   * Sends made in one turn of the loop past the send queue's bound are offered to the kernel before any is dropped:
   * the bound is for what the kernel will not take, not for what waits for the turn's flush.
   */
  @Test
  void oneTurnsSendsBeyondTheQueueBoundReachTheKernel(VertxTestContext test) throws Exception {
    UdpSocket socket = open(UdpSocketOptions.bind(ANY_LOOPBACK).withSendQueueBytes(16 * 1024))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    UdpPeer receiver = peer();
    int count = 100;
    AtomicInteger accepted = new AtomicInteger();
    context.runOnContext(v -> {
      for (int i = 0; i < count; i++) {
        if (socket.send(Unpooled.wrappedBuffer(randomBytes(1_400, i)), receiver.address())) {
          accepted.incrementAndGet();
        }
      }
    });
    int got = receiver.drain(count, 200).size();
    test.verify(() -> {
      assertEquals(count, accepted.get(), "140 KB in one turn through a 16 KiB queue: the kernel takes them");
      assertEquals(count, got);
    });
    test.completeNow();
  }

  /** A connected socket hears its peer only: the kernel drops a stranger's datagrams before any read. */
  @Test
  void aConnectedSocketHearsOnlyItsPeer(VertxTestContext test) throws Exception {
    UdpPeer server = peer();
    UdpPeer stranger = peer();
    UdpSocket socket = open(UdpSocketOptions.bind(ANY_LOOPBACK).connectedTo(server.address()))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    for (int i = 0; i < 50; i++) {
      stranger.send(randomBytes(100, 99), socket.localAddress());
    }
    server.send(randomBytes(200, 7), socket.localAddress());
    awaitCount(received, 1, 2000);
    Thread.sleep(100);
    test.verify(() -> {
      assertEquals(1, received.size());
      assertArrayEquals(randomBytes(200, 7), received.get(0));
    });
    test.completeNow();
  }

  /** A connected socket's send goes to its peer without an address. */
  @Test
  void aConnectedSocketSendsToItsPeer(VertxTestContext test) throws Exception {
    UdpPeer server = peer();
    UdpSocket socket = open(UdpSocketOptions.bind(ANY_LOOPBACK).connectedTo(server.address()))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    context.runOnContext(v -> socket.send(Unpooled.directBuffer().writeBytes(randomBytes(300, 3))));
    byte[] got = server.receive(2000);
    test.verify(() -> assertArrayEquals(randomBytes(300, 3), got));
    test.completeNow();
  }

  /**
   * Equal-size datagrams written in one turn of the loop leave as one GSO send; the receiver still gets each one
   * whole, in order, the shorter last one included. A larger datagram starts a new run.
   */
  @Test
  void aRunLeavesAsOneSegmentedSend(VertxTestContext test) throws Exception {
    UdpPeer server = peer();
    UdpSocket socket = open(UdpSocketOptions.bind(ANY_LOOPBACK).connectedTo(server.address()).segmentingFor(65_536))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    int[] sizes = {1_400, 1_400, 1_400, 1_400, 1_400, 1_400, 1_400, 1_400, 500, 1_400, 1_400, 900};
    context.runOnContext(v -> {
      for (int i = 0; i < sizes.length; i++) {
        socket.send(Unpooled.directBuffer().writeBytes(randomBytes(sizes[i], i)));
      }
    });
    List<byte[]> got = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      got.add(server.receive(2000));
    }
    test.verify(() -> {
      assertTrue(socket.segmenting(), "GSO should be on for this socket");
      for (int i = 0; i < sizes.length; i++) {
        assertArrayEquals(randomBytes(sizes[i], i), got.get(i), "datagram " + i);
      }
      assertEquals(2, socket.segmentedSends(), "two runs: 8 x 1400 + 500, then 2 x 1400 + 900");
      assertNull(server.receive(100));
    });
    test.completeNow();
  }

  /**
   * Datagrams kept from one read buffer lie side by side ({@link UdpSocket#keep}): a run of them leaves as one span
   * of that memory (two where the run crosses into a new chunk), and arrives byte for byte; with every buffer
   * tracked by the leak detector, as a composite. The span needs untracked buffers: the detector is off while they
   * are made.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void keptDatagramsLeaveAsOneSpan(boolean tracked, VertxTestContext test) throws Exception {
    UdpPeer server = peer();
    UdpSocket socket = open(UdpSocketOptions.bind(ANY_LOOPBACK).connectedTo(server.address()).segmentingFor(65_536))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    int count = 40;
    ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    CountDownLatch sent = new CountDownLatch(1);
    context.runOnContext(v -> {
      if (!tracked) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
      }
      try {
        ByteBuf read = Unpooled.directBuffer(count * 2048);
        for (int i = 0; i < count; i++) {
          read.writeBytes(randomBytes(1_400, i)).writeZero(648);
        }
        for (int i = 0; i < count; i++) {
          socket.send(UdpSocket.keep(read.slice(i * 2048, 1_400)));
        }
        read.release();
      } finally {
        ResourceLeakDetector.setLevel(level);
        sent.countDown();
      }
    });
    sent.await(5, TimeUnit.SECONDS);
    List<byte[]> got = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      got.add(server.receive(2000));
    }
    test.verify(() -> {
      for (int i = 0; i < count; i++) {
        assertArrayEquals(randomBytes(1_400, i), got.get(i), "datagram " + i);
      }
      assertTrue(socket.segmentedSends() == 1 || socket.segmentedSends() == 2, "sends: " + socket.segmentedSends());
      assertNull(server.receive(100));
    });
    test.completeNow();
  }

  /** A GSO train arrives as the datagrams it carries, not as one, on a GRO socket and on a recvmmsg one. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aSegmentedTrainArrivesAsItsDatagrams(boolean coalescing, VertxTestContext test) throws Exception {
    UdpSocketOptions options = coalescing ? UdpSocketOptions.bind(ANY_LOOPBACK).coalescingReads()
        : UdpSocketOptions.bind(ANY_LOOPBACK);
    UdpSocket receiver = open(options).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    UdpSocket sender = UdpSocket.open(context, true,
        UdpSocketOptions.bind(ANY_LOOPBACK).connectedTo(receiver.localAddress()).segmentingFor(65_536),
        (c, s) -> { }, (f, c) -> { }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    context.runOnContext(v -> {
      for (int i = 0; i < 8; i++) {
        sender.send(Unpooled.directBuffer().writeBytes(randomBytes(1_400, i)));
      }
    });
    awaitCount(received, 8, 2000);
    Thread.sleep(100);
    int batches = readBatches.get();
    test.verify(() -> {
      assertEquals(1, sender.segmentedSends());
      assertEquals(8, received.size(), "sizes " + received.stream().map(b -> b.length).toList());
      if (coalescing) {
        assertEquals(1, batches, "a GRO socket reads the train in one call");
      }
      for (int i = 0; i < 8; i++) {
        assertArrayEquals(randomBytes(1_400, i), received.get(i));
      }
    });
    test.completeNow();
  }

  /**
   * A status request queued before a link's stop can be handled after its socket closed (unregistering a consumer
   * does not take back what was delivered): the figures still answer, without kernel drops, instead of throwing.
   */
  @Test
  void aClosedSocketStillAnswersItsStatusFigures(VertxTestContext test) throws Exception {
    UdpSocket socket = open(UdpSocketOptions.bind(ANY_LOOPBACK)).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    int port = socket.localAddress().getPort();
    int buffer = socket.receiveBufferBytes();
    socket.close(context).onComplete(test.succeeding(v -> test.verify(() -> {
      assertEquals(port, socket.localAddress().getPort());
      var figures = socket.addKernelFigures(new io.vertx.core.json.JsonObject());
      assertEquals(buffer, figures.getInteger("receiveBufferBytes"));
      assertFalse(figures.containsKey("kernelDrops"), figures.encode());
      test.completeNow();
    })));
  }

  /** A receive buffer that overflows while the loop is stalled shows in the socket's kernel drop counter. */
  @Test
  void kernelDropsAreCounted(VertxTestContext test) throws Exception {
    UdpSocket socket = open(UdpSocketOptions.bind(ANY_LOOPBACK)).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    long before = socket.kernelDrops();
    UdpPeer sender = peer();
    context.runOnContext(v -> sleep(1000));
    byte[] payload = randomBytes(1_400, 1);
    for (int i = 0; i < 20_000; i++) {
      sender.send(payload, socket.localAddress());
    }
    awaitCount(received, 20_000, 3000);
    context.runOnContext(v -> {
      long drops = socket.kernelDrops();
      System.out.println("[socket] receive buffer " + socket.receiveBufferBytes() + " bytes; " + received.size()
          + " of 20000 read, kernel drops " + drops);
      test.verify(() -> {
        assertEquals(0, before);
        assertTrue(drops > 0, "a stalled socket must drop: " + drops);
        assertEquals(20_000, received.size() + drops);
      });
      test.completeNow();
    });
  }

  /**
   * The server's flood isolation: a socket on the listen port connected to one client address takes that address's
   * datagrams (the kernel prefers the connected socket), the listening socket keeps everyone else's, and the wildcard
   * listener learns which local address each sender chose.
   */
  @Test
  void aConnectedSocketOnTheListenPortTakesItsPeersDatagrams(VertxTestContext test) throws Exception {
    List<InetSocketAddress> recipients = new CopyOnWriteArrayList<>();
    UdpSocket[] listener = new UdpSocket[1];
    listener[0] = UdpSocket.open(context, true,
        UdpSocketOptions.bind(new InetSocketAddress("0.0.0.0", 0)).sharingPort().learningDestination(),
        (content, sender) -> {
          keepBytes(content, sender);
          recipients.add(listener[0].lastRecipient());
        }, (f, c) -> { }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    int port = listener[0].localAddress().getPort();
    UdpPeer member = peer();
    UdpPeer stranger = peer();
    InetSocketAddress listenOn = new InetSocketAddress("127.0.0.7", port);
    member.send(randomBytes(10, 1), listenOn);
    awaitCount(received, 1, 2000);
    List<byte[]> onMember = new CopyOnWriteArrayList<>();
    UdpSocket memberSocket = UdpSocket.open(context, true,
        UdpSocketOptions.bind(recipients.get(0)).sharingPort().connectedTo(member.address()),
        (content, sender) -> onMember.add(new byte[content.readableBytes()]), (f, c) -> { })
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    for (int i = 0; i < 20; i++) {
      member.send(randomBytes(10, 2), listenOn);
      stranger.send(randomBytes(10, 3), listenOn);
    }
    awaitCount(onMember, 20, 2000);
    awaitCount(received, 21, 2000);
    context.runOnContext(v -> memberSocket.send(Unpooled.directBuffer().writeBytes(randomBytes(5, 4))));
    InetSocketAddress replyFrom = member.receiveFrom(2000);
    test.verify(() -> {
      assertEquals(listenOn, recipients.get(0), "the wildcard listener learns the address the sender chose");
      assertEquals(20, onMember.size(), "the member's datagrams reach its own socket");
      assertEquals(21, received.size(), "the listener keeps the stranger's (and the member's first)");
      assertEquals(listenOn, replyFrom, "replies leave from the address the member sent to");
    });
    test.completeNow();
  }

  /** Two replacements in a row: the second waits for the first, and the socket in between is closed. */
  @Test
  void replacementsRunOneAfterTheOther(VertxTestContext test) throws Exception {
    UdpSocket first = open(UdpSocketOptions.bind(ANY_LOOPBACK)).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    SocketSlot slot = new SocketSlot(first);
    InetSocketAddress a = freePort();
    InetSocketAddress b = freePort();
    context.runOnContext(v -> {
      var one = slot.replace(context, a, x -> open(UdpSocketOptions.bind(x)));
      var two = slot.replace(context, b, x -> open(UdpSocketOptions.bind(x)));
      io.vertx.core.Future.join(one, two).onComplete(done -> test.verify(() -> {
        assertEquals(b, slot.current().localAddress());
        assertTrue(one.failed() || one.succeeded());
        assertTrue(portIsFree(a), "the socket on " + a + " must be closed");
        assertTrue(portIsFree(first.localAddress()), "the first socket must be closed");
        test.completeNow();
      }));
    });
  }

  private static InetSocketAddress freePort() throws Exception {
    try (DatagramSocket probe = new DatagramSocket(ANY_LOOPBACK)) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
    }
  }

  private static boolean portIsFree(InetSocketAddress address) {
    try (DatagramSocket probe = new DatagramSocket(address)) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
