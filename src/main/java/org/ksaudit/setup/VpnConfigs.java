package org.ksaudit.setup;

/**
 * Reads a VPN client's config, telling the formats apart by content: an {@code [Interface]}
 * section is wg-quick's, anything else is read as OpenVPN's.
 */
public final class VpnConfigs {
  private VpnConfigs() {}

  public static VpnConfig read(String file, String text) throws VpnConfigException {
    boolean wireGuard = text.lines().map(String::strip).anyMatch(l -> l.equalsIgnoreCase("[Interface]"));
    return wireGuard ? WireGuardConfigReader.read(file, text) : OpenVpnConfigReader.read(file, text);
  }
}
