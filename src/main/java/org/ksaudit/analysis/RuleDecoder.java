package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.catalog.Protocols;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Family;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;
import org.ksaudit.model.Target;
import org.ksaudit.model.value.AddressList;
import org.ksaudit.model.value.AddressRange;
import org.ksaudit.model.value.IcmpType;
import org.ksaudit.model.value.InterfaceName;
import org.ksaudit.model.value.IpText;
import org.ksaudit.model.value.MarkValue;
import org.ksaudit.model.value.NameSet;
import org.ksaudit.model.value.NumberRange;
import org.ksaudit.model.value.PortList;
import org.ksaudit.model.value.PortRange;
import org.ksaudit.model.value.Text;
import org.ksaudit.model.value.Value;

/**
 * Turns a rule of the model into {@link Condition}s and a {@link TargetAction}: the one place
 * that knows what each match option and target means. Whatever it cannot interpret becomes an
 * {@link Condition.Unknown} (or an unknown verdict), never a condition that is too narrow.
 */
public final class RuleDecoder {
  private static final long FULL = MarkValue.FULL;
  private static final Set<String> OBSERVERS = Set.of("LOG", "ULOG", "NFLOG", "TRACE", "AUDIT", "TCPMSS", "TOS", "DSCP",
      "TTL", "HL", "CLASSIFY", "CHECKSUM", "SECMARK", "CONNSECMARK", "SET", "IDLETIMER", "LED", "TEE", "ECN");

  /** The NAT states of {@code --ctstate}, each with the targets that give a connection that state. */
  private static final Map<String, Set<String>> NAT_STATES = Map.of(
      "DNAT", Set.of("DNAT", "REDIRECT", "NETMAP"),
      "SNAT", Set.of("SNAT", "MASQUERADE", "NETMAP"));

  private final Family family;
  private final String table;
  private final Set<String> chains;
  private final Set<String> natStates;

  /**
   * Decodes rules of one table; {@code chains} are the table's chain names (jump targets).
   * Whether a connection is NATed ({@code --ctstate SNAT/DNAT}) stays undecided.
   */
  public RuleDecoder(Family family, String table, Set<String> chains) {
    this(family, table, chains, NAT_STATES.keySet());
  }

  /**
   * Decodes rules of one table; {@code natStates} are the NAT states of {@code --ctstate}
   * ("SNAT", "DNAT") a rule of the ruleset can give a connection ({@link #natStatesOf}): the
   * kernel sets a connection's DNAT (SNAT) status only when a NAT target rewrites its
   * destination (source), so without such a target no packet is in that state.
   */
  public RuleDecoder(Family family, String table, Set<String> chains, Set<String> natStates) {
    this.family = family;
    this.table = table;
    this.chains = Set.copyOf(chains);
    this.natStates = Set.copyOf(natStates);
  }

  /** The NAT states of {@code --ctstate} some target of {@code rs} can give a connection. */
  public static Set<String> natStatesOf(Ruleset rs) {
    Set<String> out = new HashSet<>();
    for (Table t : rs.tables()) {
      for (Chain c : t.chains()) {
        for (Rule r : c.rules()) {
          String target = r.target().map(Target::name).orElse("");
          NAT_STATES.forEach((state, targets) -> {
            if (targets.contains(target)) out.add(state);
          });
        }
      }
    }
    return out;
  }

  /** A rule's conditions (all must hold) and what it does when they do. */
  public record Decoded(Rule rule, List<Condition> conditions, TargetAction action) {
    public Decoded {
      conditions = List.copyOf(conditions);
    }
  }

  static boolean mentionsUnknown(Condition c) {
    if (c instanceof Condition.Unknown || c instanceof Condition.PacketTypeIs || c instanceof Condition.CtDirIs
        || c instanceof Condition.ConnBytesIn || c instanceof Condition.LengthIn || c instanceof Condition.TtlIs
        || c instanceof Condition.TcpOptionIs) return true;
    if (c instanceof Condition.StateIn s) return s.virtualStates().isPresent();
    if (c instanceof Condition.OwnerIs o) return o.supplementaryGroups().isPresent();
    return false;
  }

  public Decoded decode(Rule rule) {
    List<Condition> conds = new ArrayList<>();
    if (!rule.complete()) {
      conds.add(new Condition.Unknown(new UnknownKey(rule.pos(), UnknownKey.WHOLE_RULE, "a part of this rule that could not be read")));
    } else {
      for (int i = 0; i < rule.matches().size(); i++) decodeMatch(rule, i, rule.matches().get(i), conds);
    }
    return new Decoded(rule, conds, action(rule));
  }

