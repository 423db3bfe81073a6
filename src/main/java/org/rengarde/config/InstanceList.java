package org.rengarde.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a file's instances: engarde's single {@code client:} / {@code server:} section, or rengarde's list
 * <pre>
 * instances:
 *   - name: home
 *     client: {...}
 *   - name: office
 *     server: {...}
 * </pre>
 * where each entry is one instance, of the role its one section names. A fault in the list itself (not a list, an
 * entry without a name or a role, a name given twice, {@code instances:} beside a top-level section) is the file's:
 * no entry can then be told from another. A fault inside one entry's section is that instance's alone; so is an
 * address another instance of the same role already listens on (the later entry is the one refused).
 */
public final class InstanceList {
  public static final String KEY = "instances";
  /** A name goes into event-bus addresses and log lines: short, without dots or spaces. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
  private static final Set<String> ENTRY_KEYS = Set.of("name", "client", "server");

  /** One role's section parser ({@link ConfigParser#client} or {@link ConfigParser#server}). */
  public interface SectionParser<T> {
    ConfigParser.Parsed<T> parse(String file, JsonObject root) throws ConfigException;
  }

  /** The addresses an instance listens on, by key ({@code listenAddr}: UDP; {@code webManager.listenAddr}: TCP). */
  public interface Listens<T> {
    Map<String, HostPort> of(T config);
  }

  private InstanceList() {
  }

  public static Instances<ClientConfig> clients(String file, JsonObject root) throws ConfigException {
    return read(file, root, Role.CLIENT, ConfigParser::client, c -> listens(c.listenAddr(), c.webManager()));
  }

  public static Instances<ServerConfig> servers(String file, JsonObject root) throws ConfigException {
    return read(file, root, Role.SERVER, ConfigParser::server, c -> listens(c.listenAddr(), c.webManager()));
  }

  private static Map<String, HostPort> listens(HostPort udp, WebManagerConfig web) {
    Map<String, HostPort> out = new LinkedHashMap<>();
    out.put("listenAddr", udp);
    if (web.enabled()) {
      out.put("webManager.listenAddr", web.listenAddr());
    }
    return out;
  }

  static <T> Instances<T> read(String file, JsonObject root, Role role, SectionParser<T> section, Listens<T> listens)
      throws ConfigException {
    if (root == null || !root.containsKey(KEY)) {
      return Instances.single(section.parse(file, root));
    }
    for (Role r : Role.values()) {
      if (root.containsKey(r.section())) {
        throw new ConfigException(file + ": " + r.section() + ": beside " + KEY + ": write it as an entry of "
            + KEY + " (- name: NAME, then " + r.section() + ": indented below it), or remove " + KEY);
      }
    }
    if (!(root.getValue(KEY) instanceof JsonArray list) || list.isEmpty()) {
      throw new ConfigException(file + ": " + KEY + ": expected a list of instances (- name: NAME with a client: or "
          + "server: section), got " + SectionReader.quoted(root.getValue(KEY)));
    }
    Map<String, ConfigParser.Parsed<T>> valid = new LinkedHashMap<>();
    Map<String, String> invalid = new LinkedHashMap<>();
    Map<String, Integer> positions = new HashMap<>();
    Map<String, Map<String, HostPort>> listening = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String where = file + ": " + KEY + "[" + i + "]";
      JsonObject entry = entry(where, list.getValue(i));
      String name = name(where, entry);
      Integer earlier = positions.put(name, i);
      if (earlier != null) {
        throw new ConfigException(where + ": the name " + name + " is already that of " + KEY + "[" + earlier
            + "]: each instance needs a name of its own");
      }
      if (roleOf(where, entry) != role) {
        continue;
      }
      String label = file + ": " + Instances.label(name);
      try {
        ConfigParser.Parsed<T> parsed = section.parse(label, entry);
        Map<String, HostPort> mine = listens.of(parsed.config());
        String clash = clash(role, mine, listening);
        if (clash != null) {
          invalid.put(name, label + ": " + clash);
          continue;
        }
        List<String> warnings = new ArrayList<>(parsed.warnings());
        for (String key : entry.fieldNames()) {
          if (!ENTRY_KEYS.contains(key)) {
            warnings.add(label + ": unknown key " + SectionReader.escape(key) + " ignored");
          }
        }
        valid.put(name, new ConfigParser.Parsed<>(parsed.config(), warnings));
        listening.put(name, mine);
      } catch (ConfigException e) {
        invalid.put(name, e.getMessage());
      }
    }
    if (valid.isEmpty() && invalid.isEmpty()) {
      throw new ConfigException(file + ": no entry of " + KEY + " has a " + role.section() + ": section");
    }
    return new Instances<>(true, valid, invalid);
  }

  private static JsonObject entry(String where, Object value) throws ConfigException {
    if (value instanceof JsonObject o) {
      return o;
    }
    throw new ConfigException(where + ": expected an instance (name: and a client: or server: section), got "
        + (value == null ? "an empty entry" : SectionReader.quoted(value)));
  }

  private static String name(String where, JsonObject entry) throws ConfigException {
    Object name = entry.getValue("name");
    if (name == null || name.toString().isBlank()) {
      throw new ConfigException(where + ": name is missing (each instance needs one, as - name: home)");
    }
    if (!(name instanceof String text) || !NAME.matcher(text).matches()) {
      throw new ConfigException(where + ".name: " + SectionReader.quoted(name) + " is not an instance name (1 to 32 "
          + "letters, digits, '-' or '_', starting with a letter or digit)");
    }
    return text;
  }

  private static Role roleOf(String where, JsonObject entry) throws ConfigException {
    boolean client = entry.containsKey(Role.CLIENT.section());
    boolean server = entry.containsKey(Role.SERVER.section());
    if (client == server) {
      throw new ConfigException(where + " (" + entry.getValue("name") + "): "
          + (client ? "has both client: and server:; an instance is one of the two (make two instances)"
          : "has no client: or server: section"));
    }
    return client ? Role.CLIENT : Role.SERVER;
  }

  /** The earlier instance already listening where this one would, as a message; null when none is. */
  private static String clash(Role role, Map<String, HostPort> mine, Map<String, Map<String, HostPort>> earlier) {
    for (Map.Entry<String, HostPort> m : mine.entrySet()) {
      for (Map.Entry<String, Map<String, HostPort>> other : earlier.entrySet()) {
        HostPort theirs = other.getValue().get(m.getKey());
        if (theirs != null && overlap(m.getValue(), theirs)) {
          return role.section() + "." + m.getKey() + " " + m.getValue() + " is where " + Instances.label(other.getKey())
              + " listens already (" + role.section() + "." + m.getKey() + " " + theirs + "): give each its own port";
        }
      }
    }
    return null;
  }

  /** Same port, and the same host or a wildcard on either side (0.0.0.0:80 takes 127.0.0.1:80 too). */
  private static boolean overlap(HostPort a, HostPort b) {
    return a.port() == b.port() && (a.host().equals(b.host()) || wildcard(a.host()) || wildcard(b.host()));
  }

  private static boolean wildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.isEmpty();
  }
}
