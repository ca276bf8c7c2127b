package org.ksaudit.report;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.List;
import org.ksaudit.diagnostic.TerminalText;

/**
 * The report of {@code ksaudit check} on many hosts. Text: each host's own report under a
 * {@code == HOST (FILES)} line, in host order, then a table of every host with its exit code
 * and the last line of its report. JSON: {@code {"tool","version","schemaVersion","hosts":[{"host","files",
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

  /** The fleet document (schema: {@code schema/ksaudit.schema.json}, {@code $defs/fleet}). */
  public static String json(String version, List<HostRun> runs, int worst) {
    // each host's run writes one JSON document on standard output, also when it stops early
    List<HostJson> hosts = runs.stream().map(r -> new HostJson(r.host(), r.files(), r.code(),
        r.out().strip().isEmpty() ? null : r.out().strip())).toList();
    return JsonOutput.write(new Document("ksaudit", version, JsonOutput.SCHEMA_VERSION, hosts, new Summary(runs.size(),
        count(runs, 0), count(runs, 1), count(runs, 2), count(runs, 3), worst)));
  }

  record Document(String tool, String version, int schemaVersion, List<HostJson> hosts, Summary summary) {}

  /** {@code report}: the host's own document as its run wrote it, or null when it wrote none. */
  record HostJson(String host, List<String> files, int exitCode, @JsonRawValue String report) {}

  record Summary(int hosts, long clean, long findings, long refused, long failed, int exitCode) {}
}
