package org.ksaudit.check;

import org.ksaudit.analysis.RulesetAnalysis;

/**
 * Which packets a finding is about, so a reader (and a test) can tell a leak of new
 * connections from one of packets that only exist in a narrower situation; {@link #jsonName()}
 * is used verbatim in JSON output.
 */
public enum FindingKind {
  /** The first packet of a new connection without a mark: what any application sends (forwarded ones included). */
  NEW_CONNECTION("new-connection"),
  /** A packet of a connection that was open when the tunnel went down (conntrack ESTABLISHED or RELATED). */
  OPEN_CONNECTION("open-connection"),
  /** A new connection's first packet carrying a packet mark a rule exempts. */
  MARKED_PACKET("marked-packet"),
  /** A copy a TEE rule sends to its gateway. */
  TEE_COPY("tee-copy"),
  /** No packet: the finding is about the rules themselves (a policy, a dead rule, a missing chain). */
  RULESET("ruleset"),
  /** The host's configuration around the rules (check --live): its resolvers, addresses, other tables, boot. */
  HOST("host");

  private final String jsonName;

  FindingKind(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  /** The kind of the packets a leak computation starts from. */
  static FindingKind of(RulesetAnalysis.Start start) {
    return switch (start) {
      case NEW_CONNECTIONS -> NEW_CONNECTION;
      case OPEN_CONNECTIONS -> OPEN_CONNECTION;
      case MARKED_PACKETS -> MARKED_PACKET;
      case TEE_COPIES -> TEE_COPY;
    };
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
