package org.rengarde.config;

/**
 * engarde's {@code writeTimeout} in milliseconds: 10 when 0 or absent, disabled when negative.
 */
public record WriteTimeout(int millis) {

  public static final int DEFAULT_MILLIS = 10;

  public static WriteTimeout fromConfigured(int configured) {
    return new WriteTimeout(configured == 0 ? DEFAULT_MILLIS : configured);
  }

  /**
   * How many bytes a socket may queue when the kernel takes no more, before copies are dropped: 64 KiB per 10 ms
   * of timeout (about 50 Mbit/s worth), at most 4 MiB, which is also the bound when the timeout is disabled.
   */
  public int sendQueueBytes() {
    long max = 4L * 1024 * 1024;
    if (!enabled()) {
      return (int) max;
    }
    long bytes = 64L * 1024 * Math.max(1, millis / DEFAULT_MILLIS);
    return (int) Math.min(max, bytes);
  }

  public boolean enabled() {
    return millis > 0;
  }

  @Override
  public String toString() {
    return enabled() ? millis + " ms" : "disabled";
  }
}
