package org.rengarde.testing;

import java.nio.ByteBuffer;
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
}
