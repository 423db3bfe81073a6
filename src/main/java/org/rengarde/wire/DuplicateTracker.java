package org.rengarde.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.SplittableRandom;

/**
 * Sees every copy of every datagram arriving at one receiving side (the client's downlink, or the server's
 * uplink), each tagged with its peer ({@link TrackedPeer}) and the link within that peer that delivered it, and
 * <ul>
 *   <li>tells whether to forward the copy ({@link Verdict}): only the first copy of a datagram is forwarded;</li>
 *   <li>measures each link of each peer: how often it was first, how late its copies came behind the first, which
 *       datagrams it never delivered although other links of its peer did (loss), which only it delivered, and
 *       how often its copies were altered.</li>
 * </ul>
 *
 * <p>The rules, per peer (the same bytes in two peers are two datagrams):
 * <ul>
 *   <li><b>WireGuard transport</b> (see {@link DatagramIdentity}): identity = (receiver index, counter), plus a
 *       hash of all the bytes. Same identity and same hash: {@link Verdict#DUPLICATE}, on any link. Same identity,
 *       other bytes: {@link Verdict#ALTERED}, forwarded, since only WireGuard can tell which copy is genuine (a link
 *       that alters every payload and is fastest would otherwise get every genuine copy dropped). The first two
 *       versions are tracked with the links that delivered each; when the datagram is judged, the links of the
 *       version fewer links delivered count {@code altered} (both versions' links on a tie: two links that
 *       disagree cannot be told apart without the keys). A copy of a third version is forwarded and counts
 *       {@code altered} on its link at once; it is not tracked, so it also counts missing.</li>
 *   <li><b>Anything else</b> (handshakes, any UDP payload): identity = hash of all the bytes. A copy on a link that
 *       has not delivered the current instance is a {@link Verdict#DUPLICATE}; the same bytes again on a link that
 *       has (a DNS retry, a heartbeat, a silence frame) are a new instance, {@link Verdict#REPEAT}, forwarded: the
 *       previous instance is judged and the new one starts with this link alone. Limitation: when a fast link
 *       delivers the next instance before a slow link delivered the previous one, the slow link's copy of the
 *       previous instance is taken for the new instance's copy (dropped), and its copy of the new instance passes
 *       as a repeat: one extra copy forwarded, and the slow link's lateness of the first measured against the
 *       second.</li>
 *   <li><b>Zero-byte datagrams</b>: {@link Verdict#EMPTY}, always forwarded, never tracked, counted per peer. They
 *       carry nothing to tell one from another, so any two would be "copies"; an extra empty datagram costs
 *       WireGuard or an application nothing, a dropped one may be a keepalive.</li>
 * </ul>
 *
 * <p>A datagram is judged when it leaves the window (the window's length after its first copy, or earlier when
 * the table is full, or when a repeat starts its next instance): the links of its peer that were up when it first
 * arrived and did not deliver it count it missing.
 *
 * <p>O(1) per copy, no allocation (but a link's figures on its first datagram): one ring of entries in arrival
 * order shared by all peers, and an open-addressing index over it keyed by (peer, identity). Removing a peer or
 * forgetting a link is O(1): entries are not touched, they are ignored (their owner is marked removed; a link's
 * bits in entries older than its {@link TrackedPeer#forget} are masked off). Owned by one event loop.
 *
 * <p>Memory: 68 bytes per entry (seven longs, one reference, and two int index slots at most half full), shared by
 * all peers; per peer see {@link TrackedPeer}. The table starts with {@link #INITIAL_ENTRIES} entries (70 KB) and
 * doubles when it is full and younger entries than the window's length would otherwise have to be retired, up to its
 * capacity (4.5 MB for 65,536 entries): an idle relay keeps a small table, a busy one the table its traffic needs
 * (a window's worth of datagrams). It never shrinks; each doubling copies the entries once, on the owning loop.
 */
public final class DuplicateTracker {
  public static final int MAX_LINKS = 64;
  /** Entries a tracker starts with, unless its capacity is smaller. */
  public static final int INITIAL_ENTRIES = 1024;

