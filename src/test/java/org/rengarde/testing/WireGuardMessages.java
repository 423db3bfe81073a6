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

  public static byte[] initiation() {
    byte[] b = new byte[148];
    RANDOM.nextBytes(b);
    ByteBuffer.wrap(b).putInt(0x01000000);
    return b;
  }
}
