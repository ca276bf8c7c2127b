package org.ksaudit.report;

import java.util.List;
import org.ksaudit.diagnostic.TerminalText;

/**
 * The report of {@code ksaudit check} on many hosts. Text: each host's own report under a
 * {@code == HOST (FILES)} line, in host order, then a table of every host with its exit code
 * and the last line of its report. JSON: {@code {"tool","version","hosts":[{"host","files",
 * "exitCode","report"}],"summary":{"hosts":n,"clean":n,"findings":n,"refused":n,"failed":n,
 * "exitCode":n}}}, where "report" is the document {@code ksaudit check --format json} writes
 * for that host.
 */
public final class FleetReport {
  private FleetReport() {}

  /** One host's check: its name, files, exit code and what it wrote. */
  public record HostRun(String host, List<String> files, int code, String out, String err) {
    public HostRun {
      files = List.copyOf(files);
    }

    /** The last line of the report (its summary), or the first line of what went wrong. */
    String outcome() {
      String o = out.strip();
      String e = err.strip();
      if (!e.isEmpty() && (code >= 2 || o.isEmpty())) return e.lines().findFirst().orElse("");
      int nl = o.lastIndexOf('\n');
      return nl < 0 ? o : o.substring(nl + 1);
    }
  }

  public static String text(List<HostRun> runs, int worst) {
    StringBuilder sb = new StringBuilder();
    for (HostRun r : runs) {
      sb.append(TerminalText.line("== " + r.host() + " (" + String.join(", ", r.files()) + ")")).append('\n');
      sb.append(r.out());
      if (!r.err().isEmpty()) sb.append(r.err());
      sb.append('\n');
    }
    int width = Math.max(4, runs.stream().mapToInt(r -> r.host().length()).max().orElse(4));
    sb.append(String.format("%-" + width + "s  exit  result%n", "host"));
    for (HostRun r : runs) sb.append(TerminalText.line(String.format("%-" + width + "s  %4d  %s", r.host(), r.code(), r.outcome()))).append('\n');
    sb.append(summary(runs, worst)).append('\n');
    return sb.toString();
  }

  static String summary(List<HostRun> runs, int worst) {
    return runs.size() + (runs.size() == 1 ? " host: " : " hosts: ") + count(runs, 0) + " clean, " + count(runs, 1)
        + " with findings, " + count(runs, 2) + " refused (bad input), " + count(runs, 3) + " failed; exit " + worst;
  }

  private static long count(List<HostRun> runs, int code) {
    return runs.stream().filter(r -> r.code() == code).count();
  }

  public static String json(String version, List<HostRun> runs, int worst) {
    Json j = new Json().raw("{").key("tool").str("ksaudit").comma().key("version").str(version).comma().key("hosts").raw("[");
    for (int i = 0; i < runs.size(); i++) {
      HostRun r = runs.get(i);
      if (i > 0) j.comma();
      j.raw("{").key("host").str(r.host()).comma().key("files").raw("[");
      for (int k = 0; k < r.files().size(); k++) {
        if (k > 0) j.comma();
        j.str(r.files().get(k));
      }
      // each host's run writes one JSON document on standard output, also when it stops early
      String doc = r.out().strip();
      j.raw("]").comma().key("exitCode").num(r.code()).comma().key("report").raw(doc.isEmpty() ? "null" : doc).raw("}");
    }
    j.raw("]").comma().key("summary").raw("{").key("hosts").num(runs.size()).comma().key("clean").num(count(runs, 0)).comma()
        .key("findings").num(count(runs, 1)).comma().key("refused").num(count(runs, 2)).comma().key("failed")
        .num(count(runs, 3)).comma().key("exitCode").num(worst).raw("}}");
    return j.toString();
  }
}
