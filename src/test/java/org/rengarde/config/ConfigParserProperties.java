package org.rengarde.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.api.Pair.of;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** The parser on generated documents: arbitrary ones, valid ones, and valid ones with one number out of range. */
class ConfigParserProperties {
  private static final String FILE = "engarde.yml";

  private interface Parse {
    ConfigParser.Parsed<?> run(JsonObject root) throws ConfigException;
  }

  /** Parses; a failure must be a one-line ConfigException that names the file first and then the section. */
  private static ConfigException refusal(Parse parse, JsonObject root, String section) {
    ConfigParser.Parsed<?> parsed;
    try {
      parsed = parse.run(root);
    } catch (ConfigException e) {
      assertOneLine(e.getMessage(), section);
      return e;
    } catch (RuntimeException e) {
      return fail("not a ConfigException: " + e, e);
    }
    parsed.warnings().forEach(w -> assertOneLine(w, section));
    return null;
  }

  private static void assertOneLine(String message, String section) {
    assertFalse(message.contains("\n") || message.contains("\r"), () -> "more than one line: " + message);
    assertTrue(message.startsWith(FILE + ": "), () -> "the file is not named first: " + message);
    assertTrue(message.contains(section), () -> "no key of " + section + " named: " + message);
  }

  @Test
  void anyClientDocumentIsParsedOrRefusedInOneLineNamingTheKey() {
    qt().withExamples(2000).forAll(ConfigTrees.document("client", ConfigTrees.CLIENT_KEYS, ConfigTrees.validClient()))
        .checkAssert(root -> refusal(r -> ConfigParser.client(FILE, r), root, "client"));
  }

  @Test
  void anyServerDocumentIsParsedOrRefusedInOneLineNamingTheKey() {
    qt().withExamples(2000).forAll(ConfigTrees.document("server", ConfigTrees.SERVER_KEYS, ConfigTrees.validServer()))
        .checkAssert(root -> refusal(r -> ConfigParser.server(FILE, r), root, "server"));
  }

  @Test
  void aValidClientSectionGivesItsRecordWithoutWarnings() throws Exception {
    qt().withExamples(500).forAll(ConfigTrees.validClient()).checkAssert(v -> {
      ConfigParser.Parsed<ClientConfig> parsed = parse(() -> ConfigParser.client(FILE,
          new JsonObject().put("client", v.section())));
      assertEquals(v.expected(), parsed.config());
      assertEquals(List.of(), parsed.warnings());
    });
  }

  @Test
  void aValidServerSectionGivesItsRecordWithoutWarnings() {
    qt().withExamples(500).forAll(ConfigTrees.validServer()).checkAssert(v -> {
      ConfigParser.Parsed<ServerConfig> parsed = parse(() -> ConfigParser.server(FILE,
          new JsonObject().put("server", v.section())));
      assertEquals(v.expected(), parsed.config());
      assertEquals(List.of(), parsed.warnings());
    });
  }

  private interface Step<T> {
    T run() throws ConfigException;
  }

  private static <T> T parse(Step<T> step) {
    try {
      return step.run();
    } catch (ConfigException e) {
      return fail(e.getMessage(), e);
    }
  }

  /** A number the key refuses, and the key path the refusal must name. */
  private record OutOfRange(String path, Function<JsonObject, JsonObject> put, String says) {
    @Override
    public String toString() {
      return path + " (" + says + ")";
    }
  }

  private static Gen<Integer> outside(int low, int high) {
    return Generate.frequency(of(1, integers().between(Integer.MIN_VALUE, low - 1)),
        of(1, integers().between(high + 1, Integer.MAX_VALUE)), of(1, Generate.pick(List.of(low - 1, high + 1))));
  }

  private static Gen<Long> beyond32Bits() {
    return Generate.frequency(of(1, longs().between(Long.MIN_VALUE, Integer.MIN_VALUE - 1L)),
        of(1, longs().between(Integer.MAX_VALUE + 1L, Long.MAX_VALUE)));
  }

  /** engarde refuses a number above 64 bits; one below is its lowest 64-bit number. */
  private static Gen<java.math.BigInteger> beyond64Bits() {
    return longs().between(1, Long.MAX_VALUE).map(n -> java.math.BigInteger.valueOf(Long.MAX_VALUE)
        .add(java.math.BigInteger.valueOf(n)));
  }

  private static Gen<OutOfRange> clientOutOfRange() {
    Gen<OutOfRange> poll = outside(50, 60_000).map(n -> new OutOfRange("client.pollInterval",
        s -> s.put("pollInterval", n), "out of range 50-60000"));
    Gen<OutOfRange> widePoll = beyond32Bits().map(n -> new OutOfRange("client.pollInterval",
        s -> s.put("pollInterval", n), "out of range 50-60000"));
    Gen<OutOfRange> wide = beyond64Bits().map(n -> new OutOfRange("client.writeTimeout",
        s -> s.put("writeTimeout", n), "within 64 bits"));
    Gen<OutOfRange> port = outside(1, 65535).zip(Generate.pick(List.of("listenAddr", "dstAddr")), (n, key) ->
        new OutOfRange("client." + key, s -> s.put(key, "127.0.0.1:" + n), "out of range 1-65535"));
    Gen<OutOfRange> override = outside(1, 65535).map(n -> new OutOfRange("client.dstOverrides[0].dstAddr",
        s -> s.put("dstOverrides", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("ifName", "eth0").put("dstAddr", "10.0.0.1:" + n))), "out of range 1-65535"));
    Gen<OutOfRange> web = outside(1, 65535).map(n -> new OutOfRange("client.webManager.listenAddr",
        s -> s.put("webManager", new JsonObject().put("listenAddr", "127.0.0.1:" + n)), "out of range 1-65535"));
    return Generate.oneOf(poll, widePoll, wide, port, override, web);
  }

  private static Gen<OutOfRange> serverOutOfRange() {
    Gen<OutOfRange> wide = beyond64Bits().zip(Generate.pick(List.of("clientTimeout", "writeTimeout")), (n, key) ->
        new OutOfRange("server." + key, s -> s.put(key, n), "within 64 bits"));
    Gen<OutOfRange> port = outside(1, 65535).zip(Generate.pick(List.of("listenAddr", "dstAddr")), (n, key) ->
        new OutOfRange("server." + key, s -> s.put(key, "[::1]:" + n), "out of range 1-65535"));
    return Generate.oneOf(wide, port);
  }

  private static void assertRefusedNaming(Parse parse, JsonObject root, String section, OutOfRange bad) {
    ConfigException e = refusal(parse, root, section);
    assertTrue(e != null, "accepted " + bad);
    assertTrue(e.getMessage().startsWith(FILE + ": " + bad.path() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(bad.says()), e.getMessage());
  }

  @Test
  void aClientNumberOutOfRangeIsRefusedNamingItsKey() {
    qt().withExamples(500).forAll(ConfigTrees.validClient(), clientOutOfRange()).checkAssert((v, bad) ->
        assertRefusedNaming(r -> ConfigParser.client(FILE, r),
            new JsonObject().put("client", bad.put().apply(v.section().copy())), "client", bad));
  }

  @Test
  void aServerNumberOutOfRangeIsRefusedNamingItsKey() {
    qt().withExamples(500).forAll(ConfigTrees.validServer(), serverOutOfRange()).checkAssert((v, bad) ->
        assertRefusedNaming(r -> ConfigParser.server(FILE, r),
            new JsonObject().put("server", bad.put().apply(v.section().copy())), "server", bad));
  }
}
