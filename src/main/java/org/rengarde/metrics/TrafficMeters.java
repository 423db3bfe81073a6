package org.rengarde.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.vertx.core.json.JsonObject;
import org.rengarde.metrics.SeriesTable.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Our own counters as Prometheus series: the link channels are Netty channels of ours that vertx-micrometer-metrics
 * cannot see. Values are copied from the status document once a second, not per packet, into a {@link SeriesTable}.
 *
 * <p>Names, for a {@code kind} of "link" (label {@code interface}) or "client" (labels {@code peer} and
 * {@code address}): {@code rengarde_KIND_datagrams_received_total}, {@code rengarde_KIND_bytes_received_total},
 * {@code rengarde_KIND_datagrams_sent_total}, {@code rengarde_KIND_bytes_sent_total},
 * {@code rengarde_KIND_send_errors_total}, {@code rengarde_KIND_drops_total},
 * {@code rengarde_KIND_kernel_drops_total}, {@code rengarde_KIND_last_received_seconds}; and from the arrival
 * tracker (duplicate filter): {@code rengarde_KIND_first_arrivals_total}, {@code rengarde_KIND_unique_saves_total},
 * {@code rengarde_KIND_missing_total}, {@code rengarde_KIND_altered_total},
 * {@code rengarde_KIND_loss_ratio} (last 10 s),
 * {@code rengarde_KIND_late_p50_milliseconds} and {@code rengarde_KIND_late_p99_milliseconds}.
 */
public final class TrafficMeters {
  /** get-list's {@code stats} field, metric name, help. */
  private static final String[][] COUNTERS = {
      {"datagramsIn", "datagrams_received", "Datagrams received from the far side"},
      {"bytesIn", "bytes_received", "Bytes received from the far side"},
      {"datagramsOut", "datagrams_sent", "Datagrams sent to the far side"},
      {"bytesOut", "bytes_sent", "Bytes sent to the far side"},
      {"sendErrors", "send_errors", "Sends the kernel refused"},
      {"drops", "drops", "Copies dropped (queue full or refused by the filter)"},
      {"kernelDrops", "kernel_drops", "Datagrams the kernel dropped on this socket: its receive buffer was full, so the"
          + " relay, not the link, lost them"},
  };
  /** The same for the {@code quality} object's {@code total}. */
  private static final String[][] QUALITY_COUNTERS = {
      {"firstArrivals", "first_arrivals", "Datagrams this link delivered first"},
      {"uniqueSaves", "unique_saves", "Datagrams only this link delivered"},
      {"missing", "missing", "Datagrams other links delivered but this one did not"},
      {"altered", "altered", "Copies whose bytes differed from those most links delivered"},
  };
  /** The same for the {@code quality} object's own fields. */
  private static final String[][] QUALITY_GAUGES = {
      {"lossRatio", "loss_ratio", "Share of datagrams this link missed, last 10 s"},
      {"lateMsP50", "late_p50_milliseconds", "Median lateness behind the first copy, last 10 s"},
      {"lateMsP99", "late_p99_milliseconds", "99th percentile lateness behind the first copy, last 10 s"},
  };
  private static final int KERNEL_DROPS = 6;
  private static final int QUALITY = COUNTERS.length;
  private static final int GAUGES = QUALITY + QUALITY_COUNTERS.length;
  private static final int LAST_RECEIVED = GAUGES + QUALITY_GAUGES.length;

  private final SeriesTable table;

  public TrafficMeters(String kind) {
    List<Column> columns = new ArrayList<>();
    for (String[] c : COUNTERS) {
      columns.add(new Column("rengarde_" + kind + "_" + c[1], c[2], true));
    }
    for (String[] c : QUALITY_COUNTERS) {
      columns.add(new Column("rengarde_" + kind + "_" + c[1], c[2], true));
    }
    for (String[] g : QUALITY_GAUGES) {
      columns.add(new Column("rengarde_" + kind + "_" + g[1], g[2], false));
    }
    columns.add(new Column("rengarde_" + kind + "_last_received_seconds", "Seconds since the last datagram received",
        false));
    table = new SeriesTable(columns);
  }

  public void register(MeterRegistry registry) {
    table.register(registry);
  }

  public void unregister() {
    table.unregister();
  }

  /** The counters of get-list's {@code stats} object for the series of {@code labels}. */
  public void update(Labels labels, JsonObject stats, Long lastSeconds) {
    if (stats == null) {
      return;
    }
    double[] row = table.row(labels);
    for (int i = 0; i < COUNTERS.length; i++) {
      row[i] = stats.getLong(COUNTERS[i][0], 0L);
    }
    row[LAST_RECEIVED] = lastSeconds == null ? Double.NaN : lastSeconds;
  }

  /**
   * The kernel's drops on the address's own socket (a server member's {@code socket} object; a link's are in its
   * {@code stats}).
   */
  public void updateKernelDrops(Labels labels, Long drops) {
    if (drops != null) {
      table.row(labels)[KERNEL_DROPS] = drops;
    }
  }

  /** The arrival figures of the same labels (the {@code quality} object of get-list). */
  public void updateQuality(Labels labels, JsonObject quality) {
    if (quality == null) {
      return;
    }
    double[] row = table.row(labels);
    JsonObject total = quality.getJsonObject("total", new JsonObject());
    for (int i = 0; i < QUALITY_COUNTERS.length; i++) {
      row[QUALITY + i] = total.getLong(QUALITY_COUNTERS[i][0], 0L);
    }
    for (int i = 0; i < QUALITY_GAUGES.length; i++) {
      Number n = (Number) quality.getValue(QUALITY_GAUGES[i][0]);
      row[GAUGES + i] = n == null ? Double.NaN : n.doubleValue();
    }
  }

  /** Removes the series of label sets no longer present. */
  public void retain(Set<Labels> live) {
    table.retain(live);
  }

  /** Label sets with series. */
  public int size() {
    return table.size();
  }
}
