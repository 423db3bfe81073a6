package org.rengarde;

import io.vertx.core.Future;
import org.rengarde.config.ServerConfig;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.server.ServerRelay;
import org.rengarde.web.ServerStatusSource;
import org.rengarde.web.StatusSource;

import java.util.logging.Logger;

/** A server instance: its relay and its web manager. */
final class ServerInstance extends Instance<ServerConfig> {
  private static final Logger LOG = Logger.getLogger(ServerInstance.class.getName());

  private ServerConfig relayConfig;
  private String relayDeployment;
  private Future<?> relayChange = Future.succeededFuture();

  ServerInstance(String name, ServerConfig initial) {
    super(name, initial);
  }

  @Override
  protected String role() {
    return "server";
  }

  @Override
  protected String configAddress() {
    return addresses.serverConfig();
  }

  @Override
  protected WebManagerConfig webOf(ServerConfig config) {
    return config.webManager();
  }

  @Override
  protected StatusSource status() {
    return new ServerStatusSource(vertx, addresses, () -> current);
  }

  @Override
  protected Future<?> startParts() {
    relayConfig = current;
    return vertx.deployVerticle(new ServerRelay(addresses, current)).onSuccess(id -> relayDeployment = id);
  }

  /**
   * Every peer's socket is connected to WireGuard's address, and wireGuardFilter decides the relay's whole model: a
   * change of either re-creates the relay (its clients regroup as after a restart, measured at about a second).
   * Re-creations run one after the other, each from the configuration in effect.
   */
  @Override
  protected void changed(ServerConfig next) {
    relayChange = relayChange.transform(x -> {
      ServerConfig running = relayConfig;
      if (next.dstAddr().equals(running.dstAddr()) && next.wireGuardFilter() == running.wireGuardFilter()) {
        return Future.succeededFuture();
      }
      LOG.info(prefix() + "server.dstAddr or server.wireGuardFilter changed: re-creating the relay (clients regroup)");
      Future<Void> stopped = relayDeployment == null ? Future.succeededFuture() : vertx.undeploy(relayDeployment);
      relayDeployment = null;
      return stopped.compose(v -> vertx.deployVerticle(new ServerRelay(addresses, next)))
          .onSuccess(id -> {
            relayDeployment = id;
            relayConfig = next;
          })
          .onFailure(e -> LOG.severe(prefix() + "the relay cannot start with the new configuration: " + e.getMessage()
              + "; fix the file (the next valid change starts it)"))
          .mapEmpty();
    });
  }
}
