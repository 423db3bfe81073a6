package org.rengarde.server;

/**
 * Bounds on what strangers can make the {@link PeerTable} hold. Each peer is one socket (one file descriptor)
 * towards WireGuard plus one per member address, so {@code maxPeers} also bounds the descriptors the relay opens.
 *
 * @param maxPeers peers in any state, tentative ones included
 * @param maxTentativeInitiations peers opened by an initiation and not yet answered by WireGuard
 * @param maxTentativeResumes peers opened by transport naming an unknown index and not yet answered; a budget apart,
 *     so that a flood of random indices cannot stop new handshakes, nor junk initiations a restart's regrouping
 * @param maxCandidates candidate addresses over all peers; past it the least recently heard is dropped
 * @param maxCandidatesPerPeer the same within one peer
 * @param maxInitiatorsPerPeer addresses waiting on replies to their initiations, within one peer
 */
public record PeerLimits(int maxPeers, int maxTentativeInitiations, int maxTentativeResumes, int maxCandidates,
                         int maxCandidatesPerPeer, int maxInitiatorsPerPeer) {
  public static final PeerLimits DEFAULT = new PeerLimits(4096, 64, 64, 1024, 8, 16);

  /**
   * Heap a peer of 2-3 links costs the server, measured by {@code bench.ManyPeers} (800-1,000 peers): 16 KB held by
   * the relay (its sockets' Netty objects, the duplicate filter's and tunnel loss figures, the table), 6 KB by the web
   * manager (rates, series), and the rest while each second's status document (2.6 KB of JSON per peer) is built,
   * enriched and encoded, and a scrape or get-list is written. At -Xmx64m, 800 peers left the collector room; 969
   * survived, but each status took 340 ms of collections.
   */
  static final long HEAP_PER_PEER = 48 * 1024;
  /** What the JVM, Vert.x and an idle relay and web manager hold before the first peer (measured: 12-13 MB). */
  static final long HEAP_RESERVED = 24L * 1024 * 1024;

  public PeerLimits {
    if (maxPeers < 1 || maxTentativeInitiations < 1 || maxTentativeResumes < 1 || maxCandidates < 1
        || maxCandidatesPerPeer < 1 || maxInitiatorsPerPeer < 1) {
      throw new IllegalArgumentException("every peer limit must be at least 1: " + this);
    }
  }

  /**
   * {@link #DEFAULT} with {@code maxPeers} lowered to what {@code maxHeapBytes} holds, so that more clients are
   * refused (and counted) rather than run the JVM out of memory: 64 MB of heap ({@code -Xmx64m}, the installed
   * default) holds about 800 peers, 128 MB about 2,100, 256 MB the default's 4,096; at least 64 in any case.
   */
  public static PeerLimits forHeap(long maxHeapBytes) {
    long fits = Math.max(64, (maxHeapBytes - HEAP_RESERVED) / HEAP_PER_PEER);
    return DEFAULT.withMaxPeers((int) Math.min(DEFAULT.maxPeers(), fits));
  }

  public PeerLimits withMaxPeers(int peers) {
    return new PeerLimits(peers, maxTentativeInitiations, maxTentativeResumes, maxCandidates, maxCandidatesPerPeer,
        maxInitiatorsPerPeer);
  }
}
