package org.rengarde.server;

import io.netty.buffer.ByteBuf;
import org.rengarde.wire.WireGuardShape;

/**
 * The session indices the local WireGuard has handed out, read from the handshake messages it sends through the
 * relay (the sender index, bytes 4-7, of its initiations and responses). A client's transport messages carry one of
 * them as receiver index; a stranger cannot guess one. Remembers the last {@value #KEPT}; WireGuard rekeys every two
 * minutes, so that spans hours. Owned by the relay's event loop.
 */
final class WireGuardIndices {
  static final int KEPT = 64;

  private final int[] indices = new int[KEPT];
  private int size;
  private int next;

  /** Learns the sender index of a handshake message WireGuard sent; ignores anything else. */
  void learnFrom(ByteBuf fromWireGuard) {
    int length = fromWireGuard.readableBytes();
    if (length < 8) {
      return;
    }
    int at = fromWireGuard.readerIndex();
    int header = fromWireGuard.getInt(at);
    boolean handshake = (header == WireGuardShape.HANDSHAKE_INITIATION << 24 && length == WireGuardShape.INITIATION_LENGTH)
        || (header == WireGuardShape.HANDSHAKE_RESPONSE << 24 && length == WireGuardShape.RESPONSE_LENGTH);
    if (!handshake) {
      return;
    }
    int index = fromWireGuard.getIntLE(at + 4);
    if (contains(index)) {
      return;
    }
    indices[next] = index;
    next = (next + 1) % KEPT;
    size = Math.min(KEPT, size + 1);
  }

  /** No handshake seen since the relay started: nothing to check against yet. */
  boolean isEmpty() {
    return size == 0;
  }

  boolean contains(int index) {
    for (int i = 0; i < size; i++) {
      if (indices[i] == index) {
        return true;
      }
    }
    return false;
  }

  /** The receiver index (bytes 4-7) of a client's type 2, 3 or 4 message. */
  static int receiverIndex(ByteBuf fromClient) {
    return fromClient.getIntLE(fromClient.readerIndex() + 4);
  }
}
