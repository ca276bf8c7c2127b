package org.ksaudit.model.value;

import java.math.BigInteger;
import org.ksaudit.model.Family;

/** An address prefix; {@code address} has its host bits cleared, as the kernel stores it. */
public record Cidr(Family family, BigInteger address, int prefix) {
  public Cidr {
    if (prefix < 0 || prefix > family.bits()) throw new IllegalArgumentException("prefix " + prefix);
    address = address.and(mask(family, prefix));
  }

  private static final BigInteger[] V4_MASKS = masks(32);
  private static final BigInteger[] V6_MASKS = masks(128);

  public static BigInteger mask(Family family, int prefix) {
    return (family == Family.IPV4 ? V4_MASKS : V6_MASKS)[prefix];
  }

  private static BigInteger[] masks(int bits) {
    BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    BigInteger[] out = new BigInteger[bits + 1];
    for (int p = 0; p <= bits; p++) out[p] = all.shiftRight(bits - p).shiftLeft(bits - p);
    return out;
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
