package org.rengarde.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.quicktheories.api.Pair.of;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Generators of configuration documents as vertx-config hands them over (maps as JsonObject, lists as JsonArray),
 * with whatever SnakeYAML can put in them too (big integers, instants, byte arrays, sets): valid sections with
 * the records they must give, and arbitrary trees over the real keys.
 */
final class ConfigTrees {
  static final List<String> CLIENT_KEYS = List.of("description", "listenAddr", "dstAddr", "writeTimeout",
      "excludedInterfaces", "interfaceLabels", "dstOverrides", "webManager", "pollInterval", "duplicateFilter",
      "wireGuardFilter");
  static final List<String> SERVER_KEYS = List.of("description", "listenAddr", "dstAddr", "clientTimeout",
      "writeTimeout", "webManager", "wireGuardFilter", "duplicateFilter", "wireGuardPublicKey");
  private static final List<String> NESTED_KEYS = List.of("ifName", "dstAddr", "listenAddr", "username", "password",
      "allowedHosts");

  private ConfigTrees() {
  }

  /** A section and the record it must parse to. */
  record Valid<T>(JsonObject section, T expected) {
  }

  // ---- arbitrary trees

  /** Strings that look like what the keys take, and some that do not. */
  static Gen<String> text() {
    Gen<String> shaped = Generate.pick(List.of("", " ", "127.0.0.1:59401", "[::1]:59402", ":59402", "0.0.0.0:0",
        "host:65536", "host:-1", "a:b:c", "[::1", "vpn.example.org:59402", "eth0", "wg0", "lo", "a/b", "x y",
        "router.lan", "ROUTER.LAN.", "[fe80::1]", "http://x/", "0", "-1", "2147483648", "99999999999999999999",
        "true", "yes", "~", "null", "\n", "\t\u0000\u001b", "\u2028", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "not base64!", "é.lan"));
    return Generate.frequency(of(3, shaped), of(1, strings().ascii().ofLengthBetween(0, 20)),
        of(1, strings().basicMultilingualPlaneAlphabet().ofLengthBetween(0, 10)));
  }

