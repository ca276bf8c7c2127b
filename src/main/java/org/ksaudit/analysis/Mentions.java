package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.Set;
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
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.InterfaceName;
import org.ksaudit.model.value.IpText;
import org.ksaudit.model.value.PortList;
import org.ksaudit.model.value.PortRange;
import org.ksaudit.model.value.Text;

/**
 * The interface names, addresses and ports a ruleset mentions: what the interface universe is
 * built from, and where witnesses and probes look for telling values (a rule's own address,
 * a port at a range boundary).
 */
public record Mentions(Set<InterfaceName> interfaces, Set<Cidr> prefixes, Set<BigInteger> addresses, Set<Integer> ports) {
  /**
   * The sets keep the order of first mention. Set.copyOf would not: its iteration order
   * changes from one run of the JVM to the next, and the interface classes, and with them the
   * witnesses and the interface lists of findings, follow this order.
   */
  public Mentions {
    interfaces = inOrder(interfaces);
    prefixes = inOrder(prefixes);
    addresses = inOrder(addresses);
    ports = inOrder(ports);
  }

  private static <T> Set<T> inOrder(Set<T> s) {
    return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(s));
  }

  /** What one ruleset mentions (addresses are of its family). */
  public static Mentions of(Ruleset rs) {
    Set<InterfaceName> ifs = new LinkedHashSet<>();
    Set<Cidr> prefixes = new LinkedHashSet<>();
    Set<BigInteger> addrs = new LinkedHashSet<>();
    Set<Integer> ports = new LinkedHashSet<>();
    {
      for (Table t : rs.tables()) {
        for (Chain c : t.chains()) {
          for (Rule r : c.rules()) {
            for (Match m : r.matches()) for (Option o : m.options()) collect(o, ifs, prefixes, addrs, ports);
            r.target().ifPresent(tg -> {
              for (Option o : tg.options()) collect(o, ifs, prefixes, addrs, ports);
              dnatAddresses(rs, tg, addrs);
            });
          }
        }
      }
    }
    return new Mentions(ifs, prefixes, addrs, ports);
  }

  private static void collect(Option o, Set<InterfaceName> ifs, Set<Cidr> prefixes, Set<BigInteger> addrs, Set<Integer> ports) {
    if (o.value() instanceof InterfaceName n) ifs.add(n);
    if (o.value() instanceof AddressList a) {
      for (Cidr c : a.cidrs()) {
        prefixes.add(c);
        addrs.add(c.first());
        addrs.add(c.last());
      }
    }
    if (o.value() instanceof AddressRange r) {
      addrs.add(r.from());
      addrs.add(r.to());
    }
    if (o.value() instanceof PortList pl) {
      for (PortRange p : pl.ranges()) {
        ports.add(p.from());
        ports.add(p.to());
      }
    }
  }

  private static void dnatAddresses(Ruleset rs, Target tg, Set<BigInteger> addrs) {
    if (!tg.name().equals("DNAT")) return;
    tg.option("--to-destination").ifPresent(o -> {
      if (!(o.value() instanceof Text t)) return;
      String s = t.text().trim();
      String host;
      if (rs.family() == Family.IPV4) host = s.split(":")[0];
      else host = s.startsWith("[") && s.indexOf(']') > 0 ? s.substring(1, s.indexOf(']')) : s;
      for (String part : host.split("-")) IpText.parse(rs.family(), part).ifPresent(addrs::add);
    });
  }
}
