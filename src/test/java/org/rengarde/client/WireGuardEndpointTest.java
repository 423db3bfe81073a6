package org.rengarde.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.rengarde.testing.WireGuardMessages;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which local sender is WireGuard: engarde's "latest sender wins" lets any local process take the tunnel's replies. */
class WireGuardEndpointTest {
  private static final long SECOND = 1_000_000_000L;
  private static final InetSocketAddress WIREGUARD = new InetSocketAddress("127.0.0.1", 51820);
  private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress LAN = new InetSocketAddress("192.168.1.20", 51820);

  private static ByteBuf of(byte[] b) {
    return Unpooled.wrappedBuffer(b);
  }

  @Test
  void theFirstWireGuardShapedSenderIsWireGuard() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    assertNull(e.current());
    assertTrue(e.accept(of(WireGuardMessages.transport(100, 1, 1)), WIREGUARD, 0));
    assertEquals(WIREGUARD, e.current());
  }

  @Test
  void junkIsCountedAndDroppedAndTeachesNothing() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    assertFalse(e.accept(of(new byte[] {1, 2, 3}), OTHER, 0));
    assertFalse(e.accept(of(new byte[0]), OTHER, 0));
    assertNull(e.current());
    assertEquals(2, e.refused());
  }

  @Test
  void anotherSenderCannotTakeOverWithTransport() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    e.accept(of(WireGuardMessages.transport(100, 1, 1)), WIREGUARD, 0);
    assertFalse(e.accept(of(WireGuardMessages.transport(100, 2, 2)), OTHER, SECOND), "an index it made up");
    assertEquals(WIREGUARD, e.current());
    assertEquals(1, e.refused());
  }

  /** A restarted WireGuard (a new port) starts with an initiation: it moves when the server answers it. */
  @Test
  void anInitiationTheServerAnswersMovesIt() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    e.accept(of(WireGuardMessages.transport(100, 1, 1)), WIREGUARD, 0);
    assertTrue(e.accept(of(WireGuardMessages.initiation(7)), OTHER, SECOND), "its initiation is relayed");
    assertEquals(WIREGUARD, e.destinationFor(of(WireGuardMessages.transport(100, 9, 9))));
    assertEquals(OTHER, e.destinationFor(of(WireGuardMessages.response(0x55, 7))), "the answer goes to it");
    assertEquals(OTHER, e.current());
    assertEquals(1, e.moves());
  }

  /**
   * A local process that sent first (WireGuard idle at the client's start) held the address and named an index of
   * its own; once the server answers WireGuard's initiation, that index is forgotten and takes nothing back.
   */
  @Test
  void aFirstSendersOwnIndicesAreForgottenWhenWireGuardIsProven() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    assertTrue(e.accept(of(WireGuardMessages.transport(100, 0x1234, 1)), OTHER, 0));
    assertTrue(e.accept(of(WireGuardMessages.response(9, 0x4321)), OTHER, 0));
    assertTrue(e.accept(of(WireGuardMessages.initiation(7)), WIREGUARD, SECOND));
    assertEquals(WIREGUARD, e.destinationFor(of(WireGuardMessages.response(0x55, 7))));
    assertFalse(e.accept(of(WireGuardMessages.transport(100, 0x1234, 2)), OTHER, 2 * SECOND), "its transport");
    assertFalse(e.accept(of(WireGuardMessages.transport(100, 0x4321, 2)), OTHER, 2 * SECOND), "its response's");
    assertTrue(e.accept(of(WireGuardMessages.transport(100, 0x55, 1)), WIREGUARD, 2 * SECOND));
    assertEquals(WIREGUARD, e.current());
    assertEquals(1, e.moves());
  }

  /** A local process that sends an initiation-shaped datagram gets nothing: the server never answers it. */
  @Test
  void aFakeInitiationMovesNothing() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    e.accept(of(WireGuardMessages.transport(100, 1, 1)), WIREGUARD, 0);
    e.accept(of(WireGuardMessages.initiation(7)), OTHER, SECOND);
    assertEquals(WIREGUARD, e.destinationFor(of(WireGuardMessages.response(0x55, 8))), "another initiation's answer");
    assertEquals(WIREGUARD, e.destinationFor(of(WireGuardMessages.transport(100, 9, 9))));
    assertEquals(WIREGUARD, e.current());
    assertEquals(0, e.moves());
  }

  /**
   * No session known (the first sender sent only an initiation, which nobody answered): silence is all the relay
   * has to go by.
   */
  @Test
  void withNoSessionKnownTenSecondsOfSilenceLetAnyWireGuardShapedSenderMoveIt() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    e.accept(of(WireGuardMessages.initiation(7)), WIREGUARD, 0);
    assertFalse(e.accept(of(WireGuardMessages.transport(100, 1, 2)), OTHER, 9 * SECOND));
    assertTrue(e.accept(of(WireGuardMessages.transport(100, 1, 3)), OTHER,
        (WireGuardEndpoint.SILENCE_SECONDS + 1) * SECOND));
    assertEquals(OTHER, e.current());
  }

  /**
   * The relay started mid-session (it carried no handshake): WireGuard's first transport datagram names the
   * server's index, so a sprayer gets nothing in WireGuard's pauses and WireGuard on a new port is followed at once.
   */
  @Test
  void aStartMidSessionLearnsTheSessionFromWireGuardsOwnTransport() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    e.accept(of(WireGuardMessages.transport(100, 0x77, 1)), WIREGUARD, 0);
    long later = (WireGuardEndpoint.SILENCE_SECONDS + 5) * SECOND;
    assertFalse(e.accept(of(WireGuardMessages.transport(100, 0x1234, 3)), OTHER, later), "a sprayer's index");
    assertEquals(WIREGUARD, e.current());
    assertTrue(e.accept(of(WireGuardMessages.transport(100, 0x77, 2)), LAN, later), "WireGuard elsewhere");
    assertEquals(LAN, e.current());
    assertEquals(1, e.moves());
  }

  /**
   * The lab's fuzzer: once a handshake crossed, a local sprayer of WireGuard-shaped junk cannot take the address in
   * a pause of WireGuard's, however long; WireGuard's next datagram naming its session is accepted.
   */
  @Test
  void onceASessionIsKnownSilenceHandsTheAddressToNobody() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    e.accept(of(WireGuardMessages.initiation(7)), WIREGUARD, 0);
    e.destinationFor(of(WireGuardMessages.response(0x55, 7)));
    e.accept(of(WireGuardMessages.transport(100, 0x55, 1)), WIREGUARD, 0);
    long later = (WireGuardEndpoint.SILENCE_SECONDS + 5) * SECOND;
    assertFalse(e.accept(of(WireGuardMessages.transport(100, 0x1234, 3)), OTHER, later));
    assertFalse(e.accept(of(WireGuardMessages.response(9, 0x1234)), OTHER, later));
    assertTrue(e.accept(of(WireGuardMessages.transport(100, 0x55, 3)), WIREGUARD, later));
    assertEquals(WIREGUARD, e.current());
    assertEquals(0, e.moves());
  }

  /** WireGuard moved to another port mid-session (or the filter was off and a test tool took the address). */
  @Test
  void aTransportNamingTheSessionsServerIndexMovesItAtOnce() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    e.accept(of(WireGuardMessages.initiation(7)), WIREGUARD, 0);
    e.destinationFor(of(WireGuardMessages.response(0x55, 7)));
    assertTrue(e.accept(of(WireGuardMessages.transport(100, 0x55, 1)), OTHER, SECOND));
    assertEquals(OTHER, e.current());
    assertEquals(1, e.moves());
  }

  /** When the server's WireGuard initiates, the client's WireGuard's response names the server's index. */
  @Test
  void theClientsOwnResponseTeachesTheServersIndex() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    e.accept(of(WireGuardMessages.response(7, 0x66)), WIREGUARD, 0);
    assertFalse(e.accept(of(WireGuardMessages.transport(100, 0x67, 1)), OTHER, SECOND * 20));
    assertTrue(e.accept(of(WireGuardMessages.transport(100, 0x66, 1)), OTHER, SECOND * 20));
    assertEquals(OTHER, e.current());
  }

  @Test
  void theFourLatestSessionsAreKnown() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    e.accept(of(WireGuardMessages.initiation(7)), WIREGUARD, 0);
    for (int i = 1; i <= 5; i++) {
      e.destinationFor(of(WireGuardMessages.response(0x100 + i, 7)));
    }
    assertFalse(e.accept(of(WireGuardMessages.transport(100, 0x101, 1)), OTHER, SECOND), "the oldest is forgotten");
    assertTrue(e.accept(of(WireGuardMessages.transport(100, 0x102, 1)), OTHER, SECOND));
  }

  /** WireGuard on another host of the LAN (a non-loopback listenAddr, as engarde allows) works the same. */
  @Test
  void wireGuardOnAnotherHostOfTheLanWorks() {
    WireGuardEndpoint e = new WireGuardEndpoint(true);
    assertTrue(e.accept(of(WireGuardMessages.initiation(1)), LAN, 0));
    assertTrue(e.accept(of(WireGuardMessages.transport(100, 1, 1)), LAN, SECOND));
    assertEquals(LAN, e.current());
  }

  @Test
  void withTheFilterOffTheLatestSenderOfAnythingWinsAsInEngarde() {
    WireGuardEndpoint e = new WireGuardEndpoint(false);
    assertTrue(e.accept(of(new byte[] {1, 2, 3}), WIREGUARD, 0));
    assertTrue(e.accept(of(new byte[] {4}), OTHER, 1));
    assertEquals(OTHER, e.current());
  }
}
