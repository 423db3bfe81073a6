package org.rengarde.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration as Go's {@code time.ParseDuration} reads it ({@code 10ms}, {@code 1.5s}, {@code 1h2m}, {@code -5us}):
 * engarde's writeTimeout is a Go duration, so its YAML decoder takes such text.
 */
final class GoDuration {
  private static final Pattern ELEMENT = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|\u00b5s|\u03bcs|ms|h|m|s)");
  private static final Map<String, Long> UNIT_NANOS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L,
      "\u03bcs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private GoDuration() {
  }

  /** Whole nanoseconds, or null when the text is no Go duration or one beyond 64 bits (Go refuses both). */
  static Long nanos(String text) {
    boolean negative = text.startsWith("-");
    String rest = negative || text.startsWith("+") ? text.substring(1) : text;
    if (rest.equals("0")) {
      return 0L;
    }
    if (rest.isEmpty()) {
      return null;
    }
    Matcher m = ELEMENT.matcher(rest);
    BigDecimal total = BigDecimal.ZERO;
    int at = 0;
    while (at < rest.length()) {
      if (!m.find(at) || m.start() != at) {
        return null;
      }
      total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(UNIT_NANOS.get(m.group(2)))));
      at = m.end();
    }
    BigInteger whole = total.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    if (whole.compareTo(negative ? MAX.add(BigInteger.ONE) : MAX) > 0) {
      return null;
    }
    return negative ? whole.negate().longValue() : whole.longValue();
  }
}
