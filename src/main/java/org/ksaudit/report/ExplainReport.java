package org.ksaudit.report;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.ksaudit.check.Category;
import org.ksaudit.check.CheckInfo;

/** The documentation of a check, as {@code ksaudit explain} prints it. */
public final class ExplainReport {
  private ExplainReport() {}

  public static String render(CheckInfo c) {
    StringBuilder sb = new StringBuilder();
    sb.append(c.id()).append(' ').append(c.category().jsonName()).append(" (").append(c.severity().label())
        .append("): ").append(c.summary()).append("\n\n");
    section(sb, "What it means", c.meaning());
    section(sb, "Why it leaks", c.whyItLeaks());
    section(sb, "Insecure example", indent(c.insecureExample()));
    section(sb, "Secure example", indent(c.secureExample()));
    section(sb, "How it is reported", reported(c.category()));
    sb.append("References\n");
    for (String r : c.references()) sb.append("  - ").append(r).append('\n');
    return sb.toString();
  }

  /** The categories whose findings are packets that get out, with their traffic and a witness. */
  private static final Set<Category> LEAKS = EnumSet.of(Category.DNS_LEAK, Category.IPV6_LEAK, Category.VPN_ENDPOINT_TOO_BROAD,
      Category.LAN_EXEMPTION, Category.DIRECT_LEAK, Category.FORWARD_LEAK, Category.LINK_LOCAL);

  /** The live host's findings about where its packets go. */
  private static final Set<Category> HOST_PATHS = EnumSet.of(Category.DNS_PATH, Category.IPV6_EXPOSED, Category.DEFAULT_ROUTE);
  /** The live host's findings about its rules' state: what is not audited, not saved, or saved otherwise. */
  private static final Set<Category> HOST_STATE = EnumSet.of(Category.NFT_NOT_AUDITED, Category.BOTH_BACKENDS,
      Category.NOT_PERSISTENT, Category.DRIFT);

  /** How a finding of the category reads in text and JSON, so a reader of one finding knows what the others say. */
  static String reported(Category c) {
    String locations = """
        Rules of the same shape (the same words but for addresses, ports, ICMP types and
        comments) are one finding: the text shows the first rule and "and N more: lines ...",
        JSON lists every rule in "locations" ({"line","column"}), the first one first.""";
    if (c == Category.INTERFACE_WILDCARD) {
      return """
          One finding per wildcard, JSON "kind": "ruleset": the text shows the first rule that uses
          it and "and N more: lines ...", JSON lists every such rule in "locations"
          ({"line","column"}), the first one first.""";
    }
    if (HOST_PATHS.contains(c)) {
      return """
          One finding per resolver (dns-path), per route (default-route) or per host
          (ipv6-exposed), JSON "kind": "new-connection", the host's fact it rests on (the link,
          the route and policy rule, the addresses) in the message. A dns-path or default-route
          finding has a witness the rules let out through that link, its trace, and the rule
          that lets it out as its one entry of "locations".""";
    }
    if (HOST_STATE.contains(c)) {
      return """
          One finding per table (nft-not-audited), family (both-backends, not-persistent) or
          saved file (drift), JSON "kind": "host"; it points at no rule ("locations" is empty). A
          drift finding has the witness and trace of the first difference.""";
    }
    if (!LEAKS.contains(c)) {
      return """
          One finding per rule, policy or chain, JSON "kind": "ruleset"; "locations" holds that one
          place.""";
    }
    return """
        One finding per rule or policy that lets packets out, in the one category that fits it
        best (traffic that stays on the link, a VPN allowance, a resolver, a private range, else
        a direct or IPv6 leak). The message says everything else that gets out through the same
        rule, and JSON lists it by kind in "traffic" ([{"kind","text"}]; kinds link-local, vpn,
        dns, lan, other).""" + "\n\n" + locations + "\n\n" + """
        The witness is a packet the kernel lets out, with every field the leak needs (src, sport,
        uid, gid, ICMP type, TCP flags, state, mark); JSON "kind" says which packets the finding
        is about: new-connection, open-connection, marked-packet or tee-copy.""";
  }

  /** The same documentation in Markdown, for SARIF's {@code help.markdown}. */
  public static String markdown(CheckInfo c) {
    StringBuilder sb = new StringBuilder();
    sb.append("**").append(c.id()).append(' ').append(c.category().jsonName()).append("** (").append(c.severity().label())
        .append("): ").append(c.summary()).append("\n\n");
    sb.append("### What it means\n\n").append(c.meaning().strip()).append("\n\n");
    sb.append("### Why it leaks\n\n").append(c.whyItLeaks().strip()).append("\n\n");
    sb.append("### Insecure example\n\n```\n").append(c.insecureExample().strip()).append("\n```\n\n");
    sb.append("### Secure example\n\n```\n").append(c.secureExample().strip()).append("\n```\n\n");
    sb.append("### References\n\n");
    for (String r : c.references()) sb.append("- ").append(r).append('\n');
    return sb.toString();
  }

  public static String list(List<CheckInfo> checks) {
    StringBuilder sb = new StringBuilder();
    for (CheckInfo c : checks) {
      sb.append(String.format("%s  %-22s %-7s  %s%n", c.id(), c.category().jsonName(), c.severity().label(), c.summary()));
    }
    return sb.toString();
  }

  private static void section(StringBuilder sb, String title, String body) {
    sb.append(title).append('\n');
    for (String line : body.strip().split("\n")) sb.append("  ").append(line.stripTrailing()).append('\n');
    sb.append('\n');
  }

  private static String indent(String example) {
    return example.lines().map(l -> "  " + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
