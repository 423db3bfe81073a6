package org.rengarde.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import org.rengarde.link.UdpSocket;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;

/**
 * Drives the real read handlers of {@link UdpSocket}s on their event loop, as a read batch of the kernel would, and
 * waits until everything that batch set off has run (bus deliveries, the sockets' flushes): what a benchmark
 * thread needs to measure one batch through the real packet path without the kernel's reads. The sends are real.
 *
 * <p>The packets are made once and reused: each is retained before it is fired, so the handler's release leaves it
 * alive; their contents are slices of one buffer, as a recvmmsg or GRO read hands them on (so
 * {@link UdpSocket#keep} takes the same path as on a real read).
 */
final class LoopDriver {
  private final EventLoop loop;
  private volatile long settled;
  private long asked;
  private Runnable step;
  private final Runnable run = this::runStep;
  private final Runnable settle = this::settle;
  private final long loopThread;
  private long countedFrom;
  private long bytesFrom;

  LoopDriver(EventLoop loop) throws Exception {
    this.loop = loop;
    this.loopThread = loop.submit(() -> Thread.currentThread().getId()).get();
  }

  /** Starts counting what the loop's thread allocates (one JMH iteration, say). */
  void startCount() {
    countedFrom = asked;
    bytesFrom = allocatedOnLoop();
  }

  /** Bytes the loop's thread allocated per step driven since {@link #startCount}, timers and all. */
  double loopBytesPerStep() {
    long steps = asked - countedFrom;
    return steps == 0 ? 0 : (double) (allocatedOnLoop() - bytesFrom) / steps;
  }

  private long allocatedOnLoop() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(loopThread);
  }

  /** Runs {@code step} on the loop and returns once the loop has no task left that it queued. */
  void drive(Runnable step) {
    this.step = step;
    long target = ++asked;
    loop.execute(run);
    while (settled < target) {
      Thread.onSpinWait();
    }
  }

  private void runStep() {
    step.run();
    loop.execute(settle);
  }

  /** Tasks queued behind this one (deliveries, flushes) run first; settled once none is left. */
  private void settle() {
    if (((SingleThreadEventExecutor) loop).pendingTasks() > 0) {
      loop.execute(settle);
    } else {
      settled = settled + 1;
    }
  }

  /** What one wake-up of {@code channel} read: the packets in turn, then the end of the read. */
  static void read(Channel channel, DatagramPacket[] packets) {
    for (DatagramPacket p : packets) {
      p.retain();
      channel.pipeline().fireChannelRead(p);
    }
    channel.pipeline().fireChannelReadComplete();
  }

  /** Packets of {@code length} bytes, slices of {@code backing} at {@code stride}, from {@code sender}. */
  static DatagramPacket[] packets(ByteBuf backing, int count, int stride, int length, InetSocketAddress recipient,
                                  InetSocketAddress sender) {
    DatagramPacket[] out = new DatagramPacket[count];
    for (int i = 0; i < count; i++) {
      out[i] = new DatagramPacket(backing.slice(i * stride, length), recipient, sender);
    }
    return out;
  }

  /** The Netty channel under a {@link UdpSocket}, which nothing outside the socket may touch but a benchmark. */
  static Channel channelOf(UdpSocket socket) {
    return (Channel) field(socket, "channel");
  }

  static Object field(Object owner, String name) {
    try {
      Field f = owner.getClass().getDeclaredField(name);
      f.setAccessible(true);
      return f.get(owner);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(owner.getClass().getSimpleName() + "." + name, e);
    }
  }
}
