package org.rengarde.bus;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;

/**
 * Datagram consumers own the hold on the batch each delivery carries. Vert.x queues every delivery; one still
 * queued when its consumer is unregistered (a link stopping under traffic) is discarded without reaching the
 * handler, so the discard must release it too, or the batch's buffers leak.
 */
public final class DatagramConsumers {

  private DatagramConsumers() {
  }

  public static MessageConsumer<DatagramBatch> releasingDiscarded(MessageConsumer<DatagramBatch> consumer) {
    if (consumer instanceof MessageConsumerImpl<DatagramBatch> impl) {
      impl.discardHandler(m -> m.body().release());
    }
    return consumer;
  }
}
