package org.rengarde.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State changes a browser sends for another site's page are refused (403, JSON error, nothing toggled), as the
 * browser marks them: Sec-Fetch-Site, Origin, Referer. The page's own requests and scripts that send none of these
 * headers pass.
 */
class WebManagerCrossSiteTest extends WebManagerTestSupport {
  private static final JsonObject OK = new JsonObject().put("status", "ok");

  private HttpResponse<Buffer> exclude(int port, Map<String, String> headers) throws Exception {
    return send(HttpMethod.POST, port, "/api/v1/exclude", headers, "{\"interface\":\"eth9\"}");
  }

  private HttpResponse<Buffer> send(HttpMethod method, int port, String path, Map<String, String> headers, String body)
      throws Exception {
    HttpRequest<Buffer> r = request(method, port, path);
    headers.forEach(r::putHeader);
    return await(body == null ? r.send() : r.sendBuffer(Buffer.buffer(body)));
  }

  private void assertRefused(ClientSetup client, HttpResponse<Buffer> r) throws Exception {
    assertEquals(403, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
    assertTrue(r.bodyAsJsonObject().getString("error").startsWith("cross-site request refused"), r.bodyAsString());
    assertEquals("idle", statusOf(getList(client.webPort()), "eth9"), "nothing was toggled");
  }

  private void assertExcluded(ClientSetup client, HttpResponse<Buffer> r) throws Exception {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(OK, r.bodyAsJsonObject());
    assertEquals("excluded", statusOf(getList(client.webPort()), "eth9"));
  }

  private static String self(ClientSetup client) {
    return "http://127.0.0.1:" + client.webPort();
  }

  @Test
  void aForeignOriginIsRefused() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, exclude(client.webPort(), Map.of("Origin", "https://evil.example")));
  }

  @Test
  void theNullOriginIsRefused() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, exclude(client.webPort(), Map.of("Origin", "null")));
  }

  @Test
  void anOriginOnAnotherPortIsRefused() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, exclude(client.webPort(), Map.of("Origin", "http://127.0.0.1:" + (client.webPort() + 1))));
  }

  @Test
  void secFetchSiteCrossSiteIsRefused() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, exclude(client.webPort(), Map.of("Sec-Fetch-Site", "cross-site")));
  }

  @Test
  void secFetchSiteSameSiteIsRefused() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, exclude(client.webPort(), Map.of("Sec-Fetch-Site", "same-site", "Origin", self(client))));
  }

  @Test
  void anImgPointingAtResetExclusionsIsRefused() throws Exception {
    ClientSetup client = startClient("", "");
    command(client.webPort(), "/api/v1/exclude", "eth9");
    // what a browser sends for <img src="http://127.0.0.1:PORT/api/v1/reset-exclusions"> on another site: no Origin
    HttpResponse<Buffer> r = send(HttpMethod.GET, client.webPort(), "/api/v1/reset-exclusions", Map.of(
        "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "image",
        "Referer", "https://evil.example/page.html", "Accept", "image/avif,image/webp,*/*"), null);
    assertEquals(403, r.statusCode(), r.bodyAsString());
    assertNotNull(r.bodyAsJsonObject().getString("error"));
    assertEquals("excluded", statusOf(getList(client.webPort()), "eth9"), "the exclusion survived");
  }

  @Test
  void aForeignRefererWithoutOriginIsRefused() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, exclude(client.webPort(), Map.of("Referer", "https://evil.example/page.html")));
  }

  @Test
  void anUnparsableRefererIsRefused() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, exclude(client.webPort(), Map.of("Referer", "http://[not a host/")));
  }

  @Test
  void aPreflightFromAForeignOriginIsRefused() throws Exception {
    ClientSetup client = startClient("", "");
    HttpResponse<Buffer> r = send(HttpMethod.OPTIONS, client.webPort(), "/api/v1/exclude", Map.of(
        "Origin", "https://evil.example", "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "content-type", "Sec-Fetch-Site", "cross-site"), null);
    assertEquals(403, r.statusCode(), r.bodyAsString());
    assertEquals(null, r.getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  void thePagesOwnRequestIsAccepted() throws Exception {
    ClientSetup client = startClient("", "");
    assertExcluded(client, exclude(client.webPort(), Map.of("Origin", self(client), "Sec-Fetch-Site", "same-origin",
        "Referer", self(client) + "/", "Content-Type", "application/json")));
  }

  @Test
  void aSameOriginRefererIsAccepted() throws Exception {
    ClientSetup client = startClient("", "");
    assertExcluded(client, exclude(client.webPort(), Map.of("Referer", self(client) + "/index.html")));
  }

  @Test
  void theOriginsCaseDoesNotMatter() throws Exception {
    ClientSetup client = startClient("", "");
    assertExcluded(client, exclude(client.webPort(),
        Map.of("Host", "LocalHost:" + client.webPort(), "Origin", "HTTP://localhost:" + client.webPort())));
  }

  @Test
  void behindAProxyThatAddsTlsTheOriginsDefaultPortMatchesAHostWithoutPort() throws Exception {
    ClientSetup client = startClient("", "", List.of("router.lan"));
    assertExcluded(client, exclude(client.webPort(),
        Map.of("Host", "router.lan", "Origin", "https://router.lan", "Sec-Fetch-Site", "same-origin")));
  }

  @Test
  void aHostWithoutPortIsNotTheSameOriginAsAnotherPort() throws Exception {
    ClientSetup client = startClient("", "", List.of("router.lan"));
    assertRefused(client, exclude(client.webPort(), Map.of("Host", "router.lan", "Origin", "https://router.lan:8443")));
  }

  @Test
  void secFetchSiteNoneIsAccepted() throws Exception {
    ClientSetup client = startClient("", "");
    // typed in the address bar or opened from a bookmark: the user's own doing
    assertExcluded(client, exclude(client.webPort(), Map.of("Sec-Fetch-Site", "none")));
  }

  @Test
  void aScriptWithoutAnyOfTheseHeadersIsAccepted() throws Exception {
    ClientSetup client = startClient("", "");
    assertExcluded(client, exclude(client.webPort(), Map.of()));
  }

  @Test
  void readingGetListIsNotAStateChange() throws Exception {
    ClientSetup client = startClient("", "");
    HttpResponse<Buffer> r = send(HttpMethod.GET, client.webPort(), "/api/v1/get-list",
        Map.of("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(null, r.getHeader("Access-Control-Allow-Origin"), "no CORS: the other page cannot read it");
  }

  /**
   * Found by WebManagerProperties: an absolute target addressed to the manager passes the Host check whatever the
   * Host header says, so the origin is compared with the target's authority too, not with that header.
   */
  @Test
  void anAbsoluteTargetsAuthorityIsTheOriginComparedNotTheHostHeader() throws Exception {
    ClientSetup client = startClient("", "");
    String body = "{\"interface\":\"eth9\"}";
    RawHttp.Reply r = RawHttp.exchange(client.webPort(), "POST " + self(client) + "/api/v1/exclude HTTP/1.1\r\n"
        + "Host: evil.example\r\nOrigin: http://evil.example\r\nContent-Length: " + body.length()
        + "\r\nConnection: close", body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(403, r.status(), r.toString());
    assertTrue(r.json().getString("error").startsWith("cross-site request refused"), r.toString());
    assertEquals("idle", statusOf(getList(client.webPort()), "eth9"), "nothing was toggled");
  }
}
