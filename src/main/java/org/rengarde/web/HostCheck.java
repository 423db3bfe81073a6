package org.rengarde.web;

import io.netty.util.NetUtil;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses requests addressed to a host name that is not the manager's, before anything else (Basic auth
 * included, so such a page learns nothing). This stops DNS rebinding: a page at evil.example that re-points its
 * name to 127.0.0.1 reaches the manager with {@code Host: evil.example}. IP literals, localhost, the listen host
 * and {@code webManager.allowedHosts} pass. A request with no Host at all is HTTP/1.0 (the router refuses an
 * HTTP/1.1 one with a 400), which no browser sends, and passes; an empty Host is a 400.
 */
final class HostCheck implements Handler<RoutingContext> {
  private final Set<String> names = new HashSet<>();
  private final String key;

  /** {@code key} names the config key to add a host to, for the refusal. */
  HostCheck(String listenHost, List<String> allowedHosts, String key) {
    this.key = key;
    names.add("localhost");
    names.add(normalized(listenHost));
    allowedHosts.forEach(h -> names.add(normalized(h)));
  }

  @Override
  public void handle(RoutingContext ctx) {
    HostAndPort authority = addressed(ctx.request());
    if (authority == null || allowed(authority.host())) {
      ctx.next();
      return;
    }
    if (authority.host().isEmpty()) {
      // an http URI with an empty host is invalid (RFC 9110 4.2.1)
      ctx.fail(new HttpException(400, "the request names no host (an empty Host header or target authority)"));
      return;
    }
    ctx.fail(new HttpException(403, "the Host \"" + authority.host() + "\" is not this web manager's name: add it to "
        + key + " to reach the manager by that name"));
  }

  /**
   * The host the request is for: an absolute-form target's, which overrides the Host header (RFC 9112 3.2.2;
   * only proxies are sent those, but a hand-written request may be), else the Host header's. An absolute target
   * whose authority cannot be read names the empty host, which is refused.
   */
  static HostAndPort addressed(HttpServerRequest request) {
    String target = request.uri();
    int scheme = target.indexOf("://");
    if (scheme < 0 || target.startsWith("/")) {
      return request.authority();
    }
    int end = target.indexOf('/', scheme + 3);
    String authority = target.substring(scheme + 3, end < 0 ? target.length() : end);
    HostAndPort parsed = HostAndPort.parseAuthority(authority.substring(authority.lastIndexOf('@') + 1), -1);
    return parsed == null ? HostAndPort.create("", -1) : parsed;
  }

  /** Whether a request addressed to {@code host} (as the Host header or target names it, port apart) passes. */
  boolean allowed(String host) {
    String name = normalized(host);
    return names.contains(name) || isIpLiteral(name);
  }

  /** As a browser may write it: any case, an optional trailing dot. */
  private static String normalized(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** An IPv4 address, or an IPv6 one in brackets, as in a Host header; no name is ever resolved here. */
  private static boolean isIpLiteral(String host) {
    if (host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
      return NetUtil.isValidIpV6Address(host.substring(1, host.length() - 1));
    }
    return NetUtil.isValidIpV4Address(host);
  }
}
