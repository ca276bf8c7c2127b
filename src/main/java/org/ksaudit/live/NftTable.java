package org.ksaudit.live;

import java.util.List;

/** A native nftables table: its family ({@code ip}, {@code ip6}, {@code inet}, ...), name and base chains. */
public record NftTable(String family, String name, List<BaseChain> baseChains) {
  public NftTable {
    baseChains = List.copyOf(baseChains);
  }

  /** A chain attached to a netfilter hook; {@code policy} is empty when nft gives none (route or nat chains). */
  public record BaseChain(String name, String hook, int priority, String policy) {
    public String describe() {
      return name + " (hook " + hook + ", priority " + priority + (policy.isEmpty() ? "" : ", policy " + policy) + ")";
    }
  }

  public String describe() {
    return "table " + family + " " + name;
  }
}
