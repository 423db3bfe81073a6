package org.rengarde.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Hands a {@link Datagram} to every local consumer by reference: a publish to N links copies no bytes. Local only:
 * rengarde does not run clustered, and datagrams must not leave the process through the bus.
 */
public final class DatagramCodec implements MessageCodec<Datagram, Datagram> {
  public static final String NAME = "rengarde-datagram";

  /** Registers the codec as the default for {@link Datagram}; idempotent per event bus. */
  public static void register(EventBus bus) {
    try {
      bus.registerDefaultCodec(Datagram.class, new DatagramCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x instance registered it first
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Datagram datagram) {
    throw new UnsupportedOperationException("datagrams stay in this process");
  }

  @Override
  public Datagram decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("datagrams stay in this process");
  }

  @Override
  public Datagram transform(Datagram datagram) {
    return datagram;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
