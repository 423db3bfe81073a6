package org.rengarde.wire;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.api.Pair.of;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/** Tunnel loss from transport counters, on generated orders, losses, replays and timings. */
class CounterGapTrackerProperties {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final long T0 = 1000 * S + 123 * MS;
  private static final long JUDGE_AFTER = S;
  private static final int RECEIVER = 0x0A0A0A0A;

  /** One datagram: the key it names (of a few), its counter, and the time since the previous one. */
  record Seen(int receiver, long counter, long gapNanos) {
  }

  private static JsonObject totals(CounterGapTracker g, long nowNanos) {
    return g.snapshot(nowNanos).getJsonObject("total");
  }

  /** Counters near the key's last one (next, resent, a little ahead), far ahead or behind, near the 2^64 wrap. */
  private static Gen<List<Seen>> anySequence() {
    Gen<Integer> receiver = integers().between(0, 4).map(i -> RECEIVER + i);
    Gen<Long> step = Generate.frequency(
        of(6, longs().between(-3, 40)),
        of(1, longs().between(-20_000, 20_000)),
        of(1, longs().all()));
    Gen<Long> gap = Generate.frequency(of(8, longs().between(0, 5 * MS)), of(1, longs().between(0, 3 * S)));
    Gen<Seen> seen = receiver.zip(step, gap, (r, s, t) -> new Seen(r, s, t));
    return lists().of(seen).ofSizeBetween(1, 400).map(steps -> {
      // a step is relative to the key's previous counter: make the counters absolute
      List<Seen> out = new ArrayList<>();
      java.util.Map<Integer, Long> last = new java.util.HashMap<>();
      for (Seen s : steps) {
        long counter = last.getOrDefault(s.receiver(), s.receiver() % 2 == 0 ? 0L : -5L) + s.counter();
        last.put(s.receiver(), counter);
        out.add(new Seen(s.receiver(), counter, s.gapNanos()));
      }
      return out;
    }).describedAs(CounterGapTrackerProperties::summary);
  }

  private static String summary(List<?> items) {
    return items.size() + " items: " + items.subList(0, Math.min(items.size(), 30)) + (items.size() > 30 ? "..." : "");
  }

  @Test
  void anyCountersOnAnyKeysCountEachDatagramAtMostOnceAndNothingNegative() {
    qt().withExamples(200).forAll(anySequence()).checkAssert(sequence -> {
      CounterGapTracker g = new CounterGapTracker(JUDGE_AFTER, 10);
      long now = T0;
      for (Seen s : sequence) {
        now += s.gapNanos();
        g.seen(s.receiver(), s.counter(), now);
      }
      JsonObject total = totals(g, now + 10 * JUDGE_AFTER);
      long received = total.getLong("received");
      assertTrue(received >= 0 && received <= sequence.size(), total.encode());
      assertTrue(total.getLong("lost") >= 0, total.encode());
      assertTrue(total.getLong("skipped") >= 0, total.encode());
      Double ratio = total.getDouble("lossRatio");
      assertTrue(ratio == null || (ratio >= 0 && ratio <= 1), total.encode());
      JsonObject window = g.snapshot(now);
      assertTrue(window.getLong("received") <= received && window.getLong("lost") <= total.getLong("lost"));
    });
  }

  /** Counters below the bitmap's size, in any order, with losses and replays. */
  private static Gen<List<Integer>> smallCounters() {
    return lists().of(integers().between(0, 3000)).ofSizeBetween(1, 600)
        .describedAs(CounterGapTrackerProperties::summary);
  }

  /** Feeds {@code delivered} on {@link #RECEIVER}, 1 µs apart from T0: the time after the last. */
  private static long feed(CounterGapTracker g, List<Integer> delivered) {
    long now = T0;
    for (int c : delivered) {
      g.seen(RECEIVER, c, now);
      now += 1000;
    }
    return now;
  }

  /**
   * One key that begins after another (so it is counted from counter 0), counters below the bitmap's size delivered
   * in any order with any losses and replays, all within the judging delay: once judged, each counter up to the
   * highest is received or lost, exactly once.
   */
  @Test
  void everyCounterUpToTheHighestIsReceivedOrLostExactlyOnce() {
    qt().withExamples(300).forAll(smallCounters()).checkAssert(delivered -> {
      CounterGapTracker g = new CounterGapTracker(JUDGE_AFTER, 10);
      g.seen(RECEIVER + 1, 0, T0);
      long now = feed(g, delivered);
      Set<Integer> distinct = new HashSet<>(delivered);
      int highest = delivered.stream().max(Integer::compare).orElseThrow();
      JsonObject total = totals(g, now + 2 * JUDGE_AFTER);
      assertEquals(distinct.size() + 1, total.getLong("received"), "received (and the earlier key's one)");
      assertEquals(highest + 1 - distinct.size(), total.getLong("lost"), "lost: the counters never delivered");
    });
  }

  /**
   * The first key a tracker sees, begun before it: the counters from the first one seen up to the highest are
   * received or lost exactly once; those below it are received if they come and never lost.
   */
  @Test
  void theFirstKeyClaimsNothingBelowItsFirstCounter() {
    qt().withExamples(300).forAll(smallCounters()).checkAssert(delivered -> {
      CounterGapTracker g = new CounterGapTracker(JUDGE_AFTER, 10);
      long now = feed(g, delivered);
      int first = delivered.get(0);
      Set<Integer> distinct = new HashSet<>(delivered);
      int highest = delivered.stream().max(Integer::compare).orElseThrow();
      long fromFirst = distinct.stream().filter(c -> c >= first).count();
      JsonObject total = totals(g, now + 2 * JUDGE_AFTER);
      assertEquals(distinct.size(), total.getLong("received"), "received, those below the first too");
      assertEquals(highest + 1 - first - fromFirst, total.getLong("lost"), "lost: from the first one seen only");
    });
  }

  /**
   * Every counter sent, each delayed by less than half the judging delay (so reordered by up to a few hundred
   * places), some delivered twice: no loss, whatever the order.
   */
  @Test
  void reorderWithinTheWindowIsNotLoss() {
    Gen<List<Long>> delays = lists().of(Generate.frequency(
        of(4, Generate.constant(0L)), of(3, longs().between(0, 20 * MS)),
        of(1, longs().between(0, JUDGE_AFTER / 2 - 1))))
        .ofSizeBetween(1, 3000).describedAs(CounterGapTrackerProperties::summary);
    Gen<Integer> replayEvery = integers().between(2, 50);
    qt().withExamples(60).forAll(delays, replayEvery).checkAssert((delay, every) -> {
      record Arrival(long counter, long atNanos) {
      }
      List<Arrival> arrivals = new ArrayList<>();
      for (int c = 0; c < delay.size(); c++) {
        long sent = T0 + c * MS;
        arrivals.add(new Arrival(c, sent + delay.get(c)));
        if (c % every == 0) {
          arrivals.add(new Arrival(c, sent + delay.get(c) + delay.get(delay.size() - 1 - c)));
        }
      }
      arrivals.sort(Comparator.comparingLong(Arrival::atNanos));
      CounterGapTracker g = new CounterGapTracker(JUDGE_AFTER, 10);
      long now = T0;
      for (Arrival a : arrivals) {
        now = a.atNanos();
        g.seen(RECEIVER, a.counter(), now);
      }
      JsonObject total = totals(g, now + 2 * JUDGE_AFTER);
      assertEquals(0, total.getLong("lost"), "lost");
      assertEquals(delay.size(), total.getLong("received"), "received");
    });
  }
}
