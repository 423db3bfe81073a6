package org.rengarde.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Our own counters as Micrometer meters: the link channels are Netty channels of ours that vertx-micrometer-metrics
 * cannot see. Values are copied from the counter snapshots once per collection, not per packet.
 *
 * <p>Names, for a {@code kind} of "link" (tag {@code interface}) or "client" (tag {@code address}):
 * {@code rengarde_KIND_datagrams_received_total}, {@code rengarde_KIND_bytes_received_total},
 * {@code rengarde_KIND_datagrams_sent_total}, {@code rengarde_KIND_bytes_sent_total},
 * {@code rengarde_KIND_send_errors_total}, {@code rengarde_KIND_drops_total},
 * {@code rengarde_KIND_last_received_seconds}; and from the arrival tracker (duplicate filter):
 * {@code rengarde_KIND_first_arrivals_total}, {@code rengarde_KIND_unique_saves_total},
 * {@code rengarde_KIND_missing_total}, {@code rengarde_KIND_altered_total},
 * {@code rengarde_KIND_loss_ratio} (last 10 s),
 * {@code rengarde_KIND_late_p50_milliseconds} and {@code rengarde_KIND_late_p99_milliseconds}.
 */
public final class TrafficMeters {
  private static final String[][] COUNTERS = {
      {"datagramsIn", "datagrams.received", "Datagrams received from the far side"},
      {"bytesIn", "bytes.received", "Bytes received from the far side"},
      {"datagramsOut", "datagrams.sent", "Datagrams sent to the far side"},
      {"bytesOut", "bytes.sent", "Bytes sent to the far side"},
      {"sendErrors", "send.errors", "Sends the kernel refused"},
      {"drops", "drops", "Copies dropped (queue full or refused by the filter)"},
      {"kernelDrops", "kernel.drops", "Datagrams the kernel dropped on this socket: its receive buffer was full, so the"
          + " relay, not the link, lost them"},
  };

  private final MeterRegistry registry;
  private final String kind;
  private final String tag;
  private final Map<String, Holder> holders = new HashMap<>();

  private static final String[][] QUALITY_COUNTERS = {
      {"firstArrivals", "first.arrivals", "Datagrams this link delivered first"},
      {"uniqueSaves", "unique.saves", "Datagrams only this link delivered"},
      {"missing", "missing", "Datagrams other links delivered but this one did not"},
      {"altered", "altered", "Copies whose bytes differed from those most links delivered"},
  };
  private static final String[][] QUALITY_GAUGES = {
      {"lossRatio", "loss.ratio", "Share of datagrams this link missed, last 10 s"},
      {"lateMsP50", "late.p50.milliseconds", "Median lateness behind the first copy, last 10 s"},
      {"lateMsP99", "late.p99.milliseconds", "99th percentile lateness behind the first copy, last 10 s"},
  };

  private static final class Holder {
    final Map<String, Long> values = new HashMap<>();
    final Map<String, Double> gauges = new HashMap<>();
    volatile double lastReceivedSeconds = Double.NaN;
    final List<Meter> meters = new ArrayList<>();
  }

  public TrafficMeters(MeterRegistry registry, String kind, String tag) {
    this.registry = registry;
    this.kind = kind;
    this.tag = tag;
  }

  public void update(String name, JsonObject stats, Long lastSeconds) {
    if (registry == null || stats == null) {
      return;
    }
    Holder h = holders.computeIfAbsent(name, this::register);
    for (String[] c : COUNTERS) {
      h.values.put(c[0], stats.getLong(c[0], 0L));
    }
    h.lastReceivedSeconds = lastSeconds == null ? Double.NaN : lastSeconds;
  }

  /** The arrival figures of the same name (the {@code quality} object of get-list). */
  public void updateQuality(String name, JsonObject quality) {
    if (registry == null || quality == null) {
      return;
    }
    Holder h = holders.computeIfAbsent(name, this::register);
    JsonObject total = quality.getJsonObject("total", new JsonObject());
    for (String[] c : QUALITY_COUNTERS) {
      h.values.put(c[0], total.getLong(c[0], 0L));
    }
    for (String[] g : QUALITY_GAUGES) {
      Number n = (Number) quality.getValue(g[0]);
      h.gauges.put(g[0], n == null ? Double.NaN : n.doubleValue());
    }
  }

  /** Removes the meters of names no longer present. */
  public void retain(Set<String> live) {
    holders.entrySet().removeIf(e -> {
      if (live.contains(e.getKey())) {
        return false;
      }
      e.getValue().meters.forEach(registry::remove);
      return true;
    });
  }

  private Holder register(String name) {
    Holder h = new Holder();
    for (String[] c : COUNTERS) {
      String key = c[0];
      h.meters.add(FunctionCounter.builder("rengarde." + kind + "." + c[1], h,
              x -> x.values.getOrDefault(key, 0L).doubleValue())
          .description(c[2]).tag(tag, name).register(registry));
    }
    for (String[] c : QUALITY_COUNTERS) {
      String key = c[0];
      h.meters.add(FunctionCounter.builder("rengarde." + kind + "." + c[1], h,
              x -> x.values.getOrDefault(key, 0L).doubleValue())
          .description(c[2]).tag(tag, name).register(registry));
    }
    for (String[] g : QUALITY_GAUGES) {
      String key = g[0];
      h.meters.add(Gauge.builder("rengarde." + kind + "." + g[1], h, x -> x.gauges.getOrDefault(key, Double.NaN))
          .description(g[2]).tag(tag, name).register(registry));
    }
    h.meters.add(Gauge.builder("rengarde." + kind + ".last.received.seconds", h, x -> x.lastReceivedSeconds)
        .description("Seconds since the last datagram received").tag(tag, name).register(registry));
    return h;
  }
}
