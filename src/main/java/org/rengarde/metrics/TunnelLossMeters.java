package org.rengarde.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.vertx.core.json.JsonObject;
import org.rengarde.metrics.SeriesTable.Column;

import java.util.List;
import java.util.Set;

/**
 * The tunnel loss figures (a {@code tunnelLoss} object of get-list: WireGuard counters no link delivered) as
 * Prometheus series: {@code PREFIX_received_total}, {@code PREFIX_lost_total} and {@code PREFIX_loss_ratio} (last
 * 10 s), for a prefix of {@code rengarde_tunnel} (the client, no label) or {@code rengarde_peer_tunnel} (the server,
 * label {@code peer}).
 */
public final class TunnelLossMeters {
  private static final int RECEIVED = 0;
  private static final int LOST = 1;
  private static final int RATIO = 2;

  private final SeriesTable table;

  public TunnelLossMeters(String prefix) {
    table = new SeriesTable(List.of(
        new Column(prefix + "_received", "WireGuard transport datagrams the tunnel delivered (first copies, counted by"
            + " WireGuard's counters)", true),
        new Column(prefix + "_lost", "WireGuard counters no link delivered within the duplicate window: lost end to"
            + " end", true),
        new Column(prefix + "_loss_ratio", "Share of the tunnel's datagrams lost end to end, last 10 s", false)));
  }

  public void register(MeterRegistry registry) {
    table.register(registry);
  }

  public void unregister() {
    table.unregister();
  }

  public void update(Labels labels, JsonObject tunnelLoss) {
    if (tunnelLoss == null) {
      return;
    }
    double[] row = table.row(labels);
    JsonObject total = tunnelLoss.getJsonObject("total", new JsonObject());
    row[RECEIVED] = total.getLong("received", 0L);
    row[LOST] = total.getLong("lost", 0L);
    Number ratio = (Number) tunnelLoss.getValue("lossRatio");
    row[RATIO] = ratio == null ? Double.NaN : ratio.doubleValue();
  }

  /** Removes the series of label sets no longer present. */
  public void retain(Set<Labels> live) {
    table.retain(live);
  }

  public int size() {
    return table.size();
  }
}
