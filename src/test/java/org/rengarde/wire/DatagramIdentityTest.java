package org.rengarde.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatagramIdentityTest {
  private static final DatagramHash HASH = new DatagramHash(11, 22, 33, 44);

  /** A WireGuard transport message: type 4, three zero bytes, receiver index LE, counter LE, then the payload. */
  static ByteBuf transport(long receiver, long counter, byte[] payload) {
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

  private static byte[] bytesOf(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), out);
    return out;
  }

  /** The identity the tracker gives a datagram. */
  private static long id(ByteBuf b) {
    return WireGuardShape.isTransport(b)
        ? DatagramIdentity.ofTransport(HASH, b) : DatagramIdentity.ofContent(HASH.of(b));
  }

  private static long id(byte[] bytes) {
    return id(Unpooled.wrappedBuffer(bytes));
  }

  // ---- which datagrams are transport messages ----

  @Test
  void aTransportMessageIsTypeFourWithZeroReservedBytesAndAtLeast32Bytes() {
    assertTrue(WireGuardShape.isTransport(transport(5, 1000, new byte[16])));
    assertTrue(WireGuardShape.isTransport(transport(5, 1000, new byte[1400])));
    byte[] short31 = java.util.Arrays.copyOf(bytesOf(transport(5, 1000, new byte[16])), 31);
    assertFalse(WireGuardShape.isTransport(Unpooled.wrappedBuffer(short31)));
    assertFalse(WireGuardShape.isTransport(Unpooled.EMPTY_BUFFER));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 0x44})
  void otherTypesAreNotTransport(int type) {
    byte[] bytes = bytesOf(transport(5, 1000, new byte[16]));
    bytes[0] = (byte) type;
    assertFalse(WireGuardShape.isTransport(Unpooled.wrappedBuffer(bytes)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void typeFourWithANonZeroReservedByteIsNotTransport(int reservedAt) {
    byte[] bytes = bytesOf(transport(5, 1000, new byte[16]));
    bytes[reservedAt] = 1;
    assertFalse(WireGuardShape.isTransport(Unpooled.wrappedBuffer(bytes)));
  }

  // ---- transport identity: receiver index and counter, nothing else ----

  @Test
  void theTransportIdentityIsTheReceiverAndCounterOnly() {
    byte[] base = bytesOf(transport(0xA1B2C3D4L, 0x0102030405060708L, filler(40, 9)));
    long baseId = id(base);
    assertEquals(0, baseId & 1, "transport identities have the low bit 0");
    for (int i = 4; i < 16; i++) {
      byte[] changed = base.clone();
      changed[i] ^= 0x01;
      assertNotEquals(baseId, id(changed), "byte " + i);
    }
    for (int i = 16; i < base.length; i++) {
      byte[] changed = base.clone();
      changed[i] ^= (byte) 0xFF;
      assertEquals(baseId, id(changed), "byte " + i + ": payload and tag are the content hash's business");
    }
  }

  @Test
  void manyCountersAndReceiversGiveDistinctIdentities() {
    Set<Long> seen = new HashSet<>();
    for (long receiver = 0; receiver < 50; receiver++) {
      for (long counter = 0; counter < 2000; counter++) {
        seen.add(id(transport(receiver * 0x01010101L, counter, new byte[16])));
      }
    }
    assertEquals(50 * 2000, seen.size());
  }

  @Test
  void theTransportIdentityDependsOnTheKey() {
    ByteBuf m = transport(5, 1000, new byte[16]);
    assertNotEquals(DatagramIdentity.ofTransport(HASH, m), DatagramIdentity.ofTransport(new DatagramHash(11, 23, 33, 44), m));
  }

  @Test
  void aNonZeroReaderIndexReadsTheMessageWhereItStarts() {
    byte[] message = bytesOf(transport(0xDEADBEEFL, 123_456_789L, filler(32, 5)));
    ByteBuf framed = Unpooled.buffer();
    framed.writeBytes(new byte[] {4, 0, 0, 0, 9, 9, 9}); // junk that starts like a transport header
    framed.writeBytes(message);
    framed.readerIndex(7);
    assertTrue(WireGuardShape.isTransport(framed));
    assertEquals(id(message), id(framed));
    assertEquals(id(message), id(framed.slice()));
    assertEquals(7, framed.readerIndex());
  }

  // ---- everything else: the hash of all the bytes ----

  @Test
  void otherDatagramsAreNamedByAllTheirBytes() {
    for (int length = 0; length <= 40; length++) {
      byte[] base = filler(length, 100 + length);
      if (length > 0) {
        base[0] = 0x55; // never a WireGuard type
      }
      long baseId = id(base);
      assertEquals(1, baseId & 1, "content identities have the low bit 1");
      assertEquals(baseId, id(base.clone()));
      for (int i = 0; i < length; i++) {
        byte[] changed = base.clone();
        changed[i] ^= 0x10;
        assertNotEquals(baseId, id(changed), "length " + length + ", byte " + i);
      }
    }
  }

  @Test
  void handshakesAndShortTypeFourAreNamedByTheirBytes() {
    byte[] initiation = filler(148, 3);
    initiation[0] = 1;
    initiation[1] = initiation[2] = initiation[3] = 0;
    byte[] other = initiation.clone();
    other[100] ^= 1;
    assertNotEquals(id(initiation), id(other));
    assertEquals(1, id(initiation) & 1);

    byte[] short31 = java.util.Arrays.copyOf(bytesOf(transport(5, 1000, new byte[16])), 31);
    byte[] other31 = short31.clone();
    other31[20] = 1;
    assertNotEquals(id(short31), id(other31), "too short for transport: hashed, so payload bytes count");
  }

  @Test
  void lengthCountsForZeroBytes() {
    Set<Long> ids = new HashSet<>();
    for (int length = 0; length <= 24; length++) {
      ids.add(id(new byte[length]));
    }
    assertEquals(25, ids.size());
  }
}
