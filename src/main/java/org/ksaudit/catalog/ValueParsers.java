package org.ksaudit.catalog;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.AddressList;
import org.ksaudit.model.value.AddressRange;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.InterfaceName;
import org.ksaudit.model.value.IpText;
import org.ksaudit.model.value.MarkValue;
import org.ksaudit.model.value.NameSet;
import org.ksaudit.model.value.NumberRange;
import org.ksaudit.model.value.PortList;
import org.ksaudit.model.value.PortRange;
import org.ksaudit.model.value.Text;

/** The value parsers shared by the catalogue, each mirroring what libxtables accepts. */
public final class ValueParsers {
  private ValueParsers() {}

  /** IFNAMSIZ is 16 including the terminating NUL. */
  public static final int MAX_IFACE = 15;

  public static final ValueParser TEXT = (raw, ctx) -> new Text(raw);

  public static ValueParser text(int maxLen, String what) {
    return (raw, ctx) -> {
      if (raw.length() > maxLen) throw new BadValue(what + " is longer than " + maxLen + " characters");
      return new Text(raw);
    };
  }

  public static final ValueParser INTERFACE = (raw, ctx) -> {
    if (raw.length() > MAX_IFACE)
      throw new BadValue("interface name \"" + raw + "\" must be shorter than 16 characters");
    return new InterfaceName(raw);
  };

  /** Comma list of addresses with optional /prefix or /dotted-mask, as for -s and -d. */
  public static final ValueParser ADDRESSES = (raw, ctx) -> {
    List<Cidr> out = new ArrayList<>();
    for (String part : raw.split(",", -1)) out.add(cidr(part, ctx.family()));
    return new AddressList(out);
  };

  /** A single address with optional mask (recent --mask etc. do not use this). */
  public static final ValueParser ADDRESS = (raw, ctx) -> new AddressList(List.of(cidr(raw, ctx.family())));

  public static Cidr cidr(String text, Family family) throws BadValue {
    if (text.isEmpty()) throw new BadValue("empty address");
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    BigInteger addr = address(host, family);
    int prefix = family.bits();
    if (slash >= 0) {
      String m = text.substring(slash + 1);
      prefix = prefix(m, family);
    }
    return new Cidr(family, addr, prefix);
  }

  private static int prefix(String m, Family family) throws BadValue {
    Optional<Long> n = Numbers.parseUnsigned(m, 10);
    if (n.isPresent() && n.get() <= family.bits()) return (int) (long) n.get();
    Optional<BigInteger> dotted = IpText.parse(family, m);
    if (dotted.isPresent()) {
      BigInteger v = dotted.get();
      int bits = v.bitCount();
      if (v.equals(Cidr.mask(family, bits))) return bits;
      throw new BadValue("non-contiguous mask \"" + m + "\" is not supported by ksaudit's analysis");
    }
    throw new BadValue("invalid mask `" + m + "' specified");
  }

