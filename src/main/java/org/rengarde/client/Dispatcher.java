package org.rengarde.client;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;
import org.rengarde.bus.DatagramBatch;
import org.rengarde.bus.DatagramBatcher;
import org.rengarde.bus.DatagramConsumers;
import org.rengarde.config.ClientConfig;
import org.rengarde.config.HostPort;
import org.rengarde.link.SendFailure;
import org.rengarde.link.UdpSocket;
import org.rengarde.link.UdpSocketOptions;
import org.rengarde.metrics.TrafficCounters;
import org.rengarde.wire.DuplicateTracker;
import org.rengarde.wire.TrackedPeer;
import org.rengarde.wire.Verdict;

import java.net.InetSocketAddress;
import java.util.logging.Logger;

/**
 * The client's socket on {@code listenAddr}: each datagram from WireGuard is published once to every link (by
 * reference, see {@link org.rengarde.bus.DatagramCodec}); each datagram a link received goes back to WireGuard's
 * latest address.
 */
public final class Dispatcher extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

  private HostPort listenAddr;
  private int sendQueueBytes;
  private final TrafficCounters counters = new TrafficCounters();
  private final DuplicateTracker arrivals =
      new DuplicateTracker(ARRIVAL_CAPACITY, ARRIVAL_WINDOW_NANOS, QUALITY_WINDOW_SECONDS);
  /** The client has one peer, its tunnel; its link slots are the links' numbers. */
  private final TrackedPeer tunnel = arrivals.newPeer();
  /** Interface name of each tracker slot, for the quality figures. */
  private final String[] slotNames = new String[DuplicateTracker.MAX_LINKS];
  private boolean duplicateFilter;
  private long duplicatesDropped;
  private long expiryTimer;
  private MessageConsumer<JsonObject> linkStates;
  private UdpSocket socket;
  private EventBus bus;
  private InetSocketAddress wireGuard;
  private MessageConsumer<DatagramBatch> downlink;
  private DatagramBatcher uplink;
  private MessageConsumer<Object> statsConsumer;
  private MessageConsumer<ClientConfig> configConsumer;

  /** Copies of one datagram are recognised for 2 s; at most this many datagrams are remembered (about 4.5 MB). */
  static final int ARRIVAL_CAPACITY = 1 << 16;
  static final long ARRIVAL_WINDOW_NANOS = 2_000_000_000L;
  static final int QUALITY_WINDOW_SECONDS = 10;

  public Dispatcher(HostPort listenAddr, int sendQueueBytes, boolean duplicateFilter) {
    this.listenAddr = listenAddr;
    this.sendQueueBytes = sendQueueBytes;
    this.duplicateFilter = duplicateFilter;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    uplink = new DatagramBatcher(bus, BusAddresses.UPLINK, true, DatagramBatch.NO_LINK);
    return vertx.executeBlocking(listenAddr::resolve)
        .compose(this::openSocket)
        .recover(e -> Future.failedFuture("client.listenAddr " + listenAddr + ": " + e.getMessage()))
        .onSuccess(s -> {
          socket = s;
          downlink = DatagramConsumers.releasingDiscarded(bus.consumer(BusAddresses.DOWNLINK, this::toWireGuard));
          statsConsumer = bus.consumer(BusAddresses.DISPATCHER_STATS, this::replyStats);
          configConsumer = bus.consumer(BusAddresses.CLIENT_CONFIG, m -> applyConfig(m.body()));
          linkStates = bus.consumer(BusAddresses.LINK_STATE, m -> onLinkState(m.body()));
          expiryTimer = vertx.setPeriodic(500, id -> arrivals.expire(System.nanoTime()));
          LOG.info("Listening for WireGuard on " + listenAddr);
        });
  }

  private void fromWireGuard(ByteBuf datagram, InetSocketAddress sender) {
    wireGuard = sender;
    counters.received(datagram.readableBytes(), System.nanoTime());
    uplink.add(datagram);
  }

  /** The datagrams of one wake-up of the socket go to the links as one message. */
  private void endOfReadBatch() {
    uplink.flush();
  }

  private void toWireGuard(Message<DatagramBatch> message) {
    DatagramBatch batch = message.body();
    int link = batch.link();
    long now = System.nanoTime();
    for (int i = 0; i < batch.size(); i++) {
      ByteBuf datagram = batch.get(i);
      int length = datagram.readableBytes();
      if (link >= 0 && arrivals.arrive(tunnel, datagram, link, now) == Verdict.DUPLICATE && duplicateFilter) {
        datagram.release();
        duplicatesDropped++;
      } else if (wireGuard == null) {
        datagram.release();
        counters.drops++;
      } else if (socket.send(datagram, wireGuard)) {
        counters.sent(length);
      } else {
        counters.drops++;
      }
    }
  }

  /**
   * The event loop of the packet path: links open their sockets and take the uplink on it, so a datagram from
   * WireGuard reaches every link without changing threads.
   */
  public io.vertx.core.Context packetContext() {
    return context;
  }

  private void onLinkState(JsonObject state) {
    int slot = state.getInteger("slot", DatagramBatch.NO_LINK);
    if (slot < 0) {
      return;
    }
    if (state.getBoolean("up", false)) {
      tunnel.forget(slot);
      tunnel.linkUp(slot);
      slotNames[slot] = state.getString("interface");
    } else {
      tunnel.linkDown(slot);
      slotNames[slot] = null;
    }
  }

  private void sendFailed(SendFailure failure, Throwable cause) {
    counters.sendErrors++;
  }

  /** Hot reload: the queue bound at once; a new listenAddr by replacing the socket (see {@link UdpSocket#replace}). */
  private void applyConfig(ClientConfig next) {
    duplicateFilter = next.duplicateFilter();
    sendQueueBytes = next.writeTimeout().sendQueueBytes();
    socket.setSendQueueBytes(sendQueueBytes);
    if (next.listenAddr().equals(listenAddr)) {
      return;
    }
    HostPort before = listenAddr;
    vertx.executeBlocking(() -> next.listenAddr().resolve())
        .compose(address -> UdpSocket.replace(context, socket, address, this::openSocket))
        .onSuccess(s -> {
          socket = s;
          listenAddr = next.listenAddr();
          LOG.info("Listening for WireGuard on " + listenAddr + " (was " + before + "): point the WireGuard peer's "
              + "Endpoint at it");
        })
        .onFailure(e -> LOG.severe("client.listenAddr " + next.listenAddr() + ": " + e.getMessage()));
  }

  private Future<UdpSocket> openSocket(InetSocketAddress address) {
    return UdpSocket.open(context, vertx.isNativeTransportEnabled(),
        UdpSocketOptions.bind(address).withSendQueueBytes(sendQueueBytes), this::fromWireGuard, this::sendFailed,
        this::endOfReadBatch);
  }

  private void replyStats(Message<Object> request) {
    request.reply(new JsonObject()
        .put("listenAddress", listenAddr.toString())
        .put("wireGuardAddress", wireGuard == null ? null : wireGuard.getAddress().getHostAddress() + ":" + wireGuard.getPort())
        .put("stats", counters.snapshot())
        .put("duplicateFilter", duplicateFilter)
        .put("duplicatesDropped", duplicatesDropped)
        .put("quality", quality()));
  }

  /** Each link's arrival figures, by interface name. */
  private JsonObject quality() {
    long now = System.nanoTime();
    JsonObject byName = new JsonObject();
    for (int slot = 0; slot < slotNames.length; slot++) {
      if (slotNames[slot] != null) {
        byName.put(slotNames[slot], tunnel.snapshot(slot, now));
      }
    }
    return byName;
  }

  @Override
  public Future<?> stop() {
    Future<Void> a = downlink == null ? Future.succeededFuture() : downlink.unregister();
    Future<Void> b = statsConsumer == null ? Future.succeededFuture() : statsConsumer.unregister();
    vertx.cancelTimer(expiryTimer);
    if (linkStates != null) {
      linkStates.unregister();
    }
    if (configConsumer != null) {
      configConsumer.unregister();
    }
    Future<Void> c = socket == null ? Future.succeededFuture() : socket.close(context);
    return Future.join(a, b, c);
  }
}
