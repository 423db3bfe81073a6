package org.rengarde.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ManyPeers} at 200 peers (500 links) in the unit suite: every client handshakes, nothing crosses from one
 * peer to another, WireGuard gets each datagram once from the right socket, and every address and peer has its
 * series. The figures are printed, not asserted.
 */
class ManyPeersTest {
  @Test
  void twoHundredClientsOnOnePortStayApart() throws Exception {
    ManyPeers.Result r = ManyPeers.run(new ManyPeers.Options(200, 10, 200, 32, true, 30, 1));
    assertEquals(200, r.handshaken(), "every client's handshake answered");
    assertEquals(200, r.activePeers(), "one peer per client");
    assertEquals(r.links(), r.membersWithOwnSocket(), "every link a member, each with its own socket");
    assertEquals(0, r.crossDelivered(), "no datagram reached another client's links");
    assertEquals(0, r.wireGuardDuplicates(), "WireGuard got each datagram once");
    assertEquals(0, r.wireGuardMissing());
    assertEquals(0, r.wireGuardFromWrongSocket(), "and each from a socket of its own client's");
    assertEquals(0, r.socketsOfTwoClients(), "no peer socket carried two clients");
    assertEquals(0, r.linksShortOfTransport(), "every link got every datagram of its own peer");
    assertEquals(0, r.socketFailures() + r.memberSocketFailures());
    assertEquals(r.links(), r.clientSeries(), "a series per address, labelled by peer");
    assertEquals(200, r.peerSeries(), "tunnel loss series per peer");
  }
}
