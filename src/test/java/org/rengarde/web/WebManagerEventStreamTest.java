package org.rengarde.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event stream: at most {@link EventStreams#MAX_STREAMS} at once, slots freed on close, dead readers closed. */
class WebManagerEventStreamTest extends WebManagerTestSupport {

  /** Opens an event stream on a raw socket and reads its head; the socket stays open, unread. */
  private static Socket openStream(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(5000);
    s.getOutputStream().write("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    int status = RawHttp.head(s.getInputStream());
    assertEquals(200, status, "stream " + port);
    return s;
  }

  private static RawHttp.Reply oneMore(int port) throws IOException {
    return RawHttp.exchange(port, "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close");
  }

  @Test
  void pastTheCapA503AndASlotIsFreedWhenAStreamCloses() throws Exception {
    ServerSetup server = startServer("", "");
    List<Socket> streams = new ArrayList<>();
    try {
      for (int i = 0; i < EventStreams.MAX_STREAMS; i++) {
        streams.add(openStream(server.webPort()));
      }
      RawHttp.Reply refused = oneMore(server.webPort());
      assertEquals(503, refused.status(), refused.toString());
      assertNotNull(refused.header("Retry-After"));
      assertTrue(refused.header("Content-Type").startsWith("application/json"));
      assertTrue(refused.json().getString("error").contains("too many event streams"), refused.toString());
      assertEquals(200, RawHttp.exchange(server.webPort(), "GET /api/v1/get-list HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close").status(), "get-list still answers");

      streams.remove(0).close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      Socket again = null;
      while (again == null && System.nanoTime() < deadline) {
        try {
          again = openStream(server.webPort());
        } catch (AssertionError stillFull) {
          Thread.sleep(50);
        }
      }
      assertNotNull(again, "the closed stream's slot was not freed");
      streams.add(again);
    } finally {
      for (Socket s : streams) {
        s.close();
      }
    }
  }

  @Test
  void anHttp10ClientGetsAStreamToo() throws Exception {
    ServerSetup server = startServer("", "");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.webPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET /api/v1/events HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      assertEquals(200, RawHttp.head(in));
      byte[] first = in.readNBytes("retry: 1000\n\ndata: {".length());
      assertEquals("retry: 1000\n\ndata: {", new String(first, StandardCharsets.US_ASCII));
    }
  }

  /**
   * A client that stops reading: pushes of 16 KiB every 20 ms fill its socket and then the write queue, and
   * three stalled pushes close it. A client that reads from the same server keeps its stream.
   */
  @Test
  void aStreamWhoseClientStopsReadingIsClosed() throws Exception {
    EventStreams streams = new EventStreams(4);
    HttpServer server = await(vertx.createHttpServer(new HttpServerOptions().setSendBufferSize(64 * 1024))
        .requestHandler(request -> streams.open(request.response()))
        .listen(0, "127.0.0.1"));
    Buffer event = Buffer.buffer("data: " + "x".repeat(16 * 1024) + "\n\n");
    long timer = vertx.setPeriodic(20, id -> streams.push(event));
    try {
      try (Socket dead = new Socket(); Socket live = new Socket()) {
        dead.setReceiveBufferSize(4096);
        dead.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.actualPort()));
        dead.getOutputStream().write(EVENTS_REQUEST);
        live.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.actualPort()));
        live.getOutputStream().write(EVENTS_REQUEST);
        CompletableFuture<Long> liveRead = drain(live);
        assertTrue(waitFor(() -> streams.size() == 2), "both streams opened");
        assertTrue(waitFor(() -> streams.size() == 1), "the dead stream was closed");
        assertTrue(closedByServer(dead), "the dead client's connection is closed");
        assertEquals(1, streams.size(), "the live one is kept");
        assertTrue(!liveRead.isDone(), "the reading client's connection is still open");
      }
      assertTrue(waitFor(() -> streams.size() == 0), "the live stream's slot is freed when its client leaves");
    } finally {
      vertx.cancelTimer(timer);
      await(server.close());
    }
  }

  private static final byte[] EVENTS_REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  /** Whether {@code condition} holds within 10 s, looked at every 20 ms. */
  private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** Reads {@code s} until it closes, on another thread; completes with the bytes read. */
  private static CompletableFuture<Long> drain(Socket s) {
    return CompletableFuture.supplyAsync(() -> {
      long total = 0;
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = s.getInputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          total += n;
        }
      } catch (IOException closed) {
        // the test closed it
      }
      return total;
    });
  }

  /** Reads what the server had sent before it closed; true when the stream ends (EOF or reset). */
  private static boolean closedByServer(Socket s) throws IOException {
    s.setSoTimeout(5000);
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = s.getInputStream()) {
      while (in.read(buf) >= 0) {
        // what was queued before the close
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
