package org.rengarde.system;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise, shown for real: two namespaces, three veth links, wireguard-go on both ends, our client and server
 * between them, a ping at 100 per second across the tunnel while links fail. Needs root; scripts/test runs it.
 */
@EnabledIfSystemProperty(named = "rengarde.systemTests", matches = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(LabLogsOnFailure.class)
class LabSystemIT {
  /** engarde polls once a second; so do we by default. */
  private static final double POLL_SECONDS = 1.0;
  /**
   * Seconds until get-list shows what has happened: its document is built once a second, and a missing WireGuard
   * counter is judged 2 s after a higher one passed it.
   */
  private static final double STATUS_SETTLES = 3.5;
  /** A ping every 10 ms; a lost one would show as a gap of at least 20 ms, scheduling on 2 cores adds some. */
  private static final double GAP_BOUND_MILLIS = 250;

  private Lab lab;

  @BeforeAll
  void up() {
    lab = new Lab(Path.of(System.getProperty("rengarde.projectDir", ".")));
    lab.up();
  }

  @AfterAll
  void down() {
    if (lab != null) {
      lab.down();
    }
  }

  @AfterEach
  void clearFaults() {
    lab.clearFaults();
  }

  private static void report(String scenario, PingResult r) {
    System.out.println("[lab] " + scenario + ": " + r.figures());
  }

  private static void pause(double seconds) throws InterruptedException {
    Thread.sleep((long) (seconds * 1000));
  }

  @Test
  @Order(1)
  void cleanRunLosesNothing() throws Exception {
    PingResult r = Lab.finish(lab.startPing(500));
    report("clean, 500 pings at 100/s", r);
    assertEquals(0, r.lost(), r.figures());
    assertTrue(r.longestGapMillis() < GAP_BOUND_MILLIS, r.figures());
  }

  @Test
  @Order(2)
  void oneLinkCutAndRestoredMidPingLosesNothing() throws Exception {
    Process ping = lab.startPing(600);
    pause(2);
    lab.setLink("a", false);
    pause(2);
    lab.setLink("a", true);
    PingResult r = Lab.finish(ping);
    report("link a cut at 2 s, restored at 4 s", r);
    assertEquals(0, r.lost(), r.figures());
    assertTrue(r.longestGapMillis() < GAP_BOUND_MILLIS, r.figures());
  }

  @Test
  @Order(3)
  void twoOfThreeLinksCutLosesNothing() throws Exception {
    Process ping = lab.startPing(600);
    pause(1.5);
    lab.setLink("a", false);
    pause(1);
    lab.setLink("b", false);
    pause(2);
    lab.setLink("a", true);
    lab.setLink("b", true);
    PingResult r = Lab.finish(ping);
    report("links a then b cut (1.5 s, 2.5 s), restored at 4.5 s", r);
    assertEquals(0, r.lost(), r.figures());
    assertTrue(r.longestGapMillis() < GAP_BOUND_MILLIS, r.figures());
  }

  @Test
  @Order(4)
  void allLinksCutThenOneRestoredRecoversWithinOnePoll() throws Exception {
    Process ping = lab.startPing(700);
    pause(1);
    for (String l : Lab.LINKS) {
      lab.setLink(l, false);
    }
    pause(3);
    double restoredAt = System.currentTimeMillis() / 1000.0;
    lab.setLink("c", true);
    PingResult r = Lab.finish(ping);
    double recovery = r.firstReplyAfter(restoredAt) - restoredAt;
    System.out.printf(Locale.ROOT, "[lab] all links cut for 3 s, then c restored: %s; first reply %.0f ms after the "
        + "restore (poll interval %.0f ms)%n", r.figures(), recovery * 1000, POLL_SECONDS * 1000);
    assertFalse(Double.isNaN(recovery), "traffic never resumed: " + r.figures());
    assertTrue(recovery <= POLL_SECONDS + 0.25, "resumed after " + recovery + " s, more than one poll");
  }

  @Test
  @Order(5)
  void thirtyPercentLossOnEveryLinkGivesAboutTheCube() throws Exception {
    lab.randomLossOnReceive(30);
    PingResult r = Lab.finish(lab.startPing(2000));
    double theory = 100 * (1 - Math.pow(1 - Math.pow(0.3, 3), 2));
    System.out.printf(Locale.ROOT, "[lab] 30%% loss on receive on each of 3 links: %s; theory %.1f%% per round trip "
        + "(one link alone: 51%%)%n", r.figures(), theory);
    assertTrue(r.lossPercent() < 12, "end-to-end loss far above 0.3^3 per direction: " + r.figures());
  }

  @Test
  @Order(6)
  void thirtyPercentSendFailuresNeitherStallNorTearDownLinks() throws Exception {
    String logBefore = lab.clientLog();
    lab.randomSendFailures(30);
    PingResult r = Lab.finish(lab.startPing(2000));
    double theory = 100 * (1 - Math.pow(1 - Math.pow(0.3, 3), 2));
    System.out.printf(Locale.ROOT, "[lab] 30%% of sends fail with EPERM on each of 3 links: %s; theory %.1f%% "
        + "(engarde: 94%%)%n", r.figures(), theory);
    assertTrue(r.lossPercent() < 12, r.figures());
    String during = lab.clientLog().substring(logBefore.length());
    assertFalse(during.contains("Interface '") || during.contains("Error writing to '"),
        "no link was torn down by EPERM:\n" + during);
  }

  @Test
  @Order(7)
  void anInterfaceThatAppearsIsUsedWithinOnePollAndDroppedCleanlyWhenDeleted() throws Exception {
    Process ping = lab.startPing(600);
    pause(0.5);
    lab.countArrivals("d");
    double addedAt = System.nanoTime() / 1e9;
    lab.addLink("d");
    // The kernel reports a new veth operationally up as much as a second after it is set up (linkwatch); "used
    // within one poll" counts from the moment the interface is usable, which the kernel decides.
    double usableAt = Double.NaN;
    double lastSeenDown = addedAt;
    double firstUse = Double.NaN;
    while (System.nanoTime() / 1e9 - addedAt < 4) {
      double checked = System.nanoTime() / 1e9;
      if (Double.isNaN(usableAt)) {
        if (lab.operationallyUp("d")) {
          usableAt = checked;
        } else {
          lastSeenDown = checked;
        }
      }
      if (lab.arrivals() > 0) {
        firstUse = System.nanoTime() / 1e9;
        break;
      }
      pause(0.01);
    }
    if (Double.isNaN(usableAt)) {
      usableAt = lastSeenDown;
    }
    double sinceUsable = firstUse - usableAt;
    pause(1);
    long carried = lab.arrivals();
    lab.deleteLink("d");
    PingResult r = Lab.finish(ping);
    System.out.printf(Locale.ROOT, "[lab] link d added mid-ping: operationally up after %.0f ms, first datagram on it %.0f ms "
            + "after that, %d datagrams in the next second; then deleted: %s%n", (usableAt - addedAt) * 1000,
        sinceUsable * 1000, carried, r.figures());
    assertFalse(Double.isNaN(firstUse), "the new interface was never used");
    assertTrue(sinceUsable <= POLL_SECONDS + 0.25, "used " + sinceUsable + " s after it was usable, more than one poll");
    assertTrue(carried >= 50, "the new link carries the traffic: " + carried);
    assertEquals(0, r.lost(), r.figures());
    pause(POLL_SECONDS + 0.5);
    assertTrue(lab.clientLog().contains("Interface 'rgl-d0' no longer exists, deleting it"), "the link was dropped");
    assertTrue(lab.processAlive("client"), "the client survived");
  }

  /** Polls {@code check} every 100 ms for up to {@code seconds}; true as soon as it holds. */
  private static boolean within(double seconds, java.util.concurrent.Callable<Boolean> check) throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    do {
      if (check.call()) {
        return true;
      }
      pause(0.1);
    } while (System.nanoTime() < end);
    return check.call();
  }

  @Test
  @Order(8)
  void theWebApiReportsTheLinksAndItsExclusionsChangeWhatTheClientDoes() throws Exception {
    var before = Lab.statuses();
    System.out.println("[lab] get-list statuses: " + before);
    assertEquals("active", before.get("rgl-a0"));
    assertEquals("active", before.get("rgl-b0"));
    assertEquals("active", before.get("rgl-c0"));
    assertEquals("excluded", before.get("rglwg0"));
    var server = Lab.api(Lab.SERVER_WEB, "/api/v1/get-list", null);
    assertEquals("server", server.getString("type"));
    assertTrue(server.getJsonArray("sockets").size() >= 3, server.encode());

    Process ping = lab.startPing(500);
    pause(1);
    assertEquals("ok", Lab.api(Lab.CLIENT_WEB, "/api/v1/exclude", "{\"interface\":\"rgl-b0\"}").getString("status"));
    assertEquals("already-excluded",
        Lab.api(Lab.CLIENT_WEB, "/api/v1/exclude", "{\"interface\":\"rgl-b0\"}").getString("status"));
    assertTrue(within(POLL_SECONDS + 0.5, () -> "excluded".equals(Lab.statuses().get("rgl-b0"))),
        "rgl-b0 excluded within one poll");
    lab.countArrivals("b");
    pause(1);
    long throughExcluded = lab.arrivals();
    assertEquals("ok", Lab.api(Lab.CLIENT_WEB, "/api/v1/reset-exclusions", null).getString("status"));
    assertTrue(within(POLL_SECONDS + 0.5, () -> "active".equals(Lab.statuses().get("rgl-b0"))), "rgl-b0 back");
    PingResult r = Lab.finish(ping);
    System.out.printf(Locale.ROOT, "[lab] rgl-b0 excluded through the API for 1 s: %d datagrams crossed it; %s%n",
        throughExcluded, r.figures());
    assertEquals(0, throughExcluded, "an excluded link carries nothing");
    assertEquals(0, r.lost(), r.figures());
  }

  @Test
  @Order(9)
  void aReloadThatExcludesALinkLosesNothingAndABadFileChangesNothing() throws Exception {
    Process ping = lab.startPing(800);
    pause(1);
    lab.editConfig(yml -> yml.replace("    - rgl-mgmt\n", "    - rgl-mgmt\n    - rgl-c0\n"));
    assertTrue(within(2.5, () -> "excluded".equals(Lab.statuses().get("rgl-c0"))), "the reload excluded rgl-c0");
    lab.editConfig(yml -> yml + "\nclient: [broken\n");
    assertTrue(within(2.5, () -> Lab.api(Lab.CLIENT_WEB, "/api/v1/get-list", null).getString("configError") != null),
        "the page and get-list show the bad file");
    String error = Lab.api(Lab.CLIENT_WEB, "/api/v1/get-list", null).getString("configError");
    assertTrue(error.contains("engarde.yml") && error.contains("line"), error);
    assertEquals("excluded", Lab.statuses().get("rgl-c0"), "a bad file changes nothing");
    assertEquals("active", Lab.statuses().get("rgl-a0"));
    lab.editConfig(yml -> yml.replace("\nclient: [broken\n", "").replace("    - rgl-c0\n", ""));
    assertTrue(within(2.5, () -> Lab.api(Lab.CLIENT_WEB, "/api/v1/get-list", null).getValue("configError") == null),
        "the error clears when a good file arrives");
    assertTrue(within(2.5, () -> "active".equals(Lab.statuses().get("rgl-c0"))), "rgl-c0 back");
    PingResult r = Lab.finish(ping);
    System.out.println("[lab] reload excluding rgl-c0, a bad file (\"" + error + "\"), then the good file back: "
        + r.figures());
    assertEquals(0, r.lost(), r.figures());
  }

  private static io.vertx.core.json.JsonObject entry(io.vertx.core.json.JsonArray entries, String key, String prefix) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.getJsonObject(i).getString(key, "").startsWith(prefix)) {
        return entries.getJsonObject(i);
      }
    }
    throw new AssertionError("no " + key + " " + prefix + " in " + entries.encode());
  }

  @Test
  @Order(10)
  void aLossyLinkIsMeasuredWithoutAHeaderAndWireGuardGetsEachDatagramOnce() throws Exception {
    lab.randomLossOnOneLink("b", 30);
    lab.countLoopback(Lab.CLIENT_NS, "fromwg", "dport", 59401);
    lab.countLoopback(Lab.SERVER_NS, "towg", "dport", 59301);
    lab.countLoopback(Lab.SERVER_NS, "fromwgs", "sport", 59301);
    lab.countLoopback(Lab.CLIENT_NS, "towgc", "sport", 59401);
    PingResult r = Lab.finish(lab.startPing(1500));
    pause(2.5);
    long clientWireGuardSent = lab.counted(Lab.CLIENT_NS, "fromwg");
    long serverWireGuardGot = lab.counted(Lab.SERVER_NS, "towg");
    long serverWireGuardSent = lab.counted(Lab.SERVER_NS, "fromwgs");
    long clientWireGuardGot = lab.counted(Lab.CLIENT_NS, "towgc");
    var client = Lab.api(Lab.CLIENT_WEB, "/api/v1/get-list", null).getJsonArray("interfaces");
    var server = Lab.api(Lab.SERVER_WEB, "/api/v1/get-list", null).getJsonArray("sockets");
    double lossyClient = entry(client, "name", "rgl-b0").getJsonObject("quality").getDouble("lossRatio");
    double cleanClientA = entry(client, "name", "rgl-a0").getJsonObject("quality").getDouble("lossRatio");
    double cleanClientC = entry(client, "name", "rgl-c0").getJsonObject("quality").getDouble("lossRatio");
    double lossyServer = entry(server, "address", "10.201.2.2:").getJsonObject("quality").getDouble("lossRatio");
    double cleanServer = entry(server, "address", "10.201.1.2:").getJsonObject("quality").getDouble("lossRatio");
    System.out.printf(Locale.ROOT, "[lab] 30%% loss on link b only: %s; lossRatio client side b %.3f, a %.3f, c %.3f; "
            + "server side b %.3f, a %.3f; datagrams client WireGuard sent %d, server WireGuard received %d; server "
            + "WireGuard sent %d, client WireGuard received %d%n", r.figures(), lossyClient, cleanClientA, cleanClientC,
        lossyServer, cleanServer, clientWireGuardSent, serverWireGuardGot, serverWireGuardSent, clientWireGuardGot);
    assertEquals(0, r.lost(), r.figures());
    assertEquals(0.3, lossyClient, 0.05, "the lossy link reads about 0.3 at the client");
    assertEquals(0.3, lossyServer, 0.05, "and at the server");
    assertTrue(cleanClientA < 0.02 && cleanClientC < 0.02 && cleanServer < 0.02, "the clean links read about 0");
    assertEquals(clientWireGuardSent, serverWireGuardGot, "the server's WireGuard receives each datagram once");
    assertEquals(serverWireGuardSent, clientWireGuardGot, "the client's WireGuard receives each datagram once");
  }

  @Test
  @Order(11)
  void aPlainUdpStreamArrivesOnceWithTheDuplicateFilter() throws Exception {
    String original = java.nio.file.Files.readString(lab.configFile());
    try {
      lab.editConfig(yml -> yml.replace("  dstAddr: \"127.0.0.1:59301\"", "  dstAddr: \"127.0.0.1:59999\"\n"
          + "  wireGuardFilter: false").replace("  listenAddr: \"127.0.0.1:59401\"", "  listenAddr: \"127.0.0.1:59401\"\n"
          + "  wireGuardFilter: false"));
      pause(2.5);
      Process receiver = lab.java(Lab.SERVER_NS, UdpTool.class.getName(), "receive", "59999", "7");
      pause(1);
      Process sender = lab.java(Lab.CLIENT_NS, UdpTool.class.getName(), "send", "127.0.0.1", "59401", "2000", "500",
          "172");
      sender.waitFor();
      String got = new String(receiver.getInputStream().readAllBytes()).trim();
      receiver.waitFor();
      System.out.println("[lab] a plain UDP stream (RTP-like, 2000 datagrams at 500/s) over three links with the "
          + "duplicate filter: " + got);
      var m = java.util.regex.Pattern.compile("received (\\d+) distinct (\\d+) duplicates (\\d+)").matcher(got);
      assertTrue(m.find(), got);
      assertEquals(0, Long.parseLong(m.group(3)), "no duplicate reaches the receiver: " + got);
      assertEquals(2000, Long.parseLong(m.group(2)), "every datagram arrives: " + got);
    } finally {
      java.nio.file.Files.writeString(lab.configFile(), original);
      pause(2.5);
    }
  }

  @Test
  @Order(12)
  void aSecondaryAddressDoesNotMoveTheLinkOffThePrimary() throws Exception {
    String logBefore = lab.clientLog();
    Shell.run("ip", "-n", Lab.CLIENT_NS, "addr", "add", "10.201.1.9/24", "dev", "rgl-a0");
    try {
      pause(POLL_SECONDS + 0.5);
      var a = entry(Lab.api(Lab.CLIENT_WEB, "/api/v1/get-list", null).getJsonArray("interfaces"), "name", "rgl-a0");
      System.out.println("[lab] secondary 10.201.1.9 added to rgl-a0: senderAddress " + a.getString("senderAddress"));
      assertEquals("10.201.1.2", a.getString("senderAddress"), "the primary address stays the link's source");
      assertFalse(lab.clientLog().substring(logBefore.length()).contains("Interface 'rgl-a0' "), "no re-creation");
    } finally {
      Shell.run("ip", "-n", Lab.CLIENT_NS, "addr", "del", "10.201.1.9/24", "dev", "rgl-a0");
    }
  }

  /**
   * Datagrams of every size and shape, from many source ports, thrown at the client's listen socket and at the
   * server's during a ping: WireGuard's address stays put, none of the relays' sockets overflows, the relays deliver
   * every WireGuard datagram that reaches them (tunnel loss), the ping loses nothing that the kernel did not drop
   * outside the relays, both programs stay up, and what they refused is counted.
   */
  @Test
  @Order(13)
  void aDatagramFuzzerAtBothEndsCostsTheTunnelNothing() throws Exception {
    // WireGuard first: an earlier test ran with wireGuardFilter off, where the latest sender of anything (its UDP
    // tool) is WireGuard's address until WireGuard itself sends again. Then a wait: get-list serves the document of
    // the last once-a-second build (CI failed twice on a read taken at once), and the relays judge a missing counter
    // 2 s after a higher one passed it, so the baselines below hold what that ping and anything earlier did.
    String heldBefore = Lab.api(Lab.CLIENT_WEB, "/api/v1/get-list", null).getJsonObject("dispatcher")
        .getString("wireGuardAddress");
    PingResult before = Lab.finish(lab.startPing(50));
    pause(STATUS_SETTLES);
    java.util.Set<Integer> wireGuardPorts = Lab.clientWireGuardSocketPorts();
    var dispatcherBefore = Lab.api(Lab.CLIENT_WEB, "/api/v1/get-list", null).getJsonObject("dispatcher");
    String wireGuard = dispatcherBefore.getString("wireGuardAddress");
    System.out.println("[lab] fuzzer test: wireguard-go's sockets are on ports " + wireGuardPorts + "; the client "
        + "held " + heldBefore + " before a first ping, " + wireGuard + " after it");
    assertTrue(wireGuard != null && wireGuard.startsWith("127.0.0.1:")
        && wireGuardPorts.contains(Integer.parseInt(wireGuard.substring("127.0.0.1:".length()))),
        "WireGuard's address before the fuzzers, after a ping (" + before.figures() + "): " + wireGuard
        + ", wireguard-go's ports " + wireGuardPorts);
    long serverLostBefore = serverTunnelLost();
    long clientLostBefore = clientTunnelLost();
    KernelDrops dropsBefore = KernelDrops.now(Lab.CLIENT_NS, Lab.SERVER_NS);
    Process ping = lab.startPing(1200);
    Process atClient = lab.java(Lab.CLIENT_NS, Fuzzer.class.getName(), "127.0.0.1", "59401", "20000", "64", "1");
    Process atServer = lab.java(Lab.CLIENT_NS, Fuzzer.class.getName(), "10.201.1.1", Integer.toString(Lab.RELAY_PORT),
        "20000", "64", "2");
    String saidClient = new String(atClient.getInputStream().readAllBytes()).trim();
    String saidServer = new String(atServer.getInputStream().readAllBytes()).trim();
    atClient.waitFor();
    atServer.waitFor();
    PingResult r = Lab.finish(ping);
    pause(STATUS_SETTLES);
    var client = Lab.api(Lab.CLIENT_WEB, "/api/v1/get-list", null);
    var server = Lab.api(Lab.SERVER_WEB, "/api/v1/get-list", null);
    long clientRefused = client.getJsonObject("dispatcher").getLong("refusedOnListen");
    long serverRefused = server.getLong("refusedDatagrams");
    var dispatcher = client.getJsonObject("dispatcher");
    long serverTunnelLost = serverTunnelLost(server) - serverLostBefore;
    long clientTunnelLost = clientTunnelLost(client) - clientLostBefore;
    long tunnelLost = serverTunnelLost + clientTunnelLost;
    KernelDrops dropsAfter = KernelDrops.now(Lab.CLIENT_NS, Lab.SERVER_NS);
    // Outside the relays: WireGuard's own sockets, the interfaces (veth, loopback, tun) and the CPUs' input backlog
    // that all of them share with the fuzzers' fragments. Every other UDP socket in the two namespaces is ours.
    java.util.function.Predicate<String> outside = key -> key.equals("backlog") || key.endsWith(" rx")
        || key.endsWith(" tx") || key.startsWith(Lab.SERVER_NS + " ") && key.endsWith(":" + Lab.WG_SERVER_PORT)
        || key.startsWith(Lab.CLIENT_NS + " ")
        && wireGuardPorts.contains(Integer.parseInt(key.substring(key.lastIndexOf(':') + 1)));
    long dropsOutside = dropsAfter.grewOn(dropsBefore, outside);
    long dropsOurs = dropsAfter.grewOn(dropsBefore, outside.negate());
    System.out.println("[lab] datagram fuzzer (20000 at the client's listen socket, 20000 at the server's, 64 source "
        + "ports each, 0-65507 bytes, random and WireGuard-shaped) during a ping: " + r.figures() + "; " + saidClient
        + " / " + saidServer + "; refused: client " + clientRefused + ", server " + serverRefused
        + "; server socketFailures " + server.getLong("socketFailures") + ", addresses " + server.getLong("addresses")
        + "; tunnel loss: server " + serverTunnelLost + ", client " + clientTunnelLost + " (server's peers now: "
        + serverTunnelLoss(server) + ")" + "; kernel drops: " + dropsAfter.since(dropsBefore) + "; lost: "
        + r.missing());
    assertEquals(wireGuard, dispatcher.getString("wireGuardAddress"), "no fuzzer took WireGuard's address");
    assertEquals(dispatcherBefore.getLong("wireGuardMoves"), dispatcher.getLong("wireGuardMoves"),
        "WireGuard's address never moved");
    assertEquals(0, dropsOurs, "the fuzzers overflowed none of the relays' sockets");
    // A ping lost with no kernel drop outside the relays is the relays' (or wireguard-go's, which nothing here
    // counts): the test fails. Pings lost where the kernel dropped as many packets outside them, on the sockets and
    // queues the fuzzers' 64 KiB datagrams crowd on these 2 cores, are printed and allowed. (CI once lost 1 of 1,200
    // here before these figures existed; 12 runs by hand lost none and saw no drop anywhere.)
    assertTrue(r.lost() <= dropsOutside, "every lost ping had a kernel drop outside the relays: " + r.figures()
        + "; drops outside " + dropsOutside);
    assertTrue(tunnelLost <= dropsOutside, "the relays delivered every WireGuard datagram that reached them: tunnel "
        + "loss " + tunnelLost + ", drops outside " + dropsOutside);
    // The fuzzers' two JVMs share the 2 cores with everything else: a bound that catches a stall, not a timing.
    assertTrue(r.longestGapMillis() < 1000, "no stall of the tunnel: " + r.figures());
    assertTrue(clientRefused > 0 && serverRefused > 0, "both count what they refused");
    assertTrue(lab.processAlive("client") && lab.processAlive("server"), "both programs are still running");
    var statuses = Lab.statuses();
    for (String l : Lab.LINKS) {
      assertEquals("active", statuses.get(Lab.clientSide(l)), "link " + l + " stays up: " + statuses);
    }
  }

  /**
   * A link whose every send fails keeps asking to be re-created, and the watcher re-creates it at most once per
   * back-off (1 s doubling): over 12 s that is about four times (1, 2, 4, 8 s apart), never once and then stuck,
   * never every second. The other links carry the tunnel meanwhile.
   */
  @Test
  @Order(14)
  void aLinkWhoseEverySendFailsIsRecreatedWithBackOff() throws Exception {
    String logBefore = lab.clientLog();
    Process ping = lab.startPing(1200);
    lab.allSendsFailOn("b");
    pause(12);
    lab.clearFaults();
    PingResult r = Lab.finish(ping);
    String during = lab.clientLog().substring(logBefore.length());
    long recreations = during.lines()
        .filter(l -> l.contains("Error writing to '" + Lab.clientSide("b") + "', re-creating socket")).count();
    System.out.println("[lab] every send of link b fails (EPERM) for 12 s: " + r.figures() + "; link b re-created "
        + recreations + " times");
    assertTrue(recreations >= 3 && recreations <= 6, "re-created with a doubling back-off, not " + recreations);
    assertEquals(0, r.lost(), r.figures());
    assertTrue(r.longestGapMillis() < GAP_BOUND_MILLIS, "the other links carry on without a stall: " + r.figures());
  }

  /**
   * The tunnel's own loss figure, from WireGuard's counters: 0 on a clean run, and the server's count of the
   * client's datagrams no link delivered follows the ping's loss when every link is cut for two seconds.
   */
  @Test
  @Order(15)
  void tunnelLossReadsZeroWhenCleanAndTracksThePingWhenAllLinksAreCut() throws Exception {
    long serverBefore = serverTunnelLost();
    long clientBefore = clientTunnelLost();
    PingResult clean = Lab.finish(lab.startPing(300));
    long serverClean = serverTunnelLost() - serverBefore;
    long clientClean = clientTunnelLost() - clientBefore;
    Process ping = lab.startPing(600);
    pause(2);
    for (String l : Lab.LINKS) {
      lab.setLink(l, false);
    }
    pause(2);
    for (String l : Lab.LINKS) {
      lab.setLink(l, true);
    }
    PingResult cut = Lab.finish(ping);
    pause(3);
    long serverCut = serverTunnelLost() - serverBefore - serverClean;
    long clientCut = clientTunnelLost() - clientBefore - clientClean;
    System.out.println("[lab] tunnel loss on a clean run: " + clean.figures() + "; tunnel loss: server "
        + serverClean + ", client " + clientClean);
    System.out.println("[lab] tunnel loss with every link cut for 2 s: " + cut.figures() + "; tunnel loss: server "
        + "(the client's datagrams no link delivered) " + serverCut + ", client " + clientCut);
    assertEquals(0, clean.lost(), clean.figures());
    assertEquals(0, serverClean + clientClean, "a clean run loses nothing in the tunnel");
    assertTrue(Math.abs(serverCut - cut.lost()) <= Math.max(10, cut.lost() / 5),
        "the server's tunnel loss " + serverCut + " follows the ping's " + cut.lost());
  }

  /**
   * A fourth link with IPv6 only, to the server's IPv6 address on it (the server listens on [::] for both families):
   * with the three IPv4 links cut during a ping, the tunnel runs on it alone and loses nothing; the API shows the
   * link's addresses in brackets.
   */
  @Test
  @Order(16)
  void anIpv6OnlyLinkCarriesTheTunnelWhenEveryIpv4LinkIsCut() throws Exception {
    String link = Lab.clientSide(Lab.LINK6);
    lab.setLink(Lab.LINK6, true);
    assertTrue(within(POLL_SECONDS * 4, () -> {
      var e = Lab.clientInterface(link);
      return e != null && "active".equals(e.getString("status"));
    }), "the IPv6 link becomes active: " + Lab.clientInterface(link));
    var entry = Lab.clientInterface(link);
    assertEquals(Lab.CLIENT_LINK6_ADDRESS, entry.getString("senderAddress"), entry.encode());
    assertEquals("[" + Lab.SERVER_LINK6_ADDRESS + "]:" + Lab.RELAY_PORT, entry.getString("dstAddress"), entry.encode());
    pause(1);
    Process ping = lab.startPing(600);
    pause(1.5);
    for (String l : Lab.LINKS) {
      lab.setLink(l, false);
    }
    pause(3);
    for (String l : Lab.LINKS) {
      lab.setLink(l, true);
    }
    PingResult r = Lab.finish(ping);
    report("IPv4 links a, b, c cut at 1.5 s for 3 s, the IPv6 link left", r);
    String members = Lab.api(Lab.SERVER_WEB, "/api/v1/get-list", null).getJsonArray("sockets").encode();
    System.out.println("[lab] the server's client addresses with the IPv6 link: " + members);
    assertEquals(0, r.lost(), r.figures());
    assertTrue(r.longestGapMillis() < GAP_BOUND_MILLIS, r.figures());
    assertTrue(members.contains("[" + Lab.CLIENT_LINK6_ADDRESS + "]:"), "the server shows the IPv6 client address in "
        + "brackets: " + members);
  }

  /**
   * One of three links alters a byte inside every WireGuard payload it carries, both ways (engarde's duplicate-free
   * peers would not notice; a filter that knew copies by index and counter alone let the altered copy win and dropped
   * the genuine ones: 100% loss when that link was the fastest). The altered copies are forwarded beside the genuine
   * ones, WireGuard keeps the genuine, and the altered ones are counted against the link.
   */
  @Test
  @Order(17)
  void aLinkThatAltersEveryPayloadCostsTheTunnelNothing() throws Exception {
    lab.alterPayloadsOn("a");
    PingResult r = Lab.finish(lab.startPing(500));
    long altered = lab.preroutingCount(Lab.SERVER_NS) + lab.preroutingCount(Lab.CLIENT_NS);
    var server = Lab.api(Lab.SERVER_WEB, "/api/v1/get-list", null).getJsonArray("sockets");
    long serverAltered = 0;
    for (int i = 0; i < server.size(); i++) {
      var a = server.getJsonObject(i);
      if (a.getString("address").startsWith("10.201.1.")) {
        serverAltered += a.getJsonObject("quality").getJsonObject("total").getLong("altered", 0L);
      }
    }
    report("link a alters byte 40 of every payload both ways (" + altered + " datagrams altered); the server counted "
        + serverAltered + " altered copies on it", r);
    assertTrue(altered > 0, "the rule altered datagrams");
    assertEquals(0, r.lost(), r.figures());
    assertTrue(serverAltered > 0, "the altered copies are counted against link a");
  }

  private static long serverTunnelLost() throws Exception {
    return serverTunnelLost(Lab.api(Lab.SERVER_WEB, "/api/v1/get-list", null));
  }

  private static long serverTunnelLost(JsonObject serverStatus) {
    var peers = serverStatus.getJsonArray("peers");
    long lost = 0;
    for (int i = 0; i < peers.size(); i++) {
      lost += peers.getJsonObject(i).getJsonObject("tunnelLoss").getJsonObject("total").getLong("lost");
    }
    return lost;
  }

  private static String serverTunnelLoss(JsonObject serverStatus) {
    var peers = serverStatus.getJsonArray("peers");
    StringBuilder b = new StringBuilder();
    int silent = 0;
    for (int i = 0; i < peers.size(); i++) {
      var loss = peers.getJsonObject(i).getJsonObject("tunnelLoss");
      if (loss.getJsonObject("total").getLong("received") == 0) {
        silent++;
      } else {
        b.append(loss.encode()).append(' ');
      }
    }
    return b.append("and ").append(silent).append(" with no transport datagram").toString();
  }

  private static long clientTunnelLost() throws Exception {
    return clientTunnelLost(Lab.api(Lab.CLIENT_WEB, "/api/v1/get-list", null));
  }

  private static long clientTunnelLost(JsonObject clientStatus) {
    return clientStatus.getJsonObject("dispatcher").getJsonObject("tunnelLoss").getJsonObject("total").getLong("lost");
  }
}
