package org.rengarde.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;
import org.rengarde.cli.Version;

import java.util.ArrayList;
import java.util.List;

/** The client's document: the Interface Watcher's view, each active link's counters, the Dispatcher's. */
public final class ClientStatusSource implements StatusSource {
  private final Vertx vertx;
  private final BusAddresses addresses;

  public ClientStatusSource(Vertx vertx, BusAddresses addresses) {
    this.vertx = vertx;
    this.addresses = addresses;
  }

  @Override
  public BusAddresses addresses() {
    return addresses;
  }

  @Override
  public String type() {
    return "client";
  }

  @Override
  public Future<JsonObject> collect() {
    Future<JsonObject> watcher = request(addresses.clientStatus());
    Future<JsonObject> dispatcher = request(addresses.dispatcherStats()).otherwise((JsonObject) null);
    return Future.all(watcher, dispatcher).compose(all -> {
      JsonObject view = watcher.result();
      List<Future<JsonObject>> links = new ArrayList<>();
      JsonArray interfaces = view.getJsonArray("interfaces", new JsonArray());
      for (int i = 0; i < interfaces.size(); i++) {
        JsonObject entry = interfaces.getJsonObject(i);
        links.add("active".equals(entry.getString("status"))
            ? request(addresses.linkStats(entry.getString("name"))).otherwise((JsonObject) null)
            : Future.succeededFuture(null));
      }
      return Future.join(links).map(done -> document(view, interfaces, links, dispatcher.result()));
    });
  }

  private JsonObject document(JsonObject view, JsonArray interfaces, List<Future<JsonObject>> links, JsonObject dispatcher) {
    JsonArray out = new JsonArray();
    JsonObject quality = dispatcher == null ? new JsonObject() : dispatcher.getJsonObject("quality", new JsonObject());
    for (int i = 0; i < interfaces.size(); i++) {
      JsonObject entry = interfaces.getJsonObject(i);
      JsonObject link = links.get(i).result();
      JsonObject e = entry(entry, link);
      JsonObject q = quality.getJsonObject(entry.getString("name"));
      if (q != null && link != null) {
        e.put("quality", q);
      }
      out.add(e);
    }
    if (dispatcher != null) {
      dispatcher.remove("quality");
    }
    JsonObject doc = new JsonObject()
        .put("type", "client")
        .put("version", Version.get())
        .put("description", view.getString("description", ""))
        .put("listenAddress", view.getString("listenAddress", ""))
        .put("interfaces", out);
    if (dispatcher != null) {
      doc.put("dispatcher", dispatcher);
    }
    return doc;
  }

  /** engarde's fields first, in engarde's order, then ours. */
  private static JsonObject entry(JsonObject watcherEntry, JsonObject link) {
    JsonObject e = new JsonObject().put("name", watcherEntry.getString("name"));
    String label = watcherEntry.getString("label", "");
    if (!label.isEmpty()) {
      e.put("label", label);
    }
    e.put("status", watcherEntry.getString("status"));
    e.put("senderAddress", watcherEntry.getString("senderAddress", ""));
    e.put("dstAddress", watcherEntry.getString("dstAddress", ""));
    e.put("last", link == null ? null : link.getValue("last"));
    if (link != null) {
      e.put("stats", link.getJsonObject("stats"));
      e.put("localPort", link.getInteger("localPort"));
      e.put("resolvedDstAddress", link.getString("resolvedDstAddress"));
    }
    if (watcherEntry.containsKey("error")) {
      e.put("error", watcherEntry.getString("error"));
    }
    e.put("index", watcherEntry.getValue("index"));
    e.put("up", watcherEntry.getValue("up"));
    return e;
  }

  private Future<JsonObject> request(String address) {
    return StatusSource.ask(vertx, address);
  }
}
