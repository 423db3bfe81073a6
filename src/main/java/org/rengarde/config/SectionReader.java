package org.rengarde.config;

import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed keys from one YAML map, naming the file and the full key path in every error, and remembers which
 * keys it was asked for so the rest can be reported as unknown.
 */
final class SectionReader {
  private final String file;
  private final String path;
  private final JsonObject map;
  private final Set<String> known = new HashSet<>();

  SectionReader(String file, String path, JsonObject map) {
    this.file = file;
    this.path = path;
    this.map = map;
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

  int integer(String key, int absent) throws ConfigException {
    Object v = raw(key);
    if (v == null) {
      return absent;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      long l = ((Number) v).longValue();
      if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
        throw wrongType(key, v, "an integer within 32 bits");
      }
      return (int) l;
    }
    if (v instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        throw wrongType(key, v, "an integer");
      }
    }
    throw wrongType(key, v, "an integer");
  }

  boolean bool(String key, boolean absent) throws ConfigException {
    Object v = raw(key);
    if (v == null) {
      return absent;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrongType(key, v, "true or false");
  }

  /** A list of non-blank strings; {@code element} says what each is, for the error message. */
  List<String> stringList(String key, String element) throws ConfigException {
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
      if (!(e instanceof String s) || s.isBlank()) {
        throw new ConfigException(where(key) + "[" + i + "]: expected " + element + ", got " + quoted(e));
      }
      out.add(s);
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
    return new SectionReader(file, path + "." + key, o);
  }

  /** A list of maps, each read by its own reader. */
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
      if (!(e instanceof JsonObject o)) {
        throw new ConfigException(where(key) + "[" + i + "]: expected a map, got " + quoted(e));
      }
      out.add(new SectionReader(file, path + "." + key + "[" + i + "]", o));
    }
    return out;
  }

  /** Warnings for the keys of this map nobody asked for. */
  void collectUnknown(List<String> warnings) {
    for (String key : map.fieldNames()) {
      if (!known.contains(key)) {
        warnings.add(file + ": unknown key " + path + "." + escape(key) + " ignored");
      }
    }
  }
}
