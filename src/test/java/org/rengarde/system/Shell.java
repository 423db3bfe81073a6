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

  /**
   * Starts a command whose output is read as it comes, kept, and given whole by {@code getInputStream()} once the
   * command ends. A pipe left unread blocks the command when it holds 64 KiB: a ping of 1,200 lines stopped sending
   * for 2.5-4 s in the lab until the test read it, and that showed as a gap in the tunnel.
   */
  static Process start(List<String> command) {
    try {
      return new Drained(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
  }

  /** A process whose output a thread of its own reads into memory as it comes. */
  private static final class Drained extends Process {
    private final Process process;
    private final java.util.concurrent.CompletableFuture<byte[]> output;

    Drained(Process process) {
      this.process = process;
      this.output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return process.getInputStream().readAllBytes();
        } catch (IOException e) {
          return new byte[0];
        }
      }, r -> {
        Thread t = new Thread(r, "drain " + process.pid());
        t.setDaemon(true);
        t.start();
      });
    }

    /** Everything the command wrote, once it has closed its output (blocks until then). */
    @Override
    public java.io.InputStream getInputStream() {
      return new java.io.ByteArrayInputStream(output.join());
    }

    @Override
    public java.io.OutputStream getOutputStream() {
      return process.getOutputStream();
    }

    @Override
    public java.io.InputStream getErrorStream() {
      return process.getErrorStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
      return process.waitFor();
    }

    @Override
    public boolean waitFor(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
      return process.waitFor(timeout, unit);
    }

    @Override
    public int exitValue() {
      return process.exitValue();
    }

    @Override
    public void destroy() {
      process.destroy();
    }

    @Override
    public Process destroyForcibly() {
      return process.destroyForcibly();
    }

    @Override
    public boolean isAlive() {
      return process.isAlive();
    }

    @Override
    public long pid() {
      return process.pid();
    }
  }
}
