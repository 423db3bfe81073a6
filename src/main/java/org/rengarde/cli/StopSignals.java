package org.rengarde.cli;

import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM (systemd, kill) and SIGINT (Ctrl-C) stop the program cleanly: sockets closed, exit code 0. Without this
 * the JVM would exit 143 on SIGTERM, which systemd reports as a failure.
 */
public final class StopSignals {

  private StopSignals() {
  }

  public static void onStop(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        if (stopping.compareAndSet(false, true)) {
          Thread t = new Thread(stop, "rengarde-stop");
          t.start();
        }
      });
    }
  }
}
