package org.rengarde.bench;

import io.netty.buffer.ByteBuf;
import org.rengarde.wire.WireGuardShape;

/**
 * The fan-out forwarder's duplicate filter, as plain as one can be: a direct-mapped table of the identities of recent
 * datagrams (receiver index and counter for WireGuard transport messages, an unkeyed hash of the bytes otherwise).
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
    boolean transport = isTransport(datagram);
    long id = transport ? (transportIdentity(datagram) & ~1L) : (hash(datagram) | 1L);
    int slot = (int) (transport ? counterAndReceiver(datagram) : id >>> 1) & mask;
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

  private static long hash(ByteBuf b) {
    long h = 0x9E3779B97F4A7C15L ^ b.readableBytes();
    for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
      h = (h ^ b.getByte(i)) * 0x100000001B3L;
    }
    return h ^ (h >>> 29);
  }

  /** Receiver index and counter, mixed (SplitMix64's finaliser) into one number. */
  private static long transportIdentity(ByteBuf datagram) {
    int at = datagram.readerIndex();
    long z = datagram.getLongLE(at + 8) * 0x9E3779B97F4A7C15L + datagram.getUnsignedIntLE(at + 4);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long counterAndReceiver(ByteBuf datagram) {
    int at = datagram.readerIndex();
    return datagram.getLongLE(at + 8) ^ datagram.getUnsignedIntLE(at + 4);
  }
}
