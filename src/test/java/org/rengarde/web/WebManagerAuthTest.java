package org.rengarde.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** engarde's Basic auth: realm "engarde", every route, only when both credentials are set. */
class WebManagerAuthTest extends WebManagerTestSupport {
  private static final String CHALLENGE = "Basic realm=\"engarde\"";

  private HttpResponse<Buffer> get(int port, String path, String authorization) throws Exception {
    HttpRequest<Buffer> request = request(HttpMethod.GET, port, path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return await(request.send());
  }

  @Test
  void noCredentialsIsA401WithEngardesChallenge() throws Exception {
    ServerSetup server = startServer(USER, PASSWORD);
    HttpResponse<Buffer> r = get(server.webPort(), "/api/v1/get-list", null);
    assertEquals(401, r.statusCode());
    assertEquals(CHALLENGE, r.getHeader("WWW-Authenticate"));
  }

  @Test
  void aWrongPasswordIsA401() throws Exception {
    ServerSetup server = startServer(USER, PASSWORD);
    HttpResponse<Buffer> r = get(server.webPort(), "/api/v1/get-list", basic(USER, PASSWORD + "x"));
    assertEquals(401, r.statusCode());
    assertEquals(CHALLENGE, r.getHeader("WWW-Authenticate"));
  }

  @Test
  void theRightCredentialsAreLetIn() throws Exception {
    ServerSetup server = startServer(USER, PASSWORD);
    HttpResponse<Buffer> r = get(server.webPort(), "/api/v1/get-list", basic(USER, PASSWORD));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("server", r.bodyAsJsonObject().getString("type"));
  }

  @Test
  void theStaticPageIsProtectedToo() throws Exception {
    ServerSetup server = startServer(USER, PASSWORD);
    HttpResponse<Buffer> r = get(server.webPort(), "/", null);
    assertEquals(401, r.statusCode());
    assertEquals(CHALLENGE, r.getHeader("WWW-Authenticate"));
    assertEquals(401, get(server.webPort(), "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null).statusCode());
    assertEquals(401, get(server.webPort(), "/metrics", null).statusCode());
  }

  @Test
  void onlyAUsernameMeansNoAuthentication() throws Exception {
    ServerSetup server = startServer(USER, "");
    HttpResponse<Buffer> r = get(server.webPort(), "/api/v1/get-list", null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertNull(r.getHeader("WWW-Authenticate"));
  }
}
