package org.rengarde;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;
import org.rengarde.bus.DatagramCodec;
import org.rengarde.bus.LocalCodec;
import org.rengarde.cli.Version;
import org.rengarde.config.ClientConfig;
import org.rengarde.config.ConfigLoader;
import org.rengarde.config.ConfigWatcher;
import org.rengarde.config.InstanceList;
import org.rengarde.config.Role;
import org.rengarde.config.ServerConfig;

import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The application as one verticle, for the command line and the Vert.x launcher alike. Its config names the role
 * and the file: {@code {"role": "client"|"server", "config": "engarde.yml"}}. It reads the file's instances of its
 * role (the single section, or the entries of {@code instances:}), deploys each as an {@link Instance} of its own,
 * and watches the file: each instance takes its own section's changes (see {@link RunningInstances}). A
 * configuration or socket problem at start fails the deployment with a one-line message, unless other instances
 * of the list start.
 */
public final class RengardeVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(RengardeVerticle.class.getName());

  public static final String ROLE_KEY = "role";
  public static final String CONFIG_KEY = "config";

  private ConfigWatcher<?> watcher;

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
    if (role == Role.SERVER) {
      return run(loader, InstanceList::servers, new RunningInstances<>(vertx, loader.file().toString(),
          ServerInstance::new, ServerConfig::description, BusAddresses::serverConfig));
    }
    return run(loader, InstanceList::clients, new RunningInstances<>(vertx, loader.file().toString(),
        ClientInstance::new, ClientConfig::description, BusAddresses::clientConfig));
  }

  private <T> Future<?> run(ConfigLoader loader, ConfigWatcher.Reader<T> reader, RunningInstances<T> instances) {
    return loader.loadInstances(reader).compose(instances::start).onSuccess(v -> {
      ConfigWatcher<T> w = new ConfigWatcher<>(vertx, loader, reader, instances::read, instances::fileVerdict);
      watcher = w;
      w.start();
    });
  }

  @Override
  public Future<?> stop() {
    if (watcher != null) {
      watcher.stop();
    }
    return Future.succeededFuture();
  }

  public static JsonObject deploymentConfig(Role role, Path file) {
    return new JsonObject().put(ROLE_KEY, role.section()).put(CONFIG_KEY, file.toString());
  }
}
