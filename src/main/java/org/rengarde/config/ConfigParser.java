package org.rengarde.config;

import io.netty.util.NetUtil;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the YAML document (as vertx-config hands it over) into validated records. Pure: no I/O, no exit, so the
 * same code serves start-up and hot reload.
 */
public final class ConfigParser {
  /** DNS labels of letters, digits, '-' and '_' (lower case by then), separated by dots. */
  private static final Pattern HOST_NAME =
      Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

  private ConfigParser() {
  }

  /** The result: the section asked for, and one warning per unknown key or doubtful value. */
  public record Parsed<T>(T config, List<String> warnings) {
    public Parsed {
      warnings = List.copyOf(warnings);
    }
  }

  public static Parsed<ClientConfig> client(String file, JsonObject root) throws ConfigException {
    List<String> warnings = new ArrayList<>();
    SectionReader r = section(file, root, Role.CLIENT, warnings);
    String description = r.string("description");
    HostPort listen = r.requiredAddress("listenAddr");
    HostPort dst = r.requiredAddress("dstAddr");
    WriteTimeout writeTimeout = WriteTimeout.read(r, "writeTimeout");
    List<String> excluded = r.stringList("excludedInterfaces", "an interface name", (where, name) -> name);
    var labels = r.stringMap("interfaceLabels");
    List<DstOverride> overrides = new ArrayList<>();
    for (SectionReader o : r.mapList("dstOverrides")) {
      DstOverride override = dstOverride(o);
      if (override != null) {
        overrides.add(override);
      }
      o.collectUnknown();
    }
    WebManagerConfig web = webManager(r);
    Long poll = r.whole("pollInterval", "milliseconds");
    if (poll != null && (poll < 50 || poll > 60_000)) {
      throw new ConfigException(r.where("pollInterval") + ": " + poll + " ms is out of range 50-60000");
    }
    boolean dedup = r.bool("duplicateFilter", true);
    boolean wireGuardOnly = r.bool("wireGuardFilter", true);
    boolean bindToDevice = r.bool("bindToDevice", true);
    r.collectUnknown();
    ClientConfig config = new ClientConfig(description, listen, dst, writeTimeout, new LinkedHashSet<>(excluded),
        labels, overrides, web, poll == null ? ClientConfig.DEFAULT_POLL_INTERVAL_MILLIS : poll.intValue(), dedup,
        wireGuardOnly, bindToDevice);
    return new Parsed<>(config, warnings);
  }

  public static Parsed<ServerConfig> server(String file, JsonObject root) throws ConfigException {
    List<String> warnings = new ArrayList<>();
    SectionReader r = section(file, root, Role.SERVER, warnings);
    String description = r.string("description");
    HostPort listen = r.requiredAddress("listenAddr");
    HostPort dst = r.requiredAddress("dstAddr");
    int clientTimeout = clientTimeout(r, "clientTimeout");
    WriteTimeout writeTimeout = WriteTimeout.read(r, "writeTimeout");
    WebManagerConfig web = webManager(r);
    boolean filter = r.bool("wireGuardFilter", true);
    boolean dedup = r.bool("duplicateFilter", true);
    byte[] publicKey = publicKey(r, "wireGuardPublicKey");
    r.collectUnknown();
    return new Parsed<>(new ServerConfig(description, listen, dst, clientTimeout, writeTimeout, web, filter, dedup,
        publicKey), warnings);
  }

  /**
   * Seconds, 30 when 0 or absent. engarde takes a negative number too, and then times every client out as soon as
   * WireGuard answers it, so that nothing reaches any client: we use the default instead, with a warning.
   */
  private static int clientTimeout(SectionReader r, String key) throws ConfigException {
    int seconds = r.int32(key, "seconds", 0);
    if (seconds < 0) {
      r.warn(key, seconds + " is negative, which in engarde times every client out at once; using the default "
          + ServerConfig.DEFAULT_CLIENT_TIMEOUT_SECONDS);
    }
    return seconds > 0 ? seconds : ServerConfig.DEFAULT_CLIENT_TIMEOUT_SECONDS;
  }

  /**
   * One entry, or null when it has no ifName: engarde keeps such an entry, which applies to no interface. Without
   * dstAddr an entry is an error: engarde would never use that interface, and nobody writes one meaning that.
   */
  private static DstOverride dstOverride(SectionReader o) throws ConfigException {
    String ifName = o.string("ifName");
    if (ifName.isBlank()) {
      o.string("dstAddr");
      o.warn("ifName", "missing, so this entry applies to no interface; ignored");
      return null;
    }
    return new DstOverride(ifName, o.requiredAddress("dstAddr"));
  }

  /** A WireGuard public key as {@code wg pubkey} prints it (base64 of 32 bytes), or null when absent or empty. */
  private static byte[] publicKey(SectionReader r, String key) throws ConfigException {
    String text = r.string(key).trim();
    if (text.isEmpty()) {
      return null;
    }
    try {
      byte[] bytes = java.util.Base64.getDecoder().decode(text);
      if (bytes.length == 32) {
        return bytes;
      }
    } catch (IllegalArgumentException notBase64) {
      // reported below
    }
    throw new ConfigException(r.where(key) + ": " + SectionReader.quoted(text) + " is not a WireGuard public key "
        + "(44 characters of base64, as `wg show INTERFACE public-key` prints it)");
  }

  private static SectionReader section(String file, JsonObject root, Role role, List<String> warnings)
      throws ConfigException {
    Object section = root == null ? null : root.getValue(role.section());
    if (section == null) {
      throw new ConfigException(file + ": no " + role.section() + ": section in " + file);
    }
    if (!(section instanceof JsonObject map)) {
      throw new ConfigException(file + ": " + role.section() + ": expected a map, got " + SectionReader.quoted(section));
    }
    return new SectionReader(file, role.section(), map, warnings);
  }

  private static WebManagerConfig webManager(SectionReader r) throws ConfigException {
    SectionReader w = r.nested("webManager");
    if (w == null) {
      return WebManagerConfig.OFF;
    }
    HostPort listen = w.optionalAddress("listenAddr");
    String user = w.string("username");
    String password = w.string("password");
    List<String> hosts = w.stringList("allowedHosts", "a host name", ConfigParser::hostName);
    w.collectUnknown();
    return listen == null ? WebManagerConfig.OFF : new WebManagerConfig(listen, user, password, hosts);
  }

  /**
   * A name the web manager may be reached by, as a browser puts it in the Host header: a DNS name, or an IP
   * address (always allowed, so listing one is harmless). Lower case, without a trailing dot, IPv6 in brackets:
   * the form the Host check compares.
   */
  private static String hostName(String where, String value) throws ConfigException {
    String name = value.trim().toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    if (NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name)) {
      return name.indexOf(':') >= 0 ? "[" + name + "]" : name;
    }
    if (name.length() > 253 || !HOST_NAME.matcher(name).matches()) {
      throw new ConfigException(where + ": " + SectionReader.quoted(value)
          + " is not a host name (write the name alone, like router.lan: no scheme, port or path)");
    }
    return name;
  }
}
