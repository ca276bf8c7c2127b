package org.ksaudit.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ksaudit.catalog.BadValue;
import org.ksaudit.catalog.ValueParsers;
import org.ksaudit.check.Sysctl;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.parse.Backend;

/** Reads a {@link HostState} from a {@link HostSource}. */
public final class HostStateReader {
  private HostStateReader() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  /** glibc reads at most this many nameserver lines (MAXNS in resolv.h); later ones are never asked. */
  static final int MAXNS = 3;
  private static final Pattern RESOLVECTL_LINK = Pattern.compile("^Link \\d+ \\(([^)]+)\\):(.*)$");
  private static final List<String> IPTABLES_TABLES = List.of("filter", "nat", "mangle", "raw", "security");

  /** The places distributions restore saved rules from at boot, with the family each holds and who uses it. */
  static final List<Persisted> PERSISTED = List.of(
      new Persisted(Family.IPV4, "/etc/iptables/rules.v4", "Debian/Ubuntu iptables-persistent"),
      new Persisted(Family.IPV6, "/etc/iptables/rules.v6", "Debian/Ubuntu iptables-persistent"),
      new Persisted(Family.IPV4, "/etc/sysconfig/iptables", "RHEL/Fedora iptables-services"),
      new Persisted(Family.IPV6, "/etc/sysconfig/ip6tables", "RHEL/Fedora iptables-services"),
      new Persisted(Family.IPV4, "/etc/iptables/iptables.rules", "Arch Linux iptables.service"),
      new Persisted(Family.IPV6, "/etc/iptables/ip6tables.rules", "Arch Linux ip6tables.service"),
      new Persisted(Family.IPV4, "/var/lib/iptables/rules-save", "Gentoo iptables init script"),
      new Persisted(Family.IPV6, "/var/lib/ip6tables/rules-save", "Gentoo ip6tables init script"));

  record Persisted(Family family, String path, String by) {}

  /** The unit folders systemd reads, most specific first, and the folders whose links enable a unit at boot. */
  static final List<String> UNIT_FOLDERS = List.of("/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system");
  private static final List<String> BOOT_TARGETS = List.of("multi-user.target.wants", "basic.target.wants",
      "network-pre.target.wants", "sysinit.target.wants", "network.target.wants");

  public static HostState read(HostSource src) throws HostReadException {
    try {
      return readAll(src);
    } catch (IllegalArgumentException e) {
      throw new HostReadException(src.describe() + ": " + e.getMessage());
    }
  }

  private static HostState readAll(HostSource src) throws HostReadException {
    List<String> notes = new ArrayList<>();
    List<RulesDump> dumps = new ArrayList<>();
    dump(src, Commands.IPTABLES_NFT_SAVE, Backend.NFT, Family.IPV4).ifPresent(dumps::add);
    dump(src, Commands.IPTABLES_LEGACY_SAVE, Backend.LEGACY, Family.IPV4).ifPresent(dumps::add);
    dump(src, Commands.IP6TABLES_NFT_SAVE, Backend.NFT, Family.IPV6).ifPresent(dumps::add);
    dump(src, Commands.IP6TABLES_LEGACY_SAVE, Backend.LEGACY, Family.IPV6).ifPresent(dumps::add);
    List<NftTable> nft = src.output(Commands.NFT_RULESET).map(j -> nftTables(j, dumps)).orElse(List.of());
    Sysctl sysctl = Sysctl.parse(src.sysctls());
    List<HostLink> links = src.output(Commands.ADDRESSES).map(HostStateReader::links).orElse(List.of());
    List<HostRoute> routes = new ArrayList<>();
    src.output(Commands.ROUTES4).ifPresent(j -> routes.addAll(routes(j, Family.IPV4)));
    src.output(Commands.ROUTES6).ifPresent(j -> routes.addAll(routes(j, Family.IPV6)));
    List<PolicyRule> rules = new ArrayList<>();
    src.output(Commands.POLICY_RULES).ifPresent(j -> rules.addAll(policyRules(j, Family.IPV4)));
    src.output(Commands.POLICY_RULES6).ifPresent(j -> rules.addAll(policyRules(j, Family.IPV6)));
    List<Resolver> resolvers = new ArrayList<>();
    src.file("/etc/resolv.conf").ifPresent(t -> resolvers.addAll(resolvConf(t, notes)));
    Optional<String> status = src.output(Commands.RESOLVECTL_STATUS);
    if (status.isPresent()) resolvers.addAll(resolvectlStatus(status.get()));
    else src.output(Commands.RESOLVECTL).ifPresent(t -> resolvers.addAll(resolvectl(t)));
    stubNote(resolvers).ifPresent(notes::add);
    List<SavedRules> saved = new ArrayList<>();
    for (Persisted p : PERSISTED) src.file(p.path()).ifPresent(t -> saved.add(new SavedRules(p.family(), p.path(), t)));
    return new HostState(src.describe(), dumps, nft, sysctl, links, routes, rules, resolvers, saved, restorers(src), notes);
  }

