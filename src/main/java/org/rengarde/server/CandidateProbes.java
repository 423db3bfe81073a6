package org.rengarde.server;

import io.netty.buffer.ByteBuf;
import org.rengarde.wire.DatagramHash;
import org.rengarde.wire.WireGuardShape;

import java.net.InetSocketAddress;

/**
 * Transport datagrams a peer's candidates delivered before any member did, so that a member's later byte-identical
 * copy proves the candidate ({@link PeerTable#provenCopy}, "in either order"). Without them a re-created link that
 * is faster than the peer's other links would never be admitted: it is always first, and the duplicate filter only
 * recognises a candidate's copy of what a member delivered before it.
 *
 * <p>One probe per candidate, kept until it matches or is older than the duplicate window: a candidate's later
 * datagrams do not replace it sooner, else a link ahead of the others by more than one datagram would never match.
 * A stranger's junk occupies only its own probe, and its bytes never match a member's. A member's datagram costs a
 * comparison of index and counter with each live probe, and a hash only when they are equal. At most
 * {@value #SLOTS} probes (the default candidates per peer); past it a candidate gets none until one frees. Owned by
 * the relay's event loop.
 */
final class CandidateProbes {
  static final int SLOTS = 8;

  private final long windowNanos;
  private final InetSocketAddress[] from = new InetSocketAddress[SLOTS];
  private final int[] receivers = new int[SLOTS];
  private final long[] counters = new long[SLOTS];
  private final long[] hashes = new long[SLOTS];
  private final long[] offered = new long[SLOTS];
  private long lastOffered;
  private boolean any;

  CandidateProbes(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  /** Candidate {@code sender} delivered this datagram (not moved nor retained), and WireGuard got it. */
  void offer(InetSocketAddress sender, ByteBuf datagram, DatagramHash hash, long nowNanos) {
    if (!WireGuardShape.isTransport(datagram)) {
      return;
    }
    int free = -1;
    for (int i = 0; i < SLOTS; i++) {
      boolean live = from[i] != null && nowNanos - offered[i] <= windowNanos;
      if (live && from[i].equals(sender)) {
        return;
      }
      if (!live && free < 0) {
        free = i;
      }
    }
    if (free < 0) {
      return;
    }
    int at = datagram.readerIndex();
    from[free] = sender;
    receivers[free] = datagram.getIntLE(at + 4);
    counters[free] = datagram.getLongLE(at + 8);
    hashes[free] = hash.of(datagram);
    offered[free] = nowNanos;
    lastOffered = nowNanos;
    any = true;
  }

  /**
   * The candidate whose probe is a byte-identical copy of this member's datagram (its probe is then used up), or
   * null.
   */
  InetSocketAddress match(ByteBuf datagram, DatagramHash hash, long nowNanos) {
    if (!any) {
      return null;
    }
    if (nowNanos - lastOffered > windowNanos) {
      java.util.Arrays.fill(from, null);
      any = false;
      return null;
    }
    if (!WireGuardShape.isTransport(datagram)) {
      return null;
    }
    int at = datagram.readerIndex();
    int receiver = datagram.getIntLE(at + 4);
    long counter = datagram.getLongLE(at + 8);
    for (int i = 0; i < SLOTS; i++) {
      if (from[i] != null && receivers[i] == receiver && counters[i] == counter
          && nowNanos - offered[i] <= windowNanos && hashes[i] == hash.of(datagram)) {
        InetSocketAddress candidate = from[i];
        from[i] = null;
        return candidate;
      }
    }
    return null;
  }
}
