package org.ksaudit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.Endpoint;
import org.ksaudit.check.Sysctl;
import org.ksaudit.input.InputFile;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.setup.Part;
import org.ksaudit.setup.Server;
import org.ksaudit.setup.VpnConfig;
import picocli.CommandLine.Option;

/**
 * What the user says about the VPN setup the rules were written for, the same for check, diff
 * and probe: the tunnel's names, the VPN servers, LAN ranges meant to stay reachable, the VPN
 * client's config, and sysctl files.
 */
final class VpnSetupOptions {
  @Option(names = "--tunnel", paramLabel = "IFACE", converter = Converters.Tunnel.class,
      description = "A tunnel interface (repeatable; tun+ or tun* for a prefix). Default: tun*, tap*, wg*, ppp* and "
          + "the names the rules treat as the tunnel; probe: the one name of the lab's tunnel")
  List<String> tunnels = new ArrayList<>();

  @Option(names = "--endpoint", paramLabel = "ADDR:PORT/PROTO", converter = Converters.VpnEndpoint.class,
      description = "The VPN server, e.g. 198.51.100.1:1194/udp or [2001:db8::1]:51820/udp (repeatable; probe's lab runs the first)")
  List<Endpoint> endpoints = new ArrayList<>();

  @Option(names = "--allow-lan", paramLabel = "CIDR", converter = Converters.LanRange.class,
      description = "A LAN range meant to stay reachable in clear (repeatable)")
  List<Cidr> allowLan = new ArrayList<>();

  @Option(names = "--vpn-config", paramLabel = "FILE",
      description = "The VPN client's config (OpenVPN .ovpn/.conf or wg-quick .conf): its servers are --endpoint, its device "
          + "--tunnel; probe also takes its kind and DNS")
  String vpnConfig;

  @Option(names = "--sysctl", paramLabel = "FILE",
      description = "A sysctl file (repeatable, later ones win): the audit credits disable_ipv6 and weighs ip_forward; probe "
          + "applies its network settings in the lab's client")
  List<String> sysctlFiles = new ArrayList<>();

  /** The sysctl files' settings over {@code base}. */
  Sysctl sysctl(Sysctl base, Streams io) throws InputFile.InputException {
    Sysctl out = base;
    for (String f : sysctlFiles) out = out.merge(Sysctl.parse(InputFile.read(f, io.in()).text()));
    return out;
  }

  Optional<VpnConfig> config(Streams io) throws Failure, InputFile.InputException {
    return vpnConfig == null ? Optional.empty() : Optional.of(VpnConfigFile.read(vpnConfig, io.in()));
  }

  /**
   * The audit's options: the named tunnels and servers with the config's device and the servers
   * it names by address (one named by host name is reported, never resolved), the LAN ranges,
   * and the sysctl files over {@code base}.
   */
  AuditOptions auditOptions(Sysctl base, Streams io) throws Failure, InputFile.InputException {
    return auditOptions(sysctl(base, io), config(io), io);
  }

  /** The same with the sysctl settings and the VPN's config already read (a file given as '-' is read once). */
  AuditOptions auditOptions(Sysctl sysctl, Optional<VpnConfig> c, Streams io) {
    List<String> tunnelNames = new ArrayList<>(tunnels);
    List<Endpoint> servers = new ArrayList<>(endpoints);
    if (c.isPresent()) {
      // the config's device joins the named tunnels; the defaults stay only when neither names one, as with --tunnel
      c.get().tunnel().map(Part::value).filter(t -> !tunnelNames.contains(t)).ifPresent(tunnelNames::add);
      for (Part<Server> r : c.get().remotes()) {
        if (r.value().numeric()) servers.add(Endpoint.parse(r.value().toString()));
        else io.err().println("ksaudit: " + r.origin().where() + ": remote " + r.value().host()
            + " is a host name; ksaudit resolves no names: pass --endpoint with its address");
      }
    }
    return new AuditOptions(tunnelNames, servers, allowLan, sysctl);
  }

  /** The lab's tunnel device: at most one name, and a name, not a pattern. */
  Optional<String> labTunnel() throws Failure {
    if (tunnels.size() > 1) throw Failure.usage("the lab builds one tunnel: give --tunnel once");
    for (String t : tunnels) {
      if (t.endsWith("+") || t.endsWith("*")) throw Failure.usage("--tunnel " + t + ": the lab needs the tunnel's name, not a pattern");
    }
    return tunnels.stream().findFirst();
  }
}
