package org.rengarde.server;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Socket addresses a closed peer's WireGuard-facing socket used, held back from other peers for a while: WireGuard
 * keeps sending to a peer's last endpoint (transport until its keys expire at 180 s, handshake retries), and a new
 * peer bound there would receive another client's datagrams. A held address with port 0 holds every port of its IP
 * (a per-peer loopback address). Holding is first in, first out (one hold time), so expiry is a look at the head.
 * Owned by one event loop.
 */
public final class PortQuarantine {
  /** WireGuard's REJECT_AFTER_TIME: no key older than this is used, so no transport is sent to an older endpoint. */
  public static final long HOLD_NANOS = 180_000_000_000L;

  private final long holdNanos;
  private final Map<InetSocketAddress, Long> heldSince = new HashMap<>();
  private final ArrayDeque<InetSocketAddress> order = new ArrayDeque<>();
  private final ArrayDeque<Long> orderNanos = new ArrayDeque<>();

  public PortQuarantine(long holdNanos) {
    this.holdNanos = holdNanos;
  }

  public PortQuarantine() {
    this(HOLD_NANOS);
  }

  /** {@code released} (a closed socket's bound address) may not be used again before the hold time has passed. */
  public void hold(InetSocketAddress released, long nowNanos) {
    expire(nowNanos);
    heldSince.put(released, nowNanos);
    order.addLast(released);
    orderNanos.addLast(nowNanos);
  }

  /** Whether {@code address} is still held, by itself or by a hold on its whole IP (port 0). */
  public boolean isHeld(InetSocketAddress address, long nowNanos) {
    expire(nowNanos);
    if (heldSince.containsKey(address)) {
      return true;
    }
    return address.getPort() != 0 && heldSince.containsKey(new InetSocketAddress(address.getAddress(), 0));
  }

  /** Addresses still held (including any past their time that no call has looked at since). */
  public int size() {
    return heldSince.size();
  }

  private void expire(long nowNanos) {
    while (!order.isEmpty() && nowNanos - orderNanos.peekFirst() >= holdNanos) {
      InetSocketAddress head = order.removeFirst();
      long since = orderNanos.removeFirst();
      // A later hold of the same address is still in the queue; only the last one removes it.
      heldSince.remove(head, since);
    }
  }
}
