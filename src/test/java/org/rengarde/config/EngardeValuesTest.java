package org.rengarde.config;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values engarde's decoder (Go's yaml.v2) takes, read from YAML text as {@link EngardeYamlProcessor} hands them
 * over: each is accepted with engarde's meaning, a doubtful one with one warning naming its key.
 */
class EngardeValuesTest {
  private static final String FILE = "engarde.yml";
  private static final String CLIENT = "client:\n  listenAddr: 127.0.0.1:59401\n  dstAddr: 198.51.100.1:59402\n";
  private static final String SERVER = "server:\n  listenAddr: 0.0.0.0:59402\n  dstAddr: 127.0.0.1:59301\n";

  private static ConfigParser.Parsed<ClientConfig> client(String lines) throws ConfigException {
    return ConfigParser.client(FILE, EngardeYamlProcessor.read(CLIENT + lines));
  }

  private static ConfigParser.Parsed<ServerConfig> server(String lines) throws ConfigException {
    return ConfigParser.server(FILE, EngardeYamlProcessor.read(SERVER + lines));
  }

  private static String clientError(String lines) {
    return assertThrows(ConfigException.class, () -> client(lines)).getMessage();
  }

  private static String serverError(String lines) {
    return assertThrows(ConfigException.class, () -> server(lines)).getMessage();
  }

