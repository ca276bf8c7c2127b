package org.ksaudit.live;

import java.util.List;
import org.ksaudit.check.Category;
import org.ksaudit.check.CheckInfo;
import org.ksaudit.diagnostic.Severity;

/** The documentation of the checks only a live audit makes ({@code ksaudit explain KS114}). */
final class HostCheckInfos {
  private HostCheckInfos() {}

  static final CheckInfo NFT_NOT_AUDITED = new CheckInfo("KS114", Category.NFT_NOT_AUDITED, Severity.WARNING,
      "native nftables tables are not audited",
      """
      The host holds nftables tables that iptables-nft did not make: wg-quick writes one when
      nft is installed, and Mullvad, NordVPN and firewalld keep their rules there. They are
      invisible to iptables-save, and ksaudit does not read nftables rules yet. The finding
      names each table and its base chains (hook, priority, policy). Leak findings become
      "possible" while a table with an output, postrouting, forward or egress hook exists:
      it may drop what the iptables rules let out.""",
      """
      A killswitch split across iptables and a native table is only as strong as the two
      together; an audit of one half says nothing about the other.""",
      """
      table inet killswitch {
        chain out { type filter hook output priority 0; policy accept; }
      }""",
      """
      Keep the killswitch in one place that is audited: iptables rules (iptables-nft or
      legacy), or review the native table by hand with "nft list ruleset".""",
      List.of("nft(8): TABLES, CHAINS", "wg-quick(8): the nftables rules it writes"));

  static final CheckInfo BOTH_BACKENDS = new CheckInfo("KS115", Category.BOTH_BACKENDS, Severity.WARNING,
      "both iptables backends hold rules",
      """
      Both iptables-legacy (x_tables) and iptables-nft (nf_tables) hold rules of the same
      family. The kernel runs the hooks of both, so a packet leaves only if both let it out.
      ksaudit audits the backend with fewer error findings; its leak findings become
      "possible" because the other backend may stop them.""",
      """
      Two tools managing the firewall (a VPN client with one backend, a distribution
      firewall with the other) each believe they own it; which rules win depends on both,
      and a change to one is not seen with the other's save tool.""",
      """
      iptables-legacy-save shows a killswitch, iptables-nft-save shows Docker's rules""",
      """
      Use one backend: the distribution's default (update-alternatives --display iptables)""",
      List.of("iptables(8): iptables-legacy and iptables-nft", "LAB-NOTES.md: both backends in one namespace"));

  static final CheckInfo DNS_PATH = new CheckInfo("KS116", Category.DNS_PATH, Severity.ERROR,
      "a configured resolver is asked outside the tunnel",
      """
      A DNS server this host is configured to use (/etc/resolv.conf, or a link's servers in
      systemd-resolved, as resolvectl shows them) is reached through an interface other than the
      tunnel once the tunnel is gone, by the link systemd-resolved asks it on, else by its route
      (policy rules and every table, as for KS120), and the rules let DNS to it out there. Every
      name the host looks up then goes in clear to that server. When resolv.conf names
      systemd-resolved's stub (127.0.0.53), the servers behind it are the ones checked.""",
      """
      The file audit shows which DNS the rules allow; the live audit shows that the host
      really sends its queries there: the leak happens on every lookup, not only for an
      application that chose that server.""",
      """
      nameserver 192.0.2.53        (in /etc/resolv.conf, routed via eth0)
      -A OUTPUT -p udp --dport 53 -j ACCEPT""",
      """
      nameserver 10.8.0.1          (the VPN's resolver, routed via tun0)
      -A OUTPUT -o tun0 -p udp --dport 53 -j ACCEPT""",
      List.of("resolv.conf(5)", "resolvectl(1): dns"));

