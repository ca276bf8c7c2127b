package org.ksaudit.lab;

import java.util.List;
import java.util.Map;

/** The static engine's verdict for concrete packets: ACCEPT, DROP or REJECT per packet. */
@FunctionalInterface
public interface Predictor {
  /** Verdicts for the packets it could answer; a packet it cannot answer is absent from the map. */
  Map<Probe, String> verdicts(List<Probe> packets) throws LabException;

  /**
   * The engine's trace for each packet, {@code VERDICT # FILE:LINE chain TARGET; ...} as the
   * batch trace prints it, to name the rule that decided; none when the engine cannot tell.
   */
  default Map<Probe, String> traces(List<Probe> packets) throws LabException {
    return Map.of();
  }
}
