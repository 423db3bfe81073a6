package org.rengarde.link;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which failures of SO_BINDTODEVICE let a link fall back to its address (the transport or the process cannot) and
 * which fail it (the interface is not there), and the binding a link asks for.
 */
@ExtendWith(VertxExtension.class)
class DeviceBindingTest {
  private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  }

  @AfterEach
  void tearDown(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private io.vertx.core.Future<UdpSocket> open(boolean nativeTransport, String device) {
    return UdpSocket.open(vertx.getOrCreateContext(), nativeTransport, UdpSocketOptions.bind(LOOPBACK).onDevice(device),
        (content, sender) -> { }, (failure, cause) -> { });
  }

  @Test
  void withoutTheNativeTransportDeviceBindingIsRefused(VertxTestContext test) {
    open(false, "lo").onComplete(test.failing(e -> test.verify(() -> {
      assertInstanceOf(DeviceBindingRefused.class, e, e.toString());
      test.completeNow();
    })));
  }

  @Test
  void theNativeTransportBindsToTheDevice(VertxTestContext test) {
    open(true, "lo").compose(s -> s.close(vertx.getOrCreateContext())).onComplete(test.succeedingThenComplete());
  }

  @Test
  void aMissingDeviceFailsTheSocketWithoutFallingBack(VertxTestContext test) {
    open(true, "rgbnosuch0").onComplete(test.failing(e -> test.verify(() -> {
      assertInstanceOf(IllegalStateException.class, e);
      assertFalse(e instanceof DeviceBindingRefused, e.getMessage());
      assertTrue(e.getMessage().contains("No such device"), e.getMessage());
      test.completeNow();
    })));
  }

  @Test
  void configuredOffMeansTheAddressOnly() {
    assertEquals(Binding.ADDRESS, DeviceBinding.wanted(false, true));
  }

  @Test
  void withoutTheNativeTransportALinkAsksForTheAddressOnly() {
    assertEquals(Binding.ADDRESS, DeviceBinding.wanted(true, false));
  }

  @Test
  void theLabelsAreTheStatsValues() {
    assertEquals("device", Binding.DEVICE.label());
    assertEquals("address", Binding.ADDRESS.label());
  }
}
