package org.rengarde.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrivalTrackerTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  /** An arbitrary start, not on a second boundary. */
  private static final long T0 = 1000 * S + 123 * MS;

  // =====================================================================================================
  // Duplicate filter
  // =====================================================================================================

  @Test
  void firstCopyIsNewLaterCopiesAreDuplicatesOnAnyLink() {
    ArrivalTracker t = new ArrivalTracker(16, 100 * MS, 10);
    t.linkUp(0);
    t.linkUp(1);
    assertTrue(t.arrive(42, 0, T0));
    assertFalse(t.arrive(42, 0, T0 + 1));
    assertFalse(t.arrive(42, 1, T0 + 2 * MS));
    assertFalse(t.arrive(42, 5, T0 + 3 * MS));
    assertTrue(t.arrive(43, 1, T0 + 4 * MS));
    assertFalse(t.arrive(43, 0, T0 + 5 * MS));
    assertEquals(4, t.duplicatesDropped());
    assertEquals(2, t.size());
  }

  @Test
  void afterTheWindowTheSameIdIsNewAgain() {
    long window = 100 * MS;
    ArrivalTracker t = new ArrivalTracker(16, window, 10);
    t.linkUp(0);
    assertTrue(t.arrive(7, 0, T0));
    assertFalse(t.arrive(7, 0, T0 + window), "exactly the window's length after: still a copy");
    assertEquals(1, t.duplicatesDropped());
    assertTrue(t.arrive(7, 0, T0 + window + 1), "one nanosecond later: new");
    assertEquals(1, t.size());
    assertFalse(t.arrive(7, 1, T0 + window + 2), "the window restarts from the new first copy");
    assertFalse(t.arrive(7, 1, T0 + 2 * window + 1));
    assertTrue(t.arrive(7, 1, T0 + 2 * window + 2));
    assertEquals(3, t.duplicatesDropped());
  }

  @Test
  void expireEmptiesTheTableWithoutTraffic() {
    ArrivalTracker t = new ArrivalTracker(16, 100 * MS, 10);
    for (int i = 0; i < 10; i++) {
      assertTrue(t.arrive(i, 0, T0 + i * MS));
    }
    assertEquals(10, t.size());
    t.expire(T0 + 100 * MS + 4 * MS); // ids 0..3 are older than the window
    assertEquals(6, t.size());
    t.expire(T0 + S);
    assertEquals(0, t.size());
    for (int i = 0; i < 10; i++) {
      assertTrue(t.arrive(i, 0, T0 + S + i));
    }
  }

  @Test
  void capacityBoundRetiresTheOldest() {
    ArrivalTracker t = new ArrivalTracker(4, S, 10);
    t.linkUp(0);
    for (long id = 1; id <= 4; id++) {
      assertTrue(t.arrive(id, 0, T0 + id * MS));
    }
    assertEquals(4, t.size());
    assertTrue(t.arrive(5, 0, T0 + 5 * MS), "5th distinct id");
    assertEquals(4, t.size());
    assertTrue(t.arrive(1, 0, T0 + 6 * MS), "id 1 was retired, so it is new again");
    assertEquals(4, t.size());
    // id 2 was retired by id 1's return; 3, 4, 5 and 1 remain
    assertFalse(t.arrive(3, 0, T0 + 7 * MS));
    assertFalse(t.arrive(4, 0, T0 + 7 * MS));
    assertFalse(t.arrive(5, 0, T0 + 7 * MS));
    assertFalse(t.arrive(1, 0, T0 + 7 * MS));
    assertTrue(t.arrive(2, 0, T0 + 8 * MS));
    assertEquals(4, t.size());
    assertEquals(4, t.duplicatesDropped());
  }

  @Test
  void capacityRetirementJudgesTheDatagram() {
    ArrivalTracker t = new ArrivalTracker(4, S, 10);
    t.linkUp(0);
    t.linkUp(1);
    for (long id = 1; id <= 5; id++) {
      assertTrue(t.arrive(id, 0, T0 + id * MS));
    }
    JsonObject total = t.quality().snapshot(1, T0 + 5 * MS).getJsonObject("total");
    assertEquals(1L, total.getLong("judged"));
    assertEquals(1L, total.getLong("missing"));
    assertEquals(1L, t.quality().snapshot(0, T0 + 5 * MS).getJsonObject("total").getLong("uniqueSaves"));
  }

  @Test
  void capacityOfOne() {
    ArrivalTracker t = new ArrivalTracker(1, S, 10);
    assertTrue(t.arrive(1, 0, T0));
    assertFalse(t.arrive(1, 1, T0 + 1));
    assertTrue(t.arrive(2, 0, T0 + 2));
    assertTrue(t.arrive(1, 0, T0 + 3));
    assertEquals(1, t.size());
  }

  @Test
  void idsZeroAndExtremesWork() {
    ArrivalTracker t = new ArrivalTracker(8, S, 10);
    long[] ids = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1};
    for (long id : ids) {
      assertTrue(t.arrive(id, 0, T0), "id " + id);
    }
    for (long id : ids) {
      assertFalse(t.arrive(id, 1, T0 + 1), "id " + id);
    }
  }

  @Test
  void negativeNanoTimesWork() {
    ArrivalTracker t = new ArrivalTracker(16, 100 * MS, 10);
    long start = -50 * MS; // System.nanoTime() may be negative
    assertTrue(t.arrive(9, 0, start));
    assertFalse(t.arrive(9, 1, start + 100 * MS));
    assertTrue(t.arrive(9, 1, start + 100 * MS + 1));
  }

  /** Randomised against a reference model: ids from a wide space (hash collisions by chance) and a narrow one. */
  @Test
  void randomisedAgainstReferenceModel() {
    int capacity = 1024;
    long window = 50_000;
    ArrivalTracker t = new ArrivalTracker(capacity, window, 10);
    Model m = new Model(capacity, window);
    Random random = new Random(20240611L);
    long[] issued = new long[200_000];
    long now = T0;
    int trueAnswers = 0;
    for (int i = 0; i < issued.length; i++) {
      // phases of 10000 arrivals, alternately faster (table full: capacity retirements) and slower than the window
      int gapBound = (i / 10_000) % 2 == 0 ? 40 : 150;
      now += random.nextInt(5000) == 0 ? random.nextInt(200_000) : random.nextInt(gapBound);
      int pick = random.nextInt(10);
      long id;
      if (i == 0 || pick < 4) {
        id = random.nextLong();
      } else if (pick < 7) {
        id = issued[Math.max(0, i - 1 - random.nextInt(1500))];
      } else if (pick < 9) {
        id = random.nextInt(3000);
      } else {
        id = issued[random.nextInt(i)];
      }
      issued[i] = id;
      int link = random.nextInt(4);
      if (random.nextInt(500) == 0) {
        int l = random.nextInt(4);
        if (random.nextBoolean()) {
          t.linkUp(l);
          m.linkUp(l);
        } else {
          t.linkDown(l);
          m.linkDown(l);
        }
      }
      boolean expected = m.arrive(id, link, now);
      assertEquals(expected, t.arrive(id, link, now), "step " + i + ", id " + id);
      assertEquals(m.size(), t.size(), "step " + i);
      trueAnswers += expected ? 1 : 0;
    }
    assertEquals(m.duplicates, t.duplicatesDropped());
    // the test exercised every path
    assertTrue(trueAnswers > 50_000 && trueAnswers < 190_000, "new: " + trueAnswers);
    assertTrue(m.duplicates > 10_000, "duplicates: " + m.duplicates);
    assertTrue(m.capacityRetirements > 1000, "capacity retirements: " + m.capacityRetirements);
    assertTrue(m.timeRetirements > 10_000, "time retirements: " + m.timeRetirements);

    now += window + 1;
    t.expire(now);
    m.expire(now);
    assertEquals(0, t.size());
    m.assertTotals(t, now);
  }

  /**
   * Ids chosen so that they all hash to a few adjacent index slots around the end of the slot table: long runs of
   * linear probing that wrap to slot 0, so removal has to shift entries back across the wrap.
   */
  @ParameterizedTest(name = "capacity {0}, {1} ids per home slot")
  @CsvSource({"4, 3", "7, 3", "8, 5", "64, 40", "1024, 300"})
  void clusteredIdsAcrossTheWrapAgainstReferenceModel(int capacity, int perSlot) {
    int slotsSize = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
    int mask = slotsSize - 1;
    int[] homes = {mask - 2, mask - 1, mask, 0, 1};
    List<Long> pool = new ArrayList<>();
    Map<Integer, Integer> found = new HashMap<>();
    for (long x = 1; pool.size() < homes.length * perSlot; x++) {
      int home = (int) (DatagramIdentity.mix(x) & mask);
      for (int h : homes) {
        if (h == home && found.merge(home, 1, Integer::sum) <= perSlot) {
          pool.add(x);
        }
      }
    }
    long window = 1000L * capacity;
    ArrivalTracker t = new ArrivalTracker(capacity, window, 10);
    Model m = new Model(capacity, window);
    t.linkUp(0);
    m.linkUp(0);
    t.linkUp(1);
    m.linkUp(1);
    Random random = new Random(capacity * 31L + perSlot);
    long now = -T0;
    for (int i = 0; i < 100_000; i++) {
      // on average a bit more than the capacity's worth of arrivals per window: both retirements happen
      long gapBound = (i / 5000) % 2 == 0 ? window / capacity : 4 * window / capacity;
      now += random.nextInt(2000) == 0 ? random.nextLong(3 * window) : random.nextLong(gapBound);
      long id = pool.get(random.nextInt(pool.size()));
      int link = random.nextInt(3);
      assertEquals(m.arrive(id, link, now), t.arrive(id, link, now), "step " + i + ", id " + id);
      assertEquals(m.size(), t.size(), "step " + i);
    }
    assertEquals(m.duplicates, t.duplicatesDropped());
    assertTrue(m.timeRetirements > 1000 && m.capacityRetirements > 1000,
        "time " + m.timeRetirements + ", capacity " + m.capacityRetirements);
    now += window + 1;
    t.expire(now);
    m.expire(now);
    m.assertTotals(t, now);
  }

  /** The reference: a deque in arrival order and a hash map, with the documented rules. */
  private static final class Model {
    final int capacity;
    final long window;
    final ArrayDeque<long[]> ring = new ArrayDeque<>(); // {id, firstNanos, delivered, expected}
    final Map<Long, long[]> byId = new HashMap<>();
    long active;
    long duplicates;
    int timeRetirements;
    int capacityRetirements;
    final long[][] totals = new long[ArrivalTracker.MAX_LINKS][4]; // firsts, uniques, missing, judged

    Model(int capacity, long window) {
      this.capacity = capacity;
      this.window = window;
    }

    void linkUp(int link) {
      active |= 1L << link;
    }

    void linkDown(int link) {
      active &= ~(1L << link);
    }

    int size() {
      return ring.size();
    }

    boolean arrive(long id, int link, long now) {
      expire(now);
      long[] e = byId.get(id);
      if (e != null) {
        e[2] |= 1L << link;
        duplicates++;
        return false;
      }
      if (ring.size() == capacity) {
        retire();
        capacityRetirements++;
      }
      e = new long[] {id, now, 1L << link, active | (1L << link)};
      ring.addLast(e);
      byId.put(id, e);
      totals[link][0]++;
      return true;
    }

    void expire(long now) {
      while (!ring.isEmpty() && now - ring.peekFirst()[1] > window) {
        retire();
        timeRetirements++;
      }
    }

    private void retire() {
      long[] e = ring.removeFirst();
      byId.remove(e[0]);
      long got = e[2];
      long wanted = e[3];
      boolean unique = Long.bitCount(got) == 1 && Long.bitCount(wanted) > 1;
      for (int link = 0; link < ArrivalTracker.MAX_LINKS; link++) {
        long bit = 1L << link;
        if (((got | wanted) & bit) == 0) {
          continue;
        }
        totals[link][3]++;
        if ((got & bit) == 0) {
          totals[link][2]++;
        } else if (unique) {
          totals[link][1]++;
        }
      }
    }

    void assertTotals(ArrivalTracker t, long now) {
      for (int link = 0; link < 8; link++) {
        JsonObject total = t.quality().snapshot(link, now).getJsonObject("total");
        assertEquals(totals[link][0], total.getLong("firstArrivals"), "link " + link);
        assertEquals(totals[link][1], total.getLong("uniqueSaves"), "link " + link);
        assertEquals(totals[link][2], total.getLong("missing"), "link " + link);
        assertEquals(totals[link][3], total.getLong("judged"), "link " + link);
      }
    }
  }

  // =====================================================================================================
  // Per-link quality
  // =====================================================================================================

  private record Copy(long nanos, long id, int link) {
  }

  private static long transportId(long counter) {
    ByteBuf b = Unpooled.buffer(48);
    b.writeByte(4).writeZero(3).writeIntLE(0x1234_5678).writeLongLE(counter).writeZero(32);
    return DatagramIdentity.of(b);
  }

  /** Feeds copies in time order (ties in the order given); returns how many were new. */
  private static int feed(ArrivalTracker t, List<Copy> copies) {
    List<Copy> sorted = new ArrayList<>(copies);
    sorted.sort(Comparator.comparingLong(Copy::nanos));
    int firsts = 0;
    for (Copy c : sorted) {
      firsts += t.arrive(c.id(), c.link(), c.nanos()) ? 1 : 0;
    }
    return firsts;
  }

  private static void assertFigures(JsonObject figures, long firsts, long uniques, long missing, long judged,
      Double lossRatio, String what) {
    assertEquals(firsts, figures.getLong("firstArrivals"), what + " firstArrivals");
    assertEquals(uniques, figures.getLong("uniqueSaves"), what + " uniqueSaves");
    assertEquals(missing, figures.getLong("missing"), what + " missing");
    assertEquals(judged, figures.getLong("judged"), what + " judged");
    assertEquals(lossRatio, figures.getDouble("lossRatio"), what + " lossRatio");
  }

  /** Both the sliding window and the totals. */
  private static void assertBoth(ArrivalTracker t, int link, long now, long firsts, long uniques, long missing,
      long judged, Double lossRatio) {
    JsonObject s = t.quality().snapshot(link, now);
    assertFigures(s, firsts, uniques, missing, judged, lossRatio, "link " + link + " window");
    assertFigures(s.getJsonObject("total"), firsts, uniques, missing, judged, lossRatio, "link " + link + " total");
  }

  /** Link 0 delivers all 100 first, link 1 70 of them 2 ms later, link 2 all of them 5 ms later. */
  private static ArrivalTracker threeLinks(List<Copy> copies) {
    ArrivalTracker t = new ArrivalTracker(4096, 50 * MS, 10);
    t.linkUp(0);
    t.linkUp(1);
    t.linkUp(2);
    for (int i = 0; i < 100; i++) {
      long sent = T0 + i * MS;
      long id = transportId(i);
      copies.add(new Copy(sent, id, 0));
      if (i % 10 < 7) {
        copies.add(new Copy(sent + 2 * MS, id, 1));
      }
      copies.add(new Copy(sent + 5 * MS, id, 2));
    }
    return t;
  }

  @Test
  void lossAndLatenessOfThreeLinks() {
    List<Copy> copies = new ArrayList<>();
    ArrivalTracker t = threeLinks(copies);
    assertEquals(100, feed(t, copies));
    assertEquals(170, t.duplicatesDropped());

    // the last copy came at T0 + 104 ms: datagrams 0..53 are older than 50 ms and judged; 15 of them link 1 missed
    long last = T0 + 104 * MS;
    assertEquals(46, t.size());
    assertBoth(t, 0, last, 100, 0, 0, 54, 0.0);
    assertBoth(t, 1, last, 0, 0, 15, 54, 0.2778);
    assertBoth(t, 2, last, 0, 0, 0, 54, 0.0);

    long now = T0 + S;
    t.expire(now);
    assertEquals(0, t.size());
    assertBoth(t, 0, now, 100, 0, 0, 100, 0.0);
    assertBoth(t, 1, now, 0, 0, 30, 100, 0.3);
    assertBoth(t, 2, now, 0, 0, 0, 100, 0.0);

    JsonObject l0 = t.quality().snapshot(0, now);
    assertNull(l0.getValue("lateMsP50"), "link 0 was always first");
    assertNull(l0.getValue("lateMsP99"));
    JsonObject l1 = t.quality().snapshot(1, now);
    assertEquals(2.048, l1.getDouble("lateMsP50"), "2 ms is in the bin below 2048 µs");
    assertEquals(2.048, l1.getDouble("lateMsP99"));
    JsonObject l2 = t.quality().snapshot(2, now);
    assertEquals(8.192, l2.getDouble("lateMsP50"), "5 ms is in the bin below 8192 µs");
    assertEquals(8.192, l2.getDouble("lateMsP99"));
    assertEquals(10, l2.getInteger("windowSeconds"));

    // past the 10 s statistics window: the window is empty, the totals stay
    long later = now + 11 * S;
    JsonObject s1 = t.quality().snapshot(1, later);
    assertFigures(s1, 0, 0, 0, 0, null, "link 1 window, later");
    assertFigures(s1.getJsonObject("total"), 0, 0, 30, 100, 0.3, "link 1 total, later");
    assertNull(s1.getValue("lateMsP50"));
  }

  @Test
  void aLinkThatIsOftenFirstAndSometimesLate() {
    ArrivalTracker t = new ArrivalTracker(4096, 50 * MS, 10);
    t.linkUp(0);
    t.linkUp(1);
    List<Copy> copies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      long sent = T0 + i * MS;
      boolean zeroFirst = i < 60;
      copies.add(new Copy(sent + (zeroFirst ? 0 : 3 * MS), transportId(i), 0)); // 3 ms late: bin 12, 4.096 ms
      copies.add(new Copy(sent + (zeroFirst ? 1 * MS : 0), transportId(i), 1)); // 1 ms late: bin 10, 1.024 ms
    }
    feed(t, copies);
    long now = T0 + S;
    t.expire(now);
    assertBoth(t, 0, now, 60, 0, 0, 100, 0.0);
    assertBoth(t, 1, now, 40, 0, 0, 100, 0.0);
    assertEquals(4.096, t.quality().snapshot(0, now).getDouble("lateMsP50"));
    assertEquals(1.024, t.quality().snapshot(1, now).getDouble("lateMsP50"));
  }

  @Test
  void aRepeatedCopyOnOneLinkIsLateOnlyOnce() {
    ArrivalTracker t = new ArrivalTracker(16, 50 * MS, 10);
    t.linkUp(0);
    t.linkUp(1);
    assertTrue(t.arrive(1, 0, T0));
    assertFalse(t.arrive(1, 1, T0 + 2 * MS));
    assertFalse(t.arrive(1, 1, T0 + 40 * MS)); // would be bin 16 if counted
    assertFalse(t.arrive(1, 0, T0 + 41 * MS)); // the first link again: not late
    assertEquals(3, t.duplicatesDropped());
    long now = T0 + S;
    t.expire(now);
    assertEquals(2.048, t.quality().snapshot(1, now).getDouble("lateMsP99"));
    assertNull(t.quality().snapshot(0, now).getValue("lateMsP99"));
    assertBoth(t, 1, now, 0, 0, 0, 1, 0.0);
  }

  @Test
  void uniqueSavesCountDatagramsOnlyOneLinkDeliveredWhileSeveralWereExpected() {
    ArrivalTracker t = new ArrivalTracker(4096, 50 * MS, 10);
    t.linkUp(0);
    t.linkUp(1);
    t.linkUp(2);
    List<Copy> copies = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < 5; i++, n++) {       // only link 0: a save for link 0
      copies.add(new Copy(T0 + n * MS, transportId(n), 0));
    }
    for (int i = 0; i < 3; i++, n++) {       // only link 2: a save for link 2
      copies.add(new Copy(T0 + n * MS, transportId(n), 2));
    }
    for (int i = 0; i < 12; i++, n++) {      // all three
      copies.add(new Copy(T0 + n * MS, transportId(n), 0));
      copies.add(new Copy(T0 + n * MS + MS / 2, transportId(n), 1));
      copies.add(new Copy(T0 + n * MS + MS / 4, transportId(n), 2));
    }
    for (int i = 0; i < 4; i++, n++) {       // links 0 and 1: no save
      copies.add(new Copy(T0 + n * MS, transportId(n), 0));
      copies.add(new Copy(T0 + n * MS + 1, transportId(n), 1));
    }
    for (int i = 0; i < 2; i++, n++) {       // link 1 first, then link 2: no save
      copies.add(new Copy(T0 + n * MS, transportId(n), 1));
      copies.add(new Copy(T0 + n * MS + 1, transportId(n), 2));
    }
    assertEquals(26, feed(t, copies));
    t.linkDown(1);
    t.linkDown(2);
    copies.clear();
    for (int i = 0; i < 10; i++, n++) {      // only link 0 while only link 0 is expected: no save
      copies.add(new Copy(T0 + n * MS, transportId(n), 0));
    }
    assertEquals(10, feed(t, copies));

    long now = T0 + S;
    t.expire(now);
    // link 0: first on 5 + 12 + 4 + 10; missed the 3 of link 2 only and the 2 of links 1 and 2
    assertBoth(t, 0, now, 31, 5, 5, 36, 0.1389);
    // link 1: first on 2; missed the 5 of link 0 only and the 3 of link 2 only
    assertBoth(t, 1, now, 2, 0, 8, 26, 0.3077);
    // link 2: first on 3 (its own); missed the 5 of link 0 only and the 4 of links 0 and 1
    assertBoth(t, 2, now, 3, 3, 9, 26, 0.3462);
  }

  @Test
  void aLinkThatWentDownIsNotMissingForDatagramsThatArrivedAfterwards() {
    ArrivalTracker t = new ArrivalTracker(4096, 50 * MS, 10);
    t.linkUp(0);
    t.linkUp(1);
    t.linkUp(2);
    long at = T0;
    for (int i = 0; i < 10; i++, at += MS) {     // all three deliver
      assertTrue(t.arrive(i, 0, at));
      assertFalse(t.arrive(i, 1, at + 100));
      assertFalse(t.arrive(i, 2, at + 200));
    }
    for (int i = 10; i < 15; i++, at += MS) {    // link 1 is silent but still up when they arrive
      assertTrue(t.arrive(i, 0, at));
      assertFalse(t.arrive(i, 2, at + 200));
    }
    t.linkDown(1);                               // before those 5 are judged: still missing for link 1
    for (int i = 15; i < 25; i++, at += MS) {    // link 1 down: not expected
      assertTrue(t.arrive(i, 0, at));
      assertFalse(t.arrive(i, 2, at + 200));
    }
    t.linkUp(1);
    for (int i = 25; i < 30; i++, at += MS) {    // link 1 up again, only link 0 delivers
      assertTrue(t.arrive(i, 0, at));
    }
    long now = at + S;
    t.expire(now);
    assertBoth(t, 0, now, 30, 5, 0, 30, 0.0);
    assertBoth(t, 1, now, 0, 0, 10, 20, 0.5);
    assertBoth(t, 2, now, 0, 0, 5, 30, 0.1667);
  }

  @Test
  void aLinkThatCameUpLaterIsNotMissingForEarlierDatagrams() {
    ArrivalTracker t = new ArrivalTracker(4096, 50 * MS, 10);
    t.linkUp(0);
    assertTrue(t.arrive(1, 0, T0));            // link 1 not up, never delivers it: not judged for link 1
    assertTrue(t.arrive(3, 0, T0 + MS / 2));   // link 1 not up, delivers it later: judged, not missing
    t.linkUp(1);
    assertTrue(t.arrive(2, 0, T0 + MS));       // link 1 up, never delivers it: missing
    assertFalse(t.arrive(3, 1, T0 + 2 * MS));
    long now = T0 + S;
    t.expire(now);
    assertBoth(t, 0, now, 3, 1, 0, 3, 0.0);
    assertBoth(t, 1, now, 0, 0, 1, 2, 0.5);
  }

  @Test
  void aDatagramFirstOnALinkThatIsNotUpCountsForThatLink() {
    ArrivalTracker t = new ArrivalTracker(16, 50 * MS, 10);
    t.linkUp(0);
    assertTrue(t.arrive(1, 3, T0));
    long now = T0 + S;
    t.expire(now);
    assertBoth(t, 3, now, 1, 1, 0, 1, 0.0);
    assertBoth(t, 0, now, 0, 0, 1, 1, 1.0);
  }

  @Test
  void forgetClearsALinksFigures() {
    List<Copy> copies = new ArrayList<>();
    ArrivalTracker t = threeLinks(copies);
    feed(t, copies);
    long now = T0 + S;
    t.expire(now);
    t.forget(1);
    assertBoth(t, 1, now, 0, 0, 0, 0, null);
    assertNull(t.quality().snapshot(1, now).getValue("lateMsP50"));
    assertBoth(t, 0, now, 100, 0, 0, 100, 0.0);
    assertBoth(t, 2, now, 0, 0, 0, 100, 0.0);
    assertEquals(8.192, t.quality().snapshot(2, now).getDouble("lateMsP50"));

    // forget also takes the link down: new datagrams do not expect it
    assertTrue(t.arrive(1000, 0, now + MS));
    t.expire(now + S);
    assertBoth(t, 1, now + S, 0, 0, 0, 0, null);
    assertEquals(101L, t.quality().snapshot(0, now + S).getJsonObject("total").getLong("judged"));
    assertEquals(1L, t.quality().snapshot(2, now + S).getJsonObject("total").getLong("missing"));
  }

  /**
   * forget() is documented as clearing a link's figures "before its slot is given to another link", and a
   * datagram counts missing only for "the links that were active when it first arrived". Datagrams still in the
   * window when the slot is forgotten and given to a new link must not be charged to the new link.
   */
  @Test
  void forgetAlsoForgetsTheLinkInDatagramsStillInTheWindow() {
    ArrivalTracker t = new ArrivalTracker(16, 50 * MS, 10);
    t.linkUp(0);
    t.linkUp(1);
    assertTrue(t.arrive(1, 0, T0));            // the old link 1 never delivers it
    t.forget(1);                               // the old link 1 goes away
    t.linkUp(1);                               // and its slot goes to a new link
    long now = T0 + S;
    t.expire(now);
    assertBoth(t, 1, now, 0, 0, 0, 0, null);
  }
}
