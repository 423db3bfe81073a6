package org.rengarde.bus;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The datagrams of one read batch (what one wake-up of a socket brought), as one event-bus message: the bus's cost
 * per message is paid once per batch instead of once per datagram, and a single datagram waits for nothing.
 *
 * <p>Ownership: the batch owns one reference to each datagram, and is itself held: by its sender from its making,
 * and by each consumer it is delivered to ({@link DatagramCodec} adds a hold per consumer, synchronously inside the
 * publish or send). Every holder drops its hold with {@link #release} when done; the last one releases the
 * datagrams. A consumer reads them with {@link #get} and hands a socket a reference of its own with {@link #take}
 * (a retained duplicate: no copy, and the duplicate object is recycled). One batch object serves every consumer,
 * so a publish to N links makes no per-link batch. Holds are counted atomically: consumers may run on other event
 * loops. {@code link} is the slot of the link that received them (downlink), or {@link #NO_LINK}.
 */
public final class DatagramBatch {
  /** For datagrams that come from no link (the uplink from WireGuard). */
  public static final int NO_LINK = -1;
  private static final AtomicIntegerFieldUpdater<DatagramBatch> HOLDS =
      AtomicIntegerFieldUpdater.newUpdater(DatagramBatch.class, "holds");

  private final ByteBuf[] buffers;
  private final int link;
  private volatile int holds = 1;

  /** Takes one reference to each buffer; the maker holds the batch. */
  public DatagramBatch(ByteBuf[] buffers, int link) {
    this.buffers = buffers;
    this.link = link;
  }

  public int size() {
    return buffers.length;
  }

  /** Datagram {@code i}, lent for as long as the caller holds the batch; must not be released or moved. */
  public ByteBuf get(int i) {
    return buffers[i];
  }

  /** A reference of the caller's own to datagram {@code i} (for a socket's send, which releases it). */
  public ByteBuf take(int i) {
    return buffers[i].retainedDuplicate();
  }

  public int link() {
    return link;
  }

  /** One more holder (a consumer the bus delivers to). */
  DatagramBatch retain() {
    HOLDS.incrementAndGet(this);
    return this;
  }

  /** Drops the caller's hold; the last holder's releases every datagram. */
  public void release() {
    if (HOLDS.decrementAndGet(this) == 0) {
      for (ByteBuf b : buffers) {
        b.release();
      }
    }
  }
}
