package org.ksaudit.cli;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ksaudit.analysis.ConnState;
import org.ksaudit.analysis.Forwarded;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.Tracer;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.report.Format;
import org.ksaudit.report.TraceReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ksaudit trace}: what happens to this packet, rule by rule. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Follows a packet through the rules and prints the verdict and every rule that matched",
      "(file:line, and the chain policy where one decided).",
      "Locally generated packets (no --in) take the OUTPUT path: raw, mangle, nat, filter, security",
      "OUTPUT, then mangle and nat POSTROUTING.",
      "Forwarded packets (--in IFACE: routed through this host, e.g. from containers or VMs) take the",
      "FORWARD path: raw, mangle, nat PREROUTING, mangle, filter, security FORWARD, then mangle and nat",
      "POSTROUTING; --out is the interface the host routes them to (after any DNAT in nat PREROUTING).",
      "--in may be lo or the same as --out: the kernel forwards such packets through the same chains.",
      "One packet:  ksaudit trace RULES... --proto udp --dst 198.51.100.99 --dport 1194 --out eth0",
      "Forwarded:   ksaudit trace RULES... --in docker0 --proto udp --dst 203.0.113.9 --dport 53 --out eth0",
      "Many:        ksaudit trace RULES... --probes FILE   (lines: PROTO DST DPORT OIF [IIF]; DPORT '-' for",
      "             icmp; IIF makes the line a forwarded packet, '-' a local one; --in is the IIF of",
      "             lines without one) prints per line: the probe as written, VERDICT # trace",
      "Packets are the first of a new connection (state NEW), without mark, from port 40000. Local",
      "packets: uid 0, from 198.18.0.1 (IPv6: 2001:2::1); forwarded packets have no owner and come from",
      "192.0.2.100 (IPv6: 2001:db8::100) unless --src says otherwise. IPv6 destinations use the IPv6",
      "ruleset; a family without a ruleset filters nothing (verdict ACCEPT)."
    },
    footer = ExitCodes.HELP)
public final class TraceCommand implements Callable<Integer> {
  /** The default source of a forwarded IPv4 packet: another host, in a documentation range. */
  static final String FORWARD_SOURCE_V4 = "192.0.2.100";
  /** The default source of a forwarded IPv6 packet. */
  static final String FORWARD_SOURCE_V6 = "2001:db8::100";

  private final Streams io;

  @Mixin RulesetFiles rules;

  @Option(names = "--probes", paramLabel = "FILE", description = "Trace every line of FILE: PROTO DST DPORT OIF [IIF]")
  String probes;

  @Option(names = "--proto", paramLabel = "PROTO", converter = Converters.Proto.class, description = "tcp, udp or icmp")
  String proto;

  @Option(names = "--dst", paramLabel = "ADDR", converter = Converters.Address.class, description = "Destination address")
  String dst;

  @Option(names = "--dport", paramLabel = "PORT", converter = Converters.Port.class, description = "Destination port (tcp, udp)")
  Integer dport;

  @Option(names = "--out", paramLabel = "IFACE", converter = Converters.Interface.class, description = "Output interface")
  String out;

  @Option(names = "--in", paramLabel = "IFACE", converter = Converters.Interface.class,
      description = "Input interface: the packet is forwarded (FORWARD path), not locally generated")
  String in;

  @Option(names = "--src", paramLabel = "ADDR", converter = Converters.Address.class,
      description = "Source address (default 198.18.0.1 / 2001:2::1; forwarded: 192.0.2.100 / 2001:db8::100)")
  String src;

  @Option(names = "--sport", paramLabel = "PORT", defaultValue = "40000", converter = Converters.Port.class,
      description = "Source port (default 40000)")
  int sport;

  @Option(names = "--state", paramLabel = "STATE", defaultValue = "NEW", converter = Converters.State.class,
      description = "Conntrack state: NEW (default), ESTABLISHED, RELATED, INVALID")
  ConnState state;

  @Option(names = "--tcp-flags", paramLabel = "FLAGS", converter = Converters.TcpFlagList.class,
      description = "TCP flags, comma-separated: SYN ACK FIN RST PSH URG ECE CWR, or NONE (default SYN; ACK with --state ESTABLISHED)")
  Integer tcpFlags;

  @Option(names = "--uid", paramLabel = "UID", converter = Converters.Owner.class,
      description = "Owner uid of a local packet, 0-4294967294 (default 0)")
  Long uid;

