package org.ksaudit.model.value;

import java.util.List;

/** Addresses of -s / -d: iptables turns a comma list into one rule per entry, i.e. "any of". */
public record AddressList(List<Cidr> cidrs) implements Value {
  public AddressList {
    cidrs = List.copyOf(cidrs);
  }
}
