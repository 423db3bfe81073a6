package org.rengarde.wire;

/**
 * A few counts over the last seconds, in one-second buckets reused in a ring: a bucket is cleared when its
 * second comes round again. Counts are ints (a bucket holds one second), saturating rather than wrapping.
 * Owned by one event loop.
 */
final class SecondBuckets {
  private static final long SECOND = 1_000_000_000L;

  private final int fields;
  private final int seconds;
  /** [bucket * fields + field] */
  private final int[] counts;
  /** The second each bucket holds. */
  private final long[] stamps;

  SecondBuckets(int fields, int seconds) {
    this.fields = fields;
    this.seconds = seconds;
    this.counts = new int[fields * seconds];
    this.stamps = new long[seconds];
    java.util.Arrays.fill(stamps, Long.MIN_VALUE);
  }

  int seconds() {
    return seconds;
  }

  void add(int field, long nowNanos) {
    add(field, 1, nowNanos);
  }

  void add(int field, long n, long nowNanos) {
    int at = bucket(nowNanos) * fields + field;
    counts[at] = (int) Math.min(Integer.MAX_VALUE, counts[at] + n);
  }

  /** Each field summed over the buckets of the last {@link #seconds} seconds up to now. */
  long[] sums(long nowNanos) {
    long second = Math.floorDiv(nowNanos, SECOND);
    long[] sum = new long[fields];
    for (int b = 0; b < seconds; b++) {
      if (stamps[b] <= second - seconds || stamps[b] > second) {
        continue;
      }
      for (int f = 0; f < fields; f++) {
        sum[f] += counts[b * fields + f];
      }
    }
    return sum;
  }

  private int bucket(long nowNanos) {
    long second = Math.floorDiv(nowNanos, SECOND);
    int b = (int) Math.floorMod(second, (long) seconds);
    if (stamps[b] != second) {
      stamps[b] = second;
      java.util.Arrays.fill(counts, b * fields, (b + 1) * fields, 0);
    }
    return b;
  }
}
