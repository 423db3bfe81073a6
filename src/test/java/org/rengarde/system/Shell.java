package org.rengarde.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands for the system tests; a failing command fails the test with its output. */
final class Shell {

  private Shell() {
  }

  static String run(String... command) {
    return run(60, command);
  }

  static String run(int timeoutSeconds, String... command) {
    Outcome outcome = attempt(timeoutSeconds, command);
    if (outcome.exitCode() != 0) {
      throw new AssertionError("failed (" + outcome.exitCode() + "): " + String.join(" ", command) + "\n"
          + outcome.output());
    }
    return outcome.output();
  }

  /** How a command ended: for the tests that expect a command to fail. */
  record Outcome(int exitCode, String output) {
  }

  static Outcome attempt(int timeoutSeconds, String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static Process start(List<String> command) {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
  }
}