  /** A numeric address, or "localhost" from /etc/hosts; other names would need DNS at load time. */
  public static BigInteger address(String host, Family family) throws BadValue {
    Optional<BigInteger> v = family == Family.IPV4 ? Inet4.parseLenient(host) : IpText.parseV6(host);
    if (v.isPresent()) return v.get();
    if (host.equals("localhost")) return family == Family.IPV4 ? BigInteger.valueOf(0x7f000001L) : BigInteger.ONE;
    if (family == Family.IPV4 && IpText.parseV6(host).isPresent())
      throw new BadValue("IPv6 address \"" + host + "\" in an IPv4 ruleset", "IPv6 rules belong in the ip6tables-save file");
    if (family == Family.IPV6 && IpText.parseV4(host).isPresent())
      throw new BadValue("IPv4 address \"" + host + "\" in an IPv6 ruleset", "IPv4 rules belong in the iptables-save file");
    if (host.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?") && host.chars().anyMatch(Character::isLetter))
      throw new BadValue(
          "host/network `" + host + "' not found",
          "iptables resolves host names through DNS once, at load time; write the address");
    throw new BadValue("invalid address `" + host + "'");
  }

  /** {@code A-B} for iprange. */
  public static final ValueParser ADDRESS_RANGE = (raw, ctx) -> {
    int dash = raw.indexOf('-');
    String a = dash < 0 ? raw : raw.substring(0, dash);
    String b = dash < 0 ? raw : raw.substring(dash + 1);
    Optional<BigInteger> from = IpText.parse(ctx.family(), a);
    Optional<BigInteger> to = IpText.parse(ctx.family(), b);
    if (from.isEmpty()) throw new BadValue("iprange: \"" + a + "\" is not a valid " + ctx.family().label() + " address");
    if (to.isEmpty()) throw new BadValue("iprange: \"" + b + "\" is not a valid " + ctx.family().label() + " address");
    if (from.get().compareTo(to.get()) > 0) throw new BadValue("iprange: range " + raw + " is empty (start > end)");
    return new AddressRange(ctx.family(), from.get(), to.get());
  };

  /** One port or a range "A:B" (open ends allowed), as for tcp/udp --sport/--dport. */
  public static final ValueParser PORT_RANGE = (raw, ctx) -> new PortList(List.of(portRange(raw, ctx)));

  public static PortRange portRange(String raw, ValueContext ctx) throws BadValue {
    int colon = raw.indexOf(':');
    if (colon < 0) {
      int p = port(raw, ctx);
      return new PortRange(p, p);
    }
    String a = raw.substring(0, colon);
    String b = raw.substring(colon + 1);
    int from = a.isEmpty() ? 0 : port(a, ctx);
    int to = b.isEmpty() ? 65535 : port(b, ctx);
    if (from > to) throw new BadValue("invalid portrange (min > max)");
    return new PortRange(from, to);
  }

  public static int port(String s, ValueContext ctx) throws BadValue {
    Optional<Long> n = Numbers.parseUnsigned(s, 10);
    if (n.isPresent() && n.get() <= 65535) return (int) (long) n.get();
    String proto = ctx.protocol().orElse("tcp");
    Optional<Integer> named = Services.port(s, proto);
    if (named.isPresent()) return named.get();
    throw new BadValue("invalid port/service `" + s + "' specified");
  }

  /** multiport's comma list: at most 15 entries, a range counting as two. */
  public static final ValueParser MULTIPORT = (raw, ctx) -> {
    List<PortRange> ranges = new ArrayList<>();
    int slots = 0;
    for (String part : raw.split(",", -1)) {
      PortRange r = portRange(part, ctx);
      slots += part.contains(":") ? 2 : 1;
      ranges.add(r);
    }
    if (slots > 15) throw new BadValue("too many ports specified", "multiport takes at most 15 ports (a range counts as two)");
    return new PortList(ranges);
  };

  /** An unsigned number or range "A:B" (also "A-B" where the module allows it). */
  public static ValueParser numberRange(long max, String what) {
    return (raw, ctx) -> {
      String[] ab = raw.split("[:-]", 2);
      Optional<Long> a = Numbers.parseUnsigned(ab[0], 0);
      Optional<Long> b = ab.length > 1 ? Numbers.parseUnsigned(ab[1], 0) : a;
      if (a.isEmpty() || b.isEmpty() || a.get() > max || b.get() > max)
        throw new BadValue("invalid " + what + " \"" + raw + "\"");
      if (a.get() > b.get()) throw new BadValue("invalid " + what + " range \"" + raw + "\" (min > max)");
      return new NumberRange(a.get(), b.get());
    };
  }

  public static ValueParser number(long min, long max, String what) {
    return (raw, ctx) -> {
      Optional<Long> a = Numbers.parseUnsigned(raw, 0);
      if (a.isEmpty() || a.get() < min || a.get() > max)
        throw new BadValue("invalid " + what + " \"" + raw + "\" (expected " + min + "-" + max + ")");
      return new NumberRange(a.get(), a.get());
    };
  }

  /** {@code value[/mask]} in decimal or hex, as for --mark and --set-mark. */
  public static final ValueParser MARK = (raw, ctx) -> {
    int slash = raw.indexOf('/');
    Optional<Long> v = Numbers.parseUnsigned(slash < 0 ? raw : raw.substring(0, slash), 0);
    Optional<Long> m = slash < 0 ? Optional.of(MarkValue.FULL) : Numbers.parseUnsigned(raw.substring(slash + 1), 0);
    if (v.isEmpty() || m.isEmpty() || v.get() > MarkValue.FULL || m.get() > MarkValue.FULL)
      throw new BadValue("bad mark value \"" + raw + "\"");
    return new MarkValue(v.get(), m.get());
  };

  /** A comma list of names from a fixed set, compared case-insensitively. */
  public static ValueParser names(String what, String... allowed) {
    Set<String> ok = Set.of(Arrays.stream(allowed).map(s -> s.toUpperCase(Locale.ROOT)).toArray(String[]::new));
    return (raw, ctx) -> {
      List<String> out = new ArrayList<>();
      for (String p : raw.split(",", -1)) {
        String up = p.toUpperCase(Locale.ROOT);
        if (!ok.contains(up)) {
          String hint = Suggest.closest(up, ok).map(s -> "did you mean \"" + s + "\"?").orElse("valid: " + String.join(",", allowed));
          throw new BadValue("bad " + what + " \"" + p + "\"", hint);
        }
        out.add(up);
      }
      return new NameSet(out);
    };
  }

  /** One name from a fixed set. */
  public static ValueParser oneOf(String what, String... allowed) {
    Set<String> ok = Set.of(allowed);
    return (raw, ctx) -> {
      if (!ok.contains(raw)) {
        String hint = Suggest.closest(raw, ok).map(s -> "did you mean \"" + s + "\"?").orElse("valid: " + String.join(", ", allowed));
        throw new BadValue("bad " + what + " \"" + raw + "\"", hint);
      }
      return new NameSet(List.of(raw));
    };
  }
}
