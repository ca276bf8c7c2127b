package org.ksaudit.model.value;

import java.math.BigInteger;
import org.ksaudit.model.Family;

/** An inclusive address range, as in {@code -m iprange --dst-range A-B}. */
public record AddressRange(Family family, BigInteger from, BigInteger to) implements Value {
  @Override
  public String toString() {
    return IpText.format(family, from) + "-" + IpText.format(family, to);
  }
}
