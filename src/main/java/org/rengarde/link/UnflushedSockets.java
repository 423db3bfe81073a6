package org.rengarde.link;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.Arrays;

/**
 * The sockets of one event loop written to since their last flush. They are flushed as soon as the read batch that
 * wrote them is handled ({@link #flushAll} from the reading socket's read-complete, or from a bus handler that has
 * sent its whole batch), and at the latest by one task queued on the loop when the first of them is written (for
 * sends made from a timer or a task). Flushing at the end of the read batch instead of after the loop's other ready
 * sockets puts a first copy on its way before its duplicates on the other links are read: seen with perf trace in
 * the lab at 5 pings a second, where the server's copy to WireGuard waited for the reads of the two other links'
 * copies (perf trace inflates every system call; untraced each such read costs a few microseconds).
 * Owned by its loop: a socket is only ever added on its own loop.
 */
final class UnflushedSockets {
  private static final FastThreadLocal<UnflushedSockets> PER_LOOP = new FastThreadLocal<>() {
    @Override
    protected UnflushedSockets initialValue() {
      return new UnflushedSockets();
    }
  };

  private final Runnable flushTask = this::flushAll;
  private UdpSocket[] sockets = new UdpSocket[8];
  private int count;
  private boolean taskQueued;

  private UnflushedSockets() {
  }

  static UnflushedSockets ofThisLoop() {
    return PER_LOOP.get();
  }

  /** {@code socket} was written to and not flushed since; {@code loop} is its own, the caller's. */
  void add(UdpSocket socket, EventLoop loop) {
    if (count == sockets.length) {
      sockets = Arrays.copyOf(sockets, count * 2);
    }
    sockets[count++] = socket;
    if (!taskQueued) {
      taskQueued = true;
      loop.execute(flushTask);
    }
  }

  /** Flushes every socket written since the last time; the queued task then finds nothing left. */
  void flushAll() {
    taskQueued = false;
    // a flush adds nothing, but count is read each turn so a socket added meanwhile is flushed too
    for (int i = 0; i < count; i++) {
      UdpSocket socket = sockets[i];
      sockets[i] = null;
      socket.flushIfWritten();
    }
    count = 0;
  }
}
