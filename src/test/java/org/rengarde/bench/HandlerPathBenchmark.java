package org.rengarde.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.vertx.core.Vertx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rengarde.VertxSetup;
import org.rengarde.bus.BusAddresses;
import org.rengarde.bus.DatagramCodec;
import org.rengarde.client.Dispatcher;
import org.rengarde.client.LinkSpec;
import org.rengarde.client.LinkVerticle;
import org.rengarde.config.HostPort;
import org.rengarde.config.ServerConfig;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.config.WriteTimeout;
import org.rengarde.link.SocketSlot;
import org.rengarde.link.UdpSocket;
import org.rengarde.metrics.TrafficCounters;
import org.rengarde.server.Peer;
import org.rengarde.server.PeerTable;
import org.rengarde.server.ServerRelay;
import org.rengarde.testing.FakeWireGuard;
import org.rengarde.testing.UdpPeer;
import org.rengarde.testing.WireGuardClient;

import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

/**
 * The real packet-path handlers, on their event loop, on the Vert.x rengarde runs on (native transport, Micrometer
 * metrics with event-bus addresses: {@link VertxSetup#create}), per datagram of a read batch of
 * {@value #BATCH} datagrams of {@value #LENGTH} bytes. The reads are fired into the sockets' own Netty pipelines
 * ({@link LoopDriver}: no kernel read, the same handlers); the sends are real, on loopback, to sockets nobody reads
 * (the kernel drops what overflows them). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes
 * allocated per datagram, by every thread (the event loop's work, amortised over the batch, and the noise of the
 * machine's other threads); each iteration also prints {@code [event loop: N B/datagram]}, what the packet path's
 * event-loop thread alone allocated (exact, its timers included).
 * <ul>
 *   <li>{@code clientUplink}: a batch read from WireGuard by the Dispatcher, published on the event bus to three
 *       LinkVerticles, each sending it to the server (one GSO send per link);</li>
 *   <li>{@code clientDownlink}: each datagram read on three links (a first and two duplicates), the duplicate filter,
 *       the first copies as one batch on the bus to the Dispatcher, sent to WireGuard: per datagram delivered;</li>
 *   <li>{@code serverUplink}: the server relay, a batch of a peer's datagrams read on each of its three member
 *       sockets, the duplicate filter, the first copies sent to WireGuard on the peer's socket: per datagram
 *       delivered;</li>
 *   <li>{@code serverDownlink}: a batch WireGuard sent on the peer's socket, fanned out to its three members.</li>
 * </ul>
 * {@code java -cp CLASSPATH org.openjdk.jmh.Main HandlerPathBenchmark -prof gc -f 1 -wi 2 -i 3}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class HandlerPathBenchmark {
  static final int BATCH = 16;
  static final int LENGTH = 1400;
  static final int LINKS = 3;
  private static final int STRIDE = 2048;

  /** The client: a Dispatcher and three LinkVerticles on loopback, sharing its event loop as in rengarde. */
  /** A side's event loop, driven by the benchmark, and its own allocation counted per iteration. */
  public abstract static class LoopState {
    LoopDriver driver;

    @Setup(Level.Iteration)
    public void count() {
      driver.startCount();
    }

    @TearDown(Level.Iteration)
    public void report() {
      System.out.printf("  [event loop: %.1f B/datagram]", driver.loopBytesPerStep() / BATCH);
    }
  }

  @State(Scope.Benchmark)
  public static class Client extends LoopState {
    Vertx vertx;
    Channel listen;
    final Channel[] links = new Channel[LINKS];
    DatagramChannel server;
    DatagramChannel wireGuard;
    DatagramPacket[] fromWireGuard;
    final DatagramPacket[][] fromServer = new DatagramPacket[LINKS][];
    ByteBuf upBytes;
    ByteBuf downBytes;
    long counter;
    final Runnable uplink = () -> LoopDriver.read(listen, fromWireGuard);
    final Runnable downlink = this::downlinkBatch;
    final TrafficCounters[] sent = new TrafficCounters[LINKS + 1];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      vertx = VertxSetup.create();
      DatagramCodec.register(vertx.eventBus());
      server = sink();
      wireGuard = sink();
      int sendQueueBytes = WriteTimeout.fromConfigured(0).sendQueueBytes();
      Dispatcher dispatcher =
          new Dispatcher(BusAddresses.DEFAULT, new HostPort("127.0.0.1", 0), sendQueueBytes, true, true);
      await(vertx.deployVerticle(dispatcher));
      InetSocketAddress serverAddress = (InetSocketAddress) server.getLocalAddress();
      Inet4Address loopback = (Inet4Address) InetAddress.getByName("127.0.0.1");
      int lo = NetworkInterface.getByInetAddress(loopback).getIndex();
      LinkVerticle[] verticles = new LinkVerticle[LINKS];
      for (int i = 0; i < LINKS; i++) {
        verticles[i] = new LinkVerticle(BusAddresses.DEFAULT, new LinkSpec("lo", lo, loopback,
            new HostPort("127.0.0.1", serverAddress.getPort()), serverAddress), i, sendQueueBytes,
            dispatcher.packetPath(), false);
        await(vertx.deployVerticle(verticles[i]));
        links[i] = LoopDriver.channelOf((UdpSocket) LoopDriver.field(verticles[i], "socket"));
        sent[i] = (TrafficCounters) LoopDriver.field(verticles[i], "counters");
      }
      listen = LoopDriver.channelOf(((SocketSlot) LoopDriver.field(dispatcher, "socket")).current());
      sent[LINKS] = (TrafficCounters) LoopDriver.field(dispatcher, "counters");
      driver = new LoopDriver(listen.eventLoop());
      InetSocketAddress listenAddress = (InetSocketAddress) listen.localAddress();
      upBytes = transports(0x0A000001);
      fromWireGuard = LoopDriver.packets(upBytes, BATCH, STRIDE, LENGTH, listenAddress,
          (InetSocketAddress) wireGuard.getLocalAddress());
      downBytes = transports(0x0B000001);
      for (int i = 0; i < LINKS; i++) {
        fromServer[i] = LoopDriver.packets(downBytes, BATCH, STRIDE, LENGTH,
            (InetSocketAddress) links[i].localAddress(), serverAddress);
      }
      Thread.sleep(200);
      // WireGuard's address, learnt from its first datagram: the downlink goes there
      driver.drive(uplink);
    }

    /** Fresh counters (every datagram new to the filter), then each link reads the batch in turn. */
    private void downlinkBatch() {
      for (int i = 0; i < BATCH; i++) {
        downBytes.setLongLE(i * STRIDE + 8, counter++);
      }
      for (int i = 0; i < LINKS; i++) {
        LoopDriver.read(links[i], fromServer[i]);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      System.out.println("\nsent: links " + sent[0].datagramsOut + ", " + sent[1].datagramsOut + ", "
          + sent[2].datagramsOut + "; to WireGuard " + sent[LINKS].datagramsOut + "; downlink counter " + counter);
      await(vertx.close());
      upBytes.release();
      downBytes.release();
      server.close();
      wireGuard.close();
    }
  }

  /** The server relay on loopback with one peer of three links, its handshake done before the measurement. */
  @State(Scope.Benchmark)
  public static class Server extends LoopState {
    Vertx vertx;
    FakeWireGuard fakeWireGuard;
    WireGuardClient client;
    final Channel[] members = new Channel[LINKS];
    Channel peerSocket;
    final DatagramPacket[][] fromClient = new DatagramPacket[LINKS][];
    DatagramPacket[] fromWireGuard;
    ByteBuf upBytes;
    ByteBuf downBytes;
    long upCounter = 1_000;
    long downCounter = 1_000;
    final Runnable uplink = this::uplinkBatch;
    final Runnable downlink = this::downlinkBatch;
    final TrafficCounters[] sent = new TrafficCounters[LINKS + 1];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      vertx = VertxSetup.create();
      fakeWireGuard = new FakeWireGuard();
      int port;
      try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      InetSocketAddress relay = new InetSocketAddress("127.0.0.1", port);
      ServerConfig config = new ServerConfig("bench", new HostPort("127.0.0.1", port),
          new HostPort("127.0.0.1", fakeWireGuard.port()), 3600, WriteTimeout.fromConfigured(0),
          WebManagerConfig.OFF, true);
      ServerRelay relayVerticle = new ServerRelay(BusAddresses.DEFAULT, config);
      await(vertx.deployVerticle(relayVerticle));
      client = new WireGuardClient(fakeWireGuard, relay, 0x0C000001, LINKS);
      client.initiate();
      fakeWireGuard.receive(1, 150);
      FakeWireGuard.Session session = fakeWireGuard.session(client.index());
      client.serverIndex(session.ownIndex());
      for (UdpPeer link : client.links()) {
        link.drain(1, 150);
      }
      for (int i = 0; i < 4; i++) {
        client.transport(LENGTH);
      }
      fakeWireGuard.receive(4, 150);
      for (int i = 0; i < 4; i++) {
        fakeWireGuard.sendTransport(session, LENGTH);
      }
      for (UdpPeer link : client.links()) {
        link.drain(4, 150);
      }
      Thread.sleep(200);
      PeerTable table = (PeerTable) LoopDriver.field(relayVerticle, "table");
      Peer peer = table.peers().get(0);
      for (int i = 0; i < LINKS; i++) {
        members[i] = LoopDriver.channelOf((UdpSocket) peer.member(i).attachment());
        sent[i] = peer.member(i).counters();
      }
      sent[LINKS] = (TrafficCounters) LoopDriver.field(peer.attachment(), "toWireGuard");
      peerSocket = LoopDriver.channelOf((UdpSocket) LoopDriver.field(peer.attachment(), "socket"));
      driver = new LoopDriver(peerSocket.eventLoop());
      upBytes = transports(session.ownIndex());
      downBytes = transports(client.index());
      for (int i = 0; i < LINKS; i++) {
        fromClient[i] = LoopDriver.packets(upBytes, BATCH, STRIDE, LENGTH,
            (InetSocketAddress) members[i].localAddress(), (InetSocketAddress) members[i].remoteAddress());
      }
      fromWireGuard = LoopDriver.packets(downBytes, BATCH, STRIDE, LENGTH,
          (InetSocketAddress) peerSocket.localAddress(), (InetSocketAddress) peerSocket.remoteAddress());
    }

    private void uplinkBatch() {
      for (int i = 0; i < BATCH; i++) {
        upBytes.setLongLE(i * STRIDE + 8, upCounter++);
      }
      for (int i = 0; i < LINKS; i++) {
        LoopDriver.read(members[i], fromClient[i]);
      }
    }

    private void downlinkBatch() {
      for (int i = 0; i < BATCH; i++) {
        downBytes.setLongLE(i * STRIDE + 8, downCounter++);
      }
      LoopDriver.read(peerSocket, fromWireGuard);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      System.out.println("\nsent: members " + sent[0].datagramsOut + ", " + sent[1].datagramsOut + ", "
          + sent[2].datagramsOut + "; to WireGuard " + sent[LINKS].datagramsOut + "; counters " + upCounter + ", "
          + downCounter);
      await(vertx.close());
      client.close();
      fakeWireGuard.close();
      upBytes.release();
      downBytes.release();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void clientUplink(Client c) {
    c.driver.drive(c.uplink);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void clientDownlink(Client c) {
    c.driver.drive(c.downlink);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void serverUplink(Server s) {
    s.driver.drive(s.uplink);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void serverDownlink(Server s) {
    s.driver.drive(s.downlink);
  }

  /** {@value #BATCH} WireGuard transport messages naming {@code receiver}, one per {@value #STRIDE} bytes. */
  private static ByteBuf transports(int receiver) {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(BATCH * STRIDE).writeZero(BATCH * STRIDE);
    for (int i = 0; i < BATCH; i++) {
      b.setInt(i * STRIDE, 0x04000000);
      b.setIntLE(i * STRIDE + 4, receiver);
      b.setLongLE(i * STRIDE + 8, i);
    }
    return b;
  }

  /** A socket nobody reads: the far end of the sends. */
  private static DatagramChannel sink() throws java.io.IOException {
    return DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
