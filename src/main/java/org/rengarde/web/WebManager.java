package org.rengarde.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import org.rengarde.bus.BusAddresses;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.metrics.EventBusStats;
import org.rengarde.metrics.RateTracker;
import org.rengarde.metrics.TrafficMeters;

import java.util.HashSet;
import java.util.LinkedHashSet;
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

  private final String section;
  private final WebManagerConfig web;
  private final StatusSource source;
  private final RateTracker rates = new RateTracker();
  private final Set<HttpServerResponse> streams = new LinkedHashSet<>();
  private TrafficMeters meters;
  private MeterRegistry registry;
  private HttpServer server;
  private long pushTimer;
  private String configError;
  private MessageConsumer<JsonObject> configStatus;

  public WebManager(String section, WebManagerConfig web, StatusSource source) {
    this.section = section;
    this.web = web;
    this.source = source;
  }

  @Override
  public Future<?> start() {
    registry = BackendRegistries.getDefaultNow();
    boolean client = "client".equals(source.type());
    meters = new TrafficMeters(registry, client ? "link" : "client", client ? "interface" : "address");
    configStatus = vertx.eventBus().consumer(BusAddresses.CONFIG_STATUS,
        m -> configError = m.body() == null ? null : m.body().getString("error"));
    return vertx.createHttpServer()
        .requestHandler(router(client))
        .listen(web.listenAddr().port(), web.listenAddr().host())
        .recover(e -> Future.failedFuture(section + ".webManager.listenAddr " + web.listenAddr() + ": cannot listen: "
            + e.getMessage()))
        .onSuccess(s -> {
          server = s;
          pushTimer = vertx.setPeriodic(PUSH_PERIOD_MILLIS, id -> push());
          LOG.info("Web manager on http://" + web.listenAddr() + "/"
              + (web.authRequired() ? " (Basic auth)" : " (no authentication: set username and password to require it)"));
        });
  }

  private Router router(boolean client) {
    Router router = Router.router(vertx);
    if (web.authRequired()) {
      router.route().handler(new BasicAuth(web.username(), web.password()));
    }
    router.route(API + "*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
    router.route(API + "get-list").handler(this::getList);
    router.route(API + "events").handler(this::events);
    if (client) {
      router.route(API + "swap-exclusion").handler(ctx -> exclusion(ctx, "swap"));
      router.route(API + "include").handler(ctx -> exclusion(ctx, "include"));
      router.route(API + "exclude").handler(ctx -> exclusion(ctx, "exclude"));
      router.route(API + "reset-exclusions").handler(ctx -> exclusion(ctx, "reset"));
    }
    router.route(API + "*").handler(ctx -> fail(ctx, 404, "no such API path: " + ctx.request().path()));
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      router.route("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));
    return router;
  }

  private void getList(RoutingContext ctx) {
    source.collect()
        .map(doc -> enrich(doc, false))
        .onSuccess(doc -> json(ctx, 200, doc))
        .onFailure(e -> fail(ctx, 503, "status unavailable: " + e.getMessage()));
  }

  private void exclusion(RoutingContext ctx, String action) {
    String name = "";
    if (!action.equals("reset")) {
      JsonObject body;
      try {
        body = ctx.body().asJsonObject();
      } catch (DecodeException | ClassCastException e) {
        fail(ctx, 400, "the body must be a JSON object like {\"interface\":\"eth0\"}");
        return;
      }
      Object value = body == null ? null : body.getValue("interface");
      if (!(value instanceof String s) || s.isBlank()) {
        fail(ctx, 400, "the body must name an interface: {\"interface\":\"eth0\"}");
        return;
      }
      name = s;
    }
    vertx.eventBus().<JsonObject>request(BusAddresses.EXCLUSIONS,
            new JsonObject().put("action", action).put("interface", name))
        .onSuccess(reply -> json(ctx, 200, reply.body()))
        .onFailure(e -> fail(ctx, 503, e.getMessage()));
  }

  private void events(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    noCache(response);
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 1000\n\n");
    streams.add(response);
    response.closeHandler(v -> streams.remove(response));
    response.exceptionHandler(e -> streams.remove(response));
  }

  /** Once a second: collect, compute rates and meters, push to every open event stream. */
  private void push() {
    source.collect().map(doc -> enrich(doc, true)).onSuccess(doc -> {
      if (streams.isEmpty()) {
        return;
      }
      String event = "data: " + doc.encode() + "\n\n";
      for (HttpServerResponse r : streams) {
        if (!r.writeQueueFull()) {
          r.write(event);
        }
      }
    }).onFailure(e -> LOG.fine(() -> "status collection failed: " + e.getMessage()));
  }

  /** Adds rates (updating them on the periodic push only), meters, the event bus, the config verdict. */
  private JsonObject enrich(JsonObject doc, boolean tick) {
    long now = System.nanoTime();
    Set<String> live = new HashSet<>();
    JsonArray entries = doc.getJsonArray("client".equals(source.type()) ? "interfaces" : "sockets", new JsonArray());
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      JsonObject stats = e.getJsonObject("stats");
      if (stats == null) {
        continue;
      }
      String name = e.getString(e.containsKey("name") ? "name" : "address");
      live.add(name);
      e.put("rates", tick ? rates.update(name, stats, now) : rates.latest(name));
      if (tick) {
        meters.update(name, stats, e.getLong("last"));
        meters.updateQuality(name, e.getJsonObject("quality"));
      }
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
      meters.retain(live);
    }
    doc.put("configError", configError);
    doc.put("eventBus", EventBusStats.of(registry));
    doc.put("time", System.currentTimeMillis());
    return doc;
  }

  private static void noCache(HttpServerResponse r) {
    r.putHeader("Cache-Control", "no-cache, no-store, must-revalidate")
        .putHeader("Pragma", "no-cache")
        .putHeader("Expires", "0");
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    HttpServerResponse r = ctx.response();
    noCache(r);
    r.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static void fail(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pushTimer);
    meters.retain(Set.of());
    streams.forEach(r -> r.end());
    streams.clear();
    Future<Void> c = configStatus == null ? Future.succeededFuture() : configStatus.unregister();
    return server == null ? c : Future.join(c, server.close());
  }
}
