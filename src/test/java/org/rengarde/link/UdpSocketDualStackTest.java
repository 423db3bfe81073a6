package org.rengarde.link;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rengarde.testing.UdpPeer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A socket on {@code [::]} with the native transport: it takes IPv4 and IPv6 senders, reports an IPv4 sender as
 * the plain IPv4 address (one client address, one key), and tells the local address an IPv4 datagram was sent to
 * but not an IPv6 one (Netty 4.2.9 reads IP_ORIGDSTADDR only): the reason the server binds a socket to each local
 * IPv6 address. Should Netty learn IPV6_ORIGDSTADDR, the last assertion fails and those sockets can go.
 */
@ExtendWith(VertxExtension.class)
class UdpSocketDualStackTest {
  private record Arrival(InetSocketAddress sender, InetSocketAddress recipient) {
  }

  private Vertx vertx;
  private Context context;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    assertTrue(vertx.isNativeTransportEnabled(), "these tests need the native epoll transport");
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void aWildcardIpv6SocketTakesBothFamilies(VertxTestContext test) throws Exception {
    List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    UdpSocket[] socket = new UdpSocket[1];
    socket[0] = UdpSocket.open(context, true,
        UdpSocketOptions.bind(new InetSocketAddress("::", 0)).sharingPort().learningDestination().coalescingReads(),
        (content, sender) -> arrivals.add(new Arrival(sender, socket[0].lastRecipient())), (f, c) -> { })
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    int port = socket[0].localAddress().getPort();
    try (UdpPeer v4 = new UdpPeer(InetAddress.getByName("127.0.0.1"));
         UdpPeer v6 = new UdpPeer(InetAddress.getByName("::1"))) {
      v4.send(new byte[] {1}, new InetSocketAddress("127.0.0.6", port));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (arrivals.isEmpty() && System.nanoTime() < end) {
        Thread.sleep(5);
      }
      v6.send(new byte[] {2}, new InetSocketAddress("::1", port));
      while (arrivals.size() < 2 && System.nanoTime() < end) {
        Thread.sleep(5);
      }
      test.verify(() -> {
        assertEquals(2, arrivals.size());
        Arrival a = arrivals.get(0);
        assertInstanceOf(Inet4Address.class, a.sender().getAddress(), "an IPv4 sender is not IPv4-mapped");
        assertEquals(v4.address(), a.sender());
        assertEquals(new InetSocketAddress("127.0.0.6", port), a.recipient(), "IP_ORIGDSTADDR on a dual-stack socket");
        Arrival b = arrivals.get(1);
        assertInstanceOf(Inet6Address.class, b.sender().getAddress());
        assertEquals(v6.address(), b.sender());
        assertTrue(b.recipient().getAddress().isAnyLocalAddress(), "IPv6: only the socket's own address is known");
      });
    }
    test.completeNow();
  }
}
