package org.rengarde.server;

/**
 * A rate with a burst, in whole datagrams: {@link #take} succeeds at most {@code burst} times at once and then once
 * per {@code nanosPerToken}. Allocates nothing; owned by one event loop.
 */
final class TokenBucket {
  private final long nanosPerToken;
  private final int burst;
  private int tokens;
  private long lastNanos;

  TokenBucket(int perSecond, int burst, long nowNanos) {
    this.nanosPerToken = 1_000_000_000L / perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** One datagram's worth, if there is one. */
  boolean take(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed >= nanosPerToken) {
      long earned = elapsed / nanosPerToken;
      if (tokens + earned >= burst) {
        tokens = burst;
        lastNanos = nowNanos;
      } else {
        tokens += (int) earned;
        lastNanos += earned * nanosPerToken;
      }
    }
    if (tokens == 0) {
      return false;
    }
    tokens--;
    return true;
  }
}
