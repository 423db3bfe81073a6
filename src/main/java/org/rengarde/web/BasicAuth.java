package org.rengarde.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * engarde's Basic auth over every route (realm "engarde"), compared in constant time. Only installed when both the
 * username and the password are set.
 */
final class BasicAuth implements Handler<RoutingContext> {
  private final byte[] expected;

  BasicAuth(String username, String password) {
    this.expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (authorized(ctx.request().getHeader("Authorization"))) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"engarde\"");
    JsonReplies.error(ctx.response(), 401, "authentication required (Basic, realm engarde)");
  }

  boolean authorized(String header) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, expected);
  }
}
