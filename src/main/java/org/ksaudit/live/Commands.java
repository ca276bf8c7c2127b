package org.ksaudit.live;

import java.util.List;

/**
 * The read-only commands whose output describes a host, with the file name the collection
 * script (scripts/collect-host-state) saves each under. Nothing here changes the host: the
 * save tools and {@code nft list} only read, {@code ip} only shows.
 */
public final class Commands {
  private Commands() {}

  /** One command: its argument vector and the file its output is saved in. */
  public record Command(List<String> argv, String file) {
    public String program() {
      return argv.get(0);
    }
  }

  public static final Command IPTABLES_NFT_SAVE = new Command(List.of("iptables-nft-save"), "iptables-nft-save.txt");
  public static final Command IPTABLES_LEGACY_SAVE = new Command(List.of("iptables-legacy-save"), "iptables-legacy-save.txt");
  public static final Command IP6TABLES_NFT_SAVE = new Command(List.of("ip6tables-nft-save"), "ip6tables-nft-save.txt");
  public static final Command IP6TABLES_LEGACY_SAVE = new Command(List.of("ip6tables-legacy-save"), "ip6tables-legacy-save.txt");
  public static final Command NFT_RULESET = new Command(List.of("nft", "-j", "list", "ruleset"), "nft-ruleset.json");
  public static final Command ADDRESSES = new Command(List.of("ip", "-j", "addr", "show"), "ip-addr.json");
  public static final Command ROUTES4 = new Command(List.of("ip", "-j", "-4", "route", "show"), "ip-route.json");
  public static final Command ROUTES6 = new Command(List.of("ip", "-j", "-6", "route", "show"), "ip6-route.json");
  public static final Command POLICY_RULES = new Command(List.of("ip", "-j", "rule", "show"), "ip-rule.json");
  public static final Command RESOLVECTL = new Command(List.of("resolvectl", "--no-pager", "dns"), "resolvectl-dns.txt");

  public static final List<Command> ALL = List.of(IPTABLES_NFT_SAVE, IPTABLES_LEGACY_SAVE, IP6TABLES_NFT_SAVE,
      IP6TABLES_LEGACY_SAVE, NFT_RULESET, ADDRESSES, ROUTES4, ROUTES6, POLICY_RULES, RESOLVECTL);

  /** The file the sysctl settings are saved in, as "key = value" lines. */
  public static final String SYSCTL_FILE = "sysctl.txt";
  /** The folder of a saved state that mirrors the host's files (etc/resolv.conf, etc/iptables/rules.v4, ...). */
  public static final String ROOT_FOLDER = "root";
}
