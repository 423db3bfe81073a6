package org.rengarde.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * A number as engarde's YAML decoder (yaml.v2) reads one for an integer key: underscores dropped, Go's integer
 * forms ({@code 0x1F}, {@code 0o17}, {@code 0b101}, and a leading 0 for octal), else a decimal float
 * ({@code 10.5}, {@code 1e3}, {@code .5}), or {@code .inf}, {@code -.inf}, {@code .nan}.
 *
 * @param value the exact value; null for {@code .nan} and {@code .inf}, which no integer key takes
 * @param octal written with a leading 0 ({@code 010} is 8), which few mean
 */
record YamlNumber(BigDecimal value, boolean octal) {
  private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

  /** The number {@code v} stands for, or null when it is none. */
  static YamlNumber of(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return new YamlNumber(BigDecimal.valueOf(((Number) v).longValue()), false);
    }
    if (v instanceof BigInteger b) {
      return new YamlNumber(new BigDecimal(b), false);
    }
    if (v instanceof BigDecimal d) {
      return new YamlNumber(d, false);
    }
    if (v instanceof Double || v instanceof Float) {
      return ofDouble(((Number) v).doubleValue());
    }
    return v instanceof String s ? parse(s.trim()) : null;
  }

  private static YamlNumber parse(String text) {
    switch (text) {
      case ".nan", ".NaN", ".NAN" -> {
        return ofDouble(Double.NaN);
      }
      case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF" -> {
        return ofDouble(Double.POSITIVE_INFINITY);
      }
      case "-.inf", "-.Inf", "-.INF" -> {
        return ofDouble(Double.NEGATIVE_INFINITY);
      }
      default -> {
        // yaml.v2 tries a number only on text that starts with a digit, a sign or a dot
      }
    }
    if (text.isEmpty() || "+-.0123456789".indexOf(text.charAt(0)) < 0) {
      return null;
    }
    String plain = text.charAt(0) == '.' ? text : text.replace("_", "");
    if (plain.charAt(0) != '.') {
      YamlNumber integer = integer(plain);
      if (integer != null) {
        return integer;
      }
    }
    return FLOAT.matcher(plain).matches() ? ofDouble(Double.parseDouble(plain)) : null;
  }

  /** Go's {@code strconv.ParseInt(text, 0, 64)}, widened to unsigned 64 bits as yaml.v2 then tries. */
  private static YamlNumber integer(String text) {
    boolean negative = text.startsWith("-");
    String digits = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    int radix = 10;
    boolean octal = false;
    String lower = digits.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("0x")) {
      radix = 16;
      digits = digits.substring(2);
    } else if (lower.startsWith("0o")) {
      radix = 8;
      digits = digits.substring(2);
    } else if (lower.startsWith("0b")) {
      radix = 2;
      digits = digits.substring(2);
    } else if (digits.length() > 1 && digits.charAt(0) == '0') {
      radix = 8;
      digits = digits.substring(1);
      octal = true;
    }
    if (digits.isEmpty() || digits.startsWith("-") || digits.startsWith("+")) {
      return null;
    }
    BigInteger n;
    try {
      n = new BigInteger(digits, radix);
    } catch (NumberFormatException notInteger) {
      return null;
    }
    // 010 is 8: worth a word only where the digits read as decimal would differ
    octal = octal && !n.equals(new BigInteger(digits));
    n = negative ? n.negate() : n;
    if (n.bitLength() > 64 || (negative && n.bitLength() > 63 && !n.equals(BigInteger.ONE.shiftLeft(63).negate()))) {
      return null;
    }
    return new YamlNumber(new BigDecimal(n), octal);
  }

  /** yaml.v2 truncates a float toward zero; -.inf and anything below 64 bits become the lowest int64. */
  private static YamlNumber ofDouble(double d) {
    if (Double.isNaN(d) || d == Double.POSITIVE_INFINITY) {
      return new YamlNumber(null, false);
    }
    return new YamlNumber(d == Double.NEGATIVE_INFINITY ? LONG_MIN : new BigDecimal(d).max(LONG_MIN), false);
  }
}
