package org.rengarde.wire;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.rengarde.testing.Datagrams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/** What makes two datagrams copies of one, on any bytes. */
class DatagramIdentityProperties {
  private static final DatagramHash HASH = new DatagramHash(0x1D_0001L, 0x1D_0002L, 0x1D_0003L, 0x1D_0004L);

  private static boolean isTransport(byte[] b) {
    return WireGuardShapeProperties.isWireGuardShaped(b) && b[0] == 4;
  }

  private static long identity(byte[] b) {
    var buf = Unpooled.wrappedBuffer(b);
    return WireGuardShape.isTransport(buf)
        ? DatagramIdentity.ofTransport(HASH, buf)
        : DatagramIdentity.ofContent(HASH.of(buf));
  }

  @Test
  void transportIsType4OfAtLeast32BytesWithZeroReservedBytes() {
    qt().withExamples(3000).forAll(Datagrams.any(), integers().between(0, 9)).checkAssert((bytes, before) ->
        assertEquals(isTransport(bytes), WireGuardShape.isTransport(Datagrams.offset(bytes, before))));
  }

  /** A transport message is named by bytes 4-15 alone; anything else by all its bytes; the two never meet. */
  @Test
  void aChangedByteChangesTheIdentityExactlyWhenItIsPartOfTheName() {
    qt().withExamples(3000).forAll(Datagrams.nearWireGuard(), integers().between(0, 1451), integers().between(1, 255))
        .assuming((bytes, position, flip) -> bytes.length > 0)
        .checkAssert((bytes, position, flip) -> {
          int at = position % bytes.length;
          byte[] changed = bytes.clone();
          changed[at] ^= (byte) (int) flip;
          if (isTransport(bytes) && isTransport(changed) && at >= 16) {
            assertEquals(identity(bytes), identity(changed));
          } else {
            assertNotEquals(identity(bytes), identity(changed));
          }
        });
  }

  @Test
  void theIdentityReadsOnlyTheReadableBytes() {
    qt().withExamples(2000).forAll(Datagrams.any(), integers().between(0, 9)).checkAssert((bytes, before) -> {
      var b = Datagrams.offset(bytes, before);
      long id = WireGuardShape.isTransport(b)
          ? DatagramIdentity.ofTransport(HASH, b)
          : DatagramIdentity.ofContent(HASH.of(b));
      assertEquals(identity(bytes), id);
    });
  }
}
