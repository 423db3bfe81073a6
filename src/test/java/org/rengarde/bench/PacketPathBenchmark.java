package org.rengarde.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rengarde.bus.DatagramBatch;
import org.rengarde.bus.DatagramCodec;
import org.rengarde.wire.CounterGapTracker;
import org.rengarde.wire.DatagramHash;
import org.rengarde.wire.DuplicateTracker;
import org.rengarde.wire.TrackedPeer;
import org.rengarde.wire.Verdict;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The in-process parts of the packet path, per datagram of 1,400 bytes; run with {@code -prof gc} to see the bytes
 * allocated per datagram ({@code gc.alloc.rate.norm}). scripts/bench --jmh runs it.
 * <ul>
 *   <li>{@code eventBusPublishToThreeLinks}: the Dispatcher's hand-off, a publish to three link consumers (the cost
 *       on the publishing side: messages, one retained duplicate per link, the delivery tasks);</li>
 *   <li>{@code directHandOffToThreeLinks}: the same three links called directly on the same thread, what a hand-off
 *       without the event bus would cost;</li>
 *   <li>{@code perLinkSendPreparation}: what a link does per copy before the syscall (duplicate, packet);</li>
 *   <li>{@code duplicateFilterThreeLinks}: the duplicate filter on the receiving side, per copy, each transport
 *       message arriving on three links (a first and two duplicates), the table full (every first retires the
 *       oldest entry, as under load);</li>
 *   <li>{@code duplicateFilterThousandPeers}: the same with 1,000 peers of three links sharing one table;</li>
 *   <li>{@code contentHash}: the keyed hash (two SipHash-1-3 lanes) of one 1,400-byte datagram, part of every copy's cost;</li>
 *   <li>{@code tunnelLossCounter}: the counter-gap tracker, per first copy.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PacketPathBenchmark {
  private static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 59402);

  private Vertx vertx;
  private EventBus bus;
  private final List<MessageConsumer<DatagramBatch>> consumers = new ArrayList<>();
  private final List<Handler<DatagramBatch>> direct = new ArrayList<>();
  private ByteBuf datagram;
  private ByteBuf[] batch16;
  private DuplicateTracker tracker;
  private TrackedPeer tunnel;
  private DuplicateTracker sharedTracker;
  private TrackedPeer[] peers;
  private DatagramHash hash;
  private CounterGapTracker gaps;
  private long counter;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    bus = vertx.eventBus();
    DatagramCodec.register(bus);
    CountDownLatch registered = new CountDownLatch(1);
    vertx.runOnContext(v -> {
      for (int i = 0; i < 3; i++) {
        consumers.add(bus.consumer("bench.uplink", PacketPathBenchmark::sendCopy));
      }
      registered.countDown();
    });
    registered.await();
    for (int i = 0; i < 3; i++) {
      direct.add(d -> d.get(0).retainedDuplicate().release());
    }
    datagram = PooledByteBufAllocator.DEFAULT.directBuffer(1400).writeZero(1400);
    datagram.setInt(0, 0x04000000);
    batch16 = new ByteBuf[16];
    java.util.Arrays.fill(batch16, datagram);
    tracker = new DuplicateTracker(1 << 16, 2_000_000_000L, 10);
    tunnel = threeLinks(tracker);
    sharedTracker = new DuplicateTracker(1 << 18, 2_000_000_000L, 10);
    peers = new TrackedPeer[1000];
    for (int i = 0; i < peers.length; i++) {
      peers[i] = threeLinks(sharedTracker);
    }
    hash = DatagramHash.random();
    gaps = new CounterGapTracker(2_000_000_000L, 10);
  }

  private static TrackedPeer threeLinks(DuplicateTracker t) {
    TrackedPeer peer = t.newPeer();
    for (int link = 0; link < 3; link++) {
      peer.linkUp(link);
    }
    return peer;
  }

  private static void sendCopy(Message<DatagramBatch> m) {
    DatagramBatch batch = m.body();
    for (int i = 0; i < batch.size(); i++) {
      batch.take(i).release();
    }
    batch.release();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    datagram.release();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public void eventBusPublishToThreeLinks() {
    DatagramBatch batch = new DatagramBatch(new ByteBuf[] {datagram.retain()}, DatagramBatch.NO_LINK);
    bus.publish("bench.uplink", batch);
    batch.release();
  }

  @Benchmark
  public void directHandOffToThreeLinks() {
    DatagramBatch d = new DatagramBatch(new ByteBuf[] {datagram}, DatagramBatch.NO_LINK);
    for (int i = 0; i < direct.size(); i++) {
      direct.get(i).handle(d);
    }
  }

  /** A batch of 16 datagrams (what one wake-up of the socket brings under load) in one publish: per datagram. */
  @Benchmark
  @org.openjdk.jmh.annotations.OperationsPerInvocation(16)
  public void eventBusPublishBatchOf16ToThreeLinks() {
    datagram.retain(batch16.length);
    DatagramBatch batch = new DatagramBatch(batch16, DatagramBatch.NO_LINK);
    bus.publish("bench.uplink", batch);
    batch.release();
  }

  @Benchmark
  public Object perLinkSendPreparation() {
    DatagramPacket packet = new DatagramPacket(datagram.retainedDuplicate(), SERVER);
    packet.release();
    return packet;
  }

  @Benchmark
  public Verdict duplicateFilterThreeLinks() {
    long c = counter++;
    datagram.setLongLE(8, c / 3);
    return tracker.arrive(tunnel, datagram, (int) (c % 3), System.nanoTime());
  }

  @Benchmark
  public Verdict duplicateFilterThousandPeers() {
    long c = counter++;
    long d = c / 3;
    datagram.setLongLE(8, d / peers.length);
    return sharedTracker.arrive(peers[(int) (d % peers.length)], datagram, (int) (c % 3), System.nanoTime());
  }

  @Benchmark
  public long contentHash() {
    return hash.of(datagram);
  }

  @Benchmark
  public void tunnelLossCounter() {
    datagram.setLongLE(8, counter++);
    gaps.transport(datagram, System.nanoTime());
  }
}
