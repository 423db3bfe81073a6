package org.rengarde.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Debian package (scripts/package) on a machine seen as having no Java: it installs, its commands run with
 * nothing but them (and ip, wg) on PATH, the server and client it starts answer their web API, and removing it
 * leaves nothing behind. Prints the package's size. Needs root and no rengarde or engarde installed in /opt or
 * /usr/bin; scripts/test runs it.
 */
@EnabledIfSystemProperty(named = "rengarde.systemTests", matches = "true")
class PackageSystemIT {
  private static final Path ROOT = Path.of(System.getProperty("rengarde.projectDir", "."));
  private static final List<String> COMMANDS =
      List.of("rengarde-client", "rengarde-server", "engarde-client", "engarde-server");
  private static final List<Path> INSTALLED = List.of(Path.of("/opt/rengarde"), Path.of("/usr/bin/rengarde-client"),
      Path.of("/usr/bin/engarde-client"), Path.of("/lib/systemd/system/rengarde-client@.service"),
      Path.of("/lib/systemd/system/engarde-client@.service"));

  @TempDir
  static Path dir;
  /** The only directory on the commands' PATH. */
  private static Path path;
  /** Whether this test installed the package, and so is the one to remove it. */
  private static boolean installedHere;

  @BeforeAll
  static void buildAndInstall() throws Exception {
    for (Path p : INSTALLED) {
      assertFalse(Files.exists(p), p + " is there already: this test needs a machine without rengarde or engarde");
    }
    String built = Shell.run(900, ROOT.resolve("scripts/package").toString());
    Path deb = Path.of(built.strip().lines().reduce((a, b) -> b).orElseThrow());
    System.out.printf("[package] %s: %.1f MB (%d bytes)%n", deb.getFileName(), Files.size(deb) / 1048576.0,
        Files.size(deb));
    Shell.run(300, "dpkg", "-i", deb.toString());
    installedHere = true;
    path = Files.createDirectory(dir.resolve("path"));
    for (String command : COMMANDS) {
      Files.createSymbolicLink(path.resolve(command), Path.of("/usr/bin", command));
    }
    for (String tool : List.of("ip", "wg")) {
      String found = Shell.attempt(10, "sh", "-c", "command -v " + tool).output().strip();
      if (!found.isEmpty()) {
        Files.createSymbolicLink(path.resolve(tool), Path.of(found));
      }
    }
  }

  @AfterAll
  static void removeLeavingNothing() {
    if (!installedHere) {
      return;
    }
    Shell.run(300, "dpkg", "-P", "rengarde");
    for (Path p : INSTALLED) {
      assertFalse(Files.exists(p), p + " is left after dpkg -P");
    }
  }

  /** Runs a shell line with an empty environment but PATH, the way a machine without Java would. */
  private static String[] withoutJava(String line) {
    return new String[] {"env", "-i", "PATH=" + path, "/bin/sh", "-c", line};
  }

  @Test
  void thereIsNoJavaOnThePath() {
    Shell.Outcome java = Shell.attempt(10, withoutJava("command -v java"));
    assertNotEquals(0, java.exitCode(), java.output());
  }

  @Test
  void everyCommandRunsWithoutJavaOnThePath() {
    for (String command : COMMANDS) {
      assertTrue(Shell.run(60, withoutJava(command + " --help")).contains("Usage"), command);
      assertTrue(Shell.run(60, withoutJava(command + " -v")).matches("(?s)rengarde-(client|server) ver\\. \\d+\\.\\d+\\.\\d+.*"), command);
    }
    assertTrue(Shell.run(60, withoutJava("rengarde-client list-interfaces")).contains("\nlo\n"));
  }

