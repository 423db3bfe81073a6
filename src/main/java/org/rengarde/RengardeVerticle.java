package org.rengarde;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;
import org.rengarde.bus.DatagramCodec;
import org.rengarde.bus.LocalCodec;
import org.rengarde.cli.Version;
import org.rengarde.client.Dispatcher;
import org.rengarde.client.InterfaceWatcher;
import org.rengarde.client.SystemInterfaces;
import org.rengarde.config.ClientConfig;
import org.rengarde.config.ConfigLoader;
import org.rengarde.config.ConfigParser;
import org.rengarde.config.ConfigWatcher;
import org.rengarde.config.Role;
import org.rengarde.config.ServerConfig;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.server.ServerRelay;
import org.rengarde.web.ClientStatusSource;
import org.rengarde.web.ServerStatusSource;
import org.rengarde.web.StatusSource;
import org.rengarde.web.WebManager;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The application as one verticle, for the command line and the Vert.x launcher alike. Its config names the role
 * and the file: {@code {"role": "client"|"server", "config": "engarde.yml"}}. It reads the file, deploys the parts
 * of its role, and watches the file: a valid change is published to the parts, each applying what concerns it; a
 * change of {@code webManager} restarts only the web manager. A configuration or socket problem at start fails the
 * deployment with a one-line message.
 */
