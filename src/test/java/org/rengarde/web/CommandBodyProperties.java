package org.rengarde.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.rengarde.testing.Datagrams;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.api.Pair.of;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

/** A command's body as a stranger sends it: any bytes give an interface name or a 400 that says what is wrong. */
class CommandBodyProperties {

  /** An interface name as the command takes it: 1-15 characters, none a space, a control character or '/'. */
  private static Gen<String> validName() {
    return strings().betweenCodePoints(0x21, 0x2FF).ofLengthBetween(1, 15)
        .assuming(n -> n.chars().noneMatch(c -> c == '/' || Character.isWhitespace(c) || Character.isISOControl(c)));
  }

  private static final List<String> PIECES = List.of("{", "}", "[", "]", "\"", "\"interface\"", ":", ",", "=",
      "&", "interface", "%", "%2", "%zz", "%C3%28", "%00", "+", "eth0", "null", "true", "1e99999", "-0", "\\u0000",
      "\\ud800", "{\"interface\":", "interface=", " ", "\t", "\n", "\u00e9", "\u2028", "/", "..", "[[[[[[[[[[",
      "{\"a\":{\"a\":{\"a\":");

  /** JSON, forms and junk pieced together, so that the parsers get past their first byte. */
  private static Gen<byte[]> pieced() {
    return lists().of(Generate.pick(PIECES)).ofSizeBetween(0, 12)
        .map(p -> String.join("", p).getBytes(StandardCharsets.UTF_8));
  }

  private static Gen<byte[]> deep() {
    return integers().between(1, 5000).zip(Generate.pick(List.of("[", "{\"interface\":")), (n, open) ->
        open.repeat(n).getBytes(StandardCharsets.UTF_8));
  }

  private static Gen<byte[]> anyBody() {
    return Generate.frequency(of(2, Datagrams.noise(300)), of(3, pieced()), of(1, deep()))
        .describedAs(b -> new String(b, StandardCharsets.UTF_8));
  }

  @Test
  void anyBodyGivesAValidNameOrABadRequestSayingWhy() {
    qt().withExamples(3000).forAll(anyBody()).checkAssert(bytes -> {
      String name;
      try {
        name = CommandBody.interfaceName(Buffer.buffer(bytes));
      } catch (HttpException e) {
        assertEquals(400, e.getStatusCode());
        assertFalse(e.getPayload() == null || e.getPayload().isBlank(), "a refusal that says nothing");
        assertTrue(e.getPayload().length() < 200, () -> "a refusal that echoes too much: " + e.getPayload());
        return;
      } catch (RuntimeException | StackOverflowError e) {
        fail("not a 400: " + e, e);
        return;
      }
      assertTrue(!name.isEmpty() && name.length() <= CommandBody.MAX_NAME_LENGTH, name);
      assertTrue(name.chars().noneMatch(c -> c == '/' || Character.isWhitespace(c) || Character.isISOControl(c)),
          name);
    });
  }

  @Test
  void aNameSentAsJsonOrAsAFormIsTheNameTaken() {
    Gen<String> space = Generate.pick(List.of("", " ", "\n", "\t ", "\r\n"));
    qt().withExamples(1000).forAll(validName(), space, space).checkAssert((name, before, after) -> {
      String json = before + new JsonObject().put("interface", name).encode() + after;
      assertEquals(name, CommandBody.interfaceName(Buffer.buffer(json)), json);
      String form = before + "x=1&interface=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + after;
      assertEquals(name, CommandBody.interfaceName(Buffer.buffer(form)), form);
    });
  }
}