  private static Optional<RulesDump> dump(HostSource src, Commands.Command c, Backend b, Family f) throws HostReadException {
    return src.output(c).map(t -> new RulesDump(b, f, c.program(), t));
  }

  /** The tables of {@code nft -j list ruleset} that the iptables-nft dumps do not account for. */
  static List<NftTable> nftTables(String json, List<RulesDump> dumps) {
    JsonNode root = parse(json, Commands.NFT_RULESET.file());
    Map<String, List<NftTable.BaseChain>> chains = new LinkedHashMap<>();
    for (JsonNode item : root.path("nftables")) {
      if (item.has("table")) {
        JsonNode t = item.get("table");
        chains.putIfAbsent(t.path("family").asText() + " " + t.path("name").asText(), new ArrayList<>());
      } else if (item.has("chain") && item.get("chain").has("hook")) {
        JsonNode c = item.get("chain");
        chains.computeIfAbsent(c.path("family").asText() + " " + c.path("table").asText(), k -> new ArrayList<>())
            .add(new NftTable.BaseChain(c.path("name").asText(), c.path("hook").asText(), c.path("prio").asInt(),
                c.path("policy").asText("")));
      }
    }
    List<NftTable> out = new ArrayList<>();
    for (Map.Entry<String, List<NftTable.BaseChain>> e : chains.entrySet()) {
      String[] fn = e.getKey().split(" ", 2);
      if (ofIptablesNft(fn[0], fn[1], dumps)) continue;
      out.add(new NftTable(fn[0], fn[1], e.getValue()));
    }
    return out;
  }

  /** iptables-nft keeps its tables as nftables tables of family ip or ip6 named like the iptables tables. */
  private static boolean ofIptablesNft(String family, String name, List<RulesDump> dumps) {
    if (!IPTABLES_TABLES.contains(name)) return false;
    Family f = family.equals("ip") ? Family.IPV4 : family.equals("ip6") ? Family.IPV6 : null;
    if (f == null) return false;
    return dumps.stream().anyMatch(d -> d.backend() == Backend.NFT && d.family() == f && d.text().contains("\n*" + name + "\n")
        || d.backend() == Backend.NFT && d.family() == f && d.text().startsWith("*" + name + "\n"));
  }

  static List<HostLink> links(String json) {
    List<HostLink> out = new ArrayList<>();
    for (JsonNode l : parse(json, Commands.ADDRESSES.file())) {
      List<HostLink.Address> addrs = new ArrayList<>();
      for (JsonNode a : l.path("addr_info")) {
        String fam = a.path("family").asText();
        if (!fam.equals("inet") && !fam.equals("inet6")) continue;
        addrs.add(new HostLink.Address(fam.equals("inet") ? Family.IPV4 : Family.IPV6, a.path("local").asText(),
            a.path("prefixlen").asInt(), a.path("scope").asText()));
      }
      boolean up = false;
      for (JsonNode f : l.path("flags")) up |= f.asText().equals("UP");
      out.add(new HostLink(l.path("ifname").asText(), up, addrs));
    }
    return out;
  }

