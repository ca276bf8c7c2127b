package org.ksaudit.catalog;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.AddressList;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.InterfaceName;
import org.ksaudit.model.value.IpText;
import org.ksaudit.model.value.MarkValue;
import org.ksaudit.model.value.NameSet;
import org.ksaudit.model.value.NumberRange;
import org.ksaudit.model.value.PortList;
import org.ksaudit.model.value.PortRange;
import org.ksaudit.model.value.Text;

/**
 * The value parsers of the catalogue, one per libxtables argument type (XTTYPE_*) or per
 * hand-written extension parser, each accepting exactly what iptables 1.8 accepts.
 */
public final class ValueParsers {
  private ValueParsers() {}

  /** IFNAMSIZ is 16 including the terminating NUL. */
  public static final int MAX_IFACE = 15;

  /** Any text (a comment, a log prefix): nothing is checked. */
  public static final ValueParser TEXT = (raw, ctx) -> new Text(raw);

  /** XTTYPE_STRING with a length limit in bytes. */
  public static ValueParser text(int maxLen, String what) {
    return (raw, ctx) -> {
      if (bytes(raw) > maxLen)
        throw new BadValue(what + " is longer than " + maxLen + " characters", "iptables refuses longer ones");
      return new Text(raw);
    };
  }

  /** Free text without a newline (LOG and NFLOG prefixes: an unclosed quote would carry one). */
  public static ValueParser oneLine(String what) {
    return (raw, ctx) -> {
      if (raw.isEmpty()) throw new BadValue(what + " must have at least one character");
      if (raw.indexOf('\n') >= 0) throw new BadValue("newlines not allowed in " + what, "a quote is not closed on this line");
      return new Text(raw);
    };
  }

  /** XTTYPE_STRING whose length must lie in [min, max] bytes. */
  public static ValueParser text(int minLen, int maxLen, String what) {
    return (raw, ctx) -> {
      int n = bytes(raw);
      if (n < minLen) throw new BadValue(what + " must have at least " + minLen + " characters");
      if (n > maxLen) throw new BadValue(what + " is longer than " + maxLen + " characters");
      return new Text(raw);
    };
  }

  static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** -i / -o and the other interface options: at most 15 bytes, not empty; '+' at the end is a wildcard. */
  public static final ValueParser INTERFACE = (raw, ctx) -> {
    if (raw.isEmpty()) throw new BadValue("empty interface name", "iptables refuses \"\"; leave the option out to match any interface");
    if (bytes(raw) > MAX_IFACE)
      throw new BadValue("interface name \"" + raw + "\" must be shorter than 16 characters");
    return new InterfaceName(raw);
  };

  /** Interface names where an empty one is allowed (the extension does not check). */
  public static final ValueParser INTERFACE_OR_EMPTY = (raw, ctx) -> {
    if (bytes(raw) > MAX_IFACE)
      throw new BadValue("interface name \"" + raw + "\" must be shorter than 16 characters");
    return new InterfaceName(raw);
  };

  // ---------------------------------------------------------------- addresses

