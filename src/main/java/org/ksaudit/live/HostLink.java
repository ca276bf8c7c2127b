package org.ksaudit.live;

import java.util.List;
import org.ksaudit.model.Family;

/** A network link as {@code ip -j addr} shows it. */
public record HostLink(String name, boolean up, List<Address> addresses) {
  public HostLink {
    addresses = List.copyOf(addresses);
  }

  /** An address of the link; {@code scope} is the kernel's: global, link, host. */
  public record Address(Family family, String address, int prefixLength, String scope) {
    public boolean global() {
      return scope.equals("global");
    }
  }
}
