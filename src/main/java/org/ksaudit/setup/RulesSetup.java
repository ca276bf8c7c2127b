package org.ksaudit.setup;

import java.util.List;
import java.util.Optional;

/**
 * What the rules themselves say about the VPN they were written for, each part with the rule
 * it was read from. A part the rules do not tell is empty, and {@code cannotTell} says which
 * flag would tell it.
 *
 * @param kind the VPN's kind: tunnel names, VPN ports, wg-quick's fwmark, IPsec policy matches
 * @param servers the allowed VPN servers, the one to run first; a server allowed to any host has no address
 * @param tunnels the names the rules treat as the tunnel, the one to use first
 * @param uplink the interface the rules let the VPN's own packets out of
 * @param vpnDns the resolver the rules allow (through the tunnel or past it)
 * @param stub the local stub resolver the rules send DNS to ({@code 127.0.0.53})
 * @param clientMark the packet mark the rules let out past the tunnel (wg-quick's 0xca6c, NordVPN's 0xe1f1)
 * @param clientUid the uid the rules allow the VPN's own packets for; {@code clientGid} likewise
 * @param resolverUid the uid the rules allow DNS for; {@code resolverGid} likewise
 * @param cannotTell what the rules leave open and the flag that settles it
 */
public record RulesSetup(
    Optional<Part<VpnKind>> kind,
    List<AllowedServer> servers,
    List<Part<String>> tunnels,
    Optional<Part<String>> uplink,
    Optional<Part<String>> vpnDns,
    Optional<Part<String>> stub,
    Optional<Part<Long>> clientMark,
    Optional<Part<Long>> clientUid,
    Optional<Part<Long>> clientGid,
    Optional<Part<Long>> resolverUid,
    Optional<Part<Long>> resolverGid,
    List<String> cannotTell) {
  public RulesSetup {
    servers = List.copyOf(servers);
    tunnels = List.copyOf(tunnels);
    cannotTell = List.copyOf(cannotTell);
  }
}