  @Option(names = "--gid", paramLabel = "GID", converter = Converters.Owner.class,
      description = "Owner gid of a local packet, 0-4294967294 (default 0)")
  Long gid;

  @Option(names = "--mark", paramLabel = "MARK", defaultValue = "0", converter = Converters.Mark.class,
      description = "Packet mark, decimal or 0x hex (default 0)")
  long mark;

  @Option(names = "--icmp-type", paramLabel = "TYPE[/CODE]", converter = Converters.IcmpType.class,
      description = "ICMP type and code (default: echo request, 8 for IPv4, 128 for IPv6)")
  int[] icmpType;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
  Format format;

  public TraceCommand(Streams io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Failure, InputFile.InputException {
    if (rules.none()) throw Failure.usage("no ruleset given: a packet is traced through rules");
    rules.requireAtMostAPair();
    if (format != Format.TEXT && format != Format.JSON) throw Failure.usage("trace writes text or json, not " + format.label());
    if ((probes == null) == (dst == null)) throw Failure.usage("give either --probes FILE or one packet (--proto, --dst, --out)");
    if (probes == null && (proto == null || out == null)) throw Failure.usage("a single packet needs --proto, --dst and --out");
    if (in != null && (uid != null || gid != null))
      throw Failure.usage("--uid and --gid are a local process's: a forwarded packet (--in) has no owner");
    List<RulesetLoader.Loaded> loaded = rules.load(io.in());
    boolean json = format == Format.JSON;
    Map<Family, Ruleset> rules = new EnumMap<>(Family.class);
    List<Diagnostic> diagnostics = new ArrayList<>();
    for (RulesetLoader.Loaded l : loaded) {
      diagnostics.addAll(l.result().diagnostics());
      rules.put(l.family(), l.result().ruleset());
    }
    long errors = diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).count();
    // Rules that would be refused are the report, on standard output as check prints them; warnings of
    // rules that load go to standard error, as standard output is one line per probe in the batch form
    if (!json) for (Diagnostic d : diagnostics) (errors > 0 ? io.out() : io.err()).print(DiagnosticPrinter.render(d));
    if (errors > 0) {
      String message = "the rules have errors; iptables-restore would refuse them";
      if (json) {
        List<String> files = loaded.stream().map(l -> l.input().name()).toList();
        io.out().println(TraceReport.jsonRefused(Version.get(), files, diagnostics, message, ExitCodes.INPUT));
      } else {
        io.out().println(errors + (errors == 1 ? " error" : " errors") + ": " + message);
      }
      return ExitCodes.INPUT;
    }
    List<ProbeLine> lines = new ArrayList<>();
    if (probes != null) {
      String[] raw = InputFile.read(probes, io.in()).text().split("\n");
      for (int i = 0; i < raw.length; i++) {
        String l = raw[i].strip();
        if (l.isEmpty() || l.startsWith("#")) continue;
        lines.add(parseLine(l, probes + ":" + (i + 1)));
      }
    } else {
      lines.add(single());
    }
    Map<Family, Tracer> tracers = new EnumMap<>(Family.class);
    for (Family f : Family.values()) {
      Set<String> names = new LinkedHashSet<>();
      for (ProbeLine p : lines) {
        if (p.packet.family() != f) continue;
        names.add(p.packet.oif());
        if (!p.packet.iif().isEmpty()) names.add(p.packet.iif());
      }
      tracers.put(f, new Tracer(Optional.ofNullable(rules.get(f)), names));
    }
    List<TraceReport.Result> results = new ArrayList<>();
    for (ProbeLine p : lines) {
      Tracer.Traced t = tracers.get(p.packet.family()).trace(p.packet);
      if (json) results.add(TraceReport.json(p.proto, t));
      else if (probes != null) io.out().println(TraceReport.line(p.text, t));
      else io.out().print(TraceReport.text(t));
    }
    if (json) io.out().println(TraceReport.jsonDocument(Version.get(), results));
    return ExitCodes.CLEAN;
  }

  /** A probe as written and as a packet. */
  private record ProbeLine(String text, String proto, Packet packet) {}

