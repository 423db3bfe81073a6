package org.rengarde.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The YAML document as vertx-config hands it over (lists as JsonArray, maps as JsonObject, ints as Integer). */
class ConfigParserTest {
  private static final String FILE = "engarde.yml";

  private static JsonObject minimalClient() {
    return new JsonObject().put("listenAddr", "127.0.0.1:59401").put("dstAddr", "203.0.113.7:59402");
  }

  private static JsonObject minimalServer() {
    return new JsonObject().put("listenAddr", "0.0.0.0:59402").put("dstAddr", "127.0.0.1:59301");
  }

  private static ConfigParser.Parsed<ClientConfig> client(JsonObject section) throws ConfigException {
    return ConfigParser.client(FILE, new JsonObject().put("client", section));
  }

  private static ConfigParser.Parsed<ServerConfig> server(JsonObject section) throws ConfigException {
    return ConfigParser.server(FILE, new JsonObject().put("server", section));
  }

  private static ConfigException clientError(JsonObject section) {
    return assertThrows(ConfigException.class, () -> client(section));
  }

  private static ConfigException serverError(JsonObject section) {
    return assertThrows(ConfigException.class, () -> server(section));
  }

  private static void assertOneLine(ConfigException e) {
    assertFalse(e.getMessage().contains("\n"), () -> "more than one line: " + e.getMessage());
    assertTrue(e.getMessage().startsWith(FILE + ": "), () -> "file not named first: " + e.getMessage());
  }

  @Nested
  class EngardeSample {
    private JsonObject sample() {
      return new JsonObject()
          .put("client", new JsonObject()
              .put("description", "My engarde client")
              .put("listenAddr", "127.0.0.1:59401")
              .put("dstAddr", "198.51.100.1:59402")
              .put("writeTimeout", 10)
              .put("excludedInterfaces", new JsonArray().add("wg0"))
              .put("dstOverrides", new JsonArray()
                  .add(new JsonObject().put("ifName", "wlan0").put("dstAddr", "198.51.100.2:59402")))
              .put("webManager", new JsonObject()
                  .put("listenAddr", "0.0.0.0:9001")
                  .put("username", "engarde")
                  .put("password", "engarde")))
          .put("server", new JsonObject()
              .put("description", "My engarde server")
              .put("listenAddr", "0.0.0.0:59402")
              .put("dstAddr", "127.0.0.1:59301")
              .put("clientTimeout", 30)
              .put("writeTimeout", 10)
              .put("webManager", new JsonObject()
                  .put("listenAddr", "0.0.0.0:9002")
                  .put("username", "engarde")
                  .put("password", "engarde")));
    }

    @Test
    void clientSectionParsesToEveryValue() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = ConfigParser.client(FILE, sample());
      ClientConfig c = parsed.config();
      assertEquals(new ClientConfig("My engarde client",
          new HostPort("127.0.0.1", 59401),
          new HostPort("198.51.100.1", 59402),
          new WriteTimeout(10),
          Set.of("wg0"),
          Map.of(),
          List.of(new DstOverride("wlan0", new HostPort("198.51.100.2", 59402))),
          new WebManagerConfig(new HostPort("0.0.0.0", 9001), "engarde", "engarde", List.of()),
          1000), c);
      assertEquals(List.of(), parsed.warnings());
    }

    @Test
    void serverSectionParsesToEveryValue() throws ConfigException {
      ConfigParser.Parsed<ServerConfig> parsed = ConfigParser.server(FILE, sample());
      assertEquals(new ServerConfig("My engarde server",
          new HostPort("0.0.0.0", 59402),
          new HostPort("127.0.0.1", 59301),
          30,
          new WriteTimeout(10),
          new WebManagerConfig(new HostPort("0.0.0.0", 9002), "engarde", "engarde", List.of()),
          true), parsed.config());
      assertEquals(List.of(), parsed.warnings());
    }

