package org.rengarde.wire;

/**
 * The last few WireGuard indices (receiver or sender indices of sessions) seen, in a ring: the client's record of
 * the server's indices, the tunnel-loss tracker's of the keys it pushed out. Owned by one event loop; allocates
 * nothing after construction.
 */
public final class RecentIndices {
  private final int[] indices;
  private int count;
  private int next;

  public RecentIndices(int kept) {
    indices = new int[kept];
  }

  public boolean contains(int index) {
    for (int i = 0; i < count; i++) {
      if (indices[i] == index) {
        return true;
      }
    }
    return false;
  }

  /** Keeps {@code index}, forgetting the oldest when full; one already kept stays where it is. */
  public void learn(int index) {
    if (contains(index)) {
      return;
    }
    indices[next] = index;
    next = (next + 1) % indices.length;
    count = Math.min(indices.length, count + 1);
  }

  public boolean isEmpty() {
    return count == 0;
  }

  public void clear() {
    count = 0;
    next = 0;
  }
}
