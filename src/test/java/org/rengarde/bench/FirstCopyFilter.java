package org.rengarde.bench;

import io.netty.buffer.ByteBuf;
import org.rengarde.wire.DatagramIdentity;
import org.rengarde.wire.WireGuardShape;

/**
 * The fan-out forwarder's duplicate filter, as plain as one can be: a direct-mapped table of the identities of recent
 * datagrams ({@link DatagramIdentity}: receiver index and counter for WireGuard transport messages, a hash otherwise).
 * A transport message's slot is its counter (xor its receiver index), so the consecutive datagrams of a session never
 * share a slot; other datagrams take the slot their hash names. A copy whose slot was taken meanwhile passes again,
 * which WireGuard's replay window absorbs. No clock, no expiry, nothing allocated.
 */
final class FirstCopyFilter {
  private final long[] seen;
  private final int mask;

  /** {@code slots} is rounded up to a power of two. */
  FirstCopyFilter(int slots) {
    int size = Integer.highestOneBit(Math.max(2, slots - 1)) << 1;
    seen = new long[size];
    mask = size - 1;
  }

  /** Whether this is the first copy of the datagram seen lately; reads the buffer without moving its indexes. */
  boolean first(ByteBuf datagram) {
    long id = DatagramIdentity.of(datagram);
    int slot = (int) (isTransport(datagram) ? counterAndReceiver(datagram) : id >>> 1) & mask;
    if (seen[slot] == id) {
      return false;
    }
    seen[slot] = id;
    return true;
  }

  private static boolean isTransport(ByteBuf datagram) {
    return datagram.readableBytes() >= WireGuardShape.MIN_TRANSPORT_LENGTH
        && datagram.getInt(datagram.readerIndex()) == (WireGuardShape.TRANSPORT_DATA << 24);
  }

  private static long counterAndReceiver(ByteBuf datagram) {
    int at = datagram.readerIndex();
    return datagram.getLongLE(at + 8) ^ datagram.getUnsignedIntLE(at + 4);
  }
}
