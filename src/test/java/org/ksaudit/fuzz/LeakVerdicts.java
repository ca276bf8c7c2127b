package org.ksaudit.fuzz;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ksaudit.analysis.Mentions;
import com.fasterxml.jackson.databind.JsonNode;
import org.ksaudit.testsupport.ReportSchema;
import org.ksaudit.lab.PacketOracle;
import org.ksaudit.lab.Probe;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;

/**
 * What the kernel must confirm about one {@code ksaudit check} report. The leak categories
 * split the packets that leave outside the tunnel by a stated rule (README, KS102-KS106): the
 * VPN server's own traffic (--endpoint, else a rule allowing one protocol and port to one host)
 * is intended; traffic to a --allow-lan range is a lan-exemption (info); what is left is a
 * vpn-endpoint-too-broad when it goes to a VPN port or the server's address, else dns-leak for
 * UDP/TCP 53 and 853, else lan-exemption for private destinations, else direct-leak (IPv4) or
 * ipv6-leak (IPv6). So a probe that the kernel lets out of an uplink is a leak that at least
 * one finding of a category it can fall in must report, at error severity for a new connection
 * (a finding about open connections or marked packets does not count); a category without
 * findings is thereby confirmed clean by every one of its probes the kernel stopped. And every
 * witness of a definite finding that a probe can replay must leak.
 *
 * <p>Forwarded packets have one category, forward-leak (KS107: new connections arriving on any
 * interface but the tunnel, routed out of any but the tunnel): a family without a forward-leak
 * finding (or a finding about the whole family) is confirmed when the kernel, forwarding, stops
 * every forwarded probe, and a witness with an input interface is replayed as a forwarded
 * packet arriving there.
 */
final class LeakVerdicts {
  private LeakVerdicts() {}

  static final List<String> UPLINKS = List.of("eth0", "wlan0");
  /** The usual VPN ports (OpenVPN, WireGuard, IKE, NAT-T, PPTP, L2TP), as KS104 names them. */
  private static final List<String> VPN_SERVICES = List.of("udp 1194", "tcp 1194", "udp 51820", "udp 500", "udp 4500", "tcp 1723",
      "udp 1701");
  private static final Pattern ENDPOINT_OPTION = Pattern.compile("\\[?([0-9A-Fa-f:.]+)]?:(\\d+)/(udp|tcp)");

  /**
   * One finding as the JSON report gives it; {@code family} empty when the report does not say;
   * {@code wholeFamily} for a finding about a family no file was given for (every packet of it
   * leaves unfiltered, whatever its category).
   */
  record Reported(String id, String category, String severity, String certainty, Optional<Family> family, Optional<Probe> witness,
      boolean newConnection, boolean replayable, Optional<PacketOracle.Forwarded> forwarded, boolean wholeFamily, Set<String> traffic,
      String text) {}

  /** The forward-leak category (KS107). */
  static final String FORWARD_LEAK = "forward-leak";
  /** Interfaces a forwarded probe arrives on: LAN-side bridges and a second LAN, besides the uplinks. */
  static final List<String> LAN_SIDE = List.of("docker0", "eth1", "br0");
  /** Forwarded probes per family and input. */
  private static final int FORWARDED = 12;

  /** The witness fields a probe sent from this host cannot set: a forwarded packet, a chosen source, owner or TCP flags. */
  private static final List<String> UNREPLAYABLE = List.of("state", "mark", "iif", "src", "sport", "uid", "gid", "tcp_flags", "icmp_type");
  /** The witness fields a forwarded frame cannot set: the oracle picks the source port, sends a SYN or an echo request, no mark. */
  private static final List<String> UNFORWARDABLE = List.of("state", "mark", "sport", "uid", "gid", "tcp_flags", "icmp_type");

  /** The traffic kind ({@code traffic[].kind} in the JSON report) of each leak category, as the README defines them. */
  private static final Map<String, String> KIND_OF_CATEGORY = Map.of("vpn-endpoint-too-broad", "vpn", "dns-leak", "dns",
      "lan-exemption", "lan", "direct-leak", "other", "ipv6-leak", "other");

