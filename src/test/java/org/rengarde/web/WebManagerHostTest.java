package org.rengarde.web;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Host check against DNS rebinding, on every route: IP literals, localhost, the listen host and
 * webManager.allowedHosts pass; any other name is a 403 naming the key, before Basic auth.
 */
class WebManagerHostTest extends WebManagerTestSupport {

  private static RawHttp.Reply get(int port, String path, String host) throws Exception {
    return RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
        + "Connection: close");
  }

  private static void assertForeignHost(RawHttp.Reply r, String host, String key) {
    assertEquals(403, r.status(), r.toString());
    assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
    String error = r.json().getString("error");
    assertTrue(error.contains("\"" + host + "\""), error);
    assertTrue(error.contains(key), error);
  }

  @Test
  void aForeignHostIsRefusedNamingTheKey() throws Exception {
    ServerSetup server = startServer("", "");
    assertForeignHost(get(server.webPort(), "/api/v1/get-list", "evil.example:" + server.webPort()), "evil.example",
        "server.webManager.allowedHosts");
  }

  @Test
  void theClientNamesItsOwnKey() throws Exception {
    ClientSetup client = startClient("", "");
    assertForeignHost(get(client.webPort(), "/api/v1/reset-exclusions", "evil.example"), "evil.example",
        "client.webManager.allowedHosts");
  }

  @Test
  void namesThatMerelyStartLikeAnAllowedOneAreRefused() throws Exception {
    ServerSetup server = startServer("", "");
    for (String host : List.of("127.0.0.1.evil.example", "localhost.evil.example", "localhost2", "1.2.3.4.nip.io",
        "2130706433", "[evil.example]")) {
      assertEquals(403, get(server.webPort(), "/api/v1/get-list", host).status(), host);
    }
  }

  @Test
  void thePageWebjarsAndMetricsAreCheckedToo() throws Exception {
    ServerSetup server = startServer("", "");
    for (String path : List.of("/", "/index.html", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "/metrics",
        "/api/v1/events", "/nope")) {
      assertForeignHost(get(server.webPort(), path, "evil.example"), "evil.example", "allowedHosts");
    }
  }

  @Test
  void aForeignHostIsRefusedBeforeBasicAuth() throws Exception {
    ServerSetup server = startServer(USER, PASSWORD);
    RawHttp.Reply r = get(server.webPort(), "/", "evil.example");
    assertForeignHost(r, "evil.example", "allowedHosts");
    assertNull(r.header("WWW-Authenticate"), "a rebinding page gets no login prompt");
    RawHttp.Reply withCredentials = RawHttp.exchange(server.webPort(), "GET /api/v1/get-list HTTP/1.1\r\n"
        + "Host: evil.example\r\nAuthorization: " + basic(USER, PASSWORD) + "\r\nConnection: close");
    assertEquals(403, withCredentials.status(), "the right password does not make the name right");
  }

  @Test
  void aRefusedRequestWithoutBodyKeepsTheConnection() throws Exception {
    ServerSetup server = startServer("", "");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.webPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n"
          + "GET /api/v1/get-list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      RawHttp.Reply refused = RawHttp.read(s.getInputStream());
      assertEquals(403, refused.status(), refused.toString());
      assertNull(refused.header("Connection"));
      assertEquals(200, RawHttp.read(s.getInputStream()).status(), "the next request on the connection is served");
    }
  }

  @Test
  void ipLiteralsPass() throws Exception {
    ServerSetup server = startServer("", "");
    for (String host : List.of("127.0.0.1:" + server.webPort(), "127.0.0.1", "192.168.1.1:9002", "[::1]:"
        + server.webPort(), "[fe80::1]", "[::ffff:127.0.0.1]")) {
      RawHttp.Reply r = get(server.webPort(), "/api/v1/get-list", host);
      assertEquals(200, r.status(), host + " -> " + r);
      assertEquals("server", r.json().getString("type"));
    }
  }

  @Test
  void localhostPassesInAnyCase() throws Exception {
    ServerSetup server = startServer("", "");
    for (String host : List.of("localhost:" + server.webPort(), "LOCALHOST", "localhost.")) {
      assertEquals(200, get(server.webPort(), "/api/v1/get-list", host).status(), host);
    }
  }

  @Test
  void aListedHostPasses() throws Exception {
    ClientSetup client = startClient("", "", List.of("router.lan"));
    assertEquals(200, get(client.webPort(), "/api/v1/get-list", "Router.LAN:" + client.webPort()).status());
    assertEquals(200, get(client.webPort(), "/", "router.lan").status());
    assertForeignHost(get(client.webPort(), "/api/v1/get-list", "other.lan"), "other.lan", "allowedHosts");
  }

  @Test
  void aMissingHostOnHttp11IsA400() throws Exception {
    ServerSetup server = startServer("", "");
    RawHttp.Reply r = get(server.webPort(), "/api/v1/get-list", null);
    assertEquals(400, r.status(), r.toString());
    assertTrue(r.json().getString("error").contains("Host"), r.toString());
  }

  @Test
  void anEmptyHostIsA400() throws Exception {
    ServerSetup server = startServer("", "");
    RawHttp.Reply r = get(server.webPort(), "/api/v1/get-list", "");
    assertEquals(400, r.status(), r.toString());
    assertTrue(r.header("Content-Type").startsWith("application/json"));
  }

  @Test
  void http10WithoutHostPasses() throws Exception {
    ServerSetup server = startServer("", "");
    RawHttp.Reply r = RawHttp.exchange(server.webPort(), "GET /api/v1/get-list HTTP/1.0");
    assertEquals(200, r.status(), r.toString());
    assertEquals("server", r.json().getString("type"));
  }

  @Test
  void aMalformedHostIsA400() throws Exception {
    ServerSetup server = startServer("", "");
    for (String host : List.of("evil example", "a:b:c", "[::1", "127.0.0.1:99999", "127.0.0.1:port", "h\u00e9.lan")) {
      RawHttp.Reply r = get(server.webPort(), "/api/v1/get-list", host);
      assertEquals(400, r.status(), host + " -> " + r);
      assertTrue(r.json().getString("error").startsWith("the Host header is not host[:port]"), host + " -> " + r);
    }
  }

  /** Found by WebManagerProperties: Vert.x 5.0.7's router threw on these, and the request got no answer at all. */
  @Test
  void aHostWithAPercentEscapeIsA400() throws Exception {
    ServerSetup server = startServer("", "");
    for (String host : List.of("%-!6", "a%41b", "router%2elan", "%")) {
      RawHttp.Reply r = get(server.webPort(), "/api/v1/get-list", host);
      assertEquals(400, r.status(), host + " -> " + r);
      assertTrue(r.json().getString("error").startsWith("the Host header is not host[:port]"), host + " -> " + r);
    }
  }
}
