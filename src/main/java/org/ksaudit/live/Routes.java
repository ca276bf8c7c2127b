package org.ksaudit.live;

import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Predicate;
import org.ksaudit.catalog.BadValue;
import org.ksaudit.catalog.ValueParsers;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;

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

  /** The route's destination as the restore tools read a prefix; a route ip prints is always numeric. */
  private static Optional<Cidr> prefix(Family f, String text) {
    try {
      return Optional.of(ValueParsers.cidr(text, f));
    } catch (BadValue e) {
      return Optional.empty();
    }
  }
}
