package org.ksaudit.lab;

import java.util.Optional;

/**
 * What happened to one probe: whether and where it went out, where it was counted, what
 * answered, and the static engine's verdict for the same packet.
 *
 * @param oif the interface it left through (forced or chosen by the client's routing)
 * @param sendError why it could not be sent, or the error the sender saw (EPERM: the rules dropped it)
 * @param routerInterface where the router counted it in clear, if it did
 * @param internetClear counted arriving at the internet outside the tunnel
 * @param internetTunnel counted arriving at the internet through the VPN
 * @param answer what the service answered (service probes), e.g. the address a web page shows
 * @param predicted the engine's verdict (ACCEPT, DROP, REJECT) for this packet on {@code oif}
 */
public record ProbeOutcome(
    ScenarioProbe probe,
    Optional<String> oif,
    Optional<String> sendError,
    Optional<String> routerInterface,
    boolean internetClear,
    boolean internetTunnel,
    Optional<String> answer,
    Optional<String> predicted,
    boolean predictedInClear) {

  public boolean sent() {
    return oif.isPresent();
  }

  public boolean inClear() {
    return routerInterface.isPresent();
  }

  public boolean leaked() {
    return inClear() && !probe.intendedInClear();
  }

  /** The engine and the kernel disagree on whether this packet leaves in clear. */
  public boolean disagreement() {
    return sent() && predicted.isPresent() && predictedInClear != inClear();
  }
}
