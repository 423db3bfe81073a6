package org.rengarde.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The series as a Prometheus scrape shows them: labels by peer and address, and gone with their label set. */
class TrafficMetersTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private static JsonObject stats(long datagramsIn) {
    return new JsonObject().put("datagramsIn", datagramsIn).put("bytesIn", datagramsIn * 100).put("datagramsOut", 3L)
        .put("bytesOut", 300L).put("sendErrors", 0L).put("drops", 1L);
  }

  private static JsonObject quality() {
    return new JsonObject().put("lossRatio", 0.25).put("lateMsP50", 1).put("lateMsP99", null)
        .put("total", new JsonObject().put("firstArrivals", 7L).put("uniqueSaves", 2L).put("missing", 5L)
            .put("altered", 0L));
  }

  private String line(String text, String series) {
    return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no " + series + " in\n" + text));
  }

  @Test
  void theServersAddressesAreLabelledByPeerAndAddress() {
    TrafficMeters meters = new TrafficMeters("client");
    meters.register(registry);
    Labels a = Labels.of("peer", "7", "address", "10.0.0.1:4000");
    meters.update(a, stats(42), 3L);
    meters.updateQuality(a, quality());
    meters.updateKernelDrops(a, 9L);
    String text = registry.scrape();
    String labels = "{address=\"10.0.0.1:4000\",peer=\"7\"}";
    assertTrue(line(text, "rengarde_client_datagrams_received_total" + labels).endsWith(" 42.0"), text);
    assertTrue(line(text, "rengarde_client_bytes_received_total" + labels).endsWith(" 4200.0"));
    assertTrue(line(text, "rengarde_client_missing_total" + labels).endsWith(" 5.0"));
    assertTrue(line(text, "rengarde_client_loss_ratio" + labels).endsWith(" 0.25"));
    assertTrue(line(text, "rengarde_client_late_p99_milliseconds" + labels).endsWith(" NaN"), "no figure yet");
    assertTrue(line(text, "rengarde_client_last_received_seconds" + labels).endsWith(" 3.0"));
    assertTrue(line(text, "rengarde_client_kernel_drops_total" + labels).endsWith(" 9.0"), "from its own socket");
    assertTrue(text.contains("# HELP rengarde_client_datagrams_received_total "), text);
  }

  @Test
  void seriesOfLabelSetsNoLongerListedAreRemoved() {
    TrafficMeters meters = new TrafficMeters("client");
    meters.register(registry);
    Labels kept = Labels.of("peer", "1", "address", "10.0.0.1:1");
    Labels gone = Labels.of("peer", "2", "address", "10.0.0.2:2");
    meters.update(kept, stats(1), 0L);
    meters.update(gone, stats(2), 0L);
    meters.retain(Set.of(kept));
    assertEquals(1, meters.size());
    String text = registry.scrape();
    assertTrue(text.contains("peer=\"1\""), text);
    assertFalse(text.contains("peer=\"2\""), text);
  }

  @Test
  void unregisteredMetersLeaveNothingInTheScrape() {
    TrafficMeters meters = new TrafficMeters("link");
    meters.register(registry);
    meters.update(Labels.of("interface", "eth0"), stats(1), 0L);
    meters.unregister();
    assertFalse(registry.scrape().contains("rengarde_link_"), registry.scrape());
    assertEquals(0, meters.size());
  }

  @Test
  void tunnelLossPerPeerAndForTheClient() {
    TunnelLossMeters peers = new TunnelLossMeters("rengarde_peer_tunnel");
    TunnelLossMeters client = new TunnelLossMeters("rengarde_tunnel");
    peers.register(registry);
    client.register(registry);
    JsonObject loss = new JsonObject().put("lossRatio", 0.1)
        .put("total", new JsonObject().put("received", 90L).put("lost", 10L));
    peers.update(Labels.of("peer", "3"), loss);
    client.update(Labels.EMPTY, loss);
    String text = registry.scrape();
    assertTrue(line(text, "rengarde_peer_tunnel_lost_total{peer=\"3\"}").endsWith(" 10.0"), text);
    assertTrue(line(text, "rengarde_peer_tunnel_received_total{peer=\"3\"}").endsWith(" 90.0"));
    assertTrue(line(text, "rengarde_peer_tunnel_loss_ratio{peer=\"3\"}").endsWith(" 0.1"));
    assertTrue(line(text, "rengarde_tunnel_lost_total").endsWith(" 10.0"));
    peers.retain(Set.of());
    assertFalse(registry.scrape().contains("peer=\"3\""));
  }
}
