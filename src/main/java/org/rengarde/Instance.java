package org.rengarde;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import org.rengarde.bus.BusAddresses;
import org.rengarde.config.Instances;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.web.StatusSource;
import org.rengarde.web.WebManager;

import java.util.logging.Logger;

/**
 * One instance of a file: the parts of its role, on its own event-bus addresses, and its web manager. A new valid
 * section of the instance arrives on its config address, where its parts take it too; the instance restarts its
 * web manager when that part changed (and what else its role cannot change in place).
 */
abstract class Instance<T> extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(Instance.class.getName());

  protected final String name;
  protected final BusAddresses addresses;
  protected T current;
  private MessageConsumer<T> configs;
  private String webDeployment;
  private WebManagerConfig web = WebManagerConfig.OFF;
  private Future<?> webChange = Future.succeededFuture();

  Instance(String name, T initial) {
    this.name = name;
    this.addresses = BusAddresses.of(name);
    this.current = initial;
  }

  /** "client" or "server": the section's key, as the parts' messages name it (the instance adds its name). */
  protected abstract String role();

  protected abstract String configAddress();

  protected abstract WebManagerConfig webOf(T config);

  protected abstract StatusSource status();

  /** Deploys the role's parts, the web manager aside. */
  protected abstract Future<?> startParts();

  /**
   * What a new section needs besides what the parts take from the bus and the web manager: nothing, unless the role
   * says otherwise.
   */
  protected void changed(T next) {
  }

  @Override
  public final Future<?> start() {
    return startParts()
        .compose(v -> deployWeb(webOf(current)))
        .onSuccess(v -> configs = vertx.eventBus().consumer(configAddress(), m -> apply(m.body())));
  }

  private void apply(T next) {
    changed(next);
    current = next;
    restartWebIfChanged(webOf(next));
  }

  /**
   * One restart after the other, each compared with the web manager in effect (a second change while the first
   * restart is under way waits for it, and is no change when it asks for what is already running).
   */
  private void restartWebIfChanged(WebManagerConfig newWeb) {
    webChange = webChange.transform(x -> {
      if (newWeb.equals(web)) {
        return Future.succeededFuture();
      }
      LOG.info(prefix() + "webManager changed: restarting the web manager");
      Future<Void> stopped = webDeployment == null ? Future.succeededFuture() : vertx.undeploy(webDeployment);
      webDeployment = null;
      web = WebManagerConfig.OFF;
      return stopped.compose(v -> deployWeb(newWeb))
          .onFailure(e -> LOG.severe(prefix() + "Web manager cannot start: " + e.getMessage()));
    });
  }

  private Future<?> deployWeb(WebManagerConfig newWeb) {
    if (!newWeb.enabled()) {
      LOG.info(prefix() + "Web manager off (no " + role() + ".webManager.listenAddr)");
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(new WebManager(role(), newWeb, status())).onSuccess(id -> {
      webDeployment = id;
      web = newWeb;
    });
  }

  /** "instance home: " before a log line of a listed instance; nothing for the single section's. */
  protected final String prefix() {
    return name.isEmpty() ? "" : Instances.label(name) + ": ";
  }

  @Override
  public Future<?> stop() {
    return configs == null ? Future.succeededFuture() : configs.unregister();
  }
}
