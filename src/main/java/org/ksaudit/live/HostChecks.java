package org.ksaudit.live;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.analysis.Tracer;
import org.ksaudit.analysis.Verdict;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.AuditResult;
import org.ksaudit.check.Category;
import org.ksaudit.check.Certainty;
import org.ksaudit.check.CheckInfo;
import org.ksaudit.check.Difference;
import org.ksaudit.check.Finding;
import org.ksaudit.check.FindingKind;
import org.ksaudit.check.LinkLeaks;
import org.ksaudit.check.Location;
import org.ksaudit.check.RulesOrigin;
import org.ksaudit.check.RulesetDiff;
import org.ksaudit.check.Witness;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.model.Family;
import org.ksaudit.model.SourcePos;
import org.ksaudit.model.value.IpText;

/**
 * What the running host adds to the file audit: tables the audit cannot see, a second
 * backend, the resolvers it really uses, the IPv6 addresses it really has, and whether its
 * rules survive a reboot. Each finding names the host fact it rests on.
 */
public final class HostChecks {
  private HostChecks() {}

  /** Hooks through which a native table can let out, or stop, what leaves the host. */
  private static final Set<String> EGRESS_HOOKS = Set.of("output", "postrouting", "forward", "egress");
  private static final int DNS = 53;
  /** The owner a resolver's queries are traced with: a C-library client running as root, as most services do. */
  private static final int ROOT = 0;

  public static List<CheckInfo> infos() {
    return HostCheckInfos.ALL;
  }

  /** The audit's findings with the host's added; leak findings become "possible" where rules the audit cannot read also apply. */
  public static List<Finding> run(HostState host, LiveRules.Chosen chosen, AuditResult audit, AuditOptions options) {
    List<Finding> out = new ArrayList<>();
    List<NftTable> egress = host.nftTables().stream()
        .filter(t -> t.baseChains().stream().anyMatch(c -> EGRESS_HOOKS.contains(c.hook()))).toList();
    boolean otherRulesApply = !egress.isEmpty() || !chosen.alsoApplied().isEmpty();
    List<Finding> leaks = new ArrayList<>(audit.findings());
    leaks.addAll(dnsPaths(host, chosen, audit));
    leaks.addAll(ipv6Exposed(host, audit));
    leaks.addAll(defaultRoutes(host, chosen, audit));
    for (Finding f : leaks) {
      boolean leak = f.kind() != FindingKind.RULESET && f.certainty() == Certainty.DEFINITE;
      out.add(leak && otherRulesApply ? possible(f, egress, chosen.alsoApplied()) : f);
    }
    for (NftTable t : host.nftTables()) out.add(nftTable(t));
    for (RulesDump d : chosen.alsoApplied()) out.add(bothBackends(d, chosen));
    out.addAll(persistence(host, chosen, options));
    return out;
  }

  private static Finding possible(Finding f, List<NftTable> egress, List<RulesDump> also) {
    List<String> others = new ArrayList<>();
    for (NftTable t : egress) others.add("the native nftables " + t.describe());
    for (RulesDump d : also) others.add("the " + d.backend().tool().replace("-restore", "") + " rules (" + d.name() + ")");
    String why = "; it may be stopped by " + String.join(" or ", others) + ", which the kernel applies too and this audit does not read";
    return f.possibleBecause(why);
  }

  private static Finding nftTable(NftTable t) {
    List<String> chains = t.baseChains().stream().map(NftTable.BaseChain::describe).toList();
    String hooks = chains.isEmpty() ? "no base chains" : "base chains " + String.join(", ", chains);
    return hostFinding(HostCheckInfos.NFT_NOT_AUDITED, Severity.WARNING, "",
        "the native nftables " + t.describe() + " (" + hooks + ") is not audited: ksaudit reads iptables rules only,"
            + " and the kernel applies this table as well");
  }

  private static Finding bothBackends(RulesDump other, LiveRules.Chosen chosen) {
    String audited = chosen.loaded().stream().filter(l -> l.family() == other.family()).map(l -> l.input().name()).findFirst()
        .orElse("");
    return hostFinding(HostCheckInfos.BOTH_BACKENDS, Severity.WARNING, other.name(),
        "both iptables backends hold " + other.family().label() + " rules: the kernel applies both, so a packet leaves only if"
            + " both let it out; the findings are those of " + audited + " (fewer errors), and " + other.name()
            + " may stop some of them");
  }

