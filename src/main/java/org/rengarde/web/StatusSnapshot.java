package org.rengarde.web;

import io.vertx.core.Future;

import java.util.function.Supplier;

/**
 * The latest status document, encoded: built once a second for the push, and served to get-list as it is, so
 * asking get-list often costs the packet event loops (which answer the status requests) nothing more. An exclusion
 * change makes it stale: the next get-list then waits for a new one, so a script that excludes and then reads
 * sees the change. Owned by the web manager's event loop.
 */
final class StatusSnapshot {
  private final Supplier<Future<String>> tick;
  private final Supplier<Future<String>> between;
  private Future<String> latest;

  /**
   * {@code tick} builds the periodic document (rates and meters advance); {@code between} builds one out of
   * turn (rates as of the last tick).
   */
  StatusSnapshot(Supplier<Future<String>> tick, Supplier<Future<String>> between) {
    this.tick = tick;
    this.between = between;
  }

  /** The periodic build; it becomes the latest document. */
  Future<String> refresh() {
    latest = tick.get();
    return latest;
  }

  /** The latest document (or the one being built), unless it is stale or failed: then a new one. */
  Future<String> latest() {
    if (latest == null || latest.failed()) {
      latest = between.get();
    }
    return latest;
  }

  /** Whether {@code build} is still the latest: a build that a change overtook is not pushed. */
  boolean isLatest(Future<String> build) {
    return build == latest;
  }

  /** The state changed: the next {@link #latest()} builds a new document. */
  void invalidate() {
    latest = null;
  }
}
