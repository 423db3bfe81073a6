package org.rengarde.server;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.rengarde.link.UdpSocket;
import org.rengarde.metrics.TrafficCounters;
import org.rengarde.wire.DuplicateTracker;
import org.rengarde.wire.TrackedPeer;
import org.rengarde.wire.Verdict;

import java.net.InetSocketAddress;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * engarde's server, for {@code wireGuardFilter: false} (other UDP than WireGuard, which has no indices to tell
 * clients apart by): every address that sends is a client, one socket faces WireGuard, every reply goes to every
 * address heard from within {@code clientTimeout}. At most {@value #MAX_CLIENT_ADDRESSES} addresses. Owned by the
 * relay's event loop.
 */
final class FlatRelay {
  private static final Logger LOG = Logger.getLogger(ServerRelay.class.getName());
  static final int MAX_CLIENT_ADDRESSES = 256;

  private final UdpSocket wireGuard;
  private final Supplier<UdpSocket> clientSocket;
  private final ClientAddressTable clients;
  private final DuplicateTracker duplicates;
  private final TrackedPeer tracked;
  private final TrafficCounters wireGuardCounters = new TrafficCounters();
  private long usedSlots;
  private long refused;
  private long duplicatesDropped;

  FlatRelay(UdpSocket wireGuard, Supplier<UdpSocket> clientSocket, DuplicateTracker duplicates, long timeoutNanos) {
    this.wireGuard = wireGuard;
    this.clientSocket = clientSocket;
    this.duplicates = duplicates;
    this.tracked = duplicates.newPeer();
    this.clients = new ClientAddressTable(timeoutNanos);
  }

  void setTimeoutNanos(long timeoutNanos) {
    clients.setTimeoutNanos(timeoutNanos);
  }

  void fromClient(ByteBuf datagram, InetSocketAddress sender, long now, boolean dedupe) {
    ClientAddress client = clients.get(sender);
    if (client == null) {
      if (clients.size() >= MAX_CLIENT_ADDRESSES) {
        refused++;
        return;
      }
      client = clients.add(sender, now);
      assignSlot(client);
      LOG.info("New client connected: '" + client.text() + "'");
    }
    client.seen(now);
    int length = datagram.readableBytes();
    client.counters().received(length, now);
    if (client.slot() >= 0 && duplicates.arrive(tracked, datagram, client.slot(), now) == Verdict.DUPLICATE && dedupe) {
      duplicatesDropped++;
      return;
    }
    if (wireGuard.send(UdpSocket.keep(datagram))) {
      wireGuardCounters.sent(length);
    } else {
      wireGuardCounters.drops++;
    }
  }

  void fromWireGuard(ByteBuf datagram) {
    long now = System.nanoTime();
    int length = datagram.readableBytes();
    wireGuardCounters.received(length, now);
    UdpSocket out = clientSocket.get();
    for (int i = 0, n = clients.size(); i < n; i++) {
      ClientAddress client = clients.at(i);
      if (!clients.isLive(client, now)) {
        continue;
      }
      if (out.send(datagram.retainedDuplicate(), client.address())) {
        client.counters().sent(length);
      } else {
        client.counters().drops++;
      }
    }
  }

  void expire(long now) {
    clients.expire(now, c -> {
      LOG.info("Client '" + c.text() + "' timed out");
      if (c.slot() >= 0) {
        tracked.linkDown(c.slot());
        usedSlots &= ~(1L << c.slot());
      }
    });
  }

  /** The first 64 addresses get a slot of the duplicate filter; later ones pass unfiltered. */
  private void assignSlot(ClientAddress client) {
    if (usedSlots == -1L) {
      return;
    }
    int slot = Long.numberOfTrailingZeros(~usedSlots);
    usedSlots |= 1L << slot;
    tracked.forget(slot);
    tracked.linkUp(slot);
    client.slot(slot);
  }

  long refused() {
    return refused;
  }

  long duplicatesDropped() {
    return duplicatesDropped;
  }

  JsonObject status(JsonObject out, long now) {
    JsonArray sockets = new JsonArray();
    for (ClientAddress c : clients.all()) {
      if (!clients.isLive(c, now)) {
        continue;
      }
      JsonObject entry = new JsonObject()
          .put("address", c.text())
          .put("last", c.counters().secondsSinceReceived(now))
          .put("stats", c.counters().snapshot());
      if (c.slot() >= 0) {
        entry.put("quality", tracked.snapshot(c.slot(), now));
      }
      sockets.add(entry);
    }
    return out.put("sockets", sockets)
        .put("peers", new JsonArray())
        .put("wireGuard", wireGuard.addKernelFigures(wireGuardCounters.snapshot()));
  }

  Future<Void> close(Context context) {
    return wireGuard.close(context);
  }
}
