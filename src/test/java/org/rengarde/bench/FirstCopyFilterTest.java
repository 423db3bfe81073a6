package org.rengarde.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.rengarde.testing.WireGuardMessages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirstCopyFilterTest {

  @Test
  void passesTheFirstCopyOfATransportMessageOnly() {
    FirstCopyFilter filter = new FirstCopyFilter(16_384);
    byte[] message = WireGuardMessages.transport(128, 7, 1);
    assertTrue(filter.first(Unpooled.wrappedBuffer(message)));
    assertFalse(filter.first(Unpooled.wrappedBuffer(message.clone())));
    assertFalse(filter.first(Unpooled.wrappedBuffer(message.clone())));
  }

  /** Three links each deliver a batch of 1,000 datagrams in turn: the copies of one are 999 datagrams apart. */
  @Test
  void passesEachDatagramOnceWhenThreeLinksDeliverBatches() {
    FirstCopyFilter filter = new FirstCopyFilter(16_384);
    int passed = 0;
    for (long batch = 0; batch < 100; batch++) {
      byte[][] messages = new byte[1_000][];
      for (int i = 0; i < messages.length; i++) {
        messages[i] = WireGuardMessages.transport(96, 7, batch * messages.length + i);
      }
      for (int link = 0; link < 3; link++) {
        for (byte[] message : messages) {
          if (filter.first(Unpooled.wrappedBuffer(message))) {
            passed++;
          }
        }
      }
    }
    assertEquals(100_000, passed);
  }

  @Test
  void recognisesOtherDatagramsByTheirBytesAndLeavesTheIndexesAlone() {
    FirstCopyFilter filter = new FirstCopyFilter(1_000);
    ByteBuf a = Unpooled.copiedBuffer(new byte[] {1, 2, 3, 4, 5});
    assertTrue(filter.first(a));
    assertEquals(0, a.readerIndex());
    assertFalse(filter.first(Unpooled.copiedBuffer(new byte[] {1, 2, 3, 4, 5})));
    assertTrue(filter.first(Unpooled.copiedBuffer(new byte[] {1, 2, 3, 4, 6})));
  }
}
