package org.rengarde.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;

import java.util.Map;
import java.util.TreeMap;

/**
 * The event bus as vertx-micrometer-metrics counts it ({@code vertx.eventbus.*} meters tagged with the address),
 * one row per address: published, delivered, processed, pending, handlers. The bus is the process's, shared by
 * every instance: an instance's rows are its own addresses only.
 */
public final class EventBusStats {
  private static final String PREFIX = "vertx.eventbus.";

  private EventBusStats() {
  }

  public static JsonArray of(MeterRegistry registry, BusAddresses instance) {
    JsonArray rows = new JsonArray();
    if (registry == null) {
      return rows;
    }
    Map<String, JsonObject> byAddress = new TreeMap<>();
    for (Meter m : registry.getMeters()) {
      String name = m.getId().getName();
      String address = m.getId().getTag("address");
      if (!name.startsWith(PREFIX) || address == null || !instance.owns(address)) {
        continue;
      }
      String field = name.substring(PREFIX.length());
      double value = valueOf(m);
      if (Double.isNaN(value)) {
        continue;
      }
      JsonObject row = byAddress.computeIfAbsent(address, a -> new JsonObject().put("address", a));
      row.put(field, row.getLong(field, 0L) + Math.round(value));
    }
    byAddress.values().forEach(rows::add);
    return rows;
  }

  private static double valueOf(Meter m) {
    if (m instanceof Counter c) {
      return c.count();
    }
    if (m instanceof FunctionCounter c) {
      return c.count();
    }
    if (m instanceof Gauge g) {
      return g.value();
    }
    return Double.NaN;
  }
}
