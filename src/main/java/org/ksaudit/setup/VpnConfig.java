package org.ksaudit.setup;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a VPN client's config file says about the setup, each part with the line it came from.
 *
 * @param file the config's name as the user gave it
 * @param remotes every server the client may connect to, in the file's order
 * @param remoteRandom the line of {@code remote-random}: the client picks any remote, not the first
 * @param tunnel the tunnel device's name ({@code dev}, or the wg-quick file's name)
 * @param dns resolvers the VPN pushes or the config sets ({@code dhcp-option DNS}, {@code DNS =})
 * @param fullTunnel whether all traffic is routed into the tunnel ({@code redirect-gateway}, {@code AllowedIPs = 0.0.0.0/0})
 * @param fwmark the mark on the tunnel's own packets (wg-quick's {@code FwMark}, or the one it chooses)
 * @param table the routing table ({@code Table})
 * @param notes how a value was read where the file leaves it implicit ({@code dev tun} is named tun0)
 */
public record VpnConfig(
    String file,
    VpnKind kind,
    List<Part<Server>> remotes,
    Optional<Origin> remoteRandom,
    Optional<Part<String>> tunnel,
    List<Part<String>> dns,
    Optional<Part<Boolean>> fullTunnel,
    Optional<Part<Long>> fwmark,
    Optional<Part<String>> table,
    List<String> notes) {
  public VpnConfig {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kind, "kind");
    remotes = List.copyOf(remotes);
    dns = List.copyOf(dns);
    notes = List.copyOf(notes);
  }

  /** The servers named by an address; a host name would need a DNS lookup, which ksaudit never makes. */
  public List<Part<Server>> numericRemotes() {
    return remotes.stream().filter(r -> r.value().numeric()).toList();
  }
}
