package org.rengarde.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rengarde.bus.BusAddresses;
import org.rengarde.bus.DatagramBatch;
import org.rengarde.bus.DatagramCodec;
import org.rengarde.config.HostPort;
import org.rengarde.link.UdpSocketOptions;
import org.rengarde.testing.UdpPeer;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A link on loopback reports how its socket is bound ({@code stats.binding}), and one bound to its address only still
 * carries datagrams from the server to the Dispatcher.
 */
@ExtendWith(VertxExtension.class)
class LinkVerticleBindingTest {
  private Vertx vertx;
  private UdpPeer server;

  @AfterEach
  void tearDown(VertxTestContext test) {
    if (server != null) {
      server.close();
    }
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private Future<JsonObject> deployLink(boolean nativeTransport, boolean bindToDevice) throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(nativeTransport));
    DatagramCodec.register(vertx.eventBus());
    server = new UdpPeer();
    Inet4Address loopback = (Inet4Address) InetAddress.getByName("127.0.0.1");
    int index = NetworkInterface.getByInetAddress(loopback).getIndex();
    InetSocketAddress destination = new InetSocketAddress(loopback, server.port());
    LinkSpec spec = new LinkSpec("lo", index, loopback, new HostPort("127.0.0.1", server.port()), destination);
    return vertx.deployVerticle(new LinkVerticle(BusAddresses.DEFAULT, spec, 0, UdpSocketOptions.DEFAULT_SEND_QUEUE_BYTES, null,
            bindToDevice))
        .compose(id -> vertx.eventBus().<JsonObject>request(BusAddresses.DEFAULT.linkStats("lo"), null))
        .map(reply -> reply.body());
  }

  @Test
  void aLinkIsBoundToItsDeviceByDefault(VertxTestContext test) throws Exception {
    deployLink(true, true).onComplete(test.succeeding(stats -> test.verify(() -> {
      assertEquals("device", stats.getJsonObject("stats").getString("binding"));
      test.completeNow();
    })));
  }

  @Test
  void bindToDeviceOffBindsToTheAddressOnly(VertxTestContext test) throws Exception {
    deployLink(true, false).onComplete(test.succeeding(stats -> test.verify(() -> {
      assertEquals("address", stats.getJsonObject("stats").getString("binding"));
      test.completeNow();
    })));
  }

  @Test
  void withoutTheNativeTransportALinkBindsToTheAddressOnly(VertxTestContext test) throws Exception {
    deployLink(false, true).onComplete(test.succeeding(stats -> test.verify(() -> {
      assertEquals("address", stats.getJsonObject("stats").getString("binding"));
      test.completeNow();
    })));
  }

  @Test
  void aLinkBoundToItsAddressOnlyHandsOnWhatTheServerSends(VertxTestContext test) throws Exception {
    byte[] datagram = {4, 0, 0, 0, 1, 2, 3};
    deployLink(false, true).onComplete(test.succeeding(stats -> {
      vertx.eventBus().<DatagramBatch>consumer(BusAddresses.DEFAULT.downlink(), m -> test.verify(() -> {
        DatagramBatch batch = m.body();
        assertEquals(1, batch.size());
        assertEquals(datagram.length, batch.get(0).readableBytes());
        batch.release();
        test.completeNow();
      })).completion().onComplete(test.succeeding(v -> vertx.executeBlocking(() -> {
        server.send(datagram, new InetSocketAddress("127.0.0.1", stats.getInteger("localPort")));
        return null;
      })));
    }));
  }
}