  /** The ruleset of one family as the case gave it, parsed (empty when the family has no file). */
  record Side(Family family, Optional<String> text, Optional<Ruleset> ruleset) {}

  /** The findings of a JSON report; {@code files} maps each file argument to its family. */
  static List<Reported> findings(String json, Map<String, Family> files) {
    List<Reported> out = new ArrayList<>();
    JsonNode root = ReportSchema.parse(json);
    for (JsonNode f : root.get("findings")) {
      Optional<Family> fam = Optional.ofNullable(f.get("file").textValue()).map(files::get);
      Optional<Probe> witness = Optional.empty();
      Optional<PacketOracle.Forwarded> forwarded = Optional.empty();
      boolean fresh = true;
      boolean replayable = false;
      JsonNode w = f.get("witness");
      if (!w.isNull()) {
        Family wf = "ipv6".equals(w.get("family").textValue()) ? Family.IPV6 : Family.IPV4;
        if (fam.isEmpty()) fam = Optional.of(wf);
        fresh = !w.has("state") && !w.has("mark");
        replayable = UNREPLAYABLE.stream().noneMatch(w::has);
        int dport = w.get("dport").intValue();
        String proto = w.get("proto").textValue();
        witness = Optional.of(new Probe(wf, proto, w.get("dst").textValue(), proto.equals("icmp") ? -1 : dport, w.get("oif").textValue()));
        if (w.has("iif") && UNFORWARDABLE.stream().noneMatch(w::has)) {
          String src = w.has("src") ? w.get("src").textValue() : defaultSource(wf);
          forwarded = Optional.of(new PacketOracle.Forwarded(witness.get(), w.get("iif").textValue(), src));
        }
      }
      Set<String> traffic = new LinkedHashSet<>();
      for (JsonNode t : f.get("traffic")) traffic.add(t.get("kind").textValue());
      out.add(new Reported(f.get("id").textValue(), f.get("category").textValue(), f.get("severity").textValue(),
          f.get("certainty").textValue(), fam, witness, fresh, replayable, forwarded, f.get("file").isNull(), traffic,
          f.get("id").textValue() + " " + f.get("category").textValue() + " " + f.get("severity").textValue() + " "
              + f.get("message").textValue()));
    }
    return out;
  }

  /** What the user declared and what the rules name as the VPN server, per family. */
  record Intended(Set<String> endpoints, Set<String> endpointHosts, List<Cidr> allowedLan) {
    boolean isEndpoint(Probe p) {
      return endpoints.contains(p.proto() + " " + canonical(p.family(), p.dst()) + " " + p.dport());
    }

    boolean isEndpointHost(Probe p) {
      return endpointHosts.contains(canonical(p.family(), p.dst()));
    }
  }

  /**
   * The --endpoint and --allow-lan of the family; without --endpoint, every rule line naming one
   * host (-d), one protocol (-p udp/tcp) and one port (--dport), DNS ports aside, may be taken
   * as the server (KS104's inference), so probes matching it are excused.
   */
  static Intended intended(Family f, List<String> options, Optional<String> text) {
    Set<String> endpoints = new LinkedHashSet<>();
    Set<String> hosts = new LinkedHashSet<>();
    List<Cidr> lans = new ArrayList<>();
    for (int i = 0; i + 1 < options.size(); i++) {
      String v = options.get(i + 1);
      if (options.get(i).equals("--endpoint")) {
        Matcher m = ENDPOINT_OPTION.matcher(v);
        if (m.matches() && familyOf(m.group(1)) == f) {
          endpoints.add(m.group(3) + " " + canonical(f, m.group(1)) + " " + m.group(2));
          hosts.add(canonical(f, m.group(1)));
        }
      }
      if (options.get(i).equals("--allow-lan") && familyOf(v.split("/")[0]) == f) lans.add(cidr(f, v));
    }
    if (endpoints.isEmpty() && text.isPresent()) {
      for (String line : text.get().split("\n")) {
        String[] w = line.trim().split("\\s+");
        String host = null;
        String proto = null;
        String port = null;
        for (int i = 0; i + 1 < w.length; i++) {
          if ((w[i].equals("-d") || w[i].equals("--destination")) && (i == 0 || !w[i - 1].equals("!"))) host = w[i + 1];
          if (w[i].equals("-p") && (w[i + 1].equals("udp") || w[i + 1].equals("tcp"))) proto = w[i + 1];
          if ((w[i].equals("--dport") || w[i].equals("--dports")) && w[i + 1].matches("\\d+")) port = w[i + 1];
        }
        if (host == null) continue;
        String bare = host.replaceAll("/(32|128)$", "");
        if (bare.contains("/") || familyOf(bare) != f) continue;
        hosts.add(canonical(f, bare));
        if (proto != null && port != null && !port.equals("53") && !port.equals("853")) endpoints.add(proto + " " + canonical(f, bare) + " " + port);
      }
    }
    return new Intended(endpoints, hosts, lans);
  }

