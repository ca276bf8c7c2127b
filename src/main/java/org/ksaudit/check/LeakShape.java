package org.ksaudit.check;

import java.util.Map;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.model.Family;

/**
 * What one rule (or policy) lets out, as the checks weigh it to pick the finding's one
 * category: the set split by {@link TrafficKind} (only non-empty pieces), whether the rule is
 * a VPN allowance (it names a VPN port or the server's address, or lets out only TCP/UDP on
 * chosen ports to one host that is no resolver), whether it names a DNS port, whether what
 * leaves beyond the link goes to one host (after any DNAT: a resolver reached by DNAT is one),
 * and the ruleset's family.
 */
record LeakShape(Map<TrafficKind, PacketSet> pieces, boolean vpnAllowance, boolean namesDnsPort, boolean oneHost,
    Family family) {
  LeakShape {
    pieces = Map.copyOf(pieces);
  }

  boolean has(TrafficKind k) {
    return pieces.containsKey(k);
  }

  /** Beyond the link, only traffic of kind {@code k}. */
  boolean onlyBeyondLink(TrafficKind k) {
    return has(k) && pieces.keySet().stream().allMatch(x -> x == k || x == TrafficKind.LINK_LOCAL);
  }

  /** Only traffic that stays on the link. */
  boolean onlyLinkLocal() {
    return pieces.size() == 1 && has(TrafficKind.LINK_LOCAL);
  }
}
