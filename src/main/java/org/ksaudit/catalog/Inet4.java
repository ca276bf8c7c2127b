package org.ksaudit.catalog;

import java.util.Optional;

/**
 * IPv4 text the two ways iptables reads it: libxtables' own dotted reader
 * (xtables_numeric_to_ipaddr: up to four xtables_strtoui parts, missing ones 0, only the first
 * 19 characters looked at) and glibc's inet_aton as getaddrinfo applies it ("10.1" is 10.0.0.1, "1" is
 * 0.0.0.1, 0x hex and leading-0 octal parts, nothing after the last digit).
 */
public final class Inet4 {
  private Inet4() {}

  /** An address: missing trailing parts are 0 ("10" is 10.0.0.0, "192.168" is 192.168.0.0). */
  public static Optional<Long> numeric(String text) {
    return dotted(text, false);
  }

  /** A mask (xtables_numeric_to_ipmask): all four parts must be there. */
  public static Optional<Long> numericMask(String text) {
    return dotted(text, true);
  }

  private static Optional<Long> dotted(String text, boolean mask) {
    String s = text.length() > 19 ? text.substring(0, 19) : text;
    long v = 0;
    int from = 0;
    for (int part = 0; part < 4; part++) {
      int dot = part < 3 ? s.indexOf('.', from) : s.length();
      if (dot < 0) {
        if (mask) return Optional.empty();
        Optional<Long> b = Numbers.xtables(s.substring(from), 0, 255);
        if (b.isEmpty()) return Optional.empty();
        v = (v << 8) | b.get();
        return Optional.of(v << (8 * (3 - part)));
      }
      Optional<Long> b = Numbers.xtables(s.substring(from, dot), 0, 255);
      if (b.isEmpty()) return Optional.empty();
      v = (v << 8) | b.get();
      from = dot + 1;
    }
    return Optional.of(v);
  }

  /** glibc inet_aton without trailing text (getaddrinfo's inet_aton_exact). */
  public static Optional<Long> aton(String s) {
    long[] parts = new long[4];
    int n = 0;
    int i = 0;
    long val;
    while (true) {
      if (i >= s.length() || !isDigit(s.charAt(i))) return Optional.empty();
      val = 0;
      int base = 10;
      boolean digit = false;
      if (s.charAt(i) == '0') {
        i++;
        if (i < s.length() && (s.charAt(i) == 'x' || s.charAt(i) == 'X')) {
          base = 16;
          i++;
        } else {
          base = 8;
          digit = true;
        }
      }
      while (i < s.length()) {
        char c = s.charAt(i);
        if (isDigit(c)) {
          if (base == 8 && (c == '8' || c == '9')) return Optional.empty();
          val = val * base + (c - '0');
        } else if (base == 16 && Character.digit(c, 16) >= 0 && c < 128) {
          val = (val << 4) | Character.digit(c, 16);
        } else {
          break;
        }
        if (val > 0xffffffffL) return Optional.empty();
        digit = true;
        i++;
      }
      if (i < s.length() && s.charAt(i) == '.') {
        if (n > 2 || val > 0xff) return Optional.empty();
        parts[n++] = val;
        i++;
      } else {
        break;
      }
    }
    if (i != s.length() || !digitSeen(s)) return Optional.empty();
    long[] max = {0xffffffffL, 0xffffffL, 0xffffL, 0xffL};
    if (val > max[n]) return Optional.empty();
    long v = val;
    for (int k = 0; k < n; k++) v |= parts[k] << (24 - 8 * k);
    return Optional.of(v);
  }

  private static boolean digitSeen(String s) {
    // "0x" alone has no digit after its prefix; every other accepted form has one
    return !(s.endsWith("x") || s.endsWith("X"));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
