package org.ksaudit.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.parse.RulesetParser;

/**
 * One or more cases per match module and target: a rule, whether iptables-restore 1.8.9 (both
 * backends, real commit) loads it, and for refusals a word of ksaudit's message. Each verdict
 * was checked against the kernel; the differential test re-checks the catalogue as a whole.
 */
class ModuleValidatorsTest {
  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      4 | filter | -A INPUT -p tcp --dport 22 -j ACCEPT                                   | ok |
      4 | filter | -A INPUT -p tcp --dport 0x16 -j ACCEPT                                 | ok |
      4 | filter | -A INPUT -p tcp --dport 80:22 -j ACCEPT                                | refused | portrange
      4 | filter | -A INPUT -p tcp --dport ntp -j ACCEPT                                  | refused | port/service
      4 | filter | -A INPUT -p tcp --tcp-flags SYN,RST SYN -j ACCEPT                      | ok |
      4 | filter | -A INPUT -p tcp --tcp-flags SYN -j ACCEPT                              | refused | two args
      4 | filter | -A INPUT -p tcp --tcp-flags SYN,FOO SYN -j ACCEPT                      | refused | TCP flag
      4 | filter | -A INPUT -p tcp --syn --tcp-flags SYN SYN -j ACCEPT                    | refused | together
      4 | filter | -A INPUT -p tcp --tcp-option 0 -j ACCEPT                               | refused | TCP option
      4 | filter | -A INPUT -m tcp --dport 22 -j ACCEPT                                   | refused | -p tcp
      4 | filter | -A INPUT ! -p tcp --dport 22 -j ACCEPT                                 | refused | -p tcp
      4 | filter | -A INPUT -p udp --dport 80:22 -j ACCEPT                                | ok |
      4 | filter | -A INPUT -p udp --dport ssh -j ACCEPT                                  | ok |
      4 | filter | -A INPUT -p udp --dport 0x35 -j ACCEPT                                 | refused | resolve
      4 | filter | -A INPUT -p udp --dport 1:2:3 -j ACCEPT                                | refused | too many
      4 | filter | -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 -j ACCEPT    | ok |
      4 | filter | -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 -j ACCEPT | refused | too many
      4 | filter | -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14:15 -j ACCEPT   | ok |
      4 | filter | -A INPUT -p tcp -m multiport --dports 80:80 -j ACCEPT                  | refused | portrange
      4 | filter | -A INPUT -m multiport --dports 22 -p tcp -j ACCEPT                     | refused | multiport needs
      4 | filter | -A INPUT -p tcp -m multiport --sports 1 --dports 2 -j ACCEPT           | refused | together
      4 | filter | -A INPUT -m state --state EST,REL -j ACCEPT                            | ok |
      4 | filter | -A INPUT -m state --state NEW, -j ACCEPT                               | refused | state
      4 | filter | -A INPUT -m state -j ACCEPT                                            | refused | must be specified
      4 | filter | -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT          | ok |
      4 | filter | -A INPUT -m conntrack --ctstate ESTABLISHED --ctdir reply -j ACCEPT    | ok |
      4 | filter | -A INPUT -m conntrack -j ACCEPT                                        | refused | needs one of
      4 | filter | -A INPUT -m mac --mac-source 00:11:22:33:44:55 -j ACCEPT               | ok |
      4 | filter | -A INPUT -m mac --mac-source XX:XX:XX:XX:XX:XX -j ACCEPT               | refused | MAC
      4 | filter | -A OUTPUT -m mac --mac-source 00:11:22:33:44:55 -j ACCEPT              | refused | mac match
      4 | filter | -A INPUT -p icmp --icmp-type echo-request -j ACCEPT                    | ok |
      4 | filter | -A INPUT -p icmp --icmp-type echo -j ACCEPT                            | refused | ambiguous
      4 | filter | -A INPUT -p icmp --icmp-type 3/3 -j ACCEPT                             | ok |
      4 | filter | -A OUTPUT -m owner --uid-owner 0 -j ACCEPT                             | ok |
      4 | filter | -A INPUT -m owner --uid-owner 0 -j ACCEPT                              | refused | owner match
      4 | filter | -A OUTPUT -m owner -j ACCEPT                                           | refused | needs one of
      4 | filter | -A INPUT -m comment --comment -foo -j ACCEPT                           | ok |
      4 | filter | -A INPUT -m limit --limit 5/min -j ACCEPT                              | ok |
      4 | filter | -A INPUT -m limit --limit 10001/s -j ACCEPT                            | refused | too fast
      4 | filter | -A INPUT -m mark --mark 0x1/0xff -j ACCEPT                             | ok |
      4 | filter | -A INPUT -m mark --mark 1/4294967296 -j ACCEPT                         | refused | mark
      4 | filter | -A INPUT -m addrtype --dst-type LOCAL -j ACCEPT                        | ok |
      4 | filter | -A INPUT -m recent --name ssh --rcheck --seconds 60 -j DROP            | ok |
      4 | filter | -A INPUT -m recent --name ssh -j DROP                                  | refused | needs one of
      4 | filter | -A INPUT -j REJECT --reject-with icmp-port                             | ok |
      4 | filter | -A INPUT -j REJECT --reject-with tcp-reset                             | refused | -p tcp
      4 | filter | -A INPUT -p tcp -j REJECT --reject-with tcp-reset                      | ok |
      4 | mangle | -A INPUT -j REJECT                                                     | refused | table
      4 | filter | -A INPUT -j LOG --log-level warning --log-prefix "in: "                | ok |
      4 | filter | -A INPUT -j LOG --log-level warn                                       | refused | log level
      4 | filter | -A INPUT -j MARK --set-mark 1                                          | ok |
      4 | mangle | -A OUTPUT -j MARK                                                      | refused | needs one of
      4 | nat    | -A POSTROUTING -o eth0 -j MASQUERADE                                   | ok |
      4 | nat    | -A OUTPUT -j MASQUERADE                                                | refused | MASQUERADE
      4 | nat    | -A PREROUTING -j DROP                                                  | refused | nat
      4 | raw    | -A OUTPUT -j CT --notrack                                              | ok |
      4 | filter | -A INPUT -j NOTRACK                                                    | refused | table
      4 | mangle | -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu | ok |
      4 | mangle | -A FORWARD -p tcp -j TCPMSS --clamp-mss-to-pmtu                        | refused | SYN
      6 | filter | -A INPUT -p icmpv6 --icmpv6-type neighbour-solicitation -j ACCEPT      | ok |
      6 | filter | -A INPUT -m hl --hl-eq 255 -j ACCEPT                                   | ok |
      6 | filter | -A INPUT -m ttl --ttl-eq 1 -j ACCEPT                                   | refused | match
      6 | filter | -A INPUT -j REJECT --reject-with icmp6-adm-prohibited                  | ok |
      6 | filter | -A INPUT -j REJECT --reject-with icmp-port-unreachable                 | refused | reject type
      """)
  void ruleIsLoadedOrRefusedAsTheKernelDoes(String family, String table, String rule, String verdict, String word) {
    Family f = family.equals("6") ? Family.IPV6 : Family.IPV4;
    String text = "*" + table + "\n" + rule + "\nCOMMIT\n";
    List<Diagnostic> errors = RulesetParser.parse("t", text, f).diagnostics().stream()
        .filter(d -> d.severity() == Severity.ERROR).toList();
    String messages = errors.stream().map(Diagnostic::message).collect(Collectors.joining("; "));
    if (verdict.equals("ok")) {
      assertEquals("", messages, rule);
    } else {
      assertTrue(!errors.isEmpty() && messages.contains(word), rule + " should be refused with \"" + word + "\", got: " + messages);
    }
  }
}
