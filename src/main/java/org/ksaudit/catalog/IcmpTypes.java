package org.ksaudit.catalog;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.IcmpType;

/** ICMP and ICMPv6 type names as libxt_icmp / libip6t_icmp6 know them, and "TYPE[/CODE]". */
public final class IcmpTypes {
  private IcmpTypes() {}

  private static final Map<String, IcmpType> V4 = new LinkedHashMap<>();
  private static final Map<String, IcmpType> V6 = new LinkedHashMap<>();

  static {
    v4("any", 255, 0, 255, true);
    v4("echo-reply", 0, 0, 255, false);
    v4("pong", 0, 0, 255, false);
    v4("destination-unreachable", 3, 0, 255, false);
    v4("network-unreachable", 3, 0, 0, false);
    v4("host-unreachable", 3, 1, 1, false);
    v4("protocol-unreachable", 3, 2, 2, false);
    v4("port-unreachable", 3, 3, 3, false);
    v4("fragmentation-needed", 3, 4, 4, false);
    v4("source-route-failed", 3, 5, 5, false);
    v4("network-unknown", 3, 6, 6, false);
    v4("host-unknown", 3, 7, 7, false);
    v4("network-prohibited", 3, 9, 9, false);
    v4("host-prohibited", 3, 10, 10, false);
    v4("TOS-network-unreachable", 3, 11, 11, false);
    v4("TOS-host-unreachable", 3, 12, 12, false);
    v4("communication-prohibited", 3, 13, 13, false);
    v4("host-precedence-violation", 3, 14, 14, false);
    v4("precedence-cutoff", 3, 15, 15, false);
    v4("source-quench", 4, 0, 255, false);
    v4("redirect", 5, 0, 255, false);
    v4("network-redirect", 5, 0, 0, false);
    v4("host-redirect", 5, 1, 1, false);
    v4("TOS-network-redirect", 5, 2, 2, false);
    v4("TOS-host-redirect", 5, 3, 3, false);
    v4("echo-request", 8, 0, 255, false);
    v4("ping", 8, 0, 255, false);
    v4("router-advertisement", 9, 0, 255, false);
    v4("router-solicitation", 10, 0, 255, false);
    v4("time-exceeded", 11, 0, 255, false);
    v4("ttl-exceeded", 11, 0, 255, false);
    v4("ttl-zero-during-transit", 11, 0, 0, false);
    v4("ttl-zero-during-reassembly", 11, 1, 1, false);
    v4("parameter-problem", 12, 0, 255, false);
    v4("ip-header-bad", 12, 0, 0, false);
    v4("required-option-missing", 12, 1, 1, false);
    v4("timestamp-request", 13, 0, 255, false);
    v4("timestamp-reply", 14, 0, 255, false);
    v4("address-mask-request", 17, 0, 255, false);
    v4("address-mask-reply", 18, 0, 255, false);

    v6("destination-unreachable", 1, 0, 255);
    v6("no-route", 1, 0, 0);
    v6("communication-prohibited", 1, 1, 1);
    v6("beyond-scope", 1, 2, 2);
    v6("address-unreachable", 1, 3, 3);
    v6("port-unreachable", 1, 4, 4);
    v6("failed-policy", 1, 5, 5);
    v6("reject-route", 1, 6, 6);
    v6("packet-too-big", 2, 0, 255);
    v6("time-exceeded", 3, 0, 255);
    v6("ttl-exceeded", 3, 0, 255);
    v6("ttl-zero-during-transit", 3, 0, 0);
    v6("ttl-zero-during-reassembly", 3, 1, 1);
    v6("parameter-problem", 4, 0, 255);
    v6("bad-header", 4, 0, 0);
    v6("unknown-header-type", 4, 1, 1);
    v6("unknown-option", 4, 2, 2);
    v6("echo-request", 128, 0, 255);
    v6("ping", 128, 0, 255);
    v6("echo-reply", 129, 0, 255);
    v6("pong", 129, 0, 255);
    v6("mld-listener-query", 130, 0, 255);
    v6("mld-listener-report", 131, 0, 255);
    v6("mld-listener-done", 132, 0, 255);
    v6("mld-listener-reduction", 132, 0, 255);
    v6("router-solicitation", 133, 0, 255);
    v6("router-advertisement", 134, 0, 255);
    v6("neighbour-solicitation", 135, 0, 255);
    v6("neighbor-solicitation", 135, 0, 255);
    v6("neighbour-advertisement", 136, 0, 255);
    v6("neighbor-advertisement", 136, 0, 255);
    v6("redirect", 137, 0, 255);
  }

  private static void v4(String n, int t, int c0, int c1, boolean any) {
    V4.put(n, new IcmpType(t, c0, c1, any));
  }

  private static void v6(String n, int t, int c0, int c1) {
    V6.put(n, new IcmpType(t, c0, c1, false));
  }

  public static java.util.Set<String> names(Family f) {
    return (f == Family.IPV4 ? V4 : V6).keySet();
  }

  /**
   * Parses a type the way libxt_icmp / libip6t_icmp6 do: a case-insensitive prefix of one name
   * ("echo-req"), refused when it is the prefix of several; otherwise TYPE[/CODE] in C number
   * syntax.
   */
  public static IcmpType parse(Family family, String raw) throws BadValue {
    Map<String, IcmpType> table = family == Family.IPV4 ? V4 : V6;
    String found = null;
    for (String name : table.keySet()) {
      if (name.length() >= raw.length() && name.regionMatches(true, 0, raw, 0, raw.length())) {
        if (found != null)
          throw new BadValue("ambiguous ICMP" + (family == Family.IPV6 ? "v6" : "") + " type `" + raw + "': `"
              + found + "' or `" + name + "'?", "write the full name");
        found = name;
      }
    }
    if (found != null) return table.get(found);
    int slash = raw.indexOf('/');
    String t = slash < 0 ? raw : raw.substring(0, slash);
    Optional<Long> type = Numbers.xtables(t, 0, 255);
    if (type.isEmpty())
      throw new BadValue("invalid ICMP" + (family == Family.IPV6 ? "v6" : "") + " type `" + raw + "' specified",
          Suggest.closest(raw.toLowerCase(Locale.ROOT), table.keySet()).map(s -> "did you mean \"" + s + "\"?").orElse(null));
    if (slash < 0) return new IcmpType((int) (long) type.get(), 0, 255, false);
    Optional<Long> code = Numbers.xtables(raw.substring(slash + 1), 0, 255);
    if (code.isEmpty()) throw new BadValue("invalid ICMP code `" + raw.substring(slash + 1) + "' specified");
    int c = (int) (long) code.get();
    return new IcmpType((int) (long) type.get(), c, c, false);
  }

  static final ValueParser PARSER = (raw, ctx) -> parse(ctx.family(), raw);
}
