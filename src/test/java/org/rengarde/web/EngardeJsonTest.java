package org.rengarde.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The shape assertion itself: it must catch renamed, retyped, missing and miscounted fields, and allow extras. */
class EngardeJsonTest {
  private static JsonObject expected() {
    return new JsonObject().put("type", "server").putNull("gone")
        .put("sockets", new JsonArray().add(new JsonObject().put("address", "127.0.0.1:1").put("last", 0)));
  }

  @Test
  void acceptsTheSameDocumentWithExtras() {
    JsonObject actual = new JsonObject(expected().encode()).put("extra", 1);
    actual.getJsonArray("sockets").getJsonObject(0).put("stats", new JsonObject());
    EngardeJson.assertContains(expected(), actual);
  }

  @Test
  void rejectsRenamedRetypedMissingAndMiscounted() {
    String base = expected().encode();
    JsonObject renamed = new JsonObject(base.replace("\"address\"", "\"addr\""));
    JsonObject retyped = new JsonObject(base.replace("\"last\":0", "\"last\":\"0\""));
    JsonObject fractional = new JsonObject(base.replace("\"last\":0", "\"last\":0.0"));
    JsonObject notNull = new JsonObject(base.replace("\"gone\":null", "\"gone\":0"));
    JsonObject missingNull = new JsonObject(base);
    missingNull.remove("gone");
    JsonObject twoSockets = new JsonObject(base);
    twoSockets.getJsonArray("sockets").add(new JsonObject().put("address", "127.0.0.1:2").put("last", 0));
    for (JsonObject bad : new JsonObject[] {renamed, retyped, fractional, notNull, missingNull, twoSockets}) {
      assertThrows(AssertionError.class, () -> EngardeJson.assertContains(expected(), bad), bad.encode());
    }
  }
}