  @Nested
  class StringsKeepTheirText {
    @Test
    void passwordWithALeadingZero() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  webManager:\n    listenAddr: 127.0.0.1:9001\n"
          + "    username: admin\n    password: 0123\n");
      assertEquals("0123", parsed.config().webManager().password());
      assertEquals(List.of(), parsed.warnings());
    }

    @Test
    void descriptionYes() throws ConfigException {
      assertEquals("yes", client("  description: yes\n").config().description());
    }

    @Test
    void descriptionThatLooksLikeAFloat() throws ConfigException {
      assertEquals("1.50", server("  description: 1.50\n").config().description());
    }

    @Test
    void descriptionThatLooksLikeADate() throws ConfigException {
      assertEquals("2024-01-01", server("  description: 2024-01-01\n").config().description());
    }

    @Test
    void descriptionAsBinary() throws ConfigException {
      assertEquals("hello", server("  description: !!binary aGVsbG8=\n").config().description());
    }

    @Test
    void descriptionNullIsEmpty() throws ConfigException {
      assertEquals("", server("  description: ~\n").config().description());
    }

    @Test
    void quotedTildeIsText() throws ConfigException {
      assertEquals("~", server("  description: \"~\"\n").config().description());
    }

    @Test
    void labelThatLooksOctal() throws ConfigException {
      assertEquals("010", client("  interfaceLabels:\n    eth0: 010\n").config().labelOf("eth0"));
    }

    @Test
    void labelNullIsEmpty() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  interfaceLabels:\n    eth0:\n");
      assertEquals("", parsed.config().labelOf("eth0"));
      assertEquals(List.of(), parsed.warnings());
    }

    @Test
    void interfaceNameThatIsANumber() throws ConfigException {
      assertEquals(Set.of("1234"), client("  excludedInterfaces: [1234]\n").config().excludedInterfaces());
    }

    @Test
    void mergeKeysStillWork() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = ConfigParser.client(FILE, EngardeYamlProcessor.read(
          "common: &c\n  dstAddr: 198.51.100.1:59402\n  writeTimeout: 20\n"
              + "client:\n  <<: *c\n  listenAddr: 127.0.0.1:59401\n"));
      assertEquals(new HostPort("198.51.100.1", 59402), parsed.config().dstAddr());
      assertEquals(new WriteTimeout(20), parsed.config().writeTimeout());
    }
  }

  @Nested
  class WriteTimeoutForms {
    @Test
    void aFloatIsCutToWholeMilliseconds() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  writeTimeout: 10.5\n");
      assertEquals(new WriteTimeout(10), parsed.config().writeTimeout());
      assertEquals(List.of("engarde.yml: client.writeTimeout: 10.5 is not a whole number of milliseconds; using 10"),
          parsed.warnings());
    }

    @Test
    void aFloatBelowOneIsZeroSoTheDefault() throws ConfigException {
      ConfigParser.Parsed<ServerConfig> parsed = server("  writeTimeout: 0.5\n");
      assertEquals(new WriteTimeout(10), parsed.config().writeTimeout());
      assertEquals(List.of("engarde.yml: server.writeTimeout: 0.5 is not a whole number of milliseconds; using 0"),
          parsed.warnings());
    }

    @Test
    void aDurationIsTakenAtItsWord() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  writeTimeout: \"10ms\"\n");
      assertEquals(new WriteTimeout(10), parsed.config().writeTimeout());
      assertEquals(List.of("engarde.yml: client.writeTimeout: 10ms taken as 10 ms; engarde would wait 10000000 ms, "
          + "as it counts this key in milliseconds: write 10 for both"), parsed.warnings());
    }

    @Test
    void aDurationUnquoted() throws ConfigException {
      assertEquals(new WriteTimeout(2000), server("  writeTimeout: 2s\n").config().writeTimeout());
    }

    @Test
    void aDurationOfSeveralUnits() throws ConfigException {
      assertEquals(new WriteTimeout(62_500), server("  writeTimeout: 1m2.5s\n").config().writeTimeout());
    }

    @Test
    void aDurationWithAFractionOfAMillisecond() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  writeTimeout: 1.5ms\n");
      assertEquals(new WriteTimeout(1), parsed.config().writeTimeout());
      assertEquals(List.of("engarde.yml: client.writeTimeout: 1.5ms taken as 1 ms (whole milliseconds within 32 bits); "
          + "engarde would wait 1500000 ms, as it counts this key in milliseconds: write 1 for both"), parsed.warnings());
    }

    @Test
    void aDurationBelowAMillisecondIsOne() throws ConfigException {
      assertEquals(new WriteTimeout(1), client("  writeTimeout: 500us\n").config().writeTimeout());
      assertEquals(new WriteTimeout(1), client("  writeTimeout: 500\u00b5s\n").config().writeTimeout());
    }

    @Test
    void aNegativeDurationDisablesAsInEngarde() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  writeTimeout: -5ms\n");
      assertFalse(parsed.config().writeTimeout().enabled());
      assertEquals(List.of(), parsed.warnings());
    }

    @Test
    void aZeroDurationIsTheDefault() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  writeTimeout: 0s\n");
      assertEquals(new WriteTimeout(10), parsed.config().writeTimeout());
      assertEquals(List.of(), parsed.warnings());
    }

    @Test
    void aLongDurationThatOverflowsInEngarde() throws ConfigException {
      ConfigParser.Parsed<ServerConfig> parsed = server("  writeTimeout: 3h\n");
      assertEquals(new WriteTimeout(10_800_000), parsed.config().writeTimeout());
      assertEquals(List.of("engarde.yml: server.writeTimeout: 3h taken as 10800000 ms; engarde's deadline would "
          + "overflow and fail every send: write 10800000 for both"), parsed.warnings());
    }

    @Test
    void aDurationBeyond64BitsIsAnError() {
      assertEquals("engarde.yml: client.writeTimeout: expected a whole number of milliseconds (or a duration like "
          + "10ms), got \"3000000h\"", clientError("  writeTimeout: 3000000h\n"));
    }

    @Test
    void aDurationWithAnUnknownUnitIsAnError() {
      assertEquals("engarde.yml: client.writeTimeout: expected a whole number of milliseconds (or a duration like "
          + "10ms), got \"10 parsecs\"", clientError("  writeTimeout: 10 parsecs\n"));
    }

    @Test
    void hexadecimal() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  writeTimeout: 0x14\n");
      assertEquals(new WriteTimeout(20), parsed.config().writeTimeout());
      assertEquals(List.of(), parsed.warnings());
    }

    @Test
    void aLeadingZeroIsOctal() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  writeTimeout: 010\n");
      assertEquals(new WriteTimeout(8), parsed.config().writeTimeout());
      assertEquals(List.of("engarde.yml: client.writeTimeout: 010 has a leading 0, which makes it octal in YAML 1.1 "
          + "(as in engarde); using 8"), parsed.warnings());
    }

    @Test
    void goOctalPrefix() throws ConfigException {
      assertEquals(new WriteTimeout(15), client("  writeTimeout: 0o17\n").config().writeTimeout());
    }

    @Test
    void binaryPrefix() throws ConfigException {
      assertEquals(new WriteTimeout(5), client("  writeTimeout: 0b101\n").config().writeTimeout());
    }

    @Test
    void underscores() throws ConfigException {
      assertEquals(new WriteTimeout(1000), client("  writeTimeout: 1_000\n").config().writeTimeout());
    }

    @Test
    void exponent() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  writeTimeout: 1e3\n");
      assertEquals(new WriteTimeout(1000), parsed.config().writeTimeout());
      assertEquals(List.of(), parsed.warnings());
    }

    @Test
    void beyond32BitsIsTheLargestInt() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  writeTimeout: 5000000000\n");
      assertEquals(new WriteTimeout(Integer.MAX_VALUE), parsed.config().writeTimeout());
      assertEquals(List.of("engarde.yml: client.writeTimeout: 5000000000 milliseconds is beyond 32 bits; using "
          + "2147483647"), parsed.warnings());
    }

    @Test
    void minusInfinityDisables() throws ConfigException {
      assertFalse(client("  writeTimeout: -.inf\n").config().writeTimeout().enabled());
    }

    @Test
    void infinityIsAnError() {
      assertEquals("engarde.yml: client.writeTimeout: expected a whole number of milliseconds within 64 bits, got "
          + "\".inf\"", clientError("  writeTimeout: .inf\n"));
    }

    @Test
    void aQuotedNumberIsStillTaken() throws ConfigException {
      assertEquals(new WriteTimeout(20), client("  writeTimeout: \"20\"\n").config().writeTimeout());
    }
  }

  @Nested
  class ClientTimeoutForms {
    @Test
    void negativeIsTheDefaultWithAWarning() throws ConfigException {
      ConfigParser.Parsed<ServerConfig> parsed = server("  clientTimeout: -1\n");
      assertEquals(30, parsed.config().clientTimeoutSeconds());
      assertEquals(List.of("engarde.yml: server.clientTimeout: -1 is negative, which in engarde times every client "
          + "out at once; using the default 30"), parsed.warnings());
    }

    @Test
    void aFloatIsCutToWholeSeconds() throws ConfigException {
      ConfigParser.Parsed<ServerConfig> parsed = server("  clientTimeout: 30.9\n");
      assertEquals(30, parsed.config().clientTimeoutSeconds());
      assertEquals(List.of("engarde.yml: server.clientTimeout: 30.9 is not a whole number of seconds; using 30"),
          parsed.warnings());
    }

    @Test
    void beyond32BitsIsTheLargestInt() throws ConfigException {
      ConfigParser.Parsed<ServerConfig> parsed = server("  clientTimeout: 9999999999\n");
      assertEquals(Integer.MAX_VALUE, parsed.config().clientTimeoutSeconds());
      assertEquals(List.of("engarde.yml: server.clientTimeout: 9999999999 seconds is beyond 32 bits; using "
          + "2147483647"), parsed.warnings());
    }

    @Test
    void aDurationIsAnErrorAsInEngarde() {
      assertEquals("engarde.yml: server.clientTimeout: expected a whole number of seconds, got \"30s\"",
          serverError("  clientTimeout: 30s\n"));
    }

    @Test
    void aBooleanIsAnErrorAsInEngarde() {
      assertEquals("engarde.yml: server.clientTimeout: expected a whole number of seconds, got \"yes\"",
          serverError("  clientTimeout: yes\n"));
    }
  }

  @Nested
  class ListEntries {
    @Test
    void anEmptyInterfaceNameIsIgnored() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  excludedInterfaces: [\"\", eth0]\n");
      assertEquals(Set.of("eth0"), parsed.config().excludedInterfaces());
      assertEquals(List.of("engarde.yml: client.excludedInterfaces[0]: empty entry ignored"), parsed.warnings());
    }

    @Test
    void anItemWithNoValueIsIgnored() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  excludedInterfaces:\n    - wg0\n    -\n");
      assertEquals(Set.of("wg0"), parsed.config().excludedInterfaces());
      assertEquals(List.of("engarde.yml: client.excludedInterfaces[1]: empty entry ignored"), parsed.warnings());
    }

    @Test
    void aBlankInterfaceNameIsIgnored() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  excludedInterfaces: [\"  \"]\n");
      assertEquals(Set.of(), parsed.config().excludedInterfaces());
      assertEquals(List.of("engarde.yml: client.excludedInterfaces[0]: empty entry ignored"), parsed.warnings());
    }

    @Test
    void aListOfNothingIsEmpty() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  excludedInterfaces:\n  dstOverrides:\n");
      assertEquals(Set.of(), parsed.config().excludedInterfaces());
      assertEquals(List.of(), parsed.config().dstOverrides());
      assertEquals(List.of(), parsed.warnings());
    }

    @Test
    void anEmptyOverrideIsIgnored() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  dstOverrides:\n    -\n"
          + "    - ifName: eth1\n      dstAddr: 10.0.0.1:59402\n");
      assertEquals(List.of(new DstOverride("eth1", new HostPort("10.0.0.1", 59402))), parsed.config().dstOverrides());
      assertEquals(List.of("engarde.yml: client.dstOverrides[0]: empty entry ignored"), parsed.warnings());
    }

    @Test
    void anOverrideWithoutIfNameIsIgnored() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  dstOverrides:\n    - dstAddr: 10.0.0.1:59402\n");
      assertEquals(List.of(), parsed.config().dstOverrides());
      assertEquals(List.of("engarde.yml: client.dstOverrides[0].ifName: missing, so this entry applies to no "
          + "interface; ignored"), parsed.warnings());
    }

    @Test
    void anOverrideWithoutDstAddrIsStillAnError() {
      assertEquals("engarde.yml: client.dstOverrides[0].dstAddr: required key is missing (expected host:port)",
          clientError("  dstOverrides:\n    - ifName: eth1\n"));
    }

    @Test
    void aListInsideTheListIsAnErrorAsInEngarde() {
      assertEquals("engarde.yml: client.excludedInterfaces[0]: expected an interface name, got [\"a\"]",
          clientError("  excludedInterfaces: [[a]]\n"));
    }
  }

  @Nested
  class OtherForms {
    @Test
    void booleansInYaml11Forms() throws ConfigException {
      ClientConfig c = client("  duplicateFilter: no\n  wireGuardFilter: off\n").config();
      assertFalse(c.duplicateFilter());
      assertFalse(c.wireGuardFilter());
      ServerConfig s = server("  duplicateFilter: y\n  wireGuardFilter: Yes\n").config();
      assertTrue(s.duplicateFilter());
      assertTrue(s.wireGuardFilter());
    }

    @Test
    void webManagerNullIsOff() throws ConfigException {
      assertFalse(client("  webManager: ~\n").config().webManager().enabled());
    }

    @Test
    void pollIntervalWithAFraction() throws ConfigException {
      ConfigParser.Parsed<ClientConfig> parsed = client("  pollInterval: 250.5\n");
      assertEquals(250, parsed.config().pollIntervalMillis());
      assertEquals(List.of("engarde.yml: client.pollInterval: 250.5 is not a whole number of milliseconds; using 250"),
          parsed.warnings());
    }

    @Test
    void anAddressThatIsAMapIsAnErrorAsInEngarde() {
      assertEquals("engarde.yml: server.listenAddr: expected host:port, got {\"a\":\"1\"}",
          assertThrows(ConfigException.class, () -> ConfigParser.server(FILE, EngardeYamlProcessor.read(
              "server:\n  listenAddr: {a: 1}\n  dstAddr: 127.0.0.1:59301\n"))).getMessage());
    }
  }
}