  /**
   * {@code ip -j route show table all}: a route without "table" is the main table's (as {@code ip
   * route show} prints it); a multipath route leaves by its first next hop's device.
   */
  static List<HostRoute> routes(String json, Family f) {
    List<HostRoute> out = new ArrayList<>();
    String file = f == Family.IPV4 ? Commands.ROUTES4.file() : Commands.ROUTES6.file();
    for (JsonNode r : parse(json, file)) {
      JsonNode hop = r.has("dev") || !r.path("nexthops").isArray() ? r : r.path("nexthops").path(0);
      Optional<String> dev = hop.has("dev") ? Optional.of(hop.get("dev").asText()) : Optional.empty();
      Optional<String> gw = hop.has("gateway") ? Optional.of(hop.get("gateway").asText()) : Optional.empty();
      HostRoute.Kind kind = HostRoute.Kind.of(r.path("type").asText("unicast"));
      if (kind == HostRoute.Kind.UNICAST && dev.isEmpty()) continue;
      out.add(new HostRoute(f, r.path("table").asText("main"), kind, prefix(f, r.path("dst").asText(), file), gw, dev,
          r.path("metric").asLong(0)));
    }
    return out;
  }

  /** The selectors of {@code ip -j rule} this reader does not evaluate; a rule with one of them may or may not match. */
  private static final List<String> UNREAD_SELECTORS = List.of("ipproto", "sport", "dport", "tos", "dsfield", "tun_id", "l3mdev",
      "suppress_ifgroup");

  /** {@code ip -j rule show} of one family: selectors, action and table of each rule. */
  static List<PolicyRule> policyRules(String json, Family f) {
    List<PolicyRule> out = new ArrayList<>();
    String file = f == Family.IPV4 ? Commands.POLICY_RULES.file() : Commands.POLICY_RULES6.file();
    for (JsonNode r : parse(json, file)) {
      Optional<Cidr> from = selector(f, r, "src", "srclen", file);
      Optional<Cidr> to = selector(f, r, "dst", "dstlen", file);
      Optional<PolicyRule.Mark> mark = r.has("fwmark")
          ? Optional.of(new PolicyRule.Mark(number(r.get("fwmark").asText(), file), r.has("fwmask") ? number(r.get("fwmask").asText(), file)
              : 0xffffffffL))
          : Optional.empty();
      Optional<PolicyRule.Uids> uids = r.has("uid_start")
          ? Optional.of(new PolicyRule.Uids(r.get("uid_start").asLong(), r.path("uid_end").asLong(r.get("uid_start").asLong())))
          : Optional.empty();
      Optional<String> iif = r.has("iif") ? Optional.of(r.get("iif").asText()) : Optional.empty();
      Optional<String> oif = r.has("oif") ? Optional.of(r.get("oif").asText()) : Optional.empty();
      String act = r.path("action").asText("");
      PolicyRule.Action action = r.has("goto") ? PolicyRule.Action.GOTO
          : act.equals("nop") ? PolicyRule.Action.NOP
          : act.equals("blackhole") || act.equals("unreachable") || act.equals("prohibit") ? PolicyRule.Action.DROP
          : PolicyRule.Action.LOOKUP;
      List<String> unread = new ArrayList<>();
      for (String s : UNREAD_SELECTORS) if (r.has(s)) unread.add(s + " " + r.get(s).asText());
      out.add(new PolicyRule(f, r.path("priority").asInt(), r.has("not"), from, to, mark, uids, iif, oif, action,
          r.path("table").asText("main"), r.has("suppress_prefixlen") ? r.get("suppress_prefixlen").asInt() : PolicyRule.NO_SUPPRESSION,
          r.path("goto").asInt(0), unread));
    }
    return out;
  }

