package org.rengarde.link;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * The one socket of a role (the client's listen socket, the server's client-facing socket) across hot reloads.
 * Replacements run one after the other: a second reload while the first is still opening its socket waits for it,
 * and a replacement overtaken by a newer request is skipped, so no socket is ever left open and unowned. Owned by
 * one event loop.
 */
public final class SocketSlot {
  private UdpSocket current;
  private Future<?> tail = Future.succeededFuture();
  private long requested;

  public SocketSlot(UdpSocket initial) {
    this.current = initial;
  }

  public UdpSocket current() {
    return current;
  }

  /**
   * Replaces the current socket by one {@code open} makes on {@code next} (see {@link UdpSocket#replace}), after
   * any replacement still under way. Fails with "superseded" when a newer request came before this one started.
   */
  public Future<UdpSocket> replace(Context context, InetSocketAddress next,
                                   Function<InetSocketAddress, Future<UdpSocket>> open) {
    long ticket = ++requested;
    Future<UdpSocket> result = tail.transform(previous -> {
      if (ticket != requested) {
        return Future.failedFuture("superseded by a newer change");
      }
      return UdpSocket.replace(context, current, next, open).onSuccess(fresh -> current = fresh);
    });
    tail = result.otherwiseEmpty();
    return result;
  }

  public Future<Void> close(Context context) {
    return tail.transform(x -> current == null ? Future.<Void>succeededFuture() : current.close(context));
  }
}
