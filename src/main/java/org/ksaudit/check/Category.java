package org.ksaudit.check;

import java.util.Optional;

/** What kind of weakness a finding describes; {@link #jsonName()} is used verbatim in JSON output. */
public enum Category {
  DEFAULT_POLICY("default-policy"),
  DNS_LEAK("dns-leak"),
  IPV6_LEAK("ipv6-leak"),
  VPN_ENDPOINT_TOO_BROAD("vpn-endpoint-too-broad"),
  LAN_EXEMPTION("lan-exemption"),
  DIRECT_LEAK("direct-leak"),
  FORWARD_LEAK("forward-leak"),
  UNREACHABLE_RULE("unreachable-rule"),
  SHADOWED_RULE("shadowed-rule"),
  UNDEFINED_CHAIN("undefined-chain"),
  LINK_LOCAL("link-local"),
  INTERFACE_WILDCARD("interface-wildcard"),
  NFT_NOT_AUDITED("nft-not-audited"),
  BOTH_BACKENDS("both-backends"),
  DNS_PATH("dns-path"),
  IPV6_EXPOSED("ipv6-exposed"),
  NOT_PERSISTENT("not-persistent"),
  DRIFT("drift"),

  SUPPRESSION("suppression");

  private final String jsonName;

  Category(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  public static Optional<Category> byJsonName(String name) {
    for (Category c : values()) if (c.jsonName.equals(name)) return Optional.of(c);
    return Optional.empty();
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
