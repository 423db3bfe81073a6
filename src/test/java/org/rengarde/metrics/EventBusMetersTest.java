package org.rengarde.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.backends.BackendRegistries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rengarde.VertxSetup;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The event bus's meters, kept per address, count as vertx-micrometer-metrics's do (names, tags, values). */
@ExtendWith(VertxExtension.class)
class EventBusMetersTest {

  @Test
  void publishesSendsDeliveriesAndHandlersAreCountedPerAddressAndSide(VertxTestContext test) {
    Vertx vertx = VertxSetup.create();
    AtomicInteger got = new AtomicInteger();
    vertx.runOnContext(v -> {
      for (int i = 0; i < 3; i++) {
        vertx.eventBus().consumer("test.meters", m -> {
          if (got.incrementAndGet() == 3 * 2 + 1) {
            vertx.runOnContext(x -> test.verify(() -> {
              MeterRegistry r = BackendRegistries.getDefaultNow();
              assertEquals(2.0, count(r, "vertx.eventbus.published"));
              assertEquals(1.0, count(r, "vertx.eventbus.sent"));
              assertEquals(3.0, count(r, "vertx.eventbus.received"));
              assertEquals(3.0, count(r, "vertx.eventbus.delivered"));
              assertEquals(7.0, count(r, "vertx.eventbus.processed"));
              assertEquals(0.0, gauge(r, "vertx.eventbus.pending", "local"));
              assertEquals(3.0, gauge(r, "vertx.eventbus.handlers", null));
              assertNull(r.find("vertx.eventbus.received").tag("address", "__vertx.reply.1").counter());
              vertx.close().onComplete(test.succeedingThenComplete());
            }));
          }
        });
      }
      vertx.eventBus().publish("test.meters", "a");
      vertx.eventBus().publish("test.meters", "b");
      vertx.eventBus().send("test.meters", "c");
    });
  }

  private static double count(MeterRegistry r, String name) {
    return r.get(name).tag("address", "test.meters").tag("side", "local").counter().count();
  }

  private static double gauge(MeterRegistry r, String name, String side) {
    var search = r.get(name).tag("address", "test.meters");
    return (side == null ? search : search.tag("side", side)).gauge().value();
  }
}
