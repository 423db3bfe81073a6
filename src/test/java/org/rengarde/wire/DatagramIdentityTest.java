package org.rengarde.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DatagramIdentityTest {

  /** A WireGuard transport message: type 4, three zero bytes, receiver index LE, counter LE, then the payload. */
  private static ByteBuf transport(long receiver, long counter, byte[] payload) {
    ByteBuf b = Unpooled.buffer(16 + payload.length);
    b.writeByte(4);
    b.writeZero(3);
    b.writeIntLE((int) receiver);
    b.writeLongLE(counter);
    b.writeBytes(payload);
    return b;
  }

  private static byte[] filler(int length, int seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static long id(byte[] bytes) {
    return DatagramIdentity.of(Unpooled.wrappedBuffer(bytes));
  }

  private static byte[] bytesOf(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), out);
    return out;
  }

  // ---- WireGuard transport messages ----

  @Test
  void copiesOfOneTransportMessageHaveOneId() {
    long a = DatagramIdentity.of(transport(0x11223344L, 77, filler(1400, 3)));
    long b = DatagramIdentity.of(transport(0x11223344L, 77, filler(1400, 3)));
    assertEquals(a, b);
  }

  @Test
  void aForgedMessageReusingReceiverAndCounterWithAnotherTagIsNotACopy() {
    long genuine = DatagramIdentity.of(transport(0x11223344L, 77, filler(1400, 3)));
    long forged = DatagramIdentity.of(transport(0x11223344L, 77, filler(1400, 4)));
    assertNotEquals(genuine, forged);
  }

  @Test
  void differentCounterGivesDifferentId() {
    long base = DatagramIdentity.of(transport(5, 1000, filler(16, 1)));
    assertNotEquals(base, DatagramIdentity.of(transport(5, 1001, filler(16, 1))));
    assertNotEquals(base, DatagramIdentity.of(transport(5, 999, filler(16, 1))));
    assertNotEquals(base, DatagramIdentity.of(transport(5, 1000 | (1L << 63), filler(16, 1))));
  }

  @Test
  void differentReceiverGivesDifferentId() {
    long base = DatagramIdentity.of(transport(5, 1000, filler(16, 1)));
    assertNotEquals(base, DatagramIdentity.of(transport(6, 1000, filler(16, 1))));
    assertNotEquals(base, DatagramIdentity.of(transport(5 | 0x8000_0000L, 1000, filler(16, 1))));
  }

  @Test
  void manyCountersAndReceiversGiveDistinctIds() {
    Set<Long> seen = new HashSet<>();
    for (long receiver = 0; receiver < 50; receiver++) {
      for (long counter = 0; counter < 2000; counter++) {
        long id = DatagramIdentity.of(transport(receiver * 0x01010101L, counter, new byte[16]));
        assertEquals(0, id & 1, "WireGuard transport ids have the low bit 0");
        seen.add(id);
      }
    }
    assertEquals(50 * 2000, seen.size());
  }

  @Test
  void everyByteOfReceiverCounterAndTagCountsAndNoByteBetween() {
    byte[] base = bytesOf(transport(0xA1B2C3D4L, 0x0102030405060708L, filler(20, 9)));
    long baseId = id(base);
    for (int i = 4; i < 16; i++) {
      byte[] changed = base.clone();
      changed[i] ^= 0x01;
      long changedId = id(changed);
      assertNotEquals(baseId, changedId, "byte " + i);
      assertEquals(0, changedId & 1, "byte " + i);
    }
    for (int i = 16; i < base.length - 16; i++) {
      byte[] changed = base.clone();
      changed[i] ^= (byte) 0xFF;
      assertEquals(baseId, id(changed), "byte " + i + " (encrypted payload: the tag covers it)");
    }
    for (int i = base.length - 16; i < base.length; i++) {
      byte[] changed = base.clone();
      changed[i] ^= 0x01;
      assertNotEquals(baseId, id(changed), "tag byte " + i);
    }
  }

  @Test
  void transportIdsHaveLowBitZero() {
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      long id = DatagramIdentity.of(transport(random.nextInt() & 0xFFFF_FFFFL, random.nextLong(), new byte[16]));
      assertEquals(0, id & 1);
    }
  }

  @Test
  void typeFourShorterThan32IsHashedNotReadAsTransport() {
    byte[] full = bytesOf(transport(5, 1000, new byte[16]));
    byte[] short31 = java.util.Arrays.copyOf(full, 31);
    byte[] other31 = short31.clone();
    other31[20] = 1;
    assertEquals(1, id(short31) & 1);
    assertNotEquals(id(short31), id(other31), "hashed, so payload bytes count");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 0x44})
  void otherTypesAreHashed(int type) {
    byte[] bytes = bytesOf(transport(5, 1000, new byte[16]));
    bytes[0] = (byte) type;
    assertEquals(1, id(bytes) & 1);
    byte[] payloadChanged = bytes.clone();
    payloadChanged[30] = 7;
    assertNotEquals(id(bytes), id(payloadChanged));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void typeFourWithNonZeroReservedByteIsHashed(int reservedAt) {
    byte[] bytes = bytesOf(transport(5, 1000, new byte[16]));
    bytes[reservedAt] = 1;
    assertEquals(1, id(bytes) & 1);
  }

  // ---- other datagrams ----

  @Test
  void equalBytesGiveEqualIdsWhateverTheBuffer() {
    for (int length = 0; length <= 70; length++) {
      byte[] bytes = filler(length, length);
      long expected = id(bytes);
      assertEquals(expected, id(bytes.clone()), "length " + length);
      ByteBuf direct = Unpooled.directBuffer(length);
      direct.writeBytes(bytes);
      assertEquals(expected, DatagramIdentity.of(direct), "direct, length " + length);
      direct.release();
    }
  }

  @Test
  void oneChangedByteAnywhereGivesDifferentIdIncludingTheTail() {
    for (int length = 1; length <= 40; length++) {
      byte[] base = filler(length, 100 + length);
      base[0] = 0x55; // never a WireGuard type
      long baseId = id(base);
      assertEquals(1, baseId & 1);
      Set<Long> ids = new HashSet<>();
      ids.add(baseId);
      int variants = 1;
      for (int i = 0; i < length; i++) {
        for (int flip : new int[] {0x01, 0x80, 0xFF, 0x10}) {
          byte[] changed = base.clone();
          changed[i] ^= (byte) flip;
          long changedId = id(changed);
          assertNotEquals(baseId, changedId, "length " + length + ", byte " + i + ", flip " + flip);
          assertEquals(1, changedId & 1);
          ids.add(changedId);
          variants++;
        }
      }
      assertEquals(variants, ids.size(), "all single-byte variants distinct, length " + length);
    }
  }

  @Test
  void lengthCountsForZeroBytes() {
    Set<Long> ids = new HashSet<>();
    for (int length = 0; length <= 24; length++) {
      ids.add(id(new byte[length]));
    }
    assertEquals(25, ids.size());
  }

  @Test
  void leadingZeroInTheTailCounts() {
    // tail bytes are folded as a number: 0x00 0x01 vs 0x01 alone must still differ (length differs)
    assertNotEquals(id(new byte[] {1}), id(new byte[] {0, 1}));
    // 9 bytes: one full word then a tail of one byte
    assertNotEquals(id(new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 0}), id(new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 1}));
  }

  @Test
  void hashedIdsHaveLowBitOne() {
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      byte[] bytes = filler(random.nextInt(200), i);
      if (bytes.length > 0) {
        bytes[0] = 9;
      }
      assertEquals(1, id(bytes) & 1);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
  void shortBuffersWork(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i == 0 ? 4 : 0); // looks like a WireGuard header start, too short for transport
    }
    long id = id(bytes);
    assertEquals(1, id & 1);
    assertEquals(id, id(bytes.clone()));
    if (length > 0) {
      byte[] changed = bytes.clone();
      changed[length - 1] ^= 0x20;
      assertNotEquals(id, id(changed));
    }
  }

  @Test
  void emptyBufferWorks() {
    assertEquals(1, DatagramIdentity.of(Unpooled.EMPTY_BUFFER) & 1);
    assertEquals(DatagramIdentity.of(Unpooled.EMPTY_BUFFER), id(new byte[0]));
  }

  // ---- indexes and slices ----

  @Test
  void indexesAreUnchanged() {
    ByteBuf wg = transport(5, 1000, filler(40, 1));
    wg.readerIndex(0);
    int writer = wg.writerIndex();
    DatagramIdentity.of(wg);
    assertEquals(0, wg.readerIndex());
    assertEquals(writer, wg.writerIndex());

    ByteBuf other = Unpooled.wrappedBuffer(filler(37, 2));
    other.readerIndex(3);
    DatagramIdentity.of(other);
    assertEquals(3, other.readerIndex());
    assertEquals(37, other.writerIndex());
  }

  @Test
  void nonZeroReaderIndexGivesSameIdAsTheBytesAtZero() {
    for (int length = 0; length <= 40; length++) {
      byte[] bytes = filler(length, 300 + length);
      if (length > 0) {
        bytes[0] = 0x7F;
      }
      ByteBuf framed = Unpooled.buffer();
      framed.writeBytes(filler(13, 1)); // junk before
      framed.writeBytes(bytes);
      framed.writeBytes(filler(5, 2)); // junk after, outside the readable bytes
      framed.readerIndex(13);
      framed.writerIndex(13 + length);
      assertEquals(id(bytes), DatagramIdentity.of(framed), "length " + length);
      assertEquals(id(bytes), DatagramIdentity.of(Unpooled.wrappedBuffer(framed.array(), 13, length)));
      assertEquals(id(bytes), DatagramIdentity.of(framed.slice()), "slice, length " + length);
    }
  }

  @Test
  void nonZeroReaderIndexOfTransportMessage() {
    byte[] message = bytesOf(transport(0xDEADBEEFL, 123_456_789L, filler(32, 5)));
    ByteBuf framed = Unpooled.buffer();
    framed.writeBytes(new byte[] {4, 0, 0, 0, 9, 9, 9}); // junk that starts like a transport header
    framed.writeBytes(message);
    framed.readerIndex(7);
    long expected = id(message);
    assertEquals(0, expected & 1);
    assertEquals(expected, DatagramIdentity.of(framed));
    assertEquals(expected, DatagramIdentity.of(framed.slice()));
    assertEquals(7, framed.readerIndex());
  }

  @Test
  void compositeBufferGivesSameId() {
    byte[] other = filler(45, 8);
    other[0] = 0x22;
    byte[] wg = bytesOf(transport(77, 88, filler(20, 3)));
    for (byte[] bytes : new byte[][] {other, wg}) {
      for (int cut = 0; cut <= bytes.length; cut += 3) {
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.wrappedBuffer(bytes, 0, cut));
        composite.addComponent(true, Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
        assertEquals(id(bytes), DatagramIdentity.of(composite), "cut " + cut);
      }
    }
  }
}
