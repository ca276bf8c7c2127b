package org.ksaudit.setup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a wg-quick(8) config as wg-quick reads it: {@code [Interface]} and {@code [Peer]}
 * sections of {@code Key = Value} lines, keys in any case, {@code #} comments; the interface
 * is named after the file ({@code wg0.conf} is wg0). Keys are never printed.
 *
 * <p>wg-quick routes everything into the tunnel when a peer's {@code AllowedIPs} holds a
 * default route and {@code Table} is {@code auto} (the default); it then marks the tunnel's own
 * packets with {@code FwMark}, or with the table it picks (51820 on a host without other
 * WireGuard tunnels), which killswitches such as wg-quick(8)'s own example test.
 */
public final class WireGuardConfigReader {
  private WireGuardConfigReader() {}

  /** What wg-quick picks on a host with no other WireGuard interface. */
  static final long WG_QUICK_TABLE = 51820;

  public static VpnConfig read(String file, String text) throws VpnConfigException {
    List<Part<Server>> remotes = new ArrayList<>();
    List<Part<String>> dns = new ArrayList<>();
    Optional<Part<Long>> fwmark = Optional.empty();
    Optional<Part<String>> table = Optional.empty();
    Optional<Origin> defaultRoute = Optional.empty();
    List<String> notes = new ArrayList<>();
    String section = "";
    boolean sawInterface = false;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int n = i + 1;
      int hash = lines[i].indexOf('#');
      String line = (hash >= 0 ? lines[i].substring(0, hash) : lines[i]).strip();
      if (line.isEmpty()) continue;
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip().toLowerCase(Locale.ROOT);
        if (!section.equals("interface") && !section.equals("peer")) {
          throw new VpnConfigException(file + ":" + n + ": unknown section [" + line.substring(1, line.length() - 1) + "] (wg-quick knows [Interface] and [Peer])");
        }
        sawInterface |= section.equals("interface");
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) throw new VpnConfigException(file + ":" + n + ": not a 'Key = Value' line");
      if (section.isEmpty()) throw new VpnConfigException(file + ":" + n + ": a key before the first [Interface] or [Peer]");
      String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(eq + 1).strip();
      Origin at = Origin.config(file, n);
      switch (section + "." + key) {
        case "interface.dns" -> {
          for (String v : list(value)) {
            // wg-quick takes a value that is no address as a search domain
            if (ConfigText.address(v).isPresent()) dns.add(new Part<>(v, at));
          }
        }
        case "interface.fwmark" -> {
          if (!value.equalsIgnoreCase("off")) fwmark = Optional.of(new Part<>(number(file, n, "FwMark", value), at));
        }
        case "interface.table" -> table = Optional.of(new Part<>(value, at));
        case "peer.endpoint" -> remotes.add(new Part<>(endpoint(file, n, value), at));
        case "peer.allowedips" -> {
          for (String v : list(value)) {
            if (v.equals("0.0.0.0/0") || v.equals("::/0")) defaultRoute = Optional.of(at);
          }
        }
        default -> {
          // keys, addresses, MTU, scripts: nothing about where the tunnel's packets go
        }
      }
    }
    if (!sawInterface) throw new VpnConfigException(file + ": no [Interface] section: not a wg-quick config");
    Optional<Part<String>> tunnel = Optional.empty();
    String base = baseName(file);
    if (base.endsWith(".conf") && base.length() > 5) {
      String name = base.substring(0, base.length() - 5);
      // wg-quick refuses other file names
      if (name.matches("[a-zA-Z0-9_=+.-]{1,15}")) tunnel = Optional.of(new Part<>(name, Origin.config(file, 1)));
      else notes.add("the file name " + base + " is no interface name wg-quick accepts");
    }
    // a default route goes to the main routing decision only with Table = auto (the default);
    // another table is left to the user's own rules, and off adds no routes
    boolean auto = table.map(t -> t.value().equalsIgnoreCase("auto")).orElse(true);
    Optional<Part<Boolean>> fullTunnel = defaultRoute.map(o -> new Part<>(auto, o));
    if (fwmark.isEmpty() && defaultRoute.isPresent() && auto) {
      fwmark = Optional.of(new Part<>(WG_QUICK_TABLE, defaultRoute.get()));
      notes.add("FwMark " + WG_QUICK_TABLE + " (0x" + Long.toHexString(WG_QUICK_TABLE) + "): what wg-quick sets for the default route at "
          + defaultRoute.get().where());
    }
    return new VpnConfig(file, VpnKind.WIREGUARD, remotes, Optional.empty(), tunnel, dns, fullTunnel, fwmark, table, notes);
  }

  private static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    for (String v : value.split(",")) if (!v.isBlank()) out.add(v.strip());
    return out;
  }

  private static Server endpoint(String file, int line, String value) throws VpnConfigException {
    int colon = value.lastIndexOf(':');
    if (colon <= 0) throw new VpnConfigException(file + ":" + line + ": Endpoint '" + value + "' needs HOST:PORT");
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    else if (host.contains(":")) throw new VpnConfigException(file + ":" + line + ": an IPv6 Endpoint is written [ADDR]:PORT");
    return new Server(host, ConfigText.port(file, line, value.substring(colon + 1)), "udp");
  }

  private static long number(String file, int line, String key, String value) throws VpnConfigException {
    try {
      long v = value.toLowerCase(Locale.ROOT).startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
      if (v >= 0 && v <= 0xffffffffL) return v;
    } catch (NumberFormatException e) {
      // told below, with the line
    }
    throw new VpnConfigException(file + ":" + line + ": " + key + " '" + value + "' is not a number from 0 to 4294967295");
  }

  private static String baseName(String file) {
    int slash = file.lastIndexOf('/');
    return slash >= 0 ? file.substring(slash + 1) : file;
  }
}
