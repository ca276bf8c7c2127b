package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Explains a broken baseline from the trace of each failed check's packet in the lab's own
 * ruleset: a packet the rules drop means the killswitch breaks the VPN, and the rule that
 * drops it is named; a packet the rules let out means the lab did not reproduce the setup the
 * rules were written for, and the parts of the setup it could not take from them are named.
 */
final class BaselineExplainer {
  private BaselineExplainer() {}

  static String explain(List<FailedCheck> failed, Map<Probe, String> traces, LabPlan plan) {
    List<String> parts = new ArrayList<>();
    boolean unreproduced = false;
    for (FailedCheck f : failed) {
      Optional<String> trace = f.packet().map(traces::get);
      if (trace.isEmpty()) {
        parts.add(f.what() + " failed (" + f.instead() + "); the engine could not trace its packet");
        continue;
      }
      String verdict = trace.get().split("\\s+", 2)[0];
      String steps = trace.get().contains("#") ? trace.get().substring(trace.get().indexOf('#') + 1).strip() : "";
      if (verdict.equals("DROP") || verdict.equals("REJECT")) {
        parts.add("this ruleset blocks " + f.what() + ": " + lastRule(steps) + " (" + f.instead() + "); the killswitch breaks the VPN");
      } else {
        unreproduced = true;
        parts.add(f.what() + " failed (" + f.instead() + ") although the rules let its packet out (" + steps + ")");
      }
    }
    if (unreproduced) {
      List<String> hints = plan.notes().stream()
          .filter(n -> n.contains("stub") || n.startsWith("cannot tell") || n.contains("(default"))
          .toList();
      parts.add("the lab did not reproduce the setup these rules were written for"
          + (hints.isEmpty() ? "" : " (" + String.join("; ", hints) + ")") + "; pass --vpn-config, or --endpoint, --tunnel and --vpn-dns");
    }
    return String.join("; ", parts);
  }

  /** The trace's deciding step: its last {@code FILE:LINE chain VERDICT} part. */
  private static String lastRule(String steps) {
    String[] s = steps.split(";|->|,");
    return s.length == 0 ? steps : s[s.length - 1].strip();
  }
}
