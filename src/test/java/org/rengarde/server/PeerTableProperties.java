package org.rengarde.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.rengarde.testing.Datagrams;
import org.rengarde.testing.WireGuardMessages;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.api.Pair.of;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The peer table under any interleaving of strangers' datagrams (junk, junk shaped like WireGuard's, random
 * indices, from a few addresses or spoofed ones) with a client of three links doing handshakes and carrying
 * traffic, and of time passing: nothing fails, no stranger ever becomes a member or receives anything, the
 * client's links that delivered an answered initiation are members, and what the table holds stays within its
 * limits.
 */
class PeerTableProperties {
  private static final long SECOND = 1_000_000_000L;
  private static final long TIMEOUT = 30 * SECOND;
  private static final long T0 = 10_000 * SECOND;
  private static final List<InetSocketAddress> LINKS = List.of(new InetSocketAddress("10.1.0.2", 40001),
      new InetSocketAddress("10.2.0.2", 40002), new InetSocketAddress("10.3.0.2", 40003));
  private static final int STRANGERS = 4;
  /** WireGuard's own indices, which strangers do not know: the random ones they name are outside it. */
  private static final int WIREGUARD_INDICES = 0x5EED_0000;

  record Step(Kind kind, int who, byte[] datagram, long gapNanos) {
    enum Kind { STRANGER, SPOOFED, HANDSHAKE, CLIENT_TRANSPORT, WIREGUARD_TRANSPORT, WAIT }

    @Override
    public String toString() {
      return kind + "(" + who + (datagram == null ? "" : ", " + Datagrams.hex(datagram)) + ", +" + gapNanos + ")";
    }
  }

  /** A type 2, 3 or 4 naming a random index (outside WireGuard's), or an initiation with a random sender. */
  private static Gen<byte[]> namingRandomIndices() {
    return integers().between(1, 4).zip(integers().all(), (type, index) -> switch (type) {
      case 1 -> WireGuardMessages.initiation(index);
      case 2 -> WireGuardMessages.response(index, index * 31);
      case 3 -> WireGuardMessages.cookieReply(index);
      default -> WireGuardMessages.transport(32 + Math.floorMod(index, 100), index, index);
    });
  }

  private static Gen<List<Step>> steps() {
    Gen<byte[]> strangers = Generate.frequency(of(2, Datagrams.any()), of(1, namingRandomIndices()));
    Gen<Step.Kind> kind = Generate.frequency(of(6, Generate.constant(Step.Kind.STRANGER)),
        of(3, Generate.constant(Step.Kind.SPOOFED)), of(1, Generate.constant(Step.Kind.HANDSHAKE)),
        of(3, Generate.constant(Step.Kind.CLIENT_TRANSPORT)), of(3, Generate.constant(Step.Kind.WIREGUARD_TRANSPORT)),
        of(1, Generate.constant(Step.Kind.WAIT)));
    Gen<Long> gap = Generate.frequency(of(10, longs().between(0, 50_000_000)), of(1, longs().between(0, 40 * SECOND)));
    Gen<Step> step = kind.zip(integers().between(0, 7), strangers, gap, (k, who, d, g) ->
        new Step(k, who, k == Step.Kind.STRANGER || k == Step.Kind.SPOOFED ? unnamed(d) : null, g));
    return lists().of(step).ofSizeBetween(1, 120)
        .describedAs(s -> s.size() + " steps: " + s.subList(0, Math.min(40, s.size())));
  }

  /** The datagram, but naming no index of WireGuard's range where it names one (a stranger cannot know them). */
  private static byte[] unnamed(byte[] d) {
    byte[] b = d.clone();
    int at = b.length >= 12 && b[0] == 2 ? 8 : 4;
    if (b.length >= at + 4 && (b[0] == 2 || b[0] == 3 || b[0] == 4)
        && (Unpooled.wrappedBuffer(b).getIntLE(at) & 0xFFFF_0000) == WIREGUARD_INDICES) {
      b[at + 3] ^= (byte) 0x80;
    }
    return b;
  }

  private static Gen<PeerLimits> limits() {
    Gen<Integer> n = integers().between(1, 6);
    Gen<PeerLimits> small = n.zip(n, n, n, (a, b, c, d) -> new int[] {a, b, c, d})
        .zip(n, n, (abcd, e, f) -> new PeerLimits(abcd[0], abcd[1], abcd[2], abcd[3], e, f));
    return Generate.frequency(of(4, small), of(1, Generate.constant(PeerLimits.DEFAULT)));
  }

  /** The client: its handshakes, the peer WireGuard last answered on, and what it knows of the session. */
  private static final class Run {
    final PeerLimits limits;
    final Set<InetSocketAddress> strangers = new HashSet<>();
    final PeerTable table;
    long now = T0;
    int spoofed;
    int clientIndex = 0x0C11_0000;
    int serverIndex = WIREGUARD_INDICES;
    long counter;
    Peer session;