  /** -s / -d: a comma list of ADDRESS[/MASK], as xtables_ipparse_multiple reads it. */
  public static final ValueParser ADDRESSES = (raw, ctx) -> {
    List<Cidr> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int comma = raw.indexOf(',', from);
      String part = comma < 0 ? raw.substring(from) : raw.substring(from, comma);
      out.addAll(hostNetworkMask(part, ctx.family()));
      if (comma < 0) break;
      from = comma + 1;
    }
    return new AddressList(out);
  };

  /** One address with an optional /prefix or /mask, resolving to exactly one network (for command-line options). */
  public static Cidr cidr(String text, Family family) throws BadValue {
    List<Cidr> all = hostNetworkMask(text, family);
    if (all.size() != 1) throw new BadValue("\"" + text + "\" names " + all.size() + " networks, not one");
    return all.get(0);
  }

  /** One ADDRESS[/MASK] with the name resolved the way xtables_ipparse_any does (several addresses for a name). */
  public static List<Cidr> hostNetworkMask(String text, Family family) throws BadValue {
    int slash = text.lastIndexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    int prefix = slash < 0 ? family.bits() : mask(text.substring(slash + 1), family);
    // a null mask makes iptables ignore the name, as in "any/0"
    if (prefix == 0) return List.of(new Cidr(family, BigInteger.ZERO, 0));
    List<BigInteger> addrs = hostOrNetwork(host, family);
    List<Cidr> out = new ArrayList<>();
    for (BigInteger a : addrs) out.add(new Cidr(family, a, prefix));
    return out;
  }

  private static int mask(String m, Family family) throws BadValue {
    if (family == Family.IPV4) {
      Optional<Long> dotted = Inet4.numericMask(m);
      if (dotted.isPresent()) return contiguous(BigInteger.valueOf(dotted.get()), family, m);
    } else {
      Optional<BigInteger> v6 = IpText.parseV6(m);
      if (v6.isPresent()) return contiguous(v6.get(), family, m);
    }
    Optional<Long> bits = Numbers.xtables(m, 0, family.bits());
    if (bits.isPresent()) return (int) (long) bits.get();
    throw new BadValue("invalid mask `" + m + "' specified",
        "write a prefix length 0-" + family.bits() + (family == Family.IPV4 ? " or a dotted mask" : ""));
  }

  private static int contiguous(BigInteger mask, Family family, String text) throws NonContiguousMask {
    int bits = mask.bitCount();
    if (mask.equals(Cidr.mask(family, bits))) return bits;
    throw new NonContiguousMask(text);
  }

  /**
   * A mask iptables accepts but ksaudit's model cannot hold as a prefix; the caller keeps the
   * value unreadable and warns instead of reporting an error.
   */
  public static final class NonContiguousMask extends BadValue {
    public NonContiguousMask(String mask) {
      super("non-contiguous mask \"" + mask + "\": iptables accepts it, ksaudit's analysis treats the match as unknown");
    }
  }

  /** A numeric address, a network name (IPv4, /etc/networks) or a host name from /etc/hosts. */
  public static List<BigInteger> hostOrNetwork(String host, Family family) throws BadValue {
    if (family == Family.IPV4) {
      Optional<Long> v = Inet4.numeric(host);
      if (v.isPresent()) return List.of(BigInteger.valueOf(v.get()));
      Optional<Long> net = Hosts.network(host);
      if (net.isPresent()) return List.of(BigInteger.valueOf(net.get()));
      Optional<Long> aton = Inet4.aton(host);
      if (aton.isPresent()) return List.of(BigInteger.valueOf(aton.get()));
    } else {
      Optional<BigInteger> v = IpText.parseV6(host);
      if (v.isPresent()) return List.of(v.get());
    }
    List<BigInteger> named = Hosts.lookup(host, family);
    if (!named.isEmpty()) return named;
    throw unresolved(host, family);
  }

  private static BadValue unresolved(String host, Family family) {
    if (family == Family.IPV4 && IpText.parseV6(host).isPresent())
      return new BadValue("host/network `" + host + "' not found: an IPv6 address in an IPv4 ruleset",
          "IPv6 rules belong in the ip6tables-save file");
    if (family == Family.IPV6 && Inet4.aton(host).isPresent())
      return new BadValue("host/network `" + host + "' not found: an IPv4 address in an IPv6 ruleset",
          "IPv4 rules belong in the iptables-save file");
    if (host.chars().anyMatch(Character::isLetter) && host.matches("[A-Za-z0-9._-]+"))
      return new BadValue("host/network `" + host + "' not found",
          "iptables resolves host names through DNS once, at load time; write the address");
    return new BadValue("host/network `" + host + "' not found", null);
  }

  /** XTTYPE_HOST: one address or name without a mask, resolving to exactly one address. */
  public static final ValueParser HOST = (raw, ctx) -> new AddressList(List.of(host(raw, ctx.family())));

  private static Cidr host(String raw, Family family) throws BadValue {
    Optional<BigInteger> numeric = family == Family.IPV4
        ? Inet4.aton(raw).map(BigInteger::valueOf)
        : IpText.parseV6(raw);
    if (numeric.isPresent()) return new Cidr(family, numeric.get(), family.bits());
    List<BigInteger> named = Hosts.lookup(raw, family);
    if (named.size() == 1) return new Cidr(family, named.get(0), family.bits());
    if (named.size() > 1) throw new BadValue(raw + " resolves to more than one address");
    throw unresolved(raw, family);
  }

  /** XTTYPE_HOSTMASK: ADDRESS or ADDRESS/PREFIXLEN or ADDRESS/MASK. */
  public static final ValueParser HOST_MASK = (raw, ctx) -> {
    int slash = raw.indexOf('/');
    if (slash < 0) return new AddressList(List.of(host(raw, ctx.family())));
    Cidr h = host(raw.substring(0, slash), ctx.family());
    int prefix = plen(raw.substring(slash + 1), ctx.family());
    return new AddressList(List.of(new Cidr(ctx.family(), h.address(), prefix)));
  };

  /** XTTYPE_PLEN: a prefix length, or a mask in address notation. */
  public static int plen(String raw, Family family) throws BadValue {
    Optional<Long> n = Numbers.xtables(raw, 0, family.bits());
    if (n.isPresent()) return (int) (long) n.get();
    Optional<BigInteger> m = family == Family.IPV4 ? Inet4.aton(raw).map(BigInteger::valueOf) : IpText.parseV6(raw);
    if (m.isPresent()) return contiguous(m.get(), family, raw);
    throw new BadValue("bad prefix length \"" + raw + "\": neither a valid network mask nor a CIDR length 0-" + family.bits());
  }

  public static final ValueParser PLEN = (raw, ctx) -> {
    int p = plen(raw, ctx.family());
    return new NumberRange(p, p);
  };

  // ---------------------------------------------------------------- ports

  /** xtables_parse_port: a number 0-65535 (C syntax) or a service name for the protocol. */
  public static int xtPort(String s, String proto) throws BadValue {
    Optional<Long> n = Numbers.xtables(s, 0, 65535);
    if (n.isPresent()) return (int) (long) n.get();
    Optional<Integer> named = Services.port(s, proto);
    if (named.isPresent()) return named.get();
    throw new BadValue("invalid port/service `" + s + "' specified",
        s.isEmpty() ? "a port is a number 0-65535 or a service name" : null);
  }

  /** tcp's --sport / --dport: PORT or FROM:TO with open ends, FROM not above TO. */
  public static ValueParser tcpPorts(String proto) {
    return (raw, ctx) -> {
      int colon = raw.indexOf(':');
      if (colon < 0) {
        int p = xtPort(raw, proto);
        return new PortList(List.of(new PortRange(p, p)));
      }
      String a = raw.substring(0, colon);
      String b = raw.substring(colon + 1);
      int from = a.isEmpty() ? 0 : xtPort(a, proto);
      int to = b.isEmpty() ? 65535 : xtPort(b, proto);
      if (from > to) throw new BadValue("invalid portrange (min > max)", "write the lower port first: " + to + ":" + from);
      return new PortList(List.of(new PortRange(from, to)));
    };
  }

  /**
   * XTTYPE_PORTRC (udp, conntrack ports): up to two ':'-separated parts, each a port number or
   * a service name of any protocol; an empty part is open. A reversed range is accepted and
   * matches nothing.
   */
  public static final ValueParser PORT_RC = (raw, ctx) -> {
    String[] parts = raw.split(":", -1);
    if (parts.length > 2) throw new BadValue("too many components in port range \"" + raw + "\" (at most FROM:TO)");
    int from = parts[0].isEmpty() ? 0 : portByName(parts[0]);
    int to = parts.length == 1 ? from : parts[1].isEmpty() ? 65535 : portByName(parts[1]);
    if (from > to) return new PortList(List.of());
    return new PortList(List.of(new PortRange(from, to)));
  };

  /**
   * xtables_getportbyname: getaddrinfo's service lookup. A decimal number (glibc strtoul, so
   * blanks and a sign are allowed) is taken modulo 65536 unless it is negative as a C int;
   * anything else is a service name of any protocol.
   */
  public static int portByName(String s) throws BadValue {
    Numbers.Scan sc = Numbers.strtoul(s, 0, 10);
    boolean numeric = sc.end() == s.length() && (sc.digits() || s.isEmpty());
    if (numeric && (int) sc.value() >= 0) return (int) sc.value() & 0xffff;
    Optional<Integer> named = Services.anyProtocol(s);
    if (named.isPresent()) return named.get();
    throw new BadValue("Port \"" + s + "\" does not resolve to anything",
        s.startsWith("0x") || s.startsWith("0X") ? "this option reads decimal port numbers only" : null);
  }

  /** multiport's comma list: at most 15 slots, a range FROM:TO takes two and needs FROM < TO. */
  public static final ValueParser MULTIPORT = (raw, ctx) -> {
    if (ctx.protocolNegated() || ctx.protocol().isPresent() && !List.of(6, 17, 136, 132, 33).contains(ctx.protocol().get()))
      throw new BadValue("multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP");
    if (ctx.protocol().isEmpty())
      throw new BadValue("multiport needs \"-p tcp\", \"-p udp\", \"-p udplite\", \"-p sctp\" or \"-p dccp\" before it",
          "put \"-p tcp\" before \"-m multiport\"");
    String proto = ctx.protocolName().orElse("tcp");
    List<PortRange> ranges = new ArrayList<>();
    String[] parts = raw.split(",", -1);
    int i = 0;
    for (String part : parts) {
      if (i >= 15) throw new BadValue("too many ports specified", "multiport takes at most 15 ports; a range counts as two");
      int colon = part.indexOf(':');
      if (colon >= 0 && i == 14)
        throw new BadValue("too many ports specified", "multiport takes at most 15 ports; a range counts as two");
      if (colon < 0) {
        int p = xtPort(part, proto);
        ranges.add(new PortRange(p, p));
      } else {
        int from = xtPort(part.substring(0, colon), proto);
        int to = xtPort(part.substring(colon + 1), proto);
        if (from >= to) throw new BadValue("invalid portrange specified in \"" + part + "\"", "a multiport range needs FROM < TO");
        ranges.add(new PortRange(from, to));
        i++;
      }
      i++;
    }
    return new PortList(ranges);
  };

  // ---------------------------------------------------------------- numbers

  /** XTTYPE_UINT8/16/32/64: one number in C syntax within [min, max]. */
  public static ValueParser number(long min, long max, String what) {
    return (raw, ctx) -> {
      Optional<Long> a = Numbers.xtables(raw, min, max);
      if (a.isEmpty()) throw new BadValue("bad value \"" + raw + "\" for " + what + " (expected " + min + "-" + Long.toUnsignedString(max) + ")");
      return new NumberRange(a.get(), a.get());
    };
  }

  /** XTTYPE_UINT*RC: FROM[:TO] (open ends allowed), each in C syntax up to {@code max}. */
  public static ValueParser numberRange(long max, String what) {
    return (raw, ctx) -> {
      long[] vals = new long[2];
      int n = 0;
      int from = 0;
      while (true) {
        if (n == 2) throw new BadValue("too many components for " + what + " \"" + raw + "\" (max: 2)");
        int end;
        if (from >= raw.length() || raw.charAt(from) == ':') {
          vals[n] = n == 1 ? max : 0;
          end = from;
        } else {
          Optional<Numbers.Scan> sc = Numbers.xtablesPrefix(raw, from, 0);
          if (sc.isEmpty() || Long.compareUnsigned(sc.get().value(), max) > 0)
            throw new BadValue("bad value for " + what + " near \"" + raw.substring(from) + "\", or out of range (0-" + Long.toUnsignedString(max) + ")");
          end = sc.get().end();
          if (end < raw.length() && raw.charAt(end) != ':')
            throw new BadValue("unexpected characters in " + what + " near \"" + raw.substring(end) + "\"");
          vals[n] = sc.get().value();
        }
        n++;
        if (end >= raw.length()) break;
        from = end + 1;
      }
      return new NumberRange(vals[0], n == 2 ? vals[1] : vals[0]);
    };
  }

  /** A {@link #numberRange} whose FROM may not exceed TO. */
  public static ValueParser orderedNumberRange(long max, String what) {
    ValueParser plain = numberRange(max, what);
    return (raw, ctx) -> {
      NumberRange r = (NumberRange) plain.parse(raw, ctx);
      if (Long.compareUnsigned(r.from(), r.to()) > 0) throw new BadValue("bad " + what + " range \"" + raw + "\" (FROM above TO)");
      return r;
    };
  }

  /** xtables_parse_mark_mask: VALUE[/MASK], 32-bit numbers in C syntax. */
  public static final ValueParser MARK = (raw, ctx) -> {
    Optional<Numbers.Scan> v = Numbers.xtablesPrefix(raw, 0, 0);
    if (v.isEmpty() || Long.compareUnsigned(v.get().value(), MarkValue.FULL) > 0)
      throw new BadValue("bad mark value \"" + raw + "\"", "a mark is a 32-bit number, optionally /MASK");
    long mask = MarkValue.FULL;
    int end = v.get().end();
    if (end < raw.length() && raw.charAt(end) == '/') {
      Optional<Numbers.Scan> m = Numbers.xtablesPrefix(raw, end + 1, 0);
      if (m.isEmpty() || Long.compareUnsigned(m.get().value(), MarkValue.FULL) > 0)
        throw new BadValue("bad mark mask in \"" + raw + "\"");
      mask = m.get().value();
      end = m.get().end();
    }
    if (end != raw.length()) throw new BadValue("bad mark value \"" + raw + "\"");
    return new MarkValue(v.get().value(), mask);
  };

  /** XTTYPE_TOSMASK: VALUE[/MASK] (8-bit) or one of the five symbolic TOS names. */
  public static final ValueParser TOS = (raw, ctx) -> {
    Optional<Numbers.Scan> v = Numbers.xtablesPrefix(raw, 0, 0);
    if (v.isPresent() && Long.compareUnsigned(v.get().value(), 255) <= 0) {
      int end = v.get().end();
      long mask = 255;
      if (end < raw.length() && raw.charAt(end) == '/') {
        Optional<Numbers.Scan> m = Numbers.xtablesPrefix(raw, end + 1, 0);
        if (m.isEmpty() || Long.compareUnsigned(m.get().value(), 255) > 0) throw new BadValue("Illegal value: \"" + raw + "\"");
        mask = m.get().value();
        end = m.get().end();
      }
      if (end != raw.length()) throw new BadValue("Illegal value: \"" + raw + "\"");
      return new MarkValue(v.get().value(), mask);
    }
    for (String n : List.of("Minimize-Delay", "Maximize-Throughput", "Maximize-Reliability", "Minimize-Cost", "Normal-Service"))
      if (n.equalsIgnoreCase(raw)) return new NameSet(List.of(n));
    throw new BadValue("Symbolic name \"" + raw + "\" is unknown");
  };

  /** XTTYPE_SYSLOGLEVEL: 0-7 or a syslog level name. */
  public static final ValueParser SYSLOG_LEVEL = (raw, ctx) -> {
    Optional<Long> n = Numbers.xtables(raw, 0, 7);
    if (n.isPresent()) return new NumberRange(n.get(), n.get());
    List<String> names = List.of("alert", "crit", "debug", "emerg", "error", "info", "notice", "panic", "warning");
    if (names.contains(raw)) return new NameSet(List.of(raw));
    throw new BadValue("log level \"" + raw + "\" unknown",
        Suggest.closest(raw, names).map(s -> "did you mean \"" + s + "\"?").orElse("levels: 0-7 or " + String.join(", ", names)));
  };

  /** XTTYPE_PROTOCOL: a protocol name or number, as for -p. */
  public static final ValueParser PROTOCOL = (raw, ctx) -> {
    Optional<Integer> n = Protocols.number(raw);
    if (n.isEmpty()) throw new BadValue("unknown protocol \"" + raw + "\" specified");
    return new Text(Protocols.canonical(n.get()));
  };

  // ---------------------------------------------------------------- names

  /**
   * A comma list of state names where each element may be any case-insensitive prefix of a
   * name (libxt_conntrack's strncasecmp): "EST" is ESTABLISHED, the first name in table order
   * wins; empty elements are refused.
   */
  public static ValueParser prefixNames(String what, String... names) {
    return (raw, ctx) -> {
      List<String> out = new ArrayList<>();
      for (String p : raw.split(",", -1)) {
        String found = null;
        if (!p.isEmpty()) {
          for (String n : names) {
            if (n.length() >= p.length() && n.regionMatches(true, 0, p, 0, p.length())) {
              found = n;
              break;
            }
          }
        }
        if (found == null) {
          String hint = p.isEmpty() ? "no spaces and no empty entries: e.g. ESTABLISHED,RELATED"
              : Suggest.closest(p.toUpperCase(Locale.ROOT), List.of(names)).map(s -> "did you mean \"" + s + "\"?")
                  .orElse("valid: " + String.join(",", names));
          throw new BadValue("bad " + what + " \"" + p + "\"", hint);
        }
        if (!out.contains(found)) out.add(found);
      }
      return new NameSet(out);
    };
  }

  /** A comma list of names compared in full, case-insensitively or not as the extension does; empty as it allows. */
  public static ValueParser names(boolean ignoreCase, boolean emptyAllowed, String what, String... allowed) {
    return (raw, ctx) -> {
      List<String> out = new ArrayList<>();
      if (raw.isEmpty() && emptyAllowed) return new NameSet(out);
      for (String p : raw.split(",", -1)) {
        String found = null;
        for (String a : allowed) if (ignoreCase ? a.equalsIgnoreCase(p) : a.equals(p)) found = a;
        if (found == null) {
          String hint = Suggest.closest(p.toUpperCase(Locale.ROOT), List.of(allowed)).map(s -> "did you mean \"" + s + "\"?")
              .orElse("valid: " + String.join(",", allowed));
          throw new BadValue("bad " + what + " \"" + p + "\"", hint);
        }
        out.add(found);
      }
      return new NameSet(out);
    };
  }

  /** One name from a fixed set; {@code ignoreCase} as the extension compares. */
  public static ValueParser oneOf(boolean ignoreCase, String what, String... allowed) {
    return (raw, ctx) -> {
      for (String a : allowed) if (ignoreCase ? a.equalsIgnoreCase(raw) : a.equals(raw)) return new NameSet(List.of(a));
      String hint = Suggest.closest(raw, List.of(allowed)).map(s -> "did you mean \"" + s + "\"?")
          .orElse("valid: " + String.join(", ", allowed));
      throw new BadValue("bad " + what + " \"" + raw + "\"", hint);
    };
  }
}