  static final CheckInfo IPV6_EXPOSED = new CheckInfo("KS117", Category.IPV6_EXPOSED, Severity.ERROR,
      "global IPv6 addresses while IPv6 leaks",
      """
      The host has global IPv6 addresses on links outside the tunnel (and IPv6 is not
      disabled on them), while the IPv6 audit reports new connections leaving in clear. The
      IPv6 leak is then not hypothetical: the host can reach the IPv6 internet right now.""",
      """
      VPNs that carry only IPv4 leave IPv6 to the physical link; an ISP or a rogue router
      advertisement hands out a global address, and applications prefer IPv6.""",
      """
      eth0: 2001:db8::5/64 scope global, ip6tables with an ACCEPT policy""",
      """
      ip6tables with policy DROP and "-o tun0 -j ACCEPT", or disable_ipv6=1 on eth0""",
      List.of("RFC 8305 (Happy Eyeballs)", "ip-sysctl: disable_ipv6"));

  static final CheckInfo NOT_PERSISTENT = new CheckInfo("KS118", Category.NOT_PERSISTENT, Severity.WARNING,
      "the live rules are not restored at boot",
      """
      The rules the kernel holds are not saved where the distribution restores them at boot
      (/etc/iptables/rules.v4 and rules.v6 for iptables-persistent, /etc/sysconfig/iptables,
      /etc/iptables/iptables.rules, /var/lib/iptables/rules-save), or they are saved but no
      enabled systemd unit or if-pre-up script restores them.""",
      """
      After a reboot the host comes up with no killswitch: applications start and connect
      before the VPN does, in clear.""",
      """
      iptables-restore < rules.v4   (typed once, never saved)""",
      """
      iptables-save > /etc/iptables/rules.v4 && systemctl enable netfilter-persistent""",
      List.of("iptables-persistent (Debian)", "the seed article: make it permanent"));

  static final CheckInfo DRIFT = new CheckInfo("KS119", Category.DRIFT, Severity.WARNING,
      "the saved rules differ from the live ones",
      """
      The rules saved where a boot restores them differ from the rules the kernel holds now,
      compared by what they let out in each scenario (as ksaudit diff does): a reordering or
      a rewrite that changes nothing is no drift. A warning when the saved rules let out
      something the live ones stop (the host leaks more after a reboot), an info when they
      only stop more; an error when the restore tool would refuse the saved file, so a boot
      restores nothing. The witness is a packet of the first difference.""",
      """
      Rules changed by hand or by a VPN client and never saved vanish at the next boot; the
      killswitch that was audited is not the one that protects the host after a reboot.""",
      """
      iptables -I OUTPUT -o tun0 -j ACCEPT; iptables -P OUTPUT DROP    (never saved)""",
      """
      iptables-save > /etc/iptables/rules.v4    (or netfilter-persistent save)""",
      List.of("iptables-save(8)", "netfilter-persistent(8)"));

  static final CheckInfo DEFAULT_ROUTE = new CheckInfo("KS120", Category.DEFAULT_ROUTE, Severity.ERROR,
      "a default route outside the tunnel, and the rules let packets take it",
      """
      Once the tunnel is gone, the host's routes send packets to any destination out of a
      link that is not the tunnel: the main table's default route, or the route a policy rule
      selects (ip rule: fwmark, uidrange, suppress_prefixlength; wg-quick's own table 51820
      loses its route through wg0 with the device and its packets fall through to the main
      table). The rules let new connections out there: the witness is such a packet, to a
      destination no more specific route takes, traced through the rules. Each owner a
      uidrange rule names is looked up as well as root's processes.""",
      """
      A VPN client that adds /1 routes, or its own table, leaves the physical default route in
      place. When the tunnel breaks, everything the rules do not stop takes that route, in
      clear: the file audit says what the rules let out, the live audit shows where it goes.""",
      """
      default via 192.0.2.1 dev eth0               (ip route: still there)
      -A OUTPUT -p tcp --dport 443 -j ACCEPT       (not bound to the tunnel)""",
      """
      -A OUTPUT -o tun0 -j ACCEPT
      :OUTPUT DROP [0:0]                           (or: no default route outside the tunnel)""",
      List.of("ip-rule(8): suppress_prefixlength, fwmark, uidrange", "wg-quick(8): Table, FwMark"));

  static final List<CheckInfo> ALL = List.of(NFT_NOT_AUDITED, BOTH_BACKENDS, DNS_PATH, IPV6_EXPOSED, NOT_PERSISTENT, DRIFT,
      DEFAULT_ROUTE);
}