    Run(PeerLimits limits) {
      this.limits = limits;
      this.table = new PeerTable(TIMEOUT, limits, new PeerEvents() {
        @Override
        public void memberAdded(PeerAddress member, Admission how) {
          if (!LINKS.contains(member.address())) {
            fail(member + " became a member (" + how + ")");
          }
        }
      });
    }

    void play(Step s) {
      now += s.gapNanos();
      switch (s.kind()) {
        case STRANGER -> stranger(new InetSocketAddress("198.51.100." + (1 + s.who() % STRANGERS), 50000),
            s.datagram());
        case SPOOFED -> stranger(new InetSocketAddress("100.64." + (spoofed >>> 8 & 255) + "." + (spoofed++ & 255),
            1024 + s.who()), s.datagram());
        case HANDSHAKE -> handshake(1 + s.who() % 7);
        case CLIENT_TRANSPORT -> {
          if (session != null) {
            table.fromClient(LINKS.get(s.who() % 3), buf(WireGuardMessages.transport(64, serverIndex, counter++)), now);
          }
        }
        case WIREGUARD_TRANSPORT -> {
          if (session != null) {
            checkRecipients(table.fromWireGuard(session, buf(WireGuardMessages.transport(64, clientIndex, counter++)),
                now));
          }
        }
        case WAIT -> table.expire(now);
      }
      checkBounds();
    }

    private void stranger(InetSocketAddress from, byte[] datagram) {
      strangers.add(from);
      table.fromClient(from, buf(datagram), now);
    }

    /** The links in {@code mask} deliver one initiation; WireGuard answers on the socket the first copy came out of. */
    private void handshake(int mask) {
      byte[] init = WireGuardMessages.initiation(++clientIndex);
      Peer answeredOn = null;
      List<InetSocketAddress> delivered = new ArrayList<>();
      for (int link = 0; link < 3; link++) {
        if ((mask & (1 << link)) != 0) {
          Route r = table.fromClient(LINKS.get(link), buf(init), now);
          if (r.forward()) {
            answeredOn = answeredOn == null ? r.peer() : answeredOn;
            delivered.add(LINKS.get(link));
          }
        }
      }
      if (answeredOn == null) {
        return; // refused at a limit: WireGuard never saw it
      }
      byte[] response = WireGuardMessages.response(++serverIndex, clientIndex);
      checkRecipients(table.fromWireGuard(answeredOn, buf(response), now));
      session = answeredOn.effective();
      assertEquals(Peer.State.ACTIVE, session.state());
      for (InetSocketAddress link : delivered) {
        PeerAddress a = table.address(link);
        assertTrue(a != null && a.isMember(), link + " delivered the answered initiation: " + a);
        assertSame(session, a.peer(), link + "'s peer");
      }
    }

    private void checkRecipients(Recipients r) {
      for (int i = 0; i < r.count(); i++) {
        assertTrue(LINKS.contains(r.address(i)), "WireGuard's datagram went to " + r.address(i));
      }
    }

    private void checkBounds() {
      for (InetSocketAddress s : strangers) {
        PeerAddress a = table.address(s);
        assertFalse(a != null && a.isMember(), s + " is a member");
      }
      int peers = table.peers().size();
      assertTrue(peers <= limits.maxPeers(), "peers " + peers);
      assertTrue(table.tentativeCount() <= limits.maxTentativeInitiations() + limits.maxTentativeResumes(),
          "tentative " + table.tentativeCount());
      assertTrue(table.candidateCount() <= limits.maxCandidates(), "candidates " + table.candidateCount());
      assertTrue(table.addressCount() <= LINKS.size() + limits.maxCandidates() + peers * limits.maxInitiatorsPerPeer(),
          "addresses " + table.addressCount());
      assertTrue(table.indexCount() <= peers * Peer.INDICES_KEPT, "indices " + table.indexCount());
      assertTrue(table.initiationCount() <= peers * Peer.INITIATIONS_KEPT, "initiations " + table.initiationCount());
      for (Peer p : table.peers()) {
        assertTrue(p.candidateCount() <= limits.maxCandidatesPerPeer(), p + ": candidates " + p.candidateCount());
        assertTrue(p.initiatorCount() <= limits.maxInitiatorsPerPeer(), p + ": initiators " + p.initiatorCount());
      }
    }
  }

  private static ByteBuf buf(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }

  @Test
  void strangersNeverBecomeMembersTheClientDoesAndTheTableStaysWithinItsLimits() {
    qt().withExamples(250).withShrinkCycles(1000).forAll(limits(), steps()).checkAssert((limits, steps) -> {
      Run run = new Run(limits);
      for (Step s : steps) {
        run.play(s);
      }
    });
  }
}
