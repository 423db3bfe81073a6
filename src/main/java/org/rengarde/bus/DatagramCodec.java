package org.rengarde.bus;

import io.vertx.core.eventbus.EventBus;

/**
 * Hands a {@link DatagramBatch} to every local consumer by reference: a publish to N links copies no bytes and makes
 * no batch per link. The event bus calls {@link #transform} once per consumer, synchronously inside
 * {@code publish}/{@code send}, so each consumer holds the batch before the call returns and the sender may drop
 * its own hold at once.
 */
public final class DatagramCodec extends LocalOnlyCodec<DatagramBatch> {

  private DatagramCodec() {
    super("rengarde-datagram");
  }

  /** Registers the codec as the default for {@link DatagramBatch}; idempotent per event bus. */
  public static void register(EventBus bus) {
    registerDefault(bus, DatagramBatch.class, new DatagramCodec());
  }

  @Override
  public DatagramBatch transform(DatagramBatch batch) {
    return batch.retain();
  }
}
