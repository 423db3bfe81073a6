package org.rengarde.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks that a document keeps engarde's shape: every field of an expected engarde-shaped object is in the actual one,
 * under the same name, with the same JSON type and value, recursively (arrays element-wise, same length). Fields the
 * expected object does not name (our extras) are allowed.
 */
final class EngardeJson {

  private EngardeJson() {
  }

  static void assertContains(JsonObject expected, JsonObject actual) {
    if (actual == null) {
      fail("$: expected an object, got null");
    }
    object("$", expected, actual);
  }

  private static void object(String path, JsonObject expected, JsonObject actual) {
    for (String key : expected.fieldNames()) {
      String at = path + "." + key;
      if (!actual.containsKey(key)) {
        fail(at + ": missing (actual " + actual.encode() + ")");
      }
      value(at, expected.getValue(key), actual.getValue(key));
    }
  }

  private static void value(String path, Object expected, Object actual) {
    if (expected == null) {
      if (actual != null) {
        fail(path + ": expected null, got " + describe(actual));
      }
      return;
    }
    if (actual == null) {
      fail(path + ": expected " + describe(expected) + ", got null");
    }
    if (expected instanceof JsonObject e) {
      if (!(actual instanceof JsonObject a)) {
        fail(path + ": expected an object, got " + describe(actual));
        return;
      }
      object(path, e, a);
    } else if (expected instanceof JsonArray e) {
      if (!(actual instanceof JsonArray a)) {
        fail(path + ": expected an array, got " + describe(actual));
        return;
      }
      if (e.size() != a.size()) {
        fail(path + ": expected " + e.size() + " elements, got " + a.size() + " (" + a.encode() + ")");
      }
      for (int i = 0; i < e.size(); i++) {
        value(path + "[" + i + "]", e.getValue(i), a.getValue(i));
      }
    } else if (expected instanceof Number e) {
      if (!(actual instanceof Number a)) {
        fail(path + ": expected a number, got " + describe(actual));
        return;
      }
      if (integral(e) != integral(a)) {
        fail(path + ": expected " + (integral(e) ? "an integer" : "a fractional number") + ", got " + describe(actual));
      }
      boolean same = integral(e) ? e.longValue() == a.longValue() : Double.compare(e.doubleValue(), a.doubleValue()) == 0;
      if (!same) {
        fail(path + ": expected " + e + ", got " + a);
      }
    } else if (expected instanceof String || expected instanceof Boolean) {
      if (expected.getClass() != actual.getClass() || !expected.equals(actual)) {
        fail(path + ": expected " + describe(expected) + ", got " + describe(actual));
      }
    } else {
      fail(path + ": unsupported expected value " + describe(expected));
    }
  }

  private static boolean integral(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
        || n instanceof java.math.BigInteger;
  }

  private static String describe(Object o) {
    if (o instanceof String s) {
      return "string \"" + s + "\"";
    }
    return o.getClass().getSimpleName() + " " + o;
  }
}
