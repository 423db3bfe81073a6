package org.rengarde.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsNaming;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The event bus's meters as vertx-micrometer-metrics names and tags them ({@code vertx.eventbus.published},
 * {@code sent}, {@code received}, {@code delivered}, {@code pending}, {@code processed}, {@code discarded},
 * {@code handlers}, tagged with the address and side where those labels are on), found once per address and kept.
 * vertx-micrometer-metrics looks its meters up in the registry for every message (new tags, meter ids and builders
 * each time: some 1.3 KB per message, 80 bytes per datagram of a batch on the packet path); here a message costs a
 * map read and the increments. Vert.x's own addresses ({@code __vertx.*}, replies among them) are not counted, as
 * there.
 */
final class EventBusMeters implements EventBusMetrics<EventBusMeters.AddressMeters> {
  private static final String INTERNAL = "__vertx.";
  /**
   * The value behind each gauge, by registry and meter: a registry hands back the gauge registered first for an id,
   * so Vert.x instances sharing a registry (tests) must share what it reads too.
   */
  private static final Map<MeterRegistry, Map<String, LongAdder>> GAUGED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final MeterRegistry registry;
  private final MetricsNaming names;
  private final boolean byAddress;
  private final boolean bySide;
  private final boolean byFailure;
  private final ConcurrentHashMap<String, AddressMeters> addresses = new ConcurrentHashMap<>();
  private final Function<String, AddressMeters> create = AddressMeters::new;

  EventBusMeters(MeterRegistry registry, MetricsNaming names, Set<Label> labels) {
    this.registry = registry;
    this.names = names;
    this.byAddress = labels.contains(Label.EB_ADDRESS);
    this.bySide = labels.contains(Label.EB_SIDE);
    this.byFailure = labels.contains(Label.EB_FAILURE);
  }

  /** The meters of {@code address} (of every address where addresses are not told apart), or null for Vert.x's. */
  private AddressMeters of(String address) {
    if (address.startsWith(INTERNAL)) {
      return null;
    }
    String key = byAddress ? address : "";
    AddressMeters m = addresses.get(key);
    return m != null ? m : addresses.computeIfAbsent(key, create);
  }

  @Override
  public AddressMeters handlerRegistered(String address) {
    AddressMeters m = of(address);
    if (m != null) {
      m.handlers.increment();
    }
    return m;
  }

  @Override
  public void handlerUnregistered(AddressMeters m) {
    if (m != null) {
      m.handlers.decrement();
    }
  }

  @Override
  public void messageDelivered(AddressMeters m, boolean local) {
    if (m != null) {
      Side s = m.side(local);
      s.pending.decrement();
      s.processed.increment();
    }
  }

  @Override
  public void discardMessage(AddressMeters m, boolean local, Message<?> msg) {
    if (m != null) {
      Side s = m.side(local);
      s.pending.decrement();
      s.discarded.increment();
    }
  }

  @Override
  public void messageSent(String address, boolean publish, boolean local, boolean remote) {
    AddressMeters m = of(address);
    if (m != null) {
      Side s = m.side(local);
      (publish ? s.published : s.sent).increment();
    }
  }

  @Override
  public void messageReceived(String address, boolean publish, boolean local, int handlers) {
    AddressMeters m = of(address);
    if (m != null) {
      Side s = m.side(local);
      s.received.increment();
      if (handlers > 0) {
        s.pending.add(handlers);
        s.delivered.increment();
      }
    }
  }

  /** Clustered event buses only (rengarde is not): looked up each time. */
  @Override
  public void messageWritten(String address, int numberOfBytes) {
    if (!address.startsWith(INTERNAL)) {
      DistributionSummary.builder(names.getEbBytesWritten()).tags(addressTags(address)).register(registry)
          .record(numberOfBytes);
    }
  }

  @Override
  public void messageRead(String address, int numberOfBytes) {
    if (!address.startsWith(INTERNAL)) {
      DistributionSummary.builder(names.getEbBytesRead()).tags(addressTags(address)).register(registry)
          .record(numberOfBytes);
    }
  }

  @Override
  public void replyFailure(String address, ReplyFailure failure) {
    if (!address.startsWith(INTERNAL)) {
      Tags tags = addressTags(address);
      if (byFailure) {
        tags = tags.and(Label.EB_FAILURE.toString(), failure.name());
      }
      Counter.builder(names.getEbReplyFailures()).description("Number of message reply failures").tags(tags)
          .register(registry).increment();
    }
  }

  /** The adder behind the gauge {@code name} with {@code tags}, registered once per registry. */
  private LongAdder gauge(String name, String description, Tags tags) {
    Map<String, LongAdder> values = GAUGED.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
    return values.computeIfAbsent(name + tags, k -> {
      LongAdder value = new LongAdder();
      Gauge.builder(name, value, LongAdder::doubleValue).description(description).tags(tags).strongReference(true)
          .register(registry);
      return value;
    });
  }

  private Tags addressTags(String address) {
    return byAddress ? Tags.of(Label.EB_ADDRESS.toString(), address) : Tags.empty();
  }

  /** One address's meters (the handler metric Vert.x keeps with each registration, too). */
  final class AddressMeters {
    final LongAdder handlers;
    private final Side local;
    private final Side remote;

    private AddressMeters(String key) {
      Tags tags = addressTags(key);
      handlers = gauge(names.getEbHandlers(), "Number of event bus handlers in use", tags);
      local = new Side(bySide ? tags.and(Label.EB_SIDE.toString(), "local") : tags);
      remote = bySide ? new Side(tags.and(Label.EB_SIDE.toString(), "remote")) : local;
    }

    Side side(boolean isLocal) {
      return isLocal ? local : remote;
    }
  }

  /** The meters of one side (local or remote) of one address. */
  final class Side {
    final Counter published;
    final Counter sent;
    final Counter received;
    final Counter delivered;
    final Counter processed;
    final Counter discarded;
    final LongAdder pending;

    private Side(Tags tags) {
      published = counter(names.getEbPublished(), "Number of messages published (publish / subscribe)", tags);
      sent = counter(names.getEbSent(), "Number of messages sent (point-to-point)", tags);
      received = counter(names.getEbReceived(), "Number of messages received", tags);
      delivered = counter(names.getEbDelivered(), "Number of messages delivered to handlers", tags);
      processed = counter(names.getEbProcessed(), "Number of processed messages", tags);
      discarded = counter(names.getEbDiscarded(), "Number of discarded messages", tags);
      pending = gauge(names.getEbPending(), "Number of messages not processed yet", tags);
    }

    private Counter counter(String name, String description, Tags tags) {
      return Counter.builder(name).description(description).tags(tags).register(registry);
    }
  }
}
