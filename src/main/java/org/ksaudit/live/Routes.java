package org.ksaudit.live;

import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Predicate;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;

/** Route lookup in the host's main table as the kernel does it: the longest matching prefix wins. */
final class Routes {
  private Routes() {}

  /**
   * The link a packet to {@code dst} leaves by once the tunnel is gone: routes through a tunnel
   * device vanish with it, so they are skipped.
   */
  static Optional<String> deviceFor(HostState host, Family f, BigInteger dst, Predicate<String> tunnel) {
    int best = -1;
    String dev = null;
    for (HostRoute r : host.routes()) {
      if (r.family() != f || tunnel.test(r.device())) continue;
      int len;
      if (r.isDefault()) {
        len = 0;
      } else {
        Optional<Cidr> c = prefix(f, r.destination());
        if (c.isEmpty() || !c.get().contains(dst)) continue;
        len = c.get().prefix();
      }
      if (len > best) {
        best = len;
        dev = r.device();
      }
    }
    return Optional.ofNullable(dev);
  }

  private static Optional<Cidr> prefix(Family f, String text) {
    String[] p = text.split("/");
    Optional<BigInteger> a = IpText.parse(f, p[0]);
    if (a.isEmpty()) return Optional.empty();
    int len = p.length > 1 ? Integer.parseInt(p[1]) : f.bits();
    return Optional.of(new Cidr(f, a.get().and(Cidr.mask(f, len)), len));
  }
}
