package org.rengarde.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rengarde.testing.UdpPeer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When what a socket was asked to send reaches the kernel: at the end of the read batch that caused it, not after
 * the loop's other ready sockets (a first copy must not wait for the reads of its duplicates on the other links).
 */
@ExtendWith(VertxExtension.class)
class UdpSocketFlushTest {
  private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private Vertx vertx;
  private Context context;
  private UdpPeer sink;
  private UdpPeer sender;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    assertTrue(vertx.isNativeTransportEnabled(), "these tests need the native epoll transport");
    context = vertx.getOrCreateContext();
    sink = new UdpPeer();
    sender = new UdpPeer();
  }

  @AfterEach
  void tearDown(VertxTestContext test) {
    sink.close();
    sender.close();
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private Future<UdpSocket> open(UdpSocketOptions options, UdpSocket.Receiver receiver) {
    return UdpSocket.open(context, true, options, receiver, (f, c) -> { }, () -> { });
  }

  /**
   * Two sockets ready in the same turn of the loop, each forwarding what it reads to a third: when the second is
   * read, the first one's forward has already been offered to the kernel.
   */
  @Test
  void aReadBatchsSendsLeaveBeforeTheNextReadySocketIsRead(VertxTestContext test) {
    UdpSocket[] out = new UdpSocket[1];
    List<Long> offeredAtRead = new CopyOnWriteArrayList<>();
    UdpSocket.Receiver forward = (content, from) -> {
      offeredAtRead.add(out[0].offered());
      out[0].send(UdpSocket.keep(content));
    };
    open(UdpSocketOptions.bind(ANY_LOOPBACK).connectedTo(sink.address()), (c, f) -> { })
        .compose(o -> {
          out[0] = o;
          return open(UdpSocketOptions.bind(ANY_LOOPBACK), forward);
        })
        .compose(a -> open(UdpSocketOptions.bind(ANY_LOOPBACK), forward).map(b -> new UdpSocket[] {a, b}))
        .onComplete(test.succeeding(in -> {
          // both datagrams wait in the kernel while the loop sleeps, so one turn finds both sockets ready
          CountDownLatch sleeping = new CountDownLatch(1);
          context.runOnContext(v -> {
            sleeping.countDown();
            sleep(200);
          });
          vertx.executeBlocking(() -> {
            sleeping.await();
            sender.send(new byte[] {1}, in[0].localAddress());
            sender.send(new byte[] {2}, in[1].localAddress());
            return sink.drain(2, 300);
          }).onComplete(test.succeeding(got -> {
            test.verify(() -> {
              assertEquals(2, got.size());
              assertEquals(List.of(0L, 1L), offeredAtRead,
                  "the second socket's read saw the first socket's forward already offered");
            });
            test.completeNow();
          }));
        }));
  }

  /** A bus handler that has sent its whole batch flushes at once; nothing waits for the loop's task. */
  @Test
  void flushWrittenOffersWhatWasSentAtOnce(VertxTestContext test) {
    open(UdpSocketOptions.bind(ANY_LOOPBACK).connectedTo(sink.address()), (c, f) -> { })
        .onComplete(test.succeeding(socket -> context.runOnContext(v -> {
          socket.send(datagram(3));
          socket.send(datagram(4));
          long before = socket.offered();
          UdpSocket.flushWritten();
          long after = socket.offered();
          test.verify(() -> {
            assertEquals(0, before, "not yet flushed right after the sends");
            assertEquals(2, after);
          });
          test.completeNow();
        })));
  }

  /** A send from a timer, with no read batch around it, is still flushed by the loop's task. */
  @Test
  void aSendOutsideAReadBatchIsFlushedByTheLoop(VertxTestContext test) {
    open(UdpSocketOptions.bind(ANY_LOOPBACK).connectedTo(sink.address()), (c, f) -> { })
        .onComplete(test.succeeding(socket -> vertx.setTimer(10, id -> {
          socket.send(datagram(5));
          vertx.executeBlocking(() -> sink.drain(1, 300)).onComplete(test.succeeding(got -> {
            test.verify(() -> {
              assertEquals(1, got.size());
              assertEquals(1, socket.offered());
            });
            test.completeNow();
          }));
        })));
  }

  private static ByteBuf datagram(int value) {
    return Unpooled.directBuffer(1).writeByte(value);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
