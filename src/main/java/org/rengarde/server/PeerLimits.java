package org.rengarde.server;

/**
 * Bounds on what strangers can make the {@link PeerTable} hold. Each peer is one socket (one file descriptor), so
 * {@code maxPeers} also bounds the descriptors the relay opens for WireGuard.
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

  public PeerLimits {
    if (maxPeers < 1 || maxTentativeInitiations < 1 || maxTentativeResumes < 1 || maxCandidates < 1
        || maxCandidatesPerPeer < 1 || maxInitiatorsPerPeer < 1) {
      throw new IllegalArgumentException("every peer limit must be at least 1: " + this);
    }
  }
}