  /** The categories a leaking probe can be reported in (the stated partition rule). */
  static Set<String> categories(Probe p, Intended in) {
    Set<String> out = new LinkedHashSet<>();
    BigInteger dst = IpText.parse(p.family(), p.dst()).orElseThrow();
    boolean vpn = VPN_SERVICES.contains(p.proto() + " " + p.dport()) || in.isEndpointHost(p)
        || in.endpoints().stream().anyMatch(e -> e.startsWith(p.proto() + " ") && e.endsWith(" " + p.dport()));
    if (vpn) out.add("vpn-endpoint-too-broad");
    boolean dns = !p.proto().equals("icmp") && (p.dport() == 53 || p.dport() == 853);
    if (dns) {
      out.add("dns-leak");
      return out;
    }
    if (privateRanges(p.family()).stream().anyMatch(c -> c.contains(dst))) out.add("lan-exemption");
    out.add(p.family() == Family.IPV4 ? "direct-leak" : "ipv6-leak");
    return out;
  }

  /** The traffic kind of a leak category. */
  static String kindOf(String category) {
    return KIND_OF_CATEGORY.get(category);
  }

  static boolean declaredLan(Probe p, Intended in) {
    BigInteger dst = IpText.parse(p.family(), p.dst()).orElseThrow();
    return in.allowedLan().stream().anyMatch(c -> c.contains(dst));
  }

  /**
   * The finding that reports this leak, if any: one finding per weakness (README) puts the leak
   * under the category of the rule that lets it out, which may be another than the probe's
   * own (DNS through a LAN exemption is a lan-exemption finding whose traffic lists DNS), so a
   * finding reports the probe when its category or one of its traffic kinds is the probe's.
   */
  static Optional<Reported> covering(Probe p, Intended in, List<Reported> findings) {
    boolean declared = declaredLan(p, in);
    Set<String> cats = declared ? Set.of("lan-exemption") : categories(p, in);
    Set<String> kinds = new LinkedHashSet<>();
    for (String c : cats) kinds.add(kindOf(c));
    for (Reported f : findings) {
      if (f.family().isPresent() && f.family().get() != p.family()) continue;
      boolean reports = cats.contains(f.category()) || f.traffic().stream().anyMatch(kinds::contains);
      if (!reports || !f.newConnection()) continue;
      if (declared || f.severity().equals("error")) return Optional.of(f);
    }
    return Optional.empty();
  }

