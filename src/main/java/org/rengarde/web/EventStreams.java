package org.rengarde.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * The open server-sent event streams, at most {@code capacity} of them, so a stranger cannot open connections
 * until memory runs out. A stream whose client stops reading (its write queue still full after
 * {@link #MAX_STALLED_PUSHES} pushes in a row) is closed, so a dead client does not pin the documents queued for
 * it. Owned by the web manager's event loop.
 */
final class EventStreams {
  /** Sixteen pages open at once is far more than one machine's manager needs. */
  static final int MAX_STREAMS = 16;
  /** Three seconds of pushes with nothing drained: the client is gone or stuck. */
  static final int MAX_STALLED_PUSHES = 3;

  private static final class Stream {
    final HttpServerResponse response;
    int stalledPushes;

    Stream(HttpServerResponse response) {
      this.response = response;
    }
  }

  private final int capacity;
  private final List<Stream> streams = new ArrayList<>();

  EventStreams(int capacity) {
    this.capacity = capacity;
  }

  /** Starts an event stream on {@code response}; false, untouched, when all slots are taken. */
  boolean open(HttpServerResponse response) {
    if (streams.size() >= capacity) {
      return false;
    }
    JsonReplies.noCache(response);
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 1000\n\n");
    Stream stream = new Stream(response);
    streams.add(stream);
    response.closeHandler(v -> streams.remove(stream));
    response.exceptionHandler(e -> streams.remove(stream));
    return true;
  }

  int size() {
    return streams.size();
  }

  /**
   * Writes {@code event} (a complete event, blank line included, encoded once for all: with 1,000 peers it is
   * 2 MB) to every stream that keeps up.
   */
  void push(Buffer event) {
    for (Stream s : List.copyOf(streams)) {
      if (!s.response.writeQueueFull()) {
        s.stalledPushes = 0;
        s.response.write(event);
      } else if (++s.stalledPushes >= MAX_STALLED_PUSHES) {
        streams.remove(s);
        s.response.reset();
      }
    }
  }

  void closeAll() {
    for (Stream s : List.copyOf(streams)) {
      s.response.end();
    }
    streams.clear();
  }
}
