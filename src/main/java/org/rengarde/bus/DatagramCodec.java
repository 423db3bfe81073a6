package org.rengarde.bus;

import io.vertx.core.eventbus.EventBus;

/**
 * Hands a {@link DatagramBatch} to every local consumer by reference: a publish to N links copies no bytes. The
 * event bus calls {@link #transform} once per consumer, synchronously inside {@code publish}/{@code send}, so each
 * consumer gets its own retained duplicates (reference counts, no copies) and the sender may release its buffers as
 * soon as the call returns.
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
    return batch.retainedDuplicates();
  }
}
