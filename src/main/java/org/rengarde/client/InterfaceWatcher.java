package org.rengarde.client;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;
import org.rengarde.config.ClientConfig;
import org.rengarde.config.HostPort;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Polls the interfaces (off the event loop, every poll interval and at once when the kernel reports a change) and deploys, undeploys and re-deploys one {@link LinkVerticle} per
 * usable interface. Owns the run-time exclusion toggles; answers exclusion commands and status requests.
 */
public final class InterfaceWatcher extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(InterfaceWatcher.class.getName());

  private final InterfaceSource source;
  private final PacketPath packetPath;
  private final BusAddresses addresses;
  private ClientConfig config;
  private final Exclusions exclusions;
  /** Links that exist or are being started, by interface name. */
  private final Map<String, RunningLink> links = new HashMap<>();
  /**
   * Links already out of {@link #links} whose undeployment waits for their start to finish (a link excluded, or
   * replaced, while it was still starting): {@link #stop} waits for them too, or Vert.x would close with their start
   * in flight (it then fails the start and logs "Promise already completed" when the start completes).
   */
  private final Set<Future<Void>> leaving = new HashSet<>();
  /** Interfaces whose last link start failed, with the message: "idle" on the page. */
  private final Map<String, String> failures = new HashMap<>();
  private List<InterfaceInfo> lastSeen = List.of();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private InterfaceMonitor monitor;
  private long pollTimer;
  private boolean polling;
  private boolean pollAgain;
  private boolean stopping;

  private record RunningLink(LinkSpec spec, int slot, Future<String> deployment) {
  }

  /** Per interface: when a re-creation for failing sends is allowed next, and the current back-off. */
  private final Map<String, long[]> recreateBackoff = new HashMap<>();
  private static final long FIRST_BACKOFF_NANOS = 1_000_000_000L;
  private static final long MAX_BACKOFF_NANOS = 60_000_000_000L;

  /** Slots (0-63) of the Dispatcher's arrival tracker in use by a link, one bit each. */
  private long usedSlots;

  /**
   * @param packetPath the Dispatcher's event loop and duplicate filter, where the links run their packet path (null:
   *     each link on its own loop, without a filter)
   */
  public InterfaceWatcher(BusAddresses addresses, ClientConfig config, InterfaceSource source, PacketPath packetPath) {
    this.addresses = addresses;
    this.config = config;
    this.source = source;
    this.packetPath = packetPath;
    this.exclusions = new Exclusions(config.excludedInterfaces());
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    consumers.add(bus.<JsonObject>consumer(addresses.repoll(), this::onRepollRequest));
    consumers.add(bus.<JsonObject>consumer(addresses.exclusions(), this::onExclusionCommand));
    consumers.add(bus.consumer(addresses.clientStatus(), this::replyStatus));
    consumers.add(bus.<ClientConfig>consumer(addresses.clientConfig(), m -> applyConfig(m.body())));
    pollTimer = vertx.setPeriodic(config.pollIntervalMillis(), id -> poll());
    monitor = new InterfaceMonitor(() -> context.runOnContext(v -> poll()));
    monitor.start();
    return pollOnce();
  }

  /**
   * Applies a new configuration: exclusions, labels, destinations, poll interval. Links follow at the next poll; a
   * change of bindToDevice stops them all first, so that each is made again bound the new way.
   */
  private void applyConfig(ClientConfig newConfig) {
    context.runOnContext(v -> {
      boolean newInterval = newConfig.pollIntervalMillis() != config.pollIntervalMillis();
      if (newConfig.bindToDevice() != config.bindToDevice()) {
        for (String name : new ArrayList<>(links.keySet())) {
          stopLink(name, "client.bindToDevice changed");
        }
      }
      config = newConfig;
      exclusions.setConfigured(newConfig.excludedInterfaces());
      if (newInterval) {
        vertx.cancelTimer(pollTimer);
        pollTimer = vertx.setPeriodic(config.pollIntervalMillis(), id -> poll());
      }
      poll();
    });
  }

  private void poll() {
    if (stopping) {
      return;
    }
    if (polling) {
      pollAgain = true;
      return;
    }
    pollOnce();
  }

  private Future<Void> pollOnce() {
    polling = true;
    return vertx.executeBlocking(source::list, false)
        .compose(this::reconcile)
        .recover(e -> {
          LOG.warning("Cannot list the interfaces: " + e.getMessage());
          return Future.succeededFuture();
        })
        .onComplete(v -> {
          polling = false;
          if (pollAgain) {
            pollAgain = false;
            poll();
          }
        });
  }

  private Future<Void> reconcile(List<InterfaceInfo> seen) {
    lastSeen = seen;
    Map<String, LinkSpec> running = new HashMap<>();
    links.forEach((name, link) -> running.put(name, link.spec()));
    LinkPlan plan = LinkPlanner.plan(seen, exclusions, config::destinationFor, running);
    Map<String, String> replacing = new HashMap<>();
    for (LinkStart start : plan.starts()) {
      replacing.put(start.ifName(), null);
    }
    for (LinkPlan.Stop stop : plan.stops()) {
      if (replacing.containsKey(stop.ifName())) {
        replacing.put(stop.ifName(), stop.reason());
      } else {
        stopLink(stop.ifName(), InterfaceEvents.stopped(stop.ifName(), stop.reason()));
      }
    }
    if (plan.starts().isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> resolve(plan.starts()), false).map(specs -> {
      for (LinkSpec spec : specs) {
        String reason = replacing.remove(spec.ifName());
        if (reason != null) {
          replaceLink(spec, reason);
        } else {
          startLink(spec);
        }
      }
      replacing.forEach((name, reason) -> {
        if (reason != null) {
          stopLink(name, InterfaceEvents.stopped(name, reason));
        }
      });
      return null;
    });
  }

  /** Make before break: the new link starts, then the old one goes, so a changed link loses nothing. */
  private void replaceLink(LinkSpec spec, String reason) {
    RunningLink old = links.remove(spec.ifName());
    LOG.info(InterfaceEvents.stopped(spec.ifName(), reason));
    startLink(spec);
    RunningLink fresh = links.get(spec.ifName());
    Future<String> started = fresh == null ? Future.succeededFuture() : fresh.deployment();
    if (old != null) {
      started.otherwiseEmpty().onComplete(v -> undeploy(old));
    }
  }

  /**
   * Resolves each destination now: a host name is looked up again whenever a link is (re)created, and the link
   * takes the first of its addresses in a family the interface has an address in ({@link LinkStart#resolvedTo}).
   */
  private static List<LinkSpec> resolve(List<LinkStart> starts) {
    List<LinkSpec> out = new ArrayList<>();
    for (LinkStart s : starts) {
      InetAddress[] resolved;
      try {
        resolved = s.configuredDestination().resolveAll();
      } catch (UnknownHostException e) {
        LOG.warning(InterfaceEvents.cannotResolve(s.ifName(), s.configuredDestination()));
        continue;
      }
      LinkSpec spec = s.resolvedTo(resolved);
      if (spec == null) {
        LOG.warning("Link " + s.ifName() + ": the server address " + s.configuredDestination() + " resolves to "
            + formatAll(resolved) + ", none in the family of the interface's addresses " + formatAll(s.sources()));
        continue;
      }
      String warning = RouteCheck.check(s.ifName(), spec.destination().getAddress());
      if (warning != null) {
        LOG.warning(warning);
      }
      out.add(spec);
    }
    return out;
  }

  private static String formatAll(InetAddress[] addresses) {
    return formatAll(java.util.Arrays.asList(addresses));
  }

  private static String formatAll(List<InetAddress> addresses) {
    return addresses.stream().map(HostPort::format).collect(java.util.stream.Collectors.joining(", ", "(", ")"));
  }

  private void startLink(LinkSpec spec) {
    if (stopping || links.containsKey(spec.ifName())) {
      return;
    }
    int slot = takeSlot();
    Future<String> deployment = vertx.deployVerticle(
        new LinkVerticle(addresses, spec, slot, config.writeTimeout().sendQueueBytes(), packetPath, config.bindToDevice()),
        new DeploymentOptions());
    links.put(spec.ifName(), new RunningLink(spec, slot, deployment));
    deployment.onFailure(e -> releaseSlot(slot));
    deployment.onSuccess(id -> failures.remove(spec.ifName())).onFailure(e -> {
      String message = e.getMessage();
      if (!message.equals(failures.put(spec.ifName(), message))) {
        LOG.warning(InterfaceEvents.cannotCreateSocket(spec.ifName(), spec.source(), message));
      }
      RunningLink current = links.get(spec.ifName());
      if (current != null && current.deployment() == deployment) {
        links.remove(spec.ifName());
      }
    });
  }

  /** @param logLine what to log when the link exists: why it goes, in engarde's words */
  private Future<Void> stopLink(String ifName, String logLine) {
    RunningLink link = links.remove(ifName);
    if (link == null) {
      return Future.succeededFuture();
    }
    LOG.info(logLine);
    return undeploy(link);
  }

  private Future<Void> undeploy(RunningLink link) {
    Future<Void> gone = link.deployment().compose(vertx::undeploy).otherwiseEmpty()
        .onComplete(v -> releaseSlot(link.slot())).mapEmpty();
    if (!gone.isComplete()) {
      leaving.add(gone);
      gone.onComplete(v -> leaving.remove(gone));
    }
    return gone;
  }

  private int takeSlot() {
    if (usedSlots == -1L) {
      return org.rengarde.bus.DatagramBatch.NO_LINK;
    }
    int slot = Long.numberOfTrailingZeros(~usedSlots);
    usedSlots |= 1L << slot;
    return slot;
  }

  private void releaseSlot(int slot) {
    if (slot >= 0) {
      usedSlots &= ~(1L << slot);
    }
  }

  private void onRepollRequest(Message<JsonObject> message) {
    JsonObject body = message.body();
    if (body != null && body.getBoolean("recreate", false)) {
      RunningLink link = links.get(body.getString("interface"));
      if (link != null && link.spec().index() == body.getInteger("index", -1) && recreateAllowed(link.spec().ifName())) {
        stopLink(link.spec().ifName(), InterfaceEvents.sendsFailed(link.spec().ifName()));
      }
    }
    poll();
  }

  /**
   * A link whose sends all fail (a firewall dropping everything, say) is re-created at most once per back-off,
   * doubling from 1 s to 60 s, so a link that cannot work does not churn.
   */
  private boolean recreateAllowed(String ifName) {
    long now = System.nanoTime();
    long[] b = recreateBackoff.computeIfAbsent(ifName, n -> new long[] {now, FIRST_BACKOFF_NANOS});
    if (now - b[0] < 0) {
      return false;
    }
    b[0] = now + b[1];
    b[1] = Math.min(MAX_BACKOFF_NANOS, b[1] * 2);
    return true;
  }

  private void onExclusionCommand(Message<JsonObject> message) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    String action = body.getString("action", "");
    String name = body.getString("interface", "");
    String status = switch (action) {
      case "swap" -> {
        exclusions.swap(name);
        yield "ok";
      }
      case "include" -> exclusions.include(name) ? "ok" : "already-included";
      case "exclude" -> exclusions.exclude(name) ? "ok" : "already-excluded";
      case "reset" -> {
        exclusions.reset();
        yield "ok";
      }
      default -> null;
    };
    if (status == null) {
      message.fail(400, "unknown exclusion action \"" + action + "\"");
      return;
    }
    LOG.info("Exclusions: " + action + (name.isEmpty() ? "" : " " + name) + " -> " + status);
    message.reply(new JsonObject().put("status", status));
    poll();
  }

  private void replyStatus(Message<Object> request) {
    JsonArray interfaces = new JsonArray();
    for (InterfaceInfo i : lastSeen) {
      RunningLink link = links.get(i.name());
      boolean active = link != null && link.deployment().succeeded();
      String status = exclusions.isExcluded(i.name()) ? "excluded" : active ? "active" : "idle";
      InetAddress address = active ? link.spec().source() : i.eligibleAddress();
      JsonObject entry = new JsonObject()
          .put("name", i.name())
          .put("label", config.labelOf(i.name()))
          .put("status", status)
          .put("senderAddress", address == null ? "" : HostPort.format(address))
          .put("dstAddress", status.equals("excluded") ? "" : config.destinationFor(i.name()).toString())
          .put("index", i.index())
          .put("up", i.up());
      String failure = failures.get(i.name());
      if (failure == null && !active && !exclusions.isExcluded(i.name()) && address != null) {
        failure = familyMismatch(i);
      }
      if (failure != null && !active) {
        entry.put("error", failure);
      }
      interfaces.add(entry);
    }
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("description", config.description());
    reply.put("listenAddress", config.listenAddr().toString());
    reply.put("interfaces", interfaces);
    request.reply(new JsonObject(reply));
  }

  /** Why an interface with an address has no link to a destination of the other family, or null. */
  private String familyMismatch(InterfaceInfo i) {
    HostPort destination = config.destinationFor(i.name());
    java.net.StandardProtocolFamily family = destination.literalFamily();
    if (family == null || !LinkPlanner.sources(i, destination).isEmpty()) {
      return null;
    }
    return "no " + (family == java.net.StandardProtocolFamily.INET6 ? "IPv6" : "IPv4") + " address for the server "
        + destination;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    if (monitor != null) {
      monitor.stop();
    }
    List<Future<?>> all = new ArrayList<>();
    for (MessageConsumer<?> c : consumers) {
      all.add(c.unregister());
    }
    all.addAll(leaving);
    for (String name : new ArrayList<>(links.keySet())) {
      all.add(stopLink(name, InterfaceEvents.shuttingDown(name)));
    }
    return Future.join(all);
  }
}
