package org.rengarde.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DatagramHashTest {
  private static final long KEY_A0 = 0x0706050403020100L;
  private static final long KEY_A1 = 0x0f0e0d0c0b0a0908L;
  private static final long KEY_B0 = 0x1716151413121110L;
  private static final long KEY_B1 = 0x1f1e1d1c1b1a1918L;
  private static final DatagramHash REFERENCE = new DatagramHash(KEY_A0, KEY_A1, KEY_B0, KEY_B1);

  /**
   * SipHash-1-3 of the messages 00, 00 01, ..., 00..3e under the key 00..0f, as bytes of the little-endian
   * output: the reference vectors (the same as Rust's SipHasher13 tests), covering every tail length.
   */
  private static final String[] VECTORS = {
      "dcc40f055801acab", "93ca577df39bf4c9", "4dd4c74d029bcb82", "fbf7dde7b80af88b",
      "2883d388605775cf", "673b53492fd5f9de", "a7229fc5502b0dc5", "4011b19b987d92d3",
      "8e9a298d11959036", "e43d066cb38ea425", "7f09ff92ee85de79", "52c34df9c118c170",
      "a2d9b457b184a378", "a7ff29120c766f30", "345df9c011a15a60", "5699512a6dd820d3",
      "668b907d1add4fcc", "0cd8db639068f29c", "3ee673b49c38fc8f", "1c7d298de59d1ff2",
      "40e0cca6462fdcc0", "44f8452bfeab92b9", "2e8720a39b7bfe7f", "23c1e6da7f0e5a52",
      "8c9c3467b2ae64f4", "79095b702859cd45", "a51399cae3353e3a", "353bde4a4ec71da9",
      "0dd06cef02ed0bfb", "f4e1b14ab43cd988", "63e6c543d6110f54", "bcd1218c1fdd7023",
      "0db6a7166c7b1581", "bff98f7ae5b9544d", "3e752a1f78129f75", "916b18bfbea3a1ce",
      "0662a2add308f52c", "5730c3a32d1c10b6", "a1363aae9674f4b3", "9283107b54576b62",
      "3115e4993236d2c1", "44d91a3f92c17c66", "258813c8fe4f7065", "a64989c2d180f224",
      "6b87f8faed1ccac2", "9621049ffc4b16c2", "23d6b168939c6ea1", "fd14518b9c16fb49",
      "464c07dff843319f", "b386cc1224affdc6", "8f09520ad149af7e", "9a2f299d5513f31c",
      "121ff4a2dd304ac4", "d01ea74389e9fa36", "e6bcf0734cb38f31", "80e9a77036bf7aa2",
      "756d3c24dbc0bcb4", "1315b7fd52d8f823", "088a7da64d5f038f", "48f1e8b7e5d09cd8",
      "ee44a6f7bce6f4f6", "f237180fd89ac5ae", "e094664b15f6b2c3", "a8b3bbb76290199d"
  };

  private static byte[] counting(int length) {
    byte[] m = new byte[length];
    for (int i = 0; i < length; i++) {
      m[i] = (byte) i;
    }
    return m;
  }

  /** SipHash-1-3 as its paper writes it, one byte string, one lane: the reference each lane is checked against. */
  static long sipHash13(long k0, long k1, byte[] m) {
    long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L,
        k1 ^ 0x7465646279746573L};
    ByteBuffer in = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
    int whole = m.length / 8;
    for (int w = 0; w < whole; w++) {
      compress(v, in.getLong(w * 8), 1);
    }
    long last = (long) (m.length & 0xff) << 56;
    for (int j = 0; j < m.length % 8; j++) {
      last |= (m[whole * 8 + j] & 0xFFL) << (8 * j);
    }
    compress(v, last, 1);
    v[2] ^= 0xff;
    sipRounds(v, 3);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
  }

  private static void compress(long[] v, long word, int rounds) {
    v[3] ^= word;
    sipRounds(v, rounds);
    v[0] ^= word;
  }

  private static void sipRounds(long[] v, int rounds) {
    for (int r = 0; r < rounds; r++) {
      v[0] += v[1];
      v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
      v[0] = Long.rotateLeft(v[0], 32);
      v[2] += v[3];
      v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
      v[0] += v[3];
      v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
      v[2] += v[1];
      v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
      v[2] = Long.rotateLeft(v[2], 32);
    }
  }

  /** The lanes' strings: E = the even words and the tail, O = the odd words and the length (little-endian). */
  private static long byTheDefinition(byte[] m) {
    int whole = m.length / 8;
    ByteBuffer even = ByteBuffer.allocate((whole + 1) / 2 * 8 + m.length % 8);
    ByteBuffer odd = ByteBuffer.allocate(whole / 2 * 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int w = 0; w < whole; w++) {
      (w % 2 == 0 ? even : odd).put(m, w * 8, 8);
    }
    even.put(m, whole * 8, m.length % 8);
    odd.putLong((long) m.length);
    return sipHash13(KEY_A0, KEY_A1, even.array()) ^ sipHash13(KEY_B0, KEY_B1, odd.array());
  }

  @Test
  void theReferenceSipHashMatchesItsPublishedVectors() {
    for (int length = 0; length < VECTORS.length; length++) {
      byte[] output = HexFormat.of().parseHex(VECTORS[length]);
      long expected = ByteBuffer.wrap(output).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(expected, sipHash13(KEY_A0, KEY_A1, counting(length)), "length " + length);
    }
  }

  @Test
  void isTheTwoLanesOfItsDefinitionAtEveryLength() {
    Random random = new Random(7);
    for (int length = 0; length <= 300; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      assertEquals(byTheDefinition(bytes), REFERENCE.of(Unpooled.wrappedBuffer(bytes)), "length " + length);
    }
    byte[] largest = new byte[65_507];
    random.nextBytes(largest);
    assertEquals(byTheDefinition(largest), REFERENCE.of(Unpooled.wrappedBuffer(largest)), "65,507 bytes");
  }

  @Test
  void eachLaneHasAKeyOfItsOwn() {
    for (int length = 0; length < 40; length++) {
      ByteBuf m = Unpooled.wrappedBuffer(counting(length));
      assertNotEquals(REFERENCE.of(m), new DatagramHash(KEY_A0, KEY_A1, KEY_B0, KEY_B1 ^ 1).of(m), "B, length " + length);
      assertNotEquals(REFERENCE.of(m), new DatagramHash(KEY_A0 ^ 1, KEY_A1, KEY_B0, KEY_B1).of(m), "A, length " + length);
    }
  }

  @Test
  void datagramsThatOnlyMoveBytesBetweenTheLanesHashApart() {
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    a[0] = 1;
    b[8] = 1;
    assertNotEquals(REFERENCE.of(Unpooled.wrappedBuffer(a)), REFERENCE.of(Unpooled.wrappedBuffer(b)));
    // 8 zero bytes against 16: the same even lane, the odd lane told apart by the length
    assertNotEquals(REFERENCE.of(Unpooled.wrappedBuffer(new byte[8])), REFERENCE.of(Unpooled.wrappedBuffer(new byte[16])));
  }

  @Test
  void theSameBytesHashTheSameWhateverTheBufferAndItsIndexes() {
    Random random = new Random(5);
    for (int length = 0; length <= 80; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      long expected = REFERENCE.of(Unpooled.wrappedBuffer(bytes));

      ByteBuf direct = Unpooled.directBuffer(length + 20);
      direct.writeZero(7).writeBytes(bytes).writeZero(13);
      direct.readerIndex(7).writerIndex(7 + length);
      assertEquals(expected, REFERENCE.of(direct), "direct with junk around, length " + length);
      assertEquals(7, direct.readerIndex());
      assertEquals(7 + length, direct.writerIndex());
      assertEquals(expected, REFERENCE.of(direct.slice()), "slice, length " + length);
      direct.release();

      for (int cut = 0; cut <= length; cut += 5) {
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.wrappedBuffer(bytes, 0, cut));
        composite.addComponent(true, Unpooled.wrappedBuffer(bytes, cut, length - cut));
        assertEquals(expected, REFERENCE.of(composite), "composite cut at " + cut + ", length " + length);
      }
    }
  }

  @Test
  void everyBitOfEveryByteCounts() {
    byte[] base = new byte[45];
    new Random(1).nextBytes(base);
    long h = REFERENCE.of(Unpooled.wrappedBuffer(base));
    for (int i = 0; i < base.length; i++) {
      for (int b = 0; b < 8; b++) {
        byte[] changed = base.clone();
        changed[i] ^= (byte) (1 << b);
        assertNotEquals(h, REFERENCE.of(Unpooled.wrappedBuffer(changed)), "byte " + i + " bit " + b);
      }
    }
  }

  @Test
  void trailingZerosCount() {
    assertNotEquals(REFERENCE.of(Unpooled.wrappedBuffer(new byte[] {1})),
        REFERENCE.of(Unpooled.wrappedBuffer(new byte[] {1, 0})));
    assertNotEquals(REFERENCE.of(Unpooled.wrappedBuffer(new byte[8])),
        REFERENCE.of(Unpooled.wrappedBuffer(new byte[9])));
  }

  @Test
  void anotherKeyGivesOtherHashes() {
    DatagramHash other = new DatagramHash(KEY_A0, KEY_A1 ^ 1, KEY_B0, KEY_B1 ^ 1);
    for (int length = 0; length < 40; length++) {
      ByteBuf m = Unpooled.wrappedBuffer(counting(length));
      assertNotEquals(REFERENCE.of(m), other.of(m), "length " + length);
    }
    assertNotEquals(DatagramHash.random().of(Unpooled.EMPTY_BUFFER), DatagramHash.random().of(Unpooled.EMPTY_BUFFER));
  }

  @Test
  void aRangeOfTheBufferHashesLikeTheseBytesAlone() {
    byte[] bytes = counting(40);
    assertEquals(REFERENCE.of(Unpooled.wrappedBuffer(bytes, 4, 12)),
        REFERENCE.of(Unpooled.wrappedBuffer(bytes), 4, 12));
  }
}