    @Test
    void sampleWebManagerAsksForBasicAuth() throws ConfigException {
      WebManagerConfig web = ConfigParser.client(FILE, sample()).config().webManager();
      assertTrue(web.enabled());
      assertTrue(web.authRequired());
    }
  }

  @Nested
  class ClientKeys {
    @Test
    void description() throws ConfigException {
      assertEquals("laptop", client(minimalClient().put("description", "laptop")).config().description());
    }

    @Test
    void descriptionDefaultsToEmpty() throws ConfigException {
      assertEquals("", client(minimalClient()).config().description());
    }

    @Test
    void listenAddr() throws ConfigException {
      assertEquals(new HostPort("127.0.0.1", 59401), client(minimalClient()).config().listenAddr());
    }

    @Test
    void dstAddrMayBeAHostName() throws ConfigException {
      assertEquals(new HostPort("vpn.example.org", 59402),
          client(minimalClient().put("dstAddr", "vpn.example.org:59402")).config().dstAddr());
    }

    @Test
    void writeTimeoutAsConfigured() throws ConfigException {
      assertEquals(new WriteTimeout(25), client(minimalClient().put("writeTimeout", 25)).config().writeTimeout());
    }

    @Test
    void excludedInterfaces() throws ConfigException {
      assertEquals(Set.of("wg0", "lo"),
          client(minimalClient().put("excludedInterfaces", new JsonArray().add("wg0").add("lo")))
              .config().excludedInterfaces());
    }

    @Test
    void excludedInterfacesDefaultsToNone() throws ConfigException {
      assertEquals(Set.of(), client(minimalClient()).config().excludedInterfaces());
    }

    @Test
    void interfaceLabels() throws ConfigException {
      ClientConfig c = client(minimalClient().put("interfaceLabels",
          new JsonObject().put("eth0", "Fibre").put("wwan0", "LTE"))).config();
      assertEquals(Map.of("eth0", "Fibre", "wwan0", "LTE"), c.interfaceLabels());
    }

    @Test
    void labelOfUnlabelledInterfaceIsEmpty() throws ConfigException {
      ClientConfig c = client(minimalClient().put("interfaceLabels", new JsonObject().put("eth0", "Fibre"))).config();
      assertEquals("Fibre", c.labelOf("eth0"));
      assertEquals("", c.labelOf("eth1"));
    }

    @Test
    void dstOverrides() throws ConfigException {
      ClientConfig c = client(minimalClient().put("dstOverrides", new JsonArray()
          .add(new JsonObject().put("ifName", "eth1").put("dstAddr", "10.2.0.1:59402")))).config();
      assertEquals(List.of(new DstOverride("eth1", new HostPort("10.2.0.1", 59402))), c.dstOverrides());
    }

    @Test
    void pollInterval() throws ConfigException {
      assertEquals(250, client(minimalClient().put("pollInterval", 250)).config().pollIntervalMillis());
    }

    @Test
    void pollIntervalDefaultsToOneSecond() throws ConfigException {
      assertEquals(1000, client(minimalClient()).config().pollIntervalMillis());
    }

    @Test
    void pollIntervalBelowRangeIsAnError() {
      ConfigException e = clientError(minimalClient().put("pollInterval", 10));
      assertEquals("engarde.yml: client.pollInterval: 10 ms is out of range 50-60000", e.getMessage());
    }

    @Test
    void pollIntervalAboveRangeIsAnError() {
      ConfigException e = clientError(minimalClient().put("pollInterval", 60_001));
      assertEquals("engarde.yml: client.pollInterval: 60001 ms is out of range 50-60000", e.getMessage());
    }

    @Test
    void bindToDeviceDefaultsToOn() throws ConfigException {
      assertTrue(client(minimalClient()).config().bindToDevice());
    }

    @Test
    void bindToDeviceCanBeTurnedOff() throws ConfigException {
      assertFalse(client(minimalClient().put("bindToDevice", false)).config().bindToDevice());
    }

    @Test
    void bindToDeviceMustBeABoolean() {
      ConfigException e = clientError(minimalClient().put("bindToDevice", "sometimes"));
      assertEquals("engarde.yml: client.bindToDevice: expected true or false, got \"sometimes\"", e.getMessage());
    }

    @Test
    void minimalClientHasNoWarnings() throws ConfigException {
      assertEquals(List.of(), client(minimalClient()).warnings());
    }
  }

  @Nested
  class ServerKeys {
    @Test
    void description() throws ConfigException {
      assertEquals("vps", server(minimalServer().put("description", "vps")).config().description());
    }

    @Test
    void descriptionDefaultsToEmpty() throws ConfigException {
      assertEquals("", server(minimalServer()).config().description());
    }

    @Test
    void listenAddrWithoutHostMeansEveryAddress() throws ConfigException {
      assertEquals(new HostPort("0.0.0.0", 59402),
          server(minimalServer().put("listenAddr", ":59402")).config().listenAddr());
    }

    @Test
    void dstAddr() throws ConfigException {
      assertEquals(new HostPort("127.0.0.1", 59301), server(minimalServer()).config().dstAddr());
    }

    @Test
    void clientTimeoutAsConfigured() throws ConfigException {
      assertEquals(90, server(minimalServer().put("clientTimeout", 90)).config().clientTimeoutSeconds());
    }

    @Test
    void clientTimeoutDefaultsTo30WhenAbsent() throws ConfigException {
      assertEquals(30, server(minimalServer()).config().clientTimeoutSeconds());
    }

    @Test
    void clientTimeoutDefaultsTo30WhenZero() throws ConfigException {
      assertEquals(30, server(minimalServer().put("clientTimeout", 0)).config().clientTimeoutSeconds());
    }

    @Test
    void negativeClientTimeoutIsTheDefaultWithAWarning() throws ConfigException {
      ConfigParser.Parsed<ServerConfig> parsed = server(minimalServer().put("clientTimeout", -5));
      assertEquals(30, parsed.config().clientTimeoutSeconds());
      assertEquals(List.of("engarde.yml: server.clientTimeout: -5 is negative, which in engarde times every client "
          + "out at once; using the default 30"), parsed.warnings());
    }

    @Test
    void writeTimeoutAsConfigured() throws ConfigException {
      assertEquals(new WriteTimeout(50), server(minimalServer().put("writeTimeout", 50)).config().writeTimeout());
    }

    @Test
    void webManager() throws ConfigException {
      WebManagerConfig web = server(minimalServer().put("webManager",
          new JsonObject().put("listenAddr", "127.0.0.1:9002"))).config().webManager();
      assertEquals(new WebManagerConfig(new HostPort("127.0.0.1", 9002), "", "", List.of()), web);
    }

    @Test
    void wireGuardFilterDefaultsToOn() throws ConfigException {
      assertTrue(server(minimalServer()).config().wireGuardFilter());
    }

    @Test
    void wireGuardFilterCanBeTurnedOff() throws ConfigException {
      assertFalse(server(minimalServer().put("wireGuardFilter", false)).config().wireGuardFilter());
    }

    @Test
    void wireGuardFilterMustBeABoolean() {
      ConfigException e = serverError(minimalServer().put("wireGuardFilter", "maybe"));
      assertEquals("engarde.yml: server.wireGuardFilter: expected true or false, got \"maybe\"", e.getMessage());
    }

    @Test
    void minimalServerHasNoWarnings() throws ConfigException {
      assertEquals(List.of(), server(minimalServer()).warnings());
    }
  }

  @Nested
  class WriteTimeoutDefaults {
    @Test
    void absentMeansTenMillis() throws ConfigException {
      assertEquals(new WriteTimeout(10), client(minimalClient()).config().writeTimeout());
    }

    @Test
    void zeroMeansTenMillis() throws ConfigException {
      assertEquals(new WriteTimeout(10), client(minimalClient().put("writeTimeout", 0)).config().writeTimeout());
    }

    @Test
    void zeroMeansTenMillisOnTheServerToo() throws ConfigException {
      assertEquals(new WriteTimeout(10), server(minimalServer().put("writeTimeout", 0)).config().writeTimeout());
    }

    @Test
    void negativeDisables() throws ConfigException {
      WriteTimeout t = client(minimalClient().put("writeTimeout", -1)).config().writeTimeout();
      assertFalse(t.enabled());
      assertEquals("disabled", t.toString());
    }

    @Test
    void positiveIsEnabled() {
      WriteTimeout t = WriteTimeout.fromConfigured(10);
      assertTrue(t.enabled());
      assertEquals("10 ms", t.toString());
    }

    @Test
    void numericStringIsAccepted() throws ConfigException {
      assertEquals(new WriteTimeout(20), client(minimalClient().put("writeTimeout", "20")).config().writeTimeout());
    }

    @Test
    void sendQueueIs64KiBPerTenMillis() {
      assertEquals(64 * 1024, WriteTimeout.fromConfigured(10).sendQueueBytes());
      assertEquals(64 * 1024, WriteTimeout.fromConfigured(5).sendQueueBytes());
      assertEquals(3 * 64 * 1024, WriteTimeout.fromConfigured(30).sendQueueBytes());
    }

    @Test
    void sendQueueIsAtMostFourMiB() {
      assertEquals(4 * 1024 * 1024, WriteTimeout.fromConfigured(10_000).sendQueueBytes());
    }

    @Test
    void disabledSendQueueIsFourMiB() {
      assertEquals(4 * 1024 * 1024, WriteTimeout.fromConfigured(-1).sendQueueBytes());
    }
  }

  @Nested
  class WebManagerSwitch {
    @Test
    void offWhenAbsent() throws ConfigException {
      WebManagerConfig web = client(minimalClient()).config().webManager();
      assertSame(WebManagerConfig.OFF, web);
      assertFalse(web.enabled());
    }

    @Test
    void offWhenListenAddrEmpty() throws ConfigException {
      WebManagerConfig web = client(minimalClient().put("webManager", new JsonObject()
          .put("listenAddr", "").put("username", "u").put("password", "p"))).config().webManager();
      assertFalse(web.enabled());
    }

    @Test
    void offWhenListenAddrAbsent() throws ConfigException {
      WebManagerConfig web = client(minimalClient().put("webManager", new JsonObject().put("username", "u")))
          .config().webManager();
      assertFalse(web.enabled());
    }

    @Test
    void onWhenListenAddrSet() throws ConfigException {
      WebManagerConfig web = client(minimalClient().put("webManager",
          new JsonObject().put("listenAddr", "0.0.0.0:9001"))).config().webManager();
      assertTrue(web.enabled());
      assertEquals(new HostPort("0.0.0.0", 9001), web.listenAddr());
    }

    @Test
    void noAuthWithoutCredentials() throws ConfigException {
      WebManagerConfig web = client(minimalClient().put("webManager",
          new JsonObject().put("listenAddr", "0.0.0.0:9001"))).config().webManager();
      assertFalse(web.authRequired());
    }

    @Test
    void noAuthWithUsernameOnly() throws ConfigException {
      WebManagerConfig web = client(minimalClient().put("webManager",
          new JsonObject().put("listenAddr", "0.0.0.0:9001").put("username", "engarde"))).config().webManager();
      assertFalse(web.authRequired());
    }

    @Test
    void noAuthWithPasswordOnly() throws ConfigException {
      WebManagerConfig web = client(minimalClient().put("webManager",
          new JsonObject().put("listenAddr", "0.0.0.0:9001").put("password", "engarde"))).config().webManager();
      assertFalse(web.authRequired());
    }

    @Test
    void authWithBoth() throws ConfigException {
      WebManagerConfig web = client(minimalClient().put("webManager", new JsonObject()
          .put("listenAddr", "0.0.0.0:9001").put("username", "engarde").put("password", "engarde")))
          .config().webManager();
      assertTrue(web.authRequired());
    }

    @Test
    void passwordIsHiddenInToString() throws ConfigException {
      WebManagerConfig web = client(minimalClient().put("webManager", new JsonObject()
          .put("listenAddr", "0.0.0.0:9001").put("username", "engarde").put("password", "s3cret")))
          .config().webManager();
      assertEquals("WebManagerConfig[listenAddr=0.0.0.0:9001, username=engarde, password=***, allowedHosts=[]]", web.toString());
    }

    @Test
    void badListenAddrIsAnErrorEvenThoughOptional() {
      ConfigException e = clientError(minimalClient().put("webManager", new JsonObject().put("listenAddr", "9001")));
      assertEquals("engarde.yml: client.webManager.listenAddr: \"9001\" is not host:port (no port)", e.getMessage());
    }

    @Test
    void allowedHostsDefaultToNone() throws ConfigException {
      WebManagerConfig web = client(minimalClient().put("webManager",
          new JsonObject().put("listenAddr", "127.0.0.1:9001"))).config().webManager();
      assertEquals(List.of(), web.allowedHosts());
    }

    @Test
    void allowedHostsAreLowerCaseWithoutATrailingDot() throws ConfigException {
      WebManagerConfig web = client(minimalClient().put("webManager", new JsonObject()
          .put("listenAddr", "127.0.0.1:9001")
          .put("allowedHosts", new JsonArray().add("Router.LAN").add("vpn-box.example.org.").add("my_router")
              .add("192.168.1.1").add("[FE80::1]"))))
          .config().webManager();
      assertEquals(List.of("router.lan", "vpn-box.example.org", "my_router", "192.168.1.1", "[fe80::1]"),
          web.allowedHosts());
    }

    @Test
    void allowedHostsMustBeAList() {
      ConfigException e = clientError(minimalClient().put("webManager", new JsonObject()
          .put("listenAddr", "127.0.0.1:9001").put("allowedHosts", "router.lan")));
      assertEquals("engarde.yml: client.webManager.allowedHosts: expected a list of names, got \"router.lan\"",
          e.getMessage());
    }

    @Test
    void allowedHostWithAPortSchemeOrPathIsAnError() {
      for (String bad : List.of("router.lan:9001", "http://router.lan", "router.lan/", "*.lan", "-bad.lan",
          "two words", "a..b")) {
        ConfigException e = clientError(minimalClient().put("webManager", new JsonObject()
            .put("listenAddr", "127.0.0.1:9001").put("allowedHosts", new JsonArray().add("ok.lan").add(bad))));
        assertEquals("engarde.yml: client.webManager.allowedHosts[1]: \"" + bad + "\" is not a host name (write the "
            + "name alone, like router.lan: no scheme, port or path)", e.getMessage());
        assertOneLine(e);
      }
    }

    @Test
    void allowedHostThatIsEmptyIsIgnoredWithAWarning() throws ConfigException {
      ConfigParser.Parsed<ServerConfig> parsed = server(minimalServer().put("webManager", new JsonObject()
          .put("listenAddr", "127.0.0.1:9002").put("allowedHosts", new JsonArray().add("").add("router.lan"))));
      assertEquals(List.of("router.lan"), parsed.config().webManager().allowedHosts());
      assertEquals(List.of("engarde.yml: server.webManager.allowedHosts[0]: empty entry ignored"), parsed.warnings());
    }

    @Test
    void allowedHostThatIsAMapIsAnError() {
      ConfigException e = serverError(minimalServer().put("webManager", new JsonObject()
          .put("listenAddr", "127.0.0.1:9002").put("allowedHosts", new JsonArray().add(new JsonObject()))));
      assertEquals("engarde.yml: server.webManager.allowedHosts[0]: expected a host name, got {}", e.getMessage());
    }

    @Test
    void webManagerNotAMapIsAnError() {
      ConfigException e = clientError(minimalClient().put("webManager", "0.0.0.0:9001"));
      assertEquals("engarde.yml: client.webManager: expected a map, got \"0.0.0.0:9001\"", e.getMessage());
    }
  }

  @Nested
  class Destinations {
    private ClientConfig withOverrides() throws ConfigException {
      return client(minimalClient().put("dstOverrides", new JsonArray()
          .add(new JsonObject().put("ifName", "eth1").put("dstAddr", "10.1.0.1:59402"))
          .add(new JsonObject().put("ifName", "eth2").put("dstAddr", "10.2.0.1:59402"))
          .add(new JsonObject().put("ifName", "eth1").put("dstAddr", "10.9.0.1:59402")))).config();
    }

    @Test
    void overriddenInterfaceGetsItsOwnDestination() throws ConfigException {
      assertEquals(new HostPort("10.2.0.1", 59402), withOverrides().destinationFor("eth2"));
    }

    @Test
    void firstMatchWins() throws ConfigException {
      assertEquals(new HostPort("10.1.0.1", 59402), withOverrides().destinationFor("eth1"));
    }

    @Test
    void otherInterfacesGetDstAddr() throws ConfigException {
      assertEquals(new HostPort("203.0.113.7", 59402), withOverrides().destinationFor("wlan0"));
    }

    @Test
    void interfaceNamesAreCaseSensitive() throws ConfigException {
      assertEquals(new HostPort("203.0.113.7", 59402), withOverrides().destinationFor("ETH1"));
    }
  }

  @Nested
  class UnknownKeys {
    @Test
    void unknownServerKeyIsReported() throws ConfigException {
      assertEquals(List.of("engarde.yml: unknown key server.bogus ignored"),
          server(minimalServer().put("bogus", 1)).warnings());
    }

    /** Found by ConfigParserProperties. */
    @Test
    void anUnknownKeyWithALineBreakIsReportedOnOneLine() throws ConfigException {
      assertEquals(List.of("engarde.yml: unknown key client.a\\nb ignored"),
          client(minimalClient().put("a\nb", "x")).warnings());
    }

    @Test
    void unknownClientKeyIsReported() throws ConfigException {
      assertEquals(List.of("engarde.yml: unknown key client.bogus ignored"),
          client(minimalClient().put("bogus", "x")).warnings());
    }

    @Test
    void keysAreCaseSensitive() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client(minimalClient().put("writetimeout", 50));
      assertEquals(List.of("engarde.yml: unknown key client.writetimeout ignored"), parsed.warnings());
      assertEquals(new WriteTimeout(10), parsed.config().writeTimeout());
    }

    @Test
    void unknownWebManagerKeyNamesTheFullPath() throws ConfigException {
      assertEquals(List.of("engarde.yml: unknown key client.webManager.realm ignored"),
          client(minimalClient().put("webManager", new JsonObject()
              .put("listenAddr", "0.0.0.0:9001").put("realm", "x"))).warnings());
    }

    @Test
    void unknownKeyInDisabledWebManagerIsReported() throws ConfigException {
      assertEquals(List.of("engarde.yml: unknown key server.webManager.realm ignored"),
          server(minimalServer().put("webManager", new JsonObject().put("realm", "x"))).warnings());
    }

    @Test
    void unknownDstOverrideKeyNamesTheEntry() throws ConfigException {
      assertEquals(List.of("engarde.yml: unknown key client.dstOverrides[1].weight ignored"),
          client(minimalClient().put("dstOverrides", new JsonArray()
              .add(new JsonObject().put("ifName", "eth1").put("dstAddr", "10.1.0.1:59402"))
              .add(new JsonObject().put("ifName", "eth2").put("dstAddr", "10.2.0.1:59402").put("weight", 2))))
              .warnings());
    }

    @Test
    void clientKeyInServerSectionIsUnknown() throws ConfigException {
      assertEquals(List.of("engarde.yml: unknown key server.excludedInterfaces ignored"),
          server(minimalServer().put("excludedInterfaces", new JsonArray().add("wg0"))).warnings());
    }

    @Test
    void serverKeyInClientSectionIsUnknown() throws ConfigException {
      assertEquals(List.of("engarde.yml: unknown key client.clientTimeout ignored"),
          client(minimalClient().put("clientTimeout", 30)).warnings());
    }

    @Test
    void everyUnknownKeyGetsItsOwnWarning() throws ConfigException {
      assertEquals(2, server(minimalServer().put("one", 1).put("two", 2)).warnings().size());
    }

    @Test
    void otherSectionIsIgnored() throws ConfigException {
      JsonObject root = new JsonObject().put("client", minimalClient())
          .put("server", new JsonObject().put("anything", "goes"));
      assertEquals(List.of(), ConfigParser.client(FILE, root).warnings());
    }
  }

  @Nested
  class Errors {
    @Test
    void missingClientSection() {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ConfigParser.client(FILE, new JsonObject().put("server", minimalServer())));
      assertEquals("engarde.yml: no client: section in engarde.yml", e.getMessage());
    }

    @Test
    void missingServerSection() {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ConfigParser.server(FILE, new JsonObject().put("client", minimalClient())));
      assertEquals("engarde.yml: no server: section in engarde.yml", e.getMessage());
    }

    @Test
    void emptyDocumentHasNoSection() {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.client(FILE, new JsonObject()));
      assertEquals("engarde.yml: no client: section in engarde.yml", e.getMessage());
    }

    @Test
    void nullDocumentHasNoSection() {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.server(FILE, null));
      assertEquals("engarde.yml: no server: section in engarde.yml", e.getMessage());
    }

    @Test
    void sectionThatIsNotAMap() {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ConfigParser.server(FILE, new JsonObject().put("server", "yes")));
      assertEquals("engarde.yml: server: expected a map, got \"yes\"", e.getMessage());
    }

    @Test
    void missingListenAddr() {
      ConfigException e = clientError(new JsonObject().put("dstAddr", "203.0.113.7:59402"));
      assertEquals("engarde.yml: client.listenAddr: required key is missing (expected host:port)", e.getMessage());
    }

    @Test
    void missingDstAddr() {
      ConfigException e = serverError(new JsonObject().put("listenAddr", "0.0.0.0:59402"));
      assertEquals("engarde.yml: server.dstAddr: required key is missing (expected host:port)", e.getMessage());
    }

    @Test
    void blankRequiredAddressCountsAsMissing() {
      ConfigException e = clientError(minimalClient().put("dstAddr", "  "));
      assertEquals("engarde.yml: client.dstAddr: required key is missing (expected host:port)", e.getMessage());
    }

    @Test
    void addressWithoutPort() {
      ConfigException e = clientError(minimalClient().put("dstAddr", "vpn.example.org"));
      assertEquals("engarde.yml: client.dstAddr: \"vpn.example.org\" is not host:port (no port)", e.getMessage());
    }

    @Test
    void addressWithNonNumericPort() {
      ConfigException e = serverError(minimalServer().put("listenAddr", "0.0.0.0:http"));
      assertEquals("engarde.yml: server.listenAddr: \"0.0.0.0:http\" is not host:port (port \"http\" is not a number)",
          e.getMessage());
    }

    @Test
    void portAboveRange() {
      ConfigException e = serverError(minimalServer().put("dstAddr", "127.0.0.1:65536"));
      assertEquals("engarde.yml: server.dstAddr: \"127.0.0.1:65536\" has port 65536 out of range 1-65535",
          e.getMessage());
    }

    @Test
    void portZero() {
      ConfigException e = clientError(minimalClient().put("listenAddr", "127.0.0.1:0"));
      assertEquals("engarde.yml: client.listenAddr: \"127.0.0.1:0\" has port 0 out of range 1-65535", e.getMessage());
    }

    @Test
    void addressThatIsANumber() {
      ConfigException e = clientError(minimalClient().put("listenAddr", 59401));
      assertEquals("engarde.yml: client.listenAddr: expected host:port, got 59401", e.getMessage());
    }

    @Test
    void writeTimeoutNotANumber() {
      ConfigException e = clientError(minimalClient().put("writeTimeout", "abc"));
      assertEquals("engarde.yml: client.writeTimeout: expected a whole number of milliseconds (or a duration like "
          + "10ms), got \"abc\"", e.getMessage());
    }

    @Test
    void writeTimeoutThatIsABoolean() {
      ConfigException e = serverError(minimalServer().put("writeTimeout", true));
      assertEquals("engarde.yml: server.writeTimeout: expected a whole number of milliseconds, got true",
          e.getMessage());
    }

    @Test
    void clientTimeoutNotANumber() {
      ConfigException e = serverError(minimalServer().put("clientTimeout", "30s"));
      assertEquals("engarde.yml: server.clientTimeout: expected a whole number of seconds, got \"30s\"",
          e.getMessage());
    }

    @Test
    void pollIntervalBeyond32Bits() {
      ConfigException e = clientError(minimalClient().put("pollInterval", 5_000_000_000L));
      assertEquals("engarde.yml: client.pollInterval: 5000000000 ms is out of range 50-60000", e.getMessage());
    }

    @Test
    void integerBeyond64Bits() {
      ConfigException e = serverError(minimalServer().put("clientTimeout", "9223372036854775808"));
      assertEquals("engarde.yml: server.clientTimeout: expected a whole number of seconds within 64 bits, got "
          + "\"9223372036854775808\"", e.getMessage());
    }

    @Test
    void notANumberIsAnError() {
      ConfigException e = serverError(minimalServer().put("clientTimeout", ".nan"));
      assertEquals("engarde.yml: server.clientTimeout: expected a whole number of seconds within 64 bits, got "
          + "\".nan\"", e.getMessage());
    }

    @Test
    void excludedInterfacesNotAList() {
      ConfigException e = clientError(minimalClient().put("excludedInterfaces", "wg0"));
      assertEquals("engarde.yml: client.excludedInterfaces: expected a list of names, got \"wg0\"", e.getMessage());
    }


    @Test
    void excludedInterfacesWithAMap() {
      ConfigException e = clientError(minimalClient().put("excludedInterfaces",
          new JsonArray().add(new JsonObject().put("name", "wg0"))));
      assertEquals("engarde.yml: client.excludedInterfaces[0]: expected an interface name, got {\"name\":\"wg0\"}",
          e.getMessage());
    }

    @Test
    void interfaceLabelsNotAMap() {
      ConfigException e = clientError(minimalClient().put("interfaceLabels", new JsonArray().add("eth0")));
      assertEquals("engarde.yml: client.interfaceLabels: expected a map of interface name to label, got [\"eth0\"]",
          e.getMessage());
    }

    @Test
    void interfaceLabelThatIsAList() {
      ConfigException e = clientError(minimalClient().put("interfaceLabels",
          new JsonObject().put("eth0", new JsonArray().add("a"))));
      assertEquals("engarde.yml: client.interfaceLabels.eth0: expected a label, got [\"a\"]", e.getMessage());
    }

    @Test
    void dstOverridesNotAList() {
      ConfigException e = clientError(minimalClient().put("dstOverrides",
          new JsonObject().put("ifName", "eth1").put("dstAddr", "10.1.0.1:59402")));
      assertEquals("engarde.yml: client.dstOverrides: expected a list of maps, got "
          + "{\"ifName\":\"eth1\",\"dstAddr\":\"10.1.0.1:59402\"}", e.getMessage());
    }

    @Test
    void dstOverrideEntryNotAMap() {
      ConfigException e = clientError(minimalClient().put("dstOverrides", new JsonArray().add("eth1")));
      assertEquals("engarde.yml: client.dstOverrides[0]: expected a map, got \"eth1\"", e.getMessage());
    }


    @Test
    void dstOverrideWithoutDstAddr() {
      ConfigException e = clientError(minimalClient().put("dstOverrides", new JsonArray()
          .add(new JsonObject().put("ifName", "eth1").put("dstAddr", "10.1.0.1:59402"))
          .add(new JsonObject().put("ifName", "eth2"))));
      assertEquals("engarde.yml: client.dstOverrides[1].dstAddr: required key is missing (expected host:port)",
          e.getMessage());
    }

    @Test
    void dstOverrideWithBadDstAddr() {
      ConfigException e = clientError(minimalClient().put("dstOverrides", new JsonArray()
          .add(new JsonObject().put("ifName", "eth1").put("dstAddr", "10.1.0.1:99999"))));
      assertEquals("engarde.yml: client.dstOverrides[0].dstAddr: \"10.1.0.1:99999\" has port 99999 out of range 1-65535",
          e.getMessage());
    }

    @Test
    void descriptionThatIsAMap() {
      ConfigException e = serverError(minimalServer().put("description", new JsonObject().put("a", 1)));
      assertEquals("engarde.yml: server.description: expected a string, got {\"a\":1}", e.getMessage());
    }

    /** Found by ConfigParserProperties: a YAML !!set has no JSON form, and quoting it failed with an exception. */
    @Test
    void aListHoldingAYamlSetIsRefusedLikeAnyOtherValue() {
      ConfigException e = serverError(minimalServer().put("description",
          new JsonArray().add(new java.util.LinkedHashSet<>(List.of("a")))));
      assertEquals("engarde.yml: server.description: expected a string, got a list holding a set or a date",
          e.getMessage());
    }

    @Test
    void aLabelKeyWithALineBreakIsNamedOnOneLine() {
      ConfigException e = clientError(minimalClient().put("interfaceLabels",
          new JsonObject().put("eth\n0", new JsonArray())));
      assertEquals("engarde.yml: client.interfaceLabels.eth\\n0: expected a label, got []", e.getMessage());
    }

    @Test
    void everyErrorIsOneLineStartingWithTheFile() {
      List<JsonObject> bad = List.of(
          minimalClient().put("listenAddr", "nope"),
          minimalClient().put("writeTimeout", "abc"),
          minimalClient().put("excludedInterfaces", 3),
          minimalClient().put("dstOverrides", new JsonArray().add(new JsonObject().put("ifName", "eth1"))),
          minimalClient().put("webManager", new JsonObject().put("listenAddr", "[::1:9001")),
          new JsonObject());
      for (JsonObject section : bad) {
        assertOneLine(clientError(section));
      }
    }
  }

  @Nested
  class HostPortParsing {
    private HostPort parse(String value) throws ConfigException {
      return HostPort.parse("f: k", value);
    }

    @Test
    void ipv4() throws ConfigException {
      assertEquals(new HostPort("127.0.0.1", 59401), parse("127.0.0.1:59401"));
    }

    @Test
    void bracketedIpv6() throws ConfigException {
      assertEquals(new HostPort("::1", 59402), parse("[::1]:59402"));
    }

    @Test
    void ipv6PrintsWithBrackets() {
      assertEquals("[::1]:59402", new HostPort("::1", 59402).toString());
    }

    @Test
    void ipv4PrintsPlain() {
      assertEquals("10.0.0.1:80", new HostPort("10.0.0.1", 80).toString());
    }

    @Test
    void emptyHostMeansEveryAddress() throws ConfigException {
      assertEquals(new HostPort("0.0.0.0", 59402), parse(":59402"));
    }

    @Test
    void surroundingSpacesAreTrimmed() throws ConfigException {
      assertEquals(new HostPort("127.0.0.1", 59401), parse(" 127.0.0.1:59401 "));
    }

    @Test
    void highestPort() throws ConfigException {
      assertEquals(new HostPort("h", 65535), parse("h:65535"));
    }

    @Test
    void unbracketedIpv6IsAnError() {
      ConfigException e = assertThrows(ConfigException.class, () -> parse("::1:59402"));
      assertEquals("f: k: \"::1:59402\" is not host:port (write IPv6 addresses as [addr]:port)", e.getMessage());
    }

    @Test
    void emptyIsAnError() {
      ConfigException e = assertThrows(ConfigException.class, () -> parse(""));
      assertEquals("f: k: empty address, expected host:port", e.getMessage());
    }

    @Test
    void emptyPortIsAnError() {
      ConfigException e = assertThrows(ConfigException.class, () -> parse("127.0.0.1:"));
      assertEquals("f: k: \"127.0.0.1:\" is not host:port (port \"\" is not a number)", e.getMessage());
    }

    @Test
    void negativePortIsOutOfRange() {
      ConfigException e = assertThrows(ConfigException.class, () -> parse("127.0.0.1:-1"));
      assertEquals("f: k: \"127.0.0.1:-1\" has port -1 out of range 1-65535", e.getMessage());
    }

    @Test
    void resolveOfLiteralGivesTheAddress() {
      var a = new HostPort("127.0.0.1", 59401).resolve();
      assertFalse(a.isUnresolved());
      assertEquals("127.0.0.1", a.getAddress().getHostAddress());
      assertEquals(59401, a.getPort());
    }
  }

  @Test
  void parsedWarningsAreImmutable() throws ConfigException {
    List<String> warnings = client(minimalClient().put("x", 1)).warnings();
    assertThrows(UnsupportedOperationException.class, () -> warnings.add("y"));
  }

  @Test
  void absentOptionalListsGiveEmptyCollections() throws ConfigException {
    ClientConfig c = client(minimalClient()).config();
    assertEquals(List.of(), c.dstOverrides());
    assertEquals(Map.of(), c.interfaceLabels());
    assertNull(c.webManager().listenAddr());
  }
}
