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
  /** Every table's routes: policy rules select tables besides main (wg-quick's 51820). */
  public static final Command ROUTES4 = new Command(List.of("ip", "-j", "-4", "route", "show", "table", "all"), "ip-route.json");
  public static final Command ROUTES6 = new Command(List.of("ip", "-j", "-6", "route", "show", "table", "all"), "ip6-route.json");
  public static final Command POLICY_RULES = new Command(List.of("ip", "-j", "-4", "rule", "show"), "ip-rule.json");
  public static final Command POLICY_RULES6 = new Command(List.of("ip", "-j", "-6", "rule", "show"), "ip6-rule.json");
  /** systemd-resolved's servers per link, with each link's DNS scope and default-route setting. */
  public static final Command RESOLVECTL_STATUS = new Command(List.of("resolvectl", "--no-pager", "status"), "resolvectl-status.txt");
  /** The servers per link alone, as states saved by earlier versions of the collection script hold them. */
  public static final Command RESOLVECTL = new Command(List.of("resolvectl", "--no-pager", "dns"), "resolvectl-dns.txt");

  public static final List<Command> ALL = List.of(IPTABLES_NFT_SAVE, IPTABLES_LEGACY_SAVE, IP6TABLES_NFT_SAVE,
      IP6TABLES_LEGACY_SAVE, NFT_RULESET, ADDRESSES, ROUTES4, ROUTES6, POLICY_RULES, POLICY_RULES6, RESOLVECTL_STATUS, RESOLVECTL);

  /** The file the sysctl settings are saved in, as "key = value" lines. */
  public static final String SYSCTL_FILE = "sysctl.txt";
  /** The folder of a saved state that mirrors the host's files (etc/resolv.conf, etc/iptables/rules.v4, ...). */
  public static final String ROOT_FOLDER = "root";
}
