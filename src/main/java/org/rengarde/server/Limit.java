package org.rengarde.server;

/** A bound of the {@link PeerTable}; each is counted when it stops something, and reported once when first reached. */
public enum Limit {
  /** A new peer was refused: {@link PeerLimits#maxPeers()}. */
  PEERS,
  /** A new initiation's peer was refused: {@link PeerLimits#maxTentativeInitiations()}. */
  TENTATIVE_INITIATIONS,
  /** A peer for an unknown index was refused: {@link PeerLimits#maxTentativeResumes()}. */
  TENTATIVE_RESUMES,
  /** An address proved itself but its peer had {@link Peer#MAX_MEMBERS} members already. */
  MEMBERS_PER_PEER,
  /** An initiation's copy was refused: {@link PeerLimits#maxInitiatorsPerPeer()}. */
  INITIATORS_PER_PEER,
  /** A candidate was dropped to make room for a newer one (not a refusal: the newcomer is kept). */
  CANDIDATES,
  /**
   * A candidate's datagram was dropped: candidates (unproven addresses) reach WireGuard at most
   * {@link PeerTable#CANDIDATE_RATE}/s each and {@link PeerTable#CANDIDATES_RATE}/s together.
   */
  CANDIDATE_RATE
}
