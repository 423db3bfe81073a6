package org.rengarde.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;

/**
 * Gives each peer's WireGuard-facing socket an IPv4 loopback address of its own (all of 127.0.0.0/8 is loopback on
 * Linux), for when WireGuard listens on loopback. wireguard-go rate-limits handshakes per source IP and answers a
 * busy source with cookies, so junk initiations forwarded for one peer must not come from the address every other
 * peer uses. Addresses go 127.0.1.1, 127.0.1.2, ... 127.0.1.254, 127.0.2.1, ...: 127.0.0.0/24 (127.0.0.1 and what
 * other services bind) and host parts 0 and 255 are skipped. A released address is held for
 * {@link PortQuarantine#HOLD_NANOS} before it is given again: WireGuard may still send the old peer's datagrams
 * there. Owned by one event loop.
 */
public final class LoopbackAddresses {
  private static final int HOSTS = 254;
  /** 127.0.0.0/24 is never given: the sequence starts at 127.0.1.1. */
  private static final int FIRST = HOSTS;
  static final int END = 256 * 256 * HOSTS;

  private final PortQuarantine quarantine;
  private final Set<Integer> inUse = new HashSet<>();
  private int next = FIRST;

  public LoopbackAddresses(PortQuarantine quarantine) {
    this(quarantine, FIRST);
  }

  /** Starts the sequence at its {@code next}-th address (tests of the wrap-around). */
  LoopbackAddresses(PortQuarantine quarantine, int next) {
    this.quarantine = quarantine;
    this.next = next;
  }

  public LoopbackAddresses() {
    this(new PortQuarantine());
  }

  /** The next address neither in use nor held; throws when all 16 million are (a leak, not a load). */
  public InetAddress acquire(long nowNanos) {
    for (int tried = 0; tried < END - FIRST; tried++) {
      int n = next;
      next = next + 1 == END ? FIRST : next + 1;
      InetAddress address = addressOf(n);
      if (!inUse.contains(n) && !quarantine.isHeld(new InetSocketAddress(address, 0), nowNanos)) {
        inUse.add(n);
        return address;
      }
    }
    throw new IllegalStateException("every loopback address is in use or held");
  }

  /** The peer using {@code address} closed its socket: hold the address, then give it again. */
  public void release(InetAddress address, long nowNanos) {
    release(address, nowNanos, true);
  }

  /**
   * As above; with {@code hold} false the address is not held back (its socket never opened, so WireGuard never
   * sent anything there).
   */
  public void release(InetAddress address, long nowNanos, boolean hold) {
    byte[] b = address.getAddress();
    int host = b.length == 4 ? b[3] & 0xFF : 0;
    int n = b.length == 4 ? ((b[1] & 0xFF) * 256 + (b[2] & 0xFF)) * HOSTS + host - 1 : -1;
    if (b[0] != 127 || host < 1 || host > HOSTS || n < FIRST || !inUse.remove(n)) {
      throw new IllegalArgumentException("not an address given here: " + address.getHostAddress());
    }
    if (hold) {
      quarantine.hold(new InetSocketAddress(address, 0), nowNanos);
    }
  }

  public int inUse() {
    return inUse.size();
  }

  static InetAddress addressOf(int n) {
    int net = n / HOSTS;
    byte[] b = {127, (byte) (net >>> 8), (byte) net, (byte) (n % HOSTS + 1)};
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
