package org.ksaudit.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.nodes.Element;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.check.Finding;
import org.ksaudit.check.Witness;

/**
 * A leak's witness packet drawn on its way out, as an inline SVG: the packet at the top; one
 * box per visit of a chain (table/chain), holding the rules of the trace it matched there; the
 * hop to the next box named (a jump, a goto, a return to the caller, the next table); the rule
 * that decided its fate highlighted; and the interface it leaves through at the bottom. One
 * {@code path} (class {@code route}) runs from the packet through every rule it matched to
 * the exit; a chain reached by a jump is drawn indented under its caller. The picture is
 * drawn from the finding's trace alone: rules that did not match the packet are not in it.
 */
final class TracePicture {
  private static final Set<String> BUILTIN = Set.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING");
  private static final int WIDTH = 760;
  private static final int MARGIN = 8;
  private static final int INDENT = 28;
  /** Chains deeper in jumps than this are drawn at this depth, so that a box keeps room for its rules. */
  private static final int MAX_INDENTS = 6;
  private static final int NODE = 30;
  private static final int HEAD = 22;
  private static final int ROW = 22;
  private static final int GAP = 30;
  private static final int ROUTE_X = 22;
  /** Characters of a rule line that fit beside the target at 12 px monospace. */
  private static final int RULE_CHARS = 64;

  private final Sources sources;

  TracePicture(Sources sources) {
    this.sources = sources;
  }

  /** How the packet got into a chain's box. */
  private enum Arrival {
    START, JUMP, GOTO, RETURN, POLICY, NEXT_TABLE
  }

  /** One visit of a chain: the steps taken in it in a row, and how deep in jumps it lies. */
  private record Visit(String table, String chain, List<TraceStep> steps, int depth, Arrival arrival) {}

  /** The figure of this finding's witness, appended to {@code parent}; the finding has a witness. */
  void draw(Element parent, Finding f, Witness w) {
    List<Visit> visits = visits(f.trace());
    int height = MARGIN + NODE + GAP;
    for (Visit v : visits) height += HEAD + ROW * v.steps().size() + GAP;
    if (visits.isEmpty()) height += NODE + GAP;
    height += NODE + MARGIN;

    Element svg = parent.appendElement("svg").attr("xmlns", "http://www.w3.org/2000/svg").addClass("trace")
        .attr("width", Integer.toString(WIDTH)).attr("height", Integer.toString(height))
        .attr("viewBox", "0 0 " + WIDTH + " " + height).attr("role", "img");
    PageText.attr(svg, "aria-label", "the path of " + w.describe() + " through the rules");
    PageText.add(svg, "title", "witness " + w.describe());

    Element shapes = svg.appendElement("g");
    Element route = svg.appendElement("g");
    StringBuilder d = new StringBuilder();
    int y = MARGIN;
    node(shapes, 0, y, "node", "packet: " + w.describe());
    int routeX = ROUTE_X;
    d.append("M").append(routeX).append(' ').append(y + NODE);
    y += NODE + GAP;
    if (visits.isEmpty()) {
      arrow(route, d, routeX, y);
      node(shapes, 0, y, "node", "no rule on its path matched: the tables it crosses are empty or let everything out");
      d.append(" V").append(y + NODE);
      y += NODE + GAP;
    }
    int last = visits.size() - 1;
    for (int i = 0; i < visits.size(); i++) {
      Visit v = visits.get(i);
      int x = Math.min(v.depth(), MAX_INDENTS) * INDENT;
      int nextX = x + ROUTE_X;
      hop(shapes, Math.max(routeX, nextX) + 14, y - GAP / 2 + 6, i == 0 ? Arrival.START : v.arrival(), v);
      // the route turns as it leaves a box when the next box is indented differently
      if (nextX != routeX) d.append(" V").append(y - GAP + 5).append(" H").append(nextX);
      routeX = nextX;
      arrow(route, d, routeX, y);
      int boxHeight = HEAD + ROW * v.steps().size();
      shapes.appendElement("rect").addClass("chain").attr("x", Integer.toString(x + MARGIN)).attr("y", Integer.toString(y))
          .attr("width", Integer.toString(WIDTH - x - 2 * MARGIN)).attr("height", Integer.toString(boxHeight)).attr("rx", "4");
      shapes.appendElement("rect").addClass("chain-head").attr("x", Integer.toString(x + MARGIN)).attr("y", Integer.toString(y))
          .attr("width", Integer.toString(WIDTH - x - 2 * MARGIN)).attr("height", Integer.toString(HEAD)).attr("rx", "4");
      text(shapes, x + ROUTE_X + 14, y + 15, "chain-name", v.table() + "/" + v.chain());
      for (int k = 0; k < v.steps().size(); k++) {
        TraceStep s = v.steps().get(k);
        int rowY = y + HEAD + ROW * k;
        boolean decisive = i == last && k == v.steps().size() - 1;
        if (decisive) {
          shapes.appendElement("rect").addClass("decisive").attr("x", Integer.toString(x + MARGIN + 2))
              .attr("y", Integer.toString(rowY + 1)).attr("width", Integer.toString(WIDTH - x - 2 * MARGIN - 4))
              .attr("height", Integer.toString(ROW - 2)).attr("rx", "3");
        }
        route.appendElement("circle").addClass("stop").attr("cx", Integer.toString(routeX)).attr("cy", Integer.toString(rowY + ROW / 2))
            .attr("r", "4");
        // the row's tooltip: the whole rule (a title inside a text element would break the text's spacing)
        Element row = shapes.appendElement("g");
        PageText.add(row, "title", s.describe() + ": " + ruleLine(s));
        text(row, x + ROUTE_X + 14, rowY + 15, decisive ? "decisive-text" : "rule", ruleText(s));
        text(row, WIDTH - MARGIN - 8, rowY + 15, decisive ? "decisive-text" : "target", targetText(s, decisive))
            .attr("text-anchor", "end");
      }
      y += boxHeight;
      d.append(" V").append(y);
      y += GAP;
    }
    if (routeX != ROUTE_X) d.append(" V").append(y - GAP + 5).append(" H").append(ROUTE_X);
    arrow(route, d, ROUTE_X, y);
    node(shapes, 0, y, "exit", exitText(w));
    route.prependElement("path").addClass("route").attr("d", d.toString());
  }

