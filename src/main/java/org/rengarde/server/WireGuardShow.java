package org.rengarde.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code wg show all dump} tells about the local WireGuard the relay serves (the interface listening on the
 * port of {@code dstAddr}): its public key, for the mac1 check of initiations, and each peer's public key by the
 * endpoint WireGuard sees for it, which is that peer's own relay socket, so the page can name peers by key. Needs
 * {@code wg} and the right to run it (root or CAP_NET_ADMIN) on the same machine; without them the relay does
 * without. Blocking: run it off the event loop.
 */
final class WireGuardShow {

  /** The interface found, its public key (32 bytes) and its peers' keys by endpoint ("ip:port"). */
  record Snapshot(String interfaceName, byte[] publicKey, Map<String, String> peerKeyByEndpoint) {
  }

  private WireGuardShow() {
  }

  /** Runs {@code wg show all dump} (2 s at most); null when it cannot, or no interface listens on the port. */
  static Snapshot read(int listenPort) {
    try {
      Process p = new ProcessBuilder("wg", "show", "all", "dump").redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? parse(new String(out, StandardCharsets.UTF_8), listenPort) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Reads the dump: an interface line has 5 tab-separated fields (name, private key, public key, listen port,
   * fwmark), a peer line 9 (interface, public key, preshared key, endpoint, allowed IPs, latest handshake, rx, tx,
   * keepalive). The private key is skipped, never kept.
   */
  static Snapshot parse(String dump, int listenPort) {
    String name = null;
    byte[] key = null;
    Map<String, String> peers = new HashMap<>();
    for (String line : dump.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 5 && f[3].equals(Integer.toString(listenPort))) {
        name = f[0];
        key = decode(f[2]);
      } else if (f.length == 9 && f[0].equals(name) && !f[3].equals("(none)")) {
        peers.put(f[3], f[1]);
      }
    }
    return name == null || key == null ? null : new Snapshot(name, key, Map.copyOf(peers));
  }

  private static byte[] decode(String base64) {
    try {
      byte[] b = Base64.getDecoder().decode(base64);
      return b.length == 32 ? b : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
