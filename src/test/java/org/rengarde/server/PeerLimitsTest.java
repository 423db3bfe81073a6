package org.rengarde.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerLimitsTest {
  private static final long MB = 1 << 20;

  @Test
  void theInstalledHeapHoldsAboutEightHundredPeers() {
    // -Xmx64m with the serial collector: Runtime.maxMemory() is 61.9 MB (one survivor space is not counted)
    int peers = PeerLimits.forHeap(64_880_640L).maxPeers();
    assertTrue(peers > 780 && peers < 830, String.valueOf(peers));
    assertEquals(PeerLimits.DEFAULT.maxTentativeInitiations(), PeerLimits.forHeap(64 * MB).maxTentativeInitiations());
  }

  @Test
  void aLargeHeapKeepsTheDefaultAndATinyOneStillAdmitsSome() {
    assertEquals(PeerLimits.DEFAULT.maxPeers(), PeerLimits.forHeap(1024 * MB).maxPeers());
    assertEquals(64, PeerLimits.forHeap(16 * MB).maxPeers());
    assertTrue(PeerLimits.forHeap(128 * MB).maxPeers() > 2000);
    assertEquals(PeerLimits.DEFAULT.maxPeers(), PeerLimits.forHeap(256 * MB).maxPeers());
  }
}
