package org.ksaudit.analysis;

import java.util.List;

/**
 * The ways a packet crosses the rules, each as its sequence of (table, built-in chain) in the
 * kernel's hook priority order: raw (-300), conntrack (-200), mangle (-150), nat for
 * destinations (-100), filter (0), security (50), then POSTROUTING mangle and nat for sources.
 */
public enum Path {
  /** A locally generated packet leaving the host. */
  OUTPUT(List.of(new Stage("raw", "OUTPUT"), new Stage("mangle", "OUTPUT"), new Stage("nat", "OUTPUT"),
      new Stage("filter", "OUTPUT"), new Stage("security", "OUTPUT"), new Stage("mangle", "POSTROUTING"),
      new Stage("nat", "POSTROUTING")), "filter", "OUTPUT"),
  /** A packet routed through the host (containers, VMs, a router). */
  FORWARD(List.of(new Stage("raw", "PREROUTING"), new Stage("mangle", "PREROUTING"), new Stage("nat", "PREROUTING"),
      new Stage("mangle", "FORWARD"), new Stage("filter", "FORWARD"), new Stage("security", "FORWARD"),
      new Stage("mangle", "POSTROUTING"), new Stage("nat", "POSTROUTING")), "filter", "FORWARD"),
  /** A packet delivered to the host itself. */
  INPUT(List.of(new Stage("raw", "PREROUTING"), new Stage("mangle", "PREROUTING"), new Stage("nat", "PREROUTING"),
      new Stage("mangle", "INPUT"), new Stage("filter", "INPUT"), new Stage("security", "INPUT"),
      new Stage("nat", "INPUT")), "filter", "INPUT");

  private final List<Stage> stages;
  private final Stage decisive;

  Path(List<Stage> stages, String decisiveTable, String decisiveChain) {
    this.stages = stages;
    this.decisive = new Stage(decisiveTable, decisiveChain);
  }

  public List<Stage> stages() {
    return stages;
  }

  /** The stage whose accepting rule is named as "the rule that lets the packet through". */
  public Stage decisive() {
    return decisive;
  }

  /** One table's built-in chain on a path. */
  public record Stage(String table, String chain) {
    /** The nat table sees only the first packet of a connection. */
    public boolean natOnly() {
      return table.equals("nat");
    }

    /** After these stages the kernel routes the packet again if the rules changed its mark or destination. */
    public boolean reroutes() {
      return chain.equals("OUTPUT") && (table.equals("mangle") || table.equals("nat"));
    }

    public StageView view() {
      return StageView.of(chain);
    }
  }
}
