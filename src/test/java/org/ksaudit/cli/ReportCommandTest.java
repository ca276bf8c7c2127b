package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ksaudit.testsupport.ReportSchema;

/**
 * {@code ksaudit report} in-process on the seed article's rules: the history folder, the changes
 * from one run to the next, the exit codes, pruning, {@code latest}, {@code --on-change} and what
 * is shown on a terminal. The one change made between runs is stated here (the article's rule
 * that lets UDP port 1194 out to any host is narrowed to one server), and every change the report
 * names must be at that rule.
 */
class ReportCommandTest {
  private static final Path ARTICLE = Path.of("testdata/seed/article.v4");
  private static final String BROAD = "-A OUTPUT -p udp -m udp --dport 1194 -j ACCEPT";
  private static final String NARROW = "-A OUTPUT -d 198.51.100.7/32 -p udp -m udp --dport 1194 -j ACCEPT";

  @TempDir Path tmp;

  /** The article's IPv4 rules under {@code rules.v4}, with one rule replaced when asked; the host has no IPv6. */
  private Path rules(boolean narrowed) throws IOException {
    String text = Files.readString(ARTICLE);
    assertTrue(text.contains(BROAD), "the article holds the rule this test changes");
    Path p = tmp.resolve("rules.v4");
    Files.writeString(p, narrowed ? text.replace(BROAD, NARROW) : text);
    return p;
  }

  /** The line of the rule this test changes, in either version. */
  private static int changedLine() throws IOException {
    List<String> lines = Files.readAllLines(ARTICLE);
    return lines.indexOf(BROAD) + 1;
  }

  private CliRun report(Path out, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("report", "--out", out.toString(), "--no-ipv6", tmp.resolve("rules.v4").toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static JsonNode latest(Path out) throws IOException {
    return ReportSchema.parse(Files.readString(out.resolve("latest").resolve("report.json")));
  }

  private static List<String> runFolders(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{8}T\\d{6}\\.\\d{3}Z")).sorted().toList();
    }
  }

  @Test
  void theSecondRunNamesTheOneRuleChangedAndNothingElse() throws IOException {
    Path out = tmp.resolve("history");
    rules(false);
    CliRun first = report(out);
    assertEquals(1, first.code(), "the first run: the article's leaks are all new\n" + first.both());
    assertTrue(latest(out).path("changes").isNull(), "nothing to compare the first run with");
    rules(true);
    CliRun second = report(out);
    assertEquals(0, second.code(), "narrowing a rule makes nothing worse\n" + second.both());
    JsonNode changes = latest(out).path("changes");
    Set<String> kinds = new TreeSet<>();
    int line = changedLine();
    for (JsonNode i : changes.path("items")) {
      kinds.add(i.path("kind").asText());
      assertEquals(line, i.path("line").asInt(), "every change is at the rule changed: " + i);
    }
    assertEquals(Set.of("fixed-finding", "rule-changed"), kinds, changes.toString());
    JsonNode fixed = changes.path("items").get(0);
    assertTrue(fixed.path("text").asText().contains("KS104"), "the finding of the broad rule is fixed: " + fixed);
    assertTrue(second.out().contains("newly stopped") && second.out().contains(BROAD), second.out());
    assertTrue(changes.path("verdictChanged").asBoolean(), "KS104 left the verdict");
    // and back: the broad rule returns, a new finding, the run got worse
    rules(false);
    CliRun third = report(out);
    assertEquals(1, third.code(), third.both());
    assertTrue(latest(out).path("summary").path("worse").asBoolean());
    assertTrue(third.out().contains("new: ") && third.out().contains("newly let out"), third.out());
  }

  @Test
  void aRunWithNothingChangedExitsZeroAndSaysSo() throws IOException {
    Path out = tmp.resolve("history");
    rules(false);
    report(out);
    CliRun again = report(out);
    assertEquals(0, again.code(), again.both());
    assertTrue(again.out().contains("nothing changed since the run of"), again.out());
    JsonNode doc = latest(out);
    assertEquals(0, doc.path("changes").path("items").size());
    assertFalse(doc.path("changes").path("verdictChanged").asBoolean());
    assertEquals("fail", doc.path("verdict").path("status").asText(), "the article still leaks: no pass because nothing changed");
    assertEquals("", again.err(), "no terminal: no progress, and nothing to warn about");
  }

  @Test
  void theHistoryIsPrunedAtKeepAndLatestPointsAtTheNewest() throws IOException {
    Path out = tmp.resolve("history");
    rules(false);
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      report(out, "--keep", "2");
      made.add(Files.readSymbolicLink(out.resolve("latest")).toString());
      assertEquals(runFolders(out).get(runFolders(out).size() - 1), made.get(i), "latest is the newest run");
    }
    assertEquals(made.subList(2, 4), runFolders(out), "the two newest runs are kept");
    assertTrue(Files.isRegularFile(out.resolve("latest").resolve("report.html")));
    assertTrue(Files.isRegularFile(out.resolve("latest").resolve("report.sarif")));
    assertTrue(report(out, "--keep", "0").err().contains("keep at least 1 run"));
  }

