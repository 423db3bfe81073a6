package org.rengarde.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.rengarde.server.PeerEvents.Admission;
import org.rengarde.server.PeerEvents.Removal;
import org.rengarde.testing.WireGuardMessages;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerTableTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long TIMEOUT = 30 * SECOND;
  private static final long T0 = 10_000 * SECOND;

  private static final InetSocketAddress A = new InetSocketAddress("10.1.0.2", 40001);
  private static final InetSocketAddress B = new InetSocketAddress("10.2.0.2", 40002);
  private static final InetSocketAddress C = new InetSocketAddress("10.3.0.2", 40003);
  private static final InetSocketAddress D = new InetSocketAddress("10.4.0.2", 40004);
  private static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.7", 50000);

  private final List<String> events = new ArrayList<>();
  private final PeerEvents recorder = new PeerEvents() {
    @Override
    public void memberAdded(PeerAddress member, Admission how) {
      events.add("added " + member.text() + " to " + member.peer().id() + " by " + how);
    }

    @Override
    public void memberRemoved(PeerAddress member, Removal why) {
      events.add("removed " + member.text() + " from " + member.peer().id() + " " + why);
    }

    @Override
    public void peerActive(Peer peer) {
      events.add("active " + peer.id());
    }

    @Override
    public void peersMerged(Peer absorbed, Peer survivor) {
      events.add("merged " + absorbed.id() + " into " + survivor.id());
    }

    @Override
    public void peerClosed(Peer peer) {
      events.add("closed " + peer.id());
    }

    @Override
    public void limitReached(Limit limit) {
      events.add("limit " + limit);
    }
  };

  private PeerTable table = new PeerTable(TIMEOUT, PeerLimits.DEFAULT, recorder);

  private static ByteBuf buf(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }

  private Route send(InetSocketAddress from, byte[] datagram, long now) {
    return table.fromClient(from, buf(datagram), now);
  }

  private Set<InetSocketAddress> wireGuardSends(Peer on, byte[] datagram, long now) {
    Recipients r = table.fromWireGuard(on, buf(datagram), now);
    Set<InetSocketAddress> out = new HashSet<>();
    for (int i = 0; i < r.count(); i++) {
      out.add(r.address(i));
    }
    assertEquals(r.count(), out.size(), "each address is listed once");
    return out;
  }

  private static byte[] transport(int receiver, long counter) {
    return WireGuardMessages.transport(64, receiver, counter);
  }

  /** A client whose links all deliver its initiation, answered by WireGuard: an active peer with these members. */
  private Peer activePeer(int clientIndex, int serverIndex, long now, InetSocketAddress... links) {
    byte[] init = WireGuardMessages.initiation(clientIndex);
    Peer p = send(links[0], init, now).peer();
    for (int i = 1; i < links.length; i++) {
      assertSame(p, send(links[i], init, now).peer());
    }
    wireGuardSends(p, WireGuardMessages.response(serverIndex, clientIndex), now);
    assertEquals(Peer.State.ACTIVE, p.state());
    return p;
  }

  private Set<InetSocketAddress> set(InetSocketAddress... addresses) {
    return Set.of(addresses);
  }

  // ---- grouping

  @Test
  void threeLinksDeliveringOneInitiationBecomeOnePeer() {
    byte[] init = WireGuardMessages.initiation(0x1111);
    Route first = send(A, init, T0);
    assertTrue(first.opensPeer());
    Peer p = first.peer();
    Route second = send(B, init, T0 + 1);
    Route third = send(C, init, T0 + 2);
    assertSame(p, second.peer());
    assertSame(p, third.peer());
    assertFalse(second.opensPeer() || third.opensPeer());
    assertEquals(Peer.State.TENTATIVE, p.state());

    assertEquals(set(A, B, C), wireGuardSends(p, WireGuardMessages.response(0x2222, 0x1111), T0 + 3));
    assertEquals(Peer.State.ACTIVE, p.state());
    assertEquals(3, p.memberCount());
    assertEquals(set(A, B, C), wireGuardSends(p, transport(0x1111, 0), T0 + 4));
  }

  @Test
  void otherLinksCopiesOfAnInitiationAreCopiesWireGuardHasAlready() {
    byte[] init = WireGuardMessages.initiation(0x1111);
    Route first = send(A, init, T0);
    assertFalse(first.copy());
    Peer p = first.peer();
    assertTrue(send(B, init, T0 + 1).copy(), "an initiator's copy while the peer is tentative");
    wireGuardSends(p, WireGuardMessages.response(0x2222, 0x1111), T0 + 2);
    Route late = send(C, init, T0 + 3);
    assertTrue(late.copy(), "a copy that arrives after WireGuard's answer: a member by copy, and still a copy");
    assertTrue(late.sender().isMember());
    assertFalse(send(A, transport(0x2222, 0), T0 + 4).copy(), "a member's own datagrams are not");
    assertFalse(send(D, WireGuardMessages.initiation(0x3333), T0 + 5).copy(), "nor another initiation");
  }

  @Test
  void membersGetDistinctSlots() {
    Peer p = activePeer(1, 2, T0, A, B, C);
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; i < p.memberCount(); i++) {
      slots.add(p.member(i).slot());
    }
    assertEquals(Set.of(0, 1, 2), slots);
  }

  @Test
  void copyOfAMembersInitiationMakesAMemberAtOnce() {
    Peer p = activePeer(1, 2, T0, A);
    byte[] rekey = WireGuardMessages.initiation(3);
    assertSame(p, send(A, rekey, T0 + SECOND).peer());
    events.clear();
    Route late = send(B, rekey, T0 + SECOND + 30_000_000);
    assertSame(p, late.peer());
    assertTrue(late.sender().isMember());
    assertEquals(List.of("added 10.2.0.2:40002 to " + p.id() + " by COPY"), events);
  }

  @Test
  void copyOfAMembersInitiationAfterFiveSecondsIsANewInitiation() {
    Peer p = activePeer(1, 2, T0, A);
    byte[] rekey = WireGuardMessages.initiation(3);
    send(A, rekey, T0);
    Route late = send(B, rekey, T0 + InitiationLog.MEMORY_NANOS);
    assertNotSame(p, late.peer());
    assertTrue(late.opensPeer());
  }

  @Test
  void laterMemberDatagramsGoToTheirPeer() {
    Peer p = activePeer(1, 2, T0, A, B);
    Route r = send(B, transport(2, 7), T0 + SECOND);
    assertSame(p, r.peer());
    assertSame(PeerAddress.Role.MEMBER, r.sender().role());
    assertEquals(T0 + SECOND, r.sender().lastSeenNanos());
  }

  @Test
  void twoClientsAreTwoPeersWithTheirOwnTraffic() {
    Peer p = activePeer(1, 2, T0, A, B);
    Peer q = activePeer(3, 4, T0, C, D);
    assertNotSame(p, q);
    assertEquals(set(A, B), wireGuardSends(p, transport(1, 0), T0 + 1));
    assertEquals(set(C, D), wireGuardSends(q, transport(3, 0), T0 + 1));
  }

  @Test
  void datagramNotShapedLikeWireGuardsIsRefused() {
    activePeer(1, 2, T0, A);
    Route r = send(A, new byte[] {9, 0, 0, 0, 1, 2, 3}, T0);
    assertFalse(r.forward());
    assertEquals(Route.Refusal.NOT_WIREGUARD, r.refusal());
    assertEquals(1, table.refusedNotWireGuard());
  }

  // ---- strangers

  @Test
  void strangersInitiationOpensATentativePeerOfItsOwn() {
    Peer p = activePeer(1, 2, T0, A);
    Route r = send(STRANGER, WireGuardMessages.initiation(5), T0);
    assertTrue(r.opensPeer());
    assertNotSame(p, r.peer());
    assertEquals(Peer.State.TENTATIVE, r.peer().state());
    assertSame(PeerAddress.Role.INITIATOR, r.sender().role());
  }

  @Test
  void strangerGetsTheCookieReplyToItsOwnInitiationAndNothingElse() {
    Peer p = activePeer(1, 2, T0, A);
    Peer t = send(STRANGER, WireGuardMessages.initiation(5), T0).peer();
    assertEquals(set(STRANGER), wireGuardSends(t, WireGuardMessages.cookieReply(5), T0 + 1));
    assertEquals(set(), wireGuardSends(t, WireGuardMessages.cookieReply(6), T0 + 2));
    assertEquals(set(), wireGuardSends(t, WireGuardMessages.initiation(7), T0 + 3));
    assertEquals(set(A), wireGuardSends(p, transport(1, 0), T0 + 4));
    assertEquals(set(A), wireGuardSends(p, WireGuardMessages.initiation(8), T0 + 5));
    assertEquals(Peer.State.TENTATIVE, t.state());
  }

  @Test
  void strangerReusingAClientsSenderIndexWithOtherBytesGetsNoneOfItsReplies() {
    Peer p = activePeer(1, 2, T0, A);
    send(A, WireGuardMessages.initiation(9), T0 + SECOND);
    Route forged = send(STRANGER, WireGuardMessages.initiation(9), T0 + SECOND + 1);
    assertNotSame(p, forged.peer());
    assertEquals(set(A), wireGuardSends(p, WireGuardMessages.response(10, 9), T0 + SECOND + 2));
    assertEquals(PeerAddress.Role.INITIATOR, table.address(STRANGER).role());
  }

  @Test
  void retryFromAnInitiatorGoesToTheSamePeer() {
    Peer t = send(STRANGER, WireGuardMessages.initiation(5), T0).peer();
    Route retry = send(STRANGER, WireGuardMessages.initiation(6), T0 + 5 * SECOND);
    assertSame(t, retry.peer());
    assertFalse(retry.opensPeer());
    assertEquals(1, table.tentativeCount());
  }

  @Test
  void strangerEchoingAKnownIndexIsACandidateThatReceivesNoTransport() {
    Peer p = activePeer(1, 0x2222, T0, A);
    Route r = send(STRANGER, transport(0x2222, 99), T0 + 1);
    assertSame(p, r.peer(), "forwarded: WireGuard authenticates it");
    assertSame(PeerAddress.Role.CANDIDATE, r.sender().role());
    int reached = 0;
    for (int i = 0; i < 1000; i++) {
      reached += wireGuardSends(p, transport(1, i), T0 + 2 + i).contains(STRANGER) ? 1 : 0;
      send(A, transport(0x2222, 100 + i), T0 + 2 + i);
    }
    assertEquals(0, reached);
  }

  @Test
  void candidateGetsNoHandshakeMessagesEither() {
    Peer p = activePeer(1, 0x2222, T0, A);
    send(STRANGER, transport(0x2222, 99), T0 + 1);
    assertEquals(set(A), wireGuardSends(p, WireGuardMessages.initiation(0x3333), T0 + 2));
  }

  @Test
  void strangersResponseNamingAKnownIndexIsACandidate() {
    Peer p = activePeer(1, 0x2222, T0, A);
    Route r = send(STRANGER, WireGuardMessages.response(77, 0x2222), T0 + 1);
    assertSame(p, r.peer());
    assertSame(PeerAddress.Role.CANDIDATE, r.sender().role());
  }

  @Test
  void handshakeReplyNamingAnUnknownIndexIsRefused() {
    activePeer(1, 2, T0, A);
    Route r = send(STRANGER, WireGuardMessages.cookieReply(0x5555), T0);
    assertEquals(Route.Refusal.UNKNOWN_INDEX, r.refusal());
    assertNull(table.address(STRANGER));
    assertEquals(1, table.refusedUnknownIndex());
  }

  @Test
  void strangersResponseNamingAnUnknownIndexIsRefused() {
    activePeer(1, 2, T0, A);
    Route r = send(STRANGER, WireGuardMessages.response(77, 0x5555), T0);
    assertEquals(Route.Refusal.UNKNOWN_INDEX, r.refusal());
    assertNull(table.address(STRANGER));
  }

  @Test
  void strangersCookieReplyNamingAKnownIndexIsACandidate() {
    Peer p = activePeer(1, 0x2222, T0, A);
    Route r = send(STRANGER, WireGuardMessages.cookieReply(0x2222), T0 + 1);
    assertSame(p, r.peer());
    assertSame(PeerAddress.Role.CANDIDATE, r.sender().role());
  }

  @Test
  void candidateNamingAnotherPeersIndexStaysWithItsFirstPeer() {
    Peer p = activePeer(1, 0x2222, T0, A);
    activePeer(3, 0x4444, T0, C);
    send(STRANGER, transport(0x2222, 1), T0 + 1);
    assertSame(p, send(STRANGER, transport(0x4444, 1), T0 + 2).peer());
    assertEquals(1, table.candidateCount());
  }

  // ---- candidates' proofs

  @Test
  void candidateDeliveringAMembersCopyIsAdmitted() {
    Peer p = activePeer(1, 0x2222, T0, A);
    send(STRANGER, transport(0x2222, 99), T0 + 1);
    events.clear();
    assertTrue(table.provenCopy(STRANGER, T0 + 2));
    assertEquals(List.of("added 198.51.100.7:50000 to " + p.id() + " by COPY"), events);
    assertEquals(set(A, STRANGER), wireGuardSends(p, transport(1, 0), T0 + 3));
  }

  @Test
  void provenCopyOfAnAddressThatIsNoCandidateChangesNothing() {
    Peer p = activePeer(1, 2, T0, A);
    assertFalse(table.provenCopy(STRANGER, T0));
    assertFalse(table.provenCopy(A, T0));
    assertEquals(1, p.memberCount());
  }

  @Test
  void candidateAloneBeforeWireGuardsAnswerIsAdmittedWhenThePeerHasNoLiveMember() {
    Peer p = activePeer(1, 0x2222, T0, A);
    long later = T0 + TIMEOUT + SECOND;
    send(B, transport(0x2222, 50), later);
    assertEquals(set(B), wireGuardSends(p, transport(1, 60), later + 200_000_000));
    assertTrue(table.address(B).isMember());
  }

  @Test
  void answerLaterThanTheWindowAdmitsNobody() {
    Peer p = activePeer(1, 0x2222, T0, A);
    long later = T0 + TIMEOUT + SECOND;
    send(B, transport(0x2222, 50), later);
    assertEquals(set(), wireGuardSends(p, transport(1, 60), later + PeerTable.ANSWER_WINDOW_NANOS + 1));
    assertFalse(table.address(B).isMember());
  }

  @Test
  void answerAfterTwoSendersAdmitsNeither() {
    Peer p = activePeer(1, 0x2222, T0, A);
    long later = T0 + TIMEOUT + SECOND;
    send(B, transport(0x2222, 50), later);
    send(STRANGER, transport(0x2222, 51), later + 1);
    assertEquals(set(), wireGuardSends(p, transport(1, 60), later + 2));
    assertFalse(table.address(B).isMember());
    assertFalse(table.address(STRANGER).isMember());
  }

  @Test
  void answerWhileAMemberSpokeWithinASecondAdmitsNoCandidate() {
    Peer p = activePeer(1, 0x2222, T0, A);
    send(A, transport(0x2222, 49), T0 + SECOND / 2);
    send(STRANGER, transport(0x2222, 50), T0 + SECOND);
    assertEquals(set(A), wireGuardSends(p, transport(1, 60), T0 + SECOND + 1));
    assertFalse(table.address(STRANGER).isMember());
  }

  /**
   * Every link of a client came back on a new port (all were cut): the members fell silent, the one candidate
   * continues their session, WireGuard answers it: it takes over at once, not after clientTimeout.
   */
  @Test
  void answerAfterTheMembersFellSilentAdmitsTheCandidate() {
    Peer p = activePeer(1, 0x2222, T0, A);
    send(A, transport(0x2222, 49), T0);
    wireGuardSends(p, transport(1, 60), T0 + 1);
    send(B, transport(0x2222, 120), T0 + 3 * SECOND);
    wireGuardSends(p, transport(1, 61), T0 + 3 * SECOND + 1);
    assertTrue(table.address(B).isMember());
    assertEquals(set(A, B), wireGuardSends(p, transport(1, 62), T0 + 3 * SECOND + 2));
  }

  /**
   * All three links cut and back at once, each on a new port: three candidates deliver copies of the same
   * datagrams and no member is left to copy. The first copy goes to WireGuard, the others are copies (not second
   * senders), so WireGuard's answer admits the first; the others then deliver copies of a member's datagrams.
   */
  @Test
  void linksAllBackAtOnceAreNotManySendersWhenTheyDeliverCopies() {
    Peer p = activePeer(1, 0x2222, T0, A);
    send(A, transport(0x2222, 49), T0);
    wireGuardSends(p, transport(1, 60), T0 + 1);
    long back = T0 + 3 * SECOND;
    byte[] ping = transport(0x2222, 120);
    Route first = send(B, ping, back);
    assertTrue(first.forward() && !first.copy(), "the first copy goes to WireGuard");
    Route second = send(C, ping, back + 1);
    assertTrue(second.forward() && second.copy(), "the second is a copy WireGuard has");
    assertTrue(send(STRANGER, ping, back + 2).copy(), "so is a third, from wherever");
    assertEquals(2, table.candidateCopies());
    assertEquals(set(A, B), wireGuardSends(p, transport(1, 61), back + 3), "the answer admits B");
    assertTrue(table.address(B).isMember());
    assertFalse(table.address(C).isMember(), "C still has to prove itself, by a copy of a member's datagram");
    byte[] next = transport(0x2222, 121);
    send(B, next, back + 4);
    Route later = send(C, next, back + 5);
    assertFalse(later.copy(), "a copy of a member's datagram is the relay's duplicate tracker's to judge");
    assertTrue(table.provenCopy(C, back + 5));
  }

  @Test
  void aCandidateWithOtherBytesUnderTheSameCounterIsASecondSender() {
    Peer p = activePeer(1, 0x2222, T0, A);
    long later = T0 + TIMEOUT + SECOND;
    send(B, transport(0x2222, 50), later);
    Route other = send(STRANGER, transport(0x2222, 50), later + 1);
    assertFalse(other.copy(), "same index and counter, other bytes: not a copy");
    assertEquals(set(), wireGuardSends(p, transport(1, 60), later + 2));
    assertFalse(table.address(B).isMember());
    assertFalse(table.address(STRANGER).isMember());
  }

  @Test
  void aMembersDatagramsAreNoSoleCandidateToCopy() {
    Peer p = activePeer(1, 0x2222, T0, A);
    byte[] d = transport(0x2222, 50);
    send(A, d, T0 + 1);
    assertFalse(send(B, d, T0 + 2).copy(), "a copy of a member's goes on to the duplicate tracker");
    assertEquals(0, table.candidateCopies());
  }

  /** What an unproven address sends goes to WireGuard at a candidate's rate: a burst, then 200 a second. */
  @Test
  void aCandidateReachesWireGuardAtMostAtItsRate() {
    activePeer(1, 0x2222, T0, A);
    int forwarded = 0;
    for (int i = 0; i < 100; i++) {
      forwarded += send(STRANGER, transport(0x2222, 10 + i), T0 + 1).forward() ? 1 : 0;
    }
    assertEquals(PeerTable.CANDIDATE_BURST, forwarded);
    Route more = send(STRANGER, transport(0x2222, 200), T0 + 2);
    assertEquals(Limit.CANDIDATE_RATE, more.limit());
    assertTrue(send(STRANGER, transport(0x2222, 201), T0 + 1 + SECOND / PeerTable.CANDIDATE_RATE).forward(),
        "one more after 1/200 s");
    assertTrue(table.count(Limit.CANDIDATE_RATE) >= 36);
    assertTrue(events.contains("limit CANDIDATE_RATE"), "reported once: " + events);
  }

  @Test
  void allCandidatesTogetherReachWireGuardAtMostAtTheirRate() {
    int forwarded = 0;
    for (int p = 0; p < 3; p++) {
      activePeer(p + 1, 0x3000 + p, T0, new InetSocketAddress("10.9." + p + ".1", 1000));
    }
    for (int p = 0; p < 3; p++) {
      for (int c = 0; c < 8; c++) {
        InetSocketAddress candidate = new InetSocketAddress("198.51." + p + "." + (c + 1), 2000);
        for (int i = 0; i < PeerTable.CANDIDATE_BURST; i++) {
          forwarded += send(candidate, transport(0x3000 + p, 10 + i), T0 + 1).forward() ? 1 : 0;
        }
      }
    }
    assertEquals(PeerTable.CANDIDATES_BURST, forwarded, "24 candidates' bursts, 1,536 datagrams: the shared burst");
  }

  @Test
  void membersAreNotRateLimited() {
    activePeer(1, 0x2222, T0, A);
    for (int i = 0; i < 5_000; i++) {
      assertTrue(send(A, transport(0x2222, 10 + i), T0 + 1).forward());
    }
  }

  /** A stranger who sprays a known index cannot also guess where the session's counter is: refused outright. */
  @Test
  void aCandidateWhoseCounterDoesNotContinueTheSessionIsRefused() {
    Peer p = activePeer(1, 0x2222, T0, A);
    send(A, transport(0x2222, 49), T0);
    Route r = send(STRANGER, transport(0x2222, 1_000_000_000L), T0 + 3 * SECOND);
    assertFalse(r.forward());
    assertEquals(Route.Refusal.IMPLAUSIBLE_COUNTER, r.refusal());
    assertEquals(set(A), wireGuardSends(p, transport(1, 61), T0 + 3 * SECOND + 1));
    assertNull(table.address(STRANGER));
  }

  @Test
  void wireGuardsOwnInitiationIsNoAnswer() {
    Peer p = activePeer(1, 0x2222, T0, A);
    long later = T0 + TIMEOUT + SECOND;
    send(B, transport(0x2222, 50), later);
    wireGuardSends(p, WireGuardMessages.initiation(0x4444), later + 1);
    assertFalse(table.address(B).isMember());
  }

  // ---- roaming

  @Test
  void memberWhosePortChangesIsReadmittedByItsCopies() {
    Peer p = activePeer(1, 0x2222, T0, A, B);
    InetSocketAddress roamed = new InetSocketAddress(B.getAddress(), 40999);
    Route r = send(roamed, transport(0x2222, 70), T0 + SECOND);
    assertSame(p, r.peer());
    assertFalse(r.sender().isMember());
    assertTrue(table.provenCopy(roamed, T0 + SECOND + 1));
    send(A, transport(0x2222, 71), T0 + TIMEOUT - SECOND);
    send(roamed, transport(0x2222, 71), T0 + TIMEOUT - SECOND);
    table.expire(T0 + TIMEOUT + SECOND);
    assertNull(table.address(B));
    assertEquals(set(A, roamed), wireGuardSends(p, transport(1, 0), T0 + TIMEOUT + SECOND));
  }

  @Test
  void singleLinkWhosePortChangedIsReadmittedByWireGuardsAnswer() {
    Peer p = activePeer(1, 0x2222, T0, A);
    InetSocketAddress roamed = new InetSocketAddress(A.getAddress(), 40999);
    long later = T0 + TIMEOUT + SECOND;
    table.expire(later);
    assertNull(table.address(A));
    send(roamed, transport(0x2222, 80), later);
    assertEquals(set(roamed), wireGuardSends(p, transport(1, 80), later + 1_000_000));
  }

  @Test
  void singleLinkWhosePortChangedRejoinsThroughItsNextHandshake() {
    activePeer(1, 0x2222, T0, A);
    InetSocketAddress roamed = new InetSocketAddress(A.getAddress(), 40999);
    send(roamed, transport(0x2222, 80), T0 + SECOND);
    Route handshake = send(roamed, WireGuardMessages.initiation(0x0101), T0 + 16 * SECOND);
    Peer t = handshake.peer();
    assertEquals(set(roamed), wireGuardSends(t, WireGuardMessages.response(0x0202, 0x0101), T0 + 16 * SECOND + 1));
    assertTrue(table.address(roamed).isMember());
    assertSame(t, table.address(roamed).peer());
  }

  // ---- merging: a new link's copy of an initiation arrives before a member's

  @Test
  void newLinksCopyFirstThenAMembersCopyMergesTheTwoPeers() {
    Peer p = activePeer(1, 2, T0, A, B);
    byte[] rekey = WireGuardMessages.initiation(3);
    long t = T0 + 10 * SECOND;
    Peer opened = send(C, rekey, t).peer();
    assertNotSame(p, opened);
    assertEquals(set(C), wireGuardSends(opened, WireGuardMessages.response(4, 3), t + 1_000_000));
    events.clear();
    Route member = send(A, rekey, t + 30_000_000);
    assertSame(p, member.peer());
    assertEquals(Peer.State.MERGED, opened.state());
    assertSame(p, opened.effective());
    assertTrue(events.contains("merged " + opened.id() + " into " + p.id()), events.toString());
    assertEquals(set(A, B, C), wireGuardSends(p, transport(1, 0), t + 40_000_000));
    assertEquals(set(A, B, C), wireGuardSends(opened, transport(3, 0), t + 40_000_000));
    assertSame(p, send(STRANGER, transport(4, 1), t + 50_000_000).peer(), "the index learned there is the survivor's");
  }

  @Test
  void copyStillTentativeWhenTheMemberDeliversMergesBeforeWireGuardAnswers() {
    Peer p = activePeer(1, 2, T0, A);
    byte[] rekey = WireGuardMessages.initiation(3);
    Peer opened = send(C, rekey, T0 + SECOND).peer();
    send(A, rekey, T0 + SECOND + 1);
    assertEquals(Peer.State.MERGED, opened.state());
    assertEquals(0, table.tentativeCount());
    assertEquals(set(A, C), wireGuardSends(opened, WireGuardMessages.response(4, 3), T0 + SECOND + 2));
  }

  @Test
  void mergedPeerClosesOnceWireGuardFallsQuietOnIt() {
    Peer p = activePeer(1, 2, T0, A);
    byte[] rekey = WireGuardMessages.initiation(3);
    Peer opened = send(C, rekey, T0 + SECOND).peer();
    send(A, rekey, T0 + SECOND + 1);
    wireGuardSends(opened, WireGuardMessages.response(4, 3), T0 + 2 * SECOND);
    table.expire(T0 + 2 * SECOND + PeerTable.ALIAS_TIMEOUT_NANOS - 1);
    assertEquals(Peer.State.MERGED, opened.state());
    table.expire(T0 + 2 * SECOND + PeerTable.ALIAS_TIMEOUT_NANOS);
    assertEquals(Peer.State.CLOSED, opened.state());
    assertEquals(Peer.State.ACTIVE, p.state());
  }

  // ---- WireGuard's own handshakes

  @Test
  void wireGuardsInitiationGoesToThePeersMembersOnly() {
    Peer p = activePeer(1, 2, T0, A, B);
    activePeer(3, 4, T0, C);
    send(STRANGER, transport(2, 5), T0 + 1);
    send(D, WireGuardMessages.initiation(6), T0 + 2);
    assertEquals(set(A, B), wireGuardSends(p, WireGuardMessages.initiation(7), T0 + 3));
  }

  @Test
  void wireGuardsInitiationTeachesTheIndexTheClientAnswersWith() {
    Peer p = activePeer(1, 2, T0, A);
    wireGuardSends(p, WireGuardMessages.initiation(0x7777), T0 + 1);
    Route r = send(B, WireGuardMessages.response(0x8888, 0x7777), T0 + 2);
    assertSame(p, r.peer());
    assertEquals(PeerAddress.Role.CANDIDATE, r.sender().role());
  }

  @Test
  void responseGoesToMembersAndToTheInitiationsSenders() {
    Peer p = activePeer(1, 2, T0, A, B);
    byte[] rekey = WireGuardMessages.initiation(3);
    send(A, rekey, T0 + SECOND);
    assertEquals(set(A, B), wireGuardSends(p, WireGuardMessages.response(4, 3), T0 + SECOND + 1));
    Peer t = send(C, WireGuardMessages.initiation(5), T0 + SECOND).peer();
    send(D, WireGuardMessages.initiation(5), T0 + SECOND);
    assertEquals(set(C), wireGuardSends(t, WireGuardMessages.response(6, 5), T0 + SECOND + 2),
        "D's bytes differ: its own peer, its own reply");
  }

  @Test
  void responseReachesAnInitiatorBeyondTheMemberLimit() {
    byte[] init = WireGuardMessages.initiation(1);
    Peer p = send(A, init, T0).peer();
    for (int i = 0; i < Initiation.MAX_SENDERS - 1; i++) {
      send(new InetSocketAddress("10.9.0." + (i + 1), 4000), init, T0);
    }
    assertEquals(Initiation.MAX_SENDERS, wireGuardSends(p, WireGuardMessages.response(2, 1), T0 + 1).size());
  }

  // ---- index collisions

  @Test
  void twoPeersHoldingTheSameServerIndexKeepTheirTrafficApart() {
    Peer p = activePeer(1, 0x5A5A, T0, A);
    Peer q = activePeer(3, 0x5A5A, T0 + SECOND, C);
    assertEquals(set(A), wireGuardSends(p, transport(1, 0), T0 + 2 * SECOND));
    assertEquals(set(C), wireGuardSends(q, transport(3, 0), T0 + 2 * SECOND));
    assertSame(p, send(A, transport(0x5A5A, 1), T0 + 2 * SECOND).peer());
    assertSame(q, send(C, transport(0x5A5A, 1), T0 + 2 * SECOND).peer());
  }

  @Test
  void sharedIndexNamesThePeerThatLearnedItLast() {
    activePeer(1, 0x5A5A, T0, A);
    Peer q = activePeer(3, 0x5A5A, T0 + SECOND, C);
    assertSame(q, send(STRANGER, transport(0x5A5A, 1), T0 + 2 * SECOND).peer());
  }

  @Test
  void sharedIndexStillNamesTheOtherPeerAfterOneCloses() {
    Peer p = activePeer(1, 0x5A5A, T0, A);
    Peer q = activePeer(3, 0x5A5A, T0 + SECOND, C);
    table.close(q);
    assertSame(p, send(STRANGER, transport(0x5A5A, 1), T0 + 2 * SECOND).peer());
    assertEquals(1, table.indexCount());
  }

  // ---- restart mid-session

  @Test
  void transportNamingAnUnknownIndexOpensAPeerOnItsSecondSighting() {
    byte[] d = transport(0x4242, 1000);
    Route first = send(A, d, T0);
    assertEquals(Route.Refusal.UNKNOWN_INDEX, first.refusal(), "once is what a sprayer does");
    assertEquals(0, table.peers().size());
    Route r = send(B, d, T0 + 1);
    assertTrue(r.opensPeer(), "another link's copy opens the peer");
    assertEquals(Peer.State.TENTATIVE, r.peer().state());
    assertSame(PeerAddress.Role.CANDIDATE, r.sender().role());
    assertSame(r.peer(), table.address(A).peer(), "the first sighting's sender is a candidate too");
    assertSame(PeerAddress.Role.CANDIDATE, table.address(A).role());
  }

  @Test
  void aSingleLinksNextDatagramIsTheSecondSighting() {
    send(A, transport(0x4242, 1000), T0);
    Route r = send(A, transport(0x4242, 1001), T0 + SECOND / 2);
    assertTrue(r.opensPeer());
    assertEquals(1, r.peer().candidateCount());
  }

  @Test
  void aSecondSightingLaterThanASecondIsAFirstOneAgain() {
    send(A, transport(0x4242, 1000), T0);
    assertEquals(Route.Refusal.UNKNOWN_INDEX, send(A, transport(0x4242, 1001), T0 + SECOND + 1).refusal());
    assertTrue(send(A, transport(0x4242, 1002), T0 + SECOND + 2).opensPeer());
  }

  @Test
  void copiesFromTheClientsOtherLinksJoinThatPeer() {
    byte[] d = transport(0x4242, 1000);
    send(A, d, T0);
    Peer r = send(B, d, T0 + 1).peer();
    Route c = send(C, d, T0 + 2);
    assertSame(r, c.peer());
    assertFalse(c.opensPeer());
    assertEquals(3, r.candidateCount());
    assertEquals(1, table.peers().size());
  }

  @Test
  void resumedPeersCandidatesGetNothingUntilWireGuardAnswers() {
    send(A, transport(0x4242, 1000), T0);
    Peer r = send(B, transport(0x4242, 1000), T0 + 1).peer();
    assertEquals(0, r.memberCount());
    assertEquals(set(A, B), wireGuardSends(r, transport(0x9999, 5), T0 + 2));
    assertEquals(Peer.State.ACTIVE, r.state());
    assertEquals(2, r.memberCount());
    assertTrue(events.contains("active " + r.id()));
  }

  @Test
  void resumedPeerThatWireGuardNeverAnswersCloses() {
    send(A, transport(0x4242, 999), T0);
    Peer r = send(A, transport(0x4242, 1000), T0).peer();
    table.expire(T0 + PeerTable.TENTATIVE_TIMEOUT_NANOS - 1);
    assertEquals(Peer.State.TENTATIVE, r.state());
    table.expire(T0 + PeerTable.TENTATIVE_TIMEOUT_NANOS);
    assertEquals(Peer.State.CLOSED, r.state());
    assertNull(table.address(A));
    assertEquals(0, table.indexCount());
    assertEquals(List.of("closed " + r.id()), events);
  }

  // ---- expiry

  @Test
  void silentMemberExpiresAfterTheClientTimeout() {
    Peer p = activePeer(1, 2, T0, A, B);
    send(A, transport(2, 1), T0 + 20 * SECOND);
    events.clear();
    table.expire(T0 + TIMEOUT - 1);
    assertEquals(2, p.memberCount());
    table.expire(T0 + TIMEOUT);
    assertEquals(List.of("removed 10.2.0.2:40002 from " + p.id() + " EXPIRED"), events);
    assertEquals(set(A), wireGuardSends(p, transport(1, 0), T0 + TIMEOUT));
  }

  @Test
  void silentMemberGetsNothingEvenBeforeExpiryRuns() {
    Peer p = activePeer(1, 2, T0, A, B);
    send(A, transport(2, 1), T0 + 20 * SECOND);
    assertEquals(set(A), wireGuardSends(p, transport(1, 0), T0 + TIMEOUT));
  }

  @Test
  void indexExpiresWithWireGuardsKeyLifetime() {
    activePeer(1, 0x2222, T0, A);
    table.expire(T0 + PeerTable.INDEX_LIFETIME_NANOS - 1);
    assertEquals(1, table.indexCount());
    table.expire(T0 + PeerTable.INDEX_LIFETIME_NANOS);
    assertEquals(0, table.indexCount());
  }

  @Test
  void peerWithNeitherMembersNorIndicesCloses() {
    Peer p = activePeer(1, 0x2222, T0, A);
    table.expire(T0 + TIMEOUT);
    assertEquals(Peer.State.ACTIVE, p.state(), "its index is still live");
    events.clear();
    table.expire(T0 + PeerTable.INDEX_LIFETIME_NANOS);
    assertEquals(Peer.State.CLOSED, p.state());
    assertEquals(List.of("closed " + p.id()), events);
    assertNull(table.peer(p.id()));
    assertEquals(0, table.peers().size());
  }

  @Test
  void peerWithMembersOutlivesItsIndices() {
    Peer p = activePeer(1, 0x2222, T0, A);
    send(A, transport(0x2222, 1), T0 + PeerTable.INDEX_LIFETIME_NANOS - SECOND);
    table.expire(T0 + PeerTable.INDEX_LIFETIME_NANOS);
    assertEquals(Peer.State.ACTIVE, p.state());
  }

  @Test
  void unansweredInitiationsPeerClosesAfterTheTentativeTimeout() {
    Peer t = send(STRANGER, WireGuardMessages.initiation(5), T0).peer();
    table.expire(T0 + PeerTable.TENTATIVE_TIMEOUT_NANOS - 1);
    assertEquals(Peer.State.TENTATIVE, t.state());
    table.expire(T0 + PeerTable.TENTATIVE_TIMEOUT_NANOS);
    assertEquals(Peer.State.CLOSED, t.state());
    assertNull(table.address(STRANGER));
    assertEquals(0, table.tentativeCount());
    assertEquals(0, table.initiationCount());
  }

  @Test
  void initiationIsForgottenAfterFiveSeconds() {
    activePeer(1, 2, T0, A);
    send(A, WireGuardMessages.initiation(3), T0 + SECOND);
    assertEquals(2, table.initiationCount());
    table.expire(T0 + SECOND + InitiationLog.MEMORY_NANOS);
    assertEquals(0, table.initiationCount());
  }

  @Test
  void candidateExpiresAfterTheClientTimeout() {
    activePeer(1, 0x2222, T0, A);
    send(STRANGER, transport(0x2222, 9), T0);
    send(A, transport(0x2222, 10), T0 + TIMEOUT - 1);
    table.expire(T0 + TIMEOUT);
    assertNull(table.address(STRANGER));
    assertEquals(0, table.candidateCount());
  }

  @Test
  void shorterClientTimeoutAppliesAtOnce() {
    Peer p = activePeer(1, 2, T0, A);
    table.setClientTimeoutNanos(5 * SECOND);
    assertEquals(set(), wireGuardSends(p, transport(1, 0), T0 + 5 * SECOND));
  }

  @Test
  void peerClosedByTheCallerForgetsItsAddressesAndSaysSo() {
    Peer p = activePeer(1, 0x2222, T0, A, B);
    events.clear();
    table.close(p);
    assertEquals(List.of("removed 10.2.0.2:40002 from " + p.id() + " DROPPED",
        "removed 10.1.0.2:40001 from " + p.id() + " DROPPED", "closed " + p.id()), events);
    assertEquals(0, table.addressCount());
    assertEquals(0, table.indexCount());
  }

  @Test
  void datagramOnAClosedPeersSocketGoesNowhere() {
    Peer p = activePeer(1, 2, T0, A);
    table.close(p);
    assertEquals(set(), wireGuardSends(p, transport(1, 0), T0 + 1));
    assertEquals(1, table.ignoredFromWireGuard());
  }

  // ---- limits

  @Test
  void tentativeInitiationsPastTheirLimitAreRefusedCountedAndReportedOnce() {
    table = new PeerTable(TIMEOUT, new PeerLimits(100, 2, 2, 10, 4, 4), recorder);
    send(A, WireGuardMessages.initiation(1), T0);
    send(B, WireGuardMessages.initiation(2), T0);
    Route third = send(C, WireGuardMessages.initiation(3), T0);
    Route fourth = send(D, WireGuardMessages.initiation(4), T0);
    assertEquals(Route.Refusal.LIMIT, third.refusal());
    assertEquals(Limit.TENTATIVE_INITIATIONS, fourth.limit());
    assertEquals(2, table.count(Limit.TENTATIVE_INITIATIONS));
    assertEquals(List.of("limit TENTATIVE_INITIATIONS"), events);
    assertNull(table.address(C));
  }

  @Test
  void floodOfUnknownIndicesDoesNotStopNewHandshakes() {
    table = new PeerTable(TIMEOUT, new PeerLimits(100, 2, 2, 10, 4, 4), recorder);
    for (int i = 0; i < 10; i++) {
      InetSocketAddress a = new InetSocketAddress("203.0.113." + (i + 1), 1000);
      send(a, transport(0x1000 + i, 0), T0);
      send(a, transport(0x1000 + i, 1), T0);
    }
    assertEquals(8, table.count(Limit.TENTATIVE_RESUMES));
    assertTrue(send(A, WireGuardMessages.initiation(1), T0).opensPeer());
  }

  @Test
  void peersPastTheirLimitAreRefused() {
    table = new PeerTable(TIMEOUT, new PeerLimits(2, 4, 4, 10, 4, 4), recorder);
    activePeer(1, 2, T0, A);
    activePeer(3, 4, T0, B);
    Route r = send(C, WireGuardMessages.initiation(5), T0);
    assertEquals(Limit.PEERS, r.limit());
    assertEquals(1, table.count(Limit.PEERS));
  }

  @Test
  void sixtyFifthLinkIsRefusedMembership() {
    byte[] init = WireGuardMessages.initiation(1);
    Peer p = send(address(0), init, T0).peer();
    for (int i = 1; i < Initiation.MAX_SENDERS; i++) {
      send(address(i), init, T0);
    }
    wireGuardSends(p, WireGuardMessages.response(2, 1), T0);
    for (int i = Initiation.MAX_SENDERS; i < Peer.MAX_MEMBERS; i++) {
      send(address(i), transport(2, 1), T0);
      assertTrue(table.provenCopy(address(i), T0));
    }
    assertEquals(Peer.MAX_MEMBERS, p.memberCount());
    send(address(64), transport(2, 1), T0);
    assertFalse(table.provenCopy(address(64), T0));
    assertEquals(1, table.count(Limit.MEMBERS_PER_PEER));
    assertTrue(events.contains("limit MEMBERS_PER_PEER"));
  }

  private static InetSocketAddress address(int i) {
    return new InetSocketAddress("10.8." + (i / 200) + "." + (i % 200 + 1), 5000 + i);
  }

  @Test
  void candidatesPastThePeersLimitPushOutTheLeastRecentlyHeard() {
    table = new PeerTable(TIMEOUT, new PeerLimits(10, 4, 4, 100, 2, 4), recorder);
    activePeer(1, 0x2222, T0, A);
    send(B, transport(0x2222, 1), T0 + 1);
    send(C, transport(0x2222, 1), T0 + 2);
    send(B, transport(0x2222, 2), T0 + 3);
    send(D, transport(0x2222, 1), T0 + 4);
    assertNull(table.address(C));
    assertEquals(PeerAddress.Role.CANDIDATE, table.address(B).role());
    assertEquals(PeerAddress.Role.CANDIDATE, table.address(D).role());
    assertEquals(1, table.count(Limit.CANDIDATES));
  }

  @Test
  void candidatesPastTheGlobalLimitPushOutTheLeastRecentlyHeard() {
    table = new PeerTable(TIMEOUT, new PeerLimits(10, 4, 4, 2, 2, 4), recorder);
    activePeer(1, 0x2222, T0, A);
    activePeer(3, 0x4444, T0, D);
    send(B, transport(0x2222, 1), T0 + 1);
    send(C, transport(0x4444, 1), T0 + 2);
    send(STRANGER, transport(0x4444, 2), T0 + 3);
    assertNull(table.address(B));
    assertEquals(2, table.candidateCount());
  }

  @Test
  void initiatorsPastThePeersLimitAreRefused() {
    table = new PeerTable(TIMEOUT, new PeerLimits(10, 4, 4, 10, 2, 2), recorder);
    byte[] init = WireGuardMessages.initiation(1);
    send(A, init, T0);
    send(B, init, T0);
    Route third = send(C, init, T0);
    assertEquals(Limit.INITIATORS_PER_PEER, third.limit());
  }

  // ---- floods

  @Test
  void floodOfRandomIndicesFromOneAddressHoldsOnePeer() {
    activePeer(1, 0x2222, T0, A);
    Random random = new Random(1);
    for (int i = 0; i < 100_000; i++) {
      send(STRANGER, transport(random.nextInt(), i), T0 + i * 20_000L);
    }
    assertEquals(1, table.peers().size(), "an index named once opens nothing");
    assertEquals(1, table.addressCount());
    assertEquals(100_000, table.refusedUnknownIndex());
    assertEquals(set(A), wireGuardSends(table.address(A).peer(), transport(1, 0), T0 + 2 * SECOND));
  }

  @Test
  void floodOfRandomIndicesFromSpoofedAddressesStaysWithinBounds() {
    activePeer(1, 0x2222, T0, A);
    Random random = new Random(2);
    PeerLimits l = PeerLimits.DEFAULT;
    for (int i = 0; i < 100_000; i++) {
      InetSocketAddress spoofed = new InetSocketAddress("100.64." + (i >>> 8 & 255) + "." + (i & 255), 1024 + (i >>> 16));
      // Each index twice, as a sprayer that read this code would: a peer asked for every time.
      int index = random.nextInt();
      send(spoofed, transport(index, 0), T0 + i * 20_000L);
      send(spoofed, transport(index, 1), T0 + i * 20_000L);
      if (i % 10_000 == 0) {
        table.expire(T0 + i * 20_000L);
      }
    }
    assertTrue(table.tentativeCount() <= l.maxTentativeResumes(), "tentative " + table.tentativeCount());
    assertTrue(table.peers().size() <= 1 + l.maxTentativeResumes());
    assertTrue(table.addressCount() <= 1 + l.maxTentativeResumes() + l.maxCandidates(), "" + table.addressCount());
    assertTrue(table.indexCount() <= 1 + l.maxTentativeResumes());
    assertTrue(table.count(Limit.TENTATIVE_RESUMES) > 90_000);
    assertEquals(set(A), wireGuardSends(table.address(A).peer(), transport(1, 0), T0 + 2 * SECOND));
  }

  @Test
  void floodOfJunkInitiationsFromSpoofedAddressesStaysWithinBounds() {
    PeerLimits l = PeerLimits.DEFAULT;
    for (int i = 0; i < 100_000; i++) {
      InetSocketAddress spoofed = new InetSocketAddress("100.65." + (i >>> 8 & 255) + "." + (i & 255), 1024 + (i >>> 16));
      send(spoofed, WireGuardMessages.initiation(i), T0 + i * 20_000L);
    }
    assertEquals(l.maxTentativeInitiations(), table.tentativeCount());
    assertEquals(l.maxTentativeInitiations(), table.addressCount());
    assertEquals(l.maxTentativeInitiations(), table.initiationCount());
  }

  @Test
  void floodOfJunkInitiationsFromOneAddressHoldsOnePeerAndFourInitiations() {
    for (int i = 0; i < 100_000; i++) {
      send(STRANGER, WireGuardMessages.initiation(i), T0 + i * 20_000L);
    }
    assertEquals(1, table.peers().size());
    assertEquals(Peer.INITIATIONS_KEPT, table.initiationCount());
  }

  // ---- the packet path

  @Test
  void membersDatagramsAllocateNothingEitherWay() {
    Peer p = activePeer(1, 0x2222, T0, A, B, C);
    ByteBuf up = buf(transport(0x2222, 1));
    ByteBuf down = buf(transport(1, 1));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int warm = 0; warm < 3; warm++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 100_000; i++) {
        table.fromClient(B, up, T0 + i);
        table.fromWireGuard(p, down, T0 + i);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      if (warm == 2) {
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 200,000 datagrams");
      }
    }
  }
}
