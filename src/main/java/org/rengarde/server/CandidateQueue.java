package org.rengarde.server;

/**
 * Every candidate address of every peer, least recently heard first: when the table's bound on candidates is
 * reached, the one silent longest makes room. Intrusive (the links live in {@link PeerAddress}): no allocation.
 */
final class CandidateQueue {
  private PeerAddress oldest;
  private PeerAddress newest;
  private int size;

  void add(PeerAddress a) {
    a.older = newest;
    a.newer = null;
    if (newest != null) {
      newest.newer = a;
    } else {
      oldest = a;
    }
    newest = a;
    size++;
  }

  void remove(PeerAddress a) {
    if (a.older != null) {
      a.older.newer = a.newer;
    } else {
      oldest = a.newer;
    }
    if (a.newer != null) {
      a.newer.older = a.older;
    } else {
      newest = a.older;
    }
    a.older = null;
    a.newer = null;
    size--;
  }

  /** {@code a} was heard from: it becomes the newest. */
  void touch(PeerAddress a) {
    if (newest != a) {
      remove(a);
      add(a);
    }
  }

  PeerAddress oldest() {
    return oldest;
  }

  int size() {
    return size;
  }
}
