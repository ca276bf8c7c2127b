package org.ksaudit.check;

import java.util.List;
import java.util.Map;
import org.ksaudit.analysis.AddrType;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.RuleDecoder;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.model.Family;
import org.ksaudit.model.Table;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;

/**
 * What the OUTPUT leak checks weigh each rule's packets against, for one ruleset: the VPN
 * servers (given with --endpoint, else inferred from the rules) and the traffic to them that
 * is meant to leave in clear, the LANs declared with --allow-lan, the packets no uplink
 * carries, and the kinds of traffic the checks tell apart, each defined by its check.
 *
 * @param endpointAddrs the servers' addresses, any port
 * @param vpn the usual VPN protocols' ports and the servers' addresses and ports
 * @param notUplink packets through an interface only a wildcard such as {@code -o lo+} reaches
 *     (KS112 reports the wildcard), and packets the kernel never sends
 */
record LeakScene(RulesetAnalysis analysis, SetScope scope, Family family, List<Endpoint> endpoints, PacketSet intended,
    PacketSet endpointAddrs, PacketSet vpn, PacketSet declaredLan, PacketSet dns, PacketSet privateRanges, PacketSet link,
    PacketSet fromLink, PacketSet broadcast, PacketSet notUplink) {
  LeakScene {
    endpoints = List.copyOf(endpoints);
  }

  /** The scene of a ruleset whose rules let out {@code leaks} as new connections and {@code marked} as marked packets. */
  static LeakScene of(AuditContext ctx, RulesetAnalysis a, SetScope s, Map<Decider, PacketSet> leaks,
      Map<Decider, PacketSet> marked) {
    Family fam = a.ruleset().family();
    List<Endpoint> endpoints = VpnEndpointCheck.endpoints(ctx, a, leaks, marked);
    PacketSet notUplink = s.leavingThrough(InterfaceWildcardCheck.localOnly(a)).or(neverSent(s));
    return new LeakScene(a, s, fam, endpoints, VpnEndpointCheck.intended(s, endpoints), VpnEndpointCheck.addresses(s, endpoints),
        VpnEndpointCheck.selection(s, endpoints), LanExemptionCheck.declared(ctx, s, fam), DnsLeakCheck.dns(s),
        LanExemptionCheck.privateRanges(s, fam), LinkScope.set(s, fam), LinkScope.fromLinkLocal(s, fam),
        s.dstTypeIn(List.of(AddrType.BROADCAST)), notUplink);
  }

  /**
   * Packets the kernel never sends, whatever the rules say: TCP to a multicast or broadcast
   * address (connect() refuses it).
   */
  static PacketSet neverSent(SetScope s) {
    return s.where(PacketField.PROTO, Packet.TCP).and(s.dstTypeIn(List.of(AddrType.MULTICAST, AddrType.BROADCAST)));
  }

  static Cidr cidr(Family f, String a, int p) {
    return new Cidr(f, IpText.parse(f, a).orElseThrow(), p);
  }

  /** A rule of the ruleset as the engine reads it. */
  static RuleDecoder.Decoded decode(RulesetAnalysis a, Decider d) {
    Table t = a.ruleset().table(d.table()).orElseThrow();
    return a.decode(t, d.rule().orElseThrow());
  }
}
