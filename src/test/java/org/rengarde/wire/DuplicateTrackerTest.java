package org.rengarde.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rengarde.wire.Verdict.ALTERED;
import static org.rengarde.wire.Verdict.DUPLICATE;
import static org.rengarde.wire.Verdict.EMPTY;
import static org.rengarde.wire.Verdict.FIRST;
import static org.rengarde.wire.Verdict.REPEAT;

class DuplicateTrackerTest {
  static final long S = 1_000_000_000L;
  static final long MS = 1_000_000L;
  /** An arbitrary start, not on a second boundary. */
  static final long T0 = 1000 * S + 123 * MS;
  static final DatagramHash HASH = new DatagramHash(0x5EED_0001L, 0x5EED_0002L, 0x5EED_0003L, 0x5EED_0004L);
  private static final int RECEIVER = 0x1234_5678;

  static DuplicateTracker tracker(int capacity, long windowNanos) {
    return new DuplicateTracker(capacity, windowNanos, 10, HASH);
  }

  /** A peer with links 0..n-1 up. */
  static TrackedPeer peer(DuplicateTracker t, int links) {
    TrackedPeer p = t.newPeer();
    for (int l = 0; l < links; l++) {
      p.linkUp(l);
    }
    return p;
  }

  /** The genuine transport message {@code counter} (version 0), or an altered version of it (1, 2, ...). */
  static byte[] transport(int receiver, long counter, int version) {
    byte[] payload = new byte[48];
    new Random(receiver * 31L + counter).nextBytes(payload);
    if (version > 0) {
      payload[version % payload.length] ^= (byte) version;
    }
    ByteBuf b = DatagramIdentityTest.transport(receiver, counter, payload);
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes);
    return bytes;
  }

  static byte[] wg(long counter) {
    return transport(RECEIVER, counter, 0);
  }

  static byte[] altered(long counter) {
    return transport(RECEIVER, counter, 1);
  }

  /** A datagram that is not WireGuard's. */
  static byte[] plain(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  static Verdict arrive(DuplicateTracker t, TrackedPeer p, byte[] datagram, int link, long now) {
    return t.arrive(p, Unpooled.wrappedBuffer(datagram), link, now);
  }

  // =====================================================================================================
  // Duplicate filter: WireGuard transport messages
  // =====================================================================================================

  @Test
  void theFirstCopyIsForwardedLaterCopiesAreDuplicatesOnAnyLinkTheSameLinkIncluded() {
    DuplicateTracker t = tracker(16, 100 * MS);
    TrackedPeer p = peer(t, 2);
    assertEquals(FIRST, arrive(t, p, wg(42), 0, T0));
    assertEquals(DUPLICATE, arrive(t, p, wg(42), 0, T0 + 1));
    assertEquals(DUPLICATE, arrive(t, p, wg(42), 1, T0 + 2 * MS));
    assertEquals(DUPLICATE, arrive(t, p, wg(42), 5, T0 + 3 * MS));
    assertEquals(FIRST, arrive(t, p, wg(43), 1, T0 + 4 * MS));
    assertEquals(DUPLICATE, arrive(t, p, wg(43), 0, T0 + 5 * MS));
    assertEquals(4, p.duplicates());
    assertEquals(2, t.size());
  }

  @Test
  void theReaderIndexIsUnmovedAndTheBufferNotReleased() {
    DuplicateTracker t = tracker(16, 100 * MS);
    TrackedPeer p = peer(t, 1);
    ByteBuf b = Unpooled.buffer().writeZero(3).writeBytes(wg(1));
    b.readerIndex(3);
    assertEquals(FIRST, t.arrive(p, b, 0, T0));
    assertEquals(3, b.readerIndex());
    assertEquals(1, b.refCnt());
    assertEquals(DUPLICATE, arrive(t, p, wg(1), 0, T0 + 1));
  }

  @Test
  void afterTheWindowTheSameDatagramIsNewAgain() {
    long window = 100 * MS;
    DuplicateTracker t = tracker(16, window);
    TrackedPeer p = peer(t, 1);
    assertEquals(FIRST, arrive(t, p, wg(7), 0, T0));
    assertEquals(DUPLICATE, arrive(t, p, wg(7), 0, T0 + window), "exactly the window's length after: still a copy");
    assertEquals(FIRST, arrive(t, p, wg(7), 0, T0 + window + 1), "one nanosecond later: new");
    assertEquals(1, t.size());
    assertEquals(DUPLICATE, arrive(t, p, wg(7), 1, T0 + window + 2), "the window restarts from the new first copy");
    assertEquals(DUPLICATE, arrive(t, p, wg(7), 1, T0 + 2 * window + 1));
    assertEquals(FIRST, arrive(t, p, wg(7), 1, T0 + 2 * window + 2));
    assertEquals(3, p.duplicates());
  }

  @Test
  void expireEmptiesTheTableWithoutTraffic() {
    DuplicateTracker t = tracker(16, 100 * MS);
    TrackedPeer p = peer(t, 1);
    for (int i = 0; i < 10; i++) {
      assertEquals(FIRST, arrive(t, p, wg(i), 0, T0 + i * MS));
    }
    assertEquals(10, t.size());
    t.expire(T0 + 100 * MS + 4 * MS); // 0..3 are older than the window
    assertEquals(6, t.size());
    t.expire(T0 + S);
    assertEquals(0, t.size());
    for (int i = 0; i < 10; i++) {
      assertEquals(FIRST, arrive(t, p, wg(i), 0, T0 + S + i));
    }
  }

  @Test
  void aFullTableRetiresTheOldest() {
    DuplicateTracker t = tracker(4, S);
    TrackedPeer p = peer(t, 1);
    for (int c = 1; c <= 4; c++) {
      assertEquals(FIRST, arrive(t, p, wg(c), 0, T0 + c * MS));
    }
    assertEquals(FIRST, arrive(t, p, wg(5), 0, T0 + 5 * MS), "5th distinct datagram");
    assertEquals(4, t.size());
    assertEquals(FIRST, arrive(t, p, wg(1), 0, T0 + 6 * MS), "1 was retired, so it is new again");
    // 2 was retired by 1's return; 3, 4, 5 and 1 remain
    for (int c : new int[] {3, 4, 5, 1}) {
      assertEquals(DUPLICATE, arrive(t, p, wg(c), 0, T0 + 7 * MS), "counter " + c);
    }
    assertEquals(FIRST, arrive(t, p, wg(2), 0, T0 + 8 * MS));
    assertEquals(4, t.size());
  }

  @Test
  void aFullTableJudgesTheDatagramItRetires() {
    DuplicateTracker t = tracker(4, S);
    TrackedPeer p = peer(t, 2);
    for (int c = 1; c <= 5; c++) {
      assertEquals(FIRST, arrive(t, p, wg(c), 0, T0 + c * MS));
    }
    JsonObject total = p.snapshot(1, T0 + 5 * MS).getJsonObject("total");
    assertEquals(1L, total.getLong("judged"));
    assertEquals(1L, total.getLong("missing"));
    assertEquals(1L, p.snapshot(0, T0 + 5 * MS).getJsonObject("total").getLong("uniqueSaves"));
  }

  @Test
  void capacityOfOne() {
    DuplicateTracker t = tracker(1, S);
    TrackedPeer p = peer(t, 0);
    assertEquals(FIRST, arrive(t, p, wg(1), 0, T0));
    assertEquals(DUPLICATE, arrive(t, p, wg(1), 1, T0 + 1));
    assertEquals(FIRST, arrive(t, p, wg(2), 0, T0 + 2));
    assertEquals(FIRST, arrive(t, p, wg(1), 0, T0 + 3));
    assertEquals(1, t.size());
  }

  @Test
  void anIdleTableIsSmallAndGrowsToWhatAWindowHoldsKeepingEveryDatagram() {
    DuplicateTracker t = tracker(1 << 16, S);
    assertEquals(DuplicateTracker.INITIAL_ENTRIES, t.entries());
    TrackedPeer p = peer(t, 2);
    int datagrams = 5000;
    for (int c = 0; c < datagrams; c++) {
      assertEquals(FIRST, arrive(t, p, wg(c), 0, T0 + c));
    }
    assertEquals(8192, t.entries(), "1,024 doubled three times holds 5,000");
    assertEquals(datagrams, t.size());
    for (int c = 0; c < datagrams; c++) {
      assertEquals(DUPLICATE, arrive(t, p, wg(c), 1, T0 + datagrams + c), "counter " + c);
    }
    assertEquals(0L, p.snapshot(0, T0 + 3 * S).getJsonObject("total").getLong("missing"));
    assertEquals(0L, p.snapshot(1, T0 + 3 * S).getJsonObject("total").getLong("missing"));
  }

  @Test
  void aFullTableAtItsCapacityRetiresTheOldestInsteadOfGrowing() {
    DuplicateTracker t = tracker(1500, S);
    TrackedPeer p = peer(t, 2);
    for (int c = 0; c < 1501; c++) {
      arrive(t, p, wg(c), 0, T0 + c);
    }
    assertEquals(1500, t.entries(), "1,024 doubled, capped at the capacity");
    assertEquals(1500, t.size());
    assertEquals(FIRST, arrive(t, p, wg(0), 1, T0 + 2000), "the oldest was retired to make room");
  }

  @Test
  void negativeNanoTimesWork() {
    DuplicateTracker t = tracker(16, 100 * MS);
    TrackedPeer p = peer(t, 2);
    long start = -50 * MS; // System.nanoTime() may be negative
    assertEquals(FIRST, arrive(t, p, wg(9), 0, start));
    assertEquals(DUPLICATE, arrive(t, p, wg(9), 1, start + 100 * MS));
    assertEquals(FIRST, arrive(t, p, wg(9), 1, start + 100 * MS + 1));
  }

  @Test
  void slotsOutside0To63AndForeignOrRemovedPeersAreRefused() {
    DuplicateTracker t = tracker(16, S);
    TrackedPeer p = peer(t, 1);
    assertThrows(IllegalArgumentException.class, () -> arrive(t, p, wg(1), 64, T0));
    assertThrows(IllegalArgumentException.class, () -> arrive(t, p, wg(1), -1, T0));
    assertThrows(IllegalArgumentException.class, () -> p.linkUp(64));
    assertThrows(IllegalArgumentException.class, () -> p.forget(-1));
    TrackedPeer foreign = tracker(16, S).newPeer();
    assertThrows(IllegalArgumentException.class, () -> arrive(t, foreign, wg(1), 0, T0));
    t.remove(p);
    assertThrows(IllegalArgumentException.class, () -> arrive(t, p, wg(1), 0, T0));
    assertEquals(0, t.size(), "nothing was tracked");
  }

  // =====================================================================================================
  // Altered copies of WireGuard transport messages
  // =====================================================================================================

  /** Figures of a link after everything was judged. */
  private static JsonObject judgedTotal(DuplicateTracker t, TrackedPeer p, int link) {
    return p.snapshot(link, T0 + 100 * S).getJsonObject("total");
  }

  @Test
  void anAlteredCopyFirstDoesNotStopTheGenuineOne() {
    DuplicateTracker t = tracker(16, 50 * MS);
    TrackedPeer p = peer(t, 3);
    assertEquals(FIRST, arrive(t, p, altered(1), 0, T0));
    assertEquals(ALTERED, arrive(t, p, wg(1), 1, T0 + MS), "forwarded: WireGuard will keep the genuine one");
    assertEquals(DUPLICATE, arrive(t, p, wg(1), 2, T0 + 2 * MS), "the genuine version was already forwarded");
    assertEquals(DUPLICATE, arrive(t, p, altered(1), 0, T0 + 3 * MS), "the altered version too");
    assertEquals(1L, judgedTotal(t, p, 0).getLong("altered"), "link 0 alone delivered its version");
    assertEquals(0L, judgedTotal(t, p, 1).getLong("altered"));
    assertEquals(0L, judgedTotal(t, p, 2).getLong("altered"));
    for (int l = 0; l < 3; l++) {
      assertEquals(0L, judgedTotal(t, p, l).getLong("missing"), "link " + l + " delivered a copy");
      assertEquals(1L, judgedTotal(t, p, l).getLong("judged"));
    }
    assertEquals(1L, judgedTotal(t, p, 0).getLong("firstArrivals"), "first is first, whatever its bytes");
    assertEquals(2, p.duplicates());
  }

  @Test
  void aGenuineCopyFirstThenAnAlteredOne() {
    DuplicateTracker t = tracker(16, 50 * MS);
    TrackedPeer p = peer(t, 3);
    assertEquals(FIRST, arrive(t, p, wg(1), 1, T0));
    assertEquals(ALTERED, arrive(t, p, altered(1), 0, T0 + MS));
    assertEquals(DUPLICATE, arrive(t, p, wg(1), 2, T0 + 2 * MS));
    assertEquals(1L, judgedTotal(t, p, 0).getLong("altered"));
    assertEquals(0L, judgedTotal(t, p, 1).getLong("altered"));
    assertEquals(0L, judgedTotal(t, p, 2).getLong("altered"));
  }

  /**
   * The attack of the issue: a link that alters one byte of every payload and is the fastest. Every datagram
   * still reaches WireGuard in its genuine version, exactly once, and the altering link carries the blame.
   */
  @Test
  void aFastLinkAlteringEveryPayloadIsBlamedAndEveryGenuineCopyPasses() {
    DuplicateTracker t = tracker(4096, 50 * MS);
    TrackedPeer p = peer(t, 3);
    int genuineForwarded = 0;
    int alteredForwarded = 0;
    for (int c = 0; c < 200; c++) {
      long at = T0 + c * MS;
      alteredForwarded += arrive(t, p, altered(c), 2, at).forwards() ? 1 : 0;
      // links 0 and 1 take turns being next
      int next = c % 2;
      genuineForwarded += arrive(t, p, wg(c), next, at + 100_000).forwards() ? 1 : 0;
      genuineForwarded += arrive(t, p, wg(c), 1 - next, at + 200_000).forwards() ? 1 : 0;
    }
    assertEquals(200, genuineForwarded);
    assertEquals(200, alteredForwarded);
    assertEquals(200L, judgedTotal(t, p, 2).getLong("altered"));
    assertEquals(200L, judgedTotal(t, p, 2).getLong("firstArrivals"));
    assertEquals(0L, judgedTotal(t, p, 0).getLong("altered"));
    assertEquals(0L, judgedTotal(t, p, 1).getLong("altered"));
  }

  @Test
  void onATieBothVersionsLinksCountAltered() {
    DuplicateTracker t = tracker(16, 50 * MS);
    TrackedPeer p = peer(t, 2);
    assertEquals(FIRST, arrive(t, p, wg(1), 0, T0));
    assertEquals(ALTERED, arrive(t, p, altered(1), 1, T0 + MS));
    assertEquals(1L, judgedTotal(t, p, 0).getLong("altered"), "two links disagree: neither can be believed");
    assertEquals(1L, judgedTotal(t, p, 1).getLong("altered"));
  }

  @Test
  void aThirdVersionIsForwardedEachTimeAndCountedAtOnce() {
    DuplicateTracker t = tracker(16, 50 * MS);
    TrackedPeer p = peer(t, 4);
    assertEquals(FIRST, arrive(t, p, wg(1), 0, T0));
    assertEquals(ALTERED, arrive(t, p, transport(RECEIVER, 1, 1), 1, T0 + MS));
    assertEquals(ALTERED, arrive(t, p, transport(RECEIVER, 1, 2), 2, T0 + 2 * MS));
    assertEquals(1L, p.snapshot(2, T0 + 2 * MS).getJsonObject("total").getLong("altered"), "at once");
    assertEquals(ALTERED, arrive(t, p, transport(RECEIVER, 1, 2), 2, T0 + 3 * MS), "not tracked: again");
    assertEquals(DUPLICATE, arrive(t, p, transport(RECEIVER, 1, 1), 3, T0 + 4 * MS), "the second version is tracked");
    assertEquals(DUPLICATE, arrive(t, p, wg(1), 3, T0 + 5 * MS));
    // judged: version 0 by links 0 and 3, version 1 by links 1 and 3: a tie, both sides altered
    assertEquals(1L, judgedTotal(t, p, 0).getLong("altered"));
    assertEquals(1L, judgedTotal(t, p, 1).getLong("altered"));
    assertEquals(2L, judgedTotal(t, p, 2).getLong("altered"));
    assertEquals(1L, judgedTotal(t, p, 2).getLong("missing"), "neither tracked version came on link 2");
    assertEquals(1L, judgedTotal(t, p, 3).getLong("altered"));
  }

  @Test
  void theMinorityIsTheVersionFewerLinksDelivered() {
    assertEquals(0b100L, DuplicateTracker.alteredLinks(0b011, 0b100));
    assertEquals(0b100L, DuplicateTracker.alteredLinks(0b100, 0b011));
    assertEquals(0b11L, DuplicateTracker.alteredLinks(0b01, 0b10));
    assertEquals(0L, DuplicateTracker.alteredLinks(0b111, 0));
  }

  @Test
  void aTransportMessageOfAnotherReceiverIsAnotherDatagram() {
    DuplicateTracker t = tracker(16, 50 * MS);
    TrackedPeer p = peer(t, 1);
    assertEquals(FIRST, arrive(t, p, transport(1, 5, 0), 0, T0));
    assertEquals(FIRST, arrive(t, p, transport(2, 5, 0), 0, T0));
    assertEquals(FIRST, arrive(t, p, transport(1, 6, 0), 0, T0));
  }

  // =====================================================================================================
  // Anything else: repeats pass, copies do not
  // =====================================================================================================

  @Test
  void copiesAcrossLinksAreDroppedTheSameBytesAgainOnALinkAreARepeat() {
    DuplicateTracker t = tracker(16, S);
    TrackedPeer p = peer(t, 3);
    byte[] ping = plain("heartbeat");
    assertEquals(FIRST, arrive(t, p, ping, 0, T0));
    assertEquals(DUPLICATE, arrive(t, p, ping, 1, T0 + MS));
    assertEquals(DUPLICATE, arrive(t, p, ping, 2, T0 + 2 * MS));
    assertEquals(REPEAT, arrive(t, p, ping, 0, T0 + 100 * MS), "sent again");
    assertEquals(DUPLICATE, arrive(t, p, ping, 1, T0 + 101 * MS), "the copy of the second instance");
    assertEquals(REPEAT, arrive(t, p, ping, 1, T0 + 200 * MS), "link 1 first this time");
    assertEquals(DUPLICATE, arrive(t, p, ping, 0, T0 + 201 * MS));
    assertEquals(DUPLICATE, arrive(t, p, ping, 2, T0 + 202 * MS));
    assertEquals(5, p.duplicates());
    // the first two instances were judged when the next began: only link 2 missed one (the second)
    JsonObject two = p.snapshot(2, T0 + 202 * MS).getJsonObject("total");
    assertEquals(2L, two.getLong("judged"));
    assertEquals(1L, two.getLong("missing"));
    assertEquals(2L, p.snapshot(0, T0 + 202 * MS).getJsonObject("total").getLong("firstArrivals"));
    assertEquals(1L, p.snapshot(1, T0 + 202 * MS).getJsonObject("total").getLong("firstArrivals"));
  }

  @Test
  void heartbeatsOverThreeLinksPassOncePerBeat() {
    DuplicateTracker t = tracker(64, 2 * S);
    TrackedPeer p = peer(t, 3);
    byte[] beat = plain("silence frame");
    int forwarded = 0;
    for (int i = 0; i < 50; i++) {
      long at = T0 + i * 100 * MS;
      forwarded += arrive(t, p, beat, 0, at).forwards() ? 1 : 0;
      forwarded += arrive(t, p, beat, 1, at + 3 * MS).forwards() ? 1 : 0;
      forwarded += arrive(t, p, beat, 2, at + 7 * MS).forwards() ? 1 : 0;
    }
    assertEquals(50, forwarded);
    assertEquals(8.192, p.snapshot(2, T0 + 5 * S).getDouble("lateMsP50"), "7 ms behind, each beat");
    for (int l = 0; l < 3; l++) {
      JsonObject total = judgedTotal(t, p, l);
      assertEquals(50L, total.getLong("judged"), "link " + l);
      assertEquals(0L, total.getLong("missing"), "link " + l);
    }
  }

  /** The documented limitation: a slow link's copy of one instance is taken for the next instance's. */
  @Test
  void aRepeatOvertakingASlowLinksCopyLetsOneExtraCopyThrough() {
    DuplicateTracker t = tracker(16, S);
    TrackedPeer p = peer(t, 2);
    byte[] retry = plain("dns query");
    assertEquals(FIRST, arrive(t, p, retry, 0, T0));
    assertEquals(REPEAT, arrive(t, p, retry, 0, T0 + 10 * MS));
    assertEquals(DUPLICATE, arrive(t, p, retry, 1, T0 + 15 * MS), "link 1's copy of the first instance");
    assertEquals(REPEAT, arrive(t, p, retry, 1, T0 + 25 * MS), "link 1's copy of the second: passes");
  }

  @Test
  void theSameBytesAfterTheWindowAreFirstAgain() {
    DuplicateTracker t = tracker(16, 100 * MS);
    TrackedPeer p = peer(t, 2);
    assertEquals(FIRST, arrive(t, p, plain("x"), 0, T0));
    assertEquals(FIRST, arrive(t, p, plain("x"), 1, T0 + 100 * MS + 1));
  }

  @Test
  void handshakesAreNamedByTheirBytes() {
    DuplicateTracker t = tracker(16, S);
    TrackedPeer p = peer(t, 2);
    byte[] initiation = new byte[148];
    new Random(3).nextBytes(initiation);
    initiation[0] = 1;
    initiation[1] = initiation[2] = initiation[3] = 0;
    byte[] other = initiation.clone();
    other[140] ^= 1;
    assertEquals(FIRST, arrive(t, p, initiation, 0, T0));
    assertEquals(DUPLICATE, arrive(t, p, initiation, 1, T0 + 1));
    assertEquals(FIRST, arrive(t, p, other, 1, T0 + 2), "one byte differs: another message");
  }

  // =====================================================================================================
  // Zero-byte datagrams
  // =====================================================================================================

  @Test
  void zeroByteDatagramsAreAlwaysForwardedCountedAndNeverTracked() {
    DuplicateTracker t = tracker(16, S);
    TrackedPeer p = peer(t, 2);
    for (int i = 0; i < 5; i++) {
      assertEquals(EMPTY, arrive(t, p, new byte[0], i % 2, T0 + i));
    }
    assertEquals(EMPTY, t.arrive(p, Unpooled.buffer().writeZero(4).skipBytes(4), 0, T0 + 9));
    assertTrue(EMPTY.forwards());
    assertEquals(6, p.emptyDatagrams());
    assertEquals(0, p.duplicates());
    assertEquals(0, t.size());
    for (int l = 0; l < 2; l++) {
      JsonObject total = judgedTotal(t, p, l);
      assertEquals(0L, total.getLong("firstArrivals"));
      assertEquals(0L, total.getLong("judged"));
    }
  }

  // =====================================================================================================
  // Peers
  // =====================================================================================================

  @Test
  void theSameBytesInTwoPeersAreTwoDatagrams() {
    DuplicateTracker t = tracker(64, S);
    TrackedPeer a = peer(t, 2);
    TrackedPeer b = peer(t, 2);
    for (byte[] d : new byte[][] {wg(1), altered(2)}) {
      assertEquals(FIRST, arrive(t, a, d, 0, T0));
      assertEquals(FIRST, arrive(t, b, d, 0, T0 + 1));
      assertEquals(DUPLICATE, arrive(t, a, d, 1, T0 + 2));
      assertEquals(DUPLICATE, arrive(t, b, d, 1, T0 + 3));
    }
    assertEquals(FIRST, arrive(t, a, plain("hello"), 0, T0));
    assertEquals(FIRST, arrive(t, b, plain("hello"), 1, T0 + 1));
    assertEquals(DUPLICATE, arrive(t, a, plain("hello"), 1, T0 + 2), "a copy within a");
    assertEquals(REPEAT, arrive(t, b, plain("hello"), 1, T0 + 3), "b's own link again, whatever a's links did");
  }

  @Test
  void aPeersDatagramsNeverCountOnAnotherPeersLinks() {
    DuplicateTracker t = tracker(256, 50 * MS);
    TrackedPeer a = peer(t, 2);
    TrackedPeer b = peer(t, 3);
    for (int c = 0; c < 100; c++) {
      arrive(t, a, wg(c), 0, T0 + c * MS);
    }
    for (int l = 0; l < 3; l++) {
      JsonObject s = b.snapshot(l, T0 + S);
      assertEquals(0L, s.getJsonObject("total").getLong("judged"), "b's link " + l);
      assertEquals(0L, s.getJsonObject("total").getLong("missing"), "b's link " + l);
      assertEquals(0L, s.getJsonObject("total").getLong("firstArrivals"), "b's link " + l);
    }
    JsonObject a1 = a.snapshot(1, T0 + S).getJsonObject("total");
    assertEquals(100L, a1.getLong("missing"));
    assertEquals(100L, a.snapshot(0, T0 + S).getJsonObject("total").getLong("uniqueSaves"));
  }

  @Test
  void aRemovedPeersDatagramsAreIgnoredAndLeaveWithTheWindow() {
    DuplicateTracker t = tracker(64, 50 * MS);
    TrackedPeer a = peer(t, 2);
    TrackedPeer b = peer(t, 2);
    for (int c = 0; c < 10; c++) {
      arrive(t, a, wg(c), 0, T0 + c);
      arrive(t, b, wg(c), 1, T0 + c);
    }
    t.remove(a);
    assertTrue(a.removed());
    assertEquals(20, t.size(), "O(1): nothing touched");
    TrackedPeer c = peer(t, 2);
    assertEquals(FIRST, arrive(t, c, wg(3), 0, T0 + 20), "a new peer is not the removed one");
    assertEquals(DUPLICATE, arrive(t, b, wg(3), 0, T0 + 21));
    t.expire(T0 + S);
    assertEquals(0, t.size());
    JsonObject b0 = b.snapshot(0, T0 + S).getJsonObject("total");
    assertEquals(9L, b0.getLong("missing"), "b's link 0 delivered one of its ten");
    assertEquals(10L, b0.getLong("judged"));
  }

  @Test
  void aThousandPeersShareOneTableWithoutInterfering() {
    DuplicateTracker t = tracker(1 << 14, 50 * MS);
    List<TrackedPeer> peers = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      peers.add(peer(t, 3));
    }
    Random random = new Random(1);
    int forwarded = 0;
    for (int c = 0; c < 5; c++) {
      for (int i = 0; i < 1000; i++) {
        TrackedPeer p = peers.get(i);
        long at = T0 + c * MS + i * 1000;
        byte[] d = wg(c); // every peer's counters collide with every other's
        forwarded += arrive(t, p, d, random.nextInt(3), at).forwards() ? 1 : 0;
        forwarded += arrive(t, p, d, random.nextInt(3), at + 1).forwards() ? 1 : 0;
        if (i % 10 != 0) {
          forwarded += arrive(t, p, d, random.nextInt(3), at + 2).forwards() ? 1 : 0;
        }
      }
    }
    assertEquals(5000, forwarded);
    assertEquals(5000, t.size());
  }

  // =====================================================================================================
  // Links: up, down, forget
  // =====================================================================================================

  @Test
  void forgetClearsALinksFigures() {
    List<Copy> copies = new ArrayList<>();
    DuplicateTracker t = tracker(4096, 50 * MS);
    TrackedPeer p = threeLinks(t, copies);
    feed(t, p, copies);
    long now = T0 + S;
    t.expire(now);
    p.forget(1);
    assertBoth(p, 1, now, 0, 0, 0, 0, null);
    assertNull(p.snapshot(1, now).getValue("lateMsP50"));
    assertBoth(p, 0, now, 100, 0, 0, 100, 0.0);
    assertBoth(p, 2, now, 0, 0, 0, 100, 0.0);
    assertEquals(8.192, p.snapshot(2, now).getDouble("lateMsP50"));

    // forget also takes the link down: new datagrams do not expect it
    assertEquals(FIRST, arrive(t, p, wg(1000), 0, now + MS));
    t.expire(now + S);
    assertBoth(p, 1, now + S, 0, 0, 0, 0, null);
    assertEquals(101L, p.snapshot(0, now + S).getJsonObject("total").getLong("judged"));
    assertEquals(1L, p.snapshot(2, now + S).getJsonObject("total").getLong("missing"));
  }

  /** Datagrams still in the window when a slot is forgotten and given to a new link are not the new link's. */
  @Test
  void forgetAlsoForgetsTheLinkInDatagramsStillInTheWindow() {
    DuplicateTracker t = tracker(16, 50 * MS);
    TrackedPeer p = peer(t, 2);
    assertEquals(FIRST, arrive(t, p, wg(1), 0, T0));        // the old link 1 never delivers it
    assertEquals(FIRST, arrive(t, p, wg(2), 1, T0 + 1));    // the old link 1 was first
    assertEquals(FIRST, arrive(t, p, plain("x"), 1, T0 + 2));
    p.forget(1);                                            // the old link 1 goes away
    p.linkUp(1);                                            // and its slot goes to a new link
    assertEquals(DUPLICATE, arrive(t, p, wg(1), 1, T0 + 3), "still a copy, but not the new link's");
    assertEquals(DUPLICATE, arrive(t, p, plain("x"), 1, T0 + 4), "not a repeat: the old link delivered it");
    assertEquals(FIRST, arrive(t, p, wg(3), 0, T0 + 5));    // the new link 1 is expected for this one
    long now = T0 + S;
    t.expire(now);
    assertBoth(p, 1, now, 0, 0, 1, 1, 1.0);
    assertNull(p.snapshot(1, now).getValue("lateMsP50"), "its copy of an old datagram is not measured");
    // link 0 missed the two the old link 1 alone delivered, and alone delivered the last one: a save
    assertBoth(p, 0, now, 2, 1, 2, 4, 0.5);
  }

  @Test
  void aLinkThatWentDownIsNotMissingForDatagramsThatArrivedAfterwards() {
    DuplicateTracker t = tracker(4096, 50 * MS);
    TrackedPeer p = peer(t, 3);
    long at = T0;
    for (int i = 0; i < 10; i++, at += MS) {     // all three deliver
      assertEquals(FIRST, arrive(t, p, wg(i), 0, at));
      assertEquals(DUPLICATE, arrive(t, p, wg(i), 1, at + 100));
      assertEquals(DUPLICATE, arrive(t, p, wg(i), 2, at + 200));
    }
    for (int i = 10; i < 15; i++, at += MS) {    // link 1 is silent but still up when they arrive
      assertEquals(FIRST, arrive(t, p, wg(i), 0, at));
      assertEquals(DUPLICATE, arrive(t, p, wg(i), 2, at + 200));
    }
    p.linkDown(1);                               // before those 5 are judged: still missing for link 1
    for (int i = 15; i < 25; i++, at += MS) {    // link 1 down: not expected
      assertEquals(FIRST, arrive(t, p, wg(i), 0, at));
      assertEquals(DUPLICATE, arrive(t, p, wg(i), 2, at + 200));
    }
    p.linkUp(1);
    for (int i = 25; i < 30; i++, at += MS) {    // link 1 up again, only link 0 delivers
      assertEquals(FIRST, arrive(t, p, wg(i), 0, at));
    }
    long now = at + S;
    t.expire(now);
    assertBoth(p, 0, now, 30, 5, 0, 30, 0.0);
    assertBoth(p, 1, now, 0, 0, 10, 20, 0.5);
    assertBoth(p, 2, now, 0, 0, 5, 30, 0.1667);
  }

  @Test
  void aLinkThatCameUpLaterIsNotMissingForEarlierDatagrams() {
    DuplicateTracker t = tracker(4096, 50 * MS);
    TrackedPeer p = peer(t, 1);
    assertEquals(FIRST, arrive(t, p, wg(1), 0, T0));            // link 1 not up, never delivers it: not judged
    assertEquals(FIRST, arrive(t, p, wg(3), 0, T0 + MS / 2));   // link 1 not up, delivers it later: not missing
    p.linkUp(1);
    assertEquals(FIRST, arrive(t, p, wg(2), 0, T0 + MS));       // link 1 up, never delivers it: missing
    assertEquals(DUPLICATE, arrive(t, p, wg(3), 1, T0 + 2 * MS));
    long now = T0 + S;
    t.expire(now);
    assertBoth(p, 0, now, 3, 1, 0, 3, 0.0);
    assertBoth(p, 1, now, 0, 0, 1, 2, 0.5);
  }

  @Test
  void aDatagramFirstOnALinkThatIsNotUpCountsForThatLink() {
    DuplicateTracker t = tracker(16, 50 * MS);
    TrackedPeer p = peer(t, 1);
    assertEquals(FIRST, arrive(t, p, wg(1), 3, T0));
    long now = T0 + S;
    t.expire(now);
    assertBoth(p, 3, now, 1, 1, 0, 1, 0.0);
    assertBoth(p, 0, now, 0, 0, 1, 1, 1.0);
  }

  // =====================================================================================================
  // Per-link quality
  // =====================================================================================================

  private record Copy(long nanos, byte[] datagram, int link) {
  }

  /** Feeds copies in time order (ties in the order given); returns how many were forwarded. */
  private static int feed(DuplicateTracker t, TrackedPeer p, List<Copy> copies) {
    List<Copy> sorted = new ArrayList<>(copies);
    sorted.sort(Comparator.comparingLong(Copy::nanos));
    int forwarded = 0;
    for (Copy c : sorted) {
      forwarded += arrive(t, p, c.datagram(), c.link(), c.nanos()).forwards() ? 1 : 0;
    }
    return forwarded;
  }

  private static void assertFigures(JsonObject figures, long firsts, long uniques, long missing, long judged,
      Double lossRatio, String what) {
    assertEquals(firsts, figures.getLong("firstArrivals"), what + " firstArrivals");
    assertEquals(uniques, figures.getLong("uniqueSaves"), what + " uniqueSaves");
    assertEquals(missing, figures.getLong("missing"), what + " missing");
    assertEquals(judged, figures.getLong("judged"), what + " judged");
    assertEquals(lossRatio, figures.getDouble("lossRatio"), what + " lossRatio");
  }

  /** Both the sliding window and the totals. */
  private static void assertBoth(TrackedPeer p, int link, long now, long firsts, long uniques, long missing,
      long judged, Double lossRatio) {
    JsonObject s = p.snapshot(link, now);
    assertFigures(s, firsts, uniques, missing, judged, lossRatio, "link " + link + " window");
    assertFigures(s.getJsonObject("total"), firsts, uniques, missing, judged, lossRatio, "link " + link + " total");
  }

  /** Link 0 delivers all 100 first, link 1 70 of them 2 ms later, link 2 all of them 5 ms later. */
  private static TrackedPeer threeLinks(DuplicateTracker t, List<Copy> copies) {
    TrackedPeer p = peer(t, 3);
    for (int i = 0; i < 100; i++) {
      long sent = T0 + i * MS;
      copies.add(new Copy(sent, wg(i), 0));
      if (i % 10 < 7) {
        copies.add(new Copy(sent + 2 * MS, wg(i), 1));
      }
      copies.add(new Copy(sent + 5 * MS, wg(i), 2));
    }
    return p;
  }

  @Test
  void lossAndLatenessOfThreeLinks() {
    List<Copy> copies = new ArrayList<>();
    DuplicateTracker t = tracker(4096, 50 * MS);
    TrackedPeer p = threeLinks(t, copies);
    assertEquals(100, feed(t, p, copies));
    assertEquals(170, p.duplicates());

    // the last copy came at T0 + 104 ms: datagrams 0..53 are older than 50 ms and judged; 15 of them link 1 missed
    long last = T0 + 104 * MS;
    assertEquals(46, t.size());
    assertBoth(p, 0, last, 100, 0, 0, 54, 0.0);
    assertBoth(p, 1, last, 0, 0, 15, 54, 0.2778);
    assertBoth(p, 2, last, 0, 0, 0, 54, 0.0);

    long now = T0 + S;
    assertBoth(p, 0, now, 100, 0, 0, 100, 0.0);
    assertEquals(0, t.size(), "a snapshot judges what has left the window");
    assertBoth(p, 1, now, 0, 0, 30, 100, 0.3);
    assertBoth(p, 2, now, 0, 0, 0, 100, 0.0);

    JsonObject l0 = p.snapshot(0, now);
    assertNull(l0.getValue("lateMsP50"), "link 0 was always first");
    assertNull(l0.getValue("lateMsP99"));
    assertEquals(0L, l0.getLong("altered"));
    JsonObject l1 = p.snapshot(1, now);
    assertEquals(2.048, l1.getDouble("lateMsP50"), "2 ms is in the bin below 2048 µs");
    assertEquals(2.048, l1.getDouble("lateMsP99"));
    JsonObject l2 = p.snapshot(2, now);
    assertEquals(8.192, l2.getDouble("lateMsP50"), "5 ms is in the bin below 8192 µs");
    assertEquals(8.192, l2.getDouble("lateMsP99"));
    assertEquals(10, l2.getInteger("windowSeconds"));

    // past the 10 s statistics window: the window is empty, the totals stay
    long later = now + 11 * S;
    JsonObject s1 = p.snapshot(1, later);
    assertFigures(s1, 0, 0, 0, 0, null, "link 1 window, later");
    assertFigures(s1.getJsonObject("total"), 0, 0, 30, 100, 0.3, "link 1 total, later");
    assertNull(s1.getValue("lateMsP50"));
  }

  @Test
  void aLinkThatIsOftenFirstAndSometimesLate() {
    DuplicateTracker t = tracker(4096, 50 * MS);
    TrackedPeer p = peer(t, 2);
    List<Copy> copies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      long sent = T0 + i * MS;
      boolean zeroFirst = i < 60;
      copies.add(new Copy(sent + (zeroFirst ? 0 : 3 * MS), wg(i), 0)); // 3 ms late: bin 12, 4.096 ms
      copies.add(new Copy(sent + (zeroFirst ? 1 * MS : 0), wg(i), 1)); // 1 ms late: bin 10, 1.024 ms
    }
    feed(t, p, copies);
    long now = T0 + S;
    assertBoth(p, 0, now, 60, 0, 0, 100, 0.0);
    assertBoth(p, 1, now, 40, 0, 0, 100, 0.0);
    assertEquals(4.096, p.snapshot(0, now).getDouble("lateMsP50"));
    assertEquals(1.024, p.snapshot(1, now).getDouble("lateMsP50"));
  }

  @Test
  void aRepeatedCopyOnOneLinkIsLateOnlyOnce() {
    DuplicateTracker t = tracker(16, 50 * MS);
    TrackedPeer p = peer(t, 2);
    assertEquals(FIRST, arrive(t, p, wg(1), 0, T0));
    assertEquals(DUPLICATE, arrive(t, p, wg(1), 1, T0 + 2 * MS));
    assertEquals(DUPLICATE, arrive(t, p, wg(1), 1, T0 + 40 * MS)); // would be bin 16 if counted
    assertEquals(DUPLICATE, arrive(t, p, wg(1), 0, T0 + 41 * MS)); // the first link again: not late
    assertEquals(3, p.duplicates());
    long now = T0 + S;
    assertEquals(2.048, p.snapshot(1, now).getDouble("lateMsP99"));
    assertNull(p.snapshot(0, now).getValue("lateMsP99"));
    assertBoth(p, 1, now, 0, 0, 0, 1, 0.0);
  }

  @Test
  void uniqueSavesCountDatagramsOnlyOneLinkDeliveredWhileSeveralWereExpected() {
    DuplicateTracker t = tracker(4096, 50 * MS);
    TrackedPeer p = peer(t, 3);
    List<Copy> copies = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < 5; i++, n++) {       // only link 0: a save for link 0
      copies.add(new Copy(T0 + n * MS, wg(n), 0));
    }
    for (int i = 0; i < 3; i++, n++) {       // only link 2: a save for link 2
      copies.add(new Copy(T0 + n * MS, wg(n), 2));
    }
    for (int i = 0; i < 12; i++, n++) {      // all three
      copies.add(new Copy(T0 + n * MS, wg(n), 0));
      copies.add(new Copy(T0 + n * MS + MS / 2, wg(n), 1));
      copies.add(new Copy(T0 + n * MS + MS / 4, wg(n), 2));
    }
    for (int i = 0; i < 4; i++, n++) {       // links 0 and 1: no save
      copies.add(new Copy(T0 + n * MS, wg(n), 0));
      copies.add(new Copy(T0 + n * MS + 1, wg(n), 1));
    }
    for (int i = 0; i < 2; i++, n++) {       // link 1 first, then link 2: no save
      copies.add(new Copy(T0 + n * MS, wg(n), 1));
      copies.add(new Copy(T0 + n * MS + 1, wg(n), 2));
    }
    assertEquals(26, feed(t, p, copies));
    p.linkDown(1);
    p.linkDown(2);
    copies.clear();
    for (int i = 0; i < 10; i++, n++) {      // only link 0 while only link 0 is expected: no save
      copies.add(new Copy(T0 + n * MS, wg(n), 0));
    }
    assertEquals(10, feed(t, p, copies));

    long now = T0 + S;
    // link 0: first on 5 + 12 + 4 + 10; missed the 3 of link 2 only and the 2 of links 1 and 2
    assertBoth(p, 0, now, 31, 5, 5, 36, 0.1389);
    // link 1: first on 2; missed the 5 of link 0 only and the 3 of link 2 only
    assertBoth(p, 1, now, 2, 0, 8, 26, 0.3077);
    // link 2: first on 3 (its own); missed the 5 of link 0 only and the 4 of links 0 and 1
    assertBoth(p, 2, now, 3, 3, 9, 26, 0.3462);
  }
}
