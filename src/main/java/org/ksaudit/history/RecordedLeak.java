package org.ksaudit.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A probe the lab measured leaking, as a run's report.json recorded it: the scenario, the probe's
 * ID (stable from run to run for the same packet) and what the probe was.
 */
public record RecordedLeak(String scenario, String probe, String text) {
  public RecordedLeak {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(text, "text");
  }

  /** The leaks of a probe document ({@code $defs/probe}). */
  static List<RecordedLeak> of(JsonNode probe) throws HistoryException {
    JsonNode scenarios = probe.path("scenarios");
    if (!scenarios.isArray()) throw new HistoryException("its lab report has no scenarios array");
    List<RecordedLeak> out = new ArrayList<>();
    for (JsonNode s : scenarios) {
      for (JsonNode p : s.path("probes")) {
        if (!p.path("result").asText().equals("leaked")) continue;
        String dport = p.path("dport").asInt(-1) < 0 ? "" : ":" + p.path("dport").asInt();
        String text = p.path("family").asText() + " " + p.path("proto").asText() + " " + p.path("dst").asText() + dport + " out "
            + p.path("oif").asText("-") + " (" + p.path("label").asText() + ")";
        out.add(new RecordedLeak(s.path("name").asText(), p.path("id").asText(), text));
      }
    }
    return out;
  }

  boolean same(RecordedLeak o) {
    return scenario.equals(o.scenario) && probe.equals(o.probe);
  }
}
