package org.rengarde.server;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientAddressTableTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long TIMEOUT = 30 * SECOND;
  private static final long T0 = 5_000 * SECOND;

  private static final InetSocketAddress A = new InetSocketAddress("10.1.0.2", 40001);
  private static final InetSocketAddress B = new InetSocketAddress("10.2.0.2", 40002);
  private static final InetSocketAddress C = new InetSocketAddress("10.3.0.2", 40003);

  private final ClientAddressTable table = new ClientAddressTable(TIMEOUT);

  private List<String> expire(long now) {
    List<String> expired = new ArrayList<>();
    table.expire(now, c -> expired.add(c.text()));
    return expired;
  }

  private List<String> texts() {
    return table.all().stream().map(ClientAddress::text).toList();
  }

  @Test
  void addedAddressIsFound() {
    ClientAddress added = table.add(A, T0);
    assertSame(added, table.get(A));
  }

  @Test
  void unknownAddressIsNull() {
    table.add(A, T0);
    assertNull(table.get(B));
  }

  @Test
  void lookupIsByValueOfTheAddress() {
    ClientAddress added = table.add(A, T0);
    assertSame(added, table.get(new InetSocketAddress("10.1.0.2", 40001)));
  }

  @Test
  void samePortOtherIpIsAnotherClient() {
    table.add(A, T0);
    assertNull(table.get(new InetSocketAddress("10.9.0.2", 40001)));
  }

  @Test
  void addingAKnownAddressFails() {
    table.add(A, T0);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> table.add(A, T0 + 1));
    assertEquals("already known: 10.1.0.2:40001", e.getMessage());
  }

  @Test
  void textIsIpColonPort() {
    assertEquals("10.1.0.2:40001", table.add(A, T0).text());
  }

  @Test
  void addRecordsLastSeen() {
    assertEquals(T0, table.add(A, T0).lastSeenNanos());
  }

  @Test
  void liveJustBeforeTheTimeout() {
    ClientAddress a = table.add(A, T0);
    assertTrue(table.isLive(a, T0 + TIMEOUT - 1));
  }

  @Test
  void deadExactlyAtTheTimeout() {
    ClientAddress a = table.add(A, T0);
    assertFalse(table.isLive(a, T0 + TIMEOUT));
  }

  @Test
  void liveWhenJustHeard() {
    ClientAddress a = table.add(A, T0);
    assertTrue(table.isLive(a, T0));
  }

  @Test
  void seenRefreshesLiveness() {
    ClientAddress a = table.add(A, T0);
    a.seen(T0 + 20 * SECOND);
    assertTrue(table.isLive(a, T0 + TIMEOUT + 10 * SECOND));
  }

  @Test
  void seenUpdatesLastSeen() {
    ClientAddress a = table.add(A, T0);
    a.seen(T0 + 7);
    assertEquals(T0 + 7, a.lastSeenNanos());
  }

  @Test
  void newTimeoutApplies() {
    ClientAddress a = table.add(A, T0);
    table.setTimeoutNanos(5 * SECOND);
    assertFalse(table.isLive(a, T0 + 5 * SECOND));
  }

  @Test
  void orderIsFirstHeard() {
    table.add(B, T0);
    table.add(A, T0 + 1);
    table.add(C, T0 + 2);
    assertEquals(List.of("10.2.0.2:40002", "10.1.0.2:40001", "10.3.0.2:40003"), texts());
  }

  @Test
  void indexedAccessFollowsTheOrder() {
    table.add(B, T0);
    table.add(A, T0);
    assertEquals(2, table.size());
    assertEquals(B, table.at(0).address());
    assertEquals(A, table.at(1).address());
  }

  @Test
  void seenDoesNotReorder() {
    ClientAddress a = table.add(A, T0);
    table.add(B, T0 + 1);
    a.seen(T0 + 2);
    assertEquals(List.of("10.1.0.2:40001", "10.2.0.2:40002"), texts());
  }

  @Test
  void expireRemovesOnlySilentOnes() {
    table.add(A, T0);
    table.add(B, T0 + 10 * SECOND);
    table.add(C, T0);
    expire(T0 + TIMEOUT);
    assertEquals(List.of("10.2.0.2:40002"), texts());
  }

  @Test
  void expireReportsEachRemovedAddress() {
    table.add(A, T0);
    table.add(B, T0 + 10 * SECOND);
    table.add(C, T0);
    List<String> expired = expire(T0 + TIMEOUT);
    assertEquals(List.of("10.1.0.2:40001", "10.3.0.2:40003"), expired.stream().sorted().toList());
  }

  @Test
  void expiredAddressIsNoLongerFound() {
    table.add(A, T0);
    expire(T0 + TIMEOUT);
    assertNull(table.get(A));
  }

  @Test
  void expiredAddressCanBeAddedAgain() {
    table.add(A, T0);
    expire(T0 + TIMEOUT);
    ClientAddress again = table.add(A, T0 + TIMEOUT + 1);
    assertSame(again, table.get(A));
  }

  @Test
  void expireKeepsTheOrderOfSurvivors() {
    table.add(A, T0 + 1);
    table.add(B, T0);
    table.add(C, T0 + 1);
    expire(T0 + TIMEOUT);
    assertEquals(List.of("10.1.0.2:40001", "10.3.0.2:40003"), texts());
  }

  @Test
  void expireOfLiveTableReportsNothing() {
    table.add(A, T0);
    assertEquals(List.of(), expire(T0 + TIMEOUT - 1));
    assertEquals(1, table.size());
  }

  @Test
  void expireSparesARefreshedAddress() {
    ClientAddress a = table.add(A, T0);
    a.seen(T0 + 20 * SECOND);
    assertEquals(List.of(), expire(T0 + TIMEOUT));
  }

  @Test
  void allIsReadOnly() {
    table.add(A, T0);
    assertThrows(UnsupportedOperationException.class, () -> table.all().clear());
  }

  @Test
  void newEntryHasZeroCounters() {
    ClientAddress a = table.add(A, T0);
    assertEquals(0, a.counters().datagramsIn);
    assertEquals(0, a.counters().bytesIn);
    assertEquals(0, a.counters().datagramsOut);
    assertEquals(0, a.counters().bytesOut);
  }
}
