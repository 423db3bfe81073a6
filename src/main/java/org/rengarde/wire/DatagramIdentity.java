package org.rengarde.wire;

import io.netty.buffer.ByteBuf;

/**
 * A 64-bit identity of a datagram, the same for every copy of it, read without a header of ours: a WireGuard
 * transport message (type 4) by its receiver index (bytes 4-7), counter (bytes 8-15) and authentication tag (the
 * last 16 bytes), so a forged packet reusing an upcoming counter cannot make the genuine copies look like
 * duplicates; any other datagram by a hash of all its bytes. The two kinds differ in the lowest bit, so they never collide.
 * Reads without moving the buffer's indexes and allocates nothing.
 */
public final class DatagramIdentity {

  private DatagramIdentity() {
  }

  public static long of(ByteBuf datagram) {
    int at = datagram.readerIndex();
    int length = datagram.readableBytes();
    if (length >= WireGuardShape.MIN_TRANSPORT_LENGTH
        && datagram.getInt(at) == (WireGuardShape.TRANSPORT_DATA << 24)) {
      long receiver = datagram.getUnsignedIntLE(at + 4);
      long counter = datagram.getLongLE(at + 8);
      long tag = datagram.getLong(at + length - 16) ^ mix(datagram.getLong(at + length - 8));
      return mix(counter * 0x9E3779B97F4A7C15L + receiver ^ mix(tag)) & ~1L;
    }
    return hash(datagram, at, length) | 1L;
  }

  private static long hash(ByteBuf b, int at, int length) {
    long h = 0x27D4EB2F165667C5L ^ length;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      h = mix(h ^ b.getLong(at + i)) * 0x9E3779B97F4A7C15L;
    }
    long tail = 0;
    for (; i < length; i++) {
      tail = (tail << 8) | (b.getByte(at + i) & 0xFF);
    }
    return mix(h ^ tail ^ ((long) length << 56));
  }

  /** The finaliser of SplitMix64: spreads every input bit over the output. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
