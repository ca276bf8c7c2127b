package org.ksaudit.catalog;

import static org.ksaudit.catalog.Checks.*;
import static org.ksaudit.catalog.ValueParsers.*;

import java.util.List;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.value.NameSet;
import org.ksaudit.model.value.Text;

/** The targets: names, options and where the kernel allows them. */
final class TargetDefinitions {
  private TargetDefinitions() {}

  private static ExtensionBuilder t(String name) {
    return new ExtensionBuilder(name);
  }

  /**
   * libipt_REJECT / libip6t_REJECT: the first type (in the table's order) whose name or alias
   * starts with the argument, compared case-insensitively.
   */
  private static ValueParser rejectWith(String... namesAndAliases) {
    return (raw, ctx) -> {
      for (int i = 0; i < namesAndAliases.length; i += 2) {
        String name = namesAndAliases[i];
        String alias = namesAndAliases[i + 1];
        if (ExtensionParsers.isPrefix(raw, name) || ExtensionParsers.isPrefix(raw, alias))
          return new NameSet(List.of(name));
      }
      List<String> all = List.of(namesAndAliases);
      throw new BadValue("unknown reject type \"" + raw + "\"",
          Suggest.closest(raw, all).map(s -> "did you mean \"" + s + "\"?").orElse("see iptables-extensions(8), REJECT"));
    };
  }

  private static final ValueParser REJECT_V4 = rejectWith("icmp-net-unreachable", "net-unreach",
      "icmp-host-unreachable", "host-unreach", "icmp-proto-unreachable", "proto-unreach", "icmp-port-unreachable",
      "port-unreach", "icmp-net-prohibited", "net-prohib", "icmp-host-prohibited", "host-prohib", "tcp-reset",
      "tcp-rst", "icmp-admin-prohibited", "admin-prohib");
  private static final ValueParser REJECT_V6 = rejectWith("icmp6-no-route", "no-route",
      "icmp6-adm-prohibited", "adm-prohibited", "icmp6-addr-unreachable", "addr-unreach", "icmp6-port-unreachable",
      "port-unreach", "icmp6-policy-fail", "policy-fail", "icmp6-reject-route", "reject-route", "tcp-reset", "tcp-rst");

  /** The kernel refuses "--reject-with tcp-reset" unless the rule matches "-p tcp" (not negated). */
  private static final CrossCheck TCP_RESET_NEEDS_TCP = r -> {
    boolean reset = r.value("--reject-with").map(v -> v instanceof NameSet n && n.has("tcp-reset")).orElse(false);
    if (reset && !r.protocolIs(6))
      return Optional.of(new BadValue("--reject-with tcp-reset needs \"-p tcp\"",
          "the kernel refuses the rule at load time; add \"-p tcp\" or use icmp-port-unreachable"));
    return Optional.empty();
  };

  /** Legacy xt_TCPMSS: the rule must match TCP SYN packets (a tcp match with SYN in its comparison). */
  private static final CrossCheck TCPMSS_NEEDS_SYN = r -> {
    for (Match m : r.matches()) {
      if (!m.module().equals("tcp")) continue;
      for (Option o : m.options()) {
        if (o.negated()) continue;
        if (o.name().equals("--syn")) return Optional.empty();
        if (o.name().equals("--tcp-flags") && o.value() instanceof Text t) {
          String[] mc = t.text().split(" ", 2);
          if (mc.length == 2 && List.of(mc[1].toUpperCase().split(",")).stream().anyMatch(f -> f.equals("SYN") || f.equals("ALL")))
            return Optional.empty();
        }
      }
    }
    return Optional.of(new BadValue("TCPMSS only works on TCP SYN packets",
        "add \"--tcp-flags SYN,RST SYN\" (iptables-legacy's kernel check refuses the rule otherwise)"));
  };