  @Test
  void theUnitsStartThePackagedCommands() throws Exception {
    assertTrue(Files.readString(Path.of("/lib/systemd/system/rengarde-server@.service"))
        .contains("\nExecStart=/usr/bin/rengarde-server /etc/rengarde/%i.yml\n"));
    assertTrue(Files.readString(Path.of("/lib/systemd/system/engarde-client@.service"))
        .contains("\nExecStart=/usr/bin/engarde-client /etc/engarde/%i.yml\n"));
    assertEquals(0, Shell.attempt(10, "getent", "passwd", "rengarde").exitCode());
    assertTrue(Files.exists(Path.of("/etc/rengarde/engarde.yml.sample")));
  }

  @Test
  void theServerAndClientAnswerTheirWebApi() throws Exception {
    int serverWeb = freeTcpPort();
    int clientWeb = freeTcpPort();
    int relay = freeUdpPort();
    Path config = Files.writeString(dir.resolve("engarde.yml"), String.join("\n",
        "server:",
        "  listenAddr: \"127.0.0.1:" + relay + "\"",
        "  dstAddr: \"127.0.0.1:" + freeUdpPort() + "\"",
        "  webManager:",
        "    listenAddr: \"127.0.0.1:" + serverWeb + "\"",
        "client:",
        "  listenAddr: \"127.0.0.1:" + freeUdpPort() + "\"",
        "  dstAddr: \"127.0.0.1:" + relay + "\"",
        "  webManager:",
        "    listenAddr: \"127.0.0.1:" + clientWeb + "\"",
        ""));
    assertTrue(getListOf("rengarde-server", config, serverWeb).contains("\"type\":\"server\""));
    assertTrue(getListOf("engarde-client", config, clientWeb).contains("\"type\":\"client\""));
  }

  /**
   * The lab on the packaged commands, under engarde's names for the client: real WireGuard at both ends, a ping with
   * one link cut and restored loses nothing. (The whole lab runs on the jar in LabSystemIT; this is its core.)
   */
  @Test
  void theLabPassesOnThePackagedCommands() throws Exception {
    Lab lab = new Lab(ROOT, List.of("RENGARDE_LAB_CLIENT=/usr/bin/engarde-client",
        "RENGARDE_LAB_SERVER=/usr/bin/rengarde-server"));
    try {
      lab.up();
      String client = lab.commandLine("client");
      String server = lab.commandLine("server");
      assertTrue(client.startsWith("/opt/rengarde/") && server.startsWith("/opt/rengarde/"),
          "the packaged runtime runs them: " + client + " / " + server);
      Process ping = lab.startPing(400);
      Thread.sleep(1000);
      lab.setLink("a", false);
      Thread.sleep(1500);
      lab.setLink("a", true);
      PingResult r = Lab.finish(ping);
      System.out.println("[package] the lab on the packaged engarde-client and rengarde-server, link a cut for 1.5 s: "
          + r.figures());
      assertEquals(0, r.lost(), r.figures());
    } finally {
      lab.down();
    }
  }

  /** Starts the command on the file, reads its get-list once the web manager answers, and stops it with SIGTERM. */
  private static String getListOf(String command, Path config, int webPort) throws Exception {
    Path log = dir.resolve(command + ".log");
    Process p = new ProcessBuilder(withoutJava("exec " + command + " " + config)).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest getList = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/api/v1/get-list"))
          .timeout(Duration.ofSeconds(5)).build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      HttpResponse<String> list = null;
      while (list == null) {
        assertTrue(p.isAlive(), command + " ended:\n" + Files.readString(log));
        assertTrue(System.nanoTime() < deadline, command + " has no web manager after 90 s:\n" + Files.readString(log));
        try {
          list = http.send(getList, HttpResponse.BodyHandlers.ofString());
        } catch (IOException notYet) {
          Thread.sleep(250);
        }
      }
      assertEquals(200, list.statusCode(), list.body());
      p.destroy();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), command + " did not stop on SIGTERM");
      assertEquals(0, p.exitValue(), command + " exit code on SIGTERM:\n" + Files.readString(log));
      return list.body();
    } finally {
      p.destroyForcibly();
    }
  }

  private static int freeTcpPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }
}
