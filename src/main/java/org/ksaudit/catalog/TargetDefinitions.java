package org.ksaudit.catalog;

import static org.ksaudit.catalog.Checks.*;
import static org.ksaudit.catalog.ValueParsers.*;

import java.util.Optional;
import org.ksaudit.model.Family;

/** The targets: names, options and where the kernel allows them. */
final class TargetDefinitions {
  private TargetDefinitions() {}

  private static ExtensionBuilder t(String name) {
    return new ExtensionBuilder(name);
  }

  private static final ValueParser REJECT_V4 = oneOf("reject type", "icmp-net-unreachable", "net-unreach",
      "icmp-host-unreachable", "host-unreach", "icmp-proto-unreachable", "proto-unreach", "icmp-port-unreachable",
      "port-unreach", "icmp-net-prohibited", "net-prohib", "icmp-host-prohibited", "host-prohib", "tcp-reset",
      "tcp-rst", "icmp-admin-prohibited", "admin-prohib");
  private static final ValueParser REJECT_V6 = oneOf("reject type", "icmp6-no-route", "no-route",
      "icmp6-adm-prohibited", "adm-prohibited", "icmp6-addr-unreachable", "addr-unreach", "icmp6-port-unreachable",
      "port-unreach", "tcp-reset", "icmp6-policy-fail", "policy-fail", "icmp6-reject-route", "reject-route");
  private static final ValueParser LOG_LEVEL = oneOf("log level", "0", "1", "2", "3", "4", "5", "6", "7", "emerg",
      "alert", "crit", "error", "warning", "warn", "notice", "info", "debug", "panic");

  /** "--reject-with tcp-reset" is refused by the kernel unless the rule matches -p tcp only. */
  private static final CrossCheck TCP_RESET_NEEDS_TCP = r -> {
    Optional<String> with = r.optionValue("--reject-with");
    if (with.isPresent() && with.get().startsWith("tcp-r")
        && !(r.protocol().equals(Optional.of("tcp")) && !r.protocolNegated()))
      return Optional.of(new BadValue("--reject-with tcp-reset needs \"-p tcp\"",
          "the kernel refuses the rule at load time; add \"-p tcp\" or use icmp-port-unreachable"));
    return Optional.empty();
  };

