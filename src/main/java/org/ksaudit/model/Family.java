package org.ksaudit.model;

/** Address family of a ruleset: iptables-save (IPv4) or ip6tables-save (IPv6). */
public enum Family {
  IPV4("ipv4", 32),
  IPV6("ipv6", 128);

  private final String label;
  private final int bits;

  Family(String label, int bits) {
    this.label = label;
    this.bits = bits;
  }

  public String label() {
    return label;
  }

  public int bits() {
    return bits;
  }
}
