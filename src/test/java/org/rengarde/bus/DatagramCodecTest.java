package org.rengarde.bus;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The ownership contract of datagrams on the event bus: one reference per consumer, the sender's freed at once. */
@ExtendWith(VertxExtension.class)
class DatagramCodecTest {

  @Test
  void aPublishGivesEachConsumerItsOwnHoldAndTheSenderMayReleaseAtOnce(Vertx vertx, VertxTestContext test) {
    DatagramCodec.register(vertx.eventBus());
    DatagramCodec.register(vertx.eventBus());
    AtomicInteger delivered = new AtomicInteger();
    ByteBuf original = PooledByteBufAllocator.DEFAULT.directBuffer(1400);
    for (int i = 0; i < 1400; i++) {
      original.writeByte(i);
    }
    vertx.runOnContext(v -> {
      for (int c = 0; c < 3; c++) {
        vertx.eventBus().<DatagramBatch>consumer("test.uplink", m -> test.verify(() -> {
          assertEquals(1, m.body().size());
          ByteBuf mine = m.body().get(0);
          assertEquals(1400, mine.readableBytes());
          for (int i = 0; i < 1400; i++) {
            assertEquals((byte) i, mine.getByte(mine.readerIndex() + i));
          }
          assertEquals(7, m.body().link());
          ByteBuf sent = m.body().take(0);
          m.body().release();
          assertEquals(1400, sent.readableBytes(), "a reference taken outlives the consumer's hold");
          sent.release();
          if (delivered.incrementAndGet() == 3) {
            assertEquals(0, original.refCnt(), "every reference released: nothing leaks");
            test.completeNow();
          }
        }));
      }
      DatagramBatch batch = new DatagramBatch(new ByteBuf[] {original}, 7);
      vertx.eventBus().publish("test.uplink", batch);
      assertEquals(1, original.refCnt(), "one batch for every consumer: no reference per consumer");
      batch.release();
      assertEquals(1, original.refCnt(), "the consumers hold the batch still");
    });
  }

  @Test
  void aBatchOfManyDatagramsReachesEveryConsumerWhole(Vertx vertx, VertxTestContext test) {
    DatagramCodec.register(vertx.eventBus());
    ByteBuf[] datagrams = new ByteBuf[16];
    for (int i = 0; i < datagrams.length; i++) {
      datagrams[i] = PooledByteBufAllocator.DEFAULT.directBuffer(100).writeInt(i).writeZero(96);
    }
    AtomicInteger delivered = new AtomicInteger();
    vertx.runOnContext(v -> {
      for (int c = 0; c < 2; c++) {
        vertx.eventBus().<DatagramBatch>consumer("test.batch", m -> test.verify(() -> {
          assertEquals(16, m.body().size());
          for (int i = 0; i < 16; i++) {
            assertEquals(i, m.body().get(i).getInt(m.body().get(i).readerIndex()));
          }
          m.body().release();
          if (delivered.incrementAndGet() == 2) {
            for (ByteBuf b : datagrams) {
              assertEquals(0, b.refCnt());
            }
            test.completeNow();
          }
        }));
      }
      DatagramBatch batch = new DatagramBatch(datagrams, DatagramBatch.NO_LINK);
      vertx.eventBus().publish("test.batch", batch);
      batch.release();
    });
  }

  @Test
  void aSendToNobodyTakesNoReference(Vertx vertx, VertxTestContext test) {
    DatagramCodec.register(vertx.eventBus());
    ByteBuf original = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeZero(64);
    vertx.runOnContext(v -> test.verify(() -> {
      DatagramBatch batch = new DatagramBatch(new ByteBuf[] {original}, 0);
      vertx.eventBus().send("test.nobody", batch);
      assertEquals(1, original.refCnt());
      batch.release();
      assertEquals(0, original.refCnt(), "the sender's hold was the only one");
      test.completeNow();
    }));
  }
}
