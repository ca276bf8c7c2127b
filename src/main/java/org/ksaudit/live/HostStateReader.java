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
import org.ksaudit.check.Sysctl;
import org.ksaudit.model.Family;
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
    List<Resolver> resolvers = new ArrayList<>();
    src.file("/etc/resolv.conf").ifPresent(t -> resolvers.addAll(resolvConf(t, notes)));
    src.output(Commands.RESOLVECTL).ifPresent(t -> resolvers.addAll(resolvectl(t)));
    List<SavedRules> saved = new ArrayList<>();
    for (Persisted p : PERSISTED) src.file(p.path()).ifPresent(t -> saved.add(new SavedRules(p.family(), p.path(), t)));
    return new HostState(src.describe(), dumps, nft, sysctl, links, routes, resolvers, saved, restorers(src), notes);
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

  static List<HostRoute> routes(String json, Family f) {
    List<HostRoute> out = new ArrayList<>();
    for (JsonNode r : parse(json, f == Family.IPV4 ? Commands.ROUTES4.file() : Commands.ROUTES6.file())) {
      if (!r.path("type").asText("unicast").equals("unicast") || !r.has("dev")) continue;
      Optional<String> gw = r.has("gateway") ? Optional.of(r.get("gateway").asText()) : Optional.empty();
      out.add(new HostRoute(f, r.path("dst").asText(), gw, r.get("dev").asText()));
    }
    return out;
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
          if (!a.isEmpty()) out.add(new Resolver(a.replaceAll("#.*$", ""), Optional.of(m.group(1)), "resolvectl dns"));
      } else if (line.startsWith("Global:")) {
        for (String a : line.substring(7).strip().split("\\s+"))
          if (!a.isEmpty()) out.add(new Resolver(a.replaceAll("#.*$", ""), Optional.empty(), "resolvectl dns"));
      }
    }
    return out;
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