  private final long windowNanos;
  private final int statsWindowSeconds;
  private final DatagramHash hash;
  private final SplittableRandom salts;
  /** The most entries the table may grow to. */
  private final int capacity;
  /** The entries the ring holds now (the arrays' length): {@link #INITIAL_ENTRIES} at first, then doubled. */
  private int ring;
  /** The identity of each entry, xor its peer's salt. */
  private long[] keys;
  private long[] firstNanos;
  /** The hash of the first version's bytes, and the links that delivered that version. */
  private long[] hashes;
  private long[] delivered;
  /** A second version of a transport message, if any: its hash and its links (0: none). */
  private long[] altHashes;
  private long[] altDelivered;
  private long[] expected;
  /** null: an instance superseded by a repeat, no longer in the index. */
  private TrackedPeer[] owners;
  /** Index slots: entry number + 1, 0 = empty. Size a power of two, at least twice the ring. */
  private int[] slots;
  private int slotShift;
  private int head;
  private int count;
  /** Entries ever made: the sequence number of the next one. */
  private long made;

  /**
   * @param capacity at most this many datagrams are remembered (68 bytes each)
   * @param windowNanos how long copies of one datagram are recognised as such
   * @param statsWindowSeconds the sliding window of the per-link figures
   */
  public DuplicateTracker(int capacity, long windowNanos, int statsWindowSeconds) {
    this(capacity, Math.min(capacity, INITIAL_ENTRIES), windowNanos, statsWindowSeconds, DatagramHash.random());
  }

  DuplicateTracker(int capacity, long windowNanos, int statsWindowSeconds, DatagramHash hash) {
    this(capacity, Math.min(capacity, INITIAL_ENTRIES), windowNanos, statsWindowSeconds, hash);
  }

  /** @param initial the entries the table starts with (1 to {@code capacity}); it doubles when full, up to capacity */
  DuplicateTracker(int capacity, int initial, long windowNanos, int statsWindowSeconds, DatagramHash hash) {
    if (capacity < 1 || initial < 1 || initial > capacity) {
      throw new IllegalArgumentException("capacity " + capacity + ", initial " + initial);
    }
    this.capacity = capacity;
    this.windowNanos = windowNanos;
    this.statsWindowSeconds = statsWindowSeconds;
    this.hash = hash;
    // the same under a given key (tests), as secret as the key otherwise
    this.salts = new SplittableRandom(hash.of(Unpooled.EMPTY_BUFFER));
    this.ring = initial;
    this.keys = new long[initial];
    this.firstNanos = new long[initial];
    this.hashes = new long[initial];
    this.delivered = new long[initial];
    this.altHashes = new long[initial];
    this.altDelivered = new long[initial];
    this.expected = new long[initial];
    this.owners = new TrackedPeer[initial];
    newIndex();
  }

  public TrackedPeer newPeer() {
    return new TrackedPeer(this, salts.nextLong());
  }

  /**
   * The peer is gone: its datagrams still in the window are ignored from now on (they leave with the window) and
   * it must not be used again. O(1).
   */
  public void remove(TrackedPeer peer) {
    ownedHere(peer);
    peer.remove();
  }

  /**
   * One copy of {@code datagram} (its readable bytes, not moved nor retained) arrived from {@code peer} on its
   * link {@code slot} (0-63) at {@code nowNanos}.
   */
  public Verdict arrive(TrackedPeer peer, ByteBuf datagram, int slot, long nowNanos) {
    ownedHere(peer);
    long bit = TrackedPeer.bit(slot);
    expire(nowNanos);
    if (datagram.readableBytes() == 0) {
      peer.countEmpty();
      return Verdict.EMPTY;
    }
    long content = hash.of(datagram);
    boolean transport = WireGuardShape.isTransport(datagram);
    long key = (transport ? DatagramIdentity.ofTransport(hash, datagram) : DatagramIdentity.ofContent(content))
        ^ peer.salt;
    int entry = find(peer, key);
    if (entry < 0) {
      add(peer, key, content, slot, nowNanos);
      return Verdict.FIRST;
    }
    long live = ~peer.forgottenSince(sequenceOf(entry));
    return transport
        ? transportCopy(entry, peer, content, slot, bit & live, nowNanos)
        : contentCopy(entry, peer, key, content, slot, bit & live, nowNanos);
  }

