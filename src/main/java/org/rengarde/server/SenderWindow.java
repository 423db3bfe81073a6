package org.rengarde.server;

import io.netty.buffer.ByteBuf;
import org.rengarde.wire.DatagramHash;
import org.rengarde.wire.WireGuardShape;

/**
 * Who sent to a peer's WireGuard-facing socket since WireGuard last sent on it: one address, or several. This is
 * the weakest admission proof of {@link PeerTable} (WireGuard answered right after one sender's datagrams).
 *
 * <p>When every link of a client is cut and comes back, each link has a new port and the peer has no live member:
 * all of them are candidates at once and deliver copies of the same datagrams. Counted as several senders, none
 * would ever be admitted (no member is left to copy either), and the tunnel stays dead until WireGuard's next
 * handshake, up to 15 s later. So a candidate's transport datagram that is byte-identical to one the sole candidate
 * sender delivered in this window is a copy: WireGuard has it, the caller drops it, and it does not count as a
 * second sender. Once the first is admitted, the others' copies of a member's datagrams prove them in turn. Only a
 * sender on the path can copy those bytes, the same proof as a copy of a member's datagram.
 *
 * <p>The sole sender's transport datagrams are kept (index, counter, hash) only while it is a candidate, at most
 * {@value #KEPT} per window: a member's datagrams cost no hash here. Owned by the table's event loop.
 */
final class SenderWindow {
  static final int KEPT = 4;

  private PeerAddress sole;
  private boolean many;
  private final int[] receivers = new int[KEPT];
  private final long[] counters = new long[KEPT];
  private final long[] hashes = new long[KEPT];
  private int kept;

  /**
   * Whether {@code datagram} (shaped like WireGuard's) from {@code from} is a byte-identical copy of a transport
   * datagram the sole sender, a candidate, delivered in this window. Reads without moving the buffer's indexes.
   */
  boolean isCopyOfSole(PeerAddress from, ByteBuf datagram, DatagramHash hash) {
    if (kept == 0 || sole == from || !WireGuardShape.isTransport(datagram)) {
      return false;
    }
    int at = datagram.readerIndex();
    int receiver = datagram.getIntLE(at + 4);
    long counter = datagram.getLongLE(at + 8);
    long h = 0;
    boolean hashed = false;
    for (int i = 0; i < kept; i++) {
      if (receivers[i] == receiver && counters[i] == counter) {
        if (!hashed) {
          h = hash.of(datagram);
          hashed = true;
        }
        if (hashes[i] == h) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code from} sent {@code datagram} (shaped like WireGuard's; null: a copy of an initiation) to the socket. */
  void heard(PeerAddress from, ByteBuf datagram, DatagramHash hash) {
    if (sole == null) {
      sole = from;
    } else if (sole != from) {
      many = true;
      kept = 0;
      return;
    }
    if (!many && kept < KEPT && from.role == PeerAddress.Role.CANDIDATE && datagram != null
        && WireGuardShape.isTransport(datagram)) {
      int at = datagram.readerIndex();
      receivers[kept] = datagram.getIntLE(at + 4);
      counters[kept] = datagram.getLongLE(at + 8);
      hashes[kept] = hash.of(datagram);
      kept++;
    }
  }

  /** The one address that sent since WireGuard's last datagram, or null (nobody, or several). */
  PeerAddress sole() {
    return many ? null : sole;
  }

  /** WireGuard sent on the socket: a new window. */
  void reset() {
    sole = null;
    many = false;
    kept = 0;
  }
}
