package org.ksaudit.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.ksaudit.lab.Scenario;
import org.ksaudit.lab.TunnelKind;
import picocli.CommandLine.Option;

/** What only the lab needs told, for {@code probe --lab} and {@code report --lab} alike. */
final class LabOptions {
  /** Their names, which a command without its lab refuses. */
  static final List<String> NAMES = List.of("--vpn-dns", "--tunnel-kind", "--scenario");

  @Option(names = "--vpn-dns", paramLabel = "ADDR", converter = Converters.LabDns.class,
      description = "The resolver inside the VPN (default: from the rules)")
  String vpnDns;

  @Option(names = "--tunnel-kind", paramLabel = "KIND",
      description = "openvpn or wireguard (default: from --vpn-config or the rules, else openvpn)")
  TunnelKind kind;

  @Option(names = "--scenario", paramLabel = "NAME",
      description = "Run only this scenario (repeatable): baseline, tunnel-down, crash, crash-persistent-tun, reconnect,"
          + " localnet, tunnelvision, server-unreachable, ipv6-ra")
  List<Scenario> scenarios = new ArrayList<>();

  /** The scenarios to run: those named, else all. */
  Set<Scenario> selected() {
    return scenarios.isEmpty() ? EnumSet.allOf(Scenario.class) : EnumSet.copyOf(scenarios);
  }
}
