package org.rengarde.server;

/**
 * What to do with one datagram from a client address, as {@link PeerTable#fromClient} decides it. One instance,
 * reused by every call: read it before the next.
 */
public final class Route {
  public enum Refusal { NONE, NOT_WIREGUARD, UNKNOWN_INDEX, IMPLAUSIBLE_COUNTER, LIMIT }

  private Peer peer;
  private PeerAddress sender;
  private boolean opensPeer;
  private byte[] answer;
  private boolean copy;
  private Refusal refusal = Refusal.NONE;
  private Limit limit;

  /** Whether to send the datagram to {@link #peer()}'s socket; otherwise drop it and count {@link #refusal()}. */
  public boolean forward() {
    return peer != null;
  }

  /** The peer whose socket the datagram goes to, or null when refused. */
  public Peer peer() {
    return peer;
  }

  /** The sender's entry (member, candidate or initiator), or null when refused. */
  public PeerAddress sender() {
    return sender;
  }

  /** {@link #peer()} was opened by this datagram: open its socket, then send. */
  public boolean opensPeer() {
    return opensPeer;
  }

  /**
   * The datagram is a copy of one already sent to {@link #peer()}'s socket (another link's copy of an initiation):
   * WireGuard has it, so it is dropped, but the sender's role stands.
   */
  public boolean copy() {
    return copy;
  }

  /** For a copy of an initiation WireGuard already answered: its response, to send the copy's sender; else null. */
  public byte[] answer() {
    return answer;
  }

  public Refusal refusal() {
    return refusal;
  }

  /** The bound that refused it, when {@link #refusal()} is LIMIT. */
  public Limit limit() {
    return limit;
  }

  Route forwardTo(Peer to, PeerAddress from, boolean opened) {
    peer = to;
    sender = from;
    opensPeer = opened;
    copy = false;
    answer = null;
    refusal = Refusal.NONE;
    limit = null;
    return this;
  }

  Route markCopy() {
    copy = true;
    return this;
  }

  Route markCopy(Initiation of) {
    copy = true;
    answer = of.answered ? of.response : null;
    return this;
  }

  Route refuse(Refusal why, Limit bound) {
    peer = null;
    sender = null;
    opensPeer = false;
    copy = false;
    refusal = why;
    limit = bound;
    return this;
  }
}
