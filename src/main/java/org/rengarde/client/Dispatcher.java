package org.rengarde.client;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;
import org.rengarde.bus.Datagram;
import org.rengarde.config.ClientConfig;
import org.rengarde.config.HostPort;
import org.rengarde.link.SendFailure;
import org.rengarde.link.UdpSocket;
import org.rengarde.link.UdpSocketOptions;
import org.rengarde.metrics.TrafficCounters;

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
  private UdpSocket socket;
  private EventBus bus;
  private InetSocketAddress wireGuard;
  private MessageConsumer<Datagram> downlink;
  private MessageConsumer<Object> statsConsumer;
  private MessageConsumer<ClientConfig> configConsumer;

  public Dispatcher(HostPort listenAddr, int sendQueueBytes) {
    this.listenAddr = listenAddr;
    this.sendQueueBytes = sendQueueBytes;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    return vertx.executeBlocking(listenAddr::resolve)
        .compose(address -> UdpSocket.open(context, vertx.isNativeTransportEnabled(),
            UdpSocketOptions.bind(address).withSendQueueBytes(sendQueueBytes), this::fromWireGuard, this::sendFailed))
        .recover(e -> Future.failedFuture("client.listenAddr " + listenAddr + ": " + e.getMessage()))
        .onSuccess(s -> {
          socket = s;
          downlink = bus.consumer(BusAddresses.DOWNLINK, this::toWireGuard);
          statsConsumer = bus.consumer(BusAddresses.DISPATCHER_STATS, this::replyStats);
          configConsumer = bus.consumer(BusAddresses.CLIENT_CONFIG, m -> applyConfig(m.body()));
          LOG.info("Listening for WireGuard on " + listenAddr);
        });
  }

  private void fromWireGuard(ByteBuf datagram, InetSocketAddress sender) {
    wireGuard = sender;
    counters.received(datagram.readableBytes(), System.nanoTime());
    bus.publish(BusAddresses.UPLINK, new Datagram(datagram));
  }

  private void toWireGuard(Message<Datagram> message) {
    ByteBuf datagram = message.body().buffer();
    int length = datagram.readableBytes();
    if (wireGuard == null) {
      datagram.release();
      counters.drops++;
    } else if (socket.send(datagram, wireGuard)) {
      counters.sent(length);
    } else {
      counters.drops++;
    }
  }

  /**
   * The event loop of the packet path: links open their sockets and take the uplink on it, so a datagram from
   * WireGuard reaches every link without changing threads.
   */
  public io.vertx.core.Context packetContext() {
    return context;
  }

  private void sendFailed(SendFailure failure, Throwable cause) {
    counters.sendErrors++;
  }

  /** Hot reload: the queue bound at once; a new listenAddr by opening the new socket before closing the old. */
  private void applyConfig(ClientConfig next) {
    sendQueueBytes = next.writeTimeout().sendQueueBytes();
    socket.setSendQueueBytes(sendQueueBytes);
    if (next.listenAddr().equals(listenAddr)) {
      return;
    }
    HostPort before = listenAddr;
    vertx.executeBlocking(() -> next.listenAddr().resolve())
        .compose(address -> UdpSocket.open(context, vertx.isNativeTransportEnabled(),
            UdpSocketOptions.bind(address).withSendQueueBytes(sendQueueBytes), this::fromWireGuard, this::sendFailed))
        .onSuccess(s -> {
          UdpSocket old = socket;
          socket = s;
          listenAddr = next.listenAddr();
          old.close(context);
          LOG.info("Listening for WireGuard on " + listenAddr + " (was " + before + "): point the WireGuard peer's "
              + "Endpoint at it");
        })
        .onFailure(e -> LOG.severe("client.listenAddr " + next.listenAddr() + ": " + e.getMessage()
            + "; still listening on " + before));
  }

  private void replyStats(Message<Object> request) {
    request.reply(new JsonObject()
        .put("listenAddress", listenAddr.toString())
        .put("wireGuardAddress", wireGuard == null ? null : wireGuard.getAddress().getHostAddress() + ":" + wireGuard.getPort())
        .put("stats", counters.snapshot()));
  }

  @Override
  public Future<?> stop() {
    Future<Void> a = downlink == null ? Future.succeededFuture() : downlink.unregister();
    Future<Void> b = statsConsumer == null ? Future.succeededFuture() : statsConsumer.unregister();
    if (configConsumer != null) {
      configConsumer.unregister();
    }
    Future<Void> c = socket == null ? Future.succeededFuture() : socket.close(context);
    return Future.join(a, b, c);
  }
}
