package org.rengarde.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Datagrams shaped like WireGuard's (right type byte, zero reserved bytes, right length), filled with noise. */
public final class WireGuardMessages {
  private static final Random RANDOM = new Random(42);

  private WireGuardMessages() {
  }

  /** A transport message (type 4) of {@code length} bytes with the given receiver index and counter. */
  public static byte[] transport(int length, int receiver, long counter) {
    byte[] b = new byte[length];
    RANDOM.nextBytes(b);
    ByteBuffer.wrap(b).putInt(0x04000000).putInt(Integer.reverseBytes(receiver)).putLong(Long.reverseBytes(counter));
    return b;
  }

  /** A handshake response (type 2) whose sender index is {@code sender} and receiver index {@code receiver}. */
  public static byte[] response(int sender, int receiver) {
    byte[] b = new byte[92];
    RANDOM.nextBytes(b);
    ByteBuffer.wrap(b).putInt(0x02000000).putInt(Integer.reverseBytes(sender)).putInt(Integer.reverseBytes(receiver));
    return b;
  }

  public static byte[] initiation() {
    byte[] b = new byte[148];
    RANDOM.nextBytes(b);
    ByteBuffer.wrap(b).putInt(0x01000000);
    return b;
  }

  /** A handshake initiation (type 1) whose sender index is {@code sender}. */
  public static byte[] initiation(int sender) {
    byte[] b = initiation();
    ByteBuffer.wrap(b).putInt(4, Integer.reverseBytes(sender));
    return b;
  }

  /** A cookie reply (type 3) whose receiver index is {@code receiver}. */
  public static byte[] cookieReply(int receiver) {
    byte[] b = new byte[64];
    RANDOM.nextBytes(b);
    ByteBuffer.wrap(b).putInt(0x03000000).putInt(Integer.reverseBytes(receiver));
    return b;
  }

  /** The message type (1-4) of a WireGuard datagram. */
  public static int type(byte[] datagram) {
    return datagram[0];
  }

  /** The sender index of an initiation or a response. */
  public static int senderIndex(byte[] datagram) {
    return intAt(datagram, 4);
  }

  /** The receiver index of a response (bytes 8-11), a cookie reply or a transport message (bytes 4-7). */
  public static int receiverIndex(byte[] datagram) {
    return intAt(datagram, type(datagram) == 2 ? 8 : 4);
  }

  /** The counter of a transport message. */
  public static long counter(byte[] datagram) {
    return ByteBuffer.wrap(datagram).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
  }

  private static int intAt(byte[] datagram, int offset) {
    return ByteBuffer.wrap(datagram).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
  }
}
