package org.rengarde.wire;

import io.vertx.core.json.JsonObject;

/**
 * Per-link figures of an {@link ArrivalTracker}, as totals and over a sliding window of one-second buckets:
 * first arrivals, unique saves (datagrams only this link delivered), missing (datagrams other links delivered but
 * this one did not), judged (datagrams this link was expected to deliver), and the lateness of its copies behind the
 * first, in power-of-two microsecond buckets. Owned by one event loop; allocation only when a snapshot is taken.
 */
public final class LinkQualityWindow {
  static final int LATENESS_BINS = 24;
  private static final int FIRSTS = 0;
  private static final int UNIQUES = 1;
  private static final int MISSING = 2;
  private static final int JUDGED = 3;
  private static final int FIELDS = 4;
  private static final long SECOND = 1_000_000_000L;

  private final int buckets;
  /** [link][bucket][field] */
  private final long[][][] counts;
  /** [link][bucket][bin] */
  private final long[][][] lateness;
  /** [link][bucket]: the second each bucket holds. */
  private final long[][] stamps;
  /** [link][field] */
  private final long[][] totals = new long[ArrivalTracker.MAX_LINKS][FIELDS];

  public LinkQualityWindow(int windowSeconds) {
    this.buckets = windowSeconds;
    this.counts = new long[ArrivalTracker.MAX_LINKS][windowSeconds][FIELDS];
    this.lateness = new long[ArrivalTracker.MAX_LINKS][windowSeconds][LATENESS_BINS];
    this.stamps = new long[ArrivalTracker.MAX_LINKS][windowSeconds];
    for (long[] s : stamps) {
      java.util.Arrays.fill(s, Long.MIN_VALUE);
    }
  }

  private int bucket(int link, long nowNanos) {
    long second = Math.floorDiv(nowNanos, SECOND);
    int b = (int) Math.floorMod(second, (long) buckets);
    if (stamps[link][b] != second) {
      stamps[link][b] = second;
      java.util.Arrays.fill(counts[link][b], 0);
      java.util.Arrays.fill(lateness[link][b], 0);
    }
    return b;
  }

  void first(int link, long nowNanos) {
    counts[link][bucket(link, nowNanos)][FIRSTS]++;
    totals[link][FIRSTS]++;
  }

  void late(int link, long lateNanos, long nowNanos) {
    lateness[link][bucket(link, nowNanos)][bin(lateNanos)]++;
  }

  void judged(int link, boolean delivered, boolean unique, long nowNanos) {
    int b = bucket(link, nowNanos);
    counts[link][b][JUDGED]++;
    totals[link][JUDGED]++;
    if (!delivered) {
      counts[link][b][MISSING]++;
      totals[link][MISSING]++;
    }
    if (unique) {
      counts[link][b][UNIQUES]++;
      totals[link][UNIQUES]++;
    }
  }

  void forget(int link) {
    java.util.Arrays.fill(totals[link], 0);
    java.util.Arrays.fill(stamps[link], Long.MIN_VALUE);
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
   * The figures of one link: {@code window} (the last seconds) and {@code total}, each with firstArrivals,
   * uniqueSaves, missing, judged and lossRatio; lateness p50/p99 over the window (null with no late copy).
   */
  public JsonObject snapshot(int link, long nowNanos) {
    long second = Math.floorDiv(nowNanos, SECOND);
    long[] sum = new long[FIELDS];
    long[] bins = new long[LATENESS_BINS];
    for (int b = 0; b < buckets; b++) {
      if (stamps[link][b] <= second - buckets || stamps[link][b] > second) {
        continue;
      }
      for (int f = 0; f < FIELDS; f++) {
        sum[f] += counts[link][b][f];
      }
      for (int k = 0; k < LATENESS_BINS; k++) {
        bins[k] += lateness[link][b][k];
      }
    }
    return new JsonObject()
        .put("windowSeconds", buckets)
        .put("firstArrivals", sum[FIRSTS])
        .put("uniqueSaves", sum[UNIQUES])
        .put("missing", sum[MISSING])
        .put("judged", sum[JUDGED])
        .put("lossRatio", ratio(sum[MISSING], sum[JUDGED]))
        .put("lateMsP50", percentile(bins, 0.50))
        .put("lateMsP99", percentile(bins, 0.99))
        .put("total", new JsonObject()
            .put("firstArrivals", totals[link][FIRSTS])
            .put("uniqueSaves", totals[link][UNIQUES])
            .put("missing", totals[link][MISSING])
            .put("judged", totals[link][JUDGED])
            .put("lossRatio", ratio(totals[link][MISSING], totals[link][JUDGED])));
  }

  private static Double ratio(long part, long whole) {
    return whole == 0 ? null : Math.round(10_000.0 * part / whole) / 10_000.0;
  }

  private static Double percentile(long[] bins, double q) {
    long n = 0;
    for (long c : bins) {
      n += c;
    }
    if (n == 0) {
      return null;
    }
    long rank = (long) Math.ceil(q * n);
    long seen = 0;
    for (int k = 0; k < bins.length; k++) {
      seen += bins[k];
      if (seen >= rank) {
        return binUpperMillis(k);
      }
    }
    return binUpperMillis(bins.length - 1);
  }
}
