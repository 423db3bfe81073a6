package org.rengarde.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Builds the status document of one program: engarde's get-list fields plus our statistics. Collected over the
 * event bus from the verticles that own the data.
 */
public interface StatusSource {
  Future<JsonObject> collect();

  /** "client" or "server": engarde's {@code type}. */
  String type();
}
