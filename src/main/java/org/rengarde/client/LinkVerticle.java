package org.rengarde.client;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;
import org.rengarde.bus.DatagramBatch;
import org.rengarde.bus.DatagramBatcher;
import org.rengarde.bus.DatagramConsumers;
import org.rengarde.config.ClientConfig;
import org.rengarde.config.HostPort;
import org.rengarde.link.Binding;
import org.rengarde.link.DeviceBinding;
import org.rengarde.link.DeviceBindingRefused;
import org.rengarde.link.SendFailure;
import org.rengarde.link.UdpSocket;
import org.rengarde.link.UdpSocketOptions;
import org.rengarde.metrics.TrafficCounters;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One network interface: a socket bound to its address and, where it can be ({@link DeviceBinding}), to the device,
 * sending every uplink datagram to the server and every datagram it receives to the Dispatcher. A failed send drops
 * this copy only; a link whose sends keep failing asks the Interface Watcher to re-create it.
 */
public final class LinkVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(LinkVerticle.class.getName());
  /** Sends failing without a success for this long make the link ask to be re-created. */
  static final long FAILING_TOO_LONG_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long HEALTH_CHECK_MILLIS = 250;
  private static final long REPOLL_HOLD_OFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final BusAddresses addresses;
  private final LinkSpec spec;
  private final int sendQueueBytes;
  private final PacketPath packetPath;
  private final int slot;
  private final boolean bindToDevice;
  private Binding binding;
  private final TrafficCounters counters = new TrafficCounters();
  private UdpSocket socket;
  private DownlinkFilter filter;
  private MessageConsumer<DatagramBatch> uplink;
  private DatagramBatcher downlink;
  private MessageConsumer<Object> statsConsumer;
  private MessageConsumer<ClientConfig> configConsumer;
  private long lastRepollNanos;
  /** When this link last asked to be re-created; it asks again while its sends keep failing (see checkHealth). */
  private long recreateAskedNanos;
  private long failingSinceNanos;
  private long sentAtCheck;
  private long failedAtCheck;
  private long healthTimer;

  /**
   * @param slot this link's number (0-63) in the Dispatcher's arrival tracker, or {@link DatagramBatch#NO_LINK}
   * @param packetPath the Dispatcher's event loop and duplicate filter: the socket and the uplink consumer live on
   *     that loop, so the packet path never changes threads, and a duplicate is dropped where it is read; null to use
   *     this verticle's own context and no filter
   * @param bindToDevice client.bindToDevice: false binds to the interface's address only
   */
  public LinkVerticle(BusAddresses addresses, LinkSpec spec, int slot, int sendQueueBytes, PacketPath packetPath,
                      boolean bindToDevice) {
    this.addresses = addresses;
    this.spec = spec;
    this.slot = slot;
    this.sendQueueBytes = sendQueueBytes;
    this.packetPath = packetPath;
    this.bindToDevice = bindToDevice;
  }

  /**
   * The socket is bound to the interface's address and, where it can be, to the device (refused: to the address
   * only), connected to the server (the kernel skips the route lookup per send and drops anyone else's datagrams),
   * and sends runs of equal-size datagrams as one GSO send of segments that fit the interface's MTU.
   */
  @Override
  public Future<?> start() {
    Context loop = packetPath == null ? context : packetPath.context();
    filter = packetPath == null ? null : packetPath.filter();
    downlink = new DatagramBatcher(vertx.eventBus(), addresses.downlink(), false, slot);
    boolean nativeTransport = vertx.isNativeTransportEnabled();
    return vertx.executeBlocking(this::interfaceMtu)
        .compose(mtu -> openSocket(loop, nativeTransport, DeviceBinding.wanted(bindToDevice, nativeTransport), mtu)
            .recover(e -> {
              if (!(e instanceof DeviceBindingRefused)) {
                return Future.failedFuture(e);
              }
              DeviceBinding.refused(spec.ifName(), e);
              return openSocket(loop, nativeTransport, Binding.ADDRESS, mtu);
            }))
        .compose(s -> {
          socket = s;
          return registerOn(loop);
        })
        .onSuccess(v -> {
          LOG.info(InterfaceEvents.added(spec.ifName(), spec.source(), "port " + socket.localAddress().getPort()
              + " -> " + resolvedDestination() + (binding == Binding.ADDRESS ? ", bound to the address only" : "")));
        });
  }

  private Future<UdpSocket> openSocket(Context loop, boolean nativeTransport, Binding asked, int mtu) {
    binding = asked;
    return UdpSocket.open(loop, nativeTransport, socketOptions(asked, mtu), this::fromServer, this::sendFailed,
        this::endOfReadBatch);
  }

  private UdpSocketOptions socketOptions(Binding asked, int mtu) {
    UdpSocketOptions bound = UdpSocketOptions.bind(new InetSocketAddress(spec.source(), 0));
    return (asked == Binding.DEVICE ? bound.onDevice(spec.ifName()) : bound)
        .connectedTo(spec.destination())
        .coalescingReads()
        .withSendQueueBytes(sendQueueBytes)
        .segmentingFor(mtu);
  }

  /** The interface's MTU, or 0 (no GSO) when it cannot be read. */
  private int interfaceMtu() {
    try {
      java.net.NetworkInterface ni = java.net.NetworkInterface.getByIndex(spec.index());
      return ni == null ? 0 : ni.getMTU();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /** Consumers handle messages on the context that registers them: register them on the packet loop. */
  private Future<Void> registerOn(Context loop) {
    Promise<Void> registered = Promise.promise();
    loop.runOnContext(v -> {
      healthTimer = vertx.setPeriodic(HEALTH_CHECK_MILLIS, id -> checkHealth());
      var bus = vertx.eventBus();
      uplink = DatagramConsumers.onThisLoop(bus, addresses.uplink(), this::toServer);
      statsConsumer = bus.consumer(addresses.linkStats(spec.ifName()), this::replyStats);
      configConsumer = bus.consumer(addresses.clientConfig(),
          m -> socket.setSendQueueBytes(m.body().writeTimeout().sendQueueBytes()));
      bus.send(addresses.linkState(), linkState(true));
      registered.complete();
    });
    return registered.future();
  }

  private void toServer(Message<DatagramBatch> message) {
    DatagramBatch batch = message.body();
    try {
      for (int i = 0; i < batch.size(); i++) {
        int length = batch.get(i).readableBytes();
        if (socket.send(batch.take(i))) {
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

  /** Only a first copy crosses the bus: a duplicate is dropped here, where it was read, and costs no copy. */
  private void fromServer(ByteBuf datagram, InetSocketAddress sender) {
    long now = System.nanoTime();
    counters.received(datagram.readableBytes(), now);
    if (filter == null || filter.pass(datagram, slot, now)) {
      downlink.add(UdpSocket.keep(datagram));
    }
  }

  /** What one wake-up of the socket brought goes to the Dispatcher as one message. */
  private void endOfReadBatch() {
    downlink.flush();
  }

  private void sendFailed(SendFailure failure, Throwable cause) {
    if (failure == SendFailure.REFUSED_BY_PEER) {
      return;
    }
    counters.sendErrors++;
    long now = System.nanoTime();
    if (failure.asksForRepoll() && now - lastRepollNanos > REPOLL_HOLD_OFF_NANOS) {
      lastRepollNanos = now;
      LOG.fine(() -> "Sending on '" + spec.ifName() + "': " + cause.getMessage() + "; asking for a new look at the interfaces");
      vertx.eventBus().send(addresses.repoll(), repollRequest(false));
    }
  }

  /**
   * Every quarter second: a link whose every send failed since the last check, for over a second in a row, asks to
   * be re-created, and asks again every second while that lasts: the Interface Watcher re-creates it at most once
   * per back-off (1 s doubling to 60 s), so a refused request is not the last. One EPERM among successes never asks.
   */
  private void checkHealth() {
    long now = System.nanoTime();
    long sent = socket.offered() - sentAtCheck;
    long failed = socket.failed() - failedAtCheck;
    sentAtCheck = socket.offered();
    failedAtCheck = socket.failed();
    if (sent == 0 || failed < sent) {
      failingSinceNanos = 0;
      return;
    }
    if (failingSinceNanos == 0) {
      failingSinceNanos = now;
    } else if (now - failingSinceNanos >= FAILING_TOO_LONG_NANOS
        && (recreateAskedNanos == 0 || now - recreateAskedNanos >= FAILING_TOO_LONG_NANOS)) {
      if (recreateAskedNanos == 0) {
        LOG.warning("Every send on '" + spec.ifName() + "' failed for over a second, asking to re-create its socket");
      }
      recreateAskedNanos = now;
      vertx.eventBus().send(addresses.repoll(), repollRequest(true));
    }
  }

  private JsonObject linkState(boolean up) {
    return new JsonObject().put("slot", slot).put("interface", spec.ifName()).put("up", up);
  }

  private JsonObject repollRequest(boolean recreate) {
    return new JsonObject().put("interface", spec.ifName()).put("index", spec.index()).put("recreate", recreate);
  }

  private void replyStats(Message<Object> request) {
    long now = System.nanoTime();
    request.reply(new JsonObject()
        .put("interface", spec.ifName())
        .put("senderAddress", HostPort.format(spec.source()))
        .put("localPort", socket.localAddress().getPort())
        .put("dstAddress", spec.configuredDestination().toString())
        .put("resolvedDstAddress", resolvedDestination())
        .put("last", counters.secondsSinceReceived(now))
        .put("stats", socket.addKernelFigures(counters.snapshot())
            .put("refusedByServer", socket.refusedByPeer())
            .put("gsoSends", socket.segmentedSends())
            .put("failedDatagrams", socket.failed())
            .put("binding", binding.label())));
  }

  @Override
  public Future<?> stop() {
    vertx.eventBus().send(addresses.linkState(), linkState(false));
    vertx.cancelTimer(healthTimer);
    Future<Void> a = uplink == null ? Future.succeededFuture() : uplink.unregister();
    Future<Void> b = statsConsumer == null ? Future.succeededFuture() : statsConsumer.unregister();
    if (configConsumer != null) {
      configConsumer.unregister();
    }
    Future<Void> c = socket == null ? Future.succeededFuture() : socket.close(context);
    return Future.join(a, b, c).onComplete(x -> LOG.fine(() -> "Socket on '" + spec.ifName() + "' closed"));
  }

  private String resolvedDestination() {
    return HostPort.format(spec.destination());
  }
}