public final class RengardeVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(RengardeVerticle.class.getName());

  public static final String ROLE_KEY = "role";
  public static final String CONFIG_KEY = "config";

  private ConfigWatcher<?> watcher;
  private String webDeployment;
  private WebManagerConfig web = WebManagerConfig.OFF;

  @Override
  public Future<?> start() {
    Role role;
    try {
      role = Role.valueOf(config().getString(ROLE_KEY, "").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture("say which program to run: role \"client\" or \"server\", got \""
          + config().getString(ROLE_KEY, "") + "\"");
    }
    DatagramCodec.register(vertx.eventBus());
    LocalCodec.register(vertx.eventBus(), ClientConfig.class);
    LocalCodec.register(vertx.eventBus(), ServerConfig.class);
    LOG.info(Version.banner("rengarde-" + role.section()) + " on "
        + (vertx.isNativeTransportEnabled() ? "native epoll transport" : "NIO transport (native epoll unavailable)"));
    ConfigLoader loader = new ConfigLoader(vertx, Path.of(config().getString(CONFIG_KEY, "engarde.yml")));
    return role == Role.SERVER ? startServer(loader) : startClient(loader);
  }

  private Future<?> startServer(ConfigLoader loader) {
    return loader.loadServer().compose(parsed -> {
      logWarnings(parsed);
      ServerConfig c = parsed.config();
      logDescription(c.description());
      ConfigWatcher<ServerConfig> w = new ConfigWatcher<>(vertx, loader, c, ConfigParser::server,
          changed -> {
            recreateRelayIfNeeded(changed);
            apply(BusAddresses.SERVER_CONFIG, changed, changed.webManager(), this::serverStatus);
          }, this::verdict);
      watcher = w;
      relayConfig = c;
      return vertx.deployVerticle(new ServerRelay(c))
          .onSuccess(id -> relayDeployment = id)
          .compose(id -> deployWeb(c.webManager(), serverStatus(c)))
          .onSuccess(v -> w.start());
    });
  }

  /**
   * Every peer's socket is connected to WireGuard's address, and wireGuardFilter decides the relay's whole model: a
   * change of either re-creates the relay (its clients regroup as after a restart, measured at about a second).
   * Re-creations run one after the other, each from the configuration in effect.
   */
  private void recreateRelayIfNeeded(ServerConfig next) {
    relayChange = relayChange.transform(x -> {
      ServerConfig running = relayConfig;
      if (next.dstAddr().equals(running.dstAddr()) && next.wireGuardFilter() == running.wireGuardFilter()) {
        return Future.succeededFuture();
      }
      LOG.info("server.dstAddr or server.wireGuardFilter changed: re-creating the relay (clients regroup)");
      Future<Void> stopped = relayDeployment == null ? Future.succeededFuture() : vertx.undeploy(relayDeployment);
      relayDeployment = null;
      return stopped.compose(v -> vertx.deployVerticle(new ServerRelay(next)))
          .onSuccess(id -> {
            relayDeployment = id;
            relayConfig = next;
          })
          .onFailure(e -> LOG.severe("the relay cannot start with the new configuration: " + e.getMessage()
              + "; fix the file (the next valid change starts it)"))
          .mapEmpty();
    });
  }

  private StatusSource serverStatus(ServerConfig initial) {
    return new ServerStatusSource(vertx, () -> watcher == null ? initial : (ServerConfig) watcher.current());
  }

  private Future<?> startClient(ConfigLoader loader) {
    return loader.loadClient().compose(parsed -> {
      logWarnings(parsed);
      ClientConfig c = parsed.config();
      logDescription(c.description());
      ConfigWatcher<ClientConfig> w = new ConfigWatcher<>(vertx, loader, c, ConfigParser::client,
          changed -> apply(BusAddresses.CLIENT_CONFIG, changed, changed.webManager(), x -> new ClientStatusSource(vertx)),
          this::verdict);
      watcher = w;
      Dispatcher dispatcher = new Dispatcher(c.listenAddr(), c.writeTimeout().sendQueueBytes(), c.duplicateFilter(),
          c.wireGuardFilter());
      return vertx.deployVerticle(dispatcher)
          .compose(id -> vertx.deployVerticle(
              new InterfaceWatcher(c, new SystemInterfaces(), dispatcher.packetPath())))
          .compose(id -> deployWeb(c.webManager(), new ClientStatusSource(vertx)))
          .onSuccess(v -> w.start());
    });
  }

  /**
   * A valid new configuration: the parts take it from the bus; the web manager restarts if its own part changed,
   * one restart after the other, each compared with the web manager in effect (a second change while the first
   * restart is under way waits for it, and is no change when it asks for what is already running).
   */
  private <T> void apply(String address, T config, WebManagerConfig newWeb, Function<T, StatusSource> status) {
    vertx.eventBus().publish(address, config);
    webChange = webChange.transform(x -> {
      if (newWeb.equals(web)) {
        return Future.succeededFuture();
      }
      LOG.info("webManager changed: restarting the web manager");
      Future<Void> stopped = webDeployment == null ? Future.succeededFuture() : vertx.undeploy(webDeployment);
      webDeployment = null;
      web = WebManagerConfig.OFF;
      return stopped.compose(v -> deployWeb(newWeb, status.apply(config)))
          .onFailure(e -> LOG.severe("Web manager cannot start: " + e.getMessage()));
    });
  }

  private void verdict(String error) {
    vertx.eventBus().publish(BusAddresses.CONFIG_STATUS, new JsonObject().put("error", error));
  }

  private Future<?> deployWeb(WebManagerConfig newWeb, StatusSource source) {
    if (!newWeb.enabled()) {
      LOG.info("Web manager off (no " + source.type() + ".webManager.listenAddr)");
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(new WebManager(source.type(), newWeb, source)).onSuccess(id -> {
      webDeployment = id;
      web = newWeb;
    });
  }

  private static void logWarnings(ConfigParser.Parsed<?> parsed) {
    parsed.warnings().forEach(LOG::warning);
  }

  private static void logDescription(String description) {
    if (!description.isEmpty()) {
      LOG.info(description);
    }
  }

  @Override
  public Future<?> stop() {
    if (watcher != null) {
      watcher.stop();
    }
    return Future.succeededFuture();
  }

  private Future<?> webChange = Future.succeededFuture();
  private ServerConfig relayConfig;
  private String relayDeployment;
  private Future<?> relayChange = Future.succeededFuture();

  public static JsonObject deploymentConfig(Role role, Path file) {
    return new JsonObject().put(ROLE_KEY, role.section()).put(CONFIG_KEY, file.toString());
  }
}
