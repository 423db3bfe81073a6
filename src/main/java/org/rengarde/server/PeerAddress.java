package org.rengarde.server;

import org.rengarde.metrics.TrafficCounters;

import java.net.InetSocketAddress;

/**
 * One client socket address the {@link PeerTable} knows, and what it proved: a {@link Role#MEMBER} of a peer gets
 * that peer's datagrams from WireGuard; a {@link Role#CANDIDATE} named one of the peer's indices and gets nothing
 * yet; an {@link Role#INITIATOR} sent a handshake initiation and gets only the replies to it. Mutable, owned by the
 * table's event loop.
 */
public final class PeerAddress {
  public enum Role { MEMBER, CANDIDATE, INITIATOR }

  private final InetSocketAddress address;
  private final TrafficCounters counters = new TrafficCounters();
  private String text;
  Role role;
  Peer peer;
  long lastSeenNanos;
  /** While a candidate: how fast its datagrams may reach WireGuard. */
  TokenBucket candidateRate;
  /** Member slot 0-63 within the peer (the arrival tracker's link bit), -1 when not a member. */
  int slot = -1;
  /** Position in the peer's list of addresses of this role. */
  int position = -1;
  /** Neighbours in the table's least-recently-heard order of candidates. */
  PeerAddress older;
  PeerAddress newer;
  /** The delivery this address was last listed for: a fan-out lists each address once. */
  int listedFor;
  /** The relay's own: the local address this address sends to, and its socket once it is a member. */
  private InetSocketAddress local;
  private Object attachment;
  private boolean stale;

  PeerAddress(InetSocketAddress address, long nowNanos) {
    this.address = address;
    this.lastSeenNanos = nowNanos;
  }

  public InetSocketAddress address() {
    return address;
  }

  /**
   * "ip:port", as engarde prints it ("[ip]:port" for IPv6); made on first use, so strangers' entries never pay for
   * it.
   */
  public String text() {
    if (text == null) {
      text = org.rengarde.config.HostPort.format(address);
    }
    return text;
  }

  public Role role() {
    return role;
  }

  public boolean isMember() {
    return role == Role.MEMBER;
  }

  public Peer peer() {
    return peer;
  }

  public long lastSeenNanos() {
    return lastSeenNanos;
  }

  public int slot() {
    return slot;
  }

  public TrafficCounters counters() {
    return counters;
  }

  /** The local address (ours) this address last sent to: where its own socket binds once it is a member. */
  public InetSocketAddress local() {
    return local;
  }

  public void local(InetSocketAddress sentTo) {
    local = sentTo;
  }

  /**
   * The relay's judgement: a member silent for a few seconds while another member of its peer is heard (a link
   * re-created on a new port left it behind, or the link died). It is no longer expected to deliver, so its loss
   * figures stop counting and it is never the "lossiest" link.
   */
  public boolean stale() {
    return stale;
  }

  public void stale(boolean value) {
    stale = value;
  }

  public Object attachment() {
    return attachment;
  }

  public void attach(Object value) {
    attachment = value;
  }

  @Override
  public String toString() {
    return text() + " (" + role + " of peer " + (peer == null ? "-" : peer.id()) + ")";
  }
}
