package org.rengarde.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The interface an include, exclude or swap-exclusion command names. engarde reads the body as JSON whatever the
 * Content-Type ({@code {"interface":"eth1"}}); a form body ({@code interface=eth1}, what {@code curl -d} and
 * {@code wget --post-data} send) is read too. Anything else is a 400 naming what was wrong.
 */
final class CommandBody {
  /** Linux's IFNAMSIZ less the NUL: a longer name can never be an interface. */
  static final int MAX_NAME_LENGTH = 15;
  private static final String USAGE = "send {\"interface\":\"eth1\"} (JSON) or interface=eth1 (form)";

  private CommandBody() {
  }

  static String interfaceName(Buffer body) {
    String text = utf8(body).strip();
    if (text.isEmpty()) {
      throw badRequest("the body is empty: " + USAGE);
    }
    char first = text.charAt(0);
    boolean form = text.indexOf('=') >= 0 && first != '{' && first != '[' && first != '"';
    return validName(form ? fromForm(text) : fromJson(text));
  }

  private static String fromJson(String text) {
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw badRequest("the body is not JSON: " + USAGE);
    }
    if (!(value instanceof JsonObject object)) {
      throw badRequest("the body must be a JSON object: " + USAGE);
    }
    if (!(object.getValue("interface") instanceof String name)) {
      throw badRequest("the body must name an interface as a string: " + USAGE);
    }
    return name;
  }

  private static String fromForm(String text) {
    String name = null;
    for (String pair : text.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = percentDecoded(eq < 0 ? pair : pair.substring(0, eq));
      if (!key.equals("interface")) {
        continue;
      }
      if (name != null) {
        throw badRequest("the form names the interface twice: " + USAGE);
      }
      name = eq < 0 ? "" : percentDecoded(pair.substring(eq + 1));
    }
    if (name == null) {
      throw badRequest("the form has no interface field: " + USAGE);
    }
    return name;
  }

  private static String validName(String name) {
    if (name.isBlank()) {
      throw badRequest("the interface name is empty: " + USAGE);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '/') {
        throw badRequest("\"" + shortened(name) + "\" is not an interface name (no spaces, control characters or '/')");
      }
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw badRequest("\"" + shortened(name) + "\" is not an interface name (at most "
          + MAX_NAME_LENGTH + " characters)");
    }
    return name;
  }

  /** A name as quoted back in a refusal: a stranger's 60 KiB name is not echoed whole. */
  private static String shortened(String name) {
    return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH) + "...";
  }

  /** application/x-www-form-urlencoded: '+' is a space, %XX a byte; the bytes must be UTF-8. */
  private static String percentDecoded(String s) {
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    Buffer out = Buffer.buffer(in.length);
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b == '+') {
        out.appendByte((byte) ' ');
      } else if (b == '%') {
        int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(in[i + 2], 16);
        if (lo < 0) {
          throw badRequest("the form has a bad %-escape: " + USAGE);
        }
        out.appendByte((byte) (hi * 16 + lo));
        i += 2;
      } else {
        out.appendByte(b);
      }
    }
    return utf8(out);
  }

  private static String utf8(Buffer bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.getBytes()))
          .toString();
    } catch (CharacterCodingException e) {
      throw badRequest("the body is not UTF-8 text: " + USAGE);
    }
  }

  private static HttpException badRequest(String message) {
    return new HttpException(400, message);
  }
}
