package org.rengarde.client;

import io.netty.buffer.ByteBuf;
import org.rengarde.wire.RecentIndices;
import org.rengarde.wire.WireGuardShape;

import java.net.InetSocketAddress;

/**
 * Which sender on {@code listenAddr} is the local WireGuard, the one address the downlink writes to. engarde takes
 * the latest sender of anything, so any local process becomes "WireGuard" with one datagram. Here (with
 * {@code wireGuardFilter} on) only WireGuard-shaped datagrams count, and the address moves to a new sender only
 * <ul>
 *   <li>when the server's WireGuard answers that sender's handshake initiation (what a restarted WireGuard sends
 *       first: the response names the initiation's sender index, which only the genuine peer's keys make the server
 *       answer);</li>
 *   <li>when that sender's transport datagram names the server's index of a session this relay saw (WireGuard moved
 *       to another port mid-session; another local process does not know the index, which only the handshake
 *       response on the links and WireGuard's own datagrams tell: the last {@value #INDICES_KEPT} of each are
 *       kept, and those the current sender's datagrams told are forgotten when an answered initiation moves the
 *       address, since that sender may have been a local process that sent first);</li>
 *   <li>or, only while no such index is known (the relay started mid-session and WireGuard has sent no transport
 *       datagram since), after the current one was silent for {@value #SILENCE_SECONDS} s.</li>
 * </ul>
 * Every other datagram of another sender is counted and dropped. Its initiation itself is relayed (the server
 * judges it), its replies go nowhere until it is answered. (The silence rule alone let a local sprayer of
 * WireGuard-shaped junk take the address whenever WireGuard paused for 10 s, and keep it until WireGuard's next
 * handshake: the lab's fuzzer did, after a reload.) Off, engarde's rule: the latest sender of anything. Owned by the
 * Dispatcher's event loop.
 */
final class WireGuardEndpoint {
  static final int SILENCE_SECONDS = 10;
  static final int INDICES_KEPT = 4;
  private static final long SILENCE_NANOS = SILENCE_SECONDS * 1_000_000_000L;

  private boolean filter;
  private InetSocketAddress current;
  private long lastNanos;
  private long refused;
  private long moves;
  /** A new sender whose initiation was relayed, and that initiation's sender index: it moves when answered. */
  private InetSocketAddress pending;
  private int pendingIndex;
  /** The server's indices of sessions whose handshake response came over the links. */
  private final RecentIndices fromLinks = new RecentIndices(INDICES_KEPT);
  /**
   * The server's indices named by the current sender's own datagrams (its transport, its handshake responses):
   * only as trustworthy as that sender, which may have been the first local process to send anything, so they are
   * forgotten when an answered initiation proves another sender is WireGuard.
   */
  private final RecentIndices fromCurrent = new RecentIndices(INDICES_KEPT);

  WireGuardEndpoint(boolean filter) {
    this.filter = filter;
  }

  void setFilter(boolean filter) {
    this.filter = filter;
  }

  /** A datagram from {@code sender} arrived on the listen socket: true to relay it (it is WireGuard's). */
  boolean accept(ByteBuf datagram, InetSocketAddress sender, long nowNanos) {
    if (!filter) {
      current = sender;
      lastNanos = nowNanos;
      return true;
    }
    if (!WireGuardShape.matches(datagram)) {
      refused++;
      return false;
    }
    int at = datagram.readerIndex();
    int type = datagram.getByte(at);
    if (current != null && !sender.equals(current)) {
      boolean knownSession = type == WireGuardShape.TRANSPORT_DATA && isServerIndex(datagram.getIntLE(at + 4));
      boolean anySessionKnown = !fromLinks.isEmpty() || !fromCurrent.isEmpty();
      if (!knownSession && (anySessionKnown || nowNanos - lastNanos <= SILENCE_NANOS)) {
        if (type == WireGuardShape.HANDSHAKE_INITIATION) {
          pending = sender;
          pendingIndex = datagram.getIntLE(at + 4);
          return true;
        }
        refused++;
        return false;
      }
      moves++;
    }
    if (type == WireGuardShape.TRANSPORT_DATA) {
      // WireGuard's own transport names the server's index of the session it is in: known from its first datagram
      // after a start mid-session, so the silence rule is left to a WireGuard that has sent none yet.
      fromCurrent.learn(datagram.getIntLE(at + 4));
    } else if (type == WireGuardShape.HANDSHAKE_RESPONSE) {
      // WireGuard answers the server's initiation: the receiver index is the server's.
      fromCurrent.learn(datagram.getIntLE(at + 8));
    }
    current = sender;
    lastNanos = nowNanos;
    return true;
  }

  private boolean isServerIndex(int index) {
    return fromLinks.contains(index) || fromCurrent.contains(index);
  }

  /**
   * Where a datagram from the links goes: WireGuard's address, which moves to the pending sender first when this is
   * the server's response to its initiation.
   */
  InetSocketAddress destinationFor(ByteBuf fromLink) {
    if (fromLink.readableBytes() == WireGuardShape.RESPONSE_LENGTH
        && fromLink.getByte(fromLink.readerIndex()) == WireGuardShape.HANDSHAKE_RESPONSE) {
      fromLinks.learn(fromLink.getIntLE(fromLink.readerIndex() + 4));
      if (pending != null && fromLink.getIntLE(fromLink.readerIndex() + 8) == pendingIndex) {
        current = pending;
        pending = null;
        fromCurrent.clear();
        moves++;
      }
    }
    return current;
  }

  /** WireGuard's address, or null before its first datagram. */
  InetSocketAddress current() {
    return current;
  }

  /** Datagrams dropped: not WireGuard-shaped, or from another sender while WireGuard's address is in use. */
  long refused() {
    return refused;
  }

  /** Times the address moved to a new sender. */
  long moves() {
    return moves;
  }
}