  /**
   * The probes at the boundaries of the categories for one family, all on uplinks: every
   * address the rules name and its neighbours, the first and last address of every prefix
   * and their outer neighbours, resolvers and private ranges, and random addresses; to each
   * DNS (53/853), a VPN port, a port the rules name or a common one, and ICMP echo; and every
   * port the rules name, UDP and TCP, to a documentation address.
   */
  static List<Probe> probes(Side side, Intended in, Random rnd) {
    Family f = side.family();
    Set<BigInteger> addrs = new LinkedHashSet<>();
    Set<Integer> ports = new LinkedHashSet<>(List.of(443, 123, 80));
    side.ruleset().ifPresent(rs -> {
      Mentions m = Mentions.of(rs);
      for (BigInteger a : m.addresses()) {
        addrs.add(a);
        addrs.add(a.add(BigInteger.ONE));
        addrs.add(a.subtract(BigInteger.ONE));
      }
      for (Cidr c : m.prefixes()) {
        addrs.add(c.first());
        addrs.add(c.last());
        addrs.add(c.first().subtract(BigInteger.ONE));
        addrs.add(c.last().add(BigInteger.ONE));
      }
      for (int p : m.ports()) {
        ports.add(p);
        if (p > 0) ports.add(p - 1);
        if (p < 65535) ports.add(p + 1);
      }
    });
    for (Cidr c : in.allowedLan()) {
      addrs.add(c.first());
      addrs.add(c.last().add(BigInteger.ONE));
    }
    List<String> anchors = f == Family.IPV4
        ? List.of("203.0.113.53", "9.9.9.9", "10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1", "11.0.0.0", "198.51.100.1")
        : List.of("2001:db8::53", "2001:4860::8888", "fd00::1", "fc00::1", "2001:db8:5::1", "fe00::1");
    List<BigInteger> picked = new ArrayList<>(addrs.stream().filter(a -> probeable(f, a)).limit(16).toList());
    for (String a : anchors) if (picked.size() < 22) picked.add(IpText.parse(f, a).orElseThrow());
    for (int i = 0; i < 2; i++) picked.add(random(f, rnd));
    List<Integer> portList = new ArrayList<>(ports);
    Set<Probe> out = new LinkedHashSet<>();
    for (BigInteger a : new LinkedHashSet<>(picked)) {
      if (!probeable(f, a)) continue;
      String dst = IpText.format(f, a);
      out.add(new Probe(f, "udp", dst, 53, uplink(rnd)));
      out.add(new Probe(f, "tcp", dst, rnd.nextBoolean() ? 53 : 853, uplink(rnd)));
      String[] vpn = VPN_SERVICES.get(rnd.nextInt(VPN_SERVICES.size())).split(" ");
      out.add(new Probe(f, vpn[0], dst, Integer.parseInt(vpn[1]), uplink(rnd)));
      out.add(new Probe(f, rnd.nextBoolean() ? "udp" : "tcp", dst, portList.get(rnd.nextInt(portList.size())), uplink(rnd)));
      out.add(new Probe(f, "icmp", dst, -1, uplink(rnd)));
    }
    String doc = f == Family.IPV4 ? "203.0.113." + (1 + rnd.nextInt(250)) : "2001:db8::" + Integer.toHexString(1 + rnd.nextInt(0xfff));
    for (int p : portList.subList(0, Math.min(portList.size(), 12))) {
      out.add(new Probe(f, "udp", doc, p, uplink(rnd)));
      out.add(new Probe(f, "tcp", doc, p, uplink(rnd)));
    }
    return out.stream().filter(LeakVerdicts::sendable).toList();
  }

  /** The source of a forwarded packet when the witness names none, as {@code ksaudit trace --in} assumes. */
  static String defaultSource(Family f) {
    return f == Family.IPV4 ? "192.0.2.100" : "2001:db8::100";
  }

  /** The interface names or prefixes ("tun*", "tun+") the report took as the tunnel ({@code tunnel.taken}). */
  static List<String> tunnels(String json) {
    List<String> out = new ArrayList<>();
    JsonNode t = ReportSchema.parse(json).get("tunnel");
    if (t == null || t.isNull()) return out;
    JsonNode taken = t.get("taken");
    if (taken != null) for (JsonNode o : taken) out.add(o.get("name").textValue());
    return out;
  }

  static boolean isTunnel(String iface, List<String> tunnels) {
    for (String t : tunnels) {
      boolean prefix = t.endsWith("*") || t.endsWith("+");
      if (prefix ? iface.startsWith(t.substring(0, t.length() - 1)) : iface.equals(t)) return true;
    }
    return false;
  }

