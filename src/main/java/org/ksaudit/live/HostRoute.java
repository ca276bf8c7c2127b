package org.ksaudit.live;

import java.util.Optional;
import org.ksaudit.model.Family;

/** A route of the main table: {@code destination} is "default" or a prefix; {@code device} the link it leaves by. */
public record HostRoute(Family family, String destination, Optional<String> gateway, String device) {
  public boolean isDefault() {
    return destination.equals("default") || destination.equals("0.0.0.0/0") || destination.equals("::/0");
  }
}
