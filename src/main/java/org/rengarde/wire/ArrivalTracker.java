package org.rengarde.wire;

/**
 * Sees every copy of every datagram arriving at one receiving side (the client's downlink, or the server's uplink),
 * each tagged with the link (client: interface; server: client address) that delivered it, and
 * <ul>
 *   <li>tells whether the copy is the first within the window: only the first is forwarded (duplicate filter);</li>
 *   <li>measures each link: how often it was first, how late its copies came behind the first, which datagrams
 *       it never delivered although other links did (loss), and which only it delivered.</li>
 * </ul>
 * A datagram is judged when it leaves the window (the window's length after its first copy, or earlier when the
 * table is full): the links that were active when it first arrived and did not deliver it count it missing.
 *
 * <p>O(1) per datagram, no allocation: a ring of entries in arrival order and an open-addressing index over it.
 * Owned by one event loop.
 */
public final class ArrivalTracker {
  public static final int MAX_LINKS = 64;
  /**
   * Datagrams identified by a hash of their bytes (not WireGuard transport messages) are copies only within this
   * much: an application may legitimately resend the same bytes (a DNS retry after a second), which must pass.
   */
  public static final long HASHED_WINDOW_NANOS = 500_000_000L;

  private final long windowNanos;
  private final int capacity;
  private final long[] ids;
  private final long[] firstNanos;
  private final long[] delivered;
  private final long[] expected;
  private final byte[] firstLink;
  /** Index slots: entry number + 1, 0 = empty. Size a power of two, at least twice the capacity. */
  private final int[] slots;
  private final int slotMask;
  private int head;
  private int count;
  private long activeLinks;
  private long duplicatesDropped;
  private final LinkQualityWindow quality;

  /**
   * @param capacity at most this many datagrams are remembered (memory cap: about 48 bytes each)
   * @param windowNanos how long copies of one datagram are recognised as such
   * @param statsWindowSeconds the sliding window of the per-link figures
   */
  public ArrivalTracker(int capacity, long windowNanos, int statsWindowSeconds) {
    this.capacity = capacity;
    this.windowNanos = windowNanos;
    this.ids = new long[capacity];
    this.firstNanos = new long[capacity];
    this.delivered = new long[capacity];
    this.expected = new long[capacity];
    this.firstLink = new byte[capacity];
    int size = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
    this.slots = new int[size];
    this.slotMask = size - 1;
    this.quality = new LinkQualityWindow(statsWindowSeconds);
  }

  /** A link starts being expected to deliver every datagram. */
  public void linkUp(int link) {
    activeLinks |= 1L << link;
  }

  /** A link is no longer expected; its figures stay until {@link #forget}. */
  public void linkDown(int link) {
    activeLinks &= ~(1L << link);
  }

  /**
   * Clears a link's figures, before its slot is given to another link, including its part in the datagrams still
   * in the window (so the new holder of the slot is not judged on them). O(capacity): once per link start.
   */
  public void forget(int link) {
    linkDown(link);
    quality.forget(link);
    long keep = ~(1L << link);
    for (int i = 0, e = head; i < count; i++, e = (e + 1) % capacity) {
      expected[e] &= keep;
      delivered[e] &= keep;
    }
  }

  /**
   * One copy of the datagram {@code id} arrived on {@code link} at {@code nowNanos}. Returns true when it is the
   * first copy (forward it), false for a duplicate (drop it).
   */
  public boolean arrive(long id, int link, long nowNanos) {
    expire(nowNanos);
    long bit = 1L << link;
    int entry = find(id);
    if (entry >= 0 && (id & 1L) != 0 && nowNanos - firstNanos[entry] > HASHED_WINDOW_NANOS) {
      return true;
    }
    if (entry >= 0) {
      if ((delivered[entry] & bit) == 0) {
        delivered[entry] |= bit;
        quality.late(link, nowNanos - firstNanos[entry], nowNanos);
      }
      duplicatesDropped++;
      return false;
    }
    if (count == capacity) {
      retireOldest(nowNanos);
    }
    entry = (head + count) % capacity;
    count++;
    ids[entry] = id;
    firstNanos[entry] = nowNanos;
    delivered[entry] = bit;
    expected[entry] = activeLinks | bit;
    firstLink[entry] = (byte) link;
    insert(id, entry);
    quality.first(link, nowNanos);
    return true;
  }

  /** Judges the datagrams that have left the window; call it on a timer too, so figures move without traffic. */
  public void expire(long nowNanos) {
    while (count > 0 && nowNanos - firstNanos[head] > windowNanos) {
      retireOldest(firstNanos[head] + windowNanos);
    }
  }

  public long duplicatesDropped() {
    return duplicatesDropped;
  }

  /** Datagrams remembered now. */
  public int size() {
    return count;
  }

  public LinkQualityWindow quality() {
    return quality;
  }

  /** Judges the oldest datagram, the figures dated {@code judgedNanos} (never later than now). */
  private void retireOldest(long judgedNanos) {
    int entry = head;
    long got = delivered[entry];
    long wanted = expected[entry];
    long now = judgedNanos;
    boolean unique = Long.bitCount(got) == 1 && Long.bitCount(wanted) > 1;
    for (long m = wanted | got; m != 0; m &= m - 1) {
      int link = Long.numberOfTrailingZeros(m);
      boolean has = (got & (1L << link)) != 0;
      quality.judged(link, has, unique && has, now);
    }
    remove(ids[entry], entry);
    head = (head + 1) % capacity;
    count--;
  }

  private int slotOf(long id) {
    return (int) (DatagramIdentity.mix(id) & slotMask);
  }

  private int find(long id) {
    for (int s = slotOf(id); slots[s] != 0; s = (s + 1) & slotMask) {
      int entry = slots[s] - 1;
      if (ids[entry] == id) {
        return entry;
      }
    }
    return -1;
  }

  private void insert(long id, int entry) {
    int s = slotOf(id);
    while (slots[s] != 0) {
      s = (s + 1) & slotMask;
    }
    slots[s] = entry + 1;
  }

  /** Removes the slot of {@code entry}, shifting back the run after it (linear probing without tombstones). */
  private void remove(long id, int entry) {
    int s = slotOf(id);
    while (slots[s] != entry + 1) {
      s = (s + 1) & slotMask;
    }
    int hole = s;
    for (int next = (hole + 1) & slotMask; slots[next] != 0; next = (next + 1) & slotMask) {
      int home = slotOf(ids[slots[next] - 1]);
      boolean movable = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
      if (movable) {
        slots[hole] = slots[next];
        hole = next;
      }
    }
    slots[hole] = 0;
  }
}
