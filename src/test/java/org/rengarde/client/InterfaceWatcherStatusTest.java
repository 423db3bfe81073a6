package org.rengarde.client;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
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
import org.rengarde.config.DstOverride;
import org.rengarde.config.HostPort;
import org.rengarde.config.WebManagerConfig;
import org.rengarde.config.WriteTimeout;
import org.rengarde.testing.UdpPeer;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Interface Watcher's part of get-list, as engarde gives it: every interface, those without an address idle, and
 * {@code dstAddress} the configured destination string (the override's or dstAddr) for active and idle interfaces.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class InterfaceWatcherStatusTest {
  private Vertx vertx;
  private UdpPeer server;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    server = new UdpPeer();
  }

  @AfterEach
  void tearDown(VertxTestContext test) {
    server.close();
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private static InterfaceInfo realInterface() throws Exception {
    for (InterfaceInfo i : new SystemInterfaces().list()) {
      if (i.up() && i.eligibleAddress() != null) {
        return i;
      }
    }
    assumeTrue(false, "no interface here is UP with an IPv4 address outside 127/8 and 169.254/16");
    return null;
  }

  private static JsonObject entry(JsonObject status, String name) {
    JsonArray all = status.getJsonArray("interfaces");
    for (int i = 0; i < all.size(); i++) {
      if (name.equals(all.getJsonObject(i).getString("name"))) {
        return all.getJsonObject(i);
      }
    }
    throw new AssertionError(name + " not listed: " + status);
  }

  @Test
  void dstAddressIsTheConfiguredStringForActiveAndIdleInterfacesAndEmptyWhenExcluded(VertxTestContext test)
      throws Exception {
    InterfaceInfo real = realInterface();
    // a host name: shown as written, never as the address it resolves to
    HostPort dst = new HostPort("localhost", server.port());
    HostPort override = new HostPort("vpn.example.org", 59402);
    List<InterfaceInfo> seen = List.of(real,
        new InterfaceInfo("ifb9", 90, false, List.of()),
        new InterfaceInfo("wg9", 91, true, List.of(InetAddress.getByName("10.9.0.2"))));
    ClientConfig config = new ClientConfig("status test", new HostPort("127.0.0.1", 1), dst,
        WriteTimeout.fromConfigured(0), Set.of("wg9"), Map.of(), List.of(new DstOverride("ifb9", override)),
        WebManagerConfig.OFF, 100);
    vertx.deployVerticle(new InterfaceWatcher(BusAddresses.DEFAULT, config, () -> seen, null)).onComplete(test.succeeding(id -> {
      Thread t = new Thread(() -> {
        try {
          JsonObject status = untilActive(real.name());
          test.verify(() -> {
            assertEquals("localhost:" + server.port(), entry(status, real.name()).getString("dstAddress"));
            JsonObject ifb9 = entry(status, "ifb9");
            assertEquals("idle", ifb9.getString("status"), "an interface without an address is listed idle");
            assertEquals("", ifb9.getString("senderAddress"));
            assertEquals("vpn.example.org:59402", ifb9.getString("dstAddress"), "the override's string, unresolved");
            JsonObject wg9 = entry(status, "wg9");
            assertEquals("excluded", wg9.getString("status"));
            assertEquals("", wg9.getString("dstAddress"));
          });
          test.completeNow();
        } catch (Throwable e) {
          test.failNow(e);
        }
      }, "scenario");
      t.setDaemon(true);
      t.start();
    }));
  }

  private JsonObject untilActive(String name) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonObject status;
    do {
      status = (JsonObject) vertx.eventBus().request(BusAddresses.DEFAULT.clientStatus(), null).await(5, TimeUnit.SECONDS).body();
      if ("active".equals(entry(status, name).getString("status"))) {
        return status;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < end);
    throw new AssertionError(name + " never became active: " + status);
  }
}