  @Test
  void aCorruptOrForeignFolderIsSkippedWithAWarningAndLeftAlone() throws IOException {
    Path out = tmp.resolve("history");
    rules(false);
    report(out);
    Path foreign = Files.createDirectories(out.resolve("notes"));
    Path corrupt = Files.createDirectories(out.resolve("20200101T000000.000Z"));
    Files.writeString(corrupt.resolve("report.json"), "{\"tool\":\"ksaudit\", truncated");
    Path empty = Files.createDirectories(out.resolve("20200102T000000.000Z"));
    CliRun run = report(out, "--keep", "1");
    assertEquals(0, run.code(), run.both());
    assertTrue(run.err().contains(foreign + ": not a run folder"), run.err());
    assertTrue(run.err().contains(corrupt + " skipped: report.json cannot be read: not JSON"), run.err());
    assertTrue(run.err().contains(empty + " skipped: it holds no report.json"), run.err());
    assertFalse(run.both().contains("Exception"), run.both());
    assertTrue(Files.isDirectory(foreign) && Files.isDirectory(corrupt) && Files.isDirectory(empty), "left alone, even at --keep 1");
    assertTrue(run.out().contains("nothing changed since the run of"), "the valid run before is the previous one: " + run.out());
  }

  @Test
  void onChangeGetsTheSummaryOnlyWhenTheVerdictChanged() throws IOException {
    Path out = tmp.resolve("history");
    Path got = tmp.resolve("notified");
    String hook = "cat > '" + got + "'; echo \"$KSAUDIT_VERDICT\" >> '" + got + "'";
    rules(false);
    CliRun first = report(out, "--on-change", hook);
    assertEquals(first.out() + "fail\n", Files.readString(got), "the first run is a change: the summary on stdin");
    Files.delete(got);
    report(out, "--on-change", hook);
    assertFalse(Files.exists(got), "the same verdict: no command");
    rules(true);
    CliRun changed = report(out, "--on-change", hook);
    assertEquals(changed.out() + "fail\n", Files.readString(got, StandardCharsets.UTF_8));
    assertTrue(changed.out().contains("the verdict was: FAIL: findings at error or above: KS102 dns-leak, KS104"), changed.out());
    rules(false);
    CliRun failing = report(out, "--on-change", "echo from the hook; exit 7");
    assertEquals(1, failing.code(), "a failing command changes no exit code: the run got worse\n" + failing.both());
    assertTrue(failing.err().contains("from the hook\n"), failing.err());
    assertTrue(failing.err().contains("--on-change echo from the hook; exit 7 failed: exit status 7"), failing.err());
    assertFalse(failing.err().contains("Exception"), failing.err());
  }

  @Test
  void progressGoesToStandardErrorOnlyWhenItIsATerminal() throws IOException {
    Path out = tmp.resolve("history");
    rules(false);
    String[] args = {"report", "--out", out.toString(), "--no-ipv6", tmp.resolve("rules.v4").toString()};
    CliRun onTerminal = CliRun.on(new Streams.Console(false, false, true), new byte[0], args);
    assertTrue(onTerminal.err().contains("report: auditing the rules"), onTerminal.err());
    CliRun second = CliRun.on(new Streams.Console(false, false, true), new byte[0], args);
    assertTrue(second.err().contains("report: comparing with the run of"), second.err());
    assertEquals("", CliRun.on(new Streams.Console(true, false, false), new byte[0], args).err(), "standard error no terminal: silent");
  }

  @Test
  void theReportJsonHoldsTheCheckDocumentAndThePageShowsMarkupAsText() throws IOException {
    Path out = tmp.resolve("history");
    Path p = rules(false);
    Files.writeString(p, Files.readString(p).replace("-A OUTPUT -d 10.45.16.1 -j ACCEPT",
        "-A OUTPUT -d 10.45.16.1 -m comment --comment \"<script>alert(1)</script>\" -j ACCEPT"));
    report(out);
    JsonNode doc = latest(out);
    assertEquals("report", doc.path("command").asText());
    assertEquals(doc.path("run").path("folder").asText(), Files.readSymbolicLink(out.resolve("latest")).toString());
    assertTrue(doc.path("check").path("findings").size() >= 3);
    assertEquals(Files.readString(p), Files.readString(out.resolve("latest").resolve("rules.v4")), "the rules kept for the next run");
    String html = Files.readString(out.resolve("latest").resolve("report.html"));
    assertTrue(Jsoup.parse(html).select("script").isEmpty(), "the comment's markup is text");
    assertTrue(Jsoup.parse(html).text().contains("<script>alert(1)</script>"), "and shown");
  }

