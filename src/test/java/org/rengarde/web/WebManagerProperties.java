package org.rengarde.web;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.api.Pair.of;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Hand-written requests with generated Host, Origin, Referer and Sec-Fetch-Site headers, targets and bodies, to a
 * real client web manager: every one gets a JSON answer from our handlers (never a 500, nor a stack trace in the
 * log), a foreign Host a 403 before anything else, a cross-site command a 403, and a clean command a 200.
 */
class WebManagerProperties extends WebManagerTestSupport {

  /** One request: how its Host is made, its cross-site headers, its target and its body. */
  record Request(Host host, String hostHeader, String site, String origin, String path, String body) {
    enum Host { OURS, FOREIGN, JUNK }

    boolean crossSite() {
      return (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none"))
          || origin != null;
    }

    String head() {
      return "POST " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n"
          + (site == null ? "" : "Sec-Fetch-Site: " + site + "\r\n")
          + (origin == null ? "" : "Origin: " + origin + "\r\n")
          + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close";
    }
  }

  /** Printable ASCII and Latin-1 without CR or LF: a header value that keeps the request framed. */
  private static Gen<String> headerText() {
    return strings().betweenCodePoints(0x20, 0xFF).ofLengthBetween(0, 30);
  }

  /** Printable ASCII: a header value Netty reads (Latin-1 it may refuse before any handler). */
  private static Gen<String> printable() {
    return strings().basicLatinAlphabet().ofLengthBetween(0, 30);
  }

  private static Gen<Request> requests(int port) {
    Gen<Object[]> host = Generate.frequency(
        of(3, Generate.pick(List.of("127.0.0.1:" + port, "localhost", "ROUTER.lan.", "[::1]:" + port, "10.0.0.1"))
            .map(h -> new Object[] {Request.Host.OURS, h})),
        of(2, Generate.pick(List.of("evil.example", "router.lan.evil.example", "localhost2:" + port, "rebind.me"))
            .map(h -> new Object[] {Request.Host.FOREIGN, h})),
        of(1, headerText().map(h -> new Object[] {Request.Host.JUNK, h})));
    Gen<String> site = Generate.frequency(of(3, Generate.constant(() -> (String) null)),
        of(1, Generate.pick(List.of("same-origin", "none", "cross-site", "same-site"))), of(1, printable()));
    Gen<String> origin = Generate.frequency(of(4, Generate.constant(() -> (String) null)),
        of(1, Generate.pick(List.of("http://evil.example", "null"))), of(1, printable()));
    Gen<String> path = Generate.pick(List.of("/api/v1/exclude", "/api/v1/include", "/api/v1/swap-exclusion",
        "/api/v1/get-list", "/index.html", "/nope", "http://evil.example/api/v1/exclude",
        "http://127.0.0.1:" + port + "/api/v1/include", "/api/v1/../../etc/passwd", "/%zz", "*"));
    Gen<String> body = Generate.frequency(of(3, Generate.pick(List.of("{\"interface\":\"eth9\"}", "interface=eth9",
        "", "{", "interface=%zz", "{\"interface\":\"a/b\"}"))), of(1, headerText()));
    return host.zip(site, origin, path, (h, s, o, p) -> new Object[] {h[0], h[1], s, o, p})
        .zip(body, (r, b) -> new Request((Request.Host) r[0], (String) r[1], (String) r[2], (String) r[3],
            (String) r[4], b));
  }

  @Test
  void everyRequestGetsAJsonAnswerAndTheChecksDecideAsTheyShould() throws Exception {
    ClientSetup client = startClient("", "", List.of("router.lan"));
    int port = client.webPort();
    qt().withExamples(60).withShrinkCycles(30).forAll(requests(port)).checkAssert(request -> {
      RawHttp.Reply reply;
      try {
        reply = RawHttp.exchange(port, request.head(), request.body().getBytes(StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new AssertionError(request + ": " + e, e);
      }
      assertNotEquals(500, reply.status(), () -> request + " -> " + reply);
      if (reply.status() != 200 || !request.path().endsWith(".html")) {
        assertTrue(String.valueOf(reply.header("Content-Type")).startsWith("application/json"),
            () -> request + " -> " + reply);
      }
      boolean command = request.path().matches(".*/api/v1/(exclude|include|swap-exclusion)");
      // an absolute target names the host instead of the Host header (RFC 9112 3.2.2)
      Request.Host addressed = request.path().startsWith("http://evil") ? Request.Host.FOREIGN
          : request.path().startsWith("http://") ? Request.Host.OURS : request.host();
      if (request.host() == Request.Host.JUNK) {
        return; // Vert.x may refuse the header before any handler: the answer only has to be ours, as above
      }
      if (request.path().equals("*")) {
        assertTrue(reply.status() == 400 || reply.status() == 404, () -> request + " -> " + reply); // not routed
      } else if (addressed == Request.Host.FOREIGN) {
        assertEquals(403, reply.status(), () -> request + " -> " + reply);
      } else if (command && request.crossSite()) {
        assertEquals(403, reply.status(), () -> request + " -> " + reply);
      } else if (command && List.of("{\"interface\":\"eth9\"}", "interface=eth9").contains(request.body())) {
        assertEquals(200, reply.status(), () -> request + " -> " + reply);
      }
    });
  }
}
