package org.rengarde.wire;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LinkQualityWindowTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final long US = 1_000L;

  // ---- bins ----

  @Test
  void binBoundaries() {
    assertEquals(0, LinkQualityWindow.bin(0));
    assertEquals(0, LinkQualityWindow.bin(999)); // 0 µs
    assertEquals(1, LinkQualityWindow.bin(1 * US));
    assertEquals(1, LinkQualityWindow.bin(1 * US + 999));
    assertEquals(2, LinkQualityWindow.bin(2 * US));
    assertEquals(2, LinkQualityWindow.bin(3 * US));
    assertEquals(3, LinkQualityWindow.bin(4 * US));
    assertEquals(10, LinkQualityWindow.bin(512 * US));
    assertEquals(10, LinkQualityWindow.bin(1023 * US));
    assertEquals(10, LinkQualityWindow.bin(1023 * US + 999));
    assertEquals(11, LinkQualityWindow.bin(1024 * US));
    assertEquals(11, LinkQualityWindow.bin(2 * MS));
    assertEquals(11, LinkQualityWindow.bin(2047 * US));
    assertEquals(12, LinkQualityWindow.bin(2048 * US));
    assertEquals(13, LinkQualityWindow.bin(5 * MS));
    assertEquals(22, LinkQualityWindow.bin(((1L << 22) - 1) * US));
    assertEquals(23, LinkQualityWindow.bin((1L << 22) * US));
    assertEquals(LinkQualityWindow.LATENESS_BINS - 1, LinkQualityWindow.bin(60 * S));
    assertEquals(LinkQualityWindow.LATENESS_BINS - 1, LinkQualityWindow.bin(Long.MAX_VALUE));
  }

  @Test
  void negativeLatenessIsBinZero() {
    assertEquals(0, LinkQualityWindow.bin(-1));
    assertEquals(0, LinkQualityWindow.bin(-5 * MS));
    assertEquals(0, LinkQualityWindow.bin(Long.MIN_VALUE));
  }

  @Test
  void binUpperBounds() {
    assertEquals(0.001, LinkQualityWindow.binUpperMillis(0));
    assertEquals(0.002, LinkQualityWindow.binUpperMillis(1));
    assertEquals(1.024, LinkQualityWindow.binUpperMillis(10));
    assertEquals(2.048, LinkQualityWindow.binUpperMillis(11));
    assertEquals(8.192, LinkQualityWindow.binUpperMillis(13));
    assertEquals(8388.608, LinkQualityWindow.binUpperMillis(23));
  }

  // ---- sliding window ----

  @Test
  void emptySnapshot() {
    JsonObject s = new LinkQualityWindow(10).snapshot(5 * S);
    assertEquals(10, s.getInteger("windowSeconds"));
    assertEquals(0L, s.getLong("firstArrivals"));
    assertEquals(0L, s.getLong("uniqueSaves"));
    assertEquals(0L, s.getLong("missing"));
    assertEquals(0L, s.getLong("judged"));
    assertEquals(0L, s.getLong("altered"));
    assertNull(s.getValue("lossRatio"));
    assertNull(s.getValue("lateMsP50"));
    assertNull(s.getValue("lateMsP99"));
    assertEquals(0L, s.getJsonObject("total").getLong("judged"));
    assertEquals(0L, s.getJsonObject("total").getLong("altered"));
    assertNull(s.getJsonObject("total").getValue("lossRatio"));
  }

  @Test
  void figuresOlderThanTheWindowDropOutOfWindowButStayInTotal() {
    LinkQualityWindow q = new LinkQualityWindow(3);
    q.first(100 * S + 500 * MS);            // second 100
    q.judged(false, false, 100 * S + 600 * MS);
    q.late(2 * MS, 100 * S + 700 * MS);
    q.first(101 * S + 500 * MS);            // second 101
    q.judged(true, true, 101 * S + 600 * MS);
    q.first(102 * S + 500 * MS);            // second 102
    q.judged(true, false, 102 * S + 600 * MS);
    q.late(5 * MS, 102 * S + 700 * MS);

    JsonObject s = q.snapshot(102 * S + 900 * MS); // window: seconds 100..102
    assertEquals(3L, s.getLong("firstArrivals"));
    assertEquals(3L, s.getLong("judged"));
    assertEquals(1L, s.getLong("missing"));
    assertEquals(1L, s.getLong("uniqueSaves"));
    assertEquals(0.3333, s.getDouble("lossRatio"));
    assertEquals(2.048, s.getDouble("lateMsP50"));
    assertEquals(8.192, s.getDouble("lateMsP99"));

    s = q.snapshot(103 * S); // window: seconds 101..103; second 100 drops out
    assertEquals(2L, s.getLong("firstArrivals"));
    assertEquals(2L, s.getLong("judged"));
    assertEquals(0L, s.getLong("missing"));
    assertEquals(1L, s.getLong("uniqueSaves"));
    assertEquals(0.0, s.getDouble("lossRatio"));
    assertEquals(8.192, s.getDouble("lateMsP50"));
    assertEquals(8.192, s.getDouble("lateMsP99"));
    JsonObject total = s.getJsonObject("total");
    assertEquals(3L, total.getLong("firstArrivals"));
    assertEquals(3L, total.getLong("judged"));
    assertEquals(1L, total.getLong("missing"));
    assertEquals(1L, total.getLong("uniqueSaves"));
    assertEquals(0.3333, total.getDouble("lossRatio"));

    s = q.snapshot(104 * S + 999_999_999L); // window: seconds 102..104
    assertEquals(1L, s.getLong("firstArrivals"));
    assertEquals(1L, s.getLong("judged"));
    assertEquals(0L, s.getLong("uniqueSaves"));

    s = q.snapshot(105 * S); // window: seconds 103..105: nothing
    assertEquals(0L, s.getLong("firstArrivals"));
    assertEquals(0L, s.getLong("judged"));
    assertNull(s.getValue("lossRatio"));
    assertNull(s.getValue("lateMsP50"));
    assertNull(s.getValue("lateMsP99"));
    assertEquals(3L, s.getJsonObject("total").getLong("firstArrivals"));
    assertEquals(0.3333, s.getJsonObject("total").getDouble("lossRatio"));
  }

  @Test
  void aReusedBucketForgetsItsOldSecond() {
    LinkQualityWindow q = new LinkQualityWindow(3);
    q.first(10 * S);
    q.first(10 * S + 1);
    q.first(13 * S); // same bucket index as second 10
    JsonObject s = q.snapshot(13 * S);
    assertEquals(1L, s.getLong("firstArrivals"));
    assertEquals(3L, s.getJsonObject("total").getLong("firstArrivals"));
  }

  @Test
  void snapshotSkipsSecondsAfterNow() {
    LinkQualityWindow q = new LinkQualityWindow(5);
    q.first(20 * S);
    q.first(22 * S);
    assertEquals(1L, q.snapshot(21 * S).getLong("firstArrivals"));
    assertEquals(2L, q.snapshot(22 * S).getLong("firstArrivals"));
  }

  @Test
  void negativeTimesWork() {
    // System.nanoTime() may be negative
    LinkQualityWindow q = new LinkQualityWindow(2);
    q.first(-1500 * MS); // second -2
    q.first(-500 * MS);  // second -1
    assertEquals(2L, q.snapshot(-1 * MS).getLong("firstArrivals"));   // seconds -2, -1
    q.first(200 * MS);   // second 0, the bucket of second -2
    assertEquals(2L, q.snapshot(500 * MS).getLong("firstArrivals"));  // seconds -1, 0
    assertEquals(1L, q.snapshot(1500 * MS).getLong("firstArrivals")); // seconds 0, 1
    assertEquals(3L, q.snapshot(1500 * MS).getJsonObject("total").getLong("firstArrivals"));
  }

  @Test
  void oneSecondWindow() {
    LinkQualityWindow q = new LinkQualityWindow(1);
    q.first(7 * S + 1);
    q.first(7 * S + 999 * MS);
    assertEquals(2L, q.snapshot(7 * S + 999 * MS).getLong("firstArrivals"));
    assertEquals(0L, q.snapshot(8 * S).getLong("firstArrivals"));
    q.first(8 * S);
    assertEquals(1L, q.snapshot(8 * S).getLong("firstArrivals"));
    assertEquals(3L, q.snapshot(8 * S).getJsonObject("total").getLong("firstArrivals"));
  }

  // ---- percentiles ----

  @Test
  void percentilesAreUpperBoundsOfTheRankedBin() {
    LinkQualityWindow q = new LinkQualityWindow(10);
    long now = 50 * S;
    for (int i = 0; i < 50; i++) {
      q.late(2 * MS, now);          // bin 11
    }
    for (int i = 0; i < 49; i++) {
      q.late(5 * MS, now);          // bin 13
    }
    q.late(600 * MS, now);          // 600000 µs: bin 20
    JsonObject s = q.snapshot(now);
    assertEquals(2.048, s.getDouble("lateMsP50"));  // rank 50 of 100
    assertEquals(8.192, s.getDouble("lateMsP99"));  // rank 99 of 100

    q.late(600 * MS, now);          // 101 copies: p50 rank 51 -> bin 13; p99 rank 100 -> bin 20
    s = q.snapshot(now);
    assertEquals(8.192, s.getDouble("lateMsP50"));
    assertEquals(1048.576, s.getDouble("lateMsP99"));
  }

  @Test
  void percentilesOfOneCopyAndOfBinZero() {
    LinkQualityWindow q = new LinkQualityWindow(10);
    q.late(300, S); // 0 µs
    JsonObject s = q.snapshot(S);
    assertEquals(0.001, s.getDouble("lateMsP50"));
    assertEquals(0.001, s.getDouble("lateMsP99"));
  }

  @Test
  void latenessOutsideTheWindowDoesNotCount() {
    LinkQualityWindow q = new LinkQualityWindow(2);
    q.late(5 * MS, 10 * S);
    q.late(2 * MS, 11 * S);
    assertEquals(8.192, q.snapshot(11 * S).getDouble("lateMsP99"));
    assertEquals(2.048, q.snapshot(12 * S).getDouble("lateMsP99"));
    assertNull(q.snapshot(13 * S).getValue("lateMsP99"));
  }

  // ---- ratio, altered ----

  @Test
  void lossRatioIsRoundedToFourDecimals() {
    LinkQualityWindow q = new LinkQualityWindow(10);
    q.judged(false, false, S);
    q.judged(false, false, S);
    q.judged(true, false, S);
    assertEquals(0.6667, q.snapshot(S).getDouble("lossRatio"));
    assertEquals(0.6667, q.snapshot(S).getJsonObject("total").getDouble("lossRatio"));
  }

  @Test
  void alteredCopiesAreCountedInTheWindowAndInTotal() {
    LinkQualityWindow q = new LinkQualityWindow(2);
    q.altered(10 * S);
    q.altered(10 * S + 1);
    q.altered(11 * S);
    JsonObject s = q.snapshot(11 * S);
    assertEquals(3L, s.getLong("altered"));
    assertEquals(3L, s.getJsonObject("total").getLong("altered"));
    assertEquals(0L, s.getLong("judged"), "an altered copy is not a judgement");
    s = q.snapshot(12 * S);
    assertEquals(1L, s.getLong("altered"));
    assertEquals(3L, s.getJsonObject("total").getLong("altered"));
  }

  @Test
  void aBucketSaturatesInsteadOfWrapping() {
    SecondBuckets b = new SecondBuckets(1, 2);
    b.add(0, Integer.MAX_VALUE, S);
    b.add(0, 5, S);
    assertEquals(Integer.MAX_VALUE, b.sums(S)[0]);
  }
}
