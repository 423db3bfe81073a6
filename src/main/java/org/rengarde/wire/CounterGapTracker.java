package org.rengarde.wire;

import io.netty.buffer.ByteBuf;
import io.vertx.core.json.JsonObject;

/**
 * Tunnel loss of one peer (on the server) or of the tunnel (on the client): the datagrams that no link delivered,
 * from the gaps in WireGuard's transport counters, which increase by one per datagram on each key (keepalives
 * included). Per key (receiver index) a {@link CounterWindow}; the last {@value #KEYS} keys are kept, as WireGuard
 * keeps its previous, current and next keypair, and a new index replaces the one that started longest ago. Reorder
 * within the window is not loss, replays and duplicates are ignored, a new key starts a new count (from its counter
 * 0 when it began while an earlier key was watched; else the counters below its first one seen count as received
 * if they come, and are never lost; so is a key pushed out by newer ones and heard again). Figures:
 * received, lost and lossRatio over the last seconds and in total, counters skipped by resyncs and how many, and
 * the age of the current key (the one that started last).
 *
 * <p>Limits, by nature: the relay cannot authenticate counters, so feed it only first copies from members, and a
 * member can still forge counters (one far-ahead counter is held back, see {@link CounterWindow}, but two can move
 * the window, and new indices can push real keys out: a key pushed out and heard again is counted from where it is
 * heard, its counters in between unjudged, for the last {@value #EVICTED_KEPT} keys pushed out); the last datagrams
 * of a key are never proven lost (nothing higher passes them); nor are the first datagrams of the first key a tracker sees (it may have begun before the
 * tracker, through another); a side that receives nothing at all sees no gap; a counter that arrives after it was
 * judged lost stays lost; a count restarting on the same index (WireGuard never does that: a new key gets a new
 * index) is ignored as stragglers until the index changes.
 *
 * <p>About 4 KB with three keys and a 10 s window, 0.3 KB before the first key. Owned by one event loop;
 * allocation only when a key starts and when a snapshot is taken.
 */
public final class CounterGapTracker {
  static final int KEYS = 3;
  /** Receiver indices of keys pushed out that are remembered, so one heard again is not taken for a new key. */
  static final int EVICTED_KEPT = 8;
  private static final int RECEIVED = 0;
  private static final int LOST = 1;
  private static final int SKIPPED = 2;
  private static final int RESYNCS = 3;

  private final long judgeAfterNanos;
  private final CounterWindow[] keys = new CounterWindow[KEYS];
  private final SecondBuckets window;
  private final long[] totals = new long[4];
  private boolean keySeen;
  private final RecentIndices pushedOut = new RecentIndices(EVICTED_KEPT);

  /**
   * @param judgeAfterNanos a counter passed this long ago and still not seen is lost (the duplicate window)
   * @param statsWindowSeconds the sliding window of the figures
   */
  public CounterGapTracker(long judgeAfterNanos, int statsWindowSeconds) {
    this.judgeAfterNanos = judgeAfterNanos;
    this.window = new SecondBuckets(2, statsWindowSeconds);
  }

  /** Counts the counter of a WireGuard transport message; anything else is ignored. Reads, never moves, the indexes. */
  public void transport(ByteBuf datagram, long nowNanos) {
    if (WireGuardShape.isTransport(datagram)) {
      int at = datagram.readerIndex();
      seen(datagram.getIntLE(at + 4), datagram.getLongLE(at + 8), nowNanos);
    }
  }

  public void seen(int receiver, long counter, long nowNanos) {
    expire(nowNanos);
    int oldest = 0;
    for (int k = 0; k < KEYS; k++) {
      CounterWindow key = keys[k];
      if (key == null) {
        oldest = k;
        break;
      }
      if (key.receiver == receiver) {
        key.seen(counter, nowNanos, this);
        return;
      }
      if (key.startNanos - keys[oldest].startNanos < 0) {
        oldest = k;
      }
    }
    // The first key seen may have begun before this tracker (a restarted relay, a reload that started the server
    // anew, a peer forgotten and heard again): its first datagrams went through, or were lost, unseen. Only a key
    // that begins after one already watched is counted from its start.
    // A key pushed out by newer ones (forged indices, a burst of handshakes) and heard again is no new key either:
    // counted from 0 it would show every counter it had before as lost.
    boolean fromStart = keySeen && !pushedOut.contains(receiver);
    if (keys[oldest] != null) {
      pushedOut.learn(keys[oldest].receiver);
    }
    keys[oldest] = new CounterWindow(receiver, counter, fromStart, nowNanos, this);
    keySeen = true;
  }

  /** Judges the counters that have waited long enough; call it on a timer too. */
  public void expire(long nowNanos) {
    for (CounterWindow key : keys) {
      if (key != null) {
        key.expire(nowNanos, judgeAfterNanos, this);
      }
    }
  }

  /**
   * {@code windowSeconds}, the window's received, lost and lossRatio; {@code keyAgeSeconds} (null before the
   * first key); {@code total}: received, lost, lossRatio, skipped and resyncs.
   */
  public JsonObject snapshot(long nowNanos) {
    expire(nowNanos);
    long[] sum = window.sums(nowNanos);
    CounterWindow current = null;
    for (CounterWindow key : keys) {
      if (key != null && (current == null || key.startNanos - current.startNanos > 0)) {
        current = key;
      }
    }
    return new JsonObject()
        .put("windowSeconds", window.seconds())
        .put("received", sum[RECEIVED])
        .put("lost", sum[LOST])
        .put("lossRatio", LinkQualityWindow.ratio(sum[LOST], sum[RECEIVED] + sum[LOST]))
        .put("keyAgeSeconds", current == null ? null : (nowNanos - current.startNanos) / 1_000_000_000L)
        .put("total", new JsonObject()
            .put("received", totals[RECEIVED])
            .put("lost", totals[LOST])
            .put("lossRatio", LinkQualityWindow.ratio(totals[LOST], totals[RECEIVED] + totals[LOST]))
            .put("skipped", totals[SKIPPED])
            .put("resyncs", totals[RESYNCS]));
  }

  void received(long nowNanos) {
    window.add(RECEIVED, nowNanos);
    totals[RECEIVED]++;
  }

  void lost(long n, long nowNanos) {
    window.add(LOST, n, nowNanos);
    totals[LOST] += n;
  }

  void resynced(long skipped) {
    // forged counters can skip up to 2^63 at a time: the total stops at the largest long instead of turning negative
    long sum = totals[SKIPPED] + skipped;
    totals[SKIPPED] = sum < 0 ? Long.MAX_VALUE : sum;
    totals[RESYNCS]++;
  }

  long markSpacingNanos() {
    return Math.max(1, judgeAfterNanos / 4);
  }
}
