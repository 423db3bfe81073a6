package org.rengarde.client;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The status of interfaces that cannot reach an IPv6 server: idle, with the reason, and their addresses in the
 * form the page shows. The scripted interfaces get no link (no device of theirs exists here).
 */
@ExtendWith(VertxExtension.class)
class InterfaceWatcherIpv6Test {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void anIpv4OnlyInterfaceIsIdleForAnIpv6Server(VertxTestContext test) throws Exception {
    ClientConfig config = new ClientConfig("", new HostPort("::1", 59401), new HostPort("2001:db8::1", 59402),
        WriteTimeout.fromConfigured(0), Set.of(), Map.of(),
        List.of(new DstOverride("eth6", new HostPort("192.0.2.1", 59402))), WebManagerConfig.OFF,
        ClientConfig.DEFAULT_POLL_INTERVAL_MILLIS);
    List<InterfaceInfo> interfaces = List.of(
        new InterfaceInfo("eth5", 2, true, List.of(InetAddress.getByName("10.8.0.2"))),
        new InterfaceInfo("eth6", 3, true, List.of(InetAddress.getByName("2001:db8:6::2"))));
    vertx.deployVerticle(new InterfaceWatcher(BusAddresses.DEFAULT, config, () -> interfaces, null))
        .compose(id -> vertx.eventBus().<JsonObject>request(BusAddresses.DEFAULT.clientStatus(), null))
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          JsonObject status = reply.body();
          assertEquals("[::1]:59401", status.getString("listenAddress"));
          JsonArray list = status.getJsonArray("interfaces");
          JsonObject eth5 = list.getJsonObject(0);
          assertEquals("idle", eth5.getString("status"));
          assertEquals("10.8.0.2", eth5.getString("senderAddress"));
          assertEquals("no IPv6 address for the server [2001:db8::1]:59402", eth5.getString("error"));
          JsonObject eth6 = list.getJsonObject(1);
          assertEquals("2001:db8:6::2", eth6.getString("senderAddress"));
          assertEquals("no IPv4 address for the server 192.0.2.1:59402", eth6.getString("error"));
          test.completeNow();
        })));
  }
}
