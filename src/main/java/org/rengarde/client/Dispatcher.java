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
import org.rengarde.link.SocketSlot;
import org.rengarde.metrics.TrafficCounters;

import java.net.InetSocketAddress;
import java.util.logging.Logger;

/**
 * The client's socket on {@code listenAddr}: each datagram from WireGuard is published once to every link (by
 * reference, see {@link org.rengarde.bus.DatagramCodec}); each first copy a link received (the links drop the
 * duplicates through this verticle's {@link DownlinkFilter}) goes back to WireGuard's latest address.
 */
public final class Dispatcher extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

  private HostPort listenAddr;
  /** The listenAddr of the newest configuration: a replacement may still be under way towards it. */
  private HostPort wantedListenAddr;
  private int sendQueueBytes;
  private final TrafficCounters counters = new TrafficCounters();
  private final DownlinkFilter filter;
  private long expiryTimer;
  private MessageConsumer<JsonObject> linkStates;
  private SocketSlot socket;
  private EventBus bus;
  private final BusAddresses addresses;
  private final WireGuardEndpoint wireGuard;
  private MessageConsumer<DatagramBatch> downlink;
  private DatagramBatcher uplink;
  private MessageConsumer<Object> statsConsumer;
  private MessageConsumer<ClientConfig> configConsumer;

  public Dispatcher(BusAddresses addresses, HostPort listenAddr, int sendQueueBytes, boolean duplicateFilter) {
    this(addresses, listenAddr, sendQueueBytes, duplicateFilter, true);
  }

  /** @param wireGuardFilter only WireGuard-shaped datagrams on listenAddr, from WireGuard's address (see {@link WireGuardEndpoint}) */
  public Dispatcher(BusAddresses addresses, HostPort listenAddr, int sendQueueBytes, boolean duplicateFilter,
                    boolean wireGuardFilter) {
    this.addresses = addresses;
    this.wireGuard = new WireGuardEndpoint(wireGuardFilter);
    this.listenAddr = listenAddr;
    this.wantedListenAddr = listenAddr;
    this.sendQueueBytes = sendQueueBytes;
    this.filter = new DownlinkFilter(duplicateFilter);
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    uplink = new DatagramBatcher(bus, addresses.uplink(), true, DatagramBatch.NO_LINK);
    return vertx.executeBlocking(listenAddr::resolve)
        .compose(this::openSocket)
        .recover(e -> Future.failedFuture("client.listenAddr " + listenAddr + ": " + e.getMessage()))
        .onSuccess(s -> {
          socket = new SocketSlot(s);
          downlink = DatagramConsumers.onThisLoop(bus, addresses.downlink(), this::toWireGuard);
          statsConsumer = bus.consumer(addresses.dispatcherStats(), this::replyStats);
          configConsumer = bus.consumer(addresses.clientConfig(), m -> applyConfig(m.body()));
          linkStates = bus.consumer(addresses.linkState(), m -> onLinkState(m.body()));
          expiryTimer = vertx.setPeriodic(500, id -> filter.expire(System.nanoTime()));
          LOG.info("Listening on " + listenAddr);
        });
  }

  private void fromWireGuard(ByteBuf datagram, InetSocketAddress sender) {
    long now = System.nanoTime();
    if (!wireGuard.accept(datagram, sender, now)) {
      return;
    }
    counters.received(datagram.readableBytes(), now);
    uplink.add(UdpSocket.keep(datagram));
  }

  /** The datagrams of one wake-up of the socket go to the links as one message. */
  private void endOfReadBatch() {
    uplink.flush();
  }

  private void toWireGuard(Message<DatagramBatch> message) {
    DatagramBatch batch = message.body();
    UdpSocket out = socket.current();
    try {
      for (int i = 0; i < batch.size(); i++) {
        ByteBuf datagram = batch.get(i);
        int length = datagram.readableBytes();
        InetSocketAddress to = wireGuard.destinationFor(datagram);
        if (to == null) {
          counters.drops++;
        } else if (out.send(batch.take(i), to)) {
          counters.sent(length);
        } else {
          counters.drops++;
        }
      }
    } finally {
      batch.release();
      UdpSocket.flushWritten();
    }
  }

  /**
   * The packet path: links open their sockets and take the uplink on this event loop, so a datagram from WireGuard
   * reaches every link without changing threads, and they drop duplicates through this filter where they read them.
   */
  public PacketPath packetPath() {
    return new PacketPath(context, filter);
  }

  private void onLinkState(JsonObject state) {
    int slot = state.getInteger("slot", DatagramBatch.NO_LINK);
    if (slot < 0) {
      return;
    }
    if (state.getBoolean("up", false)) {
      filter.linkUp(slot, state.getString("interface"));
    } else {
      filter.linkDown(slot);
    }
  }

  private void sendFailed(SendFailure failure, Throwable cause) {
    counters.sendErrors++;
  }

  /**
   * Hot reload: the queue bound at once; a new listenAddr by replacing the socket, one replacement after the other
   * (see {@link SocketSlot}); compared with the address in effect, so a change and its undoing both apply.
   */
  private void applyConfig(ClientConfig next) {
    filter.setEnabled(next.duplicateFilter());
    wireGuard.setFilter(next.wireGuardFilter());
    sendQueueBytes = next.writeTimeout().sendQueueBytes();
    socket.current().setSendQueueBytes(sendQueueBytes);
    if (next.listenAddr().equals(wantedListenAddr)) {
      return;
    }
    wantedListenAddr = next.listenAddr();
    HostPort before = listenAddr;
    vertx.executeBlocking(() -> next.listenAddr().resolve())
        .compose(address -> socket.replace(context, address, this::openSocket))
        .onSuccess(s -> {
          listenAddr = next.listenAddr();
          LOG.info("Listening on " + listenAddr + " (was " + before + "): point the WireGuard peer's "
              + "Endpoint at it");
        })
        .onFailure(e -> {
          if (next.listenAddr().equals(wantedListenAddr)) {
            wantedListenAddr = listenAddr;
            LOG.severe("client.listenAddr " + next.listenAddr() + ": " + e.getMessage());
          }
        });
  }

  private Future<UdpSocket> openSocket(InetSocketAddress address) {
    return UdpSocket.open(context, vertx.isNativeTransportEnabled(),
        UdpSocketOptions.bind(address).withSendQueueBytes(sendQueueBytes), this::fromWireGuard, this::sendFailed,
        this::endOfReadBatch);
  }

  private void replyStats(Message<Object> request) {
    request.reply(new JsonObject()
        .put("listenAddress", listenAddr.toString())
        .put("wireGuardAddress", wireGuard.current() == null ? null
            : HostPort.format(wireGuard.current()))
        .put("refusedOnListen", wireGuard.refused())
        .put("packetMemoryBytes", UdpSocket.packetMemoryBytes())
        .put("wireGuardMoves", wireGuard.moves())
        .put("stats", socket.current().addKernelFigures(counters.snapshot()))
        .put("duplicateFilter", filter.enabled())
        .put("duplicatesDropped", filter.duplicatesDropped())
        .put("alteredForwarded", filter.alteredForwarded())
        .put("tunnelLoss", filter.tunnelLoss(System.nanoTime()))
        .put("quality", filter.quality(System.nanoTime())));
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
