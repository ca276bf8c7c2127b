package org.ksaudit.catalog;

import static org.ksaudit.catalog.Checks.*;
import static org.ksaudit.catalog.ValueParsers.*;

import org.ksaudit.model.Family;

/** The match modules: names and options as in the iptables-extensions(8) manual. */
final class MatchDefinitions {
  private MatchDefinitions() {}

  private static ExtensionBuilder m(String name) {
    return new ExtensionBuilder(name);
  }

  static final ValueParser CT_STATES =
      names("state", "INVALID", "ESTABLISHED", "NEW", "RELATED", "UNTRACKED", "SNAT", "DNAT");
  static final ValueParser STATE_STATES = names("state", "INVALID", "ESTABLISHED", "NEW", "RELATED", "UNTRACKED");
  static final ValueParser ADDR_TYPES = names(
      "address type", "UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE",
      "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE");
  static final ValueParser TCP_FLAGS = names("TCP flag", "SYN", "ACK", "FIN", "RST", "URG", "PSH", "ALL", "NONE");

  static void register(Catalog c) {
    c.addMatch(m("tcp")
        .neg(PORT_RANGE, "--sport", "--source-port")
        .neg(PORT_RANGE, "--dport", "--destination-port")
        .flag(true, "--syn")
        .neg(TEXT, "--tcp-flags")
        .neg(number(0, 255, "TCP option number"), "--tcp-option")
        .check(needsProtocol("tcp", "tcp")));
    c.addMatch(m("udp")
        .neg(PORT_RANGE, "--sport", "--source-port")
        .neg(PORT_RANGE, "--dport", "--destination-port")
        .check(needsProtocol("udp", "udp")));
    c.addMatch(m("udplite")
        .neg(PORT_RANGE, "--sport", "--source-port")
        .neg(PORT_RANGE, "--dport", "--destination-port"));
    c.addMatch(m("sctp")
        .neg(PORT_RANGE, "--sport", "--source-port")
        .neg(PORT_RANGE, "--dport", "--destination-port")
        .neg(TEXT, "--chunk-types")
        .check(needsProtocol("sctp", "sctp")));
    c.addMatch(m("dccp")
        .neg(PORT_RANGE, "--sport", "--source-port")
        .neg(PORT_RANGE, "--dport", "--destination-port")
        .neg(TEXT, "--dccp-types")
        .neg(number(0, 255, "DCCP option"), "--dccp-option")
        .check(needsProtocol("dccp", "dccp")));
    c.addMatch(m("icmp").only(Family.IPV4)
        .neg(IcmpTypes.PARSER, "--icmp-type")
        .check(needsProtocol("icmp", "icmp")));
    c.addMatch(m("icmp6").only(Family.IPV6)
        .neg(IcmpTypes.PARSER, "--icmpv6-type")
        .check(needsProtocol("icmp6", "icmpv6", "ipv6-icmp", "icmp6")));
    c.addMatch(m("multiport")
        .neg(MULTIPORT, "--sports", "--source-ports")
        .neg(MULTIPORT, "--dports", "--destination-ports")
        .neg(MULTIPORT, "--ports")
        .check(needsOneOf("multiport", "--sports", "--dports", "--ports"))
        .check(exclusive("multiport", "--sports", "--dports", "--ports"))
        .check(needsProtocol("multiport", "tcp", "udp", "udplite", "sctp", "dccp")));
    c.addMatch(m("state").neg(STATE_STATES, "--state").check(needsOneOf("state", "--state")));
    c.addMatch(m("conntrack")
        .neg(CT_STATES, "--ctstate")
        .neg(TEXT, "--ctproto")
        .neg(ADDRESS, "--ctorigsrc")
        .neg(ADDRESS, "--ctorigdst")
        .neg(ADDRESS, "--ctreplsrc")
        .neg(ADDRESS, "--ctrepldst")
        .neg(PORT_RANGE, "--ctorigsrcport")
        .neg(PORT_RANGE, "--ctorigdstport")
        .neg(PORT_RANGE, "--ctreplsrcport")
        .neg(PORT_RANGE, "--ctrepldstport")
        .neg(names("status", "NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"), "--ctstatus")
        .neg(numberRange(0xffffffffL, "expire time"), "--ctexpire")
        .val(oneOf("direction", "ORIGINAL", "REPLY"), "--ctdir")
        .check(needsOneOf("conntrack", "--ctstate", "--ctproto", "--ctorigsrc", "--ctorigdst", "--ctreplsrc",
            "--ctrepldst", "--ctorigsrcport", "--ctorigdstport", "--ctreplsrcport", "--ctrepldstport", "--ctstatus",
            "--ctexpire", "--ctdir")));
    c.addMatch(m("iprange").neg(ADDRESS_RANGE, "--src-range").neg(ADDRESS_RANGE, "--dst-range"));
    c.addMatch(m("owner")
        .neg(numberRange(0xffffffffL, "uid"), "--uid-owner")
        .neg(numberRange(0xffffffffL, "gid"), "--gid-owner")
        .flag(true, "--suppl-groups")
        .flag(true, "--socket-exists")
        .check(onlyFromHooks("owner match", "OUTPUT", "POSTROUTING")));
    c.addMatch(m("mark").neg(MARK, "--mark").check(needsOneOf("mark", "--mark")));
    c.addMatch(m("connmark").neg(MARK, "--mark").check(needsOneOf("connmark", "--mark")));
    c.addMatch(m("addrtype")
        .neg(ADDR_TYPES, "--src-type")
        .neg(ADDR_TYPES, "--dst-type")
        .flag(false, "--limit-iface-in")
        .flag(false, "--limit-iface-out")
        .check(exclusive("addrtype", "--limit-iface-in", "--limit-iface-out")));
    c.addMatch(m("comment").val(text(255, "comment"), "--comment").check(needsOneOf("comment", "--comment")));
    c.addMatch(m("limit").val(TEXT, "--limit").val(number(0, 10000, "burst"), "--limit-burst"));
    c.addMatch(m("hashlimit")
        .val(TEXT, "--hashlimit-upto").val(TEXT, "--hashlimit-above").val(TEXT, "--hashlimit")
        .val(number(0, 10000, "burst"), "--hashlimit-burst").val(TEXT, "--hashlimit-mode")
        .val(TEXT, "--hashlimit-name").val(TEXT, "--hashlimit-srcmask").val(TEXT, "--hashlimit-dstmask")
        .val(TEXT, "--hashlimit-htable-size").val(TEXT, "--hashlimit-htable-max")
        .val(TEXT, "--hashlimit-htable-expire").val(TEXT, "--hashlimit-htable-gcinterval")
        .val(TEXT, "--hashlimit-rate-match").val(TEXT, "--hashlimit-rate-interval"));
    c.addMatch(m("recent")
        .val(TEXT, "--name").flag(true, "--set").flag(true, "--rcheck").flag(true, "--update").flag(true, "--remove")
        .flag(false, "--rsource").flag(false, "--rdest").val(TEXT, "--mask")
        .val(number(0, 0xffffffffL, "seconds"), "--seconds").flag(false, "--reap")
        .val(number(0, 0xffffffffL, "hitcount"), "--hitcount").flag(false, "--rttl"));
    c.addMatch(m("set").neg(TEXT, "--match-set").flag(false, "--return-nomatch")
        .flag(true, "--update-counters").flag(true, "--update-subcounters")
        .neg(TEXT, "--packets-eq").neg(TEXT, "--packets-lt").neg(TEXT, "--packets-gt")
        .neg(TEXT, "--bytes-eq").neg(TEXT, "--bytes-lt").neg(TEXT, "--bytes-gt"));
    c.addMatch(m("physdev")
        .neg(INTERFACE, "--physdev-in").neg(INTERFACE, "--physdev-out")
        .flag(true, "--physdev-is-in").flag(true, "--physdev-is-out").flag(true, "--physdev-is-bridged"));
    c.addMatch(m("pkttype").neg(oneOf("packet type", "unicast", "broadcast", "multicast", "host", "otherhost"),
        "--pkt-type"));
    c.addMatch(m("mac").neg(MacAddress.PARSER, "--mac-source")
        .check(onlyFromHooks("mac match", "PREROUTING", "INPUT", "FORWARD")));
    c.addMatch(m("string")
        .val(oneOf("algorithm", "bm", "kmp"), "--algo").val(number(0, 65535, "offset"), "--from")
        .val(number(0, 65535, "offset"), "--to").neg(TEXT, "--string").neg(TEXT, "--hex-string").flag(false, "--icase")
        .check(needsOneOf("string", "--string", "--hex-string")));
    c.addMatch(m("length").neg(numberRange(65535, "length"), "--length"));
    c.addMatch(m("ttl").only(Family.IPV4)
        .neg(number(0, 255, "TTL"), "--ttl-eq").val(number(0, 255, "TTL"), "--ttl-lt")
        .val(number(0, 255, "TTL"), "--ttl-gt"));
    c.addMatch(m("hl").only(Family.IPV6)
        .neg(number(0, 255, "hop limit"), "--hl-eq").val(number(0, 255, "hop limit"), "--hl-lt")
        .val(number(0, 255, "hop limit"), "--hl-gt"));
    c.addMatch(m("tos").neg(TEXT, "--tos"));
    c.addMatch(m("dscp").neg(number(0, 63, "DSCP"), "--dscp").neg(TEXT, "--dscp-class"));
    c.addMatch(m("ecn").flag(true, "--ecn-tcp-cwr").flag(true, "--ecn-tcp-ece").neg(number(0, 3, "ECN"), "--ecn-ip-ect"));
    c.addMatch(m("policy")
        .val(oneOf("direction", "in", "out"), "--dir").val(oneOf("policy", "none", "ipsec"), "--pol")
        .flag(false, "--strict").neg(TEXT, "--reqid").neg(TEXT, "--spi").neg(TEXT, "--proto").neg(TEXT, "--mode")
        .neg(TEXT, "--tunnel-src").neg(TEXT, "--tunnel-dst").flag(false, "--next")
        .check(needsOneOf("policy", "--dir")));
    c.addMatch(m("statistic")
        .val(oneOf("mode", "random", "nth"), "--mode").neg(TEXT, "--probability")
        .neg(number(1, 0xffffffffL, "every"), "--every").val(number(0, 0xffffffffL, "packet"), "--packet"));
    c.addMatch(m("cgroup").neg(TEXT, "--path").neg(number(0, 0xffffffffL, "classid"), "--cgroup"));
    c.addMatch(m("socket").flag(false, "--transparent").flag(false, "--nowildcard").flag(false, "--restore-skmark"));
    c.addMatch(m("rpfilter").flag(false, "--loose").flag(false, "--validmark").flag(false, "--accept-local")
        .flag(false, "--invert").tables("raw", "mangle"));
    c.addMatch(m("helper").neg(TEXT, "--helper"));
    c.addMatch(m("connlimit")
        .val(number(0, 0xffffffffL, "limit"), "--connlimit-upto").val(number(0, 0xffffffffL, "limit"), "--connlimit-above")
        .val(TEXT, "--connlimit-mask").flag(false, "--connlimit-saddr").flag(false, "--connlimit-daddr"));
    c.addMatch(m("connbytes").neg(TEXT, "--connbytes").val(TEXT, "--connbytes-dir").val(TEXT, "--connbytes-mode"));
    c.addMatch(m("devgroup").neg(TEXT, "--src-group").neg(TEXT, "--dst-group"));
    c.addMatch(m("realm").neg(TEXT, "--realm"));
    c.addMatch(m("quota").neg(number(0, Long.MAX_VALUE, "quota"), "--quota"));
    c.addMatch(m("time")
        .val(TEXT, "--datestart").val(TEXT, "--datestop").val(TEXT, "--timestart").val(TEXT, "--timestop")
        .neg(TEXT, "--monthdays").neg(TEXT, "--weekdays").flag(false, "--kerneltz").flag(false, "--localtz")
        .flag(false, "--contiguous").flag(false, "--utc"));
    c.addMatch(m("tcpmss").neg(numberRange(65535, "MSS"), "--mss"));
    c.addMatch(m("u32").neg(TEXT, "--u32"));
    c.addMatch(m("bpf").val(TEXT, "--bytecode").val(TEXT, "--object-pinned"));
    c.addMatch(m("osf").neg(TEXT, "--genre").val(TEXT, "--ttl").val(TEXT, "--log"));
    c.addMatch(m("ah").neg(TEXT, "--ahspi"));
    c.addMatch(m("esp").neg(TEXT, "--espspi"));
    c.addMatch(m("frag").only(Family.IPV6).neg(TEXT, "--fragid").neg(TEXT, "--fraglen").flag(false, "--fragres")
        .flag(false, "--fragfirst").flag(false, "--fragmore").flag(false, "--fraglast"));
    c.addMatch(m("ipv6header").only(Family.IPV6).neg(TEXT, "--header").flag(false, "--soft"));
    c.addMatch(m("rt").only(Family.IPV6).neg(TEXT, "--rt-type").neg(TEXT, "--rt-segsleft").neg(TEXT, "--rt-len")
        .flag(false, "--rt-0-res").val(TEXT, "--rt-0-addrs").flag(false, "--rt-0-not-strict"));
    c.addMatch(m("hbh").only(Family.IPV6).neg(TEXT, "--hbh-len").val(TEXT, "--hbh-opts"));
    c.addMatch(m("dst").only(Family.IPV6).neg(TEXT, "--dst-len").val(TEXT, "--dst-opts"));
    c.addMatch(m("mh").only(Family.IPV6).neg(TEXT, "--mh-type"));
    c.addMatch(m("eui64").only(Family.IPV6));
    c.addMatch(m("ipvs").flag(true, "--ipvs").neg(TEXT, "--vproto").neg(TEXT, "--vaddr").neg(TEXT, "--vport")
        .val(TEXT, "--vdir").neg(TEXT, "--vmethod").neg(TEXT, "--vportctl"));
    c.addMatch(m("cluster").val(TEXT, "--cluster-total-nodes").neg(TEXT, "--cluster-local-node")
        .neg(TEXT, "--cluster-local-nodemask").val(TEXT, "--cluster-hash-seed"));
    c.addMatch(m("nfacct").val(TEXT, "--nfacct-name"));
    c.addMatch(m("ipcomp").neg(TEXT, "--ipcompspi").flag(false, "--compres"));
    c.addMatch(m("l2tp").val(TEXT, "--tid").val(TEXT, "--sid").val(TEXT, "--pversion").val(TEXT, "--type"));
  }
}