  /** Any value a YAML document can hold; {@code depth} bounds the nesting. */
  static Gen<Object> value(int depth) {
    Gen<Object> scalar = Generate.frequency(
        of(4, text().map(s -> (Object) s)),
        of(2, integers().all().map(i -> (Object) i)),
        of(1, longs().all().map(l -> (Object) l)),
        of(1, doubles().any().map(d -> (Object) d)),
        of(1, booleans().all().map(b -> (Object) b)),
        of(1, Generate.constant(() -> (Object) null)),
        of(1, longs().all().map(l -> (Object) BigInteger.valueOf(l).shiftLeft(70))),
        of(1, longs().between(0, 4_000_000_000L).map(s -> (Object) Instant.ofEpochSecond(s))),
        of(1, text().map(s -> (Object) s.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    if (depth == 0) {
      return scalar;
    }
    return Generate.frequency(of(6, scalar), of(1, list(depth - 1)), of(1, map(depth - 1, NESTED_KEYS)),
        of(1, value(depth - 1).map(v -> (Object) new LinkedHashSet<>(java.util.Collections.singleton(v)))));
  }

  private static Gen<Object> list(int depth) {
    return lists().of(value(depth)).ofSizeBetween(0, 3).map(l -> (Object) new JsonArray(new ArrayList<>(l)));
  }

  /** A map over {@code keys} and a few unknown ones; values of any kind. */
  static Gen<Object> map(int depth, List<String> keys) {
    Gen<String> key = Generate.frequency(of(5, Generate.pick(keys)), of(1, text()));
    Gen<Map.Entry<String, Object>> entry = key.zip(value(depth), java.util.AbstractMap.SimpleEntry::new);
    return lists().of(entry).ofSizeBetween(0, 6).map(entries -> {
      Map<String, Object> m = new LinkedHashMap<>();
      entries.forEach(e -> m.put(e.getKey(), e.getValue()));
      return (Object) new JsonObject(m);
    });
  }

  /** A document whose section is usually a map over the section's keys, each valid or arbitrary. */
  static Gen<JsonObject> document(String section, List<String> keys, Gen<? extends Valid<?>> valid) {
    Gen<Object> sectionValue = Generate.frequency(
        of(6, valid.zip(map(2, keys), (v, noise) -> (Object) mixed(v.section(), (JsonObject) noise))),
        of(2, map(2, keys)),
        of(1, value(1)));
    return Generate.frequency(
        of(12, sectionValue.map(v -> new JsonObject().put(section, v))),
        of(1, map(1, List.of("client", "server")).map(o -> (JsonObject) o))).describedAs(ConfigTrees::describe);
  }

  /** A tree as text, whatever it holds (JsonObject.toString fails on a set, which SnakeYAML can make). */
  static String describe(Object value) {
    if (value instanceof JsonObject o) {
      return describe(o.getMap());
    }
    if (value instanceof JsonArray a) {
      return describe(a.getList());
    }
    if (value instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(describe(k)).append(": ").append(describe(v)));
      return sb.append("}").toString();
    }
    if (value instanceof Iterable<?> list) {
      StringBuilder sb = new StringBuilder(value instanceof Set ? "set[" : "[");
      list.forEach(v -> sb.append(sb.length() > 4 ? ", " : "").append(describe(v)));
      return sb.append("]").toString();
    }
    if (value instanceof byte[] b) {
      return "bytes" + java.util.Arrays.toString(b);
    }
    if (value instanceof String s) {
      return "\"" + SectionReader.escape(s) + "\"";
    }
    return String.valueOf(value) + (value == null ? "" : "(" + value.getClass().getSimpleName() + ")");
  }

  /** {@code valid} with some of its keys replaced or added from {@code noise}. */
  private static JsonObject mixed(JsonObject valid, JsonObject noise) {
    JsonObject out = valid.copy();
    noise.getMap().forEach(out.getMap()::put);
    return out;
  }

  // ---- valid sections

  private static final Gen<String> NAME = strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 8);

  static Gen<HostPort> hostPort() {
    Gen<Integer> octet = integers().between(0, 255);
    Gen<String> ipv4 = octet.zip(octet, octet, octet, (a, b, c, d) -> a + "." + b + "." + c + "." + d);
    Gen<String> ipv6 = Generate.pick(List.of("::1", "fe80::1", "2001:db8::7", "::"));
    Gen<String> name = NAME.zip(NAME, (a, b) -> a + "." + b);
    Gen<String> host = Generate.frequency(of(3, ipv4), of(1, ipv6), of(2, name), of(1, Generate.constant("")));
    return host.zip(integers().between(1, 65535), HostPort::new);
  }

  /** How the file writes a host and port; {@code :port} for every address. */
  static String written(HostPort hp) {
    return hp.host().indexOf(':') >= 0 ? "[" + hp.host() + "]:" + hp.port() : hp.host() + ":" + hp.port();
  }

  private static HostPort parsed(HostPort written) {
    return written.host().isEmpty() ? new HostPort("0.0.0.0", written.port()) : written;
  }

  private static Gen<String> anyString() {
    return Generate.frequency(of(3, strings().basicLatinAlphabet().ofLengthBetween(0, 12)),
        of(1, strings().betweenCodePoints(0x20, 0xD7FF).ofLengthBetween(0, 6)));
  }

  /** An allowedHosts entry as written and as the parser keeps it. */
  private static Gen<String[]> allowedHost() {
    Gen<String[]> name = NAME.zip(NAME, booleans().all(), booleans().all(), (a, b, upper, dot) -> {
      String n = a + "." + b;
      return new String[] {(upper ? n.toUpperCase(Locale.ROOT) : n) + (dot ? "." : ""), n};
    });
    Gen<String[]> ip = hostPort().map(hp -> hp.host().isEmpty() || !hp.host().matches("[0-9.]+")
        ? new String[] {"[::1]", "[::1]"} : new String[] {hp.host(), hp.host()});
    return Generate.frequency(of(3, name), of(1, ip));
  }

  /** The webManager map as written, and as parsed. */
  record Web(JsonObject json, WebManagerConfig expected) {
  }

  private record Addresses(HostPort listen, HostPort dst, int writeTimeout) {
  }

  private record Interfaces(List<String> excluded, List<String> labelled, List<HostPort> overrides) {
  }

  private record ClientKeys(Web web, int pollInterval, boolean duplicateFilter, boolean wireGuardFilter) {
  }

  private record ServerKeys(Web web, int clientTimeout, boolean wireGuardFilter, boolean duplicateFilter,
                            byte[] publicKey) {
  }

  private static Gen<Web> webManager() {
    Gen<List<String[]>> hosts = lists().of(allowedHost()).ofSizeBetween(0, 3);
    return hostPort().zip(NAME, anyString(), hosts, (listen, user, password, h) -> new Web(
        new JsonObject().put("listenAddr", written(listen)).put("username", user).put("password", password)
            .put("allowedHosts", new JsonArray(h.stream().map(x -> (Object) x[0]).toList())),
        new WebManagerConfig(parsed(listen), user, password, h.stream().map(x -> x[1]).toList())));
  }

  private static Gen<Addresses> addresses() {
    return hostPort().zip(hostPort(), integers().all(), Addresses::new);
  }

  static Gen<Valid<ClientConfig>> validClient() {
    Gen<List<String>> names = lists().of(NAME).ofSizeBetween(0, 3);
    Gen<Interfaces> interfaces = names.zip(names, lists().of(hostPort()).ofSizeBetween(0, 2), Interfaces::new);
    Gen<ClientKeys> keys = webManager().zip(integers().between(50, 60_000), booleans().all(), booleans().all(),
        ClientKeys::new);
    return anyString().zip(addresses(), interfaces, keys, (description, a, i, k) -> {
      JsonObject labels = new JsonObject();
      i.labelled().forEach(name -> labels.put(name, "Label " + name));
      JsonArray overrides = new JsonArray();
      List<DstOverride> expectedOverrides = new ArrayList<>();
      for (int n = 0; n < i.overrides().size(); n++) {
        overrides.add(new JsonObject().put("ifName", "eth" + n).put("dstAddr", written(i.overrides().get(n))));
        expectedOverrides.add(new DstOverride("eth" + n, parsed(i.overrides().get(n))));
      }
      JsonObject section = new JsonObject()
          .put("description", description)
          .put("listenAddr", written(a.listen()))
          .put("dstAddr", written(a.dst()))
          .put("writeTimeout", a.writeTimeout())
          .put("excludedInterfaces", new JsonArray(new ArrayList<>(i.excluded())))
          .put("interfaceLabels", labels)
          .put("dstOverrides", overrides)
          .put("webManager", k.web().json())
          .put("pollInterval", k.pollInterval())
          .put("duplicateFilter", k.duplicateFilter())
          .put("wireGuardFilter", k.wireGuardFilter());
      Map<String, String> expectedLabels = new LinkedHashMap<>();
      i.labelled().forEach(name -> expectedLabels.put(name, "Label " + name));
      return new Valid<>(section, new ClientConfig(description, parsed(a.listen()), parsed(a.dst()),
          WriteTimeout.fromConfigured(a.writeTimeout()), Set.copyOf(i.excluded()), expectedLabels, expectedOverrides,
          k.web().expected(), k.pollInterval(), k.duplicateFilter(), k.wireGuardFilter()));
    });
  }

  static Gen<Valid<ServerConfig>> validServer() {
    Gen<byte[]> key = Generate.byteArrays(Generate.constant(32), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE,
        (byte) 0));
    Gen<byte[]> optionalKey = Generate.frequency(of(1, key), of(1, Generate.constant(() -> (byte[]) null)));
    Gen<ServerKeys> keys = webManager().zip(integers().between(0, Integer.MAX_VALUE), booleans().all(),
        booleans().all(), optionalKey, ServerKeys::new);
    return anyString().zip(addresses(), keys, (description, a, k) -> {
      JsonObject section = new JsonObject()
          .put("description", description)
          .put("listenAddr", written(a.listen()))
          .put("dstAddr", written(a.dst()))
          .put("clientTimeout", k.clientTimeout())
          .put("writeTimeout", a.writeTimeout())
          .put("webManager", k.web().json())
          .put("wireGuardFilter", k.wireGuardFilter())
          .put("duplicateFilter", k.duplicateFilter())
          .put("wireGuardPublicKey", k.publicKey() == null ? "" : Base64.getEncoder().encodeToString(k.publicKey()));
      int timeout = k.clientTimeout() == 0 ? ServerConfig.DEFAULT_CLIENT_TIMEOUT_SECONDS : k.clientTimeout();
      return new Valid<>(section, new ServerConfig(description, parsed(a.listen()), parsed(a.dst()), timeout,
          WriteTimeout.fromConfigured(a.writeTimeout()), k.web().expected(), k.wireGuardFilter(),
          k.duplicateFilter(), k.publicKey()));
    });
  }
}
