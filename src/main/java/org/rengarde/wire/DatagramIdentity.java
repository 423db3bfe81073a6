package org.rengarde.wire;

import io.netty.buffer.ByteBuf;

/**
 * What makes two datagrams copies of one, read without a header of ours (the rules of {@link DuplicateTracker}):
 * <ul>
 *   <li>a WireGuard transport message (type 4, reserved bytes zero, at least 32 bytes) is named by its receiver
 *       index and counter (bytes 4-15), which its sender never reuses on a key; whether a copy is the same or an
 *       altered one is then told by its content hash;</li>
 *   <li>anything else (handshakes, cookie replies, any UDP payload) is named by the hash of all its bytes.</li>
 * </ul>
 * Both are keyed hashes ({@link DatagramHash}), so nobody can choose datagrams that collide; the two kinds differ in
 * the lowest bit, so a transport identity never equals a content identity. Reads without moving the buffer's
 * indexes and allocates nothing.
 */
final class DatagramIdentity {
  private DatagramIdentity() {
  }

  /** The identity of a transport message (see {@link WireGuardShape#isTransport}): its receiver index and counter. */
  static long ofTransport(DatagramHash hash, ByteBuf datagram) {
    return hash.of(datagram, datagram.readerIndex() + 4, 12) & ~1L;
  }

  /** The identity of any other datagram, from the hash of all its bytes. */
  static long ofContent(long contentHash) {
    return contentHash | 1L;
  }
}
