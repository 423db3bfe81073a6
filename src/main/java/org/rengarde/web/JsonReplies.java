package org.rengarde.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** How every API answer and every refusal goes out: JSON, never cached. */
final class JsonReplies {
  private JsonReplies() {
  }

  static void noCache(HttpServerResponse r) {
    r.putHeader("Cache-Control", "no-cache, no-store, must-revalidate")
        .putHeader("Pragma", "no-cache")
        .putHeader("Expires", "0");
  }

  /** Sends {@code json}, already encoded. */
  static void send(HttpServerResponse r, int status, String json) {
    noCache(r);
    r.setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
  }

  static void send(HttpServerResponse r, int status, JsonObject body) {
    send(r, status, body.encode());
  }

  /** {@code {"error": message}}. */
  static void error(HttpServerResponse r, int status, String message) {
    send(r, status, new JsonObject().put("error", message));
  }
}
