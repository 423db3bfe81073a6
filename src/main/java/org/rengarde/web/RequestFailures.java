package org.rengarde.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every failed request into a JSON error: the router's failures (a handler's refusal, a missing Host, a bad
 * path) and the requests Netty could not even decode. A stranger's bad request is logged at FINE only, so nobody
 * can fill the log; a fault of ours answers 500 and is logged at WARNING, its stack trace at FINE.
 */
final class RequestFailures implements Handler<RoutingContext> {
  private static final Logger LOG = Logger.getLogger(RequestFailures.class.getName());

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse r = ctx.response();
    if (r.ended() || r.closed()) {
      return;
    }
    if (r.headWritten()) {
      r.reset();
      return;
    }
    Throwable failure = ctx.failure();
    String what = ctx.request().method() + " " + ctx.request().uri();
    if (failure instanceof HttpException h && h.getPayload() != null) {
      // a refusal of ours, with its reason (503 included: a full event stream, a status part not answering)
      LOG.fine(() -> what + ": " + h.getStatusCode() + " " + h.getPayload());
      reply(ctx.request(), h.getStatusCode(), h.getPayload());
      return;
    }
    int given = ctx.statusCode() > 0 ? ctx.statusCode()
        : failure instanceof HttpException h ? h.getStatusCode() : 500;
    int status = given < 400 ? 500 : given;
    if (status >= 500) {
      LOG.warning(() -> what + ": " + status + " " + failure);
      LOG.log(Level.FINE, what, failure);
      reply(ctx.request(), status, "internal error: " + reason(status));
      return;
    }
    String host = ctx.request().getHeader("Host");
    String message = status == 400 && host != null && ctx.request().authority() == null
        // the router's words for a Host it cannot parse are "the 'Host' header is required"
        ? "the Host header is not host[:port]: " + host
        : failure != null && failure.getMessage() != null ? failure.getMessage() : reason(status);
    LOG.fine(() -> what + ": " + status + " " + message);
    reply(ctx.request(), status, message);
  }

  /** A failure the router answers by itself, with {@code status} and perhaps no failure to look at. */
  static void unhandled(RoutingContext ctx, int status) {
    HttpServerResponse r = ctx.response();
    if (r.ended() || r.closed() || r.headWritten()) {
      return;
    }
    LOG.fine(() -> ctx.request().method() + " " + ctx.request().uri() + ": " + status + " " + ctx.failure());
    reply(ctx.request(), status, reason(status));
  }

  /** The server's handler for requests Netty could not decode (a line or header too long, a malformed head). */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414
        : cause instanceof TooLongHttpHeaderException ? 431
        : 400;
    LOG.fine(() -> "undecodable request: " + status + " " + cause);
    request.response().putHeader("Connection", "close");
    JsonReplies.error(request.response(), status, "malformed request: " + reason(status));
    request.connection().close();
  }

  /**
   * The router, answering a 400 for a request it fails on before any handler runs: Vert.x 5.0.7 throws out of the
   * router on a Host with a %-escape ({@code HostAndPortImpl.parseRegName} reads the wrong index), and such a
   * request would otherwise get no answer at all, and a stack trace in the log at SEVERE.
   */
  static Handler<HttpServerRequest> guarded(Handler<HttpServerRequest> router) {
    return request -> {
      try {
        router.handle(request);
      } catch (RuntimeException e) {
        LOG.fine(() -> "unroutable request: " + request.method() + " " + request.uri() + ": " + e);
        reply(request, 400, "the Host header is not host[:port]: " + request.getHeader("Host"));
      }
    };
  }

  /**
   * Sends the error. A request whose body is still coming (refused for its size, or before it was read) ends its
   * HTTP/1 connection, so the rest of that body is not read for nothing.
   */
  private static void reply(HttpServerRequest request, int status, String message) {
    HttpServerResponse r = request.response();
    String length = request.getHeader("Content-Length");
    boolean hasBody = request.getHeader("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
    boolean unread = hasBody && !request.isEnded() && request.version() != HttpVersion.HTTP_2;
    if (unread) {
      r.putHeader("Connection", "close");
    }
    JsonReplies.error(r, status, message);
    if (unread) {
      request.connection().close();
    }
  }

  private static String reason(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(Locale.ROOT);
  }
}
