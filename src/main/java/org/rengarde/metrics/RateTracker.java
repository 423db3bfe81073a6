package org.rengarde.metrics;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Per-second rates from successive counter snapshots of named things (links, client addresses). Owned by one
 * event loop.
 */
public final class RateTracker {
  private record Sample(long nanos, long datagramsIn, long bytesIn, long datagramsOut, long bytesOut) {
  }

  private final Map<String, Sample> previous = new HashMap<>();
  private final Map<String, JsonObject> latest = new HashMap<>();

  /** Records a snapshot taken at {@code nanos} and returns the rates since the previous one (zeros the first time). */
  public JsonObject update(String name, JsonObject stats, long nanos) {
    Sample now = new Sample(nanos, stats.getLong("datagramsIn", 0L), stats.getLong("bytesIn", 0L),
        stats.getLong("datagramsOut", 0L), stats.getLong("bytesOut", 0L));
    Sample before = previous.put(name, now);
    JsonObject rates;
    if (before == null || now.nanos <= before.nanos) {
      rates = rates(0, 0, 0, 0);
    } else {
      double seconds = (now.nanos - before.nanos) / 1e9;
      rates = rates(perSecond(now.datagramsIn - before.datagramsIn, seconds),
          perSecond(now.bytesIn - before.bytesIn, seconds),
          perSecond(now.datagramsOut - before.datagramsOut, seconds),
          perSecond(now.bytesOut - before.bytesOut, seconds));
    }
    latest.put(name, rates);
    return rates;
  }

  /** The rates computed at the last update, or zeros. */
  public JsonObject latest(String name) {
    JsonObject r = latest.get(name);
    return r == null ? rates(0, 0, 0, 0) : r.copy();
  }

  /** Forgets the names not in {@code live}. */
  public void retain(Set<String> live) {
    previous.keySet().retainAll(live);
    latest.keySet().retainAll(live);
  }

  private static double perSecond(long delta, double seconds) {
    return Math.max(0, delta) / seconds;
  }

  private static JsonObject rates(double dIn, double bIn, double dOut, double bOut) {
    return new JsonObject()
        .put("datagramsInPerSec", round(dIn))
        .put("bytesInPerSec", round(bIn))
        .put("datagramsOutPerSec", round(dOut))
        .put("bytesOutPerSec", round(bOut));
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
