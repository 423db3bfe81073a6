package org.rengarde.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Checks the mac1 field of handshake messages sent to one WireGuard: mac1 = BLAKE2s-128 keyed by
 * BLAKE2s-256("mac1----" || the receiver's static public key), over the message up to mac1 (bytes 0-115 of an
 * initiation, 0-59 of a response). Only a sender that knows the server's public key can make it, so blind junk
 * is dropped before it reaches WireGuard, which would otherwise spend its per-source handshake budget on it.
 *
 * <p>Only messages addressed to the key's owner carry its mac1: a client's initiations and the responses a client
 * sends to the server's own initiations. One checker per event loop: it reuses its hash state.
 */
public final class Mac1 {
  public static final int PUBLIC_KEY_BYTES = 32;
  private static final byte[] LABEL = "mac1----".getBytes(StandardCharsets.US_ASCII);
  private static final int MAC_BYTES = 16;
  private static final int INITIATION_MAC_AT = 116;
  private static final int RESPONSE_MAC_AT = 60;

  private final Blake2s blake = new Blake2s();
  /** The hash state after the key block: compressed once here, not again per message. */
  private final int[] keyed = new int[8];

  private Mac1(byte[] key) {
    blake.reset(MAC_BYTES, key).compressKeyBlock().save(keyed);
  }

  /** A checker for messages to the WireGuard whose static public key is {@code publicKey} (32 bytes). */
  public static Mac1 checker(byte[] publicKey) {
    if (publicKey.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("a WireGuard public key has 32 bytes, not " + publicKey.length);
    }
    byte[] input = new byte[LABEL.length + PUBLIC_KEY_BYTES];
    System.arraycopy(LABEL, 0, input, 0, LABEL.length);
    System.arraycopy(publicKey, 0, input, LABEL.length, PUBLIC_KEY_BYTES);
    return new Mac1(Blake2s.hash(32, null, input));
  }

  /**
   * Whether {@code message} is an initiation (148 bytes) or a response (92 bytes) whose mac1 this key made. Any
   * other message is not valid. Reads without moving the buffer's indexes; allocates nothing.
   */
  public boolean valid(ByteBuf message) {
    int length = message.readableBytes();
    int at = message.readerIndex();
    int macAt;
    if (length == WireGuardShape.INITIATION_LENGTH && message.getInt(at) == WireGuardShape.HANDSHAKE_INITIATION << 24) {
      macAt = INITIATION_MAC_AT;
    } else if (length == WireGuardShape.RESPONSE_LENGTH && message.getInt(at) == WireGuardShape.HANDSHAKE_RESPONSE << 24) {
      macAt = RESPONSE_MAC_AT;
    } else {
      return false;
    }
    blake.restore(keyed, Blake2s.BLOCK_BYTES, MAC_BYTES).update(message, at, macAt).finish();
    for (int i = 0; i < MAC_BYTES / 4; i++) {
      if (blake.outputWord(i) != message.getIntLE(at + macAt + 4 * i)) {
        return false;
      }
    }
    return true;
  }
}
