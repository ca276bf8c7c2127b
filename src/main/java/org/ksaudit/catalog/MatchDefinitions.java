package org.ksaudit.catalog;

import static org.ksaudit.catalog.Checks.*;
import static org.ksaudit.catalog.ExtensionParsers.*;
import static org.ksaudit.catalog.ValueParsers.*;

import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.NumberRange;

/**
 * The match modules: names and options as libxtables 1.8 declares them (the x6 option tables
 * and the older hand-written parsers), with the final checks libxtables makes and the checks
 * the kernel makes when the rule is loaded.
 */
final class MatchDefinitions {
  private MatchDefinitions() {}

  private static ExtensionBuilder m(String name) {
    return new ExtensionBuilder(name);
  }

  static final ValueParser CT_STATES =
      prefixNames("ctstate", "INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED", "SNAT", "DNAT");
  static final ValueParser STATE_STATES = prefixNames("state", "INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED");
  static final ValueParser CT_STATUS = prefixNames("ctstatus", "NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED");
  static final long U32 = 0xffffffffL;
  /**
   * libxt_connbytes: FROM[:TO], FROM at most TO. One number means FROM and above: the
   * extension sets TO to UINT64_MAX (all bits set, -1 as a signed long) unless a TO is given.
   */
  static final ValueParser CONNBYTES = (raw, ctx) -> {
    NumberRange r = (NumberRange) orderedNumberRange(0xffffffffffffffffL, "count").parse(raw, ctx);
    return raw.indexOf(':') < 0 ? new NumberRange(r.from(), 0xffffffffffffffffL) : r;
  };

  /** libxt_statistic: random mode takes --probability, nth mode --every (and --packet). */
  private static java.util.Optional<BadValue> statisticMode(RuleView r) {
    boolean nth = r.value("--mode").map(v -> v.toString().contains("nth")).orElse(false);
    if (nth && r.has("--probability")) return java.util.Optional.of(new BadValue("statistic: --probability can only be used in random mode"));
    if (!nth && (r.has("--every") || r.has("--packet")))
      return java.util.Optional.of(new BadValue("statistic: --every and --packet can only be used in nth mode"));
    if (nth && !r.has("--every")) return java.util.Optional.of(new BadValue("statistic: nth mode needs --every"));
    if (!nth && r.has("--mode") && !r.has("--probability"))
      return java.util.Optional.of(new BadValue("statistic: random mode needs --probability"));
    return java.util.Optional.empty();
  }

  private static int secondsOfDay(RuleView r, String option) {
    String t = r.value(option).map(v -> v instanceof org.ksaudit.model.value.Text x ? x.text() : "").orElse("");
    int s = 0;
    String[] f = t.split(":", -1);
    for (int i = 0; i < 3; i++) s = s * 60 + (i < f.length && !f[i].isEmpty() ? Integer.parseInt(f[i]) : 0);
    return s;
  }

  /**
   * xt_physdev: the bridge port a packet leaves by is not known yet in OUTPUT, so the kernel
   * refuses --physdev-out and --physdev-is-out reached from OUTPUT unless the rule also says
   * --physdev-is-bridged (not negated).
   */
  private static final CrossCheck PHYSDEV_OUT_NEEDS_BRIDGED = r -> {
    boolean out = r.has("--physdev-out") || r.has("--physdev-is-out");
    boolean bridged = r.matches().stream().flatMap(m -> m.options().stream())
        .anyMatch(o -> o.name().equals("--physdev-is-bridged") && !o.negated());
    if (!out || bridged) return Optional.empty();
    return onlyFromHooks("physdev --physdev-out/--physdev-is-out without --physdev-is-bridged", "PREROUTING", "INPUT",
        "FORWARD", "POSTROUTING").check(r);
  };