  /**
   * Whether {@code datagram} is a byte-identical copy of one a link of {@code peer} delivered within the window,
   * without recording anything: on the server, an address that is not yet a member but delivers such a copy is on
   * the path of the peer's datagrams (only an on-path sender can copy them), which admits it.
   */
  public boolean isCopy(TrackedPeer peer, ByteBuf datagram) {
    ownedHere(peer);
    if (datagram.readableBytes() == 0) {
      return false;
    }
    long content = hash.of(datagram);
    boolean transport = WireGuardShape.isTransport(datagram);
    long key = (transport ? DatagramIdentity.ofTransport(hash, datagram) : DatagramIdentity.ofContent(content))
        ^ peer.salt;
    int entry = find(peer, key);
    return entry >= 0 && hashes[entry] == content && delivered[entry] != 0;
  }

  /** {@code bit}: the link's bit, 0 when the link was forgotten since the entry was made (then it counts nothing). */
  private Verdict transportCopy(int entry, TrackedPeer peer, long content, int slot, long bit, long nowNanos) {
    boolean second = altDelivered[entry] != 0;
    if (content == hashes[entry] || (second && content == altHashes[entry])) {
      boolean alt = content != hashes[entry];
      lateIfNew(entry, peer, slot, bit, nowNanos);
      if (alt) {
        altDelivered[entry] |= bit;
      } else {
        delivered[entry] |= bit;
      }
      peer.countDuplicate();
      return Verdict.DUPLICATE;
    }
    if (!second && bit != 0) {
      lateIfNew(entry, peer, slot, bit, nowNanos);
      altHashes[entry] = content;
      altDelivered[entry] = bit;
      return Verdict.ALTERED;
    }
    if (bit != 0) {
      peer.link(slot).altered(nowNanos);
    }
    return Verdict.ALTERED;
  }

  private Verdict contentCopy(int entry, TrackedPeer peer, long key, long content, int slot, long bit, long nowNanos) {
    if ((delivered[entry] & bit) != 0) {
      judge(entry, nowNanos);
      unindex(entry);
      owners[entry] = null;
      add(peer, key, content, slot, nowNanos);
      return Verdict.REPEAT;
    }
    lateIfNew(entry, peer, slot, bit, nowNanos);
    delivered[entry] |= bit;
    peer.countDuplicate();
    return Verdict.DUPLICATE;
  }

  /** The first copy of the datagram from this link, of any version: it is late by this much. */
  private void lateIfNew(int entry, TrackedPeer peer, int slot, long bit, long nowNanos) {
    if (bit != 0 && ((delivered[entry] | altDelivered[entry]) & bit) == 0) {
      peer.link(slot).late(nowNanos - firstNanos[entry], nowNanos);
    }
  }

  /** Judges the datagrams that have left the window; call it on a timer too, so figures move without traffic. */
  public void expire(long nowNanos) {
    while (count > 0 && nowNanos - firstNanos[head] > windowNanos) {
      retireOldest(firstNanos[head] + windowNanos);
    }
  }

  /** Entries in the ring now (including instances superseded by a repeat and removed peers' datagrams). */
  public int size() {
    return count;
  }

  /** The entries the table has room for now, before it grows again (at most its capacity). */
  public int entries() {
    return ring;
  }

  int statsWindowSeconds() {
    return statsWindowSeconds;
  }

  long nextSequence() {
    return made;
  }

  private void ownedHere(TrackedPeer peer) {
    if (!peer.belongsTo(this) || peer.removed()) {
      throw new IllegalArgumentException(peer.removed() ? "peer removed" : "peer of another tracker");
    }
  }

  private void add(TrackedPeer peer, long key, long content, int slot, long nowNanos) {
    if (count == ring) {
      if (ring < capacity) {
        grow();
      } else {
        retireOldest(nowNanos);
      }
    }
    int entry = head + count < ring ? head + count : head + count - ring;
    count++;
    made++;
    long bit = 1L << slot;
    keys[entry] = key;
    firstNanos[entry] = nowNanos;
    hashes[entry] = content;
    delivered[entry] = bit;
    altHashes[entry] = 0;
    altDelivered[entry] = 0;
    expected[entry] = peer.active() | bit;
    owners[entry] = peer;
    index(key, entry);
    peer.link(slot).first(nowNanos);
  }

  private long sequenceOf(int entry) {
    int age = entry >= head ? entry - head : entry + ring - head;
    return made - count + age;
  }

