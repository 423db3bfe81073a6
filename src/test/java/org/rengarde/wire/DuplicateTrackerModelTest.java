package org.rengarde.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rengarde.wire.DuplicateTrackerTest.HASH;
import static org.rengarde.wire.DuplicateTrackerTest.T0;

/** The tracker against a reference model that applies the documented rules to the bytes themselves. */
class DuplicateTrackerModelTest {
  private static final int LINKS = 6;

  /** Peers come and go, links go up, down and are forgotten, datagrams of every kind arrive in bursts and lulls. */
  @Test
  void randomisedAgainstReferenceModel() {
    Random random = new Random(20240611L);
    List<byte[]> plain = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      byte[] b = new byte[1 + random.nextInt(60)];
      random.nextBytes(b);
      b[0] = (byte) (i < 3 ? 4 : 0x55); // a few type-4 too short or with non-zero reserved bytes
      plain.add(b);
    }
    for (int i = 0; i < 5; i++) {
      byte[] initiation = new byte[148];
      random.nextBytes(initiation);
      initiation[0] = 1;
      initiation[1] = initiation[2] = initiation[3] = 0;
      plain.add(initiation);
    }
    Run run = new Run(512, 50_000, 3);
    long now = T0;
    for (int i = 0; i < 200_000; i++) {
      // phases of 10000 arrivals, alternately faster (table full: capacity retirements) and slower than the window
      int gapBound = (i / 10_000) % 2 == 0 ? 40 : 150;
      now += random.nextInt(5000) == 0 ? random.nextInt(200_000) : random.nextInt(gapBound);
      run.maybeChangePeersOrLinks(random, now);
      int pick = random.nextInt(100);
      byte[] datagram;
      if (pick < 55) {
        int version = random.nextInt(20) < 17 ? 0 : 1 + random.nextInt(2);
        datagram = DuplicateTrackerTest.transport(1 + random.nextInt(2), i / 50 + random.nextInt(300), version);
      } else if (pick < 97) {
        datagram = plain.get(random.nextInt(plain.size()));
      } else {
        datagram = new byte[0];
      }
      run.arrive(random.nextInt(run.peers.size()), datagram, random.nextInt(LINKS + 2), now, "step " + i);
    }
    run.finish(now);
    Model m = run.model;
    assertTrue(m.count[Verdict.FIRST.ordinal()] > 30_000, "first " + m.count[Verdict.FIRST.ordinal()]);
    assertTrue(m.count[Verdict.DUPLICATE.ordinal()] > 30_000, "duplicate " + m.count[Verdict.DUPLICATE.ordinal()]);
    assertTrue(m.count[Verdict.ALTERED.ordinal()] > 3_000, "altered " + m.count[Verdict.ALTERED.ordinal()]);
    assertTrue(m.count[Verdict.REPEAT.ordinal()] > 5_000, "repeat " + m.count[Verdict.REPEAT.ordinal()]);
    assertTrue(m.count[Verdict.EMPTY.ordinal()] > 3_000, "empty " + m.count[Verdict.EMPTY.ordinal()]);
    assertTrue(m.capacityRetirements > 1000, "capacity retirements: " + m.capacityRetirements);
    assertTrue(m.timeRetirements > 10_000, "time retirements: " + m.timeRetirements);
    assertTrue(run.removedPeers > 10 && run.forgets > 100,
        run.removedPeers + " peers removed, " + run.forgets + " forgets");
  }

  /**
   * Transport messages chosen so that their identities all land on a few adjacent index slots around the end of
   * the slot table: long runs of linear probing that wrap to slot 0, so removal has to shift entries back across
   * the wrap.
   */
  @ParameterizedTest(name = "capacity {0}, {1} datagrams per home slot")
  @CsvSource({"4, 3", "7, 3", "8, 5", "64, 40", "1024, 300"})
  void clusteredIdentitiesAcrossTheWrapAgainstReferenceModel(int capacity, int perSlot) {
    long window = 1000L * capacity;
    Run run = new Run(capacity, window, 1);
    TrackedPeer peer = run.peers.get(0);
    int size = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
    int shift = 64 - Integer.numberOfTrailingZeros(size);
    int[] homes = {size - 3, size - 2, size - 1, 0, 1};
    Map<Integer, Integer> found = new HashMap<>();
    List<Long> counters = new ArrayList<>();
    ByteBuf probe = Unpooled.wrappedBuffer(DuplicateTrackerTest.transport(7, 0, 0));
    for (long c = 0; counters.size() < homes.length * perSlot; c++) {
      probe.setLongLE(8, c);
      int home = (int) ((DatagramIdentity.ofTransport(HASH, probe) ^ peer.salt) >>> shift);
      for (int h : homes) {
        if (h == home && found.merge(home, 1, Integer::sum) <= perSlot) {
          counters.add(c);
        }
      }
    }
    Random random = new Random(capacity * 31L + perSlot);
    long now = -T0;
    for (int i = 0; i < 100_000; i++) {
      // on average a bit more than the capacity's worth of arrivals per window: both retirements happen
      long gapBound = (i / 5000) % 2 == 0 ? window / capacity : 4 * window / capacity;
      now += random.nextInt(2000) == 0 ? random.nextLong(3 * window) : random.nextLong(gapBound);
      long counter = counters.get(random.nextInt(counters.size()));
      int version = random.nextInt(10) == 0 ? 1 : 0;
      run.arrive(0, DuplicateTrackerTest.transport(7, counter, version), random.nextInt(3), now, "step " + i);
    }
    run.finish(now);
    assertTrue(run.model.timeRetirements > 1000 && run.model.capacityRetirements > 1000,
        "time " + run.model.timeRetirements + ", capacity " + run.model.capacityRetirements);
  }

  /** The tracker and the model side by side. */
  private static final class Run {
    final DuplicateTracker tracker;
    final Model model;
    /** Index i: the tracker's peer and the model's peer number. */
    final List<TrackedPeer> peers = new ArrayList<>();
    final List<Integer> numbers = new ArrayList<>();
    int removedPeers;
    int forgets;

    Run(int capacity, long window, int peerCount) {
      // from one entry: the table doubles as it fills, and must judge as the model's fixed table does meanwhile
      tracker = new DuplicateTracker(capacity, 1, window, 10, HASH);
      model = new Model(capacity, window);
      for (int i = 0; i < peerCount; i++) {
        addPeer();
      }
    }

    private void addPeer() {
      TrackedPeer p = tracker.newPeer();
      int number = model.newPeer();
      peers.add(p);
      numbers.add(number);
      for (int l = 0; l < 3; l++) {
        p.linkUp(l);
        model.linkUp(number, l);
      }
    }

    void maybeChangePeersOrLinks(Random random, long now) {
      if (random.nextInt(3000) == 0) {
        int i = random.nextInt(peers.size());
        assertPeerTotals(i, now);
        tracker.remove(peers.get(i));
        model.remove(numbers.get(i));
        peers.remove(i);
        numbers.remove(i);
        addPeer();
        removedPeers++;
      }
      if (random.nextInt(300) == 0) {
        int i = random.nextInt(peers.size());
        int link = random.nextInt(LINKS);
        switch (random.nextInt(3)) {
          case 0 -> {
            peers.get(i).linkUp(link);
            model.linkUp(numbers.get(i), link);
          }
          case 1 -> {
            peers.get(i).linkDown(link);
            model.linkDown(numbers.get(i), link);
          }
          default -> {
            peers.get(i).forget(link);
            model.forget(numbers.get(i), link);
            forgets++;
          }
        }
      }
    }

    void arrive(int i, byte[] datagram, int link, long now, String what) {
      Verdict expected = model.arrive(numbers.get(i), datagram, link, now);
      assertEquals(expected, tracker.arrive(peers.get(i), Unpooled.wrappedBuffer(datagram), link, now), what);
      assertEquals(model.ring.size(), tracker.size(), what);
    }

    void finish(long now) {
      now += model.window + 1;
      tracker.expire(now);
      model.expire(now);
      assertEquals(0, tracker.size());
      for (int i = 0; i < peers.size(); i++) {
        assertPeerTotals(i, now);
      }
    }

    /** Snapshots judge what has left the window: done on both sides first. */
    void assertPeerTotals(int i, long now) {
      model.expire(now);
      TrackedPeer p = peers.get(i);
      int number = numbers.get(i);
      assertEquals(model.duplicates.getOrDefault(number, 0L), p.duplicates(), "duplicates of peer " + number);
      assertEquals(model.empty.getOrDefault(number, 0L), p.emptyDatagrams(), "empty of peer " + number);
      for (int link = 0; link < LINKS + 2; link++) {
        JsonObject total = p.snapshot(link, now).getJsonObject("total");
        long[] want = model.totals(number, link);
        String what = "peer " + number + " link " + link;
        assertEquals(want[0], total.getLong("firstArrivals"), what + " firstArrivals");
        assertEquals(want[1], total.getLong("uniqueSaves"), what + " uniqueSaves");
        assertEquals(want[2], total.getLong("missing"), what + " missing");
        assertEquals(want[3], total.getLong("judged"), what + " judged");
        assertEquals(want[4], total.getLong("altered"), what + " altered");
      }
    }
  }

  /** The reference: a deque in arrival order and a hash map of (peer, identity), comparing bytes, not hashes. */
  private static final class Model {
    static final class Entry {
      final int peer;
      final String id;
      final long first;
      final boolean transport;
      final long expected;
      String v1;
      long d1;
      String v2;
      long d2;
      /** Links forgotten since the entry was made. */
      long ignored;
      boolean dead;

      Entry(int peer, String id, long first, boolean transport, long expected) {
        this.peer = peer;
        this.id = id;
        this.first = first;
        this.transport = transport;
        this.expected = expected;
      }
    }

    final int capacity;
    final long window;
    final ArrayDeque<Entry> ring = new ArrayDeque<>();
    final Map<String, Entry> index = new HashMap<>();
    final Map<Integer, Long> active = new HashMap<>();
    final Map<Integer, Boolean> removed = new HashMap<>();
    final Map<String, long[]> totals = new HashMap<>(); // firsts, uniques, missing, judged, altered
    final Map<Integer, Long> duplicates = new HashMap<>();
    final Map<Integer, Long> empty = new HashMap<>();
    final long[] count = new long[Verdict.values().length];
    int peers;
    int timeRetirements;
    int capacityRetirements;

    Model(int capacity, long window) {
      this.capacity = capacity;
      this.window = window;
    }

    int newPeer() {
      active.put(peers, 0L);
      return peers++;
    }

    void remove(int peer) {
      removed.put(peer, true);
    }

    void linkUp(int peer, int link) {
      active.merge(peer, 1L << link, (a, b) -> a | b);
    }

    void linkDown(int peer, int link) {
      active.merge(peer, 1L << link, (a, b) -> a & ~b);
    }

    void forget(int peer, int link) {
      linkDown(peer, link);
      totals.remove(peer + ":" + link);
      for (Entry e : ring) {
        if (e.peer == peer) {
          e.ignored |= 1L << link;
        }
      }
    }

    long[] totals(int peer, int link) {
      return totals.computeIfAbsent(peer + ":" + link, k -> new long[5]);
    }

    Verdict arrive(int peer, byte[] bytes, int link, long now) {
      Verdict v = decide(peer, bytes, link, now);
      count[v.ordinal()]++;
      if (v == Verdict.DUPLICATE) {
        duplicates.merge(peer, 1L, Long::sum);
      }
      return v;
    }

    private Verdict decide(int peer, byte[] bytes, int link, long now) {
      expire(now);
      if (bytes.length == 0) {
        empty.merge(peer, 1L, Long::sum);
        return Verdict.EMPTY;
      }
      HexFormat hex = HexFormat.of();
      boolean transport = bytes.length >= 32 && bytes[0] == 4 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0;
      String content = hex.formatHex(bytes);
      String id = transport ? "T" + hex.formatHex(bytes, 4, 16) : "C" + content;
      Entry e = index.get(peer + ":" + id);
      if (e == null) {
        add(peer, id, transport, content, link, now);
        return Verdict.FIRST;
      }
      long bit = (1L << link) & ~e.ignored;
      if (transport) {
        if (content.equals(e.v1)) {
          e.d1 |= bit;
          return Verdict.DUPLICATE;
        }
        if (content.equals(e.v2)) {
          e.d2 |= bit;
          return Verdict.DUPLICATE;
        }
        if (e.v2 == null && bit != 0) {
          e.v2 = content;
          e.d2 = bit;
          return Verdict.ALTERED;
        }
        if (bit != 0) {
          totals(peer, link)[4]++;
        }
        return Verdict.ALTERED;
      }
      if ((e.d1 & bit) != 0) {
        judge(e);
        index.remove(peer + ":" + id);
        e.dead = true;
        add(peer, id, false, content, link, now);
        return Verdict.REPEAT;
      }
      e.d1 |= bit;
      return Verdict.DUPLICATE;
    }

    private void add(int peer, String id, boolean transport, String content, int link, long now) {
      if (ring.size() == capacity) {
        retire();
        capacityRetirements++;
      }
      Entry e = new Entry(peer, id, now, transport, active.get(peer) | 1L << link);
      e.v1 = content;
      e.d1 = 1L << link;
      ring.addLast(e);
      index.put(peer + ":" + id, e);
      totals(peer, link)[0]++;
    }

    void expire(long now) {
      while (!ring.isEmpty() && now - ring.peekFirst().first > window) {
        retire();
        timeRetirements++;
      }
    }

    private void retire() {
      Entry e = ring.removeFirst();
      if (!e.dead) {
        index.remove(e.peer + ":" + e.id);
        judge(e);
      }
    }

    private void judge(Entry e) {
      if (removed.containsKey(e.peer)) {
        return;
      }
      long live = ~e.ignored;
      long first = e.d1 & live;
      long second = e.d2 & live;
      long got = first | second;
      long wanted = e.expected & live;
      long altered = 0;
      if (second != 0) {
        int a = Long.bitCount(first);
        int b = Long.bitCount(second);
        altered = a < b ? first : b < a ? second : got;
      }
      boolean unique = Long.bitCount(got) == 1 && Long.bitCount(wanted) > 1;
      for (int link = 0; link < 64; link++) {
        long bit = 1L << link;
        if (((got | wanted) & bit) == 0) {
          continue;
        }
        long[] t = totals(e.peer, link);
        t[3]++;
        if ((got & bit) == 0) {
          t[2]++;
        } else if (unique) {
          t[1]++;
        }
        if ((altered & bit) != 0) {
          t[4]++;
        }
      }
    }
  }
}