  static void register(Catalog c) {
    c.addMatch(m("tcp")
        .neg(tcpPorts("tcp"), "--sport", "--source-port")
        .neg(tcpPorts("tcp"), "--dport", "--destination-port")
        .flag(true, "--syn")
        .pair(true, TCP_FLAGS, "--tcp-flags")
        .neg(number(1, 255, "TCP option"), "--tcp-option")
        .check(exclusive("tcp", "--syn", "--tcp-flags"))
        .ruleCheck(needsProtocol("tcp", "tcp", 6)));
    c.addMatch(m("udp")
        .neg(PORT_RC, "--sport", "--source-port")
        .neg(PORT_RC, "--dport", "--destination-port")
        .ruleCheck(needsProtocol("udp", "udp", 17)));
    c.addMatch(m("sctp")
        .neg(tcpPorts("sctp"), "--sport", "--source-port")
        .neg(tcpPorts("sctp"), "--dport", "--destination-port")
        .pair(true, (a, b, ctx) -> new org.ksaudit.model.value.Text(a + " " + b), "--chunk-types")
        .ruleCheck(needsProtocol("sctp", "sctp", 132)));
    c.addMatch(m("dccp")
        .neg(PORT_RC, "--sport", "--source-port")
        .neg(PORT_RC, "--dport", "--destination-port")
        .neg(names(true, true, "DCCP type", "REQUEST", "RESPONSE", "DATA", "ACK", "DATAACK", "CLOSEREQ", "CLOSE", "RESET", "SYNC",
            "SYNCACK", "INVALID"), "--dccp-types")
        .neg(number(0, 255, "DCCP option"), "--dccp-option")
        .ruleCheck(needsProtocol("dccp", "dccp", 33)));
    c.addMatch(m("icmp").only(Family.IPV4)
        .neg(IcmpTypes.PARSER, "--icmp-type")
        .check(mandatory("icmp", "--icmp-type"))
        .ruleCheck(needsProtocol("icmp", "icmp", 1)));
    c.addMatch(m("icmp6").only(Family.IPV6)
        .neg(IcmpTypes.PARSER, "--icmpv6-type")
        .check(mandatory("icmp6", "--icmpv6-type"))
        .ruleCheck(needsProtocol("icmp6", "icmpv6", 58)));
    c.addMatch(m("multiport")
        .neg(MULTIPORT, "--sports", "--source-ports")
        .neg(MULTIPORT, "--dports", "--destination-ports")
        .neg(MULTIPORT, "--ports")
        .check(needsOneOf("multiport", "--sports", "--dports", "--ports"))
        .check(exclusive("multiport", "--sports", "--dports", "--ports")));
    c.addMatch(m("state").neg(STATE_STATES, "--state").check(mandatory("state", "--state")));
    c.addMatch(m("conntrack")
        .neg(CT_STATES, "--ctstate")
        .neg(PROTOCOL, "--ctproto")
        .neg(HOST_MASK, "--ctorigsrc")
        .neg(HOST_MASK, "--ctorigdst")
        .neg(HOST_MASK, "--ctreplsrc")
        .neg(HOST_MASK, "--ctrepldst")
        .neg(PORT_RC, "--ctorigsrcport")
        .neg(PORT_RC, "--ctorigdstport")
        .neg(PORT_RC, "--ctreplsrcport")
        .neg(PORT_RC, "--ctrepldstport")
        .neg(CT_STATUS, "--ctstatus")
        .neg(numberRange(U32, "expire time"), "--ctexpire")
        .val(oneOf(true, "direction", "ORIGINAL", "REPLY"), "--ctdir")
        .check(needsOneOf("conntrack", "--ctstate", "--ctproto", "--ctorigsrc", "--ctorigdst", "--ctreplsrc",
            "--ctrepldst", "--ctorigsrcport", "--ctorigdstport", "--ctreplsrcport", "--ctrepldstport", "--ctstatus",
            "--ctexpire", "--ctdir")));
    c.addMatch(m("iprange").neg(IP_RANGE, "--src-range").neg(IP_RANGE, "--dst-range")
        .check(needsOneOf("iprange", "--src-range", "--dst-range")));
    c.addMatch(m("owner")
        .neg(ownerId(false), "--uid-owner")
        .neg(ownerId(true), "--gid-owner")
        .flag(true, "--suppl-groups")
        .flag(true, "--socket-exists")
        .check(needsOneOf("owner", "--uid-owner", "--gid-owner", "--socket-exists"))
        .check(requires("owner", "--suppl-groups", "--gid-owner"))
        .hookCheck(onlyFromHooks("the owner match", "OUTPUT", "POSTROUTING")));
    c.addMatch(m("mark").neg(MARK, "--mark").check(mandatory("mark", "--mark")));
    c.addMatch(m("connmark").neg(MARK, "--mark").check(mandatory("connmark", "--mark")));
    c.addMatch(m("addrtype")
        .neg(ADDR_TYPES, "--src-type")
        .neg(ADDR_TYPES, "--dst-type")
        .flag(false, "--limit-iface-in")
        .flag(false, "--limit-iface-out")
        .check(exclusive("addrtype", "--limit-iface-in", "--limit-iface-out"))
        .check(needsOneOf("addrtype", "--src-type", "--dst-type"))
        .hookCheck(r -> r.has("--limit-iface-in")
            ? onlyFromHooks("addrtype --limit-iface-in", "PREROUTING", "INPUT", "FORWARD").check(r)
            : java.util.Optional.empty())
        .hookCheck(r -> r.has("--limit-iface-out")
            ? onlyFromHooks("addrtype --limit-iface-out", "POSTROUTING", "OUTPUT", "FORWARD").check(r)
            : java.util.Optional.empty()));
    c.addMatch(m("comment").val(TEXT, "--comment").check(mandatory("comment", "--comment")));
    c.addMatch(m("limit").val(rate("--limit", 10000), "--limit").val(number(1, 9999, "burst"), "--limit-burst"));
    c.addMatch(m("hashlimit")
        .neg(rate("--hashlimit-upto", 1000000), "--hashlimit-upto").neg(rate("--hashlimit-above", 1000000), "--hashlimit-above")
        .neg(rate("--hashlimit", 1000000), "--hashlimit")
        .val(leadingNumber(0, 1, 0xfffffffeL, "burst"), "--hashlimit-burst").val(HASHLIMIT_MODE, "--hashlimit-mode")
        .val(RECENT_NAME, "--hashlimit-name").val(HASHLIMIT_MASK, "--hashlimit-srcmask")
        .val(HASHLIMIT_MASK, "--hashlimit-dstmask")
        .val(number(0, U32, "size"), "--hashlimit-htable-size").val(number(0, U32, "max"), "--hashlimit-htable-max")
        .val(number(0, U32, "expire"), "--hashlimit-htable-expire")
        .val(number(0, U32, "interval"), "--hashlimit-htable-gcinterval")
        .flag(false, "--hashlimit-rate-match").val(leadingNumber(10, 1, 0xfffffffeL, "interval"), "--hashlimit-rate-interval")
        .check(mandatory("hashlimit", "--hashlimit-name"))
        .check(needsOneOf("hashlimit", "--hashlimit-upto", "--hashlimit-above", "--hashlimit"))
        .check(exclusive("hashlimit", "--hashlimit-upto", "--hashlimit-above", "--hashlimit")));
    c.addMatch(m("recent")
        .val(RECENT_NAME, "--name").flag(true, "--set").flag(true, "--rcheck").flag(true, "--update")
        .flag(true, "--remove").flag(false, "--rsource").flag(false, "--rdest").val(HOST, "--mask")
        .val(number(1, U32, "seconds"), "--seconds").flag(false, "--reap")
        .val(number(0, 65535, "hitcount"), "--hitcount").flag(false, "--rttl")
        .check(needsOneOf("recent", "--set", "--rcheck", "--update", "--remove"))
        .check(exclusive("recent", "--set", "--rcheck", "--update", "--remove"))
        .check(requires("recent", "--reap", "--seconds")));
    c.addMatch(m("set").pair(true, SET_REF, "--match-set").flag(false, "--return-nomatch")
        .flag(true, "--update-counters").flag(true, "--update-subcounters")
        .neg(number(0, 0, "packets"), "--packets-eq").val(number(0, 0, "packets"), "--packets-lt")
        .val(number(0, 0, "packets"), "--packets-gt")
        .neg(number(0, 0, "bytes"), "--bytes-eq").val(number(0, 0, "bytes"), "--bytes-lt")
        .val(number(0, 0, "bytes"), "--bytes-gt")
        .check(mandatory("set", "--match-set")));
    c.addMatch(m("physdev")
        .neg(INTERFACE_OR_EMPTY, "--physdev-in").neg(INTERFACE_OR_EMPTY, "--physdev-out")
        .flag(true, "--physdev-is-in").flag(true, "--physdev-is-out").flag(true, "--physdev-is-bridged")
        .check(needsOneOf("physdev", "--physdev-in", "--physdev-out", "--physdev-is-in", "--physdev-is-out",
            "--physdev-is-bridged"))
        .hookCheck(PHYSDEV_OUT_NEEDS_BRIDGED));
    c.addMatch(m("pkttype").neg(PKT_TYPE, "--pkt-type").check(mandatory("pkttype", "--pkt-type")));
    c.addMatch(m("mac").neg(MacAddress.PARSER, "--mac-source")
        .check(mandatory("mac", "--mac-source"))
        .hookCheck(onlyFromHooks("the mac match", "PREROUTING", "INPUT", "FORWARD")));
    c.addMatch(m("string")
        .val(oneOf(false, "algorithm", "bm", "kmp"), "--algo").val(number(0, 65535, "offset"), "--from")
        .val(number(0, 65535, "offset"), "--to").neg(text(1, 128, "--string"), "--string")
        .neg(TEXT, "--hex-string").flag(false, "--icase")
        .check(mandatory("string", "--algo"))
        .check(needsOneOf("string", "--string", "--hex-string")));
    c.addMatch(m("length").neg(numberRange(65535, "length"), "--length").check(mandatory("length", "--length")));
    c.addMatch(m("ttl").only(Family.IPV4)
        .neg(number(0, 255, "TTL"), "--ttl-eq").val(number(0, 255, "TTL"), "--ttl-lt")
        .val(number(0, 255, "TTL"), "--ttl-gt")
        .check(needsOneOf("ttl", "--ttl-eq", "--ttl-lt", "--ttl-gt"))
        .check(exclusive("ttl", "--ttl-eq", "--ttl-lt", "--ttl-gt")));
    c.addMatch(m("hl").only(Family.IPV6)
        .neg(number(0, 255, "hop limit"), "--hl-eq").val(number(0, 255, "hop limit"), "--hl-lt")
        .val(number(0, 255, "hop limit"), "--hl-gt")
        .check(needsOneOf("hl", "--hl-eq", "--hl-lt", "--hl-gt"))
        .check(exclusive("hl", "--hl-eq", "--hl-lt", "--hl-gt")));
    c.addMatch(m("tos").neg(TOS, "--tos").check(mandatory("tos", "--tos")));
    c.addMatch(m("dscp").neg(number(0, 63, "DSCP"), "--dscp").neg(DSCP_CLASS, "--dscp-class")
        .check(needsOneOf("dscp", "--dscp", "--dscp-class")).check(exclusive("dscp", "--dscp", "--dscp-class")));
    c.addMatch(m("ecn").flag(true, "--ecn-tcp-cwr").flag(true, "--ecn-tcp-ece").neg(number(0, 3, "ECN"), "--ecn-ip-ect")
        .check(needsOneOf("ecn", "--ecn-tcp-cwr", "--ecn-tcp-ece", "--ecn-ip-ect")));
    c.addMatch(m("policy")
        .val(oneOf(false, "direction", "in", "out"), "--dir").val(oneOf(false, "policy", "none", "ipsec"), "--pol")
        .flag(false, "--strict").neg(number(0, U32, "reqid"), "--reqid").neg(number(0, U32, "spi"), "--spi")
        .neg(oneOf(false, "protocol", "ah", "esp", "ipcomp"), "--proto")
        .neg(oneOf(false, "mode", "transport", "tunnel"), "--mode")
        .neg(HOST_MASK, "--tunnel-src").neg(HOST_MASK, "--tunnel-dst").flag(false, "--next")
        .check(mandatory("policy", "--dir")).check(mandatory("policy", "--pol"))
        .check(requires("policy", "--tunnel-src", "--mode")).check(requires("policy", "--tunnel-dst", "--mode"))
        .check(requires("policy", "--next", "--strict"))
        .check(r -> r.has("--strict") && !(r.has("--reqid") || r.has("--spi") || r.has("--proto") || r.has("--mode")
            || r.has("--tunnel-src") || r.has("--tunnel-dst"))
            ? java.util.Optional.of(new BadValue("policy: --strict needs at least one policy element")) : java.util.Optional.empty())
        .hookCheck(r -> r.value("--dir").map(v -> v.toString().contains("in")).orElse(false)
            ? onlyFromHooks("policy --dir in", "PREROUTING", "INPUT", "FORWARD").check(r)
            : onlyFromHooks("policy --dir out", "POSTROUTING", "OUTPUT", "FORWARD").check(r)));
    c.addMatch(m("statistic")
        .val(oneOf(false, "mode", "random", "nth"), "--mode").neg(PROBABILITY, "--probability")
        .neg(number(1, U32, "every"), "--every").val(number(0, U32, "packet"), "--packet")
        .check(mandatory("statistic", "--mode"))
        .check(r -> statisticMode(r)));
    c.addMatch(m("cgroup").neg(text(1, 4095, "path"), "--path").neg(number(0, U32, "classid"), "--cgroup")
        .check(needsOneOf("cgroup", "--path", "--cgroup")).check(exclusive("cgroup", "--path", "--cgroup"))
        .hookCheck(onlyFromHooks("the cgroup match", "INPUT", "OUTPUT", "POSTROUTING")));
    c.addMatch(m("socket").flag(false, "--transparent").flag(false, "--nowildcard").flag(false, "--restore-skmark")
        .hookCheck(onlyFromHooks("the socket match", "PREROUTING", "INPUT")));
    c.addMatch(m("rpfilter").flag(false, "--loose").flag(false, "--validmark").flag(false, "--accept-local")
        .flag(false, "--invert").tables("raw", "mangle")
        .hookCheck(onlyFromHooks("the rpfilter match", "PREROUTING")));
    c.addMatch(m("helper").neg(TEXT, "--helper").check(mandatory("helper", "--helper")));
    c.addMatch(m("connlimit")
        .neg(number(0, U32, "limit"), "--connlimit-upto").neg(number(0, U32, "limit"), "--connlimit-above")
        .val(PLEN, "--connlimit-mask").flag(false, "--connlimit-saddr").flag(false, "--connlimit-daddr")
        .check(needsOneOf("connlimit", "--connlimit-upto", "--connlimit-above"))
        .check(exclusive("connlimit", "--connlimit-upto", "--connlimit-above"))
        .check(exclusive("connlimit", "--connlimit-saddr", "--connlimit-daddr")));
    c.addMatch(m("connbytes").neg(CONNBYTES, "--connbytes")
        .val(oneOf(false, "direction", "original", "reply", "both"), "--connbytes-dir")
        .val(oneOf(false, "mode", "packets", "bytes", "avgpkt"), "--connbytes-mode")
        .check(mandatory("connbytes", "--connbytes")).check(mandatory("connbytes", "--connbytes-dir"))
        .check(mandatory("connbytes", "--connbytes-mode")));
    c.addMatch(m("devgroup").neg(MARK, "--src-group").neg(MARK, "--dst-group")
        .check(needsOneOf("devgroup", "--src-group", "--dst-group"))
        .hookCheck(r -> r.has("--src-group")
            ? onlyFromHooks("devgroup --src-group", "PREROUTING", "INPUT", "FORWARD").check(r) : Optional.empty())
        .hookCheck(r -> r.has("--dst-group")
            ? onlyFromHooks("devgroup --dst-group", "FORWARD", "OUTPUT", "POSTROUTING").check(r) : Optional.empty()));
    c.addMatch(m("realm").only(Family.IPV4).neg(MARK, "--realm").check(mandatory("realm", "--realm"))
        .hookCheck(onlyFromHooks("the realm match", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING")));
    c.addMatch(m("quota").neg(number(0, 0, "quota"), "--quota").check(mandatory("quota", "--quota")));
    c.addMatch(m("time")
        .val(DATE, "--datestart").val(DATE, "--datestop").val(TIME_OF_DAY, "--timestart").val(TIME_OF_DAY, "--timestop")
        .neg(TEXT, "--monthdays").neg(TEXT, "--weekdays").flag(false, "--kerneltz").flag(false, "--localtz")
        .flag(false, "--contiguous").flag(false, "--utc")
        .check(r -> r.has("--contiguous") && !(r.has("--timestart") && r.has("--timestop")
            && secondsOfDay(r, "--timestop") < secondsOfDay(r, "--timestart"))
            ? java.util.Optional.of(new BadValue("time: --contiguous only makes sense when stoptime is smaller than starttime"))
            : java.util.Optional.empty()));
    c.addMatch(m("tcpmss").neg(orderedNumberRange(65535, "MSS"), "--mss").check(mandatory("tcpmss", "--mss"))
        .ruleCheck(needsProtocol("tcpmss", "tcp", 6)));
    c.addMatch(m("u32").neg(TEXT, "--u32").check(mandatory("u32", "--u32")));
    c.addMatch(m("bpf").val(TEXT, "--bytecode").val(TEXT, "--object-pinned")
        .check(needsOneOf("bpf", "--bytecode", "--object-pinned")));
    // IPv4's ah match is bound to protocol 51 (xt_ah.c sets .proto); IPv6's ip6t_ah looks for the
    // AH extension header anywhere in the header chain and has no protocol (both backends commit
    // "-m ah --ahspi 1" with no -p, a negated -p or another -p: testdata/syntax/proto-needs.v6.cases)
    c.addMatch(m("ah").only(Family.IPV4).neg(numberRange(U32, "spi"), "--ahspi").ruleCheck(needsProtocol("ah", "ah", 51)));
    c.addMatch(m("ah").only(Family.IPV6).neg(numberRange(U32, "spi"), "--ahspi").neg(number(0, U32, "length"), "--ahlen")
        .flag(false, "--ahres"));
    c.addMatch(m("esp").neg(numberRange(U32, "spi"), "--espspi").ruleCheck(needsProtocol("esp", "esp", 50)));
    c.addMatch(m("frag").only(Family.IPV6).neg(numberRange(U32, "id"), "--fragid").neg(number(0, U32, "length"), "--fraglen")
        .flag(false, "--fragres").flag(false, "--fragfirst").flag(false, "--fragmore").flag(false, "--fraglast"));
    c.addMatch(m("ipv6header").only(Family.IPV6).neg(TEXT, "--header").flag(false, "--soft")
        .check(mandatory("ipv6header", "--header")));
    c.addMatch(m("rt").only(Family.IPV6).neg(number(0, 255, "type"), "--rt-type").neg(numberRange(U32, "segments"), "--rt-segsleft")
        .neg(number(0, U32, "length"), "--rt-len").flag(false, "--rt-0-res").val(TEXT, "--rt-0-addrs")
        .flag(false, "--rt-0-not-strict"));
    c.addMatch(m("hbh").only(Family.IPV6).neg(number(0, U32, "length"), "--hbh-len").val(TEXT, "--hbh-opts"));
    c.addMatch(m("dst").only(Family.IPV6).neg(number(0, U32, "length"), "--dst-len").val(TEXT, "--dst-opts"));
    c.addMatch(m("mh").only(Family.IPV6).neg(TEXT, "--mh-type").ruleCheck(needsProtocol("mh", "ipv6-mh", 135)));
    c.addMatch(m("eui64").only(Family.IPV6));
    c.addMatch(m("ipvs").flag(true, "--ipvs").neg(PROTOCOL, "--vproto").neg(HOST_MASK, "--vaddr")
        .neg(number(0, 65535, "port"), "--vport").val(oneOf(false, "direction", "ORIGINAL", "REPLY"), "--vdir")
        .neg(oneOf(false, "method", "GATE", "IPIP", "MASQ"), "--vmethod").neg(number(0, 65535, "port"), "--vportctl"));
    c.addMatch(m("cluster").val(number(1, 32, "nodes"), "--cluster-total-nodes").neg(number(1, 32, "node"), "--cluster-local-node")
        .neg(number(0, U32, "mask"), "--cluster-local-nodemask").val(number(0, U32, "seed"), "--cluster-hash-seed")
        .check(mandatory("cluster", "--cluster-total-nodes")).check(mandatory("cluster", "--cluster-hash-seed")));
    c.addMatch(m("nfacct").val(text(1, 31, "name"), "--nfacct-name").check(mandatory("nfacct", "--nfacct-name")));
    c.addMatch(m("ipcomp").neg(numberRange(U32, "cpi"), "--ipcompspi").flag(false, "--compres"));
  }
}
