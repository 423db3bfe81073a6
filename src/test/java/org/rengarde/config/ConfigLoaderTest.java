package org.rengarde.config;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {
  private static final String SAMPLE = """
      client:
        description: "My engarde client"
        listenAddr: "127.0.0.1:59401"
        dstAddr: "198.51.100.1:59402"
        writeTimeout: 10
        excludedInterfaces:
          - "wg0"
        dstOverrides:
          - ifName: "wlan0"
            dstAddr: "198.51.100.2:59402"
        webManager:
          listenAddr: "0.0.0.0:9001"
          username: "engarde"
          password: "engarde"
      server:
        description: "My engarde server"
        listenAddr: "0.0.0.0:59402"
        dstAddr: "127.0.0.1:59301"
        clientTimeout: 30
        writeTimeout: 10
        webManager:
          listenAddr: "0.0.0.0:9002"
          username: "engarde"
          password: "engarde"
      """;

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  /** The failure is a ConfigException with a one-line message; returns that message. */
  private static String oneLineConfigError(Throwable failure) {
    ConfigException e = assertInstanceOf(ConfigException.class, failure);
    assertFalse(e.getMessage().contains("\n"), () -> "more than one line: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void goodFileLoadsTheClient(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", SAMPLE);
    new ConfigLoader(vertx, file).loadClient().onComplete(ctx.succeeding(parsed -> ctx.verify(() -> {
      ClientConfig c = parsed.config();
      assertEquals("My engarde client", c.description());
      assertEquals(new HostPort("127.0.0.1", 59401), c.listenAddr());
      assertEquals(java.util.Set.of("wg0"), c.excludedInterfaces());
      assertEquals(new HostPort("198.51.100.2", 59402), c.destinationFor("wlan0"));
      assertEquals(new WebManagerConfig(new HostPort("0.0.0.0", 9001), "engarde", "engarde", List.of()), c.webManager());
      assertEquals(List.of(), parsed.warnings());
      ctx.completeNow();
    })));
  }

  @Test
  void goodFileLoadsTheServer(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", SAMPLE);
    new ConfigLoader(vertx, file).loadServer().onComplete(ctx.succeeding(parsed -> ctx.verify(() -> {
      assertEquals(new ServerConfig("My engarde server", new HostPort("0.0.0.0", 59402),
          new HostPort("127.0.0.1", 59301), 30, new WriteTimeout(10),
          new WebManagerConfig(new HostPort("0.0.0.0", 9002), "engarde", "engarde", List.of()), true), parsed.config());
      ctx.completeNow();
    })));
  }

  @Test
  void yamlTypesArriveAsTheParserExpects(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", SAMPLE);
    new ConfigLoader(vertx, file).readDocument().onComplete(ctx.succeeding(doc -> ctx.verify(() -> {
      // scalars keep their text, as engarde's decoder hands a string key its text (EngardeYamlProcessor)
      assertEquals("30", doc.getJsonObject("server").getValue("clientTimeout"));
      assertInstanceOf(io.vertx.core.json.JsonArray.class, doc.getJsonObject("client").getValue("excludedInterfaces"));
      ctx.completeNow();
    })));
  }

  @Test
  void theFileIsReadAsEngardeReadsIt(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", """
        client:
          listenAddr: "127.0.0.1:59401"
          dstAddr: "198.51.100.1:59402"
          writeTimeout: 10ms
          excludedInterfaces: ["", wg0]
          webManager:
            listenAddr: "127.0.0.1:9001"
            username: admin
            password: 0123
        """);
    new ConfigLoader(vertx, file).loadClient().onComplete(ctx.succeeding(parsed -> ctx.verify(() -> {
      assertEquals(new WriteTimeout(10), parsed.config().writeTimeout());
      assertEquals(java.util.Set.of("wg0"), parsed.config().excludedInterfaces());
      assertEquals("0123", parsed.config().webManager().password());
      assertEquals(2, parsed.warnings().size(), parsed.warnings()::toString);
      ctx.completeNow();
    })));
  }

  @Test
  void unknownKeysInTheFileBecomeWarnings(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", """
        server:
          listenAddr: "0.0.0.0:59402"
          dstAddr: "127.0.0.1:59301"
          bogus: 1
        """);
    new ConfigLoader(vertx, file).loadServer().onComplete(ctx.succeeding(parsed -> ctx.verify(() -> {
      assertEquals(List.of(file + ": unknown key server.bogus ignored"), parsed.warnings());
      ctx.completeNow();
    })));
  }

  @Test
  void missingFile(Vertx vertx, VertxTestContext ctx) {
    Path file = dir.resolve("absent.yml");
    new ConfigLoader(vertx, file).loadClient().onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals(file + ": no such file (give the configuration file as argument, or create engarde.yml; "
          + "see engarde.yml.sample)", oneLineConfigError(e));
      ctx.completeNow();
    })));
  }

  @Test
  void directoryInsteadOfFile(Vertx vertx, VertxTestContext ctx) {
    new ConfigLoader(vertx, dir).loadServer().onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals(dir + ": is a directory, not a configuration file", oneLineConfigError(e));
      ctx.completeNow();
    })));
  }

  @Test
  void badYamlNamesTheLine(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", """
        client:
          listenAddr: "127.0.0.1:59401"
          dstAddr: [unclosed
        """);
    new ConfigLoader(vertx, file).loadClient().onComplete(ctx.failing(e -> ctx.verify(() -> {
      String message = oneLineConfigError(e);
      assertEquals(file + ": bad YAML at line 4, column 1: expected ',' or ']', but got <stream end>", message);
      ctx.completeNow();
    })));
  }

  @Test
  void badIndentationNamesTheLineOfTheProblem(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", """
        server:
          listenAddr: "0.0.0.0:59402"
         dstAddr: "127.0.0.1:59301"
        """);
    new ConfigLoader(vertx, file).loadServer().onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals(file + ": bad YAML at line 3, column 2: expected <block end>, but found '<block mapping start>'",
          oneLineConfigError(e));
      ctx.completeNow();
    })));
  }

  @Test
  void fileWithOnlyTheServerSectionIsNoClientConfig(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", """
        server:
          listenAddr: "0.0.0.0:59402"
          dstAddr: "127.0.0.1:59301"
        """);
    new ConfigLoader(vertx, file).loadClient().onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals(file + ": no client: section in " + file, oneLineConfigError(e));
      ctx.completeNow();
    })));
  }

  @Test
  void fileWithOnlyTheClientSectionIsNoServerConfig(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", """
        client:
          listenAddr: "127.0.0.1:59401"
          dstAddr: "198.51.100.1:59402"
        """);
    new ConfigLoader(vertx, file).loadServer().onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals(file + ": no server: section in " + file, oneLineConfigError(e));
      ctx.completeNow();
    })));
  }

  @Test
  void wrongTypeInTheFileNamesFileKeyAndValue(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", """
        client:
          listenAddr: "127.0.0.1:59401"
          dstAddr: "198.51.100.1:59402"
          writeTimeout: "abc"
        """);
    new ConfigLoader(vertx, file).loadClient().onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals(file + ": client.writeTimeout: expected a whole number of milliseconds (or a duration like 10ms), "
          + "got \"abc\"", oneLineConfigError(e));
      ctx.completeNow();
    })));
  }

  @Test
  void emptyFileHasNoSection(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", "");
    new ConfigLoader(vertx, file).loadClient().onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals(file + ": no client: section in " + file, oneLineConfigError(e));
      ctx.completeNow();
    })));
  }

  /** Found by ConfigLoaderProperties: what vertx-config's reader fails on in its own code, named by line. */
  @Test
  void aFileOfCommentsOnlyHasNoSection(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path file = write("engarde.yml", "# client:\n#   listenAddr: \"127.0.0.1:59401\"\n\n");
    new ConfigLoader(vertx, file).loadClient().onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals(file + ": no client: section in " + file, oneLineConfigError(e));
      ctx.completeNow();
    })));
  }

  private void assertRefused(Vertx vertx, VertxTestContext ctx, String text, String expected) throws IOException {
    Path file = write("engarde.yml", text);
    new ConfigLoader(vertx, file).loadServer().onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals(file + ": " + expected, oneLineConfigError(e));
      ctx.completeNow();
    })));
  }

  @Test
  void aListAtTheTopIsRefusedNamingTheLine(Vertx vertx, VertxTestContext ctx) throws IOException {
    assertRefused(vertx, ctx, "# engarde\n- server\n",
        "bad YAML at line 2, column 1: expected a map of sections (client:, server:), got a list");
  }

  @Test
  void aNullKeyIsRefusedNamingTheLine(Vertx vertx, VertxTestContext ctx) throws IOException {
    assertRefused(vertx, ctx, "server:\n  listenAddr: \"0.0.0.0:59402\"\n  ~: 1\n",
        "bad YAML at line 3, column 3: a key is null (~, null or nothing before the colon)");
  }

  @Test
  void aListContainingItselfIsRefusedNamingTheLine(Vertx vertx, VertxTestContext ctx) throws IOException {
    assertRefused(vertx, ctx, "server:\n  description: &loop [*loop]\n",
        "bad YAML at line 2, column 16: this map or list contains itself (through an alias)");
  }

  @Test
  void aControlCharacterIsRefusedNamingItsLineAndColumn(Vertx vertx, VertxTestContext ctx) throws IOException {
    assertRefused(vertx, ctx, "server:\r\n  description: \"a\u0007\"\n",
        "bad YAML at line 2, column 18: special characters are not allowed (U+0007)");
  }

  @Test
  void aValueThatDoesNotFitItsTagIsRefusedNamingTheLine(Vertx vertx, VertxTestContext ctx) throws IOException {
    assertRefused(vertx, ctx, "server:\n  clientTimeout: !!int thirty\n",
        "bad YAML at line 2, column 18: the value does not fit its tag tag:yaml.org,2002:int"
            + " (For input string: \"thirty\")");
  }

  /** Found by ConfigLoaderProperties: a timestamp tag on a value that is not one failed with no line. */
  @Test
  void aTimestampThatIsNoneIsRefusedNamingTheLine(Vertx vertx, VertxTestContext ctx) throws IOException {
    assertRefused(vertx, ctx, "client:\nclient: !!timestamp 2001-12-14\n  :\"127.0.0.1:59401\"\n",
        "bad YAML at line 2, column 9: the value does not fit its tag tag:yaml.org,2002:timestamp"
            + " (Unexpected timestamp: 2001-12-14 :\"127.0.0.1:59401\")");
  }

  @Test
  void aScannerErrorWithoutAPlaceIsNamedByItsLine(Vertx vertx, VertxTestContext ctx) throws IOException {
    assertRefused(vertx, ctx, "server:\n      description: \"unclosed\n  ~: \"127.0.0.1:59401\"\n",
        "bad YAML at line 3: A simple key is required only if it is the first token in the current line");
  }

  @Test
  void fileIsKept(Vertx vertx) {
    Path file = dir.resolve("x.yml");
    assertEquals(file, new ConfigLoader(vertx, file).file());
  }
}
