package org.rengarde.bus;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Datagram consumers: a delivery made on the consumer's own event loop runs inside the send (no queued task); from
 * any other thread it is queued on that loop as Vert.x does; holds are released whichever way.
 */
@ExtendWith(VertxExtension.class)
class DatagramConsumersTest {
  private static final String ADDRESS = "test.datagrams";

  private static DatagramBatch batchOf(ByteBuf datagram) {
    return new DatagramBatch(new ByteBuf[] {datagram}, 0); // the batch takes the datagram's reference
  }

  /** Deploys a verticle that registers the consumer; its context is the consumer's loop. */
  private static final class Holder extends AbstractVerticle {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    MessageConsumer<DatagramBatch> consumer;
    Context own;

    @Override
    public void start() {
      own = context;
      DatagramCodec.register(vertx.eventBus());
      consumer = DatagramConsumers.onThisLoop(vertx.eventBus(), ADDRESS, m -> {
        threads.add(Thread.currentThread());
        events.add("delivered " + m.body().get(0).getByte(0));
        m.body().release();
      });
    }
  }

  @Test
  void aSendOnTheConsumersLoopIsDeliveredInsideTheSend(Vertx vertx, VertxTestContext test) {
    Holder holder = new Holder();
    ByteBuf datagram = Unpooled.directBuffer(1).writeByte(7);
    vertx.deployVerticle(holder).onComplete(test.succeeding(id -> holder.own.runOnContext(v -> {
      DatagramBatch batch = batchOf(datagram);
      vertx.eventBus().send(ADDRESS, batch);
      holder.events.add("send returned");
      batch.release();
      test.verify(() -> {
        assertEquals(List.of("delivered 7", "send returned"), holder.events);
        assertEquals(0, datagram.refCnt(), "the consumer's hold and the sender's are both released");
      });
      test.completeNow();
    })));
  }

  @Test
  void aSendFromAnotherThreadIsQueuedOnTheConsumersLoop(Vertx vertx, VertxTestContext test) {
    Holder holder = new Holder();
    ByteBuf datagram = Unpooled.directBuffer(1).writeByte(8);
    AtomicReference<Thread> loopThread = new AtomicReference<>();
    AtomicReference<Thread> senderThread = new AtomicReference<>();
    vertx.deployVerticle(holder)
        .compose(id -> {
          holder.own.runOnContext(v -> loopThread.set(Thread.currentThread()));
          // a worker thread: not the consumer's loop
          return vertx.executeBlocking(() -> {
            senderThread.set(Thread.currentThread());
            DatagramBatch batch = batchOf(datagram);
            vertx.eventBus().send(ADDRESS, batch);
            batch.release();
            return null;
          });
        })
        .onComplete(test.succeeding(v -> vertx.setTimer(50, t -> {
          test.verify(() -> {
            // the loop may run the queued delivery before the sender's next line: only the thread is certain
            assertEquals(List.of("delivered 8"), holder.events);
            assertNotSame(senderThread.get(), holder.threads.get(0), "not run inside the sender's call");
            assertSame(loopThread.get(), holder.threads.get(0), "handled on the consumer's own loop");
            assertEquals(0, datagram.refCnt());
          });
          test.completeNow();
        })));
  }

  /** Undeploying unregisters the consumer (it shares the verticle's close hooks); later sends find no handler. */
  @Test
  void undeployingTheVerticleUnregistersTheConsumer(Vertx vertx, VertxTestContext test) {
    Holder holder = new Holder();
    vertx.deployVerticle(holder)
        .compose(vertx::undeploy)
        .onComplete(test.succeeding(v -> {
          ByteBuf datagram = Unpooled.directBuffer(1).writeByte(9);
          DatagramBatch batch = batchOf(datagram);
          vertx.eventBus().send(ADDRESS, batch);
          batch.release();
          test.verify(() -> {
            assertTrue(holder.events.isEmpty());
            assertFalse(holder.consumer.isRegistered());
            assertEquals(0, datagram.refCnt());
          });
          test.completeNow();
        }));
  }
}
