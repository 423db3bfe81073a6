package org.rengarde.config;

import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed keys from one YAML map, naming the file and the full key path in every error and warning, and
 * remembers which keys it was asked for so the rest can be reported as unknown. Takes what engarde's decoder takes
 * (scalars arrive as their text, see {@link EngardeYamlProcessor}); a value it reads in a way the user may not
 * expect gets a warning, shared by every reader of the document.
 */
final class SectionReader {
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

  private final String file;
  private final String path;
  private final JsonObject map;
  private final List<String> warnings;
  private final Set<String> known = new HashSet<>();

  SectionReader(String file, String path, JsonObject map, List<String> warnings) {
    this.file = file;
    this.path = path;
    this.map = map;
    this.warnings = warnings;
  }

  void warn(String key, String message) {
    warnings.add(where(key) + ": " + message);
  }

  /** A value as written, for a warning: without quotes, on one line. */
  static String shown(Object value) {
    return escape(String.valueOf(value));
  }

  String where(String key) {
    return file + ": " + path + "." + key;
  }

  private Object raw(String key) {
    known.add(key);
    return map.getValue(key);
  }

  private ConfigException wrongType(String key, Object value, String expected) {
    return new ConfigException(where(key) + ": expected " + expected + ", got " + quoted(value));
  }

  /** The value as it appears in a message: quoted when a string, control characters escaped, on one line. */
  static String quoted(Object value) {
    if (value instanceof String s) {
      return "\"" + escape(s) + "\"";
    }
    try {
      return escape(String.valueOf(value));
    } catch (EncodeException noJsonForm) {
      // a map or list shows as JSON, which has no form for SnakeYAML's sets (!!set) nor the dates inside its lists
      return (value instanceof JsonArray ? "a list" : "a map") + " holding a set or a date";
    }
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  String string(String key) throws ConfigException {
    Object v = raw(key);
    if (v == null) {
      return "";
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    throw wrongType(key, v, "a string");
  }

  HostPort requiredAddress(String key) throws ConfigException {
    Object v = raw(key);
    if (v == null || (v instanceof String s && s.isBlank())) {
      throw new ConfigException(where(key) + ": required key is missing (expected host:port)");
    }
    if (!(v instanceof String s)) {
      throw wrongType(key, v, "host:port");
    }
    return HostPort.parse(where(key), s);
  }

  /** An address that may be empty or absent (null then). */
  HostPort optionalAddress(String key) throws ConfigException {
    String s = string(key);
    return s.isBlank() ? null : HostPort.parse(where(key), s);
  }

  /**
   * A whole number as engarde's int64 fields take it (see {@link YamlNumber}), or null when absent. A fraction is
   * cut toward zero, as engarde does, with a warning; {@code .nan}, {@code .inf} and numbers beyond 64 bits are
   * refused, as engarde refuses them; anything below 64 bits is the lowest 64-bit number, as in engarde.
   */
  Long whole(String key, String unit) throws ConfigException {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    YamlNumber n = YamlNumber.of(v);
    if (n == null) {
      throw wrongType(key, v, "a whole number of " + unit);
    }
    if (n.value() == null || n.value().compareTo(LONG_MAX) > 0) {
      throw wrongType(key, v, "a whole number of " + unit + " within 64 bits");
    }
    BigDecimal value = n.value().max(LONG_MIN);
    long whole = value.setScale(0, RoundingMode.DOWN).longValueExact();
    if (value.compareTo(BigDecimal.valueOf(whole)) != 0) {
      warn(key, shown(v) + " is not a whole number of " + unit + "; using " + whole);
    } else if (n.octal()) {
      warn(key, shown(v) + " has a leading 0, which makes it octal in YAML 1.1 (as in engarde); using " + whole);
    }
    return whole;
  }

  /**
   * {@link #whole} within 32 bits: a larger number is the largest int, with a warning (it means "never" for every
   * key that takes one); a number below 32 bits is the lowest int silently, since every key gives negative numbers
   * one meaning of its own.
   */
  int int32(String key, String unit, int absent) throws ConfigException {
    Long v = whole(key, unit);
    if (v == null) {
      return absent;
    }
    if (v > Integer.MAX_VALUE) {
      warn(key, v + " " + unit + " is beyond 32 bits; using " + Integer.MAX_VALUE);
      return Integer.MAX_VALUE;
    }
    return (int) Math.max(Integer.MIN_VALUE, v);
  }

  /** The key's value when it is text that reads as no number (a duration, say), else null. */
  String nonNumericText(String key) {
    Object v = raw(key);
    return v instanceof String s && YamlNumber.of(s) == null ? s.trim() : null;
  }

  /** true or false, in any of the forms YAML 1.1 (engarde's decoder) reads as one: yes/no, on/off, y/n. */
  boolean bool(String key, boolean absent) throws ConfigException {
    Object v = raw(key);
    if (v == null) {
      return absent;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      switch (s) {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON" -> {
          return true;
        }
        case "false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF" -> {
          return false;
        }
        default -> {
          // refused below
        }
      }
    }
    throw wrongType(key, v, "true or false");
  }

  /** Checks one list element; returns the value to keep. */
  interface ElementCheck {
    String check(String where, String value) throws ConfigException;
  }

  /**
   * A list of names, each {@code what} (for the error message). A blank or empty entry ({@code ""}, or {@code -} with nothing after it) is skipped with a
   * warning: engarde keeps it, and it matches nothing. A number is its text, as in engarde.
   */
  List<String> stringList(String key, String what, ElementCheck check) throws ConfigException {
    Object v = raw(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonArray a)) {
      throw wrongType(key, v, "a list of names");
    }
    for (int i = 0; i < a.size(); i++) {
      Object e = a.getValue(i);
      String element = key + "[" + i + "]";
      if (e == null || (e instanceof String s && s.isBlank())) {
        warn(element, "empty entry ignored");
      } else if (e instanceof String || e instanceof Number || e instanceof Boolean) {
        out.add(check.check(where(element), e.toString()));
      } else {
        throw wrongType(element, e, what);
      }
    }
    return out;
  }

