package org.rengarde.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The role the Vert.x launcher finds in the file when none is given. */
class VertxLaunchTest {

  private static String roleOf(Path file) {
    String[] args = VertxLaunch.rewriteConf(new String[] {"-conf", file.toString()}, null);
    return new JsonObject(args[1]).getString("role");
  }

  @Test
  void theOnlySectionOrTheOnlyRoleOfTheInstances(@TempDir Path dir) throws IOException {
    Path single = Files.writeString(dir.resolve("single.yml"), "server:\n  listenAddr: 0.0.0.0:1\n");
    assertEquals("server", roleOf(single));
    Path listed = Files.writeString(dir.resolve("listed.yml"),
        "instances:\n  - name: home\n    client:\n      listenAddr: 127.0.0.1:1\n  - name: lab\n    client: {}\n");
    assertEquals("client", roleOf(listed));
  }

  @Test
  void instancesOfBothRolesNeedTheRoleSaid(@TempDir Path dir) throws IOException {
    Path both = Files.writeString(dir.resolve("both.yml"),
        "instances:\n  - name: home\n    client: {}\n  - name: office\n    server: {}\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> roleOf(both));
    assertTrue(e.getMessage().contains("has instances of both roles; say which program to run"), e.getMessage());
  }
}
