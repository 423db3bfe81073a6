package org.rengarde.wire;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/**
 * One peer of a {@link DuplicateTracker} (on the server a client's WireGuard session, on the client the tunnel):
 * its links, numbered 0-63 within the peer, which of them are expected to deliver every datagram, and each link's
 * figures. Made by {@link DuplicateTracker#newPeer}; owned by the tracker's event loop.
 *
 * <p>Memory (measured, compressed references): 88 bytes for a peer with 3 links that never carried anything,
 * plus one {@link LinkQualityWindow} (about 1.4 KB with a 10 s window) per link once it has a figure: 4.3 KB for
 * a peer with 3 links that carried traffic and is now idle. Its datagrams in the window cost 68 bytes each in the
 * shared table ({@link DuplicateTracker}).
 */
public final class TrackedPeer {
  private static final long[] NONE = new long[0];

  private final DuplicateTracker tracker;
  /** Spreads equal identities of different peers over different index slots. */
  final long salt;
  private long active;
  private LinkQualityWindow[] links = new LinkQualityWindow[0];
  /** Per link: the sequence number of the first entry made after its last {@link #forget}. */
  private long[] forgottenAt = NONE;
  private long lastForget = Long.MIN_VALUE;
  private boolean removed;
  private long duplicates;
  private long empty;

  TrackedPeer(DuplicateTracker tracker, long salt) {
    this.tracker = tracker;
    this.salt = salt;
  }

  /** The link starts being expected to deliver every datagram of this peer. */
  public void linkUp(int slot) {
    active |= bit(slot);
  }

  /** The link is no longer expected; its figures stay until {@link #forget}. */
  public void linkDown(int slot) {
    active &= ~bit(slot);
  }

  /**
   * Clears the link's figures, before its slot is given to another link, and takes it down; the datagrams still
   * in the window neither count for nor against the slot's next holder. O(1).
   */
  public void forget(int slot) {
    linkDown(slot);
    if (slot < links.length) {
      links[slot] = null;
    }
    if (slot >= forgottenAt.length) {
      int was = forgottenAt.length;
      forgottenAt = Arrays.copyOf(forgottenAt, slot + 1);
      Arrays.fill(forgottenAt, was, slot + 1, Long.MIN_VALUE);
    }
    forgottenAt[slot] = tracker.nextSequence();
    lastForget = forgottenAt[slot];
  }

  /** The figures of one link (all zero for a link without any), after judging what has left the window. */
  public JsonObject snapshot(int slot, long nowNanos) {
    bit(slot);
    tracker.expire(nowNanos);
    LinkQualityWindow link = slot < links.length ? links[slot] : null;
    return (link == null ? new LinkQualityWindow(tracker.statsWindowSeconds()) : link).snapshot(nowNanos);
  }

  /** Copies dropped as duplicates. */
  public long duplicates() {
    return duplicates;
  }

  /** Zero-byte datagrams seen (all forwarded). */
  public long emptyDatagrams() {
    return empty;
  }

  public boolean removed() {
    return removed;
  }

  long active() {
    return active;
  }

  void countDuplicate() {
    duplicates++;
  }

  void countEmpty() {
    empty++;
  }

  void remove() {
    removed = true;
  }

  boolean belongsTo(DuplicateTracker t) {
    return tracker == t;
  }

  /** The figures of a link, made on first use. */
  LinkQualityWindow link(int slot) {
    if (slot >= links.length) {
      links = Arrays.copyOf(links, slot + 1);
    }
    LinkQualityWindow link = links[slot];
    if (link == null) {
      link = new LinkQualityWindow(tracker.statsWindowSeconds());
      links[slot] = link;
    }
    return link;
  }

  /** The links forgotten since the entry of sequence number {@code sequence} was made: their bits are stale. */
  long forgottenSince(long sequence) {
    if (sequence >= lastForget) {
      return 0;
    }
    long stale = 0;
    for (int slot = 0; slot < forgottenAt.length; slot++) {
      if (sequence < forgottenAt[slot]) {
        stale |= 1L << slot;
      }
    }
    return stale;
  }

  static long bit(int slot) {
    if (slot < 0 || slot >= DuplicateTracker.MAX_LINKS) {
      throw new IllegalArgumentException("link slot " + slot + " outside 0-" + (DuplicateTracker.MAX_LINKS - 1));
    }
    return 1L << slot;
  }
}
