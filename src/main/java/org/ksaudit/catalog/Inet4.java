package org.ksaudit.catalog;

import java.math.BigInteger;
import java.util.Optional;

/**
 * IPv4 text as iptables reads it: first libxtables' own dotted-quad parser (each part a
 * strtoul number, so "010" is octal), then glibc's inet_aton forms that getaddrinfo accepts
 * ("10.1" is 10.0.0.1, "1" is 0.0.0.1). Mutated dumps hit these forms, and the kernel tools
 * accept them, so ksaudit must too.
 */
public final class Inet4 {
  private Inet4() {}

  public static Optional<BigInteger> parseLenient(String s) {
    if (s.isEmpty() || s.endsWith(".") || s.startsWith(".")) return Optional.empty();
    String[] parts = s.split("\\.", -1);
    if (parts.length > 4) return Optional.empty();
    long[] n = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Optional<Long> v = Numbers.parseUnsigned(parts[i], 0);
      if (v.isEmpty()) return Optional.empty();
      n[i] = v.get();
    }
    long value = 0;
    for (int i = 0; i < n.length - 1; i++) {
      if (n[i] > 255) return Optional.empty();
      value = (value << 8) | n[i];
    }
    int restBits = 8 * (4 - (n.length - 1));
    long last = n[n.length - 1];
    if (restBits < 64 && last >= (1L << restBits)) return Optional.empty();
    value = (value << restBits) | last;
    return Optional.of(BigInteger.valueOf(value));
  }
}