  private ProbeLine parseLine(String line, String where) throws Failure {
    List<String> f = new ArrayList<>();
    Map<String, String> extra = new LinkedHashMap<>();
    for (String w : line.split("\\s+")) {
      int eq = w.indexOf('=');
      if (eq < 0) {
        f.add(w);
        continue;
      }
      String key = w.substring(0, eq);
      if (!key.equals("state") && !key.equals("flags"))
        throw Failure.input(where + ": unknown field '" + key + "' (known: state=STATE, flags=FLAGS)");
      if (extra.put(key, w.substring(eq + 1)) != null) throw Failure.input(where + ": " + key + "= given twice");
    }
    if (f.size() != 4 && f.size() != 5)
      throw Failure.input(where + ": expected 'PROTO DST DPORT OIF [IIF] [state=STATE] [flags=FLAGS]', got '" + line + "'");
    try {
      String p = PacketValues.proto(f.get(0));
      int port;
      if (p.equals("icmp")) {
        if (!f.get(2).equals("-")) throw new IllegalArgumentException("icmp takes '-' as DPORT");
        port = -1;
      } else {
        port = PacketValues.port(f.get(2));
      }
      String oif = PacketValues.interfaceName(f.get(3));
      String iif = f.size() == 5 ? (f.get(4).equals("-") ? "" : PacketValues.interfaceName(f.get(4))) : in == null ? "" : in;
      ConnState st = extra.containsKey("state") ? PacketValues.state(extra.get("state")) : state;
      Optional<Integer> flags = extra.containsKey("flags") ? Optional.of(PacketValues.tcpFlags(extra.get("flags")))
          : Optional.ofNullable(tcpFlags);
      Packet packet = packet(p, f.get(1), port, oif, iif, st, flags);
      StringBuilder text = new StringBuilder(p + " " + String.join(" ", f.subList(1, f.size())));
      extra.forEach((k, v) -> text.append(' ').append(k).append('=').append(v));
      return new ProbeLine(text.toString(), p, packet);
    } catch (IllegalArgumentException e) {
      throw Failure.input(where + ": " + e.getMessage());
    }
  }

  private ProbeLine single() throws Failure {
    if (!proto.equals("icmp") && dport == null) throw Failure.usage("--dport is needed for " + proto);
    int port = proto.equals("icmp") ? -1 : dport;
    try {
      Packet packet = packet(proto, dst, port, out, in == null ? "" : in, state, Optional.ofNullable(tcpFlags));
      String text = proto + " " + dst + " " + (port < 0 ? "-" : port) + " " + out + (in == null ? "" : " " + in);
      return new ProbeLine(text, proto, packet);
    } catch (IllegalArgumentException e) {
      throw Failure.usage(e.getMessage());
    }
  }

  /**
   * A local packet when {@code iif} is empty, else a forwarded one; every value has passed
   * {@link PacketValues} already, only the families of the addresses remain to agree.
   */
  private Packet packet(String p, String dstText, int port, String oif, String iif, ConnState st, Optional<Integer> flagList) {
    Family fam = PacketValues.family(dstText);
    boolean forwarded = !iif.isEmpty();
    BigInteger d = PacketValues.address(dstText, fam);
    String defaultSrc = forwarded ? (fam == Family.IPV4 ? FORWARD_SOURCE_V4 : FORWARD_SOURCE_V6)
        : (fam == Family.IPV4 ? "198.18.0.1" : "2001:2::1");
    BigInteger s;
    try {
      s = PacketValues.address(src == null ? defaultSrc : src, fam);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--src " + src + " is not an " + fam.label() + " address like the destination "
          + dstText);
    }
    Packet pk = forwarded ? Forwarded.packet(fam, p, s, d, sport, Math.max(port, 0), iif, oif)
        : Packet.outgoing(fam, p, s, d, sport, Math.max(port, 0), oif).withOwner(uid == null ? 0 : uid, gid == null ? 0 : gid);
    pk = pk.withState(st).withMark(mark);
    boolean tcp = p.equals("tcp");
    if (flagList.isPresent() && !tcp) throw new IllegalArgumentException("TCP flags are for tcp packets, not " + p);
    int flags = flagList.orElse(st == ConnState.ESTABLISHED ? Packet.ACK : Packet.SYN);
    if (tcp) pk = pk.withTcpFlags(flags);
    // only a connection's first packet as the prober sends it (TCP: the SYN of connect()) has a known length, TTL and options
    if (st != ConnState.NEW || (tcp && flags != Packet.SYN)) pk = pk.withShape(Optional.empty());
    if (icmpType != null && p.equals("icmp")) pk = pk.withIcmp(icmpType[0], icmpType[1]);
    return pk;
  }
}
