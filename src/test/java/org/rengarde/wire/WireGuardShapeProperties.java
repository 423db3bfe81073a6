package org.rengarde.wire;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.rengarde.testing.Datagrams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/** The shape check on any bytes, against WireGuard's message table written out apart from the code. */
class WireGuardShapeProperties {

  /** WireGuard's messages: type 1 is 148 bytes, 2 is 92, 3 is 64, 4 at least 32; bytes 1-3 zero. */
  static boolean isWireGuardShaped(byte[] b) {
    if (b.length < 4 || b[1] != 0 || b[2] != 0 || b[3] != 0) {
      return false;
    }
    return switch (b[0]) {
      case 1 -> b.length == 148;
      case 2 -> b.length == 92;
      case 3 -> b.length == 64;
      case 4 -> b.length >= 32;
      default -> false;
    };
  }

  @Test
  void anyBytesMatchExactlyWhenWireGuardsTableSaysSoAndTheIndexesStay() {
    qt().withExamples(3000).forAll(Datagrams.any(), integers().between(0, 9)).checkAssert((bytes, before) -> {
      ByteBuf b = Datagrams.offset(bytes, before);
      assertEquals(isWireGuardShaped(bytes), WireGuardShape.matches(b));
      assertEquals(before, b.readerIndex());
      assertEquals(before + bytes.length, b.writerIndex());
    });
  }
}
