package org.rengarde.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chunks {@link UdpSocket#keep} puts small datagrams in: every kept datagram shares its chunk's one reference
 * count, so what must hold is that a chunk's memory goes back to the pool only when its last datagram is released,
 * and that a datagram kept long (a send queued behind a slow link) keeps its bytes while its chunk's other datagrams
 * are released and later chunks are made and freed from the same pool, reusing memory.
 */
class KeptBytesTest {
  private static final int DATAGRAMS = 3000;

  @Test
  void keptDatagramsKeepTheirBytesAcrossChunkTurnoverAndTheirChunksGoBackWithTheLast() throws Exception {
    PooledByteBufAllocator pool = new PooledByteBufAllocator(true);
    long[] activeAfter = new long[2];
    onLoopThread(() -> {
      Random random = new Random(11);
      List<ByteBuf> held = new ArrayList<>();
      List<byte[]> expected = new ArrayList<>();
      for (int i = 0; i < DATAGRAMS; i++) {
        byte[] bytes = new byte[1 + random.nextInt(1500)];
        random.nextBytes(bytes);
        ByteBuf read = Unpooled.directBuffer(4096).writeZero(100).writeBytes(bytes);
        ByteBuf kept = KeptBytes.copy(pool, read.readerIndex(100));
        read.release();
        if (i % 97 == 0) {
          held.add(kept); // held across dozens of chunks made and freed after its own
          expected.add(bytes);
        } else {
          assertArrayEquals(bytes, ByteBufUtil.getBytes(kept), "datagram " + i);
          kept.release();
        }
      }
      for (int j = 0; j < held.size(); j++) {
        assertArrayEquals(expected.get(j), ByteBufUtil.getBytes(held.get(j)), "held datagram " + j);
      }
      activeAfter[0] = active(pool);
      for (ByteBuf b : held) {
        b.release();
      }
      FastThreadLocal.removeAll();
      activeAfter[1] = active(pool);
    });
    // 3,000 datagrams of 750 bytes on average fill some 35 chunks of 64 KiB; 31 are held by one datagram each, and
    // the one being filled: at most 32 live while held, none once all are released
    assertTrue(activeAfter[0] >= 20 && activeAfter[0] <= 32, "chunks live while datagrams are held: " + activeAfter[0]);
    assertEquals(0, activeAfter[1], "chunks live after every datagram was released");
  }

  /**
   * What waits in a backlogged send queue leaves its chunk: a kept datagram becomes a buffer of its own with the
   * same bytes and lets go of the chunk (which goes back once the loop stops filling it), while a buffer that is
   * already alone, or larger than what is ever moved, is sent as it is.
   */
  @Test
  void aDatagramQueuedBehindABacklogLetsGoOfItsChunk() throws Exception {
    PooledByteBufAllocator pool = new PooledByteBufAllocator(true);
    long[] active = new long[2];
    onLoopThread(() -> {
      byte[] bytes = new byte[100];
      new Random(3).nextBytes(bytes);
      ByteBuf read = Unpooled.directBuffer(4096).writeBytes(bytes);
      ByteBuf kept = KeptBytes.copy(pool, read);
      read.release();
      FastThreadLocal.removeAll(); // the loop stops filling the chunk: only the kept datagram holds it
      active[0] = active(pool);
      ByteBuf alone = UdpSocket.detached(kept);
      active[1] = active(pool);
      assertEquals(0, kept.refCnt(), "the chunk's datagram was released");
      assertArrayEquals(bytes, ByteBufUtil.getBytes(alone));
      assertEquals(100, alone.capacity(), "a buffer of the datagram's own size");
      assertTrue(UdpSocket.detached(alone) == alone, "a buffer already alone is sent as it is");
      alone.release();
      ByteBuf large = Unpooled.directBuffer(20_000).writeZero(20_000);
      ByteBuf slice = large.retainedSlice(0, 9_000);
      assertTrue(UdpSocket.detached(slice) == slice, "a datagram larger than 8 KiB is never moved");
      slice.release();
      large.release();
    });
    // the copy comes from the packet path's own pool; the chunk was made in this test's
    assertEquals(1, active[0], "the chunk, held by its one datagram");
    assertEquals(0, active[1], "the chunk went back once its datagram left it");
  }

  /**
   * Runs {@code body} on a thread of its own, as a loop would (the chunk being filled is per thread, and
   * {@link FastThreadLocal#removeAll} hands it back), and fails with what it threw.
   */
  private static void onLoopThread(ThrowingRunnable body) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread loop = new FastThreadLocalThread(() -> {
      try {
        body.run();
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    loop.start();
    loop.join();
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static long active(PooledByteBufAllocator pool) {
    long n = 0;
    for (PoolArenaMetric arena : pool.metric().directArenas()) {
      n += arena.numActiveAllocations();
    }
    return n;
  }
}
