package org.rengarde.bus;

import io.netty.buffer.ByteBuf;

/**
 * The datagrams of one read batch (what one wake-up of a socket brought, up to 16), as one event-bus message: the
 * bus's cost per message is paid once per batch instead of once per datagram, and a single datagram waits for
 * nothing. Ownership: the sender keeps (and releases) the buffers it wraps; {@link DatagramCodec} gives every
 * consumer its own batch of retained duplicates at delivery (reference counts, no copies), and the consumer owns
 * those: it hands each to a socket's send (which releases it) or releases it. {@code link} is the slot of the link
 * that received them (downlink), or {@link #NO_LINK}.
 */
public final class DatagramBatch {
  /** For datagrams that come from no link (the uplink from WireGuard). */
  public static final int NO_LINK = -1;

  private final ByteBuf[] buffers;
  private final int link;

  public DatagramBatch(ByteBuf[] buffers, int link) {
    this.buffers = buffers;
    this.link = link;
  }

  public int size() {
    return buffers.length;
  }

  public ByteBuf get(int i) {
    return buffers[i];
  }

  public int link() {
    return link;
  }

  /** A batch of retained duplicates of the same bytes, for one consumer. */
  DatagramBatch retainedDuplicates() {
    ByteBuf[] mine = new ByteBuf[buffers.length];
    for (int i = 0; i < buffers.length; i++) {
      mine[i] = buffers[i].retainedDuplicate();
    }
    return new DatagramBatch(mine, link);
  }

  /** Releases every buffer (a consumer dropping the whole batch). */
  public void releaseAll() {
    for (ByteBuf b : buffers) {
      b.release();
    }
  }
}