  /** Each configured resolver reached outside the tunnel whose DNS the rules let out there. */
  private static List<Finding> dnsPaths(HostState host, LiveRules.Chosen chosen, AuditResult audit) {
    List<Finding> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Resolver r : host.resolvers()) {
      Family f = r.address().contains(":") ? Family.IPV6 : Family.IPV4;
      Optional<BigInteger> addr = IpText.parse(f, r.address());
      if (addr.isEmpty() || loopback(f, addr.get())) continue;
      // systemd-resolved asks a link's servers on that link whatever the routes say
      Optional<String> dev = r.link().or(() -> Routing.lookup(host, f, addr.get(), 0, ROOT, d -> isTunnel(d, audit)).stream()
          .flatMap(d -> d.device().stream()).findFirst());
      if (dev.isEmpty() || isTunnel(dev.get(), audit) || !seen.add(r.address() + " " + dev.get())) continue;
      Optional<RulesetLoader.Loaded> rules = chosen.loaded().stream().filter(l -> l.family() == f).findFirst();
      for (String proto : List.of("udp", "tcp")) {
        Packet p = Packet.outgoing(f, proto, source(host, f, dev.get()), addr.get(), 40000, DNS, dev.get()).withOwner(ROOT, ROOT);
        if (proto.equals("tcp")) p = p.withTcpFlags(Packet.SYN);
        Tracer.Traced t = new Tracer(rules.map(l -> l.result().ruleset()), List.of(dev.get())).trace(p);
        if (t.verdict() != Verdict.ACCEPT) continue;
        Optional<TraceStep> last = t.steps().isEmpty() ? Optional.empty() : Optional.of(t.steps().get(t.steps().size() - 1));
        Optional<Location> at = last.filter(s -> s.line() > 0)
            .map(s -> new Location(new SourcePos(s.file(), s.line(), 1), 1, ""));
        String how = last.map(HostChecks::how).orElse("no " + f.label() + " rules filter it");
        out.add(new Finding(HostCheckInfos.DNS_PATH.id(), Category.DNS_PATH, FindingKind.NEW_CONNECTION, Severity.ERROR,
            t.certain() ? Certainty.DEFINITE : Certainty.POSSIBLE, rules.map(l -> l.input().name()).orElse(""), at,
            "the resolver " + r.address() + " (" + r.source() + ") is reached through " + dev.get() + ", not the tunnel, and "
                + proto.toUpperCase() + " DNS to it leaves there in clear: " + how,
            Optional.of(new Witness(f, proto, r.address(), DNS, dev.get())), t.steps()));
        break;
      }
    }
    return out;
  }

  /**
   * Each link a default route sends packets to once the tunnel is gone (through the policy
   * rules, for root's processes and each owner a uidrange rule names), where the rules let new
   * connections to a destination no more specific route takes out.
   */
  private static List<Finding> defaultRoutes(HostState host, LiveRules.Chosen chosen, AuditResult audit) {
    List<Finding> out = new ArrayList<>();
    for (Family f : Family.values()) {
      Optional<BigInteger> dst = Routing.onlyDefaultRoutesTake(host, f, n -> isTunnel(n, audit));
      if (dst.isEmpty()) continue;
      Optional<RulesetLoader.Loaded> rules = chosen.loaded().stream().filter(l -> l.family() == f).findFirst();
      Set<String> seen = new LinkedHashSet<>();
      for (long uid : owners(host, f)) {
        for (Routing.Decision d : Routing.lookup(host, f, dst.get(), 0, uid, n -> isTunnel(n, audit))) {
          Optional<String> dev = d.device().filter(n -> !n.equals("lo") && !isTunnel(n, audit));
          if (dev.isEmpty() || !seen.add(d.route().orElseThrow().describe())) continue;
          defaultRoute(host, f, dst.get(), uid, d, dev.get(), rules, audit).ifPresent(out::add);
        }
      }
    }
    return out;
  }

  private static Optional<Finding> defaultRoute(HostState host, Family f, BigInteger dst, long uid, Routing.Decision d, String dev,
      Optional<RulesetLoader.Loaded> rules, AuditResult audit) {
    String route = "the route " + d.route().orElseThrow().describe() + d.rule().filter(r -> host.policyRules().stream()
        .anyMatch(x -> x.family() == f)).map(r -> " (policy rule " + r.describe() + ")").orElse("");
    String owner = uid == ROOT ? "" : " of uid " + uid;
    String head = "once the tunnel is gone, " + route + " sends " + (f == Family.IPV4 ? "IPv4" : "IPv6") + " packets" + owner
        + " to any destination out of " + dev + ", not the tunnel, and ";
    Certainty routed = d.certain() ? Certainty.DEFINITE : Certainty.POSSIBLE;
    if (rules.isEmpty()) {
      return Optional.of(new Finding(HostCheckInfos.DEFAULT_ROUTE.id(), Category.DEFAULT_ROUTE, FindingKind.NEW_CONNECTION,
          Severity.ERROR, routed, "", Optional.empty(), head + RulesOrigin.HOST.missing(f) + ": nothing stops them",
          Optional.of(new Witness(f, "tcp", IpText.format(f, dst), 443, dev)), List.of()));
    }
    RulesetLoader.Loaded l = rules.get();
    Optional<LinkLeaks.Answer> a = LinkLeaks.newConnections(l.result().ruleset(), audit.tunnels(), dev, dst, uid);
    if (a.isEmpty()) return Optional.empty();
    List<TraceStep> trace = a.get().trace();
    Optional<TraceStep> last = trace.isEmpty() ? Optional.empty() : Optional.of(trace.get(trace.size() - 1));
    Optional<Location> at = last.filter(s -> s.line() > 0).map(s -> new Location(new SourcePos(s.file(), s.line(), 1), 1, ""));
    Certainty c = routed == Certainty.DEFINITE && a.get().certainty() == Certainty.DEFINITE ? Certainty.DEFINITE : Certainty.POSSIBLE;
    return Optional.of(new Finding(HostCheckInfos.DEFAULT_ROUTE.id(), Category.DEFAULT_ROUTE, FindingKind.NEW_CONNECTION,
        Severity.ERROR, c, l.input().name(), at, head + "the rules let out " + a.get().packets() + " there" + last.map(s -> ": "
            + how(s)).orElse(""), a.get().witness(), trace));
  }

  /** Root, whose processes most services run as, and the first owner of each uidrange policy rule. */
  private static List<Long> owners(HostState host, Family f) {
    Set<Long> out = new LinkedHashSet<>();
    out.add((long) ROOT);
    for (PolicyRule r : host.policyRules()) if (r.family() == f) r.uids().ifPresent(u -> out.add(u.first()));
    return List.copyOf(out);
  }

  private static String how(TraceStep s) {
    return "the rule at " + s.file() + ":" + s.line() + " (" + s.table() + "/" + s.chain() + " " + (s.policy() ? "policy " : "")
        + s.target() + ") lets it out";
  }

  /** Global IPv6 addresses on links outside the tunnel while the IPv6 audit reports new connections leaving. */
  private static List<Finding> ipv6Exposed(HostState host, AuditResult audit) {
    boolean ipv6Leaks = audit.findings().stream().anyMatch(f -> f.severity() == Severity.ERROR
        && f.kind() == FindingKind.NEW_CONNECTION && f.witness().map(w -> w.family() == Family.IPV6).orElse(false));
    if (!ipv6Leaks) return List.of();
    List<String> exposed = new ArrayList<>();
    for (HostLink l : host.links()) {
      if (!l.up() || isTunnel(l.name(), audit)) continue;
      if (host.sysctl().flag("net.ipv6.conf." + l.name() + ".disable_ipv6").orElse(false)) continue;
      for (HostLink.Address a : l.addresses()) if (a.family() == Family.IPV6 && a.global()) exposed.add(a.address() + " on " + l.name());
    }
    if (exposed.isEmpty()) return List.of();
    boolean one = exposed.size() == 1;
    return List.of(new Finding(HostCheckInfos.IPV6_EXPOSED.id(), Category.IPV6_EXPOSED, FindingKind.NEW_CONNECTION,
        Severity.ERROR, Certainty.DEFINITE, "", Optional.empty(), "this host has " + (one ? "a global IPv6 address, " : "global IPv6"
        + " addresses ") + String.join(", ", exposed) + ", outside the tunnel, and the IPv6 leaks reported here leave through "
        + (one ? "it" : "them") + " in clear", Optional.empty(), List.of()));
  }

  /** Live rules that a boot does not restore. */
  private static List<Finding> persistence(HostState host, LiveRules.Chosen chosen, AuditOptions options) {
    List<Finding> out = new ArrayList<>();
    boolean restorer = host.restorers().stream().anyMatch(r -> r.endsWith("(enabled)"));
    for (RulesetLoader.Loaded l : chosen.loaded()) {
      Family f = l.family();
      boolean holds = host.dumps().stream().anyMatch(d -> d.family() == f && d.holdsRules());
      if (!holds) continue;
      List<SavedRules> saved = host.saved().stream().filter(s -> s.family() == f).toList();
      if (saved.isEmpty()) {
        out.add(hostFinding(HostCheckInfos.NOT_PERSISTENT, Severity.WARNING, l.input().name(), "the live " + f.label()
            + " rules are not saved where a boot restores them (looked for " + String.join(", ", HostStateReader.PERSISTED.stream()
                .filter(p -> p.family() == f).map(HostStateReader.Persisted::path).toList()) + "): after a reboot this host has no"
            + " killswitch until something loads it again"));
      } else {
        if (!restorer) {
          out.add(hostFinding(HostCheckInfos.NOT_PERSISTENT, Severity.WARNING, l.input().name(), "the " + f.label()
              + " rules are saved in " + saved.get(0).path() + " but no enabled unit or if-pre-up script restores them at boot"
              + (host.restorers().isEmpty() ? "" : " (found: " + String.join(", ", host.restorers()) + ")")));
        }
        drift(saved.get(0), l, options).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * The saved rules compared with the live ones by what they let out ({@code ksaudit diff}), so
   * a reordering or rewrite that changes nothing is no drift; a saved file the restore tool
   * would refuse restores nothing at all.
   */
  private static Optional<Finding> drift(SavedRules saved, RulesetLoader.Loaded live, AuditOptions options) {
    RulesetLoader.Loaded boot = RulesetLoader.parse(new InputFile(saved.path(), saved.text()), saved.family());
    Optional<Diagnostic> refused = boot.result().diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).findFirst();
    if (refused.isPresent()) {
      Diagnostic d = refused.get();
      return Optional.of(hostFinding(HostCheckInfos.DRIFT, Severity.ERROR, saved.path(), "the saved " + saved.family().label()
          + " rules in " + saved.path() + " would be refused at boot (line " + d.pos().line() + ": " + d.message()
          + "): the host would come up with no killswitch"));
    }
    RulesetDiff.Result diff = RulesetDiff.compare(List.of(live.result().ruleset()), List.of(boot.result().ruleset()), options);
    if (diff.differences().isEmpty()) return Optional.empty();
    List<Difference> more = diff.differences().stream().filter(Difference::letOut).toList();
    List<Difference> less = diff.differences().stream().filter(x -> !x.letOut()).toList();
    StringBuilder m = new StringBuilder("the saved " + saved.family().label() + " rules in " + saved.path()
        + " differ from the live ones: after a reboot ");
    if (!more.isEmpty()) {
      m.append(more.size()).append(more.size() == 1 ? " class of packets" : " classes of packets")
          .append(" the live rules stop would leave (").append(example(more.get(0))).append(")");
    }
    if (!less.isEmpty()) {
      m.append(more.isEmpty() ? "" : ", and ").append(less.size()).append(less.size() == 1 ? " class" : " classes")
          .append(" the live rules let out would be stopped (").append(example(less.get(0))).append(")");
    }
    Difference first = more.isEmpty() ? less.get(0) : more.get(0);
    return Optional.of(new Finding(HostCheckInfos.DRIFT.id(), Category.DRIFT, FindingKind.HOST,
        more.isEmpty() ? Severity.INFO : Severity.WARNING, first.certainty(), saved.path(), Optional.empty(), m.toString(),
        first.witness(), first.letOutTrace()));
  }

  private static String example(Difference d) {
    return d.scenario().label() + ": " + d.witness().map(Witness::describe).orElse("no witness")
        + d.location().map(l -> ", " + l.pos().file() + ":" + l.pos().line()).orElse("");
  }

  private static Finding hostFinding(CheckInfo info, Severity severity, String file, String message) {
    return new Finding(info.id(), info.category(), FindingKind.HOST, severity, Certainty.DEFINITE, file, Optional.empty(), message,
        Optional.empty(), List.of());
  }

  private static boolean isTunnel(String dev, AuditResult audit) {
    boolean taken = audit.tunnels().patterns().stream().anyMatch(n -> n.matches(dev));
    boolean refused = audit.tunnels().excluded().stream().anyMatch(n -> n.matches(dev));
    return taken && !refused;
  }

  private static boolean loopback(Family f, BigInteger a) {
    return f == Family.IPV4 ? a.shiftRight(24).intValue() == 127 : a.equals(BigInteger.ONE);
  }

  /** The link's first address of the family, else a documentation address: the source the kernel would pick. */
  private static BigInteger source(HostState host, Family f, String dev) {
    return host.link(dev).flatMap(l -> l.addresses().stream().filter(a -> a.family() == f).findFirst())
        .flatMap(a -> IpText.parse(f, a.address()))
        .orElseGet(() -> IpText.parse(f, f == Family.IPV4 ? "198.18.0.1" : "2001:2::1").orElseThrow());
  }
}
