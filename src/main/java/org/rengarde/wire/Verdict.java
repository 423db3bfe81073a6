package org.rengarde.wire;

/** What {@link DuplicateTracker#arrive} decided about one copy. */
public enum Verdict {
  /** The first copy of a datagram: forward it. */
  FIRST,
  /** A copy of a datagram already forwarded, byte for byte: drop it. */
  DUPLICATE,
  /**
   * A WireGuard transport message with the identity of one already seen but other bytes: forward it, since only
   * WireGuard can tell (by authenticating) which copy is genuine.
   */
  ALTERED,
  /** Bytes seen before, again on a link that had already delivered them: sent again (a retry, a heartbeat). */
  REPEAT,
  /** A zero-byte datagram: nothing to tell copies apart by, so never filtered. */
  EMPTY;

  public boolean forwards() {
    return this != DUPLICATE;
  }
}
