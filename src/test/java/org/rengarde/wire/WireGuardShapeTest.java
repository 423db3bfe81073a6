package org.rengarde.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireGuardShapeTest {

  /** A datagram of {@code length} bytes: type byte, three zero bytes, then 0xAB filler. */
  private static ByteBuf message(int type, int length) {
    ByteBuf b = Unpooled.buffer(length);
    b.writeByte(type);
    b.writeZero(Math.min(3, Math.max(0, length - 1)));
    while (b.writerIndex() < length) {
      b.writeByte(0xAB);
    }
    return b;
  }

  @Test
  void handshakeInitiationOf148() {
    assertTrue(WireGuardShape.matches(message(1, 148)));
  }

  @Test
  void handshakeResponseOf92() {
    assertTrue(WireGuardShape.matches(message(2, 92)));
  }

  @Test
  void cookieReplyOf64() {
    assertTrue(WireGuardShape.matches(message(3, 64)));
  }

  @Test
  void transportDataOfMinimum32() {
    assertTrue(WireGuardShape.matches(message(4, 32)));
  }

  @Test
  void transportDataOfFullMtu() {
    assertTrue(WireGuardShape.matches(message(4, 1452)));
  }

  @Test
  void transportDataOfLargestUdpPayload() {
    assertTrue(WireGuardShape.matches(message(4, 65_507)));
  }

  @ParameterizedTest
  @ValueSource(ints = {147, 149, 92, 32})
  void initiationOfOtherLength(int length) {
    assertFalse(WireGuardShape.matches(message(1, length)));
  }

  @ParameterizedTest
  @ValueSource(ints = {91, 93, 148})
  void responseOfOtherLength(int length) {
    assertFalse(WireGuardShape.matches(message(2, length)));
  }

  @ParameterizedTest
  @ValueSource(ints = {63, 65, 92})
  void cookieReplyOfOtherLength(int length) {
    assertFalse(WireGuardShape.matches(message(3, length)));
  }

  @Test
  void transportDataOf31() {
    assertFalse(WireGuardShape.matches(message(4, 31)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void nonzeroReservedByte(int position) {
    ByteBuf b = message(4, 64);
    b.setByte(position, 1);
    assertFalse(WireGuardShape.matches(b));
  }

  @Test
  void typeZero() {
    assertFalse(WireGuardShape.matches(message(0, 148)));
  }

  @Test
  void typeFive() {
    assertFalse(WireGuardShape.matches(message(5, 64)));
  }

  @Test
  void typeWithHighBitSet() {
    assertFalse(WireGuardShape.matches(message(0x84, 64)));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void shorterThanTheHeader(int length) {
    assertFalse(WireGuardShape.matches(message(4, length)));
  }

  @Test
  void readerIndexUnchangedOnMatch() {
    ByteBuf b = message(1, 148);
    WireGuardShape.matches(b);
    assertEquals(0, b.readerIndex());
    assertEquals(148, b.writerIndex());
  }

  @Test
  void readerIndexUnchangedOnMismatch() {
    ByteBuf b = message(9, 148);
    WireGuardShape.matches(b);
    assertEquals(0, b.readerIndex());
  }

  @Test
  void readsFromTheReaderIndexNotTheStart() {
    ByteBuf b = Unpooled.buffer(10 + 92);
    b.writeZero(10);
    b.writeBytes(message(2, 92));
    b.readerIndex(10);
    assertTrue(WireGuardShape.matches(b));
    assertEquals(10, b.readerIndex());
  }

  @Test
  void lengthIsTheReadableBytesOnly() {
    ByteBuf b = Unpooled.buffer(4 + 148);
    b.writeZero(4);
    b.writeBytes(message(1, 148));
    b.readerIndex(4);
    assertTrue(WireGuardShape.matches(b));
  }

  @Test
  void shortSliceOfAnInitiationDoesNotMatch() {
    assertFalse(WireGuardShape.matches(message(1, 148).slice(0, 64)));
  }
}
