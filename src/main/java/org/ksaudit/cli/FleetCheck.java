package org.ksaudit.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ksaudit.report.FleetReport;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code ksaudit check DIR|GLOB...}: each host's files (see {@link FleetFiles}) are checked as
 * {@code ksaudit check HOST.v4 HOST.v6} with the same options would check them, on as many
 * threads as there are processors; the reports come in host order whatever order the checks
 * end in, then a summary table (or one JSON document holding each host's). The exit code is
 * the worst of the hosts' (internal error, then bad input, then findings).
 */
final class FleetCheck {
  private FleetCheck() {}

  static int run(ParseResult parsed, List<String> words, Streams io, boolean json) throws Failure {
    List<FleetFiles.Host> hosts = FleetFiles.hosts(words);
    List<String> options = options(parsed);
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), hosts.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "ksaudit-check");
      t.setDaemon(true);
      return t;
    });
    List<FleetReport.HostRun> runs = new ArrayList<>();
    try {
      List<Future<FleetReport.HostRun>> futures = new ArrayList<>();
      for (FleetFiles.Host h : hosts) futures.add(pool.submit(() -> check(h, options)));
      for (Future<FleetReport.HostRun> f : futures) runs.add(await(f));
    } finally {
      pool.shutdownNow();
    }
    if (json) io.out().println(FleetReport.json(Version.get(), runs, worst(runs)));
    else io.out().print(FleetReport.text(runs, worst(runs)));
    return worst(runs);
  }

  private static FleetReport.HostRun await(Future<FleetReport.HostRun> f) {
    while (true) {
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the hosts were checked");
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException r) throw r;
        if (c instanceof Error er) throw er;
        throw new IllegalStateException(c);
      }
    }
  }

  /** One host checked in-process, as its own command line, its output kept. */
  private static FleetReport.HostRun check(FleetFiles.Host h, List<String> options) {
    List<String> args = new ArrayList<>(List.of("check"));
    args.addAll(options);
    args.addAll(h.files());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new FleetReport.HostRun(h.name(), h.files(), code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** The worst exit code: internal error (3), then bad input (2), then findings (1). */
  static int worst(List<FleetReport.HostRun> runs) {
    return runs.stream().mapToInt(FleetReport.HostRun::code).max().orElse(ExitCodes.CLEAN);
  }

  /** The options of the command line as words, for each host's own command line. */
  private static List<String> options(ParseResult parsed) throws Failure {
    List<String> out = new ArrayList<>();
    for (OptionSpec o : parsed.matchedOptions()) {
      if (o.usageHelp() || o.versionHelp()) continue;
      if (o.longestName().equals("--ipv4") || o.longestName().equals("--ipv6"))
        throw Failure.usage(o.longestName() + " names one host's file; with a directory or a pattern the names say the family");
      // every host would write the same file: the fleet's JSON report is the baseline of each of its hosts
      if (o.longestName().equals("--write-baseline"))
        throw Failure.usage("--write-baseline writes one host's baseline; a fleet's is its JSON report: --format json > FILE.json,"
            + " then --baseline FILE.json");
      if (o.arity().max() == 0) {
        out.add(o.longestName());
        continue;
      }
      for (String v : o.originalStringValues()) {
        out.add(o.longestName());
        out.add(v);
      }
    }
    return out;
  }
}
