package org.rengarde.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.HexFormat;
import java.util.List;

import static org.quicktheories.api.Pair.of;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * Generators of datagrams for the property tests: noise, and datagrams at and next to WireGuard's shapes (type
 * byte, three reserved bytes, length per type), where the edge cases of anything that reads them lie.
 */
public final class Datagrams {
  /** The lengths of WireGuard's messages (transport's shortest), those next to them, and the 4-byte header's. */
  private static final List<Integer> NEAR_LENGTHS =
      List.of(148, 92, 64, 32, 147, 149, 91, 93, 63, 65, 31, 33, 4, 3, 1, 0, 1452);

  private Datagrams() {
  }

  /** Any bytes, up to {@code maxLength} of them. */
  public static Gen<byte[]> noise(int maxLength) {
    return Generate.byteArrays(integers().between(0, maxLength), anyByte()).describedAs(Datagrams::hex);
  }

  /** Mostly a WireGuard type (1-4) with zero reserved bytes, at a length at or next to one of WireGuard's. */
  public static Gen<byte[]> nearWireGuard() {
    Gen<Integer> type = Generate.frequency(of(8, integers().between(1, 4)), of(1, integers().between(0, 255)));
    Gen<Integer> length = Generate.frequency(of(3, Generate.pick(NEAR_LENGTHS)), of(1, integers().between(0, 300)));
    Gen<Boolean> reservedZero = Generate.frequency(of(9, Generate.constant(true)), of(1, Generate.constant(false)));
    Gen<byte[]> body = Generate.byteArrays(Generate.constant(1452), anyByte());
    return type.zip(length, reservedZero, body, (t, n, zero, noise) -> {
      byte[] b = java.util.Arrays.copyOf(noise, n);
      if (n > 0) {
        b[0] = (byte) (int) t;
      }
      for (int i = 1; i < Math.min(4, n) && zero; i++) {
        b[i] = 0;
      }
      return b;
    }).describedAs(Datagrams::hex);
  }

  /** Noise one time in four, else near WireGuard's shapes. */
  public static Gen<byte[]> any() {
    return Generate.frequency(of(1, noise(200)), of(3, nearWireGuard())).describedAs(Datagrams::hex);
  }

  /** The bytes as readable bytes of a buffer whose reader index is not 0, so that absolute reads are tested. */
  public static ByteBuf offset(byte[] bytes, int before) {
    ByteBuf b = Unpooled.buffer(before + bytes.length + 7);
    b.writeZero(before);
    b.writeBytes(bytes);
    b.writeZero(7);
    return b.readerIndex(before).writerIndex(before + bytes.length);
  }

  public static String hex(byte[] bytes) {
    return bytes.length + " bytes " + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 48))
        + (bytes.length > 48 ? "..." : "");
  }

  private static Gen<Byte> anyByte() {
    return Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
  }
}
