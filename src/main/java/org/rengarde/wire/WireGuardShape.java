package org.rengarde.wire;

import io.netty.buffer.ByteBuf;

/**
 * Tells whether a datagram is shaped like a WireGuard message: a type byte 1-4, three zero bytes, and the exact
 * length of its type (initiation 148, response 92, cookie reply 64, transport at least 32). Nothing is decrypted;
 * this only keeps strangers' junk from making a host a "client" of the server.
 */
public final class WireGuardShape {
  public static final int HANDSHAKE_INITIATION = 1;
  public static final int HANDSHAKE_RESPONSE = 2;
  public static final int COOKIE_REPLY = 3;
  public static final int TRANSPORT_DATA = 4;

  public static final int INITIATION_LENGTH = 148;
  public static final int RESPONSE_LENGTH = 92;
  public static final int COOKIE_REPLY_LENGTH = 64;
  public static final int MIN_TRANSPORT_LENGTH = 32;

  private WireGuardShape() {
  }

  /**
   * Whether {@code datagram} is shaped like a transport message (its header and at least the minimum length); for a
   * datagram that {@link #matches}, whether its type is transport. Reads without moving the buffer's indexes.
   */
  public static boolean isTransport(ByteBuf datagram) {
    return datagram.readableBytes() >= MIN_TRANSPORT_LENGTH
        && datagram.getInt(datagram.readerIndex()) == TRANSPORT_DATA << 24;
  }

  /** Reads without moving the buffer's indexes. */
  public static boolean matches(ByteBuf datagram) {
    int length = datagram.readableBytes();
    if (length < 4) {
      return false;
    }
    int header = datagram.getInt(datagram.readerIndex());
    if ((header & 0x00FF_FFFF) != 0) {
      return false;
    }
    return switch (header >>> 24) {
      case HANDSHAKE_INITIATION -> length == INITIATION_LENGTH;
      case HANDSHAKE_RESPONSE -> length == RESPONSE_LENGTH;
      case COOKIE_REPLY -> length == COOKIE_REPLY_LENGTH;
      case TRANSPORT_DATA -> length >= MIN_TRANSPORT_LENGTH;
      default -> false;
    };
  }
}
