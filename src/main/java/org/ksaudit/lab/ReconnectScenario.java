package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code reconnect}: the VPN client is stopped (SIGTERM) and started again, as after a reboot,
 * a network change or a configuration reload, while datagrams go out every 10 ms. Between the
 * client taking its routes down and the new tunnel's routes, the LAN's default route is the
 * only one left: what the rules let out then leaks, for some tens of milliseconds (LAB-NOTES:
 * 5–6 datagrams without a killswitch).
 */
final class ReconnectScenario {
  private ReconnectScenario() {}

  /** Sending before and after the window, so its edges are inside the measurement. */
  private static final long MARGIN_MILLIS = 200;
  /** Source ports of the streams: above the range the probe set uses. */
  private static final int FIRST_PORT = 40_000;

  static ScenarioResult run(ScenarioDriver d) throws LabException {
    Lab lab = d.lab();
    LabPlan plan = lab.plan();
    boolean up = d.vpnUp(Vpn.Carried.BOTH);
    List<ScenarioProbe> probes = new ArrayList<>();
    probes.add(d.rawProbe("reconnect window: UDP to a web server every 10 ms", "udp", LabPlan.WEB4, LabServices.ECHO));
    probes.add(d.rawProbe("reconnect window: DNS to the VPN resolver every 10 ms", "udp", plan.vpnDns(), 53));
    if (lab.clientIpv6()) {
      probes.add(d.rawProbe("reconnect window: UDP over IPv6 to a web server every 10 ms", "udp", LabPlan.WEB6, LabServices.ECHO));
    }
    ProbeCounters counters = d.counters();
    List<StreamSender.Stream> streams = new ArrayList<>();
    for (int i = 0; i < probes.size(); i++) {
      ScenarioProbe p = probes.get(i);
      int sport = FIRST_PORT + i;
      streams.add(new StreamSender.Stream(p.id(), p.family(), p.dst(), p.dport(), sport));
      counters.add(p, "-d " + p.dst() + " -p udp --sport " + sport + " --dport " + p.dport());
    }
    counters.install();
    lab.neighbours(probes.stream().map(ScenarioProbe::dst).toList());

    StreamSender sender = StreamSender.start(lab, streams);
    Map<String, StreamSender.Sends> sends;
    long t0;
    long back;
    boolean upAgain;
    try {
      LabProcess.sleep(MARGIN_MILLIS);
      t0 = System.nanoTime();
      d.stopVpn();
      upAgain = d.startVpn(Vpn.Carried.BOTH);
      back = (System.nanoTime() - t0) / 1_000_000;
      LabProcess.sleep(MARGIN_MILLIS);
    } finally {
      sends = sender.stop();
    }
    ProbeCounters.Arrivals arrived = counters.read();

    List<String> notes = new ArrayList<>();
    notes.add("the VPN client was stopped (SIGTERM) and started again" + (up ? "" : " (the tunnel had not come up before)") + "; "
        + (upAgain ? "the tunnel carried traffic again after " + back + " ms" : "the tunnel did not come back within " + back + " ms"));
    List<ProbeOutcome> outcomes = new ArrayList<>();
    for (ScenarioProbe p : probes) {
      StreamSender.Sends s = sends.getOrDefault(p.id(), new StreamSender.Sends(0, 0, 0));
      long clear = arrived.routerCount(p.id());
      notes.add(String.format(Locale.ROOT, "%s: %d of %d datagrams in clear at the router%s, %d through the tunnel, %d refused by the rules",
          p.packet(), clear, s.total(), clear > 0 ? " (about " + clear * 10 + " ms of traffic)" : "", arrived.tunnelCount(p.id()), s.refused()));
      // the window's packets left through the LAN (counted in clear, or refused there by the rules) or stayed in the tunnel
      String oif = clear > 0 || s.refused() > 0 ? plan.uplink() : plan.tunnelInterface();
      Optional<String> error = s.refused() > 0 ? Optional.of(s.refused() + " sends refused: EPERM, dropped by the rules") : Optional.empty();
      outcomes.add(new ProbeOutcome(p, Optional.of(oif), error, arrived.router(p.id()), arrived.clear(p.id()), arrived.tunnel(p.id()),
          Optional.empty(), Optional.empty(), false));
    }
    return new ScenarioResult(Scenario.RECONNECT, upAgain, notes, outcomes);
  }
}
