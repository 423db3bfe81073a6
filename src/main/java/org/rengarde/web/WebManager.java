package org.rengarde.web;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.metrics.EventBusStats;
import org.rengarde.metrics.RateTracker;
import org.rengarde.metrics.TrafficMeters;
import org.rengarde.metrics.TunnelLossMeters;

import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The web manager: engarde's API (any HTTP method, engarde's field names), the page, a live push of the status
 * document (server-sent events), and Prometheus text at {@code /metrics}, on the application's Vert.x instance.
 */
public final class WebManager extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(WebManager.class.getName());
  private static final long PUSH_PERIOD_MILLIS = 1000;
  private static final String API = "/api/v1/";
  private static final int STREAM_RETRY_AFTER_SECONDS = 5;

  private final String section;
  private final WebManagerConfig web;
  private final StatusSource source;
  private final RateTracker rates = new RateTracker();
  private final EventStreams streams = new EventStreams(EventStreams.MAX_STREAMS);
  private final StatusSnapshot snapshot;
  private TrafficMeters meters;
  private TunnelLossMeters tunnels;
  private MeterRegistry registry;
  /** This web manager's own series (links, addresses, tunnels): another instance's web manager has its own. */
  private PrometheusMeterRegistry ownSeries;
  private HttpServer server;
  private long pushTimer;
  private String configError;
  private MessageConsumer<JsonObject> configStatus;

  public WebManager(String section, WebManagerConfig web, StatusSource source) {
    this.section = section;
    this.web = web;
    this.source = source;
    this.snapshot = new StatusSnapshot(() -> build(true), () -> build(false));
  }

  @Override
  public Future<?> start() {
    registry = BackendRegistries.getDefaultNow();
    if (registry instanceof PrometheusMeterRegistry) {
      ownSeries = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM);
    }
    boolean client = "client".equals(source.type());
    meters = new TrafficMeters(client ? "link" : "client");
    tunnels = new TunnelLossMeters(client ? "rengarde_tunnel" : "rengarde_peer_tunnel");
    configStatus = vertx.eventBus().consumer(source.addresses().configStatus(),
        m -> configError = m.body() == null ? null : m.body().getString("error"));
    return vertx.createHttpServer()
        .requestHandler(RequestFailures.guarded(router(client)))
        .invalidRequestHandler(RequestFailures::invalidRequest)
        .listen(web.listenAddr().port(), web.listenAddr().host())
        .recover(e -> Future.failedFuture(section + ".webManager.listenAddr " + web.listenAddr() + ": cannot listen: "
            + e.getMessage()))
        .onSuccess(s -> {
          server = s;
          meters.register(ownSeries);
          tunnels.register(ownSeries);
          pushTimer = vertx.setPeriodic(PUSH_PERIOD_MILLIS, id -> push());
          LOG.info("Management webserver listening on " + web.listenAddr() + " (http://" + web.listenAddr() + "/, "
              + (web.authRequired() ? "Basic auth)" : "no authentication: set username and password to require it)"));
        });
  }

  private Router router(boolean client) {
    Router router = Router.router(vertx);
    router.route().failureHandler(new RequestFailures());
    // the router answers these without the failure handler: a path it cannot match, a failure handler's own fault
    router.errorHandler(400, ctx -> RequestFailures.unhandled(ctx, 400));
    router.errorHandler(500, ctx -> RequestFailures.unhandled(ctx, 500));
    router.route().handler(new HostCheck(web.listenAddr().host(), web.allowedHosts(), section + ".webManager.allowedHosts"));
    if (web.authRequired()) {
      router.route().handler(new BasicAuth(web.username(), web.password()));
    }
    router.route(API + "get-list").handler(this::getList);
    router.route(API + "events").handler(this::events);
    if (client) {
      CrossSiteCheck crossSite = new CrossSiteCheck();
      router.route(API + "swap-exclusion").handler(crossSite).handler(ctx -> command(ctx, "swap"));
      router.route(API + "include").handler(crossSite).handler(ctx -> command(ctx, "include"));
      router.route(API + "exclude").handler(crossSite).handler(ctx -> command(ctx, "exclude"));
      router.route(API + "reset-exclusions").handler(crossSite).handler(ctx -> exclusion(ctx, "reset", ""));
    }
    router.route(API + "*").handler(ctx -> ctx.fail(new HttpException(404, "no such API path: " + ctx.request().path())));
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      router.route("/metrics").handler(new MetricsHandler(prometheus, ownSeries));
    }
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));
    router.route().handler(WebManager::noSuchFile);
    return router;
  }

  /** What the static files did not serve: a path that is not there, or a method other than GET and HEAD. */
  private static void noSuchFile(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      ctx.response().putHeader("Allow", "GET, HEAD");
      ctx.fail(new HttpException(405, method + " is not allowed here: the page and its files are read with GET"));
    } else {
      ctx.fail(new HttpException(404, "no such file: " + ctx.request().path()));
    }
  }

  private void getList(RoutingContext ctx) {
    snapshot.latest()
        .onSuccess(doc -> JsonReplies.send(ctx.response(), 200, doc))
        .onFailure(e -> ctx.fail(new HttpException(503, "status unavailable: " + e.getMessage())));
  }

  /** A command that names an interface: the body is read raw, whatever the method and Content-Type. */
  private void command(RoutingContext ctx, String action) {
    RequestBody.read(ctx.request())
        .map(CommandBody::interfaceName)
        .onSuccess(name -> exclusion(ctx, action, name))
        .onFailure(ctx::fail);
  }

  private void exclusion(RoutingContext ctx, String action, String name) {
    vertx.eventBus().<JsonObject>request(source.addresses().exclusions(),
            new JsonObject().put("action", action).put("interface", name))
        .onSuccess(reply -> {
          snapshot.invalidate();
          JsonReplies.send(ctx.response(), 200, reply.body());
        })
        .onFailure(e -> ctx.fail(new HttpException(503, e.getMessage())));
  }

  private void events(RoutingContext ctx) {
    if (!streams.open(ctx.response())) {
      ctx.response().putHeader("Retry-After", String.valueOf(STREAM_RETRY_AFTER_SECONDS));
      ctx.fail(new HttpException(503, "too many event streams open (" + EventStreams.MAX_STREAMS
          + "): poll get-list, or close another page"));
    }
  }

  /** Once a second: collect, compute rates and meters, push to every open event stream. */
  private void push() {
    Future<String> build = snapshot.refresh();
    build.onSuccess(doc -> {
      if (streams.size() > 0 && snapshot.isLatest(build)) {
        streams.push(Buffer.buffer(doc.length() + 8).appendString("data: ").appendString(doc).appendString("\n\n"));
      }
    }).onFailure(e -> LOG.fine(() -> "status collection failed: " + e.getMessage()));
  }

  private Future<String> build(boolean tick) {
    return source.collect().map(doc -> enrich(doc, tick).encode());
  }

  /** Adds rates (updating them on the periodic push only), meters, the event bus, the config verdict. */
  private JsonObject enrich(JsonObject doc, boolean tick) {
    long now = System.nanoTime();
    Set<String> live = new HashSet<>();
    Set<Labels> liveMeters = new HashSet<>();
    Set<Labels> liveTunnels = new HashSet<>();
    if ("client".equals(source.type())) {
      JsonArray interfaces = doc.getJsonArray("interfaces", new JsonArray());
      for (int i = 0; i < interfaces.size(); i++) {
        JsonObject e = interfaces.getJsonObject(i);
        String name = e.getString("name");
        enrichEntry(e, name, Labels.of("interface", name), tick, now, live, liveMeters);
      }
      JsonObject dispatcher = doc.getJsonObject("dispatcher");
      if (tick && dispatcher != null && dispatcher.getJsonObject("tunnelLoss") != null) {
        tunnels.update(Labels.EMPTY, dispatcher.getJsonObject("tunnelLoss"));
        liveTunnels.add(Labels.EMPTY);
      }
    } else {
      enrichPeers(doc, tick, now, live, liveMeters, liveTunnels);
    }
    for (String part : new String[] {"dispatcher", "wireGuard"}) {
      JsonObject p = doc.getJsonObject(part);
      if (p != null && p.getJsonObject("stats") != null) {
        String key = "@" + part;
        live.add(key);
        p.put("rates", tick ? rates.update(key, p.getJsonObject("stats"), now) : rates.latest(key));
      }
    }
    if (tick) {
      rates.retain(live);
      meters.retain(liveMeters);
      tunnels.retain(liveTunnels);
    }
    doc.put("configError", configError);
    doc.put("eventBus", EventBusStats.of(registry, source.addresses()));
    doc.put("time", System.currentTimeMillis());
    return doc;
  }

  /**
   * The server's figures are the peers' addresses (engarde's {@code sockets} list names the same addresses): their
   * meters are labelled by peer and address (peer "" without the WireGuard filter), their rates go on both lists;
   * each peer's tunnel loss has meters too.
   */
  private void enrichPeers(JsonObject doc, boolean tick, long now, Set<String> live, Set<Labels> liveMeters,
                           Set<Labels> liveTunnels) {
    JsonArray peers = doc.getJsonArray("peers", new JsonArray());
    for (int i = 0; i < peers.size(); i++) {
      JsonObject peer = peers.getJsonObject(i);
      String id = String.valueOf(peer.getValue("id"));
      JsonArray addresses = peer.getJsonArray("addresses", new JsonArray());
      for (int j = 0; j < addresses.size(); j++) {
        JsonObject e = addresses.getJsonObject(j);
        String name = e.getString("address");
        enrichEntry(e, name, Labels.of("peer", id, "address", name), tick, now, live, liveMeters);
      }
      JsonObject loss = peer.getJsonObject("tunnelLoss");
      if (tick && loss != null) {
        Labels labels = Labels.of("peer", id);
        tunnels.update(labels, loss);
        liveTunnels.add(labels);
      }
    }
    JsonArray sockets = doc.getJsonArray("sockets", new JsonArray());
    for (int i = 0; i < sockets.size(); i++) {
      JsonObject s = sockets.getJsonObject(i);
      String name = s.getString("address");
      if (live.contains(name)) {
        s.put("rates", rates.latest(name));
      } else {
        // engarde's flat relay (wireGuardFilter off): no peers, every address is a client of its own.
        enrichEntry(s, name, Labels.of("peer", "", "address", name), tick, now, live, liveMeters);
      }
    }
  }

  /** One link's or address's rates and meters, from its {@code stats} and {@code quality}. */
  private void enrichEntry(JsonObject e, String name, Labels labels, boolean tick, long now, Set<String> live,
                           Set<Labels> liveMeters) {
    JsonObject stats = e.getJsonObject("stats");
    if (stats == null || name == null) {
      return;
    }
    live.add(name);
    liveMeters.add(labels);
    e.put("rates", tick ? rates.update(name, stats, now) : rates.latest(name));
    if (tick) {
      meters.update(labels, stats, e.getLong("last"));
      meters.updateQuality(labels, e.getJsonObject("quality"));
      JsonObject socket = e.getJsonObject("socket");
      if (socket != null) {
        meters.updateKernelDrops(labels, socket.getLong("kernelDrops"));
      }
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pushTimer);
    meters.unregister();
    tunnels.unregister();
    if (ownSeries != null) {
      ownSeries.close();
    }
    streams.closeAll();
    Future<Void> c = configStatus == null ? Future.succeededFuture() : configStatus.unregister();
    return server == null ? c : Future.join(c, server.close());
  }
}
