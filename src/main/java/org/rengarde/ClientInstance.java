package org.rengarde;

import io.vertx.core.Future;
import org.rengarde.client.Dispatcher;
import org.rengarde.client.InterfaceWatcher;
import org.rengarde.client.SystemInterfaces;
import org.rengarde.config.ClientConfig;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.web.ClientStatusSource;
import org.rengarde.web.StatusSource;

/** A client instance: its Dispatcher, its Interface Watcher (which deploys its links), its web manager. */
final class ClientInstance extends Instance<ClientConfig> {

  ClientInstance(String name, ClientConfig initial) {
    super(name, initial);
  }

  @Override
  protected String role() {
    return "client";
  }

  @Override
  protected String configAddress() {
    return addresses.clientConfig();
  }

  @Override
  protected WebManagerConfig webOf(ClientConfig config) {
    return config.webManager();
  }

  @Override
  protected StatusSource status() {
    return new ClientStatusSource(vertx, addresses);
  }

  @Override
  protected Future<?> startParts() {
    ClientConfig c = current;
    Dispatcher dispatcher = new Dispatcher(addresses, c.listenAddr(), c.writeTimeout().sendQueueBytes(),
        c.duplicateFilter(), c.wireGuardFilter());
    return vertx.deployVerticle(dispatcher)
        .compose(id -> vertx.deployVerticle(
            new InterfaceWatcher(addresses, c, new SystemInterfaces(), dispatcher.packetPath())));
  }
}