  /** Whether the report says forwarded packets of the family leave: a forward-leak finding, or one about the whole family. */
  static boolean reportsForwardLeak(Family f, List<Reported> findings) {
    return findings.stream().anyMatch(r -> (r.category().equals(FORWARD_LEAK) || r.wholeFamily())
        && r.family().map(x -> x == f).orElse(true));
  }

  /**
   * Forwarded probes for one family: a sample of the boundary probes of {@link #probes} (out of
   * an uplink), each arriving on a LAN-side interface or the other uplink, from the default
   * source or, now and then, from one of the addresses the probes go to (so -s tests and their
   * boundaries are crossed). None arrives on an interface the report took as the tunnel.
   */
  static List<PacketOracle.Forwarded> forwardProbes(Side side, Intended in, Random rnd, List<String> tunnels) {
    List<Probe> local = new ArrayList<>(probes(side, in, rnd));
    java.util.Collections.shuffle(local, rnd);
    List<String> dsts = local.stream().map(Probe::dst).distinct().toList();
    List<PacketOracle.Forwarded> out = new ArrayList<>();
    for (Probe p : local) {
      if (out.size() == FORWARDED) break;
      List<String> ins = new ArrayList<>(LAN_SIDE);
      for (String u : UPLINKS) if (!u.equals(p.oif())) ins.add(u);
      ins.removeIf(i -> isTunnel(i, tunnels));
      if (ins.isEmpty() || isTunnel(p.oif(), tunnels)) continue;
      String src = rnd.nextInt(3) == 0 ? dsts.get(rnd.nextInt(dsts.size())) : defaultSource(side.family());
      if (canonical(side.family(), src).equals(canonical(side.family(), p.dst()))) src = defaultSource(side.family());
      if (canonical(side.family(), src).equals(canonical(side.family(), p.dst()))) continue;
      out.add(new PacketOracle.Forwarded(p, ins.get(rnd.nextInt(ins.size())), src));
    }
    return out;
  }

  /** Whether a socket can send it at all: an address a device can take, and no port 0 (EINVAL). */
  static boolean sendable(Probe p) {
    return PacketOracle.sendable(p) && p.dport() != 0 && probeable(p.family(), IpText.parse(p.family(), p.dst()).orElseThrow());
  }

  private static String uplink(Random rnd) {
    return UPLINKS.get(rnd.nextInt(UPLINKS.size()));
  }

  private static BigInteger random(Family f, Random rnd) {
    if (f == Family.IPV4) return new BigInteger(32, rnd);
    return IpText.parseV6("2001:db8::").orElseThrow().add(new BigInteger(64, rnd));
  }

  /** An address a probe can go to: no multicast, loopback, link-local, reserved, or the oracle's own. */
  static boolean probeable(Family f, BigInteger a) {
    if (a.signum() < 0 || a.bitLength() > f.bits()) return false;
    List<String> special = f == Family.IPV4
        ? List.of("0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/3", "169.254.0.0/16", "198.18.0.0/15")
        : List.of("ff00::/8", "fe80::/10", "::/96", "::ffff:0:0/96", "2001:2::/48");
    for (String s : special) if (cidr(f, s).contains(a)) return false;
    return true;
  }

  static List<Cidr> privateRanges(Family f) {
    return (f == Family.IPV4 ? List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10")
        : List.of("fc00::/7", "fe80::/10")).stream().map(s -> cidr(f, s)).toList();
  }

  static Cidr cidr(Family f, String text) {
    String[] p = text.split("/");
    BigInteger a = IpText.parse(f, p[0]).orElseThrow(() -> new IllegalArgumentException(text));
    int len = p.length > 1 ? Integer.parseInt(p[1]) : f.bits();
    return new Cidr(f, a.and(Cidr.mask(f, len)), len);
  }

  static Family familyOf(String address) {
    return address.contains(":") ? Family.IPV6 : Family.IPV4;
  }

  static String canonical(Family f, String address) {
    return IpText.parse(f, address).map(a -> IpText.format(f, a)).orElse(address);
  }
}