  /** A rule's "from" or "to" selector: "all" is none, else the address with its length. */
  private static Optional<Cidr> selector(Family f, JsonNode r, String addr, String len, String file) {
    String a = r.path(addr).asText("all");
    if (a.equals("all")) return Optional.empty();
    return Optional.of(prefix(f, a + (r.has(len) ? "/" + r.get(len).asInt() : ""), file));
  }

  private static long number(String text, String file) {
    try {
      return text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + ": " + text + " is not a mark");
    }
  }

  /** A destination as ip prints it: "default", an address, or a prefix. */
  private static Cidr prefix(Family f, String text, String file) {
    try {
      return ValueParsers.cidr(text.equals("default") ? (f == Family.IPV4 ? "0.0.0.0/0" : "::/0") : text, f);
    } catch (BadValue e) {
      throw new IllegalArgumentException(file + ": " + text + " is not an " + f.label() + " destination");
    }
  }

  static List<Resolver> resolvConf(String text, List<String> notes) {
    List<Resolver> out = new ArrayList<>();
    int seen = 0;
    for (String raw : text.split("\n")) {
      String[] w = raw.strip().split("\\s+");
      if (w.length < 2 || !w[0].equals("nameserver")) continue;
      if (++seen > MAXNS) {
        notes.add("/etc/resolv.conf: nameserver " + w[1] + " is ignored: the C library reads the first " + MAXNS);
        continue;
      }
      // a link-local IPv6 server may carry its zone: fe80::1%eth0
      int pct = w[1].indexOf('%');
      Optional<String> link = pct > 0 ? Optional.of(w[1].substring(pct + 1)) : Optional.empty();
      out.add(new Resolver(pct > 0 ? w[1].substring(0, pct) : w[1], link, "/etc/resolv.conf"));
    }
    return out;
  }

  /** {@code resolvectl dns}: a "Global:" line and one "Link N (name): servers" line per link. */
  static List<Resolver> resolvectl(String text) {
    List<Resolver> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      Matcher m = RESOLVECTL_LINK.matcher(line);
      if (m.matches()) {
        for (String a : m.group(2).strip().split("\\s+"))
          if (!a.isEmpty()) out.add(new Resolver(server(a), Optional.of(m.group(1)), "systemd-resolved, link " + m.group(1)));
      } else if (line.startsWith("Global:")) {
        for (String a : line.substring(7).strip().split("\\s+"))
          if (!a.isEmpty()) out.add(new Resolver(server(a), Optional.empty(), "systemd-resolved, global"));
      }
    }
    return out;
  }

  private static final Pattern STATUS_SECTION = Pattern.compile("^(Global|Link \\d+ \\(([^)]+)\\))$");
  private static final Pattern STATUS_FIELD = Pattern.compile("^\\s*([A-Za-z][A-Za-z. ]*):(.*)$");

  /**
   * {@code resolvectl status}: a "Global" section and one "Link N (name)" section per link, each
   * with "Key: value" lines whose values may go on in indented lines without a key. A link's
   * servers are asked through that link (systemd-resolved binds its sockets to it); a link
   * without the DNS scope, or without servers, asks none. "+DefaultRoute" (systemd 246 and
   * later) or "DefaultRoute setting: yes" makes a link take every lookup no routing domain claims.
   */
  static List<Resolver> resolvectlStatus(String text) {
    List<Resolver> out = new ArrayList<>();
    Optional<String> link = Optional.empty();
    Map<String, List<String>> fields = new LinkedHashMap<>();
    String key = "";
    boolean inSection = false;
    for (String raw : (text + "\n\n").split("\n")) {
      Matcher section = STATUS_SECTION.matcher(raw.strip());
      if (section.matches() || raw.isBlank()) {
        if (inSection) out.addAll(statusServers(link, fields));
        fields = new LinkedHashMap<>();
        key = "";
        inSection = section.matches();
        if (inSection) link = Optional.ofNullable(section.group(2));
        continue;
      }
      Matcher field = STATUS_FIELD.matcher(raw);
      if (field.matches()) {
        key = field.group(1).strip();
        fields.computeIfAbsent(key, k -> new ArrayList<>()).addAll(words(field.group(2)));
      } else if (!key.isEmpty()) {
        fields.get(key).addAll(words(raw));
      }
    }
    return out;
  }

  private static List<Resolver> statusServers(Optional<String> link, Map<String, List<String>> fields) {
    List<String> scopes = fields.getOrDefault("Current Scopes", List.of());
    if (link.isPresent() && !scopes.contains("DNS")) return List.of();
    boolean defaultRoute = fields.getOrDefault("Protocols", List.of()).contains("+DefaultRoute")
        || fields.getOrDefault("DefaultRoute setting", List.of()).contains("yes");
    List<String> domains = fields.getOrDefault("DNS Domain", List.of());
    String source = link.map(l -> "systemd-resolved, link " + l + (defaultRoute || domains.contains("~.") ? ", every lookup"
        : domains.isEmpty() ? "" : ", lookups in " + String.join(" ", domains))).orElse("systemd-resolved, global");
    List<Resolver> out = new ArrayList<>();
    for (String a : fields.getOrDefault("DNS Servers", List.of())) out.add(new Resolver(server(a), link, source));
    return out;
  }

  private static List<String> words(String text) {
    return List.of(text.strip().split("\\s+")).stream().filter(w -> !w.isEmpty()).toList();
  }

  /** A server as resolvectl prints it: "ADDR", "ADDR#SNI-NAME", "ADDR%IFACE", "[ADDR]:PORT": the address. */
  private static String server(String text) {
    String a = text.replaceAll("#.*$", "");
    if (a.startsWith("[")) a = a.substring(1, Math.max(1, a.indexOf(']')));
    else if (a.indexOf(':') == a.lastIndexOf(':') && a.contains(":")) a = a.substring(0, a.indexOf(':'));
    return a.replaceAll("%.*$", "");
  }

  /** The addresses of systemd-resolved's stub listeners, which forward to the servers resolvectl shows. */
  static final List<String> RESOLVED_STUBS = List.of("127.0.0.53", "127.0.0.54");

  /**
   * A note when resolv.conf sends lookups to systemd-resolved's stub but no servers of
   * systemd-resolved were read: where the lookups really go is then unknown.
   */
  private static Optional<String> stubNote(List<Resolver> resolvers) {
    boolean stub = resolvers.stream().anyMatch(r -> RESOLVED_STUBS.contains(r.address()));
    boolean upstream = resolvers.stream().anyMatch(r -> r.source().startsWith("systemd-resolved"));
    if (!stub || upstream) return Optional.empty();
    return Optional.of("/etc/resolv.conf names systemd-resolved's stub resolver, but resolvectl gave no servers (not"
        + " installed, not running, or not saved): the servers it forwards lookups to are not checked for the DNS path (KS116)");
  }

  /** Units and scripts that restore saved rules at boot, with whether a boot target enables them. */
  static List<String> restorers(HostSource src) throws HostReadException {
    List<String> enabled = new ArrayList<>();
    for (String t : BOOT_TARGETS) enabled.addAll(src.list("/etc/systemd/system/" + t));
    List<String> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (String folder : UNIT_FOLDERS) {
      for (String name : src.list(folder)) {
        if (!name.endsWith(".service") || seen.contains(name)) continue;
        Optional<String> text = src.file(folder + "/" + name);
        if (text.isEmpty() || !restores(text.get())) continue;
        seen.add(name);
        out.add(folder + "/" + name + (enabled.contains(name) ? " (enabled)" : " (not enabled)"));
      }
    }
    for (String name : src.list("/etc/network/if-pre-up.d")) {
      Optional<String> text = src.file("/etc/network/if-pre-up.d/" + name);
      if (text.isPresent() && restores(text.get())) out.add("/etc/network/if-pre-up.d/" + name + " (enabled)");
    }
    return out;
  }

  private static boolean restores(String text) {
    return text.contains("iptables-restore") || text.contains("netfilter-persistent") || text.contains("ip6tables-restore");
  }

  private static JsonNode parse(String json, String what) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(what + " is not the JSON the command prints: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
