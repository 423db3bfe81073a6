package org.rengarde.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vectors: a key pair from {@code wg genkey | wg pubkey}, and messages of random bytes whose mac1 Python's
 * {@code hashlib.blake2s(msg[:116], digest_size=16, key=hashlib.blake2s(b"mac1----" + pub).digest())} computed
 * (msg[:60] for the response): an implementation independent of ours.
 */
class Mac1Test {
  private static final byte[] PUBLIC_KEY = Base64.getDecoder().decode("r6uAe988uFIHk1rz1BPU8FISjLIspy7AzRqvRdJEoVA=");
  private static final String INITIATION = "01000000a60c12d289185d950ee8813609166f6b113d178d6c0fd3901ff239a1a095f20f"
      + "9395650cf9380b8edb224a6b248a1e924e8fd0ae2e1a9492a3305f188cb610900f9e347fae886dc6507795ec745c4c3fcb2eb2c73e14"
      + "934c867ee057ba72499bfa121e836b2ac15726ee7d6b0af6ab1359371c6737b76f8f5d94c40aae24c9d8d717f14579b2aa100fbbb34fa"
      + "593feae";
  private static final String RESPONSE = "0200000062e3ab5805f0765a2b9c1d7e0f37c44921bd3f6564eadf7f142a72668c47e223d1"
      + "6edd8c47b46afc5baee261f53b26152d263ba83b037cd4f8a8a55de8ad1cd18fb5ac8c93885c8183f39ea7adbd0d74e6dec7f3dfaecc8f";

  private final Mac1 mac1 = Mac1.checker(PUBLIC_KEY);

  private static ByteBuf message(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
  }

  @Test
  void initiationWithTheRightMac1IsValid() {
    assertTrue(mac1.valid(message(INITIATION)));
  }

  @Test
  void responseWithTheRightMac1IsValid() {
    assertTrue(mac1.valid(message(RESPONSE)));
  }

  @Test
  void oneFlippedBitBeforeMac1MakesItInvalid() {
    ByteBuf m = message(INITIATION);
    m.setByte(40, m.getByte(40) ^ 0x01);
    assertFalse(mac1.valid(m));
  }

  @Test
  void oneFlippedBitInMac1MakesItInvalid() {
    ByteBuf m = message(INITIATION);
    m.setByte(131, m.getByte(131) ^ 0x80);
    assertFalse(mac1.valid(m));
  }

  @Test
  void mac2IsNotCovered() {
    ByteBuf m = message(INITIATION);
    m.setByte(140, m.getByte(140) ^ 0x01);
    assertTrue(mac1.valid(m));
  }

  @Test
  void anotherServersKeyDoesNotValidate() {
    byte[] other = PUBLIC_KEY.clone();
    other[0] ^= 1;
    assertFalse(Mac1.checker(other).valid(message(INITIATION)));
  }

  @Test
  void readsFromTheReaderIndexWithoutMovingIt() {
    ByteBuf m = Unpooled.buffer(200);
    m.writeZero(10).writeBytes(HexFormat.of().parseHex(INITIATION)).readerIndex(10);
    assertTrue(mac1.valid(m));
    assertTrue(m.readerIndex() == 10 && m.readableBytes() == 148);
  }

  @Test
  void transportAndCookieRepliesAreNotValid() {
    assertFalse(mac1.valid(Unpooled.wrappedBuffer(new byte[] {4, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
        14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28})));
    assertFalse(mac1.valid(Unpooled.wrappedBuffer(new byte[64]).setByte(0, 3)));
  }

  @Test
  void initiationOfTheWrongLengthIsNotValid() {
    ByteBuf m = Unpooled.buffer(149).writeBytes(HexFormat.of().parseHex(INITIATION)).writeByte(0);
    assertFalse(mac1.valid(m));
  }

  @Test
  void checkerReusedForManyMessagesStaysRight() {
    for (int i = 0; i < 3; i++) {
      assertTrue(mac1.valid(message(RESPONSE)));
      assertTrue(mac1.valid(message(INITIATION)));
    }
  }

  @Test
  void keyOfTheWrongLengthIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Mac1.checker(new byte[31]));
  }
}
