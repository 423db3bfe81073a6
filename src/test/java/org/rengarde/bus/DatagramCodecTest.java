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
  void aPublishGivesEachConsumerItsOwnReferenceAndTheSenderMayReleaseAtOnce(Vertx vertx, VertxTestContext test) {
    DatagramCodec.register(vertx.eventBus());
    DatagramCodec.register(vertx.eventBus());
    AtomicInteger delivered = new AtomicInteger();
    ByteBuf original = PooledByteBufAllocator.DEFAULT.directBuffer(1400);
    for (int i = 0; i < 1400; i++) {
      original.writeByte(i);
    }
    vertx.runOnContext(v -> {
      for (int c = 0; c < 3; c++) {
        vertx.eventBus().<Datagram>consumer("test.uplink", m -> test.verify(() -> {
          ByteBuf mine = m.body().buffer();
          assertEquals(1400, mine.readableBytes());
          for (int i = 0; i < 1400; i++) {
            assertEquals((byte) i, mine.getByte(mine.readerIndex() + i));
          }
          assertEquals(7, m.body().link());
          mine.release();
          if (delivered.incrementAndGet() == 3) {
            assertEquals(0, original.refCnt(), "every reference released: nothing leaks");
            test.completeNow();
          }
        }));
      }
      vertx.eventBus().publish("test.uplink", new Datagram(original, 7));
      assertEquals(4, original.refCnt(), "three retained duplicates plus the sender's own");
      original.release();
    });
  }

  @Test
  void aSendToNobodyTakesNoReference(Vertx vertx, VertxTestContext test) {
    DatagramCodec.register(vertx.eventBus());
    ByteBuf original = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeZero(64);
    vertx.runOnContext(v -> test.verify(() -> {
      vertx.eventBus().send("test.nobody", new Datagram(original, 0));
      assertEquals(1, original.refCnt());
      original.release();
      test.completeNow();
    }));
  }
}
