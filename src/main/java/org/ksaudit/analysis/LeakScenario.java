package org.ksaudit.analysis;

/**
 * The killswitch scenarios in which two rulesets are compared: each is a path and the
 * packets that start on it (see {@link RulesetAnalysis.Start}).
 */
public enum LeakScenario {
  /** The first packet of a new connection when the tunnel is gone. */
  TUNNEL_GONE("tunnel-gone", "tunnel gone", Path.OUTPUT, RulesetAnalysis.Start.NEW_CONNECTIONS),
  /** Packets of connections open when the tunnel went down. */
  OPEN_CONNECTIONS("open-connections", "open connections", Path.OUTPUT, RulesetAnalysis.Start.OPEN_CONNECTIONS),
  /** New connections whose packets carry a mark a rule can tell from none. */
  MARKED_PACKETS("marked-packets", "marked packets", Path.OUTPUT, RulesetAnalysis.Start.MARKED_PACKETS),
  /** Copies a TEE rule sends to its gateway. */
  TEE_COPIES("tee-copies", "TEE copies", Path.OUTPUT, RulesetAnalysis.Start.TEE_COPIES),
  /** New connections routed through the host (containers, VMs, a router). */
  FORWARDED("forwarded", "forwarded", Path.FORWARD, RulesetAnalysis.Start.NEW_CONNECTIONS);

  private final String jsonName;
  private final String label;
  private final Path path;
  private final RulesetAnalysis.Start start;

  LeakScenario(String jsonName, String label, Path path, RulesetAnalysis.Start start) {
    this.jsonName = jsonName;
    this.label = label;
    this.path = path;
    this.start = start;
  }

  public String jsonName() {
    return jsonName;
  }

  public String label() {
    return label;
  }

  public Path path() {
    return path;
  }

  public RulesetAnalysis.Start start() {
    return start;
  }
}
