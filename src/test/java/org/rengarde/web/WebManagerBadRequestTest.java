package org.rengarde.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests no browser or script should send, written by hand: each gets a 4xx with a JSON error (never a 500),
 * and nothing is logged with a stack trace (the support class checks the log after every test).
 */
class WebManagerBadRequestTest extends WebManagerTestSupport {

  private static RawHttp.Reply rawGet(int port, String target) throws Exception {
    return RawHttp.exchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close");
  }

  private static void assertJsonError(int status, RawHttp.Reply r, String what) {
    assertEquals(status, r.status(), what + " -> " + r);
    assertTrue(r.header("Content-Type") != null && r.header("Content-Type").startsWith("application/json"),
        what + " -> " + r.headers());
    assertNotNull(r.json().getString("error"), what + " -> " + r);
  }

  @Test
  void anUnknownFileIsA404() throws Exception {
    ServerSetup server = startServer("", "");
    assertJsonError(404, rawGet(server.webPort(), "/nope.html"), "/nope.html");
  }

  @Test
  void anUnknownApiPathIsA404() throws Exception {
    ServerSetup server = startServer("", "");
    for (String path : List.of("/api/v1/nope", "/api/v1/", "/api/v2/get-list", "/api/v1/exclude")) {
      assertJsonError(404, rawGet(server.webPort(), path), path + " (the server has no exclusions)");
    }
  }

  @Test
  void anotherMethodThanGetOnAStaticFileIsA405() throws Exception {
    ServerSetup server = startServer("", "");
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "BREW")) {
      RawHttp.Reply r = RawHttp.exchange(server.webPort(), method + " /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Length: 0\r\nConnection: close");
      assertJsonError(405, r, method);
      assertEquals("GET, HEAD", r.header("Allow"), method);
    }
  }

  @Test
  void pathsThatEscapeTheWebrootFindNothing() throws Exception {
    ServerSetup server = startServer("", "");
    for (String path : List.of("/../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
        "/webjars/../../../etc/passwd", "/index.html%00.js", "/%00")) {
      assertJsonError(404, rawGet(server.webPort(), path), path);
    }
  }

  @Test
  void aBadPercentEscapeInThePathIsA4xx() throws Exception {
    ServerSetup server = startServer("", "");
    for (String path : List.of("/%zz", "/api/v1/%", "/api/v1/get-list%")) {
      RawHttp.Reply r = rawGet(server.webPort(), path);
      assertTrue(r.status() == 400 || r.status() == 404, path + " -> " + r);
      assertJsonError(r.status(), r, path);
    }
  }

  @Test
  void aBadQueryStringIsIgnoredByGetList() throws Exception {
    ServerSetup server = startServer("", "");
    RawHttp.Reply r = rawGet(server.webPort(), "/api/v1/get-list?%zz=%&a=" + "b".repeat(1000));
    assertEquals(200, r.status(), r.toString());
  }

  @Test
  void aTargetThatIsNotAPathIsA4xx() throws Exception {
    ServerSetup server = startServer("", "");
    for (String target : List.of("*", "api/v1/get-list", "http://evil.example/api/v1/get-list",
        "http://@/api/v1/get-list", "http://[::1/")) {
      RawHttp.Reply r = rawGet(server.webPort(), target);
      assertTrue(r.status() >= 400 && r.status() < 500, target + " -> " + r);
      assertJsonError(r.status(), r, target);
    }
  }

  @Test
  void aVeryLongUrlIsA414() throws Exception {
    ServerSetup server = startServer("", "");
    assertJsonError(414, rawGet(server.webPort(), "/" + "a".repeat(10_000)), "10,000-character path");
  }

  @Test
  void tooManyHeaderBytesIsA431() throws Exception {
    ServerSetup server = startServer("", "");
    RawHttp.Reply r = RawHttp.exchange(server.webPort(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: "
        + "j".repeat(20_000) + "\r\nConnection: close");
    assertJsonError(431, r, "a 20,000-byte header");
  }

  @Test
  void aMalformedRequestLineIsA400() throws Exception {
    ServerSetup server = startServer("", "");
    for (String line : List.of("GARBAGE", "GET  HTTP/1.1", "GET / HTTP/1.1 extra")) {
      assertJsonError(400, RawHttp.exchange(server.webPort(), line + "\r\nHost: 127.0.0.1"), line);
    }
  }

  /** The one refusal that is not ours: Vert.x answers it before any handler, with an empty body. */
  @Test
  void aProtocolOtherThanHttp10Or11IsVertxs501() throws Exception {
    ServerSetup server = startServer("", "");
    for (String version : List.of("HTTP/9.9", "FTP/1.0", "HTTP/2.0")) {
      RawHttp.Reply r = RawHttp.exchange(server.webPort(), "GET / " + version + "\r\nHost: 127.0.0.1");
      assertEquals(501, r.status(), version + " -> " + r);
      assertEquals("", r.body(), version);
    }
  }

  @Test
  void aHeaderLineWithoutAColonIsA400() throws Exception {
    ServerSetup server = startServer("", "");
    assertJsonError(400, RawHttp.exchange(server.webPort(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here"),
        "header without colon");
  }

  @Test
  void aContentLengthThatIsNotANumberIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    assertJsonError(400, RawHttp.exchange(client.webPort(), "POST /api/v1/exclude HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Length: twelve", "{}".getBytes(StandardCharsets.US_ASCII)), "Content-Length: twelve");
  }

  @Test
  void twoDifferentContentLengthsAreA400() throws Exception {
    ClientSetup client = startClient("", "");
    byte[] body = "{\"interface\":\"eth9\"}".getBytes(StandardCharsets.US_ASCII);
    assertJsonError(400, RawHttp.exchange(client.webPort(), "POST /api/v1/exclude HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Length: " + body.length + "\r\nContent-Length: 2", body), "two Content-Lengths");
    assertEquals("idle", statusOf(getList(client.webPort()), "eth9"));
  }

  @Test
  void aBadChunkSizeIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    RawHttp.Reply r = RawHttp.exchange(client.webPort(), "POST /api/v1/exclude HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Transfer-Encoding: chunked", "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertJsonError(400, r, "chunk size zz");
    assertEquals("idle", statusOf(getList(client.webPort()), "eth9"));
  }

  @Test
  void malformedBasicAuthHeadersAreA401() throws Exception {
    ServerSetup server = startServer(USER, PASSWORD);
    String noColon = Base64.getEncoder().encodeToString((USER + PASSWORD).getBytes(StandardCharsets.UTF_8));
    String notUtf8 = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', (byte) 0xfe});
    for (String header : List.of("Basic", "Basic ", "Basic !!!not-base64!!!", "Basic " + noColon,
        "Basic " + notUtf8, "Bearer abc", "basic", "Basic " + "A".repeat(6000), "Digest username=\"admin\"")) {
      RawHttp.Reply r = RawHttp.exchange(server.webPort(), "GET /api/v1/get-list HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: " + header + "\r\nConnection: close");
      assertJsonError(401, r, header.length() > 40 ? header.substring(0, 40) + "..." : header);
      assertEquals("Basic realm=\"engarde\"", r.header("WWW-Authenticate"));
    }
  }

  @Test
  void aPipelinedGarbageRequestAfterAGoodOneIsA400() throws Exception {
    ServerSetup server = startServer("", "");
    try (var s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.webPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET /api/v1/get-list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          + "\u0001\u0002 garbage\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      assertEquals(200, RawHttp.read(s.getInputStream()).status());
      RawHttp.Reply second = RawHttp.read(s.getInputStream());
      assertJsonError(400, second, "garbage after a good request");
    }
  }
}
