package org.rengarde.server;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;
import org.rengarde.config.ServerConfig;
import org.rengarde.link.SendFailure;
import org.rengarde.link.UdpSocket;
import org.rengarde.link.UdpSocketOptions;
import org.rengarde.metrics.TrafficCounters;
import org.rengarde.wire.DuplicateTracker;
import org.rengarde.wire.TrackedPeer;
import org.rengarde.wire.Verdict;
import org.rengarde.wire.WireGuardShape;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The server half: datagrams from client addresses go to WireGuard unchanged; each datagram from WireGuard goes
 * unchanged to every client address heard within {@code clientTimeout}. Both sockets live on this verticle's event
 * loop, so a datagram crosses no thread and is never copied.
 */
public final class ServerRelay extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(ServerRelay.class.getName());
  private static final long EXPIRY_PERIOD_MILLIS = 1000;

  private ServerConfig config;
  private final ClientAddressTable clients;
  private final TrafficCounters wireGuardCounters = new TrafficCounters();
  private UdpSocket clientSocket;
  private UdpSocket wireGuardSocket;
  private InetSocketAddress wireGuardAddress;
  private final DuplicateTracker arrivals = new DuplicateTracker(1 << 16, 2_000_000_000L, 10);
  /** For now one peer for all client addresses: its link slots are the addresses' slots. */
  private final TrackedPeer everyClient = arrivals.newPeer();
  private long usedSlots;
  private long duplicatesDropped;
  private final WireGuardIndices indices = new WireGuardIndices();
  /** At most this many client addresses are remembered; more are refused (a flood of spoofed sources). */
  static final int MAX_CLIENT_ADDRESSES = 256;
  private long refusedDatagrams;
  private long strayDatagrams;
  private long expiryTimer;
  private MessageConsumer<Object> statusConsumer;
  private MessageConsumer<ServerConfig> configConsumer;

  public ServerRelay(ServerConfig config) {
    this.config = config;
    this.clients = new ClientAddressTable(TimeUnit.SECONDS.toNanos(config.clientTimeoutSeconds()));
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> new InetSocketAddress[] {config.listenAddr().resolve(), config.dstAddr().resolve()})
        .compose(this::openSockets)
        .onSuccess(v -> {
          expiryTimer = vertx.setPeriodic(EXPIRY_PERIOD_MILLIS, id -> expireClients());
          statusConsumer = vertx.eventBus().consumer(BusAddresses.SERVER_STATUS, this::replyStatus);
          configConsumer = vertx.eventBus().consumer(BusAddresses.SERVER_CONFIG, m -> applyConfig(m.body()));
          LOG.info("Listening on " + config.listenAddr() + " for clients, relaying to WireGuard at " + config.dstAddr()
              + " from " + wireGuardSocket.localAddress().getPort() + " (clients time out after "
              + config.clientTimeoutSeconds() + " s, WireGuard filter " + (config.wireGuardFilter() ? "on" : "off") + ")");
        });
  }

  private Future<Void> openSockets(InetSocketAddress[] addresses) {
    InetSocketAddress listen = addresses[0];
    wireGuardAddress = addresses[1];
    if (wireGuardAddress.isUnresolved()) {
      return Future.failedFuture("server.dstAddr: cannot resolve \"" + config.dstAddr() + "\"");
    }
    boolean nativeTransport = vertx.isNativeTransportEnabled();
    int queue = config.writeTimeout().sendQueueBytes();
    return openClientSocket(listen)
        .recover(e -> Future.failedFuture("server.listenAddr " + config.listenAddr() + ": " + e.getMessage()))
        .compose(socket -> {
          clientSocket = socket;
          InetAddress local = wireGuardAddress.getAddress().isLoopbackAddress()
              ? wireGuardAddress.getAddress() : anyAddressLike(wireGuardAddress.getAddress());
          InetSocketAddress ephemeral = new InetSocketAddress(local, 0);
          return UdpSocket.open(context, nativeTransport, UdpSocketOptions.bind(ephemeral).withSendQueueBytes(queue),
              this::fromWireGuard, this::wireGuardSendFailed);
        })
        .map(socket -> {
          wireGuardSocket = socket;
          return null;
        });
  }

  private Future<UdpSocket> openClientSocket(InetSocketAddress listen) {
    return UdpSocket.open(context, vertx.isNativeTransportEnabled(),
        UdpSocketOptions.bind(listen).withSendQueueBytes(config.writeTimeout().sendQueueBytes()),
        this::fromClient, this::clientSendFailed);
  }

  private static InetAddress anyAddressLike(InetAddress address) throws RuntimeException {
    try {
      return InetAddress.getByName(address instanceof java.net.Inet6Address ? "::" : "0.0.0.0");
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private void fromClient(ByteBuf datagram, InetSocketAddress sender) {
    long now = System.nanoTime();
    boolean filter = config.wireGuardFilter();
    if (filter && !WireGuardShape.matches(datagram)) {
      refusedDatagrams++;
      return;
    }
    ClientAddress client = clients.get(sender);
    if (client != null && client.confirmed()) {
      client.seen(now);
    } else {
      client = admit(client, sender, datagram, now);
      if (client == null) {
        refusedDatagrams++;
        return;
      }
    }
    int length = datagram.readableBytes();
    client.counters().received(length, now);
    int slot = client.slot();
    if (slot >= 0 && arrivals.arrive(everyClient, datagram, slot, now) == Verdict.DUPLICATE
        && config.duplicateFilter()) {
      duplicatesDropped++;
      return;
    }
    if (wireGuardSocket.send(datagram.retain(), wireGuardAddress)) {
      wireGuardCounters.sent(length);
    } else {
      wireGuardCounters.drops++;
    }
  }

  /**
   * An address not yet confirmed (or not yet known) sends a datagram: it is confirmed when the datagram names a
   * session index WireGuard handed out, kept tentative when it is an initiation, refused otherwise (null). Only
   * this path scans the indices; a confirmed address never pays for it.
   */
  private ClientAddress admit(ClientAddress known, InetSocketAddress sender, ByteBuf datagram, long now) {
    if (known != null) {
      known.seen(now);
    }
    boolean proves = !config.wireGuardFilter() || provesMembership(datagram);
    if (!proves && !isInitiation(datagram)) {
      return null;
    }
    ClientAddress client = known;
    if (client == null) {
      if (clients.size() >= MAX_CLIENT_ADDRESSES) {
        return null;
      }
      client = clients.add(sender, now);
      assignSlot(client);
      LOG.info("New client connected: '" + client.text() + "'");
    }
    if (proves) {
      client.confirm();
    }
    return client;
  }

  /**
   * A client message naming a session index WireGuard handed out (types 2, 3 and 4 carry it as receiver index).
   * Until the relay has seen a handshake since it started (it may restart in the middle of a session), any
   * transport message counts, so a running tunnel resumes at once.
   */
  private boolean provesMembership(ByteBuf datagram) {
    int type = datagram.getByte(datagram.readerIndex());
    if (type == WireGuardShape.HANDSHAKE_INITIATION) {
      return false;
    }
    if (indices.isEmpty()) {
      return type == WireGuardShape.TRANSPORT_DATA;
    }
    return indices.contains(WireGuardIndices.receiverIndex(datagram));
  }

  private static boolean isInitiation(ByteBuf datagram) {
    return datagram.getByte(datagram.readerIndex()) == WireGuardShape.HANDSHAKE_INITIATION;
  }

  private void fromWireGuard(ByteBuf datagram, InetSocketAddress sender) {
    long now = System.nanoTime();
    if (sender.getPort() != wireGuardAddress.getPort()) {
      strayDatagrams++;
      return;
    }
    int length = datagram.readableBytes();
    wireGuardCounters.received(length, now);
    indices.learnFrom(datagram);
    boolean transport = length > 0 && datagram.getByte(datagram.readerIndex()) == WireGuardShape.TRANSPORT_DATA;
    boolean guarded = config.wireGuardFilter();
    for (int i = 0, n = clients.size(); i < n; i++) {
      ClientAddress client = clients.at(i);
      if (!clients.isLive(client, now) || (guarded && transport && !client.confirmed())) {
        continue;
      }
      if (clientSocket.send(datagram.retainedDuplicate(), client.address())) {
        client.counters().sent(length);
      } else {
        client.counters().drops++;
      }
    }
  }

  private void clientSendFailed(SendFailure failure, Throwable cause) {
    LOG.fine(() -> "send to a client address failed: " + cause.getMessage());
  }

  private void wireGuardSendFailed(SendFailure failure, Throwable cause) {
    wireGuardCounters.sendErrors++;
    LOG.fine(() -> "send to WireGuard failed: " + cause.getMessage());
  }

  private void expireClients() {
    long now = System.nanoTime();
    arrivals.expire(now);
    clients.expire(now, c -> {
      LOG.info("Client '" + c.text() + "' timed out");
      if (c.slot() >= 0) {
        everyClient.linkDown(c.slot());
        usedSlots &= ~(1L << c.slot());
      }
    });
  }

  /** Gives a new client address a slot of the arrival tracker (the first 64 addresses heard; later ones: none). */
  private void assignSlot(ClientAddress client) {
    if (usedSlots == -1L) {
      return;
    }
    int slot = Long.numberOfTrailingZeros(~usedSlots);
    usedSlots |= 1L << slot;
    everyClient.forget(slot);
    everyClient.linkUp(slot);
    client.slot(slot);
  }

  /** Hot reload: timeouts and the filter at once; a new listenAddr by rebinding; a new dstAddr from the next datagram. */
  private void applyConfig(ServerConfig next) {
    ServerConfig before = config;
    config = next;
    clients.setTimeoutNanos(TimeUnit.SECONDS.toNanos(next.clientTimeoutSeconds()));
    int queue = next.writeTimeout().sendQueueBytes();
    clientSocket.setSendQueueBytes(queue);
    wireGuardSocket.setSendQueueBytes(queue);
    if (!next.dstAddr().equals(before.dstAddr())) {
      vertx.executeBlocking(() -> next.dstAddr().resolve()).onSuccess(a -> {
        if (a.isUnresolved()) {
          LOG.severe("server.dstAddr: cannot resolve \"" + next.dstAddr() + "\"; still relaying to " + before.dstAddr());
          return;
        }
        wireGuardAddress = a;
        LOG.info("Relaying to WireGuard at " + next.dstAddr());
      });
    }
    if (!next.listenAddr().equals(before.listenAddr())) {
      rebind(next, before);
    }
  }

  /** A new client-facing socket on the new {@code listenAddr} (see {@link UdpSocket#replace}). */
  private void rebind(ServerConfig next, ServerConfig before) {
    vertx.executeBlocking(() -> next.listenAddr().resolve())
        .compose(address -> UdpSocket.replace(context, clientSocket, address, this::openClientSocket))
        .onSuccess(socket -> {
          clientSocket = socket;
          LOG.info("Listening on " + next.listenAddr() + " for clients (was " + before.listenAddr() + ")");
        })
        .onFailure(e -> LOG.severe("server.listenAddr " + next.listenAddr() + ": " + e.getMessage()));
  }

  private void replyStatus(Message<Object> request) {
    request.reply(status());
  }

  /** Everything the web manager shows about the relay, taken on this event loop. */
  JsonObject status() {
    long now = System.nanoTime();
    arrivals.expire(now);
    JsonArray sockets = new JsonArray();
    for (ClientAddress c : clients.all()) {
      if (!clients.isLive(c, now)) {
        continue;
      }
      sockets.add(new JsonObject()
          .put("address", c.text())
          .put("last", c.counters().secondsSinceReceived(now))
          .put("confirmed", c.confirmed())
          .put("stats", c.counters().snapshot()));
      if (c.slot() >= 0) {
        sockets.getJsonObject(sockets.size() - 1).put("quality", everyClient.snapshot(c.slot(), now));
      }
    }
    return new JsonObject()
        .put("sockets", sockets)
        .put("wireGuard", wireGuardCounters.snapshot())
        .put("refusedDatagrams", refusedDatagrams)
        .put("duplicateFilter", config.duplicateFilter())
        .put("duplicatesDropped", duplicatesDropped)
        .put("strayDatagrams", strayDatagrams)
        .put("listenPort", clientSocket.localAddress().getPort());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(expiryTimer);
    Future<Void> consumer = statusConsumer == null ? Future.succeededFuture() : statusConsumer.unregister();
    if (configConsumer != null) {
      configConsumer.unregister();
    }
    Future<Void> a = clientSocket == null ? Future.succeededFuture() : clientSocket.close(context);
    Future<Void> b = wireGuardSocket == null ? Future.succeededFuture() : wireGuardSocket.close(context);
    return Future.join(consumer, a, b);
  }
}
