package org.ksaudit.live;

import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;

/**
 * A route of one of the host's routing tables ({@code main}, {@code local}, or one a policy rule
 * selects, such as wg-quick's {@code 51820}); {@code device} is empty for a route that sends
 * nowhere (blackhole, unreachable, prohibit, throw).
 */
public record HostRoute(Family family, String table, Kind kind, Cidr destination, Optional<String> gateway,
    Optional<String> device, long metric) {
  /** What a route does with the packets it takes. */
  public enum Kind {
    /** Sends them out of its device. */
    UNICAST,
    /** Keeps them on the host or its link: local, broadcast, anycast and multicast routes. */
    LOCAL,
    /** Drops them: blackhole, unreachable, prohibit. */
    DROP,
    /** Sends the lookup on to the next policy rule. */
    THROW;

    static Kind of(String type) {
      return switch (type) {
        case "unicast" -> UNICAST;
        case "blackhole", "unreachable", "prohibit" -> DROP;
        case "throw" -> THROW;
        default -> LOCAL;
      };
    }
  }

  public boolean isDefault() {
    return destination.prefix() == 0;
  }

  /** The route as {@code ip route} prints it, for messages. */
  public String describe() {
    String dst = isDefault() ? "default" : destination.toString();
    return dst + gateway.map(g -> " via " + g).orElse("") + device.map(d -> " dev " + d).orElse("")
        + (table.equals("main") ? "" : " table " + table);
  }
}