  private void decodeMatch(Rule rule, int index, Match m, List<Condition> out) {
    String mod = m.module();
    UnknownKey whole = new UnknownKey(rule.pos(), index, mod.isEmpty() ? "option" : "-m " + mod);
    for (Option o : m.options()) {
      if (o.value() instanceof org.ksaudit.model.value.Unparsed) {
        out.add(new Condition.Unknown(whole));
        return;
      }
    }
    switch (mod) {
      case Match.CORE -> core(rule, index, m, out);
      case "tcp", "udp", "udplite", "sctp", "dccp" -> ports(rule, index, m, out);
      case "icmp", "icmp6" -> icmp(rule, index, m, out);
      case "multiport" -> multiport(rule, index, m, out);
      case "state", "conntrack" -> conntrack(rule, index, m, out);
      case "iprange" -> iprange(rule, index, m, out);
      case "owner" -> owner(rule, index, m, out);
      case "mark", "connmark" -> mark(rule, index, m, out, mod.equals("connmark"));
      case "addrtype" -> addrtype(rule, index, m, out);
      case "pkttype" -> pkttype(rule, index, m, out);
      case "connbytes" -> connbytes(rule, index, m, out, whole);
      case "length" -> length(rule, index, m, out);
      case "ttl", "hl" -> ttl(rule, index, m, out);
      case "comment" -> {}
      default -> out.add(new Condition.Unknown(whole));
    }
  }

  private static UnknownKey key(Rule r, int index, Option o, String module) {
    return new UnknownKey(r.pos(), index, (module.isEmpty() ? "" : "-m " + module + " ") + o.name());
  }

  private void core(Rule r, int index, Match m, List<Condition> out) {
    for (Option o : m.options()) {
      Value v = o.value();
      switch (o.name()) {
        case "--protocol" -> {
          Optional<Integer> n = v instanceof Text t ? Protocols.number(t.text()) : Optional.empty();
          if (n.isPresent()) out.add(new Condition.ProtoIs(n.get(), o.negated()));
          else out.add(new Condition.Unknown(key(r, index, o, "")));
        }
        case "--source", "--destination" -> {
          if (v instanceof AddressList a) {
            out.add(new Condition.AddrIn(o.name().equals("--source") ? Dir.SRC : Dir.DST, a.cidrs(), o.negated()));
          } else {
            out.add(new Condition.Unknown(key(r, index, o, "")));
          }
        }
        case "--in-interface", "--out-interface" -> {
          if (v instanceof InterfaceName n) {
            out.add(new Condition.IfaceIs(o.name().equals("--in-interface") ? Dir.SRC : Dir.DST, n, o.negated()));
          } else {
            out.add(new Condition.Unknown(key(r, index, o, "")));
          }
        }
        case "--fragment" -> out.add(new Condition.FragmentIs(o.negated()));
        default -> out.add(new Condition.Unknown(key(r, index, o, "")));
      }
    }
  }

  private void ports(Rule r, int index, Match m, List<Condition> out) {
    for (Option o : m.options()) {
      switch (o.name()) {
        case "--sport", "--dport" -> {
          if (o.value() instanceof PortList pl) {
            out.add(new Condition.PortIn(o.name().equals("--sport") ? Dir.SRC : Dir.DST, pl.ranges(), o.negated()));
          } else {
            out.add(new Condition.Unknown(key(r, index, o, m.module())));
          }
        }
        case "--syn" -> out.add(new Condition.TcpFlagsIs(Packet.FIN | Packet.SYN | Packet.RST | Packet.ACK, Packet.SYN,
            o.negated()));
        case "--tcp-option" -> {
          if (o.value() instanceof NumberRange n && n.from() == n.to()) {
            out.add(new Condition.TcpOptionIs((int) n.from(), o.negated(), key(r, index, o, m.module())));
          } else {
            out.add(new Condition.Unknown(key(r, index, o, m.module())));
          }
        }
        case "--tcp-flags" -> {
          Optional<int[]> f = o.value() instanceof Text t ? tcpFlags(t.text()) : Optional.empty();
          if (f.isPresent()) out.add(new Condition.TcpFlagsIs(f.get()[0], f.get()[1], o.negated()));
          else out.add(new Condition.Unknown(key(r, index, o, m.module())));
        }
        default -> out.add(new Condition.Unknown(key(r, index, o, m.module())));
      }
    }
  }

