package org.ksaudit.catalog;

import java.util.Optional;

/**
 * Number parsing exactly as iptables does it in C. {@link #strtoul} is glibc's strtoul /
 * strtoumax (leading blanks, a sign, "0x" hex and leading-0 octal with base 0, saturating at
 * 2^64-1); {@link #xtables} is libxtables' xtables_strtoul: no minus sign, base 0, the whole
 * string consumed, and the value within [min, max].
 */
public final class Numbers {
  private Numbers() {}

  /** What strtoul read: the value (unsigned, 2^64-1 on overflow), where it stopped, and whether it read digits. */
  public record Scan(long value, int end, boolean digits, boolean overflow) {}

  /** C isspace in the "C" locale. */
  public static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
  }

  public static Scan strtoul(String s, int from, int base) {
    int i = from;
    while (i < s.length() && isSpace(s.charAt(i))) i++;
    boolean negative = false;
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int radix = base;
    if ((base == 0 || base == 16) && i + 1 < s.length() && s.charAt(i) == '0'
        && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
        && i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
      i += 2;
      radix = 16;
    } else if (base == 0) {
      radix = i < s.length() && s.charAt(i) == '0' ? 8 : 10;
    }
    long v = 0;
    boolean overflow = false;
    int start = i;
    while (i < s.length()) {
      int d = digit(s.charAt(i), radix);
      if (d < 0) break;
      if (!overflow) {
        long hi = Math.multiplyHigh(v, radix) + ((v >> 63) & radix);
        long lo = v * radix;
        long sum = lo + d;
        boolean carry = Long.compareUnsigned(sum, lo) < 0;
        if (hi != 0 || carry) overflow = true;
        else v = sum;
      }
      i++;
    }
    if (i == start) return new Scan(0, from, false, false);
    if (overflow) return new Scan(-1L, i, true, true);
    return new Scan(negative ? -v : v, i, true, false);
  }

  private static int digit(char c, int radix) {
    if (c > 127) return -1;
    return Character.digit(c, radix);
  }

  /** xtables_strtoul(s, NULL, &v, min, max) with base 0; max 0 means no upper bound. */
  public static Optional<Long> xtables(String s, long min, long max) {
    return xtablesBase(s, min, max, 0);
  }

  public static Optional<Long> xtablesBase(String s, long min, long max, int base) {
    Optional<Scan> sc = xtablesPrefix(s, 0, base);
    if (sc.isEmpty() || sc.get().end() != s.length()) return Optional.empty();
    return inRange(sc.get().value(), min, max);
  }

  /**
   * xtables_strtoul with an end pointer: the number may be followed by other text; empty when
   * there is no number, a minus sign, or an overflow.
   */
  public static Optional<Scan> xtablesPrefix(String s, int from, int base) {
    int p = from;
    while (p < s.length() && isSpace(s.charAt(p))) p++;
    if (p < s.length() && s.charAt(p) == '-') return Optional.empty();
    Scan sc = strtoul(s, from, base);
    if (!sc.digits() || sc.overflow()) return Optional.empty();
    return Optional.of(sc);
  }

  public static Optional<Long> inRange(long v, long min, long max) {
    if (Long.compareUnsigned(v, min) < 0) return Optional.empty();
    if (max != 0 && Long.compareUnsigned(v, max) > 0) return Optional.empty();
    return Optional.of(v);
  }

  /** Plain unsigned digits in {@code radix}, nothing else: for ksaudit's own formats. */
  public static Optional<Long> digits(String s, int radix) {
    if (s.isEmpty() || s.length() > 18) return Optional.empty();
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      int d = digit(s.charAt(i), radix);
      if (d < 0) return Optional.empty();
      v = v * radix + d;
    }
    return Optional.of(v);
  }
}
