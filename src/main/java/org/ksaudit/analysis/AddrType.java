package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;

/** The route types {@code -m addrtype} tests (RTN_* in the kernel), in kernel order. */
public enum AddrType {
  UNSPEC, UNICAST, LOCAL, BROADCAST, ANYCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW, NAT, XRESOLVE;

  public static Optional<AddrType> byName(String name) {
    try {
      return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static final Cidr V4_MULTICAST = cidr(Family.IPV4, "224.0.0.0", 4);
  private static final Cidr V4_LOOPBACK = cidr(Family.IPV4, "127.0.0.0", 8);
  private static final Cidr V4_ZERO = cidr(Family.IPV4, "0.0.0.0", 8);
  private static final BigInteger V4_LIMITED_BROADCAST = BigInteger.valueOf(0xffffffffL);
  private static final Cidr V6_MULTICAST = cidr(Family.IPV6, "ff00::", 8);

  static Cidr cidr(Family f, String a, int p) {
    return new Cidr(f, IpText.parse(f, a).orElseThrow(), p);
  }

  /**
   * The type the kernel gives a destination of a host with no special routes: loopback and the
   * host's own source address are local, multicast and limited broadcast are what they say,
   * everything else is unicast.
   */
  public static AddrType classify(Family family, BigInteger addr, BigInteger ownAddress) {
    if (addr.equals(ownAddress)) return LOCAL;
    if (family == Family.IPV4) {
      if (V4_LOOPBACK.contains(addr)) return LOCAL;
      if (V4_MULTICAST.contains(addr)) return MULTICAST;
      if (addr.equals(V4_LIMITED_BROADCAST) || V4_ZERO.contains(addr)) return BROADCAST;
      return UNICAST;
    }
    if (addr.equals(BigInteger.ONE)) return LOCAL;
    if (V6_MULTICAST.contains(addr)) return MULTICAST;
    return UNICAST;
  }
}
