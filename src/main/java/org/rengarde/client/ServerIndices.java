package org.rengarde.client;

/**
 * The server's indices of the last few WireGuard sessions, in a ring: a transport datagram naming one belongs to a
 * session the client saw. Owned by the Dispatcher's event loop; allocates nothing after construction.
 */
final class ServerIndices {
  private final int[] indices;
  private int count;
  private int next;

  ServerIndices(int kept) {
    indices = new int[kept];
  }

  boolean contains(int index) {
    for (int i = 0; i < count; i++) {
      if (indices[i] == index) {
        return true;
      }
    }
    return false;
  }

  /** Keeps {@code index}, forgetting the oldest when full; one already kept stays where it is. */
  void learn(int index) {
    if (contains(index)) {
      return;
    }
    indices[next] = index;
    next = (next + 1) % indices.length;
    count = Math.min(indices.length, count + 1);
  }

  boolean isEmpty() {
    return count == 0;
  }

  void clear() {
    count = 0;
    next = 0;
  }
}
