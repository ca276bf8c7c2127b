package org.ksaudit.parse;

/** The two iptables backends, which load a few files differently. */
public enum Backend {
  NFT("iptables-nft-restore"),
  LEGACY("iptables-legacy-restore");

  private final String tool;

  Backend(String tool) {
    this.tool = tool;
  }

  /** The restore tool's name, as reports name the backend. */
  public String tool() {
    return tool;
  }
}
