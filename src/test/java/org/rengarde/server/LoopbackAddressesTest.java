package org.rengarde.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackAddressesTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 3_000 * SECOND;

  private final LoopbackAddresses addresses = new LoopbackAddresses();

  private static String text(InetAddress a) {
    return a.getHostAddress();
  }

  @Test
  void firstAddressIsOutside127Dot0Dot0() {
    assertEquals("127.0.1.1", text(addresses.acquire(T0)));
  }

  @Test
  void hostPartsZeroAnd255AreSkipped() {
    String last = null;
    for (int i = 0; i < 255; i++) {
      last = text(addresses.acquire(T0));
      assertTrue(!last.endsWith(".0") && !last.endsWith(".255"), last);
    }
    assertEquals("127.0.2.1", last);
  }

  @Test
  void sequenceIsTheSameForEveryAllocator() {
    LoopbackAddresses other = new LoopbackAddresses();
    for (int i = 0; i < 600; i++) {
      assertEquals(addresses.acquire(T0), other.acquire(T0));
    }
  }

  @Test
  void addressesInUseAreDistinct() {
    Set<InetAddress> seen = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      assertTrue(seen.add(addresses.acquire(T0)));
    }
    assertEquals(5000, addresses.inUse());
  }

  @Test
  void sequenceWrapsFromTheLastAddressToTheFirst() {
    LoopbackAddresses atEnd = new LoopbackAddresses(new PortQuarantine(), LoopbackAddresses.END - 1);
    assertEquals("127.255.255.254", text(atEnd.acquire(T0)));
    assertEquals("127.0.1.1", text(atEnd.acquire(T0)));
  }

  @Test
  void releasedAddressIsSkippedWhileHeld() {
    PortQuarantine quarantine = new PortQuarantine();
    LoopbackAddresses first = new LoopbackAddresses(quarantine, LoopbackAddresses.END - 1);
    first.release(first.acquire(T0), T0);
    LoopbackAddresses again = new LoopbackAddresses(quarantine, LoopbackAddresses.END - 1);
    assertEquals("127.0.1.1", text(again.acquire(T0 + 179 * SECOND)));
  }

  @Test
  void releasedAddressIsGivenAgainOnceItsHoldIsOver() {
    PortQuarantine quarantine = new PortQuarantine();
    LoopbackAddresses first = new LoopbackAddresses(quarantine, LoopbackAddresses.END - 1);
    first.release(first.acquire(T0), T0);
    LoopbackAddresses again = new LoopbackAddresses(quarantine, LoopbackAddresses.END - 1);
    assertEquals("127.255.255.254", text(again.acquire(T0 + 180 * SECOND)));
  }

  @Test
  void releasedAddressIsHeldOnEveryPort() {
    PortQuarantine quarantine = new PortQuarantine();
    LoopbackAddresses one = new LoopbackAddresses(quarantine);
    InetAddress first = one.acquire(T0);
    one.release(first, T0);
    assertTrue(quarantine.isHeld(new InetSocketAddress(first, 12345), T0 + 179 * SECOND));
  }

  @Test
  void anAddressWhoseSocketNeverOpenedIsNotHeld() {
    PortQuarantine quarantine = new PortQuarantine();
    LoopbackAddresses first = new LoopbackAddresses(quarantine, LoopbackAddresses.END - 1);
    first.release(first.acquire(T0), T0, false);
    assertEquals(0, quarantine.size(), "socket failures under a flood fill no quarantine");
    LoopbackAddresses again = new LoopbackAddresses(quarantine, LoopbackAddresses.END - 1);
    assertEquals("127.255.255.254", text(again.acquire(T0 + SECOND)));
  }

  @Test
  void releasingAnAddressNotGivenHereIsRefused() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> addresses.release(InetAddress.getByName("127.0.0.1"), T0));
    assertThrows(IllegalArgumentException.class, () -> addresses.release(InetAddress.getByName("127.0.1.7"), T0));
    assertThrows(IllegalArgumentException.class, () -> addresses.release(InetAddress.getByName("10.0.0.1"), T0));
    assertThrows(IllegalArgumentException.class, () -> addresses.release(InetAddress.getByName("::1"), T0));
  }
}
