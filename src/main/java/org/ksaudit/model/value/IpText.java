package org.ksaudit.model.value;

import java.math.BigInteger;
import java.util.Optional;
import org.ksaudit.model.Family;

/**
 * Parses and prints numeric IPv4/IPv6 addresses without touching DNS (InetAddress would
 * resolve names, which a static auditor must never do).
 */
public final class IpText {
  private IpText() {}

  public static Optional<BigInteger> parse(Family family, String text) {
    return family == Family.IPV4 ? parseV4(text) : parseV6(text);
  }

  /** Dotted quad as inet_pton reads it: exactly four decimal parts 0..255, no leading zeros. */
  public static Optional<BigInteger> parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return Optional.empty();
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0') return Optional.empty();
      for (int i = 0; i < p.length(); i++) if (p.charAt(i) < '0' || p.charAt(i) > '9') return Optional.empty();
      int n = Integer.parseInt(p);
      if (n > 255) return Optional.empty();
      v = (v << 8) | n;
    }
    return Optional.of(BigInteger.valueOf(v));
  }

  public static Optional<BigInteger> parseV6(String s) {
    if (s.isEmpty() || s.indexOf(':') < 0) return Optional.empty();
    int[] groups = new int[8];
    String head = s;
    String tail = null;
    int dbl = s.indexOf("::");
    if (dbl >= 0) {
      if (s.indexOf("::", dbl + 1) >= 0) return Optional.empty();
      head = s.substring(0, dbl);
      tail = s.substring(dbl + 2);
    }
    int[] h = groups(head, tail == null);
    if (h == null) return Optional.empty();
    int[] t = tail == null ? new int[0] : groups(tail, true);
    if (t == null) return Optional.empty();
    if (tail == null && h.length != 8) return Optional.empty();
    if (tail != null && h.length + t.length > 7) return Optional.empty();
    System.arraycopy(h, 0, groups, 0, h.length);
    System.arraycopy(t, 0, groups, 8 - t.length, t.length);
    BigInteger v = BigInteger.ZERO;
    for (int g : groups) v = v.shiftLeft(16).or(BigInteger.valueOf(g));
    return Optional.of(v);
  }

  /** Hex groups separated by ':'; the last may be an embedded dotted quad when allowed. */
  private static int[] groups(String s, boolean mayEndWithV4) {
    if (s.isEmpty()) return new int[0];
    String[] parts = s.split(":", -1);
    int extra = 0;
    String last = parts[parts.length - 1];
    Optional<BigInteger> v4 = Optional.empty();
    if (mayEndWithV4 && last.contains(".")) {
      v4 = parseV4(last);
      if (v4.isEmpty()) return null;
      extra = 1;
    }
    int n = parts.length - (v4.isPresent() ? 1 : 0);
    int[] out = new int[n + extra * 2];
    for (int i = 0; i < n; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 4) return null;
      int g = 0;
      for (int k = 0; k < p.length(); k++) {
        char c = p.charAt(k);
        int d = c < 128 ? Character.digit(c, 16) : -1;
        if (d < 0) return null;
        g = g * 16 + d;
      }
      out[i] = g;
    }
    if (v4.isPresent()) {
      long x = v4.get().longValue();
      out[n] = (int) (x >> 16);
      out[n + 1] = (int) (x & 0xffff);
    }
    return out;
  }

  public static String format(Family family, BigInteger v) {
    if (family == Family.IPV4) {
      long x = v.longValue();
      return ((x >> 24) & 255) + "." + ((x >> 16) & 255) + "." + ((x >> 8) & 255) + "." + (x & 255);
    }
    int[] g = new int[8];
    for (int i = 7; i >= 0; i--) {
      g[i] = v.and(BigInteger.valueOf(0xffff)).intValue();
      v = v.shiftRight(16);
    }
    // RFC 5952: compress the longest run (length >= 2) of zero groups.
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) { i++; continue; }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
