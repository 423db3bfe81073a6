package org.rengarde.server;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import org.rengarde.server.PeerEvents.Admission;
import org.rengarde.server.PeerEvents.Removal;
import org.rengarde.wire.DatagramHash;
import org.rengarde.wire.WireGuardShape;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's client addresses grouped into peers (one WireGuard session of one client each), and the two
 * decisions of the relay: where a datagram from a client address goes ({@link #fromClient}), and which addresses a
 * datagram WireGuard sent on a peer's socket goes to ({@link #fromWireGuard}). No sockets here: the caller owns one
 * WireGuard-facing socket per peer and closes it on {@link PeerEvents#peerClosed}. Owned by one event loop; a known
 * member's datagram, either way, allocates nothing.
 *
 * <p>Admitting an address to a peer (it then receives the peer's transport) is the security boundary. Proofs, from
 * strongest:
 * <ul>
 *   <li>WireGuard answered the initiation the address delivered (a type-2 response whose receiver index is that
 *       initiation's sender index, on the socket the initiation went out of): {@link Admission#INITIATION};</li>
 *   <li>the address delivered a byte-identical copy of a datagram a member delivered: only a sender on the path can
 *       copy it. Initiations the table compares itself; for other datagrams the caller's duplicate tracker tells
 *       it through {@link #provenCopy}: {@link Admission#COPY};</li>
 *   <li>WireGuard answered on the peer's socket right after this address's datagrams: (a) a peer opened for an index
 *       the relay never saw (restart mid-session) admits every candidate that sent to it when WireGuard first sends
 *       anything on its socket, which is fresh, so WireGuard only sends there after authenticating a datagram that
 *       went out of it (such a peer opens when the index is named a second time, see {@link UnknownIndexSightings});
 *       (b) an active peer none of whose members sent within {@link #ANSWER_WINDOW_NANOS} admits a
 *       candidate when WireGuard sends transport on its socket within that time of the candidate's last datagram and
 *       nothing else was sent to the socket since WireGuard's previous datagram on it: {@link Admission#ANSWER}
 *       (the weakest proof: a stranger naming a known index while the client is silent could be taken in by
 *       WireGuard's own periodic transport, a persistent keepalive, arriving in that second).</li>
 * </ul>
 * Naming a known index only makes a candidate: its datagrams go to WireGuard (which authenticates them), and it
 * receives nothing. An address that proved nothing receives only the replies to its own initiations, no more than
 * a stranger gets from WireGuard directly.
 *
 * <p>Two peers can turn out to be one client: a new link's copy of an initiation arriving before a member's copy
 * opens a peer of its own, and WireGuard answers there. When a member then delivers the same initiation, the two
 * merge: the survivor (the member's peer when the other is tentative, else the older) takes the members and indices;
 * the other stays MERGED for {@link #ALIAS_TIMEOUT_NANOS} after WireGuard's last datagram on it, passing them on.
 *
 * <p>Memory: see {@link Peer}; strangers are bounded by {@link PeerLimits}.
 */
public final class PeerTable {
  /** A tentative peer that WireGuard has not answered within this much is closed. */
  public static final long TENTATIVE_TIMEOUT_NANOS = 10_000_000_000L;
  /** A merged peer's socket is closed once WireGuard has not sent on it for this much. */
  public static final long ALIAS_TIMEOUT_NANOS = 10_000_000_000L;
  /**
   * WireGuard rejects a key 180 s after its handshake (REJECT_AFTER_TIME); the key may be made a round trip after
   * the relay saw its index, hence the margin.
   */
  public static final long INDEX_LIFETIME_NANOS = 185_000_000_000L;
  /** Rule (b) above: WireGuard's transport counts as an answer to a candidate's datagram this recent. */
  public static final long ANSWER_WINDOW_NANOS = 1_000_000_000L;

  /**
   * A candidate's datagrams reach WireGuard at most this many a second (burst {@value #CANDIDATE_BURST}), all
   * candidates' at most {@value #CANDIDATES_RATE} (burst {@value #CANDIDATES_BURST}). WireGuard judges what a
   * candidate sends, on one socket for every peer: a stranger whose repeated index opened a tentative peer sent it
   * 25,000 datagrams a second through the relay, and WireGuard's socket dropped genuine datagrams with them (the
   * peer lab's flood: 0.5-2.5% of the pings). A genuine candidate is admitted within a round trip or two.
   */
  public static final int CANDIDATE_RATE = 200;
  static final int CANDIDATE_BURST = 64;
  public static final int CANDIDATES_RATE = 5_000;
  static final int CANDIDATES_BURST = 1_000;

  private final PeerLimits limits;
  private final PeerEvents events;
  private long clientTimeoutNanos;

  private final Map<InetSocketAddress, PeerAddress> byAddress = new HashMap<>();
  private final IntObjectHashMap<Peer> byId = new IntObjectHashMap<>();
  private final List<Peer> peers = new ArrayList<>();
  private final IndexDirectory serverIndices = new IndexDirectory();
  private final InitiationLog initiations = new InitiationLog();
  private final CandidateQueue candidates = new CandidateQueue();
  private final UnknownIndexSightings unknownIndices = new UnknownIndexSightings();
  private final Route route = new Route();
  private final Recipients recipients = new Recipients();
  /** All candidates' rate together; made at the first candidate's datagram (the table has no clock of its own). */
  private TokenBucket candidatesRate;
  private int nextId = 1;
  private int tentativeInitiations;
  private int tentativeResumes;

  private final long[] limitCounts = new long[Limit.values().length];
  private final boolean[] limitReported = new boolean[Limit.values().length];
  private long refusedNotWireGuard;
  private long refusedUnknownIndex;
  private long refusedImplausible;
  private long ignoredFromWireGuard;
  private long candidateCopies;

  /** Keyed per process: a stranger cannot make two initiations (or candidates' datagrams) look alike offline. */
  private final DatagramHash contentHash = DatagramHash.random();

  public PeerTable(long clientTimeoutNanos, PeerLimits limits, PeerEvents events) {
    this.clientTimeoutNanos = clientTimeoutNanos;
    this.limits = limits;
    this.events = events;
  }

  /** Hot reload of {@code clientTimeout}: applies to the next check. */
  public void setClientTimeoutNanos(long clientTimeoutNanos) {
    this.clientTimeoutNanos = clientTimeoutNanos;
  }

  // ---- datagrams from client addresses

  /**
   * Decides where a datagram from client address {@code from}, read on the listen socket, goes. Reads without
   * moving the buffer's indexes; the returned route is this table's one instance.
   */
  public Route fromClient(InetSocketAddress from, ByteBuf datagram, long nowNanos) {
    if (!WireGuardShape.matches(datagram)) {
      refusedNotWireGuard++;
      return route.refuse(Route.Refusal.NOT_WIREGUARD, null);
    }
    int type = datagram.getByte(datagram.readerIndex());
    PeerAddress known = byAddress.get(from);
    if (known != null && known.role == PeerAddress.Role.MEMBER) {
      return fromMember(known, datagram, type, nowNanos);
    }
    if (type == WireGuardShape.HANDSHAKE_INITIATION) {
      return initiation(known, from, datagram, nowNanos);
    }
    return indexed(known, from, datagram, type, nowNanos);
  }

  private Route fromMember(PeerAddress member, ByteBuf datagram, int type, long nowNanos) {
    member.lastSeenNanos = nowNanos;
    if (type == WireGuardShape.HANDSHAKE_INITIATION) {
      memberInitiation(member, datagram, nowNanos);
      if (member.role != PeerAddress.Role.MEMBER) {
        // Its peer merged into one with no free member slot.
        return route.refuse(Route.Refusal.LIMIT, Limit.MEMBERS_PER_PEER);
      }
    } else if (type == WireGuardShape.HANDSHAKE_RESPONSE) {
      member.peer.learnClientIndex(senderIndex(datagram), nowNanos);
    } else if (type == WireGuardShape.TRANSPORT_DATA) {
      noteCounter(member.peer, datagram);
    }
    return forward(member.peer, member, datagram, false, nowNanos);
  }

  /** A member's initiation is remembered, so that copies from the client's other links join it. */
  private void memberInitiation(PeerAddress member, ByteBuf datagram, long nowNanos) {
    int sender = senderIndex(datagram);
    long hash = contentHash.of(datagram);
    Peer own = member.peer;
    own.learnClientIndex(sender, nowNanos);
    Initiation seen = initiations.find(hash, sender, nowNanos);
    if (seen == null) {
      initiations.record(own, sender, hash, member, nowNanos);
      return;
    }
    seen.add(member);
    Peer other = seen.peer.effective();
    if (other != own) {
      merge(other, own, seen, nowNanos);
    }
  }

  private Route initiation(PeerAddress known, InetSocketAddress from, ByteBuf datagram, long nowNanos) {
    int sender = senderIndex(datagram);
    long hash = contentHash.of(datagram);
    Initiation seen = initiations.find(hash, sender, nowNanos);
    if (seen != null) {
      return copyOfInitiation(known, from, seen, nowNanos);
    }
    if (known != null && known.role == PeerAddress.Role.INITIATOR) {
      // A retry (new bytes) from an address already waiting on its peer: the same peer, not one more.
      Peer own = known.peer;
      known.lastSeenNanos = nowNanos;
      initiations.record(own, sender, hash, known, nowNanos);
      own.learnClientIndex(sender, nowNanos);
      return forward(own, known, datagram, false, nowNanos);
    }
    Peer opened = openTentative(Peer.Origin.INITIATION, nowNanos);
    if (opened == null) {
      return route;
    }
    PeerAddress a = becomeInitiator(known, from, opened, nowNanos);
    initiations.record(opened, sender, hash, a, nowNanos);
    opened.learnClientIndex(sender, nowNanos);
    return forward(opened, a, datagram, true, nowNanos);
  }

  /**
   * Another copy of an initiation already delivered: a member's makes this address a member, else an initiator.
   * Either way WireGuard has the initiation already, so the route says it is a copy.
   */
  private Route copyOfInitiation(PeerAddress known, InetSocketAddress from, Initiation seen, long nowNanos) {
    Peer p = seen.peer.effective();
    if (p.state() == Peer.State.ACTIVE && seen.deliveredByMemberOf(p)) {
      if (p.memberCount() >= Peer.MAX_MEMBERS) {
        return refuseLimit(Limit.MEMBERS_PER_PEER);
      }
      PeerAddress a = known != null ? known : create(from, nowNanos);
      a.lastSeenNanos = nowNanos;
      admit(a, p, Admission.COPY);
      seen.add(a);
      return forward(p, a, null, false, nowNanos).markCopy(seen);
    }
    boolean already = known != null && known.role == PeerAddress.Role.INITIATOR && known.peer == p;
    if (!already && p.initiatorCount() >= limits.maxInitiatorsPerPeer()) {
      return refuseLimit(Limit.INITIATORS_PER_PEER);
    }
    PeerAddress a = becomeInitiator(known, from, p, nowNanos);
    seen.add(a);
    return forward(p, a, null, false, nowNanos).markCopy(seen);
  }

  /** Types 2, 3 and 4 from an address that is not a member: found by the server-side index they name. */
  /** The counter of a member's transport message, for the plausibility of candidates' ones. */
  private static void noteCounter(Peer peer, ByteBuf datagram) {
    int at = datagram.readerIndex();
    LearnedIndex e = peer.serverIndex(datagram.getIntLE(at + 4));
    if (e != null) {
      long counter = datagram.getLongLE(at + 8);
      if (e.topCounter < 0 || counter - e.topCounter > 0) {
        e.topCounter = counter;
      }
    }
  }

  /**
   * A candidate's transport message must continue a session a member uses: its counter within WireGuard's replay
   * window behind the highest a member delivered on that index, or at most {@value #PLAUSIBLE_AHEAD} ahead of it. A
   * stranger who guessed or sprayed an index cannot also guess the counter (only an on-path sender sees it), so its
   * datagrams never reach WireGuard nor count as the sole sender WireGuard answered (see the class comment).
   */
  private static boolean plausible(Peer peer, ByteBuf datagram) {
    int at = datagram.readerIndex();
    LearnedIndex e = peer.serverIndex(datagram.getIntLE(at + 4));
    if (e == null || e.topCounter < 0) {
      return true;
    }
    long ahead = datagram.getLongLE(at + 8) - e.topCounter;
    return ahead >= -PLAUSIBLE_BEHIND && ahead <= PLAUSIBLE_AHEAD;
  }

  /** WireGuard's replay window: later copies of older counters are still genuine. */
  static final long PLAUSIBLE_BEHIND = 8_192;
  /** A link that came back after a cut may be this far ahead: 65,536 datagrams, minutes of a busy tunnel. */
  static final long PLAUSIBLE_AHEAD = 65_536;

  private Route indexed(PeerAddress known, InetSocketAddress from, ByteBuf datagram, int type, long nowNanos) {
    Peer target = known != null && known.role == PeerAddress.Role.CANDIDATE ? known.peer
        : serverIndices.owner(datagram.getIntLE(datagram.readerIndex()
            + (type == WireGuardShape.HANDSHAKE_RESPONSE ? 8 : 4)));
    if (target != null && type == WireGuardShape.TRANSPORT_DATA && !plausible(target, datagram)) {
      refusedImplausible++;
      return route.refuse(Route.Refusal.IMPLAUSIBLE_COUNTER, null);
    }
    if (known != null && known.role == PeerAddress.Role.CANDIDATE) {
      known.lastSeenNanos = nowNanos;
      candidates.touch(known);
      return forward(known.peer, known, datagram, false, nowNanos);
    }
    int at = datagram.readerIndex();
    int receiver = datagram.getIntLE(at + (type == WireGuardShape.HANDSHAKE_RESPONSE ? 8 : 4));
    Peer owner = serverIndices.owner(receiver);
    if (owner != null) {
      return forward(owner, becomeCandidate(known, from, owner, nowNanos), datagram, false, nowNanos);
    }
    if (type != WireGuardShape.TRANSPORT_DATA) {
      refusedUnknownIndex++;
      return route.refuse(Route.Refusal.UNKNOWN_INDEX, null);
    }
    // The relay never saw this session's handshake (it restarted mid-session): a peer of its own for the index, on
    // its second sighting (a random index sprayed once costs no socket).
    InetSocketAddress earlier = unknownIndices.earlierSighting(receiver, from, nowNanos);
    if (earlier == null) {
      refusedUnknownIndex++;
      return route.refuse(Route.Refusal.UNKNOWN_INDEX, null);
    }
    Peer opened = openTentative(Peer.Origin.RESUME, nowNanos);
    if (opened == null) {
      return route;
    }
    learnServerIndex(opened, receiver, nowNanos);
    if (!earlier.equals(from) && byAddress.get(earlier) == null) {
      becomeCandidate(null, earlier, opened, nowNanos);
    }
    return forward(opened, becomeCandidate(known, from, opened, nowNanos), datagram, true, nowNanos);
  }

  /**
   * {@code datagram} from {@code from} goes to {@code to}'s socket, unless it is a candidate's copy of what the
   * peer's sole candidate sender delivered since WireGuard's last datagram (see {@link SenderWindow}): WireGuard
   * has that, and it is no second sender; nor when the candidate is past its rate ({@link #CANDIDATE_RATE}).
   * {@code datagram} is null for a copy of an initiation.
   */
  private Route forward(Peer to, PeerAddress from, ByteBuf datagram, boolean opened, long nowNanos) {
    if (from.role == PeerAddress.Role.CANDIDATE) {
      if (!candidateMaySend(from, nowNanos)) {
        return refuseLimit(Limit.CANDIDATE_RATE);
      }
      if (datagram != null && to.senders.isCopyOfSole(from, datagram, contentHash)) {
        candidateCopies++;
        return route.forwardTo(to, from, false).markCopy();
      }
    }
    to.senders.heard(from, datagram, contentHash);
    return route.forwardTo(to, from, opened);
  }

  /**
   * The caller's duplicate tracker saw that a datagram from candidate {@code address} and one from a member of the
   * same peer are copies of each other (in either order): the candidate becomes a member. Returns whether it did.
   */
  public boolean provenCopy(InetSocketAddress address, long nowNanos) {
    PeerAddress a = byAddress.get(address);
    if (a == null || a.role != PeerAddress.Role.CANDIDATE || a.peer.state() != Peer.State.ACTIVE) {
      return false;
    }
    if (a.peer.memberCount() >= Peer.MAX_MEMBERS) {
      limit(Limit.MEMBERS_PER_PEER);
      return false;
    }
    a.lastSeenNanos = nowNanos;
    admit(a, a.peer, Admission.COPY);
    return true;
  }

  // ---- datagrams from WireGuard

  /**
   * Lists the client addresses a datagram WireGuard sent on {@code peer}'s socket goes to: for a handshake message
   * (types 1-3) the peer's live members and the addresses that delivered the initiation it answers; for transport
   * (type 4) the live members only. Learns WireGuard's indices and admits the addresses the datagram proves (see
   * the class comment). The caller checks first that the datagram came from WireGuard's address. The returned
   * list is this table's one instance.
   */
  public Recipients fromWireGuard(Peer peer, ByteBuf datagram, long nowNanos) {
    recipients.start();
    if (peer.state() == Peer.State.CLOSED || !WireGuardShape.matches(datagram)) {
      ignoredFromWireGuard++;
      return recipients;
    }
    peer.lastWireGuardNanos = nowNanos;
    Peer owner = peer.effective();
    if (owner.state() == Peer.State.CLOSED) {
      ignoredFromWireGuard++;
      return recipients;
    }
    int at = datagram.readerIndex();
    int type = datagram.getByte(at);
    if (owner.state() == Peer.State.TENTATIVE && owner.origin == Peer.Origin.RESUME) {
      resume(owner);
    } else if (type == WireGuardShape.TRANSPORT_DATA && owner.state() == Peer.State.ACTIVE) {
      admitSoleSender(owner, nowNanos);
    }
    int answered = 0;
    if (type == WireGuardShape.HANDSHAKE_INITIATION) {
      learnServerIndex(owner, datagram.getIntLE(at + 4), nowNanos);
    } else if (type == WireGuardShape.HANDSHAKE_RESPONSE) {
      learnServerIndex(owner, datagram.getIntLE(at + 4), nowNanos);
      answered = datagram.getIntLE(at + 8);
      confirm(peer, owner, answered, datagram, nowNanos);
    } else if (type == WireGuardShape.COOKIE_REPLY) {
      answered = datagram.getIntLE(at + 4);
    }
    for (int i = 0, n = owner.memberCount(); i < n; i++) {
      PeerAddress m = owner.member(i);
      if (isLive(m, nowNanos)) {
        recipients.add(m);
      }
    }
    if (type == WireGuardShape.HANDSHAKE_RESPONSE || type == WireGuardShape.COOKIE_REPLY) {
      addInitiators(peer, answered, nowNanos);
    }
    owner.wireGuardSent();
    return recipients;
  }

  /** WireGuard's response to an initiation recorded on this socket: its senders are members. */
  private void confirm(Peer socketPeer, Peer owner, int initiationSender, ByteBuf response, long nowNanos) {
    for (Initiation r : socketPeer.initiations) {
      if (r == null || !r.inUse() || r.senderIndex != initiationSender
          || nowNanos - r.firstNanos >= InitiationLog.MEMORY_NANOS) {
        continue;
      }
      r.answeredWith(response);
      activate(owner);
      for (int i = 0; i < r.senderCount; i++) {
        PeerAddress s = r.senders[i];
        if (byAddress.get(s.address()) != s || (s.role == PeerAddress.Role.MEMBER && s.peer == owner)) {
          continue;
        }
        if (owner.memberCount() >= Peer.MAX_MEMBERS) {
          limit(Limit.MEMBERS_PER_PEER);
          return;
        }
        admit(s, owner, Admission.INITIATION);
      }
    }
  }

  private void addInitiators(Peer socketPeer, int initiationSender, long nowNanos) {
    for (Initiation r : socketPeer.initiations) {
      if (r != null && r.inUse() && r.senderIndex == initiationSender
          && nowNanos - r.firstNanos < InitiationLog.MEMORY_NANOS) {
        for (int i = 0; i < r.senderCount; i++) {
          recipients.add(r.senders[i]);
        }
      }
    }
  }

  /** WireGuard sent on a peer opened for an unknown index: its candidates all sent since, they become members. */
  private void resume(Peer p) {
    activate(p);
    for (int i = p.candidateCount() - 1; i >= 0; i--) {
      if (p.memberCount() >= Peer.MAX_MEMBERS) {
        limit(Limit.MEMBERS_PER_PEER);
        return;
      }
      admit(p.candidates.get(i), p, Admission.ANSWER);
    }
  }

  private void admitSoleSender(Peer p, long nowNanos) {
    PeerAddress c = p.senders.sole();
    if (c == null || c.role != PeerAddress.Role.CANDIDATE || c.peer != p
        || nowNanos - c.lastSeenNanos > ANSWER_WINDOW_NANOS || memberHeardWithin(p, ANSWER_WINDOW_NANOS, nowNanos)) {
      return;
    }
    admit(c, p, Admission.ANSWER);
  }

  // ---- roles

  private PeerAddress create(InetSocketAddress from, long nowNanos) {
    PeerAddress a = new PeerAddress(from, nowNanos);
    byAddress.put(from, a);
    return a;
  }

  /** Makes {@code a} a member of {@code p}; the caller checked there is a free slot. */
  private void admit(PeerAddress a, Peer p, Admission how) {
    if (a.role == PeerAddress.Role.MEMBER) {
      if (a.peer == p) {
        return;
      }
      events.memberRemoved(a, Removal.MOVED);
    }
    detach(a);
    a.role = PeerAddress.Role.MEMBER;
    a.peer = p;
    a.slot = p.takeSlot();
    p.members.add(a);
    events.memberAdded(a, how);
  }

  private PeerAddress becomeInitiator(PeerAddress known, InetSocketAddress from, Peer p, long nowNanos) {
    PeerAddress a = known != null ? known : create(from, nowNanos);
    a.lastSeenNanos = nowNanos;
    if (a.role == PeerAddress.Role.INITIATOR && a.peer == p) {
      return a;
    }
    detach(a);
    a.role = PeerAddress.Role.INITIATOR;
    a.peer = p;
    p.initiators.add(a);
    return a;
  }

  private PeerAddress becomeCandidate(PeerAddress known, InetSocketAddress from, Peer p, long nowNanos) {
    if (p.candidateCount() >= limits.maxCandidatesPerPeer()) {
      forget(leastRecentlyHeard(p.candidates));
      limit(Limit.CANDIDATES);
    } else if (candidates.size() >= limits.maxCandidates()) {
      forget(candidates.oldest());
      limit(Limit.CANDIDATES);
    }
    PeerAddress a = known != null ? known : create(from, nowNanos);
    a.lastSeenNanos = nowNanos;
    detach(a);
    a.candidateRate = new TokenBucket(CANDIDATE_RATE, CANDIDATE_BURST, nowNanos);
    a.role = PeerAddress.Role.CANDIDATE;
    a.peer = p;
    p.candidates.add(a);
    candidates.add(a);
    return a;
  }

  /** Whether candidate {@code a}'s datagram may go to WireGuard now: its own rate and all candidates' together. */
  private boolean candidateMaySend(PeerAddress a, long nowNanos) {
    if (candidatesRate == null) {
      candidatesRate = new TokenBucket(CANDIDATES_RATE, CANDIDATES_BURST, nowNanos);
    }
    return a.candidateRate.take(nowNanos) && candidatesRate.take(nowNanos);
  }

  private static PeerAddress leastRecentlyHeard(AddressList list) {
    PeerAddress oldest = list.get(0);
    for (int i = 1; i < list.size(); i++) {
      if (list.get(i).lastSeenNanos - oldest.lastSeenNanos < 0) {
        oldest = list.get(i);
      }
    }
    return oldest;
  }

  /** Takes {@code a} out of its role in its peer (not out of the table). */
  private void detach(PeerAddress a) {
    if (a.role == null) {
      return;
    }
    switch (a.role) {
      case MEMBER -> {
        a.peer.members.remove(a);
        a.peer.freeSlot(a.slot);
        a.slot = -1;
      }
      case CANDIDATE -> {
        a.peer.candidates.remove(a);
        candidates.remove(a);
      }
      case INITIATOR -> a.peer.initiators.remove(a);
    }
    a.role = null;
    a.peer = null;
  }

  private void forget(PeerAddress a) {
    detach(a);
    byAddress.remove(a.address(), a);
  }

  // ---- peers

  private Peer openTentative(Peer.Origin origin, long nowNanos) {
    if (peers.size() >= limits.maxPeers()) {
      refuseLimit(Limit.PEERS);
      return null;
    }
    if (origin == Peer.Origin.INITIATION && tentativeInitiations >= limits.maxTentativeInitiations()) {
      refuseLimit(Limit.TENTATIVE_INITIATIONS);
      return null;
    }
    if (origin == Peer.Origin.RESUME && tentativeResumes >= limits.maxTentativeResumes()) {
      refuseLimit(Limit.TENTATIVE_RESUMES);
      return null;
    }
    Peer p = new Peer(nextId++, origin, nowNanos);
    p.position = peers.size();
    peers.add(p);
    byId.put(p.id(), p);
    if (origin == Peer.Origin.INITIATION) {
      tentativeInitiations++;
    } else {
      tentativeResumes++;
    }
    return p;
  }

  private void activate(Peer p) {
    if (p.state() == Peer.State.TENTATIVE) {
      leaveTentative(p);
      p.state(Peer.State.ACTIVE);
      events.peerActive(p);
    }
  }

  private void leaveTentative(Peer p) {
    if (p.state() == Peer.State.TENTATIVE) {
      if (p.origin == Peer.Origin.INITIATION) {
        tentativeInitiations--;
      } else {
        tentativeResumes--;
      }
    }
  }

  /** {@code recorded} received initiation {@code shared} first, and a member of {@code own} delivered it too. */
  private void merge(Peer recorded, Peer own, Initiation shared, long nowNanos) {
    boolean ownSurvives = recorded.state() == Peer.State.TENTATIVE || own.id() < recorded.id();
    Peer survivor = ownSurvives ? own : recorded;
    Peer absorbed = ownSurvives ? recorded : own;
    for (int i = 0; i < shared.senderCount; i++) {
      PeerAddress s = shared.senders[i];
      if (s.role == PeerAddress.Role.INITIATOR && byAddress.get(s.address()) == s
          && survivor.memberCount() < Peer.MAX_MEMBERS) {
        admit(s, survivor, Admission.COPY);
      }
    }
    absorb(absorbed, survivor, nowNanos);
  }

  private void absorb(Peer absorbed, Peer survivor, long nowNanos) {
    leaveTentative(absorbed);
    absorbed.state(Peer.State.MERGED);
    absorbed.survivor = survivor;
    absorbed.mergedNanos = nowNanos;
    while (absorbed.memberCount() > 0) {
      PeerAddress m = absorbed.member(absorbed.memberCount() - 1);
      if (survivor.memberCount() < Peer.MAX_MEMBERS) {
        admit(m, survivor, Admission.MERGE);
      } else {
        limit(Limit.MEMBERS_PER_PEER);
        events.memberRemoved(m, Removal.DROPPED);
        forget(m);
      }
    }
    forgetAll(absorbed.candidates);
    forgetAll(absorbed.initiators);
    for (int i = 0; i < absorbed.serverIndices.length; i++) {
      LearnedIndex e = absorbed.serverIndices[i];
      if (e != null) {
        serverIndices.remove(e);
        absorbed.serverIndices[i] = null;
        learnServerIndex(survivor, e.index, e.learnedNanos);
      }
    }
    absorbed.giveClientIndices(survivor);
    absorbed.wireGuardSent();
    events.peersMerged(absorbed, survivor);
  }

  private void forgetAll(AddressList list) {
    while (list.size() > 0) {
      forget(list.get(list.size() - 1));
    }
  }

  private void learnServerIndex(Peer p, int index, long learnedNanos) {
    LearnedIndex[] ring = p.serverIndices;
    int slot = -1;
    for (int i = 0; i < ring.length; i++) {
      if (ring[i] != null && ring[i].index == index) {
        return;
      }
      if (ring[i] == null && slot < 0) {
        slot = i;
      }
    }
    if (slot < 0) {
      slot = 0;
      for (int i = 1; i < ring.length; i++) {
        if (ring[i].learnedNanos - ring[slot].learnedNanos < 0) {
          slot = i;
        }
      }
      serverIndices.remove(ring[slot]);
    } else {
      ring[slot] = new LearnedIndex(p);
    }
    LearnedIndex e = ring[slot];
    e.index = index;
    e.learnedNanos = learnedNanos;
    serverIndices.add(e);
  }

  /**
   * Closes {@code peer} now (for instance its socket could not be opened): its addresses are forgotten, and
   * {@link PeerEvents#peerClosed} is called as for any other closing.
   */
  public void close(Peer peer) {
    if (peer.state() == Peer.State.CLOSED) {
      return;
    }
    while (peer.memberCount() > 0) {
      PeerAddress m = peer.member(peer.memberCount() - 1);
      events.memberRemoved(m, Removal.DROPPED);
      forget(m);
    }
    forgetAll(peer.candidates);
    forgetAll(peer.initiators);
    initiations.forgetAll(peer);
    for (int i = 0; i < peer.serverIndices.length; i++) {
      if (peer.serverIndices[i] != null) {
        serverIndices.remove(peer.serverIndices[i]);
        peer.serverIndices[i] = null;
      }
    }
    leaveTentative(peer);
    peer.state(Peer.State.CLOSED);
    Peer last = peers.remove(peers.size() - 1);
    if (last != peer) {
      peers.set(peer.position, last);
      last.position = peer.position;
    }
    byId.remove(peer.id());
    events.peerClosed(peer);
  }

  // ---- expiry

  /**
   * Forgets what has timed out: members silent for {@code clientTimeout} (and candidates; initiators after
   * {@link #TENTATIVE_TIMEOUT_NANOS}), initiations after {@link InitiationLog#MEMORY_NANOS}, indices after
   * {@link #INDEX_LIFETIME_NANOS}; then closes tentative peers past their timeout, merged ones fallen quiet, and
   * active ones left with neither members nor indices. Call it every second or so.
   */
  public void expire(long nowNanos) {
    for (int i = peers.size() - 1; i >= 0; i--) {
      Peer p = peers.get(i);
      for (int j = p.memberCount() - 1; j >= 0; j--) {
        PeerAddress m = p.member(j);
        if (!isLive(m, nowNanos)) {
          events.memberRemoved(m, Removal.EXPIRED);
          forget(m);
        }
      }
      forgetSilent(p.candidates, nowNanos, clientTimeoutNanos);
      forgetSilent(p.initiators, nowNanos, TENTATIVE_TIMEOUT_NANOS);
      initiations.expire(p, nowNanos);
      for (int j = 0; j < p.serverIndices.length; j++) {
        LearnedIndex e = p.serverIndices[j];
        if (e != null && nowNanos - e.learnedNanos >= INDEX_LIFETIME_NANOS) {
          serverIndices.remove(e);
          p.serverIndices[j] = null;
        }
      }
      p.expireClientIndices(nowNanos, INDEX_LIFETIME_NANOS);
      if (done(p, nowNanos)) {
        close(p);
      }
    }
  }

  private void forgetSilent(AddressList list, long nowNanos, long timeoutNanos) {
    for (int j = list.size() - 1; j >= 0; j--) {
      if (nowNanos - list.get(j).lastSeenNanos >= timeoutNanos) {
        forget(list.get(j));
      }
    }
  }

  private boolean done(Peer p, long nowNanos) {
    return switch (p.state()) {
      case TENTATIVE -> nowNanos - p.createdNanos() >= TENTATIVE_TIMEOUT_NANOS;
      case MERGED -> nowNanos - p.mergedNanos >= ALIAS_TIMEOUT_NANOS
          && nowNanos - p.lastWireGuardNanos >= ALIAS_TIMEOUT_NANOS;
      case ACTIVE -> p.memberCount() == 0 && !p.hasServerIndex();
      case CLOSED -> true;
    };
  }

  // ---- limits and counts

  private Route refuseLimit(Limit l) {
    limit(l);
    return route.refuse(Route.Refusal.LIMIT, l);
  }

  private void limit(Limit l) {
    limitCounts[l.ordinal()]++;
    if (!limitReported[l.ordinal()]) {
      limitReported[l.ordinal()] = true;
      events.limitReached(l);
    }
  }

  /** How often {@code limit} stopped something (for {@link Limit#CANDIDATES}: dropped a candidate). */
  public long count(Limit limit) {
    return limitCounts[limit.ordinal()];
  }

  public long refusedNotWireGuard() {
    return refusedNotWireGuard;
  }

  /** Handshake replies (types 2, 3) from non-members naming an index no peer holds. */
  /** Candidates' transport messages refused because their counter does not continue the session (see plausible). */
  public long refusedImplausible() {
    return refusedImplausible;
  }

  /** Handshake replies naming an index no peer holds, and transport naming one for the first time in a second. */
  public long refusedUnknownIndex() {
    return refusedUnknownIndex;
  }

  /** Datagrams on a closed peer's socket, or not shaped like WireGuard's: delivered to nobody. */
  public long ignoredFromWireGuard() {
    return ignoredFromWireGuard;
  }

  /** Candidates' copies of what another candidate of the peer delivered first: dropped, WireGuard has them. */
  public long candidateCopies() {
    return candidateCopies;
  }

  // ---- lookups

  public boolean isLive(PeerAddress a, long nowNanos) {
    return nowNanos - a.lastSeenNanos < clientTimeoutNanos;
  }

  /**
   * Whether a member sent within {@code windowNanos}: members silent that long (their links cut, or re-created with
   * new ports) do not stop the candidate WireGuard answered from taking over, so a client whose every link came back
   * on a new port resumes on WireGuard's first answer instead of after clientTimeout.
   */
  private boolean memberHeardWithin(Peer p, long windowNanos, long nowNanos) {
    for (int i = 0; i < p.memberCount(); i++) {
      if (nowNanos - p.member(i).lastSeenNanos < windowNanos) {
        return true;
      }
    }
    return false;
  }

  /** The entry of {@code address} (any role), or null. */
  public PeerAddress address(InetSocketAddress address) {
    return byAddress.get(address);
  }

  /** The open peer with this id, or null. */
  public Peer peer(int id) {
    return byId.get(id);
  }

  /** Open peers (any state but CLOSED), in no particular order; a read-only view. */
  public List<Peer> peers() {
    return Collections.unmodifiableList(peers);
  }

  /** Addresses known in any role. */
  public int addressCount() {
    return byAddress.size();
  }

  public int candidateCount() {
    return candidates.size();
  }

  public int tentativeCount() {
    return tentativeInitiations + tentativeResumes;
  }

  /** Server-side indices held, over all peers. */
  public int indexCount() {
    return serverIndices.size();
  }

  /** Initiations remembered, over all peers. */
  public int initiationCount() {
    return initiations.size();
  }

  private static int senderIndex(ByteBuf datagram) {
    return datagram.getIntLE(datagram.readerIndex() + 4);
  }
}
