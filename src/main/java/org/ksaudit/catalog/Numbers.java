package org.ksaudit.catalog;

import java.util.Optional;

/**
 * Unsigned number parsing the way libxtables' xtables_strtoul does it with strtoul: base 0
 * means "0x" hex, leading-0 octal, else decimal; the whole string must be consumed.
 */
public final class Numbers {
  private Numbers() {}

  public static Optional<Long> parseUnsigned(String s, int base) {
    if (s.isEmpty()) return Optional.empty();
    String body = s;
    int radix = base;
    if (base == 0 || base == 16) {
      if (body.length() > 2 && (body.startsWith("0x") || body.startsWith("0X"))) {
        body = body.substring(2);
        radix = 16;
      } else if (base == 0 && body.length() > 1 && body.charAt(0) == '0') {
        body = body.substring(1);
        radix = 8;
      } else if (base == 0) {
        radix = 10;
      }
    }
    if (body.isEmpty() || body.length() > 20) return Optional.empty();
    long v = 0;
    for (int i = 0; i < body.length(); i++) {
      int d = Character.digit(body.charAt(i), radix);
      if (d < 0) return Optional.empty();
      v = v * radix + d;
      if (v > 0xffffffffffffL) return Optional.empty();
    }
    return Optional.of(v);
  }
}
