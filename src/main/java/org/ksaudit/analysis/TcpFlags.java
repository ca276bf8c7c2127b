package org.ksaudit.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** TCP flag lists as iptables writes them ("SYN,ACK", "ALL", "NONE"), with the header's bit values. */
public final class TcpFlags {
  private TcpFlags() {}

  private static final List<String> NAMES = List.of("FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR");

  /** A comma list of flag names (any case; ALL is the six classic flags, NONE none); empty when a name is unknown. */
  public static Optional<Integer> parse(String list) {
    int v = 0;
    for (String f : list.split(",", -1)) {
      String n = f.strip().toUpperCase(Locale.ROOT);
      int bit = NAMES.indexOf(n);
      if (bit >= 0) v |= 1 << bit;
      else if (n.equals("ALL")) v |= 0x3f;
      else if (!n.equals("NONE") && !n.isEmpty()) return Optional.empty();
    }
    return Optional.of(v);
  }

  /** The flags as a comma list in header order, "NONE" for none. */
  public static String format(int flags) {
    List<String> out = new ArrayList<>();
    for (int bit = 0; bit < NAMES.size(); bit++) if ((flags & (1 << bit)) != 0) out.add(NAMES.get(bit));
    return out.isEmpty() ? "NONE" : String.join(",", out);
  }
}
