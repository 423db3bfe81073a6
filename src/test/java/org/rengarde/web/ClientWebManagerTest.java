package org.rengarde.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.rengarde.cli.Version;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's web manager over real HTTP, in front of a real Dispatcher and Interface Watcher (scripted interfaces). */
class ClientWebManagerTest extends WebManagerTestSupport {
  /** The watcher polls once a second; a change must show within this. */
  private static final long POLL_SLACK_MILLIS = 3000;
  /** The configured statuses of the scripted interfaces (wg0 is in excludedInterfaces). */
  private static final Map<String, String> CONFIGURED = Map.of("lo", "idle", "eth9", "idle", "wg0", "excluded",
      "eth7", "idle");
  private static final JsonObject OK = new JsonObject().put("status", "ok");

  /** engarde's entry: dstAddress is the configured destination string, "" only when excluded. */
  private static JsonObject entry(String name, String status, String senderAddress, String dstAddress) {
    return new JsonObject().put("name", name).put("status", status).put("senderAddress", senderAddress)
        .put("dstAddress", dstAddress).putNull("last");
  }

  @Test
  void getListIsEngardesClientDocument() throws Exception {
    ClientSetup client = startClient("", "");
    JsonObject doc = getList(client.webPort());
    String dst = client.config().dstAddr().toString();
    JsonObject expected = new JsonObject()
        .put("type", "client")
        .put("version", Version.get())
        .put("description", "test client")
        .put("listenAddress", client.config().listenAddr().toString())
        .put("interfaces", new JsonArray()
            .add(entry("lo", "idle", "", dst))
            .add(entry("eth9", "idle", "", dst).put("label", "Spare"))
            .add(entry("wg0", "excluded", "10.9.0.2", ""))
            .add(entry("eth7", "idle", "10.8.0.2", dst)));
    EngardeJson.assertContains(expected, doc);
    for (String unlabelled : List.of("lo", "wg0", "eth7")) {
      assertFalse(iface(doc, unlabelled).containsKey("label"), "no label field when the label is empty: " + unlabelled);
    }
  }

