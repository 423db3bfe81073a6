package org.rengarde.web;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.handler.HttpException;

/**
 * Reads a request's body as raw bytes, at most {@link #LIMIT}: whatever the Content-Type, no form decoding, no
 * upload store, nothing written to disk (Vert.x's BodyHandler creates a {@code file-uploads} directory for form
 * bodies, which a read-only file system refuses). Call it from the route handler itself, before the request's
 * data can arrive.
 */
final class RequestBody {
  /** engarde's commands are a few dozen bytes; this is plenty and bounds what a stranger makes us hold. */
  static final int LIMIT = 64 * 1024;

  private RequestBody() {
  }

  /** The whole body; fails with a 413 past the limit, a 417 for an expectation other than 100-continue. */
  static Future<Buffer> read(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (length != null && declaredLength(length) > LIMIT) {
      return tooLarge();
    }
    String expect = request.getHeader("Expect");
    if (expect != null) {
      if (!expect.equalsIgnoreCase("100-continue")) {
        return Future.failedFuture(new HttpException(417, "unsupported Expect: " + expect));
      }
      if (request.version() != HttpVersion.HTTP_1_0) {
        request.response().writeContinue();
      }
    }
    if (request.isEnded()) {
      return Future.succeededFuture(Buffer.buffer());
    }
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > LIMIT) {
        done.tryFail(new HttpException(413, tooLargeMessage()));
      } else if (!done.future().isComplete()) {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> done.tryComplete(body));
    request.exceptionHandler(e -> done.tryFail(new HttpException(400, "the body could not be read: " + e.getMessage())));
    request.resume();
    return done.future();
  }

  /** Netty has already refused a Content-Length that is not a number; a huge one reads as too large. */
  private static long declaredLength(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static Future<Buffer> tooLarge() {
    return Future.failedFuture(new HttpException(413, tooLargeMessage()));
  }

  private static String tooLargeMessage() {
    return "the body is larger than " + LIMIT + " bytes";
  }
}
