package org.rengarde.server;

/**
 * A handshake initiation a client sent recently, and the addresses that delivered it: every copy of one initiation
 * is the same 148 bytes, so the addresses are links of one client. Kept in its peer's ring and in
 * {@link InitiationLog}'s index; reused when its slot is.
 */
final class Initiation {
  static final int MAX_SENDERS = 8;

  Peer peer;
  int senderIndex;
  long hash;
  long firstNanos;
  final PeerAddress[] senders = new PeerAddress[MAX_SENDERS];
  int senderCount;
  /**
   * WireGuard's response to this initiation, once it answered (92 bytes; the array is reused with the slot): a link
   * whose copy of the initiation comes after the answer gets it too, so a response lost on the fast link does not cost
   * the client a 5 s handshake retry.
   */
  byte[] response;
  boolean answered;

  void answeredWith(io.netty.buffer.ByteBuf datagram) {
    int length = datagram.readableBytes();
    if (response == null || response.length != length) {
      response = new byte[length];
    }
    datagram.getBytes(datagram.readerIndex(), response);
    answered = true;
  }

  /** Records that {@code a} delivered a copy; past {@value #MAX_SENDERS} addresses, later ones are not listed. */
  void add(PeerAddress a) {
    for (int i = 0; i < senderCount; i++) {
      if (senders[i] == a) {
        return;
      }
    }
    if (senderCount < MAX_SENDERS) {
      senders[senderCount++] = a;
    }
  }

  boolean deliveredByMemberOf(Peer p) {
    for (int i = 0; i < senderCount; i++) {
      if (senders[i].role == PeerAddress.Role.MEMBER && senders[i].peer == p) {
        return true;
      }
    }
    return false;
  }

  boolean inUse() {
    return peer != null;
  }

  void clear() {
    peer = null;
    answered = false;
    java.util.Arrays.fill(senders, 0, senderCount, null);
    senderCount = 0;
  }
}
