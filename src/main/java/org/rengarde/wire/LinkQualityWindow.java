package org.rengarde.wire;

import io.vertx.core.json.JsonObject;

/**
 * The figures of one link of one peer in a {@link DuplicateTracker}, as totals and over a sliding window of
 * one-second buckets: first arrivals, unique saves (datagrams only this link delivered), missing (datagrams other
 * links delivered but this one did not), judged (datagrams this link was expected to deliver), altered (copies
 * whose bytes differed from the other links' copies), and the lateness of its copies behind the first, in
 * power-of-two microsecond bins. About 1.4 KB with a 10 s window (10 buckets of 29 ints, their seconds, 5 totals).
 * Owned by one event loop; allocation only when a snapshot is taken.
 */
public final class LinkQualityWindow {
  static final int LATENESS_BINS = 24;
  private static final int FIRSTS = 0;
  private static final int UNIQUES = 1;
  private static final int MISSING = 2;
  private static final int JUDGED = 3;
  private static final int ALTERED = 4;
  private static final int FIELDS = 5;
  /** Lateness bin k is field FIELDS + k. */
  private static final int BIN0 = FIELDS;

  private final SecondBuckets window;
  private final long[] totals = new long[FIELDS];

  public LinkQualityWindow(int windowSeconds) {
    this.window = new SecondBuckets(FIELDS + LATENESS_BINS, windowSeconds);
  }

  void first(long nowNanos) {
    count(FIRSTS, nowNanos);
  }

  void late(long lateNanos, long nowNanos) {
    window.add(BIN0 + bin(lateNanos), nowNanos);
  }

  void judged(boolean delivered, boolean unique, long nowNanos) {
    count(JUDGED, nowNanos);
    if (!delivered) {
      count(MISSING, nowNanos);
    }
    if (unique) {
      count(UNIQUES, nowNanos);
    }
  }

  void altered(long nowNanos) {
    count(ALTERED, nowNanos);
  }

  private void count(int field, long nowNanos) {
    window.add(field, nowNanos);
    totals[field]++;
  }

  /** Bin k holds lateness below 2^k microseconds (bin 0: under 1 µs). */
  static int bin(long lateNanos) {
    long micros = Math.max(0, lateNanos / 1000);
    return Math.min(LATENESS_BINS - 1, 64 - Long.numberOfLeadingZeros(micros));
  }

  /** Upper bound of bin k, in milliseconds. */
  static double binUpperMillis(int k) {
    return (1L << k) / 1000.0;
  }

  /**
   * {@code windowSeconds}, the window's firstArrivals, uniqueSaves, missing, judged, altered and lossRatio, its
   * lateness p50/p99 (null with no late copy), and the same counts and lossRatio as {@code total}.
   */
  public JsonObject snapshot(long nowNanos) {
    long[] sum = window.sums(nowNanos);
    return new JsonObject()
        .put("windowSeconds", window.seconds())
        .put("firstArrivals", sum[FIRSTS])
        .put("uniqueSaves", sum[UNIQUES])
        .put("missing", sum[MISSING])
        .put("judged", sum[JUDGED])
        .put("altered", sum[ALTERED])
        .put("lossRatio", ratio(sum[MISSING], sum[JUDGED]))
        .put("lateMsP50", percentile(sum, 0.50))
        .put("lateMsP99", percentile(sum, 0.99))
        .put("total", new JsonObject()
            .put("firstArrivals", totals[FIRSTS])
            .put("uniqueSaves", totals[UNIQUES])
            .put("missing", totals[MISSING])
            .put("judged", totals[JUDGED])
            .put("altered", totals[ALTERED])
            .put("lossRatio", ratio(totals[MISSING], totals[JUDGED])));
  }

  static Double ratio(long part, long whole) {
    return whole == 0 ? null : Math.round(10_000.0 * part / whole) / 10_000.0;
  }

  private static Double percentile(long[] sum, double q) {
    long n = 0;
    for (int k = 0; k < LATENESS_BINS; k++) {
      n += sum[BIN0 + k];
    }
    if (n == 0) {
      return null;
    }
    long rank = (long) Math.ceil(q * n);
    long seen = 0;
    for (int k = 0; k < LATENESS_BINS; k++) {
      seen += sum[BIN0 + k];
      if (seen >= rank) {
        return binUpperMillis(k);
      }
    }
    return binUpperMillis(LATENESS_BINS - 1);
  }
}
