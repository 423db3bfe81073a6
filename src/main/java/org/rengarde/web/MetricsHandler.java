package org.rengarde.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code /metrics}: the Prometheus text written straight into the response's buffer. With 1,000 peers it is 3 MB;
 * the stock handler made it a String first (a byte stream grown by doubling, then the String, then the response's
 * bytes: three copies at once on a 64 MB heap). The buffer starts at the last scrape's size. The process's series
 * (Vert.x, JVM) come first, then the web manager's own (its instance's links, addresses and tunnels).
 */
final class MetricsHandler implements Handler<RoutingContext> {
  /** Prometheus' text format, as the stock handler serves it. */
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final PrometheusMeterRegistry own;
  private int lastBytes = 64 * 1024;

  MetricsHandler(PrometheusMeterRegistry registry, PrometheusMeterRegistry own) {
    this.registry = registry;
    this.own = own;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Buffer text = Buffer.buffer(lastBytes + lastBytes / 8);
    OutputStream out = new OutputStream() {
      @Override
      public void write(int b) {
        text.appendByte((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        text.appendBytes(b, off, len);
      }
    };
    try {
      registry.scrape(out, CONTENT_TYPE);
      own.scrape(out, CONTENT_TYPE);
    } catch (IOException e) {
      ctx.fail(e);
      return;
    }
    lastBytes = text.length();
    ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(text);
  }
}