  static void register(Catalog c) {
    c.addTarget(t("REJECT").only(Family.IPV4).val(REJECT_V4, "--reject-with")
        .tables("filter")
        .ruleCheck(TCP_RESET_NEEDS_TCP)
        .hookCheck(onlyFromHooks("REJECT", "INPUT", "FORWARD", "OUTPUT")));
    c.addTarget(t("REJECT").only(Family.IPV6).val(REJECT_V6, "--reject-with")
        .tables("filter")
        .ruleCheck(TCP_RESET_NEEDS_TCP)
        .hookCheck(onlyFromHooks("REJECT", "INPUT", "FORWARD", "OUTPUT")));
    c.addTarget(t("LOG")
        .val(SYSLOG_LEVEL, "--log-level").val(oneLine("--log-prefix"), "--log-prefix").flag(false, "--log-tcp-sequence")
        .flag(false, "--log-tcp-options").flag(false, "--log-ip-options").flag(false, "--log-uid")
        .flag(false, "--log-macdecode"));
    c.addTarget(t("NFLOG").val(number(0, 65535, "group"), "--nflog-group").val(oneLine("--nflog-prefix"), "--nflog-prefix")
        .val(number(0, 0xffffffffL, "size"), "--nflog-range").val(number(0, 0xffffffffL, "size"), "--nflog-size")
        .val(number(0, 65535, "threshold"), "--nflog-threshold"));
    c.addTarget(t("MARK").val(MARK, "--set-xmark").val(MARK, "--set-mark").val(number(0, 0xffffffffL, "mask"), "--and-mark")
        .val(number(0, 0xffffffffL, "bits"), "--or-mark").val(number(0, 0xffffffffL, "bits"), "--xor-mark")
        .check(needsOneOf("MARK", "--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark"))
        .check(exclusive("MARK", "--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark")));
    c.addTarget(t("CONNMARK").val(MARK, "--set-xmark").val(MARK, "--set-mark")
        .val(number(0, 0xffffffffL, "mask"), "--and-mark").val(number(0, 0xffffffffL, "bits"), "--or-mark")
        .val(number(0, 0xffffffffL, "bits"), "--xor-mark").flag(false, "--save-mark").flag(false, "--restore-mark")
        .val(number(0, 0xffffffffL, "mask"), "--nfmask").val(number(0, 0xffffffffL, "mask"), "--ctmask")
        .val(number(0, 0xffffffffL, "mask"), "--mask")
        .check(needsOneOf("CONNMARK", "--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark",
            "--save-mark", "--restore-mark"))
        .check(exclusive("CONNMARK", "--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark",
            "--save-mark", "--restore-mark")));
    c.addTarget(t("CONNSECMARK").flag(false, "--save").flag(false, "--restore").tables("security", "mangle"));
    c.addTarget(t("SECMARK").val(TEXT, "--selctx").tables("security", "mangle"));
    c.addTarget(t("DNAT").val(ExtensionParsers.NAT_TO, "--to-destination").flag(false, "--random").flag(false, "--persistent")
        .tables("nat").check(mandatory("DNAT", "--to-destination"))
        .hookCheck(onlyFromHooks("DNAT", "PREROUTING", "OUTPUT")));
    c.addTarget(t("SNAT").val(ExtensionParsers.NAT_TO, "--to-source").flag(false, "--random").flag(false, "--random-fully")
        .flag(false, "--persistent").tables("nat").check(mandatory("SNAT", "--to-source"))
        .hookCheck(onlyFromHooks("SNAT", "POSTROUTING", "INPUT")));
    c.addTarget(t("MASQUERADE").val(ExtensionParsers.NAT_PORTS, "--to-ports").flag(false, "--random").flag(false, "--random-fully")
        .tables("nat")
        .hookCheck(onlyFromHooks("MASQUERADE", "POSTROUTING")));
    c.addTarget(t("REDIRECT").val(ExtensionParsers.NAT_PORTS, "--to-ports").flag(false, "--random").tables("nat")
        .hookCheck(onlyFromHooks("REDIRECT", "PREROUTING", "OUTPUT")));
    c.addTarget(t("NETMAP").val(HOST_MASK, "--to").tables("nat").check(mandatory("NETMAP", "--to")));
    c.addTarget(t("NOTRACK").tables("raw"));
    c.addTarget(t("CT").flag(false, "--notrack").val(TEXT, "--helper")
        .val(names(false, false, "event", "new", "related", "destroy", "reply", "assured", "protoinfo", "helper", "mark", "natseqinfo",
            "secmark"), "--ctevents")
        .val(names(false, false, "event", "new"), "--expevents").val(number(0, 65535, "zone"), "--zone-orig")
        .val(number(0, 65535, "zone"), "--zone-reply").val(number(0, 65535, "zone"), "--zone")
        .val(TEXT, "--timeout").tables("raw"));
    c.addTarget(t("TCPMSS").val(number(0, 65535 - 40, "MSS"), "--set-mss").flag(false, "--clamp-mss-to-pmtu")
        .check(needsOneOf("TCPMSS", "--set-mss", "--clamp-mss-to-pmtu"))
        .ruleCheck(needsProtocol("TCPMSS", "tcp", 6))
        .ruleCheck(TCPMSS_NEEDS_SYN)
        .hookCheck(r -> r.has("--clamp-mss-to-pmtu")
            ? onlyFromHooks("TCPMSS --clamp-mss-to-pmtu", "FORWARD", "OUTPUT", "POSTROUTING").check(r)
            : Optional.empty()));
    c.addTarget(t("TOS").val(TOS, "--set-tos").val(number(0, 255, "bits"), "--and-tos").val(number(0, 255, "bits"), "--or-tos")
        .val(number(0, 255, "bits"), "--xor-tos").tables("mangle"));
    c.addTarget(t("DSCP").val(number(0, 63, "DSCP"), "--set-dscp").val(ExtensionParsers.DSCP_CLASS, "--set-dscp-class").tables("mangle")
        .check(needsOneOf("DSCP", "--set-dscp", "--set-dscp-class")));
    c.addTarget(t("TTL").only(Family.IPV4).val(number(0, 255, "TTL"), "--ttl-set").val(number(1, 255, "TTL"), "--ttl-dec")
        .val(number(1, 255, "TTL"), "--ttl-inc").tables("mangle")
        .check(needsOneOf("TTL", "--ttl-set", "--ttl-dec", "--ttl-inc")));
    c.addTarget(t("HL").only(Family.IPV6).val(number(0, 255, "hop limit"), "--hl-set")
        .val(number(1, 255, "hop limit"), "--hl-dec").val(number(1, 255, "hop limit"), "--hl-inc").tables("mangle")
        .check(needsOneOf("HL", "--hl-set", "--hl-dec", "--hl-inc")));
    c.addTarget(t("CLASSIFY").val(TEXT, "--set-class").check(mandatory("CLASSIFY", "--set-class"))
        .hookCheck(onlyFromHooks("CLASSIFY", "FORWARD", "OUTPUT", "POSTROUTING")));
    c.addTarget(t("NFQUEUE").val(number(0, 65535, "queue"), "--queue-num").val(TEXT, "--queue-balance")
        .flag(false, "--queue-bypass").flag(false, "--fail-open").flag(false, "--queue-cpu-fanout"));
    c.addTarget(t("TPROXY").val(TEXT, "--on-port").val(TEXT, "--on-ip").val(MARK, "--tproxy-mark").tables("mangle")
        .check(mandatory("TPROXY", "--on-port"))
        .hookCheck(onlyFromHooks("TPROXY", "PREROUTING")));
    c.addTarget(t("TRACE").tables("raw"));
    c.addTarget(t("AUDIT").val(oneOf(false, "type", "accept", "drop", "reject"), "--type").check(mandatory("AUDIT", "--type")));
    c.addTarget(t("CHECKSUM").flag(false, "--checksum-fill").tables("mangle").check(mandatory("CHECKSUM", "--checksum-fill")));
    c.addTarget(t("SET").pair(false, ExtensionParsers.SET_REF, "--add-set").pair(false, ExtensionParsers.SET_REF, "--del-set")
        .pair(false, ExtensionParsers.SET_REF, "--map-set").flag(false, "--exist").val(number(0, 0xffffffffL, "timeout"), "--timeout")
        .check(needsOneOf("SET", "--add-set", "--del-set", "--map-set")));
    c.addTarget(t("IDLETIMER").val(number(0, 0xffffffffL, "timeout"), "--timeout").val(text(1, 27, "label"), "--label")
        .check(mandatory("IDLETIMER", "--timeout")).check(mandatory("IDLETIMER", "--label")));
    c.addTarget(t("LED").val(text(1, 26, "trigger"), "--led-trigger-id").val(TEXT, "--led-delay")
        .flag(false, "--led-always-blink").check(mandatory("LED", "--led-trigger-id")));
    c.addTarget(t("TEE").val(HOST, "--gateway").val(INTERFACE, "--oif").check(mandatory("TEE", "--gateway")));
    c.addTarget(t("SYNPROXY").val(number(0, 65535, "MSS"), "--mss").val(number(0, 14, "wscale"), "--wscale")
        .flag(false, "--sack-perm").flag(false, "--timestamp").flag(false, "--ecn")
        .hookCheck(onlyFromHooks("SYNPROXY", "INPUT", "FORWARD")));
  }
}
