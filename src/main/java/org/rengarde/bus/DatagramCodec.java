package org.rengarde.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Hands a {@link Datagram} to every local consumer by reference: a publish to N links copies no bytes. The event bus
 * calls {@link #transform} once per consumer, synchronously inside {@code publish}/{@code send}, so each consumer
 * gets its own retained duplicate (a reference count, no copy) and the sender may release its buffer as soon as the
 * call returns. Local only: rengarde does not run clustered, and datagrams must not leave the process.
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
    return new Datagram(datagram.buffer().retainedDuplicate(), datagram.link());
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
