package org.rengarde.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.api.Pair.of;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * The file as the user writes it, through vertx-config's YAML reader: any text is loaded or refused with one line
 * naming the file and a line or a key, and a valid configuration written as YAML gives its record. Each example
 * waits for its own load, on the test thread (a property checks one example at a time).
 */
@ExtendWith(VertxExtension.class)
class ConfigLoaderProperties {
  private static final List<String> KEYS = List.of("client", "server", "description", "listenAddr", "dstAddr",
      "writeTimeout", "excludedInterfaces", "interfaceLabels", "dstOverrides", "ifName", "webManager", "username",
      "password", "allowedHosts", "pollInterval", "clientTimeout", "wireGuardFilter", "duplicateFilter",
      "wireGuardPublicKey", "? complex", "- item", "&a key", "*a", "<<", "\"quoted key\"", "'single'", "~", "42");
  private static final List<String> VALUES = List.of("", "\"127.0.0.1:59401\"", "127.0.0.1:59401", "[::1]:1",
      "'single'", "\"unclosed", "'unclosed", "[a, b", "{a: 1}", "[1, 2]", "{", "}", "]", "|", ">", "|-\n  text",
      "!!binary aGVsbG8=", "!!set {a, b}", "!!timestamp 2001-12-14", "2001-12-14", "2001-12-14T21:59:43.10-05:00",
      "[2001-12-14]", "!!set {2001-12-14}", "0x1F", "0o17", "017", "1e400", "-1", "99999999999999999999", "3.5",
      ".inf", ".nan", "-", "~", "null", "yes", "on", "off", "&anchor 1", "*anchor", "*undefined", "!!int x",
      "!!float", "!custom x", "!!map []", "!!str 5", "\"\\x00\"", "\"\\uD800\"", "\"\\e\\a\\N\"", "# comment",
      "[*a, *a, *a]", "{? a}", ": x", "@reserved", "`tick", "%", "\t", "&r [*r]", "&m {x: *m}", "{~: 1}",
      "[{~: 1}]", "{null: 1}", "? &k [*k]");

  @TempDir
  Path dir;

  private static Throwable outcome(Future<?> load) throws Exception {
    try {
      load.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /** Lines of keys and values from YAML's whole syntax, right and wrong, mostly under a section header. */
  private static Gen<String> yamlIsh() {
    Gen<String> indent = Generate.frequency(of(4, Generate.pick(List.of("", "  ", "    "))),
        of(1, Generate.pick(List.of(" ", "\t", "      "))));
    Gen<String> noise = Generate.frequency(of(6, strings().basicLatinAlphabet().ofLengthBetween(0, 8)),
        of(1, strings().ascii().ofLengthBetween(0, 4)),
        of(1, strings().basicMultilingualPlaneAlphabet().ofLengthBetween(0, 4)));
    Gen<String> key = Generate.frequency(of(8, Generate.pick(KEYS)), of(1, noise));
    Gen<String> separator = Generate.frequency(of(6, Generate.constant(": ")),
        of(1, Generate.pick(List.of(":", " : ", "", ":  # c", "- "))));
    Gen<String> value = Generate.frequency(of(6, Generate.pick(VALUES)), of(2, noise));
    Gen<String> line = indent.zip(key, separator, value, (i, k, s, v) -> i + k + s + v);
    Gen<String> header = Generate.pick(List.of("client:\n", "server:\n", "client:\n  server:\n", "---\nclient:\n",
        "", "%YAML 1.1\n---\n", "- client\n", "client: 1\n"));
    return header.zip(lists().of(line).ofSizeBetween(0, 12), (h, lines) -> h + String.join("\n", lines) + "\n")
        .describedAs(ConfigLoaderProperties::scalar);
  }

  private void assertLoadedOrRefusedInOneLine(Future<?> load, Path file, String section) throws Exception {
    Throwable failure = outcome(load);
    if (failure == null) {
      return;
    }
    ConfigException e = assertInstanceOf(ConfigException.class, failure, () -> "not a ConfigException: " + failure);
    String message = e.getMessage();
    assertFalse(message.contains("\n") || message.contains("\r"), () -> "more than one line: " + message);
    assertTrue(message.startsWith(file + ": "), () -> "the file is not named first: " + message);
    assertTrue(message.matches(".*\\bline \\d+.*") || message.contains(section),
        () -> "neither a line nor a key named: " + message);
  }

  @Test
  void anyTextIsLoadedOrRefusedInOneLineNamingALineOrAKey(Vertx vertx) {
    qt().withExamples(150).withShrinkCycles(300).forAll(yamlIsh()).checkAssert(text -> {
      try {
        Path file = dir.resolve("engarde.yml");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8)); // an unpaired surrogate as '?'
        ConfigLoader loader = new ConfigLoader(vertx, file);
        assertLoadedOrRefusedInOneLine(loader.loadClient(), file, "client");
        assertLoadedOrRefusedInOneLine(loader.loadServer(), file, "server");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  /** YAML text of a document of maps, lists, strings, integers and booleans: block maps, flow maps in lists. */
  static String yaml(JsonObject document) {
    StringBuilder out = new StringBuilder();
    block(document, "", out);
    return out.toString();
  }

  private static void block(JsonObject map, String indent, StringBuilder out) {
    for (Map.Entry<String, Object> e : map) {
      out.append(indent).append(scalar(e.getKey())).append(':');
      if (e.getValue() instanceof JsonObject child && !child.isEmpty()) {
        out.append('\n');
        block(child, indent + "  ", out);
      } else if (e.getValue() instanceof JsonArray list && !list.isEmpty()) {
        out.append('\n');
        list.forEach(item -> out.append(indent).append("  - ").append(flow(item)).append('\n'));
      } else {
        out.append(' ').append(flow(e.getValue())).append('\n');
      }
    }
  }

  private static String flow(Object value) {
    if (value instanceof JsonObject map) {
      StringBuilder sb = new StringBuilder("{");
      map.forEach(e -> sb.append(sb.length() > 1 ? ", " : "").append(scalar(e.getKey())).append(": ")
          .append(flow(e.getValue())));
      return sb.append('}').toString();
    }
    if (value instanceof JsonArray list) {
      StringBuilder sb = new StringBuilder("[");
      list.forEach(item -> sb.append(sb.length() > 1 ? ", " : "").append(flow(item)));
      return sb.append(']').toString();
    }
    return value instanceof String s ? scalar(s) : String.valueOf(value);
  }

  /** A double-quoted YAML scalar: everything outside printable ASCII escaped, so no reader can fold it. */
  private static String scalar(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7E) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  @Test
  void aValidConfigurationWrittenAsYamlGivesItsRecords(Vertx vertx) {
    qt().withExamples(60).withShrinkCycles(100).forAll(ConfigTrees.validClient(), ConfigTrees.validServer())
        .checkAssert((client, server) -> {
          try {
            Path file = dir.resolve("engarde.yml");
            Files.writeString(file, yaml(new JsonObject().put("client", client.section())
                .put("server", server.section())), StandardCharsets.UTF_8);
            ConfigLoader loader = new ConfigLoader(vertx, file);
            var c = loader.loadClient().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(client.expected(), c.config());
            assertEquals(List.of(), c.warnings());
            var s = loader.loadServer().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(server.expected(), s.config());
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }
}
