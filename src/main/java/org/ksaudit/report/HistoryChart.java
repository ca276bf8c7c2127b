package org.ksaudit.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;
import org.jsoup.nodes.Element;

/**
 * The runs of {@code ksaudit report} kept in the history folder as a small SVG line chart:
 * findings and measured leaks per run, oldest on the left, one point per run (spaced evenly,
 * not by time), each point's tooltip giving its time and both counts.
 */
final class HistoryChart {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final int WIDTH = 640;
  private static final int HEIGHT = 200;
  private static final int LEFT = 40;
  private static final int RIGHT = 16;
  private static final int TOP = 24;
  private static final int BOTTOM = 34;

  private HistoryChart() {}

  /** {@code 2026-12-05 10:00 UTC}: a run's time as the page writes it. */
  static String when(Instant at) {
    return WHEN.format(at);
  }

  static void draw(Element parent, List<RunSummary> history) {
    List<RunSummary> runs = history.stream().sorted(Comparator.comparing(RunSummary::at)).toList();
    int max = Math.max(1, runs.stream().mapToInt(r -> Math.max(r.findings(), r.measuredLeaks())).max().orElse(1));
    Element svg = parent.appendElement("svg").attr("xmlns", "http://www.w3.org/2000/svg").addClass("history")
        .attr("width", Integer.toString(WIDTH)).attr("height", Integer.toString(HEIGHT))
        .attr("viewBox", "0 0 " + WIDTH + " " + HEIGHT).attr("role", "img")
        .attr("aria-label", "findings and measured leaks in the last " + runs.size() + " runs");
    PageText.add(svg, "title", "findings and measured leaks per run");
    int plotBottom = HEIGHT - BOTTOM;
    svg.appendElement("path").addClass("axis").attr("d", "M" + LEFT + " " + TOP + " V" + plotBottom + " H" + (WIDTH - RIGHT));
    text(svg, LEFT - 6, TOP + 4, "end", Integer.toString(max));
    text(svg, LEFT - 6, plotBottom + 4, "end", "0");
    text(svg, LEFT, HEIGHT - 10, "start", WHEN.format(runs.get(0).at()));
    if (runs.size() > 1) text(svg, WIDTH - RIGHT, HEIGHT - 10, "end", WHEN.format(runs.get(runs.size() - 1).at()));
    series(svg, runs, max, RunSummary::findings, "findings");
    series(svg, runs, max, RunSummary::measuredLeaks, "leaks");
    Element legend = text(svg, WIDTH - RIGHT, 14, "end", "");
    legend.appendElement("tspan").addClass("dot-findings").appendText("— findings");
    legend.appendElement("tspan").appendText("   ");
    legend.appendElement("tspan").addClass("dot-leaks").appendText("- - measured leaks");
  }

  private static void series(Element svg, List<RunSummary> runs, int max, ToIntFunction<RunSummary> value, String name) {
    StringBuilder points = new StringBuilder();
    Element dots = new Element("g");
    for (int i = 0; i < runs.size(); i++) {
      int x = x(i, runs.size());
      int y = TOP + (HEIGHT - BOTTOM - TOP) * (max - value.applyAsInt(runs.get(i))) / max;
      if (points.length() > 0) points.append(' ');
      points.append(x).append(',').append(y);
      Element dot = dots.appendElement("circle").addClass("dot-" + name).attr("cx", Integer.toString(x)).attr("cy", Integer.toString(y))
          .attr("r", "3.5");
      RunSummary r = runs.get(i);
      PageText.add(dot, "title", WHEN.format(r.at()) + ": " + r.findings() + " findings, " + r.measuredLeaks() + " measured leaks");
    }
    svg.appendElement("polyline").addClass("series-" + name).attr("points", points.toString());
    svg.appendChild(dots);
  }

  /** The x of run {@code i} of {@code n}: spread over the plot, a single run in its middle. */
  private static int x(int i, int n) {
    int span = WIDTH - RIGHT - LEFT - 16;
    return n == 1 ? LEFT + 8 + span / 2 : LEFT + 8 + span * i / (n - 1);
  }

  private static Element text(Element svg, int x, int y, String anchor, String words) {
    return PageText.append(svg.appendElement("text").attr("x", Integer.toString(x)).attr("y", Integer.toString(y))
        .attr("text-anchor", anchor), words);
  }
}
