package org.ksaudit.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ksaudit.model.value.NameSet;
import org.ksaudit.model.value.NumberRange;
import org.ksaudit.model.value.Text;

/** Value parsers written by hand in one extension each (libxt_limit's rate, libxt_owner's ids, ...). */
final class ExtensionParsers {
  private ExtensionParsers() {}

  /** C atoi: blanks, a sign, decimal digits; whatever follows is ignored; 0 when there are none. */
  static long atoi(String s) {
    int i = 0;
    while (i < s.length() && Numbers.isSpace(s.charAt(i))) i++;
    boolean neg = false;
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) neg = s.charAt(i++) == '-';
    long v = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && v < 1L << 40) v = v * 10 + (s.charAt(i++) - '0');
    return (int) (neg ? -v : v);
  }

  /** libxt_limit / hashlimit rate: N[/second|minute|hour|day] (any prefix of the unit), at most 10000 per second. */
  static ValueParser rate(String what, long scale) {
    return (raw, ctx) -> {
      long mult = 1;
      int slash = raw.indexOf('/');
      if (slash >= 0) {
        String unit = raw.substring(slash + 1);
        if (unit.isEmpty()) throw badRate(what, raw);
        if (isPrefix(unit, "second")) mult = 1;
        else if (isPrefix(unit, "minute")) mult = 60;
        else if (isPrefix(unit, "hour")) mult = 3600;
        else if (isPrefix(unit, "day")) mult = 86400;
        else throw badRate(what, raw);
      }
      long r = atoi(raw) & 0xffffffffL;
      if (r == 0) throw badRate(what, raw);
      if (scale * mult / r == 0) throw new BadValue("rate too fast \"" + raw + "\"", "at most " + scale + " per second");
      return new Text(raw);
    };
  }

  private static BadValue badRate(String what, String raw) {
    return new BadValue("bad rate \"" + raw + "\" for " + what, "write N/second, N/minute, N/hour or N/day");
  }

  static boolean isPrefix(String part, String word) {
    return part.length() <= word.length() && word.regionMatches(true, 0, part, 0, part.length());
  }

  /** libxt_owner --uid-owner / --gid-owner: a user or group name of this machine, an id, or an id range FROM-TO. */
  static ValueParser ownerId(boolean group) {
    ValueParser numeric = orderedRange(0xfffffffeL, group ? "gid" : "uid");
    return (raw, ctx) -> {
      Optional<Long> named = Accounts.id(raw, group);
      if (named.isPresent()) return new NumberRange(named.get(), named.get());
      try {
        return numeric.parse(raw, ctx);
      } catch (BadValue e) {
        throw badId(raw, group);
      }
    };
  }

  private static BadValue badId(String raw, boolean group) {
    return new BadValue("no such " + (group ? "group" : "user") + " \"" + raw + "\" on this machine, and not a number",
        "iptables looks names up in this machine's " + (group ? "/etc/group" : "/etc/passwd") + " at load time; write the numeric id");
  }

  /** libxt_tcp --tcp-flags MASK COMP: comma lists of SYN ACK FIN RST URG PSH ALL NONE, any case, empty entries skipped. */
  static final PairParser TCP_FLAGS = (mask, comp, ctx) -> {
    tcpFlags(mask);
    tcpFlags(comp);
    return new Text(mask + " " + comp);
  };

  private static int tcpFlags(String list) throws BadValue {
    int v = 0;
    for (String f : list.split(",")) {
      if (f.isEmpty()) continue;
      int bit = switch (f.toUpperCase(Locale.ROOT)) {
        case "FIN" -> 0x01;
        case "SYN" -> 0x02;
        case "RST" -> 0x04;
        case "PSH" -> 0x08;
        case "ACK" -> 0x10;
        case "URG" -> 0x20;
        case "ALL" -> 0x3f;
        case "NONE" -> 0;
        default -> throw new BadValue("Unknown TCP flag `" + f + "'",
            Suggest.closest(f.toUpperCase(Locale.ROOT), List.of("FIN", "SYN", "RST", "PSH", "ACK", "URG", "ALL", "NONE"))
                .map(s -> "did you mean \"" + s + "\"?").orElse("flags: SYN ACK FIN RST URG PSH ALL NONE"));
      };
      v |= bit;
    }
    return v;
  }

  /** libxt_set --match-set NAME FLAGS: FLAGS is a comma list of up to six "src"/"dst". */
  static final PairParser SET_REF = (name, flags, ctx) -> {
    if (ValueParsers.bytes(name) > 31) throw new BadValue("setname `" + name + "' too long, max 31 characters");
    List<String> dirs = new ArrayList<>();
    for (String d : flags.split(",", -1)) {
      if (!d.equals("src") && !d.equals("dst"))
        throw new BadValue("you must specify (the comma separated list of) 'src' or 'dst'", "e.g. \"src\" or \"dst,src\"");
      dirs.add(d);
    }
    if (dirs.size() > 6) throw new BadValue("can't be more src/dst options than 6");
    return new Text(name + " " + flags);
  };

  /** libxt_addrtype: a comma list of address types, each an exact name (any case). */
  static final ValueParser ADDR_TYPES = ValueParsers.prefixNames("address type", "UNSPEC", "UNICAST", "LOCAL", "BROADCAST",
      "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE");

  /** libxt_pkttype: one of the link-layer packet types. */
  static final ValueParser PKT_TYPE = (raw, ctx) -> {
    for (String t : List.of("unicast", "broadcast", "multicast", "host", "otherhost", "outgoing", "loopback", "fastroute"))
      if (t.equalsIgnoreCase(raw)) return new NameSet(List.of(t));
    throw new BadValue("Bad packet type '" + raw + "'", "types: unicast, broadcast, multicast");
  };

  /** libxt_recent --name: a /proc/net/xt_recent file name: not empty, no '/', not "." or "..". */
  static final ValueParser RECENT_NAME = (raw, ctx) -> {
    if (raw.isEmpty() || raw.contains("/") || raw.equals(".") || raw.equals(".."))
      throw new BadValue("bad recent list name \"" + raw + "\"", "the name becomes a file in /proc/net/xt_recent");
    return new Text(raw);
  };

  /**
   * A number read by strtoul up to the first character that is not a digit (what follows is
   * ignored), within [min, max]: hashlimit's --hashlimit-burst (base 0) and
   * --hashlimit-rate-interval (base 10).
   */
  static ValueParser leadingNumber(int base, long min, long max, String what) {
    return (raw, ctx) -> {
      Optional<Numbers.Scan> sc = Numbers.xtablesPrefix(raw, 0, base);
      if (sc.isEmpty() || Long.compareUnsigned(sc.get().value(), min) < 0 || Long.compareUnsigned(sc.get().value(), max) > 0)
        throw new BadValue("bad value \"" + raw + "\" for " + what + " (expected " + min + "-" + max + ")");
      return new NumberRange(sc.get().value(), sc.get().value());
    };
  }

  /** libxt_hashlimit --hashlimit-mode: a comma list of srcip, srcport, dstip, dstport (may be empty). */
  static final ValueParser HASHLIMIT_MODE = (raw, ctx) -> {
    for (String m : raw.split(",")) {
      if (!m.isEmpty() && !List.of("srcip", "srcport", "dstip", "dstport").contains(m))
        throw new BadValue("bad hashlimit mode \"" + m + "\"", "modes: srcip, srcport, dstip, dstport");
    }
    return new Text(raw);
  };

  /** libxt_hashlimit --hashlimit-srcmask/-dstmask: a prefix length of the family (or all ones). */
  static final ValueParser HASHLIMIT_MASK = (raw, ctx) -> {
    Optional<Long> n = Numbers.xtables(raw, 0, 0xffffffffL);
    if (n.isPresent() && (n.get() <= ctx.family().bits() || n.get() == 0xffffffffL)) return new NumberRange(n.get(), n.get());
    throw new BadValue("bad mask \"" + raw + "\"", "a prefix length 0-" + ctx.family().bits());
  };

  /** An id or an id range FROM-TO or FROM:TO (owner), FROM not above TO. */
  static ValueParser orderedRange(long max, String what) {
    return (raw, ctx) -> {
      Optional<Numbers.Scan> a = Numbers.xtablesPrefix(raw, 0, 0);
      if (a.isPresent() && Long.compareUnsigned(a.get().value(), max) <= 0) {
        long from = a.get().value();
        long to = from;
        int end = a.get().end();
        if (end < raw.length() && (raw.charAt(end) == '-' || raw.charAt(end) == ':')) {
          Optional<Numbers.Scan> b = Numbers.xtablesPrefix(raw, end + 1, 0);
          if (b.isEmpty() || Long.compareUnsigned(b.get().value(), max) > 0) throw bad(raw, what);
          to = b.get().value();
          end = b.get().end();
        }
        if (end == raw.length() && Long.compareUnsigned(from, to) <= 0) return new NumberRange(from, to);
      }
      throw bad(raw, what);
    };
  }

  private static BadValue bad(String raw, String what) {
    return new BadValue("bad " + what + " \"" + raw + "\"", "write N or FROM-TO with FROM not above TO");
  }

  // ------------------------------------------------------------------ NAT (libxt_NAT)

  /** Protocols with ports for the NAT targets' port parts (libxt_NAT's portok). */
  private static boolean portsAllowed(ValueContext ctx) {
    return ctx.protocol().isPresent() && !ctx.protocolNegated() && List.of(6, 17, 132, 33, 1).contains(ctx.protocol().get());
  }

  /** libxt_NAT parse_ports: PORT[-PORT[/BASE]], a service name only for a single port, FROM not above TO. */
  static void natPorts(String arg, ValueContext ctx) throws BadValue {
    if (!portsAllowed(ctx))
      throw new BadValue("Need TCP, UDP, SCTP or DCCP with port specification", "add \"-p tcp\" or \"-p udp\" to the rule");
    Optional<Numbers.Scan> first = Numbers.xtablesPrefix(arg, 0, 0);
    long port;
    int end;
    if (first.isPresent() && Long.compareUnsigned(first.get().value(), 65535) <= 0) {
      port = first.get().value();
      end = first.get().end();
    } else {
      Optional<Integer> named = Services.anyProtocol(arg);
      if (named.isEmpty()) throw new BadValue("Port `" + arg + "' not valid");
      return;
    }
    if (end == arg.length()) return;
    char c = arg.charAt(end);
    if (c == ':') throw new BadValue("Invalid port:port syntax - use dash", "write FROM-TO");
    if (c != '-') throw new BadValue("Garbage after port value: `" + arg.substring(end) + "'");
    Optional<Numbers.Scan> second = Numbers.xtablesPrefix(arg, end + 1, 0);
    if (second.isEmpty() || Long.compareUnsigned(second.get().value(), 65535) > 0)
      throw new BadValue("Port `" + arg.substring(end + 1) + "' not valid");
    if (second.get().value() < port) throw new BadValue("Port range `" + arg.substring(end + 1) + "' funky", "write the lower port first");
    int e2 = second.get().end();
    if (e2 == arg.length()) return;
    if (arg.charAt(e2) != '/') throw new BadValue("Garbage after port range: `" + arg.substring(e2) + "'");
    String base = arg.substring(e2 + 1);
    if (Numbers.xtables(base, 1, 65535).isEmpty() && Services.anyProtocol(base).isEmpty())
      throw new BadValue("Port `" + base + "' not valid");
  }

  static final ValueParser NAT_PORTS = (raw, ctx) -> {
    natPorts(raw, ctx);
    return new Text(raw);
  };

  /** libxt_NAT parse_to: [ADDR[-ADDR]][:PORT[-PORT]], IPv6 addresses in brackets when a port follows. */
  static final ValueParser NAT_TO = (raw, ctx) -> {
    String arg = raw;
    int open = arg.indexOf('[');
    String start;
    int colon;
    if (open < 0) {
      colon = arg.indexOf(':');
      if (colon >= 0 && arg.indexOf(':', colon + 1) >= 0) colon = -1;
      start = arg;
    } else {
      int close = arg.indexOf(']', open + 1);
      if (close < 0 || ctx.family() == org.ksaudit.model.Family.IPV4) throw new BadValue("Invalid address format");
      start = arg.substring(open + 1, close);
      int c = arg.indexOf(':', close + 1);
      colon = c;
      arg = arg.substring(0, close) + "\0" + arg.substring(close + 1);
    }
    if (colon >= 0) {
      natPorts(raw.substring(colon + 1), ctx);
      // "[]:" (or any two characters before the colon) carries no address, as libxt_NAT reads it
      if (colon == 0 || colon == 2) return new Text(raw);
      if (open < 0) start = arg.substring(0, colon);
    }
    int dash = start.indexOf('-');
    String lo = dash < 0 ? start : start.substring(0, dash);
    if (!inetPton(lo, ctx)) throw new BadValue("Bad IP address \"" + lo + "\"");
    if (dash >= 0 && !inetPton(start.substring(dash + 1), ctx))
      throw new BadValue("Bad IP address \"" + start.substring(dash + 1) + "\"");
    return new Text(raw);
  };

  private static boolean inetPton(String s, ValueContext ctx) {
    return ctx.family() == org.ksaudit.model.Family.IPV4 ? org.ksaudit.model.value.IpText.parseV4(s).isPresent()
        : org.ksaudit.model.value.IpText.parseV6(s).isPresent();
  }

  // ------------------------------------------------------------------ iprange

  /** libxt_iprange: FROM[-TO], IPv4 parts as libxtables' dotted reader takes them (missing parts are 0). */
  static final ValueParser IP_RANGE = (raw, ctx) -> {
    int dash = raw.indexOf('-');
    String a = dash < 0 ? raw : raw.substring(0, dash);
    String b = dash < 0 ? raw : raw.substring(dash + 1);
    // a reversed range is accepted and matches nothing; the model keeps it as written
    return new org.ksaudit.model.value.AddressRange(ctx.family(), rangeEnd(a, raw, ctx), rangeEnd(b, raw, ctx));
  };

  private static java.math.BigInteger rangeEnd(String s, String raw, ValueContext ctx) throws BadValue {
    Optional<java.math.BigInteger> v = ctx.family() == org.ksaudit.model.Family.IPV4
        ? Inet4.numeric(s).map(java.math.BigInteger::valueOf)
        : org.ksaudit.model.value.IpText.parseV6(s);
    if (v.isEmpty()) throw new BadValue("iprange: bad value \"" + raw + "\"", "write FROM-TO with numeric addresses");
    return v.get();
  }

  // ------------------------------------------------------------------ statistic, time, dscp

  /** libxt_statistic --probability: a decimal fraction from 0 to 1 (strtod, the whole word). */
  static final ValueParser PROBABILITY = (raw, ctx) -> {
    int i = 0;
    while (i < raw.length() && Numbers.isSpace(raw.charAt(i))) i++;
    int start = i;
    if (i < raw.length() && (raw.charAt(i) == '+' || raw.charAt(i) == '-')) i++;
    int digits = 0;
    while (i < raw.length() && raw.charAt(i) >= '0' && raw.charAt(i) <= '9') { i++; digits++; }
    if (i < raw.length() && raw.charAt(i) == '.') {
      i++;
      while (i < raw.length() && raw.charAt(i) >= '0' && raw.charAt(i) <= '9') { i++; digits++; }
    }
    if (digits > 0 && i < raw.length() && (raw.charAt(i) == 'e' || raw.charAt(i) == 'E')) {
      int e = i + 1;
      if (e < raw.length() && (raw.charAt(e) == '+' || raw.charAt(e) == '-')) e++;
      int expDigits = 0;
      while (e < raw.length() && raw.charAt(e) >= '0' && raw.charAt(e) <= '9') { e++; expDigits++; }
      if (expDigits > 0) i = e;
    }
    if (digits == 0 || i != raw.length()) throw badProbability(raw);
    double d = Double.parseDouble(raw.substring(start));
    if (d < 0 || d > 1) throw badProbability(raw);
    return new Text(raw);
  };

  private static BadValue badProbability(String raw) {
    return new BadValue("bad probability \"" + raw + "\"", "a number from 0 to 1, e.g. 0.25");
  }

  /** libxt_dscp class names. */
  static final ValueParser DSCP_CLASS = ValueParsers.oneOf(true, "DSCP class", "CS0", "CS1", "CS2", "CS3", "CS4", "CS5", "CS6",
      "CS7", "BE", "AF11", "AF12", "AF13", "AF21", "AF22", "AF23", "AF31", "AF32", "AF33", "AF41", "AF42", "AF43", "EF");

  /** libxt_time --datestart/--datestop: YYYY[-MM[-DD[Thh[:mm[:ss]]]]], from 1970 on. */
  static final ValueParser DATE = (raw, ctx) -> {
    boolean ok = raw.length() >= 4 && Numbers.digits(raw.substring(0, 4), 10).map(y -> y >= 1970).orElse(false);
    int i = 4;
    char[] seps = {'-', '-', 'T', ':', ':'};
    for (int f = 0; ok && i < raw.length() && f < seps.length; f++) {
      ok = raw.charAt(i) == seps[f];
      int s = ++i;
      while (i < raw.length() && raw.charAt(i) >= '0' && raw.charAt(i) <= '9' && i - s < 2) i++;
      ok = ok && i > s;
    }
    if (!ok || i != raw.length()) throw new BadValue("invalid date \"" + raw + "\"", "write YYYY[-MM[-DD[Thh[:mm[:ss]]]]]");
    return new Text(raw);
  };

  /** libxt_time --timestart/--timestop: hh:mm[:ss] (empty fields read as 0). */
  static final ValueParser TIME_OF_DAY = (raw, ctx) -> {
    String[] f = raw.split(":", -1);
    boolean ok = f.length >= 2 && f.length <= 3;
    long[] max = {23, 59, 59};
    for (int i = 0; ok && i < f.length; i++) {
      if (f[i].isEmpty()) continue;
      Optional<Long> n = Numbers.digits(f[i], 10);
      ok = n.isPresent() && n.get() <= max[i];
    }
    if (!ok) throw new BadValue("invalid time \"" + raw + "\"", "write hh:mm[:ss]");
    return new Text(raw);
  };
}
