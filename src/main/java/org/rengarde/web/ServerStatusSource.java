package org.rengarde.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;
import org.rengarde.cli.Version;
import org.rengarde.config.ServerConfig;

import java.util.function.Supplier;

/** The server's document: its configuration and the relay's client addresses with their counters. */
public final class ServerStatusSource implements StatusSource {
  private final Vertx vertx;
  private final BusAddresses addresses;
  private final Supplier<ServerConfig> config;

  public ServerStatusSource(Vertx vertx, BusAddresses addresses, Supplier<ServerConfig> config) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.config = config;
  }

  @Override
  public BusAddresses addresses() {
    return addresses;
  }

  @Override
  public String type() {
    return "server";
  }

  @Override
  public Future<JsonObject> collect() {
    return StatusSource.ask(vertx, addresses.serverStatus()).map(relay -> {
      ServerConfig c = config.get();
      return new JsonObject()
          .put("type", "server")
          .put("version", Version.get())
          .put("description", c.description())
          .put("listenAddress", c.listenAddr().toString())
          .put("dstAddress", c.dstAddr().toString())
          .put("sockets", relay.getJsonArray("sockets"))
          .put("peers", relay.getJsonArray("peers"))
          .put("wireGuard", new JsonObject().put("stats", relay.getJsonObject("wireGuard")))
          .put("listenSocket", relay.getJsonObject("listenSocket"))
          .put("refusedDatagrams", relay.getLong("refusedDatagrams"))
          .put("refusedNotWireGuard", relay.getLong("refusedNotWireGuard"))
          .put("refusedUnknownIndex", relay.getLong("refusedUnknownIndex"))
          .put("mac1Check", relay.getBoolean("mac1Check"))
          .put("refusedBadMac1", relay.getLong("refusedBadMac1"))
          .put("tentativePeers", relay.getInteger("tentativePeers"))
          .put("candidates", relay.getInteger("candidates"))
          .put("addresses", relay.getInteger("addresses"))
          .put("socketFailures", relay.getLong("socketFailures"))
          .put("memberSocketFailures", relay.getLong("memberSocketFailures"))
          .put("limits", relay.getJsonObject("limits"))
          .put("duplicateFilter", relay.getBoolean("duplicateFilter"))
          .put("duplicatesDropped", relay.getLong("duplicatesDropped"))
          .put("alteredForwarded", relay.getLong("alteredForwarded"))
          .put("strayDatagrams", relay.getLong("strayDatagrams"))
          .put("packetMemoryBytes", relay.getLong("packetMemoryBytes"));
    });
  }
}