  /** Judges the oldest entry, its figures dated {@code judgedNanos} (never later than now). */
  private void retireOldest(long judgedNanos) {
    int entry = head;
    if (owners[entry] != null) {
      judge(entry, judgedNanos);
      unindex(entry);
      owners[entry] = null;
    }
    head = head + 1 == ring ? 0 : head + 1;
    count--;
  }

  private void judge(int entry, long nowNanos) {
    TrackedPeer peer = owners[entry];
    if (peer.removed()) {
      return;
    }
    long live = ~peer.forgottenSince(sequenceOf(entry));
    long first = delivered[entry] & live;
    long second = altDelivered[entry] & live;
    long got = first | second;
    long wanted = expected[entry] & live;
    long altered = alteredLinks(first, second);
    boolean unique = Long.bitCount(got) == 1 && Long.bitCount(wanted) > 1;
    for (long m = wanted | got; m != 0; m &= m - 1) {
      int slot = Long.numberOfTrailingZeros(m);
      long bit = 1L << slot;
      LinkQualityWindow link = peer.link(slot);
      boolean has = (got & bit) != 0;
      link.judged(has, unique && has, nowNanos);
      if ((altered & bit) != 0) {
        link.altered(nowNanos);
      }
    }
  }

  /** The links of the version fewer links delivered; both versions' links on a tie; none with one version. */
  static long alteredLinks(long first, long second) {
    if (second == 0) {
      return 0;
    }
    int a = Long.bitCount(first);
    int b = Long.bitCount(second);
    return a < b ? first : b < a ? second : first | second;
  }

  /**
   * Doubles the ring (up to the capacity) when it is full: the entries keep their order, oldest first from 0, and
   * are indexed again. Entries out of the index (superseded instances) stay out; their sequence numbers are kept.
   */
  private void grow() {
    int larger = (int) Math.min(capacity, 2L * ring);
    keys = unrolled(keys, new long[larger]);
    firstNanos = unrolled(firstNanos, new long[larger]);
    hashes = unrolled(hashes, new long[larger]);
    delivered = unrolled(delivered, new long[larger]);
    altHashes = unrolled(altHashes, new long[larger]);
    altDelivered = unrolled(altDelivered, new long[larger]);
    expected = unrolled(expected, new long[larger]);
    owners = unrolled(owners, new TrackedPeer[larger]);
    head = 0;
    ring = larger;
    newIndex();
    for (int entry = 0; entry < count; entry++) {
      if (owners[entry] != null) {
        index(keys[entry], entry);
      }
    }
  }

  /** A full ring's values (an array of the ring's length) from the oldest on, into {@code moved}, a larger one. */
  private <A> A unrolled(A values, A moved) {
    System.arraycopy(values, head, moved, 0, ring - head);
    System.arraycopy(values, 0, moved, ring - head, head);
    return moved;
  }

  /** An empty index sized for the ring: a power of two, at least twice the ring. */
  private void newIndex() {
    int size = Integer.highestOneBit(Math.max(4, ring * 2 - 1)) << 1;
    slots = new int[size];
    slotShift = 64 - Integer.numberOfTrailingZeros(size);
  }

  private int home(long key) {
    return (int) (key >>> slotShift);
  }

  private int find(TrackedPeer peer, long key) {
    int mask = slots.length - 1;
    for (int s = home(key); slots[s] != 0; s = (s + 1) & mask) {
      int entry = slots[s] - 1;
      if (keys[entry] == key && owners[entry] == peer) {
        return entry;
      }
    }
    return -1;
  }

  private void index(long key, int entry) {
    int mask = slots.length - 1;
    int s = home(key);
    while (slots[s] != 0) {
      s = (s + 1) & mask;
    }
    slots[s] = entry + 1;
  }

  /** Removes the slot of {@code entry}, shifting back the run after it (linear probing without tombstones). */
  private void unindex(int entry) {
    int mask = slots.length - 1;
    int s = home(keys[entry]);
    while (slots[s] != entry + 1) {
      s = (s + 1) & mask;
    }
    int hole = s;
    for (int next = (hole + 1) & mask; slots[next] != 0; next = (next + 1) & mask) {
      int home = home(keys[slots[next] - 1]);
      boolean movable = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
      if (movable) {
        slots[hole] = slots[next];
        hole = next;
      }
    }
    slots[hole] = 0;
  }
}
