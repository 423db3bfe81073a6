package org.rengarde.wire;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.rengarde.testing.Datagrams;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.api.Pair.of;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.rengarde.wire.DuplicateTrackerTest.HASH;
import static org.rengarde.wire.DuplicateTrackerTest.MS;
import static org.rengarde.wire.DuplicateTrackerTest.T0;

/** The duplicate filter on generated traffic: peers, links, datagrams of every shape, timings around the window. */
class DuplicateTrackerProperties {
  private static final long WINDOW = 50 * MS;
  private static final int PEERS = 3;

  /** What happens next: a copy arrives, or a link or a peer changes; {@code gapNanos} after the previous step. */
  record Step(Kind kind, int peer, int link, byte[] datagram, long gapNanos) {
    enum Kind { ARRIVE, LINK_UP, LINK_DOWN, FORGET, REPLACE_PEER }

    @Override
    public String toString() {
      return kind + "(" + peer + "/" + link + (kind == Kind.ARRIVE ? ", " + Datagrams.hex(datagram) : "") + ", +"
          + gapNanos + ")";
    }
  }

  /** Gaps mostly well inside the window, sometimes past it. */
  private static Gen<Long> gaps() {
    return Generate.frequency(of(8, longs().between(0, 5 * MS)), of(1, longs().between(0, 4 * WINDOW)));
  }

  /** Datagrams drawn from a small pool, so that copies (and the same bytes in two peers) are common. */
  private static Gen<List<Step>> steps(int maxSteps) {
    Gen<List<byte[]>> pool = lists().of(Datagrams.any()).ofSizeBetween(1, 8);
    Gen<Step.Kind> kind = Generate.frequency(of(20, Generate.constant(Step.Kind.ARRIVE)),
        of(1, Generate.enumValues(Step.Kind.class)));
    Gen<Integer> link = Generate.frequency(of(9, integers().between(0, 5)), of(1, integers().between(0, 63)));
    Gen<int[]> raw = kind.zip(integers().between(0, PEERS - 1), link, integers().between(0, 7),
        (k, p, l, d) -> new int[] {k.ordinal(), p, l, d});
    Gen<List<int[]>> shapes = lists().of(raw).ofSizeBetween(1, maxSteps);
    Gen<List<Long>> times = lists().of(gaps()).ofSize(maxSteps);
    return pool.zip(shapes, times, (datagrams, picks, gaps) -> {
      List<Step> out = new ArrayList<>();
      for (int i = 0; i < picks.size(); i++) {
        int[] p = picks.get(i);
        out.add(new Step(Step.Kind.values()[p[0]], p[1], p[2], datagrams.get(p[3] % datagrams.size()), gaps.get(i)));
      }
      return out;
    }).describedAs(DuplicateTrackerProperties::summary);
  }

  private static String summary(List<Step> steps) {
    return steps.size() + " steps: " + steps.subList(0, Math.min(steps.size(), 40)) + (steps.size() > 40 ? "..." : "");
  }

  private static TrackedPeer[] peers(DuplicateTracker t) {
    TrackedPeer[] peers = new TrackedPeer[PEERS];
    for (int p = 0; p < PEERS; p++) {
      peers[p] = t.newPeer();
    }
    return peers;
  }

  /** Plays the steps of peer {@code only} (of all when null); returns the verdicts in order. */
  private static List<String> play(DuplicateTracker t, TrackedPeer[] peers, List<Step> steps, Integer only) {
    List<String> verdicts = new ArrayList<>();
    long now = T0;
    for (Step s : steps) {
      now += s.gapNanos();
      if (only != null && s.peer() != only) {
        continue;
      }
      TrackedPeer peer = peers[s.peer()];
      switch (s.kind()) {
        case ARRIVE -> {
          Verdict v = t.arrive(peer, Unpooled.wrappedBuffer(s.datagram()), s.link(), now);
          assertEquals(s.datagram().length == 0, v == Verdict.EMPTY, "EMPTY exactly for zero bytes: " + v);
          verdicts.add(v.name());
        }
        case LINK_UP -> peer.linkUp(s.link());
        case LINK_DOWN -> peer.linkDown(s.link());
        case FORGET -> peer.forget(s.link());
        case REPLACE_PEER -> {
          t.remove(peer);
          peers[s.peer()] = t.newPeer();
        }
      }
    }
    for (TrackedPeer p : peers) {
      for (int link = 0; link < 6; link++) {
        p.snapshot(link, now + 2 * WINDOW);
      }
    }
    return verdicts;
  }

  /** The figures of the first links of each peer after the steps were played, once everything left the window. */
  private static List<String> figures(TrackedPeer[] peers, List<Step> steps) {
    long now = T0 + steps.stream().mapToLong(Step::gapNanos).sum() + 3 * WINDOW;
    List<String> out = new ArrayList<>();
    for (int p = 0; p < peers.length; p++) {
      for (int link = 0; link < 6; link++) {
        out.add("peer " + p + " link " + link + " " + peers[p].snapshot(link, now).encode());
      }
    }
    return out;
  }

