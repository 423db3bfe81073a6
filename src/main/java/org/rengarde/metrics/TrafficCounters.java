package org.rengarde.metrics;

import io.vertx.core.json.JsonObject;

/**
 * Datagram and byte counts of one link or one client address. Plain fields: owned and written by one event loop;
 * others read them through {@link #snapshot} taken on that loop.
 */
public final class TrafficCounters {
  /** Datagrams and bytes received from the far side (the server, or a client address). */
  public long datagramsIn;
  public long bytesIn;
  /** Datagrams and bytes sent to the far side. */
  public long datagramsOut;
  public long bytesOut;
  /** Sends the kernel refused. */
  public long sendErrors;
  /** Copies dropped because the socket's queue was full, or because the datagram was refused by a filter. */
  public long drops;
  /** {@link System#nanoTime()} of the last datagram received, 0 for never. */
  public long lastReceivedNanos;

  public void received(int bytes, long nowNanos) {
    datagramsIn++;
    bytesIn += bytes;
    lastReceivedNanos = nowNanos;
  }

  public void sent(int bytes) {
    datagramsOut++;
    bytesOut += bytes;
  }

  /** Whole seconds since the last datagram received, or null for never (engarde's {@code last}). */
  public Long secondsSinceReceived(long nowNanos) {
    return lastReceivedNanos == 0 ? null : Math.max(0, (nowNanos - lastReceivedNanos) / 1_000_000_000L);
  }

  public JsonObject snapshot() {
    return new JsonObject()
        .put("datagramsIn", datagramsIn)
        .put("bytesIn", bytesIn)
        .put("datagramsOut", datagramsOut)
        .put("bytesOut", bytesOut)
        .put("sendErrors", sendErrors)
        .put("drops", drops);
  }
}
