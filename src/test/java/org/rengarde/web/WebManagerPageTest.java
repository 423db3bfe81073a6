package org.rengarde.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page, the modules of its script and the uPlot webjar it loads. */
class WebManagerPageTest extends WebManagerTestSupport {

  @Test
  void theRootServesThePage() throws Exception {
    ServerSetup server = startServer("", "");
    HttpResponse<Buffer> r = get(server.webPort(), "/");
    assertEquals(200, r.statusCode(), "src/main/resources/webroot/index.html must exist");
    assertTrue(r.getHeader("Content-Type").startsWith("text/html"), r.getHeader("Content-Type"));
  }

  /**
   * The page's script is ES modules loaded as they are (no build step): each must be there and be served with a
   * JavaScript type, or the browser refuses it and the whole page stays blank.
   */
  @Test
  void everyModuleThePageImportsIsServedAsJavaScript() throws Exception {
    ServerSetup server = startServer("", "");
    Matcher entry = Pattern.compile("<script type=\"module\" src=\"([^\"]+)\"")
        .matcher(get(server.webPort(), "/").bodyAsString());
    assertTrue(entry.find(), "index.html loads its script as a module");
    Pattern imports = Pattern.compile("(?:from|import)\\s+'(\\./[^']+)'");
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> next = new ArrayDeque<>();
    next.add("/" + entry.group(1));
    while (!next.isEmpty()) {
      String path = next.poll();
      if (!seen.add(path)) {
        continue;
      }
      HttpResponse<Buffer> r = get(server.webPort(), path);
      assertEquals(200, r.statusCode(), path);
      assertTrue(r.getHeader("Content-Type").startsWith("text/javascript"), path + ": " + r.getHeader("Content-Type"));
      String dir = path.substring(0, path.lastIndexOf('/') + 1);
      Matcher m = imports.matcher(r.bodyAsString());
      while (m.find()) {
        next.add(dir + m.group(1).substring(2));
      }
    }
    assertTrue(seen.size() > 5, "the modules: " + seen);
  }

  @Test
  void theUplotWebjarIsServed() throws Exception {
    ServerSetup server = startServer("", "");
    HttpResponse<Buffer> r = get(server.webPort(), "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().length() > 10_000, "the whole minified script");
  }
}
