package org.rengarde.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Refuses a state change that a browser sent on behalf of another site's page (a form, a fetch, an
 * {@code <img src>} pointing at reset-exclusions): {@code Sec-Fetch-Site} other than same-origin or none, an
 * {@code Origin} that is not this manager's, or, with no Origin, a {@code Referer} that is not. Scripts (curl,
 * LuCI's backend) send none of these headers and pass. The manager's origin is the host and port the request was
 * addressed to, as the {@link HostCheck} reads them (an absolute target's, else the Host header's); the scheme is
 * not compared, so the page keeps working behind a proxy that adds TLS.
 */
final class CrossSiteCheck implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    String refusal = refusal(ctx.request());
    if (refusal == null) {
      ctx.next();
    } else {
      ctx.fail(new HttpException(403, refusal));
    }
  }

  /** Why the request must be refused, or null. */
  static String refusal(HttpServerRequest request) {
    return refusal(request.getHeader("Sec-Fetch-Site"), request.getHeader("Origin"), request.getHeader("Referer"),
        HostCheck.addressed(request));
  }

  /** The decision on the headers (null when absent) and the host and port the request was addressed to. */
  static String refusal(String site, String origin, String referer, HostAndPort self) {
    if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
      return "cross-site request refused: the browser sent it for another site's page (Sec-Fetch-Site: " + site + ")";
    }
    if (origin != null) {
      return sameOrigin(origin, self) ? null
          : "cross-site request refused: it comes from the page at " + origin + ", not from this web manager";
    }
    if (referer != null && !sameOrigin(referer, self)) {
      return "cross-site request refused: it comes from the page " + referer + ", not from this web manager";
    }
    return null;
  }

  /** Whether {@code url} (an Origin or a Referer) is an http(s) address of {@code self}'s host and port. */
  private static boolean sameOrigin(String url, HostAndPort self) {
    if (self == null) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    int defaultPort = switch (scheme) {
      case "http" -> 80;
      case "https" -> 443;
      default -> -1;
    };
    String authority = uri.getRawAuthority();
    if (defaultPort < 0 || authority == null) {
      return false;
    }
    // URI.getHost() is null for names with '_': read the authority the way the Host header was read
    HostAndPort other = HostAndPort.parseAuthority(authority.substring(authority.lastIndexOf('@') + 1), defaultPort);
    int selfPort = self.port() < 0 ? defaultPort : self.port();
    return other != null && other.host().equalsIgnoreCase(self.host()) && other.port() == selfPort;
  }
}
