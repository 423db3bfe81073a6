package org.rengarde.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus series kept as a table: one row of values per label set (a link, a peer's address, a peer), one column
 * per metric, rendered only when /metrics is scraped. A Micrometer meter costs about 700 bytes of heap (its id,
 * tags, function, the registry's entries): 15 per address made 40,000 meters and 28 MB for 1,000 peers of 2.5
 * links, more than the server's 64 MB heap can spare; a row is its values and its labels. Rows whose label set
 * {@link #retain} no longer lists are dropped, so series of gone links, addresses and peers go with them. Owned by
 * the web manager's event loop, where the scrape handler runs too.
 */
public final class SeriesTable implements MultiCollector {
  /** One metric: its Prometheus name (a counter's without {@code _total}), help text, and kind. */
  public record Column(String name, String help, boolean counter) {
  }

  private final List<Column> columns;
  private final Map<Labels, double[]> rows = new HashMap<>();
  private PrometheusMeterRegistry registered;

  public SeriesTable(List<Column> columns) {
    this.columns = List.copyOf(columns);
  }

  /** Exposes the table's series through {@code registry}'s scrape, where it is a Prometheus registry. */
  public void register(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry prometheus && registered == null) {
      prometheus.getPrometheusRegistry().register(this);
      registered = prometheus;
    }
  }

  /** Stops exposing the series and forgets every row. */
  public void unregister() {
    if (registered != null) {
      registered.getPrometheusRegistry().unregister(this);
      registered = null;
    }
    rows.clear();
  }

  /** The values of {@code labels}' series, by column, to be written in place (new rows: counters 0, gauges NaN). */
  public double[] row(Labels labels) {
    return rows.computeIfAbsent(labels, l -> {
      double[] values = new double[columns.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = columns.get(i).counter() ? 0 : Double.NaN;
      }
      return values;
    });
  }

  /** Drops the rows of label sets not in {@code live}. */
  public void retain(Set<Labels> live) {
    rows.keySet().retainAll(live);
  }

  public int size() {
    return rows.size();
  }

  @Override
  public MetricSnapshots collect() {
    if (rows.isEmpty()) {
      return new MetricSnapshots();
    }
    List<Map.Entry<Labels, double[]>> sorted = new ArrayList<>(rows.entrySet());
    sorted.sort(Map.Entry.comparingByKey());
    List<MetricSnapshot> out = new ArrayList<>(columns.size());
    for (int c = 0; c < columns.size(); c++) {
      Column column = columns.get(c);
      MetricMetadata meta = new MetricMetadata(column.name(), column.help());
      if (column.counter()) {
        List<CounterDataPointSnapshot> points = new ArrayList<>(sorted.size());
        for (Map.Entry<Labels, double[]> row : sorted) {
          points.add(new CounterDataPointSnapshot(row.getValue()[c], row.getKey(), null, 0));
        }
        out.add(new CounterSnapshot(meta, points));
      } else {
        List<GaugeDataPointSnapshot> points = new ArrayList<>(sorted.size());
        for (Map.Entry<Labels, double[]> row : sorted) {
          points.add(new GaugeDataPointSnapshot(row.getValue()[c], row.getKey(), null));
        }
        out.add(new GaugeSnapshot(meta, points));
      }
    }
    return new MetricSnapshots(out);
  }

  @Override
  public List<String> getPrometheusNames() {
    return columns.stream().map(Column::name).toList();
  }
}
