package org.rengarde.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.rengarde.testing.WireGuardMessages;
import org.rengarde.wire.DatagramHash;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CandidateProbesTest {
  private static final long WINDOW = 2_000_000_000L;
  private static final long T0 = 1_000 * WINDOW;
  private static final InetSocketAddress NEW_LINK = new InetSocketAddress("10.2.0.2", 40999);
  private static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.7", 50000);

  private final CandidateProbes probes = new CandidateProbes(WINDOW);
  private final DatagramHash hash = DatagramHash.random();

  private static ByteBuf buf(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }

  @Test
  void aMembersLaterCopyOfACandidatesDatagramNamesTheCandidateOnce() {
    byte[] d = WireGuardMessages.transport(100, 7, 1);
    probes.offer(NEW_LINK, buf(d), hash, T0);
    assertEquals(NEW_LINK, probes.match(buf(d), hash, T0 + 20_000_000));
    assertNull(probes.match(buf(d), hash, T0 + 20_000_001), "the probe is used up");
  }

  @Test
  void theProbeStaysWhileTheCandidateRunsAhead() {
    byte[] first = WireGuardMessages.transport(100, 7, 1);
    probes.offer(NEW_LINK, buf(first), hash, T0);
    for (int c = 2; c < 50; c++) {
      probes.offer(NEW_LINK, buf(WireGuardMessages.transport(100, 7, c)), hash, T0 + c);
    }
    assertEquals(NEW_LINK, probes.match(buf(first), hash, T0 + 100));
  }

  @Test
  void otherBytesWithTheSameIndexAndCounterNameNobody() {
    byte[] genuine = WireGuardMessages.transport(100, 7, 1);
    byte[] junk = genuine.clone();
    junk[50] ^= 1;
    probes.offer(STRANGER, buf(junk), hash, T0);
    assertNull(probes.match(buf(genuine), hash, T0 + 1), "a stranger guessing the identity proves nothing");
  }

  @Test
  void aProbeOlderThanTheWindowNamesNobody() {
    byte[] d = WireGuardMessages.transport(100, 7, 1);
    probes.offer(NEW_LINK, buf(d), hash, T0);
    assertNull(probes.match(buf(d), hash, T0 + WINDOW + 1));
  }

  @Test
  void handshakeMessagesAreNotProbed() {
    byte[] d = WireGuardMessages.response(1, 2);
    probes.offer(NEW_LINK, buf(d), hash, T0);
    assertNull(probes.match(buf(d), hash, T0 + 1));
  }

  @Test
  void aFloodFromOneCandidateLeavesTheOthersTheirProbes() {
    byte[] d = WireGuardMessages.transport(100, 7, 1);
    for (int c = 0; c < 1000; c++) {
      probes.offer(STRANGER, buf(WireGuardMessages.transport(100, 7, 10_000 + c)), hash, T0 + c);
    }
    probes.offer(NEW_LINK, buf(d), hash, T0 + 2000);
    assertEquals(NEW_LINK, probes.match(buf(d), hash, T0 + 3000));
  }
}
