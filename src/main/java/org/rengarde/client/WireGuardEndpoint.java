package org.rengarde.client;

import io.netty.buffer.ByteBuf;
import org.rengarde.wire.WireGuardShape;

import java.net.InetSocketAddress;

/**
 * Which sender on {@code listenAddr} is the local WireGuard, the one address the downlink writes to. engarde takes
 * the latest sender of anything, so any local process becomes "WireGuard" with one datagram. Here (with
 * {@code wireGuardFilter} on) only WireGuard-shaped datagrams count, and the address moves to a new sender only on
 * a handshake initiation (what a restarted WireGuard sends first) or after the current one was silent for
 * {@value #SILENCE_SECONDS} s (WireGuard sends at least every keepalive while the tunnel carries anything); every
 * other datagram is counted and dropped. Off, engarde's rule: the latest sender of anything. Owned by the
 * Dispatcher's event loop.
 */
final class WireGuardEndpoint {
  static final int SILENCE_SECONDS = 10;
  private static final long SILENCE_NANOS = SILENCE_SECONDS * 1_000_000_000L;

  private boolean filter;
  private InetSocketAddress current;
  private long lastNanos;
  private long refused;
  private long moves;

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
    if (current != null && !sender.equals(current)) {
      boolean initiation = datagram.getByte(datagram.readerIndex()) == WireGuardShape.HANDSHAKE_INITIATION;
      if (!initiation && nowNanos - lastNanos <= SILENCE_NANOS) {
        refused++;
        return false;
      }
      moves++;
    }
    current = sender;
    lastNanos = nowNanos;
    return true;
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
