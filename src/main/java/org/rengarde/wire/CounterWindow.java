package org.rengarde.wire;

/**
 * The transport counters of one WireGuard key (one receiver index) in a sliding bitmap, as WireGuard's replay
 * window keeps them: which of the last {@link #SIZE} counters below the highest one were seen. A counter is judged
 * (received, or lost if never seen) when it leaves the bitmap or when a higher counter passed it at least the
 * judging delay ago, whichever comes first, so a slow tunnel's losses show within seconds too. The bitmap is as
 * long as WireGuard's own (8,128 counters in wireguard-go and Linux), so nothing WireGuard would still accept is
 * judged lost for being late. Counters compare modulo 2^64, so the count goes on across a wrap.
 *
 * <p>A counter more than {@link #SIZE} ahead of the highest is not believed at once: one stray or forged counter
 * would otherwise fake a burst of loss, and make every genuine counter after it look too old. It is held as a
 * candidate, and only a following counter above it and within {@link #SIZE} of it moves the window there (a
 * resync, after an outage longer than the window); the counters jumped over and those left unjudged in the old
 * window are counted as skipped, not lost. A counter more than {@link #SIZE} behind is a straggler (WireGuard
 * drops it too) or forged, and is ignored: stragglers come in bursts, and two must not move the window back.
 *
 * <p>About 1.2 KB. Owned by one event loop.
 */
final class CounterWindow {
  static final int SIZE = 8192;
  /** Time marks of the counters passed, judged when due: one per quarter of the judging delay, and a spare. */
  private static final int MARKS = 5;

  final int receiver;
  final long startNanos;
  private final long[] bits = new long[SIZE / 64];
  /** The highest counter seen; all counters below {@code judged} are judged. judged <= top + 1, top - judged < SIZE. */
  private long top;
  private long judged;
  /**
   * Unseen counters below this are not lost: the first datagrams of a key that may have begun before the tracker
   * (seen late, they still count as received).
   */
  private long claimFrom;
  /** Whether {@code judged} is still below {@code claimFrom} (then retired, so a wrap cannot revive it). */
  private boolean claiming;
  private boolean hasCandidate;
  private long candidate;
  private final long[] markTop = new long[MARKS];
  private final long[] markNanos = new long[MARKS];
  private int markHead;
  private int marks;

  /**
   * A key whose first counter seen is {@code counter}: counted from its start if {@code fromStartIfNear} and that is
   * near, else from there; the counters of the bitmap below it still count as received if they come.
   */
  CounterWindow(int receiver, long counter, boolean fromStartIfNear, long nowNanos, CounterGapTracker figures) {
    this.receiver = receiver;
    this.startNanos = nowNanos;
    boolean near = counter >= 0 && counter < SIZE;
    restart(counter, near ? 0 : counter - SIZE + 1, near && fromStartIfNear ? 0 : counter);
    figures.received(nowNanos);
    mark(nowNanos, figures.markSpacingNanos());
  }

  void seen(long counter, long nowNanos, CounterGapTracker figures) {
    long ahead = counter - top;
    if (ahead > 0 && ahead <= SIZE) {
      judgeBelow(counter - SIZE + 1, nowNanos, figures);
      set(counter);
      top = counter;
      figures.received(nowNanos);
      mark(nowNanos, figures.markSpacingNanos());
    } else if (ahead <= 0 && ahead >= -SIZE) {
      if (counter - judged >= 0 && !isSet(counter)) {
        set(counter);
        figures.received(nowNanos);
      }
    } else if (ahead < 0) {
      return;
    } else if (hasCandidate && counter - candidate > 0 && counter - candidate <= SIZE) {
      resync(nowNanos, figures);
      seen(counter, nowNanos, figures);
    } else {
      hasCandidate = true;
      candidate = counter;
    }
  }

  /** Judges the counters passed at least {@code delayNanos} ago, dated when they became due. */
  void expire(long nowNanos, long delayNanos, CounterGapTracker figures) {
    while (marks > 0 && nowNanos - markNanos[markHead] >= delayNanos) {
      judgeBelow(markTop[markHead] + 1, markNanos[markHead] + delayNanos, figures);
      markHead = (markHead + 1) % MARKS;
      marks--;
    }
  }

  private void resync(long nowNanos, CounterGapTracker figures) {
    long skipped = unseenPending() + candidate - top - 1;
    restart(candidate, candidate, candidate);
    figures.resynced(skipped);
    figures.received(nowNanos);
    mark(nowNanos, figures.markSpacingNanos());
  }

  private void restart(long counter, long from, long claimFrom) {
    java.util.Arrays.fill(bits, 0);
    marks = 0;
    hasCandidate = false;
    top = counter;
    judged = from;
    this.claimFrom = claimFrom;
    claiming = claimFrom - from > 0;
    set(counter);
  }

  /** Records that every counter up to {@code top} was passed by now: one mark per spacing, the last one moving. */
  private void mark(long nowNanos, long spacingNanos) {
    int newest = (markHead + marks - 1) % MARKS;
    boolean sameSlot = marks > 0
        && Math.floorDiv(markNanos[newest], spacingNanos) == Math.floorDiv(nowNanos, spacingNanos);
    if (marks == 0 || (!sameSlot && marks < MARKS)) {
      newest = (markHead + marks) % MARKS;
      marks++;
    }
    markTop[newest] = top;
    markNanos[newest] = nowNanos;
  }

  /**
   * Judges every counter below {@code bound} not judged yet: those never seen are lost, but for those below
   * {@code claimFrom}.
   */
  private void judgeBelow(long bound, long nowNanos, CounterGapTracker figures) {
    if (claiming) {
      judgeUnseen(bound - claimFrom < 0 ? bound : claimFrom);
      claiming = claimFrom - judged > 0;
    }
    long lost = judgeUnseen(bound);
    if (lost > 0) {
      figures.lost(lost, nowNanos);
    }
  }

  /** Moves {@code judged} up to {@code bound}, clearing the bits passed: how many of those counters were unseen. */
  private long judgeUnseen(long bound) {
    long unseen = 0;
    while (bound - judged > 0) {
      int at = (int) judged & (SIZE - 1);
      int offset = at & 63;
      long n = Math.min(64 - offset, bound - judged);
      long mask = (n == 64 ? -1L : (1L << n) - 1) << offset;
      unseen += n - Long.bitCount(bits[at >>> 6] & mask);
      bits[at >>> 6] &= ~mask;
      judged += n;
    }
    return unseen;
  }

  private long unseenPending() {
    long unseen = 0;
    for (long c = claiming ? claimFrom : judged; top - c >= 0; c++) {
      unseen += isSet(c) ? 0 : 1;
    }
    return unseen;
  }

  private boolean isSet(long counter) {
    int at = (int) counter & (SIZE - 1);
    return (bits[at >>> 6] & (1L << at)) != 0;
  }

  private void set(long counter) {
    int at = (int) counter & (SIZE - 1);
    bits[at >>> 6] |= 1L << at;
  }
}
