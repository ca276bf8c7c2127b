package org.ksaudit.cli;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ksaudit.analysis.ConnState;
import org.ksaudit.analysis.Forwarded;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.TcpFlags;
import org.ksaudit.analysis.Tracer;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.IpText;
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
      "Many:        ksaudit trace RULES... --probes FILE   (lines: PROTO DST DPORT OIF [IIF] [state=STATE]",
      "             [flags=FLAGS]; DPORT '-' for icmp; IIF makes the line a forwarded packet, '-' a local one;",
      "             --in, --state and --tcp-flags apply to lines without their own) prints per line: the",
      "             probe as written, VERDICT # trace",
      "Packets are the first of a new connection (state NEW; TCP: a SYN), without mark, from port 40000.",
      "--state ESTABLISHED makes a packet of an open connection (TCP: an ACK); --tcp-flags gives other",
      "TCP flags (e.g. ACK, SYN,ACK, RST). Local",
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

  @Option(names = "--proto", paramLabel = "PROTO", description = "tcp, udp or icmp")
  String proto;

  @Option(names = "--dst", paramLabel = "ADDR", description = "Destination address")
  String dst;

  @Option(names = "--dport", paramLabel = "PORT", description = "Destination port (tcp, udp)")
  Integer dport;

  @Option(names = "--out", paramLabel = "IFACE", description = "Output interface")
  String out;

  @Option(names = "--in", paramLabel = "IFACE",
      description = "Input interface: the packet is forwarded (FORWARD path), not locally generated")
  String in;

  @Option(names = "--src", paramLabel = "ADDR",
      description = "Source address (default 198.18.0.1 / 2001:2::1; forwarded: 192.0.2.100 / 2001:db8::100)")
  String src;

  @Option(names = "--sport", paramLabel = "PORT", defaultValue = "40000", description = "Source port (default 40000)")
  int sport;

  @Option(names = "--state", paramLabel = "STATE", defaultValue = "NEW",
      description = "Conntrack state: NEW (default), ESTABLISHED, RELATED, INVALID")
  String state;

  @Option(names = "--tcp-flags", paramLabel = "FLAGS",
      description = "TCP flags, comma-separated: SYN ACK FIN RST PSH URG ECE CWR, or NONE (default SYN; ACK with --state ESTABLISHED)")
  String tcpFlags;

  @Option(names = "--uid", paramLabel = "UID", description = "Owner uid of a local packet (default 0)")
  Long uid;

  @Option(names = "--gid", paramLabel = "GID", description = "Owner gid of a local packet (default 0)")
  Long gid;

  @Option(names = "--mark", paramLabel = "MARK", defaultValue = "0", description = "Packet mark, decimal or 0x hex (default 0)")
  String mark;

  @Option(names = "--icmp-type", paramLabel = "TYPE[/CODE]",
      description = "ICMP type and code (default: echo request, 8 for IPv4, 128 for IPv6)")
  String icmpType;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
  String format;

  public TraceCommand(Streams io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    if (!format.equals("text") && !format.equals("json")) return usage("--format must be text or json, not '" + format + "'");
    if ((probes == null) == (dst == null)) return usage("give either --probes FILE or one packet (--proto, --dst, --out)");
    List<RulesetLoader.Loaded> loaded;
    try {
      loaded = rules.load(io.in());
    } catch (InputFile.InputException e) {
      io.err().println("ksaudit: " + e.getMessage());
      return ExitCodes.INPUT;
    }
    Map<Family, Ruleset> rules = new EnumMap<>(Family.class);
    int errors = 0;
    for (RulesetLoader.Loaded l : loaded) {
      for (Diagnostic d : l.result().diagnostics()) {
        io.err().print(DiagnosticPrinter.render(d));
        if (d.severity() == Severity.ERROR) errors++;
      }
      rules.put(l.family(), l.result().ruleset());
    }
    if (errors > 0) {
      io.err().println("ksaudit trace: the rules have errors; iptables-restore would refuse them");
      return ExitCodes.INPUT;
    }
    List<ProbeLine> lines = new ArrayList<>();
    try {
      if (probes != null) {
        String text = InputFile.read(probes, io.in()).text();
        String[] raw = text.split("\n");
        for (int i = 0; i < raw.length; i++) {
          String l = raw[i].strip();
          if (l.isEmpty() || l.startsWith("#")) continue;
          lines.add(parseLine(l, probes + ":" + (i + 1)));
        }
      } else {
        if (proto == null || out == null) return usage("a single packet needs --proto, --dst and --out");
        if (in != null && (uid != null || gid != null))
          return usage("--uid and --gid are a local process's: a forwarded packet (--in) has no owner");
        lines.add(single());
      }
    } catch (InputFile.InputException e) {
      io.err().println("ksaudit: " + e.getMessage());
      return ExitCodes.INPUT;
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
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
    boolean json = format.equals("json");
    List<String> results = new ArrayList<>();
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

  private ProbeLine parseLine(String line, String where) {
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
        throw new IllegalArgumentException(where + ": unknown field '" + key + "' (known: state=STATE, flags=FLAGS)");
      if (extra.put(key, w.substring(eq + 1)) != null) throw new IllegalArgumentException(where + ": " + key + "= given twice");
    }
    if (f.size() != 4 && f.size() != 5)
      throw new IllegalArgumentException(where + ": expected 'PROTO DST DPORT OIF [IIF] [state=STATE] [flags=FLAGS]', got '" + line + "'");
    String p = f.get(0).toLowerCase(Locale.ROOT);
    Family fam = family(f.get(1), where);
    int port;
    if (p.equals("icmp")) {
      if (!f.get(2).equals("-")) throw new IllegalArgumentException(where + ": icmp takes '-' as DPORT");
      port = -1;
    } else {
      port = port(f.get(2), where);
    }
    String iif = f.size() == 5 ? (f.get(4).equals("-") ? "" : f.get(4)) : in == null ? "" : in;
    Packet packet = packet(p, fam, f.get(1), port, f.get(3), iif, extra.getOrDefault("state", state),
        Optional.ofNullable(extra.getOrDefault("flags", tcpFlags)), where);
    StringBuilder text = new StringBuilder(p + " " + String.join(" ", f.subList(1, f.size())));
    extra.forEach((k, v) -> text.append(' ').append(k).append('=').append(v));
    return new ProbeLine(text.toString(), p, packet);
  }

  private ProbeLine single() {
    String p = proto.toLowerCase(Locale.ROOT);
    Family fam = family(dst, "--dst");
    if (!p.equals("icmp") && dport == null) throw new IllegalArgumentException("--dport is needed for " + p);
    int port = p.equals("icmp") ? -1 : dport;
    Packet packet = packet(p, fam, dst, port, out, in == null ? "" : in, state, Optional.ofNullable(tcpFlags), "");
    String text = p + " " + dst + " " + (port < 0 ? "-" : port) + " " + out + (in == null ? "" : " " + in);
    return new ProbeLine(text, p, packet);
  }

  /** A local packet when {@code iif} is empty, else a forwarded one. */
  private Packet packet(String p, Family fam, String dstText, int port, String oif, String iif, String stateText,
      Optional<String> flagsText, String where) {
    if (!p.equals("tcp") && !p.equals("udp") && !p.equals("icmp"))
      throw new IllegalArgumentException(prefix(where) + "protocol must be tcp, udp or icmp, not '" + p + "'");
    if (!iif.isEmpty()) interfaceName(iif, where);
    boolean forwarded = !iif.isEmpty();
    BigInteger d = IpText.parse(fam, dstText).orElseThrow();
    String defaultSrc = forwarded ? (fam == Family.IPV4 ? FORWARD_SOURCE_V4 : FORWARD_SOURCE_V6)
        : (fam == Family.IPV4 ? "198.18.0.1" : "2001:2::1");
    BigInteger s = src == null ? IpText.parse(fam, defaultSrc).orElseThrow()
        : IpText.parse(fam, src).orElseThrow(() -> new IllegalArgumentException("--src " + src + " is not an "
            + fam.label() + " address like --dst"));
    if (sport < 0 || sport > 65535) throw new IllegalArgumentException("--sport must be 0-65535");
    Packet pk = forwarded ? Forwarded.packet(fam, p, s, d, sport, Math.max(port, 0), iif, oif)
        : Packet.outgoing(fam, p, s, d, sport, Math.max(port, 0), oif).withOwner(uid == null ? 0 : uid, gid == null ? 0 : gid);
    ConnState st = ConnState.byName(stateText).filter(x -> x != ConnState.UNTRACKED)
        .orElseThrow(() -> new IllegalArgumentException(prefix(where) + "the state must be NEW, ESTABLISHED, RELATED or INVALID, not '"
            + stateText + "'"));
    pk = pk.withState(st).withMark(number(mark, "--mark"));
    boolean tcp = p.equals("tcp");
    if (flagsText.isPresent() && !tcp) throw new IllegalArgumentException(prefix(where) + "TCP flags are for tcp packets, not " + p);
    int flags = flagsText.map(x -> TcpFlags.parse(x).orElseThrow(() -> new IllegalArgumentException(prefix(where)
            + "TCP flags '" + x + "' must be a comma list of SYN, ACK, FIN, RST, PSH, URG, ECE, CWR (or NONE)")))
        .orElse(st == ConnState.ESTABLISHED ? Packet.ACK : Packet.SYN);
    if (tcp) pk = pk.withTcpFlags(flags);
    // only a connection's first packet as the prober sends it (TCP: the SYN of connect()) has a known length, TTL and options
    if (st != ConnState.NEW || (tcp && flags != Packet.SYN)) pk = pk.withShape(Optional.empty());
    if (icmpType != null && p.equals("icmp")) {
      String[] tc = icmpType.split("/", 2);
      int type = (int) number(tc[0], "--icmp-type");
      int code = tc.length > 1 ? (int) number(tc[1], "--icmp-type") : 0;
      if (type > 255 || code > 255) throw new IllegalArgumentException("--icmp-type: type and code are 0-255");
      pk = pk.withIcmp(type, code);
    }
    return pk;
  }

  /** A name the kernel could give a device: 1-15 characters, no '/', no blanks (dev_valid_name). */
  private static void interfaceName(String name, String where) {
    boolean ok = !name.isEmpty() && name.length() <= 15 && !name.equals(".") && !name.equals("..")
        && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
    if (!ok) throw new IllegalArgumentException(prefix(where) + "the input interface '" + name + "' is not a device name (1-15 characters, no '/', ':' or blanks)");
  }

  private static String prefix(String where) {
    return where.isEmpty() ? "" : where + ": ";
  }

  private static Family family(String addr, String where) {
    if (IpText.parseV4(addr).isPresent()) return Family.IPV4;
    if (IpText.parseV6(addr).isPresent()) return Family.IPV6;
    throw new IllegalArgumentException(prefix(where) + "'" + addr + "' is not a numeric IPv4 or IPv6 address");
  }

  private static int port(String s, String where) {
    try {
      int p = Integer.parseInt(s);
      if (p >= 0 && p <= 65535) return p;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(prefix(where) + "port '" + s + "' must be a number 0-65535 (or '-' for icmp)");
  }

  private static long number(String s, String what) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    try {
      long v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
      if (v >= 0 && v <= 0xffffffffL) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(what + " '" + s + "' must be a number (decimal or 0x hex)");
  }

  private int usage(String message) {
    io.err().println("ksaudit trace: " + message);
    io.err().println("Try 'ksaudit trace --help' for more information.");
    return ExitCodes.INPUT;
  }
}
