package org.ksaudit.lab;

import java.util.List;

/**
 * What a scenario written as a class of its own asks of the prober that runs it: the lab, the
 * VPN client's life, and one measurement of the whole probe set.
 */
interface ScenarioDriver {
  Lab lab();

  /** Starts the VPN client (stopping a running one first); true once the tunnel carries traffic. */
  boolean startVpn(Vpn.Carried carried) throws LabException;

  /** A VPN client carrying {@code carried}: the running one when its tunnel is up, else a new one; true once the tunnel carries traffic. */
  boolean vpnUp(Vpn.Carried carried) throws LabException;

  /** Kills the VPN client with SIGKILL, if one runs. */
  void killVpn() throws LabException;

  /** Stops the VPN client with SIGTERM, if one runs: it takes down its own routes and device. */
  void stopVpn() throws LabException;

  /**
   * Sends the probe set (the standard probes, {@code extra}, the witnesses) as the client's
   * routes and rules stand now, and counts where each packet arrived.
   */
  ScenarioResult measure(Scenario s, boolean tunnelUp, List<String> notes, List<ScenarioProbe> extra) throws LabException;

  /** Counters for this lab, the LAN host's included when there is one. */
  ProbeCounters counters();

  /** A probe that is a single packet (not a service request) from the client, routed as the client routes it. */
  ScenarioProbe rawProbe(String label, String proto, String dst, int port);
}
