package org.ksaudit.catalog;

import org.ksaudit.model.value.Text;

/** Ethernet addresses as libxt_mac reads them: six hex bytes separated by ':'. */
final class MacAddress {
  private MacAddress() {}

  static final ValueParser PARSER = (raw, ctx) -> {
    String[] parts = raw.split(":", -1);
    boolean ok = parts.length == 6;
    for (int i = 0; ok && i < parts.length; i++) {
      String p = parts[i];
      ok = !p.isEmpty() && p.length() <= 2 && Numbers.parseUnsigned(p, 16).isPresent();
    }
    if (!ok) {
      String hint = raw.toUpperCase().contains("X")
          ? "this looks like an anonymised MAC; iptables needs real hex digits (e.g. 02:00:00:00:00:01)"
          : "write six hex bytes: 00:11:22:33:44:55";
      throw new BadValue("Bad mac address \"" + raw + "\"", hint);
    }
    return new Text(raw.toLowerCase());
  };
}
