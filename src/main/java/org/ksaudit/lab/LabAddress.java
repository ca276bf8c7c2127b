package org.ksaudit.lab;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.IpText;

/** Literal IP addresses of the lab: parsed without DNS, printed canonically. */
public final class LabAddress {
  private LabAddress() {}

  /** The family of a literal address; IllegalArgumentException when it is not one. */
  public static Family familyOf(String literal) {
    InetAddress a = parse(literal);
    return a instanceof Inet6Address ? Family.IPV6 : Family.IPV4;
  }

  /** Parses a literal address; a host name is refused so no lookup can ever happen. */
  public static InetAddress parse(String literal) {
    boolean v4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = literal.contains(":") && literal.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) throw new IllegalArgumentException("not an IP address: " + literal);
    try {
      InetAddress a = InetAddress.getByName(literal);
      if (v4 != (a instanceof Inet4Address)) throw new IllegalArgumentException("IPv4-mapped IPv6 addresses are not supported: " + literal);
      return a;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal);
    }
  }

  /** Canonical text: the same address always prints the same way (IPv6 compressed, lower case). */
  public static String canonical(String literal) {
    return text(parse(literal));
  }

  /** Canonical text of an address (an IPv4-mapped IPv6 address prints as IPv4). */
  public static String text(InetAddress a) {
    return a instanceof Inet4Address ? a.getHostAddress() : IpText.format(Family.IPV6, new BigInteger(1, a.getAddress()));
  }
}
