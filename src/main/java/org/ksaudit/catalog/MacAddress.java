package org.ksaudit.catalog;

import org.ksaudit.model.value.Text;

/**
 * Ethernet addresses as libxtables' XTTYPE_ETHERMAC reads them: six parts separated by ':',
 * each read with strtoul(…, 16) and at most two characters long. That C reading accepts an
 * empty part (as 0) and a sign; it refuses anything else, such as the "XX" of anonymised dumps.
 */
final class MacAddress {
  private MacAddress() {}

  static final ValueParser PARSER = (raw, ctx) -> {
    int from = 0;
    StringBuilder canonical = new StringBuilder();
    for (int part = 0; part < 6; part++) {
      Numbers.Scan sc = Numbers.strtoul(raw, from, 16);
      int end = sc.end();
      boolean last = part == 5;
      boolean sepOk = last ? end == raw.length() : end < raw.length() && raw.charAt(end) == ':';
      if (!sepOk || end - from > 2) throw bad(raw);
      if (part > 0) canonical.append(':');
      canonical.append(String.format("%02x", sc.value() & 0xff));
      from = end + 1;
    }
    return new Text(canonical.toString());
  };

  private static BadValue bad(String raw) {
    String hint = raw.toUpperCase().contains("X")
        ? "this looks like an anonymised MAC; iptables needs real hex digits (e.g. 02:00:00:00:00:01)"
        : "write six hex bytes: 00:11:22:33:44:55";
    return new BadValue("Invalid MAC address \"" + raw + "\"", hint);
  }
}
