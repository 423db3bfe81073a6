package org.rengarde.bus;

import io.netty.buffer.ByteBuf;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the datagrams of one read batch and puts them on the bus as one {@link DatagramBatch} when the socket's
 * read completes. Owned by one event loop.
 */
public final class DatagramBatcher {
  private static final ByteBuf[] EMPTY = new ByteBuf[0];
  /** Never changed: shared by every publish and send (the bus makes one per call given none). */
  private static final DeliveryOptions DELIVERY = new DeliveryOptions();

  private final EventBus bus;
  private final String address;
  private final boolean publish;
  private final int link;
  private final List<ByteBuf> pending = new ArrayList<>(16);

  /**
   * @param publish true to publish to every consumer (uplink to the links), false to send to one (downlink)
   */
  public DatagramBatcher(EventBus bus, String address, boolean publish, int link) {
    this.bus = bus;
    this.address = address;
    this.publish = publish;
    this.link = link;
  }

  /** Keeps a datagram; ownership passes here (see {@link org.rengarde.link.UdpSocket#keep}). */
  public void add(ByteBuf owned) {
    pending.add(owned);
  }

  /** Puts the batch on the bus, then drops this side's hold (each consumer holds it already). */
  public void flush() {
    if (pending.isEmpty()) {
      return;
    }
    DatagramBatch batch = new DatagramBatch(pending.toArray(EMPTY), link);
    pending.clear();
    if (publish) {
      bus.publish(address, batch, DELIVERY);
    } else {
      bus.send(address, batch, DELIVERY);
    }
    batch.release();
  }
}
