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
   * The key as engarde's file may hold it: a number of milliseconds, or a Go duration such as {@code 10ms}, since
   * engarde's field is a Go duration. engarde then multiplies that duration by a millisecond again (10ms waits
   * 10,000,000 ms, and 3h overflows into a deadline in the past); we take a positive duration at its word, to whole
   * milliseconds (at least 1), with a warning. A negative one disables, zero is the default, as in engarde.
   */
  static WriteTimeout read(SectionReader r, String key) throws ConfigException {
    String text = r.nonNumericText(key);
    if (text == null) {
      return fromConfigured(r.int32(key, "milliseconds", 0));
    }
    Long nanos = GoDuration.nanos(text);
    if (nanos == null) {
      throw new ConfigException(r.where(key) + ": expected a whole number of milliseconds (or a duration like 10ms),"
          + " got " + SectionReader.quoted(text));
    }
    if (nanos <= 0) {
      return fromConfigured(nanos == 0 ? 0 : -1);
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, nanos / 1_000_000));
    String engarde = nanos > Long.MAX_VALUE / 1_000_000
        ? "engarde's deadline would overflow and fail every send"
        : "engarde would wait " + nanos + " ms, as it counts this key in milliseconds";
    r.warn(key, SectionReader.shown(text) + " taken as " + millis + " ms"
        + (nanos % 1_000_000 != 0 || millis == Integer.MAX_VALUE ? " (whole milliseconds within 32 bits)" : "")
        + "; " + engarde + ": write " + millis + " for both");
    return new WriteTimeout(millis);
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
