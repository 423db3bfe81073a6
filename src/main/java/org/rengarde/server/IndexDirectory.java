package org.rengarde.server;

import io.netty.util.collection.IntObjectHashMap;

/**
 * Server-side session index to peer, over every peer's {@link LearnedIndex} entries. An index two peers hold is a
 * chain; a lookup takes the entry learned last (WireGuard's own index table keeps live indices unique, so an older
 * holder's copy is the stale one). Primitive keys: a lookup of a stranger's random index allocates nothing.
 */
final class IndexDirectory {
  private final IntObjectHashMap<LearnedIndex> heads = new IntObjectHashMap<>();
  private int entries;

  void add(LearnedIndex e) {
    e.sameIndex = heads.put(e.index, e);
    entries++;
  }

  void remove(LearnedIndex e) {
    LearnedIndex head = heads.get(e.index);
    if (head == e) {
      if (e.sameIndex == null) {
        heads.remove(e.index);
      } else {
        heads.put(e.index, e.sameIndex);
      }
    } else {
      LearnedIndex before = head;
      while (before != null && before.sameIndex != e) {
        before = before.sameIndex;
      }
      if (before == null) {
        return;
      }
      before.sameIndex = e.sameIndex;
    }
    e.sameIndex = null;
    entries--;
  }

  /** The open peer that learned {@code index} last (a merged peer's survivor), or null. */
  Peer owner(int index) {
    LearnedIndex best = null;
    for (LearnedIndex e = heads.get(index); e != null; e = e.sameIndex) {
      if (best == null || e.learnedNanos - best.learnedNanos > 0) {
        best = e;
      }
    }
    if (best == null) {
      return null;
    }
    Peer owner = best.peer.effective();
    return owner.state() == Peer.State.CLOSED ? null : owner;
  }

  /** Entries, counting each holder of a shared index. */
  int size() {
    return entries;
  }
}
