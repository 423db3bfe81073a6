package org.rengarde.client;

import io.netty.buffer.ByteBuf;
import io.vertx.core.json.JsonObject;
import org.rengarde.wire.ArrivalTracker;
import org.rengarde.wire.DatagramIdentity;

/**
 * The client's duplicate filter, run where the copies are read: every link's socket lives on the Dispatcher's event
 * loop and asks this filter before it puts a datagram on the downlink, so only first copies cross the event bus
 * (three links used to put three copies of each datagram on it, and the one loop behind them fell behind on all
 * three sockets at once). Also the links' quality figures, from the same copies. Owned by the Dispatcher's loop.
 */
public final class DownlinkFilter {
  /** Copies of one datagram are recognised for 2 s; at most this many datagrams are remembered (about 3 MB). */
  static final int CAPACITY = 1 << 16;
  static final long WINDOW_NANOS = 2_000_000_000L;
  static final int QUALITY_WINDOW_SECONDS = 10;

  private final ArrivalTracker arrivals = new ArrivalTracker(CAPACITY, WINDOW_NANOS, QUALITY_WINDOW_SECONDS);
  /** Interface name of each tracker slot, for the quality figures. */
  private final String[] slotNames = new String[ArrivalTracker.MAX_LINKS];
  private boolean enabled;
  private long duplicatesDropped;

  public DownlinkFilter(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * A copy arrived on the link in {@code slot}: true to pass it on (a first copy, or any copy with the filter off),
   * false to drop it. Reads without moving the buffer's indexes.
   */
  public boolean pass(ByteBuf datagram, int slot, long nowNanos) {
    if (slot < 0) {
      return true;
    }
    if (arrivals.arrive(DatagramIdentity.of(datagram), slot, nowNanos) || !enabled) {
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

  void linkUp(int slot, String ifName) {
    arrivals.forget(slot);
    arrivals.linkUp(slot);
    slotNames[slot] = ifName;
  }

  void linkDown(int slot) {
    arrivals.linkDown(slot);
    slotNames[slot] = null;
  }

  /** Judges what left the window; on a timer, so the figures move without traffic. */
  void expire(long nowNanos) {
    arrivals.expire(nowNanos);
  }

  /** Each link's arrival figures, by interface name. */
  JsonObject quality(long nowNanos) {
    arrivals.expire(nowNanos);
    JsonObject byName = new JsonObject();
    for (int slot = 0; slot < slotNames.length; slot++) {
      if (slotNames[slot] != null) {
        byName.put(slotNames[slot], arrivals.quality().snapshot(slot, nowNanos));
      }
    }
    return byName;
  }
}
