package org.rengarde.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * Wakes the Interface Watcher as soon as the kernel reports a link or address change ({@code ip -o monitor link
 * address}, about 7 ms here), so a new or restored interface is used at once instead of at the next poll. The poll
 * stays the source of truth; without {@code ip} this does nothing and the poll alone serves.
 */
final class InterfaceMonitor {
  private static final Logger LOG = Logger.getLogger(InterfaceMonitor.class.getName());

  private final Runnable onChange;
  private Process process;

  InterfaceMonitor(Runnable onChange) {
    this.onChange = onChange;
  }

  /** Starts the monitor on a thread of its own (it blocks on reading); false when {@code ip} cannot run. */
  boolean start() {
    try {
      process = new ProcessBuilder("ip", "-o", "monitor", "link", "address")
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      LOG.info("No `ip monitor` (" + e.getMessage() + "): interface changes are seen at the next poll");
      return false;
    }
    Thread reader = new Thread(this::readEvents, "rengarde-interface-monitor");
    reader.setDaemon(true);
    reader.start();
    return true;
  }

  private void readEvents() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      while (r.readLine() != null) {
        onChange.run();
      }
    } catch (IOException e) {
      // the process was stopped
    }
  }

  void stop() {
    if (process != null) {
      process.destroy();
    }
  }
}
