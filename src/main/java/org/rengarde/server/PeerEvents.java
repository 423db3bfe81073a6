package org.rengarde.server;

/**
 * What the {@link PeerTable} tells its owner, synchronously from the call that caused it: the log lines
 * ("New client connected", "Client timed out"), the sockets to close, the limits to warn about once.
 */
public interface PeerEvents {
  PeerEvents NONE = new PeerEvents() {
  };

  /** How an address proved it belongs to a peer. */
  enum Admission {
    /** WireGuard answered the initiation it delivered. */
    INITIATION,
    /** It delivered a byte-identical copy of a datagram a member delivered. */
    COPY,
    /** WireGuard answered on the peer's socket right after its datagrams (see {@link PeerTable}). */
    ANSWER,
    /** It was a member of a peer merged into this one. */
    MERGE
  }

  enum Removal {
    /** Silent for {@code clientTimeout}. */
    EXPIRED,
    /** Its peer merged into another; it is added there next. */
    MOVED,
    /** Its peer closed, or merged into one with no free member slot. */
    DROPPED
  }

  default void memberAdded(PeerAddress member, Admission how) {
  }

  /** Called before the address leaves: {@link PeerAddress#peer()} and {@link PeerAddress#slot()} are the old ones. */
  default void memberRemoved(PeerAddress member, Removal why) {
  }

  default void peerActive(Peer peer) {
  }

  /** {@code absorbed} is now MERGED into {@code survivor}; its socket stays open until it closes. */
  default void peersMerged(Peer absorbed, Peer survivor) {
  }

  /** Close the peer's socket and hold its address back (see {@link PortQuarantine}). */
  default void peerClosed(Peer peer) {
  }

  /** Called the first time only: a log line, not a flood of them. */
  default void limitReached(Limit limit) {
  }
}
