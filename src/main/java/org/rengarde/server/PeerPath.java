package org.rengarde.server;

import io.netty.buffer.ByteBuf;
import org.rengarde.link.UdpSocket;
import org.rengarde.metrics.TrafficCounters;
import org.rengarde.wire.CounterGapTracker;
import org.rengarde.wire.TrackedPeer;

import java.net.InetAddress;

/**
 * What the relay keeps for one peer beside the {@link PeerTable}'s view of it: its own WireGuard-facing socket
 * (WireGuard sees one stable endpoint per peer, and everything WireGuard sends that peer arrives on it, its own
 * initiations included), the loopback address that socket is bound to, the peer's part of the duplicate filter,
 * its candidates' probes, its tunnel loss, and the datagrams that wait while the socket opens. Owned by the
 * relay's event loop.
 */
final class PeerPath {
  /** Datagrams kept while the socket opens (a handshake's copies, the first transport after a restart). */
  private static final int WAITING = 4;

  final TrackedPeer tracked;
  final CounterGapTracker tunnelLoss;
  final CandidateProbes probes;
  final TrafficCounters toWireGuard = new TrafficCounters();
  InetAddress loopback;
  UdpSocket socket;
  boolean closed;
  private final ByteBuf[] waiting = new ByteBuf[WAITING];
  private int waitingCount;

  PeerPath(TrackedPeer tracked, CounterGapTracker tunnelLoss, CandidateProbes probes) {
    this.tracked = tracked;
    this.tunnelLoss = tunnelLoss;
    this.probes = probes;
  }

  /** Keeps a datagram (ownership passes here) until the socket is open; beyond {@value #WAITING}, drops it. */
  boolean hold(ByteBuf datagram) {
    if (waitingCount == WAITING) {
      datagram.release();
      return false;
    }
    waiting[waitingCount++] = datagram;
    return true;
  }

  /** The socket is open: what waited goes to WireGuard. */
  void opened(UdpSocket open) {
    socket = open;
    for (int i = 0; i < waitingCount; i++) {
      int length = waiting[i].readableBytes();
      if (open.send(waiting[i])) {
        toWireGuard.sent(length);
      } else {
        toWireGuard.drops++;
      }
      waiting[i] = null;
    }
    waitingCount = 0;
  }

  /** Releases what still waits (the socket could not be opened, or the peer closed first). */
  void discardWaiting() {
    for (int i = 0; i < waitingCount; i++) {
      waiting[i].release();
      waiting[i] = null;
    }
    waitingCount = 0;
  }
}