  static void register(Catalog c) {
    c.addTarget(t("REJECT").only(Family.IPV4).val(REJECT_V4, "--reject-with")
        .tables("filter", "mangle", "raw", "security")
        .check(onlyFromHooks("REJECT", "INPUT", "FORWARD", "OUTPUT"))
        .check(TCP_RESET_NEEDS_TCP));
    c.addTarget(t("REJECT").only(Family.IPV6).val(REJECT_V6, "--reject-with")
        .tables("filter", "mangle", "raw", "security")
        .check(onlyFromHooks("REJECT", "INPUT", "FORWARD", "OUTPUT"))
        .check(TCP_RESET_NEEDS_TCP));
    c.addTarget(t("LOG")
        .val(LOG_LEVEL, "--log-level").val(TEXT, "--log-prefix").flag(false, "--log-tcp-sequence")
        .flag(false, "--log-tcp-options").flag(false, "--log-ip-options").flag(false, "--log-uid")
        .flag(false, "--log-macdecode"));
    c.addTarget(t("ULOG").only(Family.IPV4).val(number(1, 32, "netlink group"), "--ulog-nlgroup")
        .val(TEXT, "--ulog-prefix").val(TEXT, "--ulog-cprange").val(TEXT, "--ulog-qthreshold"));
    c.addTarget(t("NFLOG").val(number(0, 65535, "group"), "--nflog-group").val(text(64, "prefix"), "--nflog-prefix")
        .val(number(0, 0xffffffffL, "size"), "--nflog-range").val(number(0, 0xffffffffL, "size"), "--nflog-size")
        .val(number(0, 65535, "threshold"), "--nflog-threshold"));
    c.addTarget(t("MARK").val(MARK, "--set-xmark").val(MARK, "--set-mark").val(MARK, "--and-mark")
        .val(MARK, "--or-mark").val(MARK, "--xor-mark")
        .check(needsOneOf("MARK", "--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark")));
    c.addTarget(t("CONNMARK").val(MARK, "--set-xmark").val(MARK, "--set-mark").val(MARK, "--and-mark")
        .val(MARK, "--or-mark").val(MARK, "--xor-mark").flag(false, "--save-mark").flag(false, "--restore-mark")
        .val(TEXT, "--nfmask").val(TEXT, "--ctmask").val(TEXT, "--mask"));
    c.addTarget(t("CONNSECMARK").flag(false, "--save").flag(false, "--restore"));
    c.addTarget(t("SECMARK").val(TEXT, "--selctx"));
    c.addTarget(t("DNAT").val(TEXT, "--to-destination").flag(false, "--random").flag(false, "--persistent")
        .tables("nat").check(onlyFromHooks("DNAT", "PREROUTING", "OUTPUT")));
    c.addTarget(t("SNAT").val(TEXT, "--to-source").flag(false, "--random").flag(false, "--random-fully")
        .flag(false, "--persistent").tables("nat").check(onlyFromHooks("SNAT", "POSTROUTING", "INPUT")));
    c.addTarget(t("MASQUERADE").val(TEXT, "--to-ports").flag(false, "--random").flag(false, "--random-fully")
        .tables("nat").check(onlyFromHooks("MASQUERADE", "POSTROUTING")));
    c.addTarget(t("REDIRECT").val(TEXT, "--to-ports").flag(false, "--random").tables("nat")
        .check(onlyFromHooks("REDIRECT", "PREROUTING", "OUTPUT")));
    c.addTarget(t("NETMAP").val(TEXT, "--to").tables("nat"));
    c.addTarget(t("NOTRACK").tables("raw"));
    c.addTarget(t("CT").flag(false, "--notrack").val(TEXT, "--helper").val(TEXT, "--ctevents")
        .val(TEXT, "--expevents").val(TEXT, "--zone-orig").val(TEXT, "--zone-reply").val(TEXT, "--zone")
        .val(TEXT, "--timeout").tables("raw"));
    c.addTarget(t("TCPMSS").val(number(0, 65535 - 40, "MSS"), "--set-mss").flag(false, "--clamp-mss-to-pmtu")
        .check(needsOneOf("TCPMSS", "--set-mss", "--clamp-mss-to-pmtu")).check(needsProtocol("TCPMSS", "tcp")));
    c.addTarget(t("TOS").val(TEXT, "--set-tos").val(TEXT, "--and-tos").val(TEXT, "--or-tos").val(TEXT, "--xor-tos")
        .tables("mangle"));
    c.addTarget(t("DSCP").val(number(0, 63, "DSCP"), "--set-dscp").val(TEXT, "--set-dscp-class").tables("mangle"));
    c.addTarget(t("TTL").only(Family.IPV4).val(number(0, 255, "TTL"), "--ttl-set").val(number(0, 255, "TTL"), "--ttl-dec")
        .val(number(0, 255, "TTL"), "--ttl-inc").tables("mangle"));
    c.addTarget(t("HL").only(Family.IPV6).val(number(0, 255, "hop limit"), "--hl-set")
        .val(number(0, 255, "hop limit"), "--hl-dec").val(number(0, 255, "hop limit"), "--hl-inc").tables("mangle"));
    c.addTarget(t("CLASSIFY").val(TEXT, "--set-class"));
    c.addTarget(t("NFQUEUE").val(number(0, 65535, "queue"), "--queue-num").val(TEXT, "--queue-balance")
        .flag(false, "--queue-bypass").flag(false, "--fail-open").flag(false, "--queue-cpu-fanout"));
    c.addTarget(t("TPROXY").val(TEXT, "--on-port").val(TEXT, "--on-ip").val(TEXT, "--tproxy-mark").tables("mangle"));
    c.addTarget(t("TRACE").tables("raw"));
    c.addTarget(t("AUDIT").val(oneOf("type", "accept", "drop", "reject"), "--type"));
    c.addTarget(t("CHECKSUM").flag(false, "--checksum-fill").tables("mangle"));
    c.addTarget(t("SET").val(TEXT, "--add-set").val(TEXT, "--del-set").val(TEXT, "--map-set").flag(false, "--exist")
        .val(TEXT, "--timeout"));
    c.addTarget(t("IDLETIMER").val(TEXT, "--timeout").val(TEXT, "--label"));
    c.addTarget(t("LED").val(TEXT, "--led-trigger-id").val(TEXT, "--led-delay").flag(false, "--led-always-blink"));
    c.addTarget(t("TEE").val(ADDRESS, "--gateway").val(INTERFACE, "--oif"));
    c.addTarget(t("SYNPROXY").val(TEXT, "--mss").val(TEXT, "--wscale").flag(false, "--sack-perm")
        .flag(false, "--timestamp").flag(false, "--ecn"));
  }
}