  Map<String, String> stringMap(String key) throws ConfigException {
    Object v = raw(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonObject o)) {
      throw wrongType(key, v, "a map of interface name to label");
    }
    for (String name : o.fieldNames()) {
      Object e = o.getValue(name);
      if (e instanceof JsonObject || e instanceof JsonArray) {
        throw new ConfigException(where(key) + "." + escape(name) + ": expected a label, got " + quoted(e));
      }
      out.put(name, e == null ? "" : e.toString());
    }
    return out;
  }

  /** A nested map, or null when absent. */
  SectionReader nested(String key) throws ConfigException {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw wrongType(key, v, "a map");
    }
    return new SectionReader(file, path + "." + key, o, warnings);
  }

  /** A list of maps, each read by its own reader; an empty entry ({@code -} alone) is skipped with a warning. */
  List<SectionReader> mapList(String key) throws ConfigException {
    Object v = raw(key);
    List<SectionReader> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonArray a)) {
      throw wrongType(key, v, "a list of maps");
    }
    for (int i = 0; i < a.size(); i++) {
      Object e = a.getValue(i);
      String element = key + "[" + i + "]";
      if (e == null) {
        warn(element, "empty entry ignored");
      } else if (e instanceof JsonObject o) {
        out.add(new SectionReader(file, path + "." + element, o, warnings));
      } else {
        throw wrongType(element, e, "a map");
      }
    }
    return out;
  }

  /** Warnings for the keys of this map nobody asked for. */
  void collectUnknown() {
    for (String key : map.fieldNames()) {
      if (!known.contains(key)) {
        warnings.add(file + ": unknown key " + path + "." + escape(key) + " ignored");
      }
    }
  }
}
