package org.rengarde.server;

import io.netty.util.collection.LongObjectHashMap;

/**
 * The initiations clients sent in the last {@link #MEMORY_NANOS}, found by a 64-bit hash of all their bytes (and
 * their sender index, compared): a copy from another address proves that address is another link of the same
 * client, since only a sender on the path can copy 148 bytes it never saw. Each peer keeps at most
 * {@link Peer#INITIATIONS_KEPT}; a new one replaces its oldest, so a flood of initiations costs no memory.
 */
final class InitiationLog {
  /** WireGuard's REKEY_TIMEOUT: an initiation unanswered for this long has been replaced by a retry. */
  static final long MEMORY_NANOS = 5_000_000_000L;

  private final LongObjectHashMap<Initiation> byHash = new LongObjectHashMap<>();

  /** The live record of this initiation, or null. */
  Initiation find(long hash, int senderIndex, long nowNanos) {
    Initiation r = byHash.get(hash);
    if (r == null || r.senderIndex != senderIndex || nowNanos - r.firstNanos >= MEMORY_NANOS
        || r.peer.effective().state() == Peer.State.CLOSED) {
      return null;
    }
    return r;
  }

  /** Records an initiation first delivered by {@code by} to {@code peer}. */
  Initiation record(Peer peer, int senderIndex, long hash, PeerAddress by, long nowNanos) {
    Initiation[] ring = peer.initiations;
    int slot = 0;
    for (int i = 0; i < ring.length; i++) {
      if (ring[i] == null || !ring[i].inUse()) {
        slot = i;
        break;
      }
      if (ring[i].firstNanos - ring[slot].firstNanos < 0) {
        slot = i;
      }
    }
    if (ring[slot] == null) {
      ring[slot] = new Initiation();
    } else if (ring[slot].inUse()) {
      forget(ring[slot]);
    }
    Initiation r = ring[slot];
    r.peer = peer;
    r.senderIndex = senderIndex;
    r.hash = hash;
    r.firstNanos = nowNanos;
    r.add(by);
    byHash.put(hash, r);
    return r;
  }

  /** Forgets {@code peer}'s initiations older than {@link #MEMORY_NANOS}. */
  void expire(Peer peer, long nowNanos) {
    for (Initiation r : peer.initiations) {
      if (r != null && r.inUse() && nowNanos - r.firstNanos >= MEMORY_NANOS) {
        forget(r);
      }
    }
  }

  void forgetAll(Peer peer) {
    for (Initiation r : peer.initiations) {
      if (r != null && r.inUse()) {
        forget(r);
      }
    }
  }

  private void forget(Initiation r) {
    if (byHash.get(r.hash) == r) {
      byHash.remove(r.hash);
    }
    r.clear();
  }

  int size() {
    return byHash.size();
  }
}
