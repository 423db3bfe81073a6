package org.rengarde.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bodies of include, exclude and swap-exclusion as strangers send them: engarde's JSON under any Content-Type,
 * curl's form bodies with any method, and everything that is neither. Each refusal is a 400 (413, 417) with a
 * JSON error, and nothing toggles.
 */
class WebManagerBodyTest extends WebManagerTestSupport {
  private static final JsonObject OK = new JsonObject().put("status", "ok");
  private static final String FORM = "application/x-www-form-urlencoded";

  private HttpResponse<Buffer> send(HttpMethod method, int port, String path, String contentType, byte[] body)
      throws Exception {
    var request = request(method, port, path);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return await(request.sendBuffer(Buffer.buffer(body)));
  }

  private HttpResponse<Buffer> send(HttpMethod method, int port, String contentType, String body) throws Exception {
    return send(method, port, "/api/v1/exclude", contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A refusal: the status, a JSON error, and eth9 still as configured. */
  private void assertRefused(ClientSetup client, int status, HttpResponse<Buffer> r) throws Exception {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"), r.getHeader("Content-Type"));
    assertNotNull(r.bodyAsJsonObject().getString("error"), r.bodyAsString());
    assertEquals("idle", statusOf(getList(client.webPort()), "eth9"), "nothing was toggled");
  }

  private void assertExcluded(ClientSetup client, HttpResponse<Buffer> r) throws Exception {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(OK, r.bodyAsJsonObject());
    assertEquals("excluded", statusOf(getList(client.webPort()), "eth9"));
  }

  @Test
  void aFormBodyWithPostExcludes() throws Exception {
    ClientSetup client = startClient("", "");
    assertExcluded(client, send(HttpMethod.POST, client.webPort(), FORM, "interface=eth9"));
  }

  @Test
  void aFormBodyWithGetExcludes() throws Exception {
    ClientSetup client = startClient("", "");
    assertExcluded(client, send(HttpMethod.GET, client.webPort(), FORM, "interface=eth9"));
  }

  @Test
  void aFormBodyMayCarryOtherFieldsAndEscapes() throws Exception {
    ClientSetup client = startClient("", "");
    assertExcluded(client, send(HttpMethod.POST, client.webPort(), FORM, "x=1&interface=eth%39&y"));
  }

  @Test
  void noUploadDirectoryIsCreatedForFormOrMultipartBodies() throws Exception {
    Path uploads = Path.of("file-uploads").toAbsolutePath();
    boolean before = Files.exists(uploads);
    ClientSetup client = startClient("", "");
    send(HttpMethod.POST, client.webPort(), FORM, "interface=eth9");
    send(HttpMethod.GET, client.webPort(), FORM, "interface=eth9");
    String multipart = "--b\r\nContent-Disposition: form-data; name=\"interface\"\r\n\r\neth9\r\n--b--\r\n";
    HttpResponse<Buffer> r = send(HttpMethod.POST, client.webPort(), "multipart/form-data; boundary=b", multipart);
    assertEquals(400, r.statusCode(), "a multipart body is neither JSON nor a plain form: " + r.bodyAsString());
    assertEquals(before, Files.exists(uploads), "the working directory gained " + uploads);
  }

  @Test
  void jsonUnderTextPlainIsRead() throws Exception {
    ClientSetup client = startClient("", "");
    assertExcluded(client, send(HttpMethod.POST, client.webPort(), "text/plain", "{\"interface\":\"eth9\"}"));
  }

  @Test
  void jsonUnderAFormContentTypeIsRead() throws Exception {
    ClientSetup client = startClient("", "");
    assertExcluded(client, send(HttpMethod.POST, client.webPort(), FORM, "{\"interface\":\"eth9\"}"));
  }

  @Test
  void jsonWithoutAContentTypeIsRead() throws Exception {
    ClientSetup client = startClient("", "");
    byte[] body = "{\"interface\":\"eth9\"}".getBytes(StandardCharsets.UTF_8);
    RawHttp.Reply r = RawHttp.exchange(client.webPort(), "PUT /api/v1/exclude HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Length: " + body.length + "\r\nConnection: close", body);
    assertEquals(200, r.status(), r.toString());
    assertEquals(OK, r.json());
  }

  @Test
  void anEmptyBodyIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), "application/json", ""));
  }

  @Test
  void aBodyOfSpacesIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), "application/json", " \r\n\t "));
  }

  @Test
  void aBodyOverTheLimitIsA413() throws Exception {
    ClientSetup client = startClient("", "");
    byte[] huge = ("{\"interface\":\"eth9\",\"pad\":\"" + "x".repeat(RequestBody.LIMIT) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    assertRefused(client, 413, send(HttpMethod.POST, client.webPort(), "/api/v1/exclude", "application/json", huge));
  }

  @Test
  void aHugeDeclaredLengthIsA413BeforeTheBodyIsRead() throws Exception {
    ClientSetup client = startClient("", "");
    RawHttp.Reply r = RawHttp.exchange(client.webPort(), "POST /api/v1/exclude HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: 10000000000", new byte[1024]);
    assertEquals(413, r.status(), r.toString());
    assertNotNull(r.json().getString("error"));
    assertEquals("close", r.header("Connection"), "the rest of the body is not read");
    assertEquals("idle", statusOf(getList(client.webPort()), "eth9"));
  }

  @Test
  void aChunkedBodyOverTheLimitIsA413() throws Exception {
    ClientSetup client = startClient("", "");
    StringBuilder chunks = new StringBuilder();
    String chunk = "x".repeat(8192);
    for (int i = 0; i < 10; i++) {
      chunks.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    chunks.append("0\r\n\r\n");
    RawHttp.Reply r = RawHttp.exchange(client.webPort(), "POST /api/v1/exclude HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Transfer-Encoding: chunked", chunks.toString().getBytes(StandardCharsets.US_ASCII));
    assertEquals(413, r.status(), r.toString());
    assertNotNull(r.json().getString("error"));
  }

  @Test
  void aBodyJustUnderTheLimitIsRead() throws Exception {
    ClientSetup client = startClient("", "");
    String json = "{\"interface\":\"eth9\"}";
    String padded = json + " ".repeat(RequestBody.LIMIT - json.length());
    assertExcluded(client, send(HttpMethod.POST, client.webPort(), "application/json", padded));
  }

  @Test
  void invalidUtf8IsA400() throws Exception {
    ClientSetup client = startClient("", "");
    byte[] body = {'{', '"', 'i', 'n', 't', 'e', 'r', 'f', 'a', 'c', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"',
        '}'};
    assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), "/api/v1/exclude", "application/json", body));
  }

  @Test
  void invalidUtf8InAFormIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), FORM, "interface=eth%FF"));
  }

  @Test
  void aBadPercentEscapeIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), FORM, "interface=eth%9"));
  }

  @Test
  void aFormWithoutAnInterfaceIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), FORM, "iface=eth9"));
  }

  @Test
  void aFormNamingTheInterfaceTwiceIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), FORM, "interface=eth9&interface=eth7"));
  }

  @Test
  void anEmptyFormValueIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), FORM, "interface="));
  }

  @Test
  void deeplyNestedJsonIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    String deep = "[".repeat(20_000) + "]".repeat(20_000);
    assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), "application/json", deep));
  }

  @Test
  void aHugeNumberIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), "application/json",
        "{\"interface\":" + "9".repeat(50_000) + "}"));
  }

  @Test
  void aJsonNullOrStringOrNumberIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    for (String body : new String[] {"null", "\"eth9\"", "42", "true", "{\"interface\":null}",
        "{\"interface\":[\"eth9\"]}", "{\"interface\":{\"name\":\"eth9\"}}"}) {
      assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), "application/json", body));
    }
  }

  @Test
  void aNameLongerThanLinuxAllowsIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    String name = "e".repeat(CommandBody.MAX_NAME_LENGTH + 1);
    assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), "application/json",
        new JsonObject().put("interface", name).encode()));
    assertEquals(OK, command(client.webPort(), "/api/v1/swap-exclusion", "e".repeat(CommandBody.MAX_NAME_LENGTH)),
        "fifteen characters is a name");
  }

  @Test
  void aNameWithANewlineOrSlashIsA400() throws Exception {
    ClientSetup client = startClient("", "");
    for (String name : new String[] {"eth9\nINFO: forged", "eth9\u0000", "../eth9", "eth 9", "\u2028"}) {
      assertRefused(client, 400, send(HttpMethod.POST, client.webPort(), "application/json",
          new JsonObject().put("interface", name).encode()));
    }
  }

  @Test
  void expectContinueIsAnswered() throws Exception {
    ClientSetup client = startClient("", "");
    byte[] body = "interface=eth9".getBytes(StandardCharsets.US_ASCII);
    RawHttp.Reply r = RawHttp.exchange(client.webPort(), "POST /api/v1/exclude HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: " + FORM + "\r\nExpect: 100-continue\r\nContent-Length: " + body.length
        + "\r\nConnection: close", body);
    assertEquals(200, r.status(), r.toString());
    assertEquals(OK, r.json());
  }

  @Test
  void anUnknownExpectationIsA417() throws Exception {
    ClientSetup client = startClient("", "");
    byte[] body = "interface=eth9".getBytes(StandardCharsets.US_ASCII);
    RawHttp.Reply r = RawHttp.exchange(client.webPort(), "POST /api/v1/exclude HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Expect: teapot\r\nContent-Length: " + body.length + "\r\nConnection: close", body);
    assertEquals(417, r.status(), r.toString());
    assertNotNull(r.json().getString("error"));
    assertFalse("excluded".equals(statusOf(getList(client.webPort()), "eth9")));
  }

  @Test
  void resetExclusionsIgnoresItsBody() throws Exception {
    ClientSetup client = startClient("", "");
    command(client.webPort(), "/api/v1/exclude", "eth9");
    HttpResponse<Buffer> r = send(HttpMethod.POST, client.webPort(), "/api/v1/reset-exclusions", FORM,
        "garbage=%zz".getBytes(StandardCharsets.US_ASCII));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("idle", statusOf(getList(client.webPort()), "eth9"));
  }
}
