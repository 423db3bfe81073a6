package org.rengarde.server;

/**
 * One WireGuard session of one client, as the server relay sees it: the client addresses it is made of (one per
 * link, plus what NAT does to them), the indices in use on both sides, and its own WireGuard-facing socket (the
 * caller's, attached with {@link #attach}). Mutable, owned by the {@link PeerTable}'s event loop; the caller reads it.
 *
 * <p>Memory, measured by {@code bench.PeerTableFootprint} (4,096 peers, every ring full: 8 server indices, 8 client
 * indices, 4 initiations): about 2.0 KB per peer with the table's maps, plus about 0.3 KB per client address
 * (entry, traffic counters, the address, its hash-map node): 2.9 KB for a client of three links, 12 MB for 4,096.
 */
public final class Peer {
  /**
   * TENTATIVE: opened for an address that proved nothing (a new initiation, or transport naming an index the relay
   * never saw), waiting for WireGuard to answer on its socket; ACTIVE: WireGuard answered, it has members;
   * MERGED: found to be the same client as another peer, its socket only passes WireGuard's stragglers to that
   * survivor until it falls quiet; CLOSED: gone, the caller closes its socket.
   */
  public enum State { TENTATIVE, ACTIVE, MERGED, CLOSED }

  /** What opened a peer, which decides what makes it ACTIVE. */
  enum Origin {
    /** A client's initiation: WireGuard's response to it. */
    INITIATION,
    /** Transport naming an index no peer knew (the relay restarted mid-session): any datagram from WireGuard. */
    RESUME
  }

  /** The width of the arrival tracker's link mask: member slots are 0-63. */
  public static final int MAX_MEMBERS = 64;
  /** WireGuard uses three keypairs at most (previous, current, next); handshake retries add short-lived ones. */
  static final int INDICES_KEPT = 8;
  static final int INITIATIONS_KEPT = 4;

  private final int id;
  final Origin origin;
  private final long createdNanos;
  private State state = State.TENTATIVE;
  Peer survivor;
  long mergedNanos;
  /** The last datagram WireGuard sent on this peer's socket (its creation before the first). */
  long lastWireGuardNanos;
  int position;

  final AddressList members = new AddressList();
  final AddressList candidates = new AddressList();
  final AddressList initiators = new AddressList();
  private long usedSlots;

  final LearnedIndex[] serverIndices = new LearnedIndex[INDICES_KEPT];
  private final int[] clientIndices = new int[INDICES_KEPT];
  private final long[] clientIndexNanos = new long[INDICES_KEPT];
  private int clientIndexSlots;
  final Initiation[] initiations = new Initiation[INITIATIONS_KEPT];

  /** Who sent to this peer's socket since WireGuard last sent on it: one address, or several. */
  final SenderWindow senders = new SenderWindow();

  private Object attachment;

  Peer(int id, Origin origin, long nowNanos) {
    this.id = id;
    this.origin = origin;
    this.createdNanos = nowNanos;
    this.lastWireGuardNanos = nowNanos;
  }

  /** Unique for the table's lifetime, never reused. */
  public int id() {
    return id;
  }

  public State state() {
    return state;
  }

  void state(State next) {
    state = next;
  }

  public long createdNanos() {
    return createdNanos;
  }

  /** The peer whose addresses this one's datagrams go to: itself, or the survivor it merged into. */
  public Peer effective() {
    Peer p = this;
    while (p.state == State.MERGED) {
      p = p.survivor;
    }
    return p;
  }

  /** Members, live or not yet expired; with {@link #member} for an allocation-free loop. */
  public int memberCount() {
    return members.size();
  }

  public PeerAddress member(int i) {
    return members.get(i);
  }

  public int candidateCount() {
    return candidates.size();
  }

  public int initiatorCount() {
    return initiators.size();
  }

  /** The server-side indices WireGuard handed out on this peer's socket and not yet expired (for status). */
  public int[] serverIndices() {
    int n = 0;
    int[] out = new int[INDICES_KEPT];
    for (LearnedIndex e : serverIndices) {
      if (e != null) {
        out[n++] = e.index;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** The client-side indices (sender index of the client's initiations and responses), for status. */
  public int[] clientIndices() {
    int[] out = new int[Integer.bitCount(clientIndexSlots)];
    for (int i = 0, n = 0; i < INDICES_KEPT; i++) {
      if ((clientIndexSlots & (1 << i)) != 0) {
        out[n++] = clientIndices[i];
      }
    }
    return out;
  }

  /** Whatever the caller keeps with this peer (its socket), so a datagram needs no lookup. */
  public Object attachment() {
    return attachment;
  }

  public void attach(Object attachment) {
    this.attachment = attachment;
  }

  int takeSlot() {
    int slot = Long.numberOfTrailingZeros(~usedSlots);
    usedSlots |= 1L << slot;
    return slot;
  }

  void freeSlot(int slot) {
    usedSlots &= ~(1L << slot);
  }

  void wireGuardSent() {
    senders.reset();
  }

  void learnClientIndex(int index, long nowNanos) {
    int slot = -1;
    for (int i = 0; i < INDICES_KEPT; i++) {
      boolean used = (clientIndexSlots & (1 << i)) != 0;
      if (used && clientIndices[i] == index) {
        clientIndexNanos[i] = nowNanos;
        return;
      }
      if (!used && slot < 0) {
        slot = i;
      }
    }
    if (slot < 0) {
      slot = 0;
      for (int i = 1; i < INDICES_KEPT; i++) {
        if (clientIndexNanos[i] - clientIndexNanos[slot] < 0) {
          slot = i;
        }
      }
    }
    clientIndices[slot] = index;
    clientIndexNanos[slot] = nowNanos;
    clientIndexSlots |= 1 << slot;
  }

  /** Forgets client indices learned {@code lifetimeNanos} or more ago. */
  void expireClientIndices(long nowNanos, long lifetimeNanos) {
    for (int i = 0; i < INDICES_KEPT; i++) {
      if ((clientIndexSlots & (1 << i)) != 0 && nowNanos - clientIndexNanos[i] >= lifetimeNanos) {
        clientIndexSlots &= ~(1 << i);
      }
    }
  }

  /** Hands this peer's client indices to {@code survivor} (a merge). */
  void giveClientIndices(Peer to) {
    for (int i = 0; i < INDICES_KEPT; i++) {
      if ((clientIndexSlots & (1 << i)) != 0) {
        to.learnClientIndex(clientIndices[i], clientIndexNanos[i]);
      }
    }
    clientIndexSlots = 0;
  }

  /** This peer's entry for a server index, or null. */
  LearnedIndex serverIndex(int index) {
    for (LearnedIndex e : serverIndices) {
      if (e != null && e.index == index) {
        return e;
      }
    }
    return null;
  }

  boolean hasServerIndex() {
    for (LearnedIndex e : serverIndices) {
      if (e != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "peer " + id + " (" + state + ", " + members.size() + " members)";
  }
}
