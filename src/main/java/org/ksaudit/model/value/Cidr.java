package org.ksaudit.model.value;

import java.math.BigInteger;
import org.ksaudit.model.Family;

/** An address prefix; {@code address} has its host bits cleared, as the kernel stores it. */
public record Cidr(Family family, BigInteger address, int prefix) {
  public Cidr {
    if (prefix < 0 || prefix > family.bits()) throw new IllegalArgumentException("prefix " + prefix);
    address = address.and(mask(family, prefix));
  }

  public static BigInteger mask(Family family, int prefix) {
    BigInteger all = BigInteger.ONE.shiftLeft(family.bits()).subtract(BigInteger.ONE);
    return all.shiftRight(family.bits() - prefix).shiftLeft(family.bits() - prefix);
  }

  public BigInteger first() {
    return address;
  }

  public BigInteger last() {
    return address.or(mask(family, prefix).not().and(BigInteger.ONE.shiftLeft(family.bits()).subtract(BigInteger.ONE)));
  }

  public boolean contains(BigInteger a) {
    return a.compareTo(first()) >= 0 && a.compareTo(last()) <= 0;
  }

  @Override
  public String toString() {
    return IpText.format(family, address) + "/" + prefix;
  }
}