  @Test
  void apiPathsAnswerAnyHttpMethod() throws Exception {
    ClientSetup client = startClient("", "");
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)) {
      HttpResponse<Buffer> r = await(request(method, client.webPort(), "/api/v1/get-list").send());
      assertEquals(200, r.statusCode(), method.name());
      assertTrue(r.getHeader("Content-Type").startsWith("application/json"), method.name());
      assertEquals("client", r.bodyAsJsonObject().getString("type"), method.name());
    }
  }

  @Test
  void apiResponsesAreUncachedJson() throws Exception {
    ClientSetup client = startClient("", "");
    int port = client.webPort();
    List<HttpResponse<Buffer>> responses = List.of(
        get(port, "/api/v1/get-list"),
        post(port, "/api/v1/exclude", "{\"interface\":\"eth9\"}"),
        post(port, "/api/v1/exclude", "not json"),
        get(port, "/api/v1/nope"));
    for (HttpResponse<Buffer> r : responses) {
      String what = "HTTP " + r.statusCode() + " " + r.bodyAsString();
      assertNotNull(r.getHeader("Cache-Control"), what);
      assertTrue(r.getHeader("Cache-Control").contains("no-cache"), what);
      assertEquals("no-cache", r.getHeader("Pragma"), what);
      assertEquals("0", r.getHeader("Expires"), what);
      assertTrue(r.getHeader("Content-Type").startsWith("application/json"), what);
    }
  }

  @Test
  void excludeThenExcludeAgain() throws Exception {
    ClientSetup client = startClient("", "");
    int port = client.webPort();
    assertEquals(OK, command(port, "/api/v1/exclude", "eth9"));
    assertEquals(new JsonObject().put("status", "already-excluded"), command(port, "/api/v1/exclude", "eth9"));
    JsonObject doc = getListUntil(port, POLL_SLACK_MILLIS, d -> "excluded".equals(statusOf(d, "eth9")));
    JsonObject eth9 = iface(doc, "eth9");
    assertEquals("excluded", eth9.getString("status"));
    assertEquals("", eth9.getString("dstAddress"));
    assertTrue(eth9.containsKey("last"));
    assertNull(eth9.getValue("last"));
  }

  @Test
  void includeThenIncludeAgain() throws Exception {
    ClientSetup client = startClient("", "");
    int port = client.webPort();
    command(port, "/api/v1/exclude", "eth9");
    assertEquals(OK, command(port, "/api/v1/include", "eth9"));
    assertEquals(new JsonObject().put("status", "already-included"), command(port, "/api/v1/include", "eth9"));
    JsonObject doc = getListUntil(port, POLL_SLACK_MILLIS, d -> "idle".equals(statusOf(d, "eth9")));
    assertEquals("idle", statusOf(doc, "eth9"));
  }

  @Test
  void includingAConfiguredExclusionTogglesIt() throws Exception {
    ClientSetup client = startClient("", "");
    int port = client.webPort();
    assertEquals(OK, command(port, "/api/v1/include", "wg0"));
    JsonObject doc = getListUntil(port, POLL_SLACK_MILLIS, d -> "idle".equals(statusOf(d, "wg0")));
    assertEquals("idle", statusOf(doc, "wg0"), "configured excluded XOR toggled = included (no device: no link)");
    assertEquals(new JsonObject().put("status", "already-included"), command(port, "/api/v1/include", "wg0"));
  }

  @Test
  void swapExclusionOfAnUnknownNameIsOk() throws Exception {
    ClientSetup client = startClient("", "");
    int port = client.webPort();
    assertEquals(OK, command(port, "/api/v1/swap-exclusion", "nosuch0"));
    assertEquals(new JsonObject().put("status", "already-excluded"), command(port, "/api/v1/exclude", "nosuch0"),
        "the toggle took: the unknown name is excluded now");
    assertEquals(OK, command(port, "/api/v1/swap-exclusion", "nosuch0"));
    assertEquals(new JsonObject().put("status", "already-included"), command(port, "/api/v1/include", "nosuch0"));
  }

  @Test
  void resetExclusionsRestoresTheConfiguredStatuses() throws Exception {
    ClientSetup client = startClient("", "");
    int port = client.webPort();
    command(port, "/api/v1/exclude", "eth9");
    command(port, "/api/v1/exclude", "lo");
    command(port, "/api/v1/include", "wg0");
    command(port, "/api/v1/swap-exclusion", "eth7");
    JsonObject toggled = getListUntil(port, POLL_SLACK_MILLIS, d -> "excluded".equals(statusOf(d, "eth7")));
    assertEquals("excluded", statusOf(toggled, "eth9"));
    assertEquals("excluded", statusOf(toggled, "lo"));
    assertEquals("idle", statusOf(toggled, "wg0"));
    assertEquals("excluded", statusOf(toggled, "eth7"));

    HttpResponse<Buffer> r = await(request(HttpMethod.POST, port, "/api/v1/reset-exclusions").send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(OK, r.bodyAsJsonObject());
    JsonObject doc = getListUntil(port, POLL_SLACK_MILLIS, d -> CONFIGURED.keySet().stream()
        .allMatch(n -> CONFIGURED.get(n).equals(statusOf(d, n))));
    for (Map.Entry<String, String> e : CONFIGURED.entrySet()) {
      assertEquals(e.getValue(), statusOf(doc, e.getKey()), e.getKey());
    }
  }

  @Test
  void getListRightAfterACommandShowsIt() throws Exception {
    ClientSetup client = startClient("", "");
    int port = client.webPort();
    for (int round = 0; round < 3; round++) {
      command(port, "/api/v1/exclude", "eth9");
      assertEquals("excluded", statusOf(getList(port), "eth9"), "after exclude, round " + round);
      command(port, "/api/v1/include", "eth9");
      assertEquals("idle", statusOf(getList(port), "eth9"), "after include, round " + round);
      command(port, "/api/v1/swap-exclusion", "lo");
      assertEquals("excluded", statusOf(getList(port), "lo"), "after swap, round " + round);
      assertEquals(200, post(port, "/api/v1/reset-exclusions", "").statusCode());
      assertEquals("idle", statusOf(getList(port), "lo"), "after reset, round " + round);
    }
  }

  @Test
  void aBodyThatIsNotJsonIsA400WithAJsonError() throws Exception {
    ClientSetup client = startClient("", "");
    HttpResponse<Buffer> r = post(client.webPort(), "/api/v1/exclude", "eth9, please");
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
    assertNotNull(r.bodyAsJsonObject().getString("error"), r.bodyAsString());
  }

  @Test
  void jsonWithoutAnInterfaceIsA400WithAJsonError() throws Exception {
    ClientSetup client = startClient("", "");
    for (String body : List.of("{}", "{\"iface\":\"eth9\"}", "{\"interface\":42}", "[\"eth9\"]")) {
      HttpResponse<Buffer> r = post(client.webPort(), "/api/v1/swap-exclusion", body);
      assertEquals(400, r.statusCode(), body + " -> " + r.bodyAsString());
      assertTrue(r.getHeader("Content-Type").startsWith("application/json"), body);
      assertNotNull(r.bodyAsJsonObject().getString("error"), body + " -> " + r.bodyAsString());
    }
    assertEquals(CONFIGURED.get("eth9"), statusOf(getList(client.webPort()), "eth9"), "nothing was toggled");
  }

  @Test
  void anUnknownApiPathIsA404WithAJsonError() throws Exception {
    ClientSetup client = startClient("", "");
    HttpResponse<Buffer> r = get(client.webPort(), "/api/v1/nope");
    assertEquals(404, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
    assertNotNull(r.bodyAsJsonObject().getString("error"), r.bodyAsString());
  }
}
