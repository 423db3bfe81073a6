package org.rengarde.client;

import io.netty.buffer.ByteBuf;
import io.vertx.core.json.JsonObject;
import org.rengarde.wire.CounterGapTracker;
import org.rengarde.wire.DuplicateTracker;
import org.rengarde.wire.TrackedPeer;
import org.rengarde.wire.Verdict;

/**
 * The client's duplicate filter, run where the copies are read: every link's socket lives on the Dispatcher's event
 * loop and asks this filter before it puts a datagram on the downlink, so only first copies cross the event bus
 * (three links used to put three copies of each datagram on it, and the one loop behind them fell behind on all
 * three sockets at once). Also the links' quality figures and the tunnel's loss (the counters no link delivered),
 * from the same copies. Owned by the Dispatcher's loop.
 */
public final class DownlinkFilter {
  /** Copies of one datagram are recognised for 2 s; at most this many datagrams are remembered (about 4.5 MB). */
  static final int CAPACITY = 1 << 16;
  static final long WINDOW_NANOS = 2_000_000_000L;
  static final int QUALITY_WINDOW_SECONDS = 10;

  private final DuplicateTracker arrivals = new DuplicateTracker(CAPACITY, WINDOW_NANOS, QUALITY_WINDOW_SECONDS);
  /** The client has one peer, its tunnel; its link slots are the links' numbers. */
  private final TrackedPeer tunnel = arrivals.newPeer();
  private final CounterGapTracker tunnelLoss = new CounterGapTracker(WINDOW_NANOS, QUALITY_WINDOW_SECONDS);
  /** Interface name of each tracker slot, for the quality figures. */
  private final String[] slotNames = new String[DuplicateTracker.MAX_LINKS];
  private boolean enabled;
  private long duplicatesDropped;
  private long alteredForwarded;

  public DownlinkFilter(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * A copy arrived on the link in {@code slot}: true to pass it on (a first copy, an altered copy, a repeat, or any
   * copy with the filter off), false to drop it. Reads without moving the buffer's indexes.
   */
  public boolean pass(ByteBuf datagram, int slot, long nowNanos) {
    if (slot < 0) {
      return true;
    }
    Verdict verdict = arrivals.arrive(tunnel, datagram, slot, nowNanos);
    if (verdict == Verdict.FIRST) {
      tunnelLoss.transport(datagram, nowNanos);
    } else if (verdict == Verdict.ALTERED) {
      alteredForwarded++;
    }
    if (verdict.forwards() || !enabled) {
      return true;
    }
    duplicatesDropped++;
    return false;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  public long duplicatesDropped() {
    return duplicatesDropped;
  }

  public long alteredForwarded() {
    return alteredForwarded;
  }

  void linkUp(int slot, String ifName) {
    tunnel.forget(slot);
    tunnel.linkUp(slot);
    slotNames[slot] = ifName;
  }

  void linkDown(int slot) {
    tunnel.linkDown(slot);
    slotNames[slot] = null;
  }

  /** Judges what left the window; on a timer, so the figures move without traffic. */
  void expire(long nowNanos) {
    arrivals.expire(nowNanos);
    tunnelLoss.expire(nowNanos);
  }

  /** Each link's arrival figures, by interface name. */
  JsonObject quality(long nowNanos) {
    JsonObject byName = new JsonObject();
    for (int slot = 0; slot < slotNames.length; slot++) {
      if (slotNames[slot] != null) {
        byName.put(slotNames[slot], tunnel.snapshot(slot, nowNanos));
      }
    }
    return byName;
  }

  /** The tunnel's loss: WireGuard counters that no link delivered. */
  JsonObject tunnelLoss(long nowNanos) {
    return tunnelLoss.snapshot(nowNanos);
  }
}
