package org.ksaudit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.InterfaceName;
import org.ksaudit.parse.ParseResult;
import org.ksaudit.parse.RulesetParser;

/**
 * Times the phases of an audit one after the other on one thread, each analysis in a packet
 * space of its own as the audit has them: parse, OUTPUT leaks, FORWARD leaks, rule
 * reachability. Where {@code bench/run.sh} says how long a whole check takes, this says where
 * the time goes (and how many BDD nodes each analysis's store holds at its end).
 *
 * <p>Usage: {@code java -cp ksaudit.jar:TEST_CLASSES org.ksaudit.bench.AnalysisPhaseTimer RULES.v4}
 * (see {@code bench/phases.sh}, which builds the class path from the jar and the test classes).
 */
public final class AnalysisPhaseTimer {
  private static final List<InterfaceName> TUNNELS = List.of(new InterfaceName("tun+"), new InterfaceName("wg+"));
  private static final List<String> NAMES = List.of("eth0", "wlan0", "tun0", "wg0");

  private AnalysisPhaseTimer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: AnalysisPhaseTimer RULES.v4");
      System.exit(2);
    }
    long t = System.nanoTime();
    String text = Files.readString(Path.of(args[0]));
    ParseResult parsed = RulesetParser.parse(args[0], text, Family.IPV4);
    if (parsed.hasErrors()) {
      System.err.println("AnalysisPhaseTimer: " + args[0] + " does not parse cleanly");
      System.exit(2);
    }
    Ruleset rs = parsed.ruleset();
    t = lap("parse", t, -1);
    // each analysis is dropped before the next starts, as the audit drops them (one thread)
    t = lap("OUTPUT leaks", t, leakStoreSize(rs, org.ksaudit.analysis.Path.OUTPUT));
    t = lap("FORWARD leaks", t, leakStoreSize(rs, org.ksaudit.analysis.Path.FORWARD));
    new RulesetAnalysis(rs, TUNNELS, NAMES).reachability();
    lap("reachability", t, -1);
  }

  /** Runs one leak analysis in a space of its own; returns the nodes its store holds at the end. */
  private static int leakStoreSize(Ruleset rs, org.ksaudit.analysis.Path path) {
    RulesetAnalysis a = new RulesetAnalysis(rs, TUNNELS, NAMES);
    a.walk(path);
    return a.storeSize();
  }

  private static long lap(String phase, long since, int nodes) {
    long now = System.nanoTime();
    System.out.printf("%-14s %8.2f s%s%n", phase, (now - since) / 1e9, nodes < 0 ? "" : "   " + nodes + " BDD nodes");
    return now;
  }
}
