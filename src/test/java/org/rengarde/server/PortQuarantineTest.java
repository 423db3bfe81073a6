package org.rengarde.server;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortQuarantineTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 7_000 * SECOND;
  private static final InetSocketAddress PORT = new InetSocketAddress("127.0.0.1", 41000);
  private static final InetSocketAddress OTHER_PORT = new InetSocketAddress("127.0.0.1", 41001);

  private final PortQuarantine quarantine = new PortQuarantine();

  @Test
  void releasedPortIsHeldFor180Seconds() {
    quarantine.hold(PORT, T0);
    assertTrue(quarantine.isHeld(PORT, T0 + 180 * SECOND - 1));
    assertFalse(quarantine.isHeld(PORT, T0 + 180 * SECOND));
  }

  @Test
  void holdIsForThatPortOnly() {
    quarantine.hold(PORT, T0);
    assertFalse(quarantine.isHeld(OTHER_PORT, T0));
  }

  @Test
  void holdOnPortZeroHoldsEveryPortOfTheAddress() {
    quarantine.hold(new InetSocketAddress("127.0.1.1", 0), T0);
    assertTrue(quarantine.isHeld(new InetSocketAddress("127.0.1.1", 5555), T0));
    assertFalse(quarantine.isHeld(new InetSocketAddress("127.0.1.2", 5555), T0));
  }

  @Test
  void secondHoldRestartsTheTime() {
    quarantine.hold(PORT, T0);
    quarantine.hold(PORT, T0 + 100 * SECOND);
    assertTrue(quarantine.isHeld(PORT, T0 + 200 * SECOND));
    assertFalse(quarantine.isHeld(PORT, T0 + 280 * SECOND));
  }

  @Test
  void expiredHoldsAreForgotten() {
    quarantine.hold(PORT, T0);
    quarantine.hold(OTHER_PORT, T0 + SECOND);
    quarantine.isHeld(PORT, T0 + 180 * SECOND);
    assertEquals(1, quarantine.size());
    quarantine.isHeld(PORT, T0 + 181 * SECOND);
    assertEquals(0, quarantine.size());
  }
}
