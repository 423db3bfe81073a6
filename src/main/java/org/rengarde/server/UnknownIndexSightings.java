package org.rengarde.server;

import java.net.InetSocketAddress;
import java.security.SecureRandom;

/**
 * Transport indices no peer holds, seen once recently: such an index opens a tentative peer (a socket towards
 * WireGuard, to learn whether WireGuard answers) only when it is named a second time within
 * {@link #WINDOW_NANOS}. A client resuming after a relay restart names its index in every datagram, and each link
 * delivers a copy, so its second sighting follows the first within a millisecond; a stranger spraying random
 * indices never names one twice, so its junk costs no socket and cannot fill the budget of tentative peers that a
 * resuming client needs (a 64-port fuzzer did exactly that: the lab's client, resuming after a reload, was refused
 * until WireGuard's handshake 15 s later).
 *
 * <p>The first sighting's sender becomes a candidate of the peer the second one opens, as if its datagram had come
 * after: a client's first link is not left out until its next datagram.
 *
 * <p>A fixed table of {@value #SLOTS} entries, one index per slot under a multiplicative hash with a random odd
 * multiplier; a newer index overwrites a slot. Under a flood of N random indices a second the chance that a
 * genuine first sighting is overwritten before its copy arrives t seconds later is about N t / {@value #SLOTS}
 * (90,000/s and 1 ms: 2%); its next datagram tries again. Allocates nothing. Owned by one event loop.
 */
final class UnknownIndexSightings {
  static final int SLOTS = 4096;
  private static final int SHIFT = Integer.numberOfLeadingZeros(SLOTS - 1);
  static final long WINDOW_NANOS = 1_000_000_000L;

  private final int multiplier = new SecureRandom().nextInt() | 1;
  private final int[] indices = new int[SLOTS];
  private final long[] seenNanos = new long[SLOTS];
  private final InetSocketAddress[] firstFrom = new InetSocketAddress[SLOTS];

  /**
   * When {@code index} was named within the window before this sighting, who named it then (the entry is used up);
   * else null, and this sighting is remembered.
   */
  InetSocketAddress earlierSighting(int index, InetSocketAddress from, long nowNanos) {
    int slot = (index * multiplier) >>> SHIFT;
    InetSocketAddress earlier = firstFrom[slot];
    if (earlier != null && indices[slot] == index && nowNanos - seenNanos[slot] <= WINDOW_NANOS) {
      firstFrom[slot] = null;
      return earlier;
    }
    firstFrom[slot] = from;
    indices[slot] = index;
    seenNanos[slot] = nowNanos;
    return null;
  }
}
