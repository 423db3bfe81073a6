package org.rengarde.server;

import java.net.InetSocketAddress;

/**
 * The client addresses one datagram from WireGuard goes to, as {@link PeerTable#fromWireGuard} lists them. One
 * instance, refilled by every call: read it before the next. Each address is listed once.
 */
public final class Recipients {
  private final PeerAddress[] items = new PeerAddress[Peer.MAX_MEMBERS + Peer.INITIATIONS_KEPT * Initiation.MAX_SENDERS];
  private int count;
  private int delivery;

  public int count() {
    return count;
  }

  /** Recipient {@code i}: a member, or an initiator getting the reply to its own initiation. */
  public PeerAddress get(int i) {
    return items[i];
  }

  public InetSocketAddress address(int i) {
    return items[i].address();
  }

  void start() {
    java.util.Arrays.fill(items, 0, count, null);
    count = 0;
    delivery++;
  }

  void add(PeerAddress a) {
    if (a.listedFor != delivery && count < items.length) {
      a.listedFor = delivery;
      items[count++] = a;
    }
  }
}