  /**
   * A table that starts with one entry and doubles as it fills judges everything as one of the full capacity from
   * the start: the same verdicts and the same figures for every link, whatever the traffic, while it grows.
   */
  @Test
  void aTableThatGrowsJudgesAsOneOfFullSize() {
    qt().withExamples(300).withShrinkCycles(1000).forAll(steps(150), integers().between(1, 40))
        .checkAssert((steps, capacity) -> {
          DuplicateTracker full = new DuplicateTracker(capacity, capacity, WINDOW, 10, HASH);
          DuplicateTracker growing = new DuplicateTracker(capacity, 1, WINDOW, 10, HASH);
          TrackedPeer[] fullPeers = peers(full);
          TrackedPeer[] growingPeers = peers(growing);
          assertEquals(play(full, fullPeers, steps, null), play(growing, growingPeers, steps, null));
          assertEquals(figures(fullPeers, steps), figures(growingPeers, steps));
          assertTrue(growing.entries() <= capacity, "entries " + growing.entries());
        });
  }

  @Test
  void anyTrafficAndChangesAreJudgedWithoutFailingAndWithinTheCapacity() {
    qt().withExamples(300).withShrinkCycles(1000).forAll(steps(150), integers().between(1, 24))
        .checkAssert((steps, capacity) -> {
          DuplicateTracker t = new DuplicateTracker(capacity, WINDOW, 10, HASH);
          play(t, peers(t), steps, null);
          assertTrue(t.size() <= capacity, "size " + t.size());
        });
  }

  /**
   * A peer's verdicts do not depend on the other peers' traffic, even of the same bytes: the verdicts of peer 0
   * with everyone's steps are those of peer 0 alone (the table large enough that no peer pushes out another's).
   */
  @Test
  void peersNeverSeeEachOthersDatagramsAsCopies() {
    qt().withExamples(150).withShrinkCycles(1000).forAll(steps(150)).checkAssert(steps -> {
      DuplicateTracker shared = new DuplicateTracker(4096, WINDOW, 10, HASH);
      List<String> all = play(shared, peers(shared), steps, null);
      for (int peer = 0; peer < PEERS; peer++) {
        List<String> together = new ArrayList<>();
        for (int i = 0, v = 0; i < steps.size(); i++) {
          if (steps.get(i).kind() == Step.Kind.ARRIVE) {
            if (steps.get(i).peer() == peer) {
              together.add(all.get(v));
            }
            v++;
          }
        }
        DuplicateTracker alone = new DuplicateTracker(4096, WINDOW, 10, HASH);
        assertEquals(play(alone, peers(alone), steps, peer), together, "peer " + peer);
      }
    });
  }

  /** What names a datagram in WireGuardShape's terms: bytes 4-15 of a transport message, else all its bytes. */
  private static String identity(byte[] b) {
    boolean transport = b.length >= 32 && b[0] == 4 && b[1] == 0 && b[2] == 0 && b[3] == 0;
    return transport ? "t" + HexFormat.of().formatHex(b, 4, 16) : "c" + HexFormat.of().formatHex(b);
  }

  /** After any traffic of its own and others: a datagram new to the window, then the same bytes on another link. */
  @Test
  void theSameBytesOnAnotherLinkWithinTheWindowAreADuplicate() {
    Gen<byte[]> nonEmpty = Datagrams.any().map(b -> b.length == 0 ? new byte[] {0} : b).describedAs(Datagrams::hex);
    qt().withExamples(300)
        .forAll(steps(80), nonEmpty, integers().between(0, 63), integers().between(1, 63))
        .checkAssert((steps, d, a, offset) -> {
          int b = (a + offset) % 64;
          List<Step> history = steps.stream()
              .filter(s -> s.kind() != Step.Kind.ARRIVE || !identity(s.datagram()).equals(identity(d)))
              .toList();
          DuplicateTracker t = new DuplicateTracker(64, WINDOW, 10, HASH);
          TrackedPeer[] peers = peers(t);
          play(t, peers, history, null);
          TrackedPeer peer = peers[0];
          long now = T0 + 10_000 * WINDOW;
          assertEquals(Verdict.FIRST, t.arrive(peer, Unpooled.wrappedBuffer(d), a, now));
          assertEquals(Verdict.DUPLICATE, t.arrive(peer, Unpooled.wrappedBuffer(d.clone()), b, now + WINDOW));
        });
  }

  /** A transport message, then a copy with one byte of its payload changed: forwarded as altered, never dropped. */
  @Test
  void aTransportCopyWithAChangedByteIsAlteredNeverADuplicate() {
    Gen<byte[]> transport = Datagrams.nearWireGuard().map(b -> {
      byte[] m = java.util.Arrays.copyOf(b, Math.max(32, b.length));
      m[0] = 4;
      m[1] = m[2] = m[3] = 0;
      return m;
    }).describedAs(Datagrams::hex);
    Gen<Integer> links = integers().between(0, 63);
    qt().withExamples(300)
        .forAll(transport, integers().between(0, 10_000), integers().between(1, 255), links)
        .checkAssert((d, position, flip, link) -> {
          int at = 16 + position % (d.length - 16);
          byte[] altered = d.clone();
          altered[at] ^= (byte) (int) flip;
          DuplicateTracker t = new DuplicateTracker(64, WINDOW, 10, HASH);
          TrackedPeer peer = t.newPeer();
          assertEquals(Verdict.FIRST, t.arrive(peer, Unpooled.wrappedBuffer(d), 0, T0));
          assertEquals(Verdict.ALTERED, t.arrive(peer, Unpooled.wrappedBuffer(altered), link, T0 + WINDOW));
          altered[at == 16 ? 17 : 16] ^= 1;
          assertEquals(Verdict.ALTERED, t.arrive(peer, Unpooled.wrappedBuffer(altered), link, T0 + WINDOW));
        });
  }
}
