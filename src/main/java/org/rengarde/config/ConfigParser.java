package org.rengarde.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the YAML document (as vertx-config hands it over) into validated records. Pure: no I/O, no exit, so the
 * same code serves start-up and hot reload.
 */
public final class ConfigParser {

  private ConfigParser() {
  }

  /** The result: the section asked for, and one warning per unknown key. */
  public record Parsed<T>(T config, List<String> warnings) {
    public Parsed {
      warnings = List.copyOf(warnings);
    }
  }

  public static Parsed<ClientConfig> client(String file, JsonObject root) throws ConfigException {
    List<String> warnings = new ArrayList<>();
    SectionReader r = section(file, root, Role.CLIENT);
    String description = r.string("description");
    HostPort listen = r.requiredAddress("listenAddr");
    HostPort dst = r.requiredAddress("dstAddr");
    WriteTimeout writeTimeout = WriteTimeout.fromConfigured(r.integer("writeTimeout", 0));
    List<String> excluded = r.stringList("excludedInterfaces");
    var labels = r.stringMap("interfaceLabels");
    List<DstOverride> overrides = new ArrayList<>();
    for (SectionReader o : r.mapList("dstOverrides")) {
      String ifName = o.string("ifName");
      if (ifName.isBlank()) {
        throw new ConfigException(o.where("ifName") + ": required key is missing (expected an interface name)");
      }
      overrides.add(new DstOverride(ifName, o.requiredAddress("dstAddr")));
      o.collectUnknown(warnings);
    }
    WebManagerConfig web = webManager(r, warnings);
    int poll = r.integer("pollInterval", ClientConfig.DEFAULT_POLL_INTERVAL_MILLIS);
    if (poll < 50 || poll > 60_000) {
      throw new ConfigException(r.where("pollInterval") + ": " + poll + " ms is out of range 50-60000");
    }
    boolean dedup = r.bool("duplicateFilter", true);
    r.collectUnknown(warnings);
    ClientConfig config = new ClientConfig(description, listen, dst, writeTimeout, new java.util.LinkedHashSet<>(excluded),
        labels, overrides, web, poll, dedup);
    return new Parsed<>(config, warnings);
  }

  public static Parsed<ServerConfig> server(String file, JsonObject root) throws ConfigException {
    List<String> warnings = new ArrayList<>();
    SectionReader r = section(file, root, Role.SERVER);
    String description = r.string("description");
    HostPort listen = r.requiredAddress("listenAddr");
    HostPort dst = r.requiredAddress("dstAddr");
    int clientTimeout = r.integer("clientTimeout", 0);
    if (clientTimeout < 0) {
      throw new ConfigException(r.where("clientTimeout") + ": " + clientTimeout + " is negative (seconds; 0 means the default 30)");
    }
    if (clientTimeout == 0) {
      clientTimeout = ServerConfig.DEFAULT_CLIENT_TIMEOUT_SECONDS;
    }
    WriteTimeout writeTimeout = WriteTimeout.fromConfigured(r.integer("writeTimeout", 0));
    WebManagerConfig web = webManager(r, warnings);
    boolean filter = r.bool("wireGuardFilter", true);
    boolean dedup = r.bool("duplicateFilter", true);
    r.collectUnknown(warnings);
    return new Parsed<>(new ServerConfig(description, listen, dst, clientTimeout, writeTimeout, web, filter, dedup),
        warnings);
  }

  private static SectionReader section(String file, JsonObject root, Role role) throws ConfigException {
    Object section = root == null ? null : root.getValue(role.section());
    if (section == null) {
      throw new ConfigException(file + ": no " + role.section() + ": section in " + file);
    }
    if (!(section instanceof JsonObject map)) {
      throw new ConfigException(file + ": " + role.section() + ": expected a map, got " + SectionReader.quoted(section));
    }
    return new SectionReader(file, role.section(), map);
  }

  private static WebManagerConfig webManager(SectionReader r, List<String> warnings) throws ConfigException {
    SectionReader w = r.nested("webManager");
    if (w == null) {
      return WebManagerConfig.OFF;
    }
    HostPort listen = w.optionalAddress("listenAddr");
    String user = w.string("username");
    String password = w.string("password");
    w.collectUnknown(warnings);
    return listen == null ? WebManagerConfig.OFF : new WebManagerConfig(listen, user, password);
  }
}
