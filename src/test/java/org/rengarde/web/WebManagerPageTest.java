package org.rengarde.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page and the uPlot webjar it loads. */
class WebManagerPageTest extends WebManagerTestSupport {

  @Test
  void theRootServesThePage() throws Exception {
    ServerSetup server = startServer("", "");
    HttpResponse<Buffer> r = get(server.webPort(), "/");
    assertEquals(200, r.statusCode(), "src/main/resources/webroot/index.html must exist");
    assertTrue(r.getHeader("Content-Type").startsWith("text/html"), r.getHeader("Content-Type"));
  }

  @Test
  void theUplotWebjarIsServed() throws Exception {
    ServerSetup server = startServer("", "");
    HttpResponse<Buffer> r = get(server.webPort(), "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().length() > 10_000, "the whole minified script");
  }
}
