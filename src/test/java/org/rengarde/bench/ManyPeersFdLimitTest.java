package org.rengarde.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Out of file descriptors (EMFILE): {@link ManyPeers} in a child JVM whose descriptor limit (ulimit -n 520) leaves
 * the relay room for about 30 of its 120 clients. Sockets that cannot be opened are refused and counted, each kind
 * logged once; the clients that got in keep working, nothing crosses between peers, and the relay neither crashes
 * nor stops answering.
 */
class ManyPeersFdLimitTest {
  private static final int LIMIT = 520;

  @Test
  void peersPastTheDescriptorLimitAreRefusedCountedAndLoggedOnce() throws Exception {
    Path log = Files.createTempFile("many-peers-emfile", ".txt");
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(List.of("bash", "-c",
          "ulimit -n " + LIMIT + " && exec \"$0\" -XX:+UseSerialGC -Xmx128m -cp \"$1\" " + ManyPeers.class.getName()
              + " --peers 120 --no-web --datagrams 3 --deadline 5 --idle 1",
          java, System.getProperty("java.class.path")))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the run ends");
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(0, child.exitValue(), out);
      JsonObject r = result(out);
      assertNotNull(r, "the harness finished its run: " + out);
      assertTrue(r.getLong("socketFailures") > 0, "peer sockets refused by EMFILE are counted: " + r);
      assertTrue(r.getInteger("handshaken") > 0 && r.getInteger("handshaken") < 120, "some clients got in: " + r);
      assertEquals(r.getInteger("handshaken"), r.getInteger("activePeers"));
      assertEquals(0, r.getLong("crossDelivered"));
      assertEquals(0, r.getLong("wireGuardDuplicates"));
      assertEquals(0, r.getLong("wireGuardFromWrongSocket"));
      assertEquals(0, r.getInteger("socketsOfTwoClients"));
      assertEquals(0, r.getLong("wireGuardMissing"), "every client that got in reaches WireGuard");
      assertEquals(0, r.getInteger("linksShortOfTransport"), "and gets all of its replies, own socket or not");
      assertEquals(1, count(out, "WARNING: cannot open a WireGuard-facing socket"), "logged once");
      assertTrue(count(out, "WARNING: no socket of its own for") <= 1, "logged once at most");
      assertTrue(out.contains("Too many open files"), out);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static JsonObject result(String out) {
    return out.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
        .map(l -> new JsonObject(l.substring("RESULT ".length()))).orElse(null);
  }

  private static long count(String out, String prefix) {
    return out.lines().filter(l -> l.startsWith(prefix)).count();
  }
}
