package org.rengarde.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short soak (scripts/soak): links flapping at random, reloads, a ping and a UDP stream across the tunnel; nothing
 * may be lost while a link is up, and no link may stay stuck down. {@code rengarde.soakMinutes} sets its length
 * (default 1; scripts/soak runs longer ones by hand). Needs root; scripts/test runs it.
 */
@EnabledIfSystemProperty(named = "rengarde.systemTests", matches = "true")
class SoakSystemIT {

  @Test
  void aShortSoakLosesNothingWhileALinkIsUp() {
    String minutes = System.getProperty("rengarde.soakMinutes", "1");
    Path root = Path.of(System.getProperty("rengarde.projectDir", "."));
    String out;
    try {
      out = Shell.run(Integer.parseInt(minutes) * 60 + 180, root.resolve("scripts/soak").toString(), minutes);
    } catch (AssertionError failed) {
      System.out.println(failed.getMessage());
      throw failed;
    }
    out.lines().filter(l -> l.startsWith("[soak]")).forEach(System.out::println);
    assertTrue(out.contains("[soak] passed"), out);
  }
}
