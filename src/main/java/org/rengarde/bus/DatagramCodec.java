package org.rengarde.bus;

import io.vertx.core.eventbus.EventBus;

/**
 * Hands a {@link Datagram} to every local consumer by reference: a publish to N links copies no bytes. The event bus
 * calls {@link #transform} once per consumer, synchronously inside {@code publish}/{@code send}, so each consumer
 * gets its own retained duplicate (a reference count, no copy) and the sender may release its buffer as soon as the
 * call returns.
 */
public final class DatagramCodec extends LocalOnlyCodec<Datagram> {

  private DatagramCodec() {
    super("rengarde-datagram");
  }

  /** Registers the codec as the default for {@link Datagram}; idempotent per event bus. */
  public static void register(EventBus bus) {
    registerDefault(bus, Datagram.class, new DatagramCodec());
  }

  @Override
  public Datagram transform(Datagram datagram) {
    return new Datagram(datagram.buffer().retainedDuplicate(), datagram.link());
  }
}
