package org.rengarde.bus;

import io.netty.channel.EventLoop;
import io.vertx.core.Handler;
import io.vertx.core.ThreadingModel;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;
import io.vertx.core.impl.EventLoopExecutor;
import io.vertx.core.impl.VertxImpl;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.EventExecutor;

import java.util.logging.Logger;

/**
 * The consumers of the datagram addresses (uplink, downlink). Two jobs, both on Vert.x's internals, kept here:
 *
 * <p><b>Delivery on the sender's loop.</b> Vert.x queues every delivery as a task on the consumer's event loop, even
 * when the sender runs on that loop: the task runs only after the loop has read all its other ready sockets. In the
 * lab at 5 pings a second, perf trace showed the client's first copy of a reply waiting there for the reads of the
 * other links' copies before it went to WireGuard (perf trace inflates every system call; untraced each such read
 * costs a few microseconds, and the benchmark's delay moved by less than its noise). A datagram consumer is therefore registered on
 * a context of its verticle's event loop, deployment, worker pool and class loader whose executor runs a delivery at
 * once when it is made on that loop (and queues it, as Vert.x does, from any other thread). The message still
 * crosses the event bus (codec, interceptors, metrics, handler lookup); only the queueing is gone. Vert.x 5.0 has no
 * public API for a context's executor: {@code VertxImpl.createContext} with an {@link EventExecutor} is the one used
 * by Vert.x itself. Where Vert.x is not {@code VertxImpl}, the consumer is registered as usual (queued) and this is
 * logged once.
 *
 * <p><b>Releasing what is discarded.</b> Each delivery carries a hold on its batch; one still queued when its
 * consumer is unregistered (a link stopping under traffic) is discarded without reaching the handler, so the discard
 * must release it too, or the batch's buffers leak.
 */
public final class DatagramConsumers {
  private static final Logger LOG = Logger.getLogger(DatagramConsumers.class.getName());
  private static volatile boolean queuedLogged;

  private DatagramConsumers() {
  }

  /**
   * A consumer of {@code address} whose deliveries made on the current context's event loop run at once. Call on
   * the verticle's context (its event loop).
   */
  public static MessageConsumer<DatagramBatch> onThisLoop(EventBus bus, String address,
                                                          Handler<Message<DatagramBatch>> handler) {
    ContextInternal current = ContextInternal.current();
    if (current == null || !current.isEventLoopContext() || !(current.owner() instanceof VertxImpl vertx)) {
      if (!queuedLogged) {
        queuedLogged = true;
        LOG.info("Datagram deliveries are queued on the event loop (no Vert.x event-loop context to deliver on)");
      }
      return releasingDiscarded(bus.consumer(address, handler));
    }
    EventLoop loop = current.nettyEventLoop();
    ContextInternal sameLoop = vertx.createContext(ThreadingModel.EVENT_LOOP, new EventLoopExecutor(loop),
        new SameLoopExecutor(loop), current.workerPool(), current.closeFuture(), current.deployment(),
        current.classLoader());
    // the bus registers a consumer on the context current when it is made
    ContextInternal previous = sameLoop.beginDispatch();
    try {
      return releasingDiscarded(bus.consumer(address, handler));
    } finally {
      sameLoop.endDispatch(previous);
    }
  }

  public static MessageConsumer<DatagramBatch> releasingDiscarded(MessageConsumer<DatagramBatch> consumer) {
    if (consumer instanceof MessageConsumerImpl<DatagramBatch> impl) {
      impl.discardHandler(m -> m.body().release());
    }
    return consumer;
  }

  /** Runs a task at once on its loop, queues it there from any other thread. */
  private record SameLoopExecutor(EventLoop loop) implements EventExecutor {
    @Override
    public boolean inThread() {
      return loop.inEventLoop();
    }

    @Override
    public void execute(Runnable command) {
      if (loop.inEventLoop()) {
        command.run();
      } else {
        loop.execute(command);
      }
    }
  }
}
