package org.rengarde.wire;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Blake2sTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] counting(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  @Test
  void abcFromRfc7693AppendixB() {
    assertEquals("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
        HEX.formatHex(Blake2s.hash(32, null, "abc".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void keyedEmptyMessageIsTheKeyBlockAloneFlaggedLast() {
    assertEquals("48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49",
        HEX.formatHex(Blake2s.hash(32, counting(32), new byte[0])));
  }

  /** Python's hashlib.blake2s(bytes(range(64))): exactly one block, which must be compressed as the last. */
  @Test
  void exactlyOneBlock() {
    assertEquals("56f34e8b96557e90c1f24b52d0c89d51086acf1b00f634cf1dde9233b8eaaa3e",
        HEX.formatHex(Blake2s.hash(32, null, counting(64))));
  }

  /** Python's hashlib.blake2s(bytes(i & 255 for i in range(200)), key=bytes(range(32)), digest_size=16). */
  @Test
  void keyedShortOutputOverSeveralBlocks() {
    assertEquals("42a6f8ff590af21b512e9e088257aa34", HEX.formatHex(Blake2s.hash(16, counting(32), counting(200))));
  }

  @Test
  void byteBufInputHashesLikeAnArray() {
    byte[] data = counting(200);
    byte[] out = new byte[16];
    new Blake2s().reset(16, counting(32)).update(Unpooled.wrappedBuffer(data), 0, 200).finish(out, 0);
    assertEquals("42a6f8ff590af21b512e9e088257aa34", HEX.formatHex(out));
  }

  /** RFC 7693 Appendix E: the self-test over output lengths 16-32, input lengths 0-1024, keyed and unkeyed. */
  @Test
  void selfTestOfRfc7693AppendixE() {
    int[] outLengths = {16, 20, 28, 32};
    int[] inLengths = {0, 3, 64, 65, 255, 1024};
    Blake2s all = new Blake2s().reset(32, null);
    for (int outLength : outLengths) {
      for (int inLength : inLengths) {
        byte[] in = selfTestSequence(inLength, inLength);
        all.update(Blake2s.hash(outLength, null, in), 0, outLength);
        byte[] key = selfTestSequence(outLength, outLength);
        all.update(Blake2s.hash(outLength, key, in), 0, outLength);
      }
    }
    byte[] result = new byte[32];
    all.finish(result, 0);
    assertEquals("6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe", HEX.formatHex(result));
  }

  /** The RFC's deterministic filler: a Fibonacci-like sequence seeded by {@code seed}. */
  private static byte[] selfTestSequence(int length, int seed) {
    byte[] out = new byte[length];
    int a = 0xDEAD4BAD * seed;
    int b = 1;
    for (int i = 0; i < length; i++) {
      int t = a + b;
      a = b;
      b = t;
      out[i] = (byte) (t >>> 24);
    }
    return out;
  }

  @Test
  void outputLongerThan32BytesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Blake2s().reset(33, null));
  }
}
