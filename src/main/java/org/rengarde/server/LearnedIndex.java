package org.rengarde.server;

/** A session index WireGuard handed out on one peer's socket, and when: one link of {@link IndexDirectory}'s chains. */
final class LearnedIndex {
  final Peer peer;
  int index;
  long learnedNanos;
  /** The highest transport counter a member delivered naming this index, -1 for none yet. */
  long topCounter = -1;
  /** The next entry with the same index (another peer's): indices are random, two peers may hold the same. */
  LearnedIndex sameIndex;

  LearnedIndex(Peer peer) {
    this.peer = peer;
  }
}
