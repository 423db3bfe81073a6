package org.rengarde;

import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.rengarde.metrics.CachedBusMetricsFactory;

/**
 * The Vert.x instance rengarde runs on: native epoll transport, Micrometer metrics with event-bus addresses (the
 * event bus's meters kept per address: {@link CachedBusMetricsFactory}).
 */
public final class VertxSetup {

  private VertxSetup() {
  }

  public static VertxOptions options(VertxOptions base) {
    VertxOptions options = base == null ? new VertxOptions() : base;
    return options
        .setPreferNativeTransport(true)
        .setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .addLabels(Label.EB_ADDRESS)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  public static VertxBuilder builder(VertxOptions base) {
    return Vertx.builder().with(options(base)).withMetrics(new CachedBusMetricsFactory());
  }

  public static Vertx create() {
    return builder(null).build();
  }
}