  /** The trace cut into visits of chains, each with its depth under jumps and how the packet came into it. */
  private static List<Visit> visits(List<TraceStep> trace) {
    List<Visit> out = new ArrayList<>();
    List<String> callers = new ArrayList<>();
    List<TraceStep> current = new ArrayList<>();
    Arrival arrival = Arrival.START;
    for (int i = 0; i < trace.size(); i++) {
      TraceStep s = trace.get(i);
      current.add(s);
      TraceStep next = i + 1 < trace.size() ? trace.get(i + 1) : null;
      if (next != null && next.table().equals(s.table()) && next.chain().equals(s.chain())) continue;
      out.add(new Visit(s.table(), s.chain(), current, callers.size(), arrival));
      current = new ArrayList<>();
      if (next == null) break;
      String target = s.target();
      boolean sameTable = next.table().equals(s.table());
      if (next.policy() && sameTable && BUILTIN.contains(next.chain())) {
        arrival = Arrival.POLICY;
        callers.clear();
      } else if (sameTable && !s.policy() && next.chain().equals(target)) {
        arrival = Arrival.JUMP;
        callers.add(s.chain());
      } else if (sameTable && !s.policy() && target.equals("goto " + next.chain())) {
        // a goto replaces the chain: the packet returns from the new one to the caller's caller
        arrival = Arrival.GOTO;
      } else if (sameTable && callers.contains(next.chain())) {
        arrival = Arrival.RETURN;
        callers.subList(callers.lastIndexOf(next.chain()), callers.size()).clear();
      } else {
        arrival = Arrival.NEXT_TABLE;
        callers.clear();
      }
    }
    return out;
  }

  /** The words on the hop into a box, written beside the route above it. */
  private static void hop(Element g, int x, int y, Arrival a, Visit v) {
    String words = switch (a) {
      case START -> "enters " + v.table() + "/" + v.chain();
      case JUMP -> "jumps to " + v.chain();
      case GOTO -> "goes to " + v.chain();
      case RETURN -> "returns to " + v.chain();
      case POLICY -> "reaches the end of its chains: the policy of " + v.chain();
      case NEXT_TABLE -> "then " + v.table() + "/" + v.chain();
    };
    text(g, x, y, "hop", words);
  }

  /** {@code 14: -A OUTPUT -d 10.45.16.1 -j ACCEPT}, cut to fit. */
  private String ruleText(TraceStep s) {
    return cut(s.line() + ": " + ruleLine(s), RULE_CHARS);
  }

  /** The rule as written, at most a screenful of it: a hostile line may hold megabytes. */
  private String ruleLine(TraceStep s) {
    String line = cut(sources.line(s.file(), s.line()), 1024).strip();
    return line.isEmpty() ? (s.policy() ? "policy of " + s.chain() : "(rule text not available)") : line;
  }

  private static String cut(String s, int chars) {
    return s.codePointCount(0, s.length()) <= chars ? s : s.substring(0, s.offsetByCodePoints(0, chars - 1)) + "…";
  }

  private static String targetText(TraceStep s, boolean decisive) {
    String t = (s.policy() ? "policy " : "") + s.target();
    if (!decisive) return t;
    return t.toUpperCase(Locale.ROOT).endsWith("ACCEPT") ? t + ": lets it out" : t + ": decides";
  }

  private static String exitText(Witness w) {
    return "leaves through " + w.oif() + (w.iif().isEmpty() ? "" : " (forwarded from " + w.iif() + ")") + ", outside the tunnel";
  }

  private static void node(Element g, int x, int y, String cssClass, String words) {
    g.appendElement("rect").addClass(cssClass).attr("x", Integer.toString(x + MARGIN)).attr("y", Integer.toString(y))
        .attr("width", Integer.toString(WIDTH - x - 2 * MARGIN)).attr("height", Integer.toString(NODE)).attr("rx", "6");
    text(g, x + ROUTE_X + 14, y + 19, cssClass.equals("exit") ? "exit-text" : "node-text", words);
  }

  /** The route down to {@code y}, ending in an arrowhead there. */
  private static void arrow(Element g, StringBuilder d, int x, int y) {
    d.append(" V").append(y - 6);
    g.appendElement("path").addClass("arrowhead").attr("d", "M" + (x - 6) + " " + (y - 8) + " L" + (x + 6) + " " + (y - 8)
        + " L" + x + " " + y + " Z");
  }

  private static Element text(Element g, int x, int y, String cssClass, String words) {
    Element t = g.appendElement("text").addClass(cssClass).attr("x", Integer.toString(x)).attr("y", Integer.toString(y));
    return PageText.append(t, words);
  }
}