  @Test
  void refusedRulesAreRecordedAndTheNextRunComparesWithTheLastThatLoaded() throws IOException {
    Path out = tmp.resolve("history");
    Path p = rules(false);
    String good = Files.readString(p);
    report(out);
    Files.writeString(p, good.replace("-A OUTPUT -o lo -j ACCEPT", "-A OUTPUT -o lo -j ACCEPTT"));
    CliRun refused = report(out, "--on-change", "echo changed");
    assertEquals(2, refused.code(), refused.both());
    assertTrue(refused.out().contains("ACCEPTT"), "the error that refuses the rules is shown: " + refused.out());
    JsonNode doc = latest(out);
    assertEquals("refused", doc.path("verdict").path("status").asText());
    assertEquals(0, doc.path("changes").path("items").size(), "nothing audited, nothing fixed: " + doc.path("changes"));
    assertTrue(refused.err().contains("changed"), "the verdict changed: --on-change ran");
    Files.writeString(p, good);
    CliRun back = report(out);
    assertEquals(0, back.code(), "the same findings as the last run that loaded: nothing got worse\n" + back.both());
    assertEquals(0, latest(out).path("changes").path("items").size(), latest(out).path("changes").toString());
    assertTrue(back.out().contains("compared with the run of"), back.out());
  }

  @Test
  void aSavedHostStateIsReportedAndItsRulesKept() throws IOException {
    Path state = Files.createDirectories(tmp.resolve("state"));
    Files.writeString(state.resolve("iptables-nft-save.txt"), Files.readString(ARTICLE));
    Files.writeString(state.resolve("sysctl.txt"), "net.ipv6.conf.all.disable_ipv6 = 1\nnet.ipv6.conf.default.disable_ipv6 = 1\n");
    Path out = tmp.resolve("history");
    CliRun run = CliRun.of("report", "--out", out.toString(), "--from", state.toString());
    assertEquals(1, run.code(), run.both());
    JsonNode doc = latest(out);
    assertEquals(Files.readString(ARTICLE), Files.readString(out.resolve("latest").resolve("rules.v4")));
    assertEquals("rules.v4", doc.path("rules").get(0).path("file").asText());
    assertTrue(doc.path("check").toString().contains("KS118"), "the host checks of --from are part of the report");
  }

  @Test
  void theReadmesScheduledJobRunsAReportAndUploadsTheNewestRun() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int from = readme.indexOf("### `ksaudit report`");
    String section = readme.substring(from, readme.indexOf("\n### ", from + 1));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("```yaml\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(section);
    assertTrue(m.find(), "a GitHub Actions job in the report section");
    java.util.Map<?, ?> job = new org.yaml.snakeyaml.Yaml().load(m.group(1));
    // YAML reads the key "on" as true
    java.util.Map<?, ?> on = (java.util.Map<?, ?>) (job.containsKey("on") ? job.get("on") : job.get(Boolean.TRUE));
    assertTrue(on.containsKey("schedule"), "a scheduled job: " + on);
    List<?> steps = (List<?>) ((java.util.Map<?, ?>) ((java.util.Map<?, ?>) job.get("jobs")).get("report")).get("steps");
    String runs = steps.toString();
    assertTrue(runs.contains("ksaudit.jar\" report --out ksaudit-history"), runs);
    assertTrue(runs.contains("actions/upload-artifact"), runs);
    assertTrue(section.contains("17 6 * * * root /opt/ksaudit/ksaudit report --out"), "a cron line");
  }

  @Test
  void printSystemdPrintsHardenedUnitsThatSystemdAccepts() throws Exception {
    Path out = tmp.resolve("history");
    CliRun run = CliRun.of("report", "--print-systemd", "--out", out.toString(), "--live");
    assertEquals(0, run.code(), run.both());
    String units = run.out();
    for (String line : List.of("ProtectSystem=strict", "NoNewPrivileges=yes", "ReadWritePaths=" + out.toAbsolutePath() + " ",
        "CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_ADMIN CAP_NET_RAW", "OnCalendar=daily", "report --out " + out + " --live\n"))
      assertTrue(units.contains(line), line + " in\n" + units);
    assertFalse(units.contains("--print-systemd"));
    if (!org.ksaudit.lab.Exec.onPath("systemd-analyze")) {
      System.out.println("ReportCommandTest: systemd-analyze is not on PATH: the units were not verified");
      return;
    }
    Path dir = Files.createDirectories(tmp.resolve("units"));
    String[] parts = units.split("(?m)^# /etc/systemd/system/");
    List<String> files = new ArrayList<>();
    for (String part : parts) {
      if (part.isBlank()) continue;
      int nl = part.indexOf('\n');
      Path f = dir.resolve(part.substring(0, nl).strip());
      Files.writeString(f, part.substring(nl + 1));
      files.add(f.toString());
    }
    assertEquals(2, files.size(), units);
    List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify"));
    cmd.addAll(files);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), said);
    assertEquals("", said.strip(), "systemd-analyze verify has nothing to say");
  }
}
