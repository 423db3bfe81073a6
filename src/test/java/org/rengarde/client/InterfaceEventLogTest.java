package org.rengarde.client;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rengarde.bus.BusAddresses;
import org.rengarde.config.ClientConfig;
import org.rengarde.config.HostPort;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.config.WriteTimeout;
import org.rengarde.testing.LogLines;
import org.rengarde.testing.UdpPeer;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * engarde's log lines for interface events and listening, which users grep, from a real Interface Watcher and real
 * links: the interfaces it sees are scripted, but the one that carries a link is a real interface of this machine
 * with its real address, so the link's socket really binds to it. Each scenario blocks while it waits for a line,
 * so it runs on a thread of its own.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class InterfaceEventLogTest {
  private static final long WAIT_MILLIS = 5000;
  /** TEST-NET-2: an address no interface here has, so a socket cannot bind to it. */
  private static final String UNASSIGNED = "198.51.100.9";

  private final AtomicReference<List<InterfaceInfo>> seen = new AtomicReference<>(List.of());
  private Vertx vertx;
  private LogLines watcherLog;
  private LogLines linkLog;
  private UdpPeer server;

  private interface Scenario {
    void run() throws Exception;
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    watcherLog = LogLines.attach(InterfaceWatcher.class);
    linkLog = LogLines.attach(LinkVerticle.class);
    server = new UdpPeer();
  }

  @AfterEach
  void tearDown(VertxTestContext test) {
    watcherLog.close();
    linkLog.close();
    server.close();
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  /** An interface of this machine, UP, with an eligible address; the test is skipped where there is none. */
  private static InterfaceInfo realInterface() throws Exception {
    for (InterfaceInfo i : new SystemInterfaces().list()) {
      if (i.up() && i.eligibleAddress() != null) {
        return i;
      }
    }
    assumeTrue(false, "no interface here is UP with an IPv4 address outside 127/8 and 169.254/16");
    return null;
  }

  private static InterfaceInfo withAddress(InterfaceInfo i, String address) throws Exception {
    return new InterfaceInfo(i.name(), i.index(), i.up(), List.of(InetAddress.getByName(address)));
  }

  private void run(VertxTestContext test, InterfaceInfo real, Scenario scenario) {
    ClientConfig config = new ClientConfig("log test", new HostPort("127.0.0.1", 1),
        new HostPort(real.eligibleAddress().getHostAddress(), server.port()), WriteTimeout.fromConfigured(0),
        Set.of(), Map.of(), List.of(), WebManagerConfig.OFF, 100);
    vertx.deployVerticle(new InterfaceWatcher(BusAddresses.DEFAULT, config, seen::get, null)).onComplete(test.succeeding(id -> {
      Thread t = new Thread(() -> {
        try {
          scenario.run();
          test.completeNow();
        } catch (Throwable e) {
          test.failNow(e);
        }
      }, "scenario");
      t.setDaemon(true);
      t.start();
    }));
  }

  private void expect(LogLines log, String start) throws InterruptedException {
    expect(log, start, WAIT_MILLIS);
  }

  private static void expect(LogLines log, String start, long millis) throws InterruptedException {
    assertNotNull(log.awaitNext(start, millis), "no line starting \"" + start + "\" in " + log.lines());
  }

  private void exclusion(String action, String name) throws Exception {
    vertx.eventBus().request(BusAddresses.DEFAULT.exclusions(), new JsonObject().put("action", action).put("interface", name))
        .await(5, TimeUnit.SECONDS);
  }

  @Test
  void anInterfaceThatComesAndGoesLogsEngardesLines(VertxTestContext test) throws Exception {
    InterfaceInfo real = realInterface();
    String name = real.name();
    java.net.InetAddress address = real.eligibleAddress();
    run(test, real, () -> {
      seen.set(List.of(real));
      expect(linkLog, "New interface '" + name + "' with IP '" + address.getHostAddress() + "', adding it");
      seen.set(List.of());
      expect(watcherLog, "Interface '" + name + "' no longer exists, deleting it");
    });
  }

  @Test
  void exclusionLogsEngardesLine(VertxTestContext test) throws Exception {
    InterfaceInfo real = realInterface();
    String name = real.name();
    run(test, real, () -> {
      seen.set(List.of(real));
      expect(linkLog, "New interface '" + name + "'");
      exclusion("exclude", name);
      expect(watcherLog, "Interface '" + name + "' is now excluded, deleting it");
      exclusion("include", name);
      expect(linkLog, "New interface '" + name + "'");
    });
  }

  @Test
  void aChangedAddressLogsEngardesLineThenTheFailedSocket(VertxTestContext test) throws Exception {
    InterfaceInfo real = realInterface();
    String name = real.name();
    run(test, real, () -> {
      seen.set(List.of(real));
      expect(linkLog, "New interface '" + name + "'");
      seen.set(List.of(withAddress(real, UNASSIGNED)));
      expect(watcherLog, "Interface '" + name + "' changed address, re-creating socket");
      expect(watcherLog, "Can't create socket for address '" + UNASSIGNED + "' on interface '" + name
          + "', not using it");
    });
  }

  @Test
  void losingTheAddressIsAChangedAddressAsInEngarde(VertxTestContext test) throws Exception {
    InterfaceInfo real = realInterface();
    String name = real.name();
    run(test, real, () -> {
      seen.set(List.of(real));
      expect(linkLog, "New interface '" + name + "'");
      seen.set(List.of(new InterfaceInfo(name, real.index(), true, List.of())));
      expect(watcherLog, "Interface '" + name + "' changed address, re-creating socket");
    });
  }

  @Test
  void goingDownLogsALineOfEngardesShape(VertxTestContext test) throws Exception {
    InterfaceInfo real = realInterface();
    String name = real.name();
    run(test, real, () -> {
      seen.set(List.of(real));
      expect(linkLog, "New interface '" + name + "'");
      seen.set(List.of(new InterfaceInfo(name, real.index(), false, real.addresses())));
      expect(watcherLog, "Interface '" + name + "' is down, deleting it");
    });
  }

  @Test
  void anUnresolvableDestinationLogsEngardesLine(VertxTestContext test) throws Exception {
    InterfaceInfo real = realInterface();
    ClientConfig config = new ClientConfig("log test", new HostPort("127.0.0.1", 1),
        new HostPort("no-such-host.invalid", 59402), WriteTimeout.fromConfigured(0), Set.of(), Map.of(), List.of(),
        WebManagerConfig.OFF, 100);
    seen.set(List.of(real));
    vertx.deployVerticle(new InterfaceWatcher(BusAddresses.DEFAULT, config, seen::get, null)).onComplete(test.succeeding(id -> {
      Thread t = new Thread(() -> {
        try {
          expect(watcherLog, "Can't resolve destination address 'no-such-host.invalid:59402' for interface '"
              + real.name() + "', not using it", 20_000);
          test.completeNow();
        } catch (Throwable e) {
          test.failNow(e);
        }
      }, "scenario");
      t.setDaemon(true);
      t.start();
    }));
  }

  @Test
  void theDispatcherLogsListeningOn(VertxTestContext test) throws Exception {
    int port;
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    LogLines dispatcherLog = LogLines.attach(Dispatcher.class);
    vertx.deployVerticle(new Dispatcher(BusAddresses.DEFAULT, new HostPort("127.0.0.1", port), 64 * 1024, true))
        .onComplete(test.succeeding(id -> test.verify(() -> {
          assertNotNull(dispatcherLog.awaitNext("Listening on 127.0.0.1:" + port, 0), dispatcherLog.lines()
              .toString());
          dispatcherLog.close();
          test.completeNow();
        })));
  }
}
