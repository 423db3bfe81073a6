package org.rengarde.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;

/**
 * Builds the status document of one program: engarde's get-list fields plus our statistics. Collected over the
 * event bus from the verticles that own the data.
 */
public interface StatusSource {
  Future<JsonObject> collect();

  /** "client" or "server": engarde's {@code type}. */
  String type();

  /** The addresses of the instance whose parts the document is collected from. */
  BusAddresses addresses();

  /** A status part is asked for with a short timeout: a busy verticle must not hold the page for long. */
  DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(1000);

  /** Asks the verticle at {@code address} for its JSON status. */
  static Future<JsonObject> ask(Vertx vertx, String address) {
    return vertx.eventBus().<JsonObject>request(address, null, ASK).map(Message::body);
  }
}
