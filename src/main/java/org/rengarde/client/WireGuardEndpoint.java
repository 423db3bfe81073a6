package org.rengarde.client;

import io.netty.buffer.ByteBuf;
import org.rengarde.wire.WireGuardShape;

import java.net.InetSocketAddress;

/**
 * Which sender on {@code listenAddr} is the local WireGuard, the one address the downlink writes to. engarde takes
 * the latest sender of anything, so any local process becomes "WireGuard" with one datagram. Here (with
 * {@code wireGuardFilter} on) only WireGuard-shaped datagrams count, and the address moves to a new sender only when
 * the server's WireGuard answers that sender's handshake initiation (what a restarted WireGuard sends first: the
 * response names the initiation's sender index, which only the genuine peer's keys make the server answer), or after
 * the current one was silent for {@value #SILENCE_SECONDS} s; every other datagram of another sender is counted and
 * dropped. Its initiation itself is relayed (the server judges it), its replies go nowhere until it is answered. Off,
 * engarde's rule: the latest sender of anything. Owned by the Dispatcher's event loop.
 */
final class WireGuardEndpoint {
  static final int SILENCE_SECONDS = 10;
  private static final long SILENCE_NANOS = SILENCE_SECONDS * 1_000_000_000L;

  private boolean filter;
  private InetSocketAddress current;
  private long lastNanos;
  private long refused;
  private long moves;
  /** A new sender whose initiation was relayed, and that initiation's sender index: it moves when answered. */
  private InetSocketAddress pending;
  private int pendingIndex;

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
    if (current != null && !sender.equals(current) && nowNanos - lastNanos <= SILENCE_NANOS) {
      if (datagram.getByte(datagram.readerIndex()) == WireGuardShape.HANDSHAKE_INITIATION) {
        pending = sender;
        pendingIndex = datagram.getIntLE(datagram.readerIndex() + 4);
        return true;
      }
      refused++;
      return false;
    }
    if (current != null && !sender.equals(current)) {
      moves++;
    }
    current = sender;
    lastNanos = nowNanos;
    return true;
  }

  /**
   * Where a datagram from the links goes: WireGuard's address, which moves to the pending sender first when this is
   * the server's response to its initiation.
   */
  InetSocketAddress destinationFor(ByteBuf fromLink) {
    if (pending != null && fromLink.readableBytes() == WireGuardShape.RESPONSE_LENGTH
        && fromLink.getByte(fromLink.readerIndex()) == WireGuardShape.HANDSHAKE_RESPONSE
        && fromLink.getIntLE(fromLink.readerIndex() + 8) == pendingIndex) {
      current = pending;
      pending = null;
      moves++;
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