  /** "SYN,RST,ACK,FIN SYN" (mask and comparison, as one text or already joined with a space). */
  static Optional<int[]> tcpFlags(String text) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 2) return Optional.empty();
    Optional<Integer> mask = TcpFlags.parse(parts[0]);
    Optional<Integer> comp = TcpFlags.parse(parts[1]);
    if (mask.isEmpty() || comp.isEmpty()) return Optional.empty();
    return Optional.of(new int[] {mask.get(), comp.get()});
  }

  private void icmp(Rule r, int index, Match m, List<Condition> out) {
    for (Option o : m.options()) {
      if (o.value() instanceof IcmpType t) {
        out.add(new Condition.IcmpIs(t.type(), t.codeFrom(), t.codeTo(), t.any(), o.negated()));
      } else {
        out.add(new Condition.Unknown(key(r, index, o, m.module())));
      }
    }
  }

  private void multiport(Rule r, int index, Match m, List<Condition> out) {
    for (Option o : m.options()) {
      Dir d = switch (o.name()) {
        case "--sports" -> Dir.SRC;
        case "--dports" -> Dir.DST;
        default -> Dir.EITHER;
      };
      if (o.value() instanceof PortList pl) out.add(new Condition.PortIn(d, pl.ranges(), o.negated()));
      else out.add(new Condition.Unknown(key(r, index, o, m.module())));
    }
  }

  private void conntrack(Rule r, int index, Match m, List<Condition> out) {
    boolean stateTested = m.option("--state").isPresent() || m.option("--ctstate").isPresent();
    for (Option o : m.options()) {
      if (o.name().equals("--ctdir") && o.value() instanceof NameSet ns && ns.names().size() == 1) {
        out.add(new Condition.CtDirIs(ns.names().get(0).equalsIgnoreCase("ORIGINAL"), stateTested, table.equals("raw"),
            new UnknownKey(r.pos(), index, "--ctdir (the direction of a packet of an existing connection)")));
        continue;
      }
      if ((o.name().equals("--state") || o.name().equals("--ctstate")) && o.value() instanceof NameSet ns) {
        Set<ConnState> states = EnumSet.noneOf(ConnState.class);
        boolean virtual = false;
        for (String n : ns.names()) {
          Optional<ConnState> s = ConnState.byName(n);
          if (s.isPresent()) states.add(s.get());
          else if (!NAT_STATES.containsKey(n.toUpperCase(Locale.ROOT)) || natStates.contains(n.toUpperCase(Locale.ROOT))) virtual = true;
        }
        Optional<UnknownKey> v = virtual
            ? Optional.of(new UnknownKey(r.pos(), index, "--ctstate SNAT/DNAT (whether the connection is NATed)"))
            : Optional.empty();
        out.add(new Condition.StateIn(states, v, o.negated(), table.equals("raw")));
      } else {
        out.add(new Condition.Unknown(key(r, index, o, m.module())));
      }
    }
  }

  private void iprange(Rule r, int index, Match m, List<Condition> out) {
    for (Option o : m.options()) {
      if (o.value() instanceof AddressRange ar) {
        out.add(new Condition.AddrRangeIn(o.name().equals("--src-range") ? Dir.SRC : Dir.DST, ar.from(), ar.to(), o.negated()));
      } else {
        out.add(new Condition.Unknown(key(r, index, o, m.module())));
      }
    }
  }

  private void owner(Rule r, int index, Match m, List<Condition> out) {
    Optional<NumberRange> uid = Optional.empty();
    Optional<NumberRange> gid = Optional.empty();
    boolean uidNeg = false;
    boolean gidNeg = false;
    boolean sock = false;
    boolean sockNeg = false;
    Optional<UnknownKey> suppl = Optional.empty();
    for (Option o : m.options()) {
      switch (o.name()) {
        case "--uid-owner" -> {
          if (!(o.value() instanceof NumberRange n)) {
            out.add(new Condition.Unknown(key(r, index, o, "owner")));
            return;
          }
          uid = Optional.of(n);
          uidNeg = o.negated();
        }
        case "--gid-owner" -> {
          if (!(o.value() instanceof NumberRange n)) {
            out.add(new Condition.Unknown(key(r, index, o, "owner")));
            return;
          }
          gid = Optional.of(n);
          gidNeg = o.negated();
        }
        case "--socket-exists" -> {
          sock = true;
          sockNeg = o.negated();
        }
        case "--suppl-groups" -> suppl = Optional.of(key(r, index, o, "owner"));
        default -> {
          out.add(new Condition.Unknown(key(r, index, o, "owner")));
          return;
        }
      }
    }
    out.add(new Condition.OwnerIs(uid, uidNeg, gid, gidNeg, suppl, sock, sockNeg));
  }

  private void mark(Rule r, int index, Match m, List<Condition> out, boolean conn) {
    for (Option o : m.options()) {
      Optional<MarkValue> mv = markValue(o.value());
      if (mv.isPresent()) out.add(new Condition.MarkIs(conn, mv.get().value(), mv.get().mask(), o.negated()));
      else out.add(new Condition.Unknown(key(r, index, o, m.module())));
    }
  }

  private void addrtype(Rule r, int index, Match m, List<Condition> out) {
    for (Option o : m.options()) {
      if ((o.name().equals("--src-type") || o.name().equals("--dst-type")) && o.value() instanceof NameSet ns) {
        Set<AddrType> types = EnumSet.noneOf(AddrType.class);
        for (String n : ns.names()) AddrType.byName(n).ifPresent(types::add);
        out.add(new Condition.AddrTypeIn(o.name().equals("--src-type") ? Dir.SRC : Dir.DST, types, o.negated()));
      } else {
        out.add(new Condition.Unknown(key(r, index, o, "addrtype")));
      }
    }
  }

  private void pkttype(Rule r, int index, Match m, List<Condition> out) {
    for (Option o : m.options()) {
      if (o.name().equals("--pkt-type") && o.value() instanceof NameSet ns && ns.names().size() == 1) {
        String type = ns.names().get(0).toLowerCase(Locale.ROOT);
        out.add(new Condition.PacketTypeIs(type.equals("unicast") || type.equals("host"), o.negated(),
            key(r, index, o, "pkttype")));
      } else {
        out.add(new Condition.Unknown(key(r, index, o, "pkttype")));
      }
    }
  }

  /** {@code -m connbytes}: one condition from its three options, which the catalogue requires together. */
  private void connbytes(Rule r, int index, Match m, List<Condition> out, UnknownKey whole) {
    Optional<Option> count = m.option("--connbytes");
    Optional<String> dir = m.option("--connbytes-dir").flatMap(RuleDecoder::singleName);
    Optional<String> mode = m.option("--connbytes-mode").flatMap(RuleDecoder::singleName);
    if (count.isEmpty() || !(count.get().value() instanceof NumberRange n) || dir.isEmpty() || mode.isEmpty()) {
      out.add(new Condition.Unknown(whole));
      return;
    }
    Condition.ConnBytesIn.Direction d = Condition.ConnBytesIn.Direction.valueOf(dir.get().toUpperCase(Locale.ROOT));
    Condition.ConnBytesIn.Counter c = Condition.ConnBytesIn.Counter.valueOf(mode.get().toUpperCase(Locale.ROOT));
    out.add(new Condition.ConnBytesIn(c, d, n.from(), n.to(), count.get().negated(), table.equals("raw"),
        new UnknownKey(r.pos(), index, "-m connbytes (the counters of an existing connection, or a packet's length)")));
  }

  private static Optional<String> singleName(Option o) {
    return o.value() instanceof NameSet ns && ns.names().size() == 1 ? Optional.of(ns.names().get(0)) : Optional.empty();
  }

  private void length(Rule r, int index, Match m, List<Condition> out) {
    for (Option o : m.options()) {
      if (o.name().equals("--length") && o.value() instanceof NumberRange n) {
        out.add(new Condition.LengthIn(n, o.negated(), key(r, index, o, "length")));
      } else {
        out.add(new Condition.Unknown(key(r, index, o, "length")));
      }
    }
  }

  /** {@code -m ttl --ttl-eq/-lt/-gt} and {@code -m hl --hl-eq/-lt/-gt}; a negated -eq is "not equal". */
  private void ttl(Rule r, int index, Match m, List<Condition> out) {
    for (Option o : m.options()) {
      String name = o.name();
      Optional<Condition.TtlIs.Comparison> cmp = name.endsWith("-eq")
          ? Optional.of(o.negated() ? Condition.TtlIs.Comparison.NE : Condition.TtlIs.Comparison.EQ)
          : name.endsWith("-lt") ? Optional.of(Condition.TtlIs.Comparison.LT)
          : name.endsWith("-gt") ? Optional.of(Condition.TtlIs.Comparison.GT) : Optional.empty();
      if (cmp.isPresent() && o.value() instanceof NumberRange n && n.from() == n.to()) {
        out.add(new Condition.TtlIs(cmp.get(), (int) n.from(), key(r, index, o, m.module())));
      } else {
        out.add(new Condition.Unknown(key(r, index, o, m.module())));
      }
    }
  }

  private TargetAction action(Rule rule) {
    if (rule.target().isEmpty()) return new TargetAction.Continue(List.of());
    Target t = rule.target().get();
    String name = t.name();
    if (chains.contains(name)) return new TargetAction.Jump(name, t.isGoto());
    UnknownKey verdictKey = new UnknownKey(rule.pos(), UnknownKey.VERDICT, "the verdict of -j " + name);
    return switch (name) {
      case "ACCEPT" -> new TargetAction.Terminal(Verdict.ACCEPT);
      case "DROP" -> new TargetAction.Terminal(Verdict.DROP);
      case "REJECT" -> new TargetAction.Terminal(Verdict.REJECT);
      case "RETURN" -> new TargetAction.Return();
      case "QUEUE", "NFQUEUE" -> new TargetAction.UnknownVerdict(verdictKey, "a userspace program decides the verdict");
      case "MARK" -> markTarget(t, false);
      case "CONNMARK" -> connmark(t);
      case "NOTRACK" -> new TargetAction.Continue(List.of(new TargetAction.Notrack()));
      case "CT" -> new TargetAction.Continue(t.option("--notrack").isPresent() ? List.of(new TargetAction.Notrack()) : List.of());
      case "DNAT" -> new TargetAction.Nat(Optional.of(dnat(t)));
      case "REDIRECT" -> new TargetAction.Nat(Optional.of(new TargetAction.DstRewrite(Optional.empty(), Optional.empty(),
          t.option("--to-ports").flatMap(o -> o.value() instanceof Text x ? portSpec(x.text()) : Optional.empty()), true)));
      case "NETMAP" -> table.equals("nat")
          ? new TargetAction.Nat(Optional.of(new TargetAction.DstRewrite(Optional.empty(), Optional.empty(), Optional.empty(), false)))
          : new TargetAction.UnknownVerdict(verdictKey, "NETMAP outside the nat table");
      case "SNAT", "MASQUERADE" -> new TargetAction.Nat(Optional.empty());
      default -> OBSERVERS.contains(name)
          ? new TargetAction.Continue(List.of())
          : new TargetAction.UnknownVerdict(verdictKey, "-j " + name + " is not a chain of table " + table
              + " nor a target ksaudit interprets");
    };
  }

  private static TargetAction markTarget(Target t, boolean conn) {
    List<TargetAction.Effect> effects = new ArrayList<>();
    for (Option o : t.options()) {
      Optional<MarkValue> mv = markValue(o.value());
      effects.add(mv.flatMap(v -> markEffect(o.name(), v, conn)).orElse(new TargetAction.AnyMark(conn)));
    }
    return new TargetAction.Continue(effects);
  }

  /** A mark as the catalogue gives it: value/mask, a single number (mask all ones), or text "v[/m]". */
  static Optional<MarkValue> markValue(Value v) {
    if (v instanceof MarkValue mv) return Optional.of(mv);
    if (v instanceof NumberRange n && n.from() == n.to() && n.from() >= 0 && n.from() <= FULL)
      return Optional.of(new MarkValue(n.from(), FULL));
    if (v instanceof Text t) {
      String[] p = t.text().trim().split("/", 2);
      Optional<Long> a = parseNumber(p[0]);
      Optional<Long> m = p.length > 1 ? parseNumber(p[1]) : Optional.of(FULL);
      if (a.isPresent() && m.isPresent()) return Optional.of(new MarkValue(a.get(), m.get()));
    }
    return Optional.empty();
  }

  private static Optional<Long> parseNumber(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT);
    try {
      long v = s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
      return v >= 0 && v <= FULL ? Optional.of(v) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The xmark form of MARK / CONNMARK --set-xmark, --set-mark, --and-mark, --or-mark, --xor-mark. */
  private static Optional<TargetAction.Effect> markEffect(String option, MarkValue mv, boolean conn) {
    long v = mv.value() & FULL;
    long m = mv.mask() & FULL;
    return switch (option) {
      case "--set-xmark" -> Optional.of(new TargetAction.MarkRewrite(conn, ~m & FULL, 0, v));
      case "--set-mark" -> Optional.of(new TargetAction.MarkRewrite(conn, ~(m | v) & FULL, 0, v));
      case "--and-mark" -> Optional.of(new TargetAction.MarkRewrite(conn, v, 0, 0));
      case "--or-mark" -> Optional.of(new TargetAction.MarkRewrite(conn, ~v & FULL, 0, v));
      case "--xor-mark" -> Optional.of(new TargetAction.MarkRewrite(conn, FULL, 0, v));
      default -> Optional.empty();
    };
  }

  private static TargetAction connmark(Target t) {
    boolean save = t.option("--save-mark").isPresent();
    boolean restore = t.option("--restore-mark").isPresent();
    if (save || restore) {
      Optional<Long> both = t.option("--mask").flatMap(RuleDecoder::number);
      Optional<Long> nf = t.option("--nfmask").flatMap(RuleDecoder::number).or(() -> both);
      Optional<Long> ct = t.option("--ctmask").flatMap(RuleDecoder::number).or(() -> both);
      boolean unreadable = (t.option("--nfmask").isPresent() && t.option("--nfmask").flatMap(RuleDecoder::number).isEmpty())
          || (t.option("--ctmask").isPresent() && t.option("--ctmask").flatMap(RuleDecoder::number).isEmpty())
          || (t.option("--mask").isPresent() && both.isEmpty());
      if (unreadable) return new TargetAction.Continue(List.of(new TargetAction.AnyMark(!restore)));
      long nfmask = nf.orElse(FULL);
      long ctmask = ct.orElse(FULL);
      if (save) return new TargetAction.Continue(List.of(new TargetAction.MarkRewrite(true, ~ctmask & FULL, nfmask, 0)));
      return new TargetAction.Continue(List.of(new TargetAction.MarkRewrite(false, ~nfmask & FULL, ctmask, 0)));
    }
    return markTarget(t, true);
  }

  private static Optional<Long> number(Option o) {
    if (o.value() instanceof NumberRange n && n.from() == n.to()) return Optional.of(n.from());
    if (o.value() instanceof MarkValue mv && mv.mask() == FULL) return Optional.of(mv.value());
    if (!(o.value() instanceof Text t)) return Optional.empty();
    return parseNumber(t.text());
  }

  /** {@code --to-destination}: {@code A[-B][:P[-Q]]}, IPv6 addresses in brackets when a port follows. */
  private TargetAction.DstRewrite dnat(Target t) {
    TargetAction.DstRewrite unknown = new TargetAction.DstRewrite(Optional.empty(), Optional.empty(), Optional.empty(), false);
    Optional<Option> to = t.option("--to-destination");
    if (to.isEmpty() || !(to.get().value() instanceof Text x)) return unknown;
    String s = x.text().trim();
    String addrPart = s;
    String portPart = null;
    if (family == Family.IPV6) {
      if (s.startsWith("[")) {
        int close = s.indexOf(']');
        if (close < 0) return unknown;
        addrPart = s.substring(1, close);
        String rest = s.substring(close + 1);
        if (rest.startsWith(":")) portPart = rest.substring(1);
        else if (!rest.isEmpty()) return unknown;
      }
    } else {
      int colon = s.indexOf(':');
      if (colon >= 0) {
        addrPart = s.substring(0, colon);
        portPart = s.substring(colon + 1);
      }
    }
    Optional<PortRange> ports = Optional.empty();
    if (portPart != null) {
      ports = portSpec(portPart);
      if (ports.isEmpty()) return unknown;
    }
    if (addrPart.isEmpty()) return new TargetAction.DstRewrite(Optional.empty(), Optional.empty(), ports, false);
    int dash = addrPart.indexOf('-');
    Optional<BigInteger> a = IpText.parse(family, dash < 0 ? addrPart : addrPart.substring(0, dash));
    Optional<BigInteger> b = dash < 0 ? a : IpText.parse(family, addrPart.substring(dash + 1));
    if (a.isEmpty() || b.isEmpty() || a.get().compareTo(b.get()) > 0) return unknown;
    return new TargetAction.DstRewrite(a, b, ports, false);
  }

  private static Optional<PortRange> portSpec(String s) {
    String[] p = s.split("-", 2);
    try {
      int a = Integer.parseInt(p[0].trim());
      int b = p.length > 1 ? Integer.parseInt(p[1].trim()) : a;
      if (a < 0 || b > 65535 || a > b) return Optional.empty();
      return Optional.of(new PortRange(a, b));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
