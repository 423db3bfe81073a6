package org.rengarde;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.DatagramCodec;
import org.rengarde.cli.Version;
import org.rengarde.client.Dispatcher;
import org.rengarde.client.InterfaceWatcher;
import org.rengarde.client.SystemInterfaces;
import org.rengarde.config.ClientConfig;
import org.rengarde.config.ConfigLoader;
import org.rengarde.config.ConfigParser;
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
import java.util.logging.Logger;

/**
 * The application as one verticle, for the command line and the Vert.x launcher alike. Its config names the role
 * and the file: {@code {"role": "client"|"server", "config": "engarde.yml"}}. It reads the file and deploys the
 * parts of its role; a configuration or socket problem fails the deployment with a one-line message.
 */
public final class RengardeVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(RengardeVerticle.class.getName());

  public static final String ROLE_KEY = "role";
  public static final String CONFIG_KEY = "config";

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
    LOG.info("rengarde-" + role.section() + " " + Version.get() + " on "
        + (vertx.isNativeTransportEnabled() ? "native epoll transport" : "NIO transport (native epoll unavailable)"));
    ConfigLoader loader = new ConfigLoader(vertx, Path.of(config().getString(CONFIG_KEY, "engarde.yml")));
    return role == Role.SERVER ? startServer(loader) : startClient(loader);
  }

  private Future<?> startServer(ConfigLoader loader) {
    return loader.loadServer().compose(parsed -> {
      logWarnings(parsed);
      ServerConfig c = parsed.config();
      logDescription(c.description());
      return vertx.deployVerticle(new ServerRelay(c))
          .compose(id -> deployWeb("server", c.webManager(), new ServerStatusSource(vertx, () -> c)));
    });
  }

  private Future<?> startClient(ConfigLoader loader) {
    return loader.loadClient().compose(parsed -> {
      logWarnings(parsed);
      ClientConfig c = parsed.config();
      logDescription(c.description());
      return vertx.deployVerticle(new Dispatcher(c.listenAddr(), c.writeTimeout().sendQueueBytes()))
          .compose(id -> vertx.deployVerticle(new InterfaceWatcher(c, new SystemInterfaces())))
          .compose(id -> deployWeb("client", c.webManager(), new ClientStatusSource(vertx)));
    });
  }

  private Future<?> deployWeb(String section, WebManagerConfig web, StatusSource source) {
    if (!web.enabled()) {
      LOG.info("Web manager off (no " + section + ".webManager.listenAddr)");
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(new WebManager(section, web, source));
  }

  private static void logWarnings(ConfigParser.Parsed<?> parsed) {
    parsed.warnings().forEach(LOG::warning);
  }

  private static void logDescription(String description) {
    if (!description.isEmpty()) {
      LOG.info("Description: " + description);
    }
  }

  public static JsonObject deploymentConfig(Role role, Path file) {
    return new JsonObject().put(ROLE_KEY, role.section()).put(CONFIG_KEY, file.toString());
  }
}
