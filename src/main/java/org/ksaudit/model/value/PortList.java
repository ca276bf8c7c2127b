package org.ksaudit.model.value;

import java.util.List;

/** One or more port ranges (a single --dport range, or a multiport list): "any of". */
public record PortList(List<PortRange> ranges) implements Value {
  public PortList {
    ranges = List.copyOf(ranges);
  }

  public boolean contains(int port) {
    return ranges.stream().anyMatch(r -> r.contains(port));
  }
}
