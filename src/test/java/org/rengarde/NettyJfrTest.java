package org.rengarde;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link VertxSetup#beforeNetty}: a server started by {@link Main} whose packet pool has taken its first chunk (one
 * datagram read) has not loaded JFR's event machinery; asked for Netty's JFR events, the same run loads it, so the
 * check tells the two apart. Two child JVMs on loopback, a few seconds each.
 */
class NettyJfrTest {
  private static final String JFR_EVENTS = "jdk.jfr.internal.MetadataRepository ";
  private static final String FIRST_CHUNK = "io.netty.buffer.PoolChunk ";

  @Test
  void aServerThatReadADatagramHasNotLoadedJfrsEvents() throws Exception {
    List<String> loaded = classesLoadedByAServerThatReads();
    assertTrue(loaded.stream().anyMatch(l -> l.contains(FIRST_CHUNK)), "the packet pool took a chunk");
    assertFalse(loaded.stream().anyMatch(l -> l.contains(JFR_EVENTS)), "JFR's event machinery was not loaded");
  }

  @Test
  void askedForNettysJfrEventsTheSameRunLoadsThem() throws Exception {
    List<String> loaded = classesLoadedByAServerThatReads("-Dio.netty.jfr.enabled=true");
    assertTrue(loaded.stream().anyMatch(l -> l.contains(FIRST_CHUNK)), "the packet pool took a chunk");
    assertTrue(loaded.stream().anyMatch(l -> l.contains(JFR_EVENTS)), "the user's choice wins");
  }

  private static List<String> classesLoadedByAServerThatReads(String... jvmFlags) throws Exception {
    Path dir = Files.createTempDirectory("rengarde-jfr");
    Path classLog = dir.resolve("classes.txt");
    int listen = freePort();
    Files.writeString(dir.resolve("engarde.yml"), "server:\n  listenAddr: \"127.0.0.1:" + listen + "\"\n"
        + "  dstAddr: \"127.0.0.1:" + freePort() + "\"\n");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-Xmx64m",
        "-Xlog:class+load=info:file=" + classLog));
    command.addAll(List.of(jvmFlags));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "server",
        dir.resolve("engarde.yml").toString()));
    Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line;
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null && !line.contains("Listening on")) {
        seen.append(line).append('\n');
      }
      assertTrue(line != null, "the server starts: " + seen);
      try (DatagramSocket socket = new DatagramSocket()) {
        byte[] junk = new byte[100];
        socket.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), listen));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline && !Files.readString(classLog).contains(FIRST_CHUNK)) {
        Thread.sleep(50);
      }
      Thread.sleep(300);
      return Files.readAllLines(classLog);
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(classLog);
      Files.deleteIfExists(dir.resolve("engarde.yml"));
      Files.deleteIfExists(dir);
    }
  }

  private static int freePort() throws Exception {
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
