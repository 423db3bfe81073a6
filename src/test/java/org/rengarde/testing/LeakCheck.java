package org.rengarde.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;

/**
 * Fails a test class when a Netty buffer (or any resource Netty tracks) was garbage-collected without being
 * released while it ran or before: at the end of each top-level class it collects garbage, lets Netty's detectors
 * ({@link RecordingLeakDetector}) report what they find, and fails with every report, allocation site included.
 * Registered for all Jupiter classes through META-INF/services and junit-platform.properties. A resource still
 * reachable at the check, or collected late, fails a later class: the records name where it was allocated.
 */
public final class LeakCheck implements AfterAllCallback {
  /** A resource unreachable only once another was collected (a buffer held by a collected object) needs a second. */
  private static final int ROUNDS = 2;

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getParent().flatMap(ExtensionContext::getParent).isPresent()) {
      return; // a @Nested class: its enclosing class checks, once
    }
    List<String> leaks = collect();
    if (!leaks.isEmpty()) {
      throw new AssertionError(leaks.size() + " Netty resource(s) never released, found after "
          + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
    }
  }

  /**
   * Collects garbage, has Netty report what it found unreleased, and returns (and forgets) every report since.
   * Nothing to do where Netty made no detector of ours: without the argLine (failsafe, an IDE), or no buffer yet.
   */
  public static List<String> collect() {
    if (!RecordingLeakDetector.installed()) {
      return List.of();
    }
    for (int round = 0; round < ROUNDS; round++) {
      awaitCollection();
      RecordingLeakDetector.pollAll();
    }
    return RecordingLeakDetector.drain();
  }

  /** A full collection, and the reference handler's queuing of what it cleared (ours is one of them). */
  private static void awaitCollection() {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
    System.gc();
    try {
      queue.remove(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Reference.reachabilityFence(sentinel);
  }
}
