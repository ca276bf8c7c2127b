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
    return (raw, ctx) -> {
      Optional<Long> named = Accounts.id(raw, group);
      if (named.isPresent()) return new NumberRange(named.get(), named.get());
      Optional<Numbers.Scan> a = Numbers.xtablesPrefix(raw, 0, 0);
      if (a.isPresent() && Long.compareUnsigned(a.get().value(), 0xfffffffeL) <= 0) {
        long from = a.get().value();
        long to = from;
        int end = a.get().end();
        if (end < raw.length() && raw.charAt(end) == '-') {
          Optional<Numbers.Scan> b = Numbers.xtablesPrefix(raw, end + 1, 0);
          if (b.isEmpty() || Long.compareUnsigned(b.get().value(), 0xfffffffeL) > 0) throw badId(raw, group);
          to = b.get().value();
          end = b.get().end();
        }
        if (end == raw.length()) return new NumberRange(from, to);
      }
      throw badId(raw, group);
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
  static final ValueParser ADDR_TYPES = ValueParsers.names("address type", "UNSPEC", "UNICAST", "LOCAL", "BROADCAST",
      "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE");

  /** libxt_pkttype: one of the link-layer packet types. */
  static final ValueParser PKT_TYPE = (raw, ctx) -> {
    for (String t : List.of("unicast", "broadcast", "multicast", "host", "otherhost"))
      if (t.equalsIgnoreCase(raw)) return new NameSet(List.of(t));
    Optional<Long> n = Numbers.xtables(raw, 0, 255);
    if (n.isPresent()) return new NumberRange(n.get(), n.get());
    throw new BadValue("Bad packet type '" + raw + "'", "types: unicast, broadcast, multicast");
  };
}
