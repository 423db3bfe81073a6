package org.rengarde.server;

/** The addresses of one role in one peer: unordered, O(1) add and remove through {@link PeerAddress#position}. */
final class AddressList {
  private static final PeerAddress[] NONE = {};

  private PeerAddress[] items = NONE;
  private int size;

  void add(PeerAddress a) {
    if (size == items.length) {
      items = java.util.Arrays.copyOf(items, Math.max(2, size * 2));
    }
    a.position = size;
    items[size++] = a;
  }

  void remove(PeerAddress a) {
    int i = a.position;
    PeerAddress last = items[--size];
    items[i] = last;
    last.position = i;
    items[size] = null;
    a.position = -1;
  }

  int size() {
    return size;
  }

  PeerAddress get(int i) {
    return items[i];
  }
}
