package org.rengarde.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.rengarde.server.Peer;
import org.rengarde.server.PeerEvents;
import org.rengarde.server.PeerLimits;
import org.rengarde.server.PeerTable;
import org.rengarde.testing.WireGuardMessages;

import java.net.InetSocketAddress;

/**
 * Prints the heap a {@link PeerTable} holds per peer, for peers of three links whose index and initiation rings are
 * full (every handshake seen for three minutes), and a rough cost of a member's datagram each way. Run with the
 * test classpath: {@code java -cp ... org.rengarde.bench.PeerTableFootprint [peers]}. Heap figures come from
 * {@link Runtime} after repeated GCs: good to a few percent.
 */
public final class PeerTableFootprint {
  private static final long SECOND = 1_000_000_000L;
  private static final int LINKS = Integer.getInteger("links", 3);

  private PeerTableFootprint() {
  }

  public static void main(String[] args) {
    int peers = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
    long before = usedHeap();
    PeerTable table = new PeerTable(30 * SECOND, PeerLimits.DEFAULT, PeerEvents.NONE);
    long now = 1_000 * SECOND;
    Peer[] made = new Peer[peers];
    for (int p = 0; p < peers; p++) {
      InetSocketAddress[] links = new InetSocketAddress[LINKS];
      for (int l = 0; l < LINKS; l++) {
        links[l] = new InetSocketAddress("10." + l + "." + (p >>> 8) + "." + (p & 255), 40000 + l);
      }
      for (int generation = 0; generation < 8; generation++) {
        int client = p * 64 + generation;
        byte[] init = WireGuardMessages.initiation(client);
        Peer peer = null;
        for (InetSocketAddress link : links) {
          peer = table.fromClient(link, Unpooled.wrappedBuffer(init), now).peer();
        }
        table.fromWireGuard(peer, Unpooled.wrappedBuffer(WireGuardMessages.response(0x4000_0000 + client, client)), now);
        made[p] = peer;
      }
    }
    long after = usedHeap();
    System.out.printf("%d peers of " + LINKS + " links, full rings: %.0f bytes per peer (%d addresses, %d indices, %d initiations)%n",
        peers, (after - before) / (double) peers, table.addressCount(), table.indexCount(), table.initiationCount());

    InetSocketAddress member = made[0].member(0).address();
    ByteBuf up = Unpooled.wrappedBuffer(WireGuardMessages.transport(1400, 0x4000_0000, 1));
    ByteBuf down = Unpooled.wrappedBuffer(WireGuardMessages.transport(1400, 0, 1));
    for (int round = 0; round < 5; round++) {
      int n = 5_000_000;
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        table.fromClient(member, up, now + i);
      }
      long mid = System.nanoTime();
      for (int i = 0; i < n; i++) {
        table.fromWireGuard(made[0], down, now + i);
      }
      long end = System.nanoTime();
      System.out.printf("round %d: fromClient %.1f ns, fromWireGuard (" + LINKS + " members) %.1f ns per datagram%n",
          round, (mid - start) / (double) n, (end - mid) / (double) n);
    }
    if (table.peers().size() != peers) {
      throw new IllegalStateException("peers lost: " + table.peers().size());
    }
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 5; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
