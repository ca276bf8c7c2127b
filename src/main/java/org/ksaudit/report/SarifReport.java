package org.ksaudit.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.check.CheckInfo;
import org.ksaudit.check.Finding;
import org.ksaudit.check.Location;
import org.ksaudit.check.Suppression;
import org.ksaudit.check.SuppressionKind;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.Severity;

/**
 * The report as SARIF 2.1.0, in the shape GitHub code scanning accepts: one run per input file
 * ({@code runAutomationDetails.id} names its family, so a v4 run and a v6 run are separate
 * analyses), the checks as {@code rules} documented from the same text as {@code ksaudit explain},
 * one result per finding with one location (its other rules in {@code relatedLocations}), its
 * witness in {@code properties}, its trace as a code flow, and a fingerprint of what the finding
 * is (check, rule text, witness) rather than where, so that it survives unrelated lines moving.
 * Syntax and load errors, which stop the audit, are notifications of an unsuccessful invocation.
 */
public final class SarifReport implements ReportWriter {
  static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
  /** GitHub code scanning refuses a run with more results. */
  static final int MAX_RESULTS_PER_RUN = 25_000;
  /** GitHub refuses descriptions longer than this. */
  static final int MAX_DESCRIPTION = 1024;
  private static final String FINGERPRINT = "ksauditFinding/v1";

  /** GitHub code scanning refuses a log larger than this once gzipped. */
  static final long MAX_GZIPPED_BYTES = 10_000_000;

  private final SarifArtifacts artifacts;
  private final int maxResults;
  private final long maxGzipped;

  public SarifReport(Optional<Path> base) {
    this(base, MAX_RESULTS_PER_RUN, MAX_GZIPPED_BYTES);
  }

  /** With other limits than GitHub's: tests reach them without writing 25,000 results or 10 MB. */
  SarifReport(Optional<Path> base, int maxResults, long maxGzipped) {
    this.artifacts = new SarifArtifacts(base);
    this.maxResults = maxResults;
    this.maxGzipped = maxGzipped;
  }

  /**
   * The log; one too large for GitHub loses first its code flows and related locations, then
   * the second half of each run's results (the least severe) until it fits, each step said in a
   * notification.
   */
  @Override
  public String write(CheckReport r) {
    List<Run> runs = new ArrayList<>();
    for (CheckReport.Input in : r.inputs()) runs.add(run(r, in));
    String text = JsonOutput.write(new Log(SCHEMA, "2.1.0", runs));
    if (gzipped(text) <= maxGzipped) return text + "\n";
    runs = runs.stream().map(Run::withoutFlows).toList();
    text = JsonOutput.write(new Log(SCHEMA, "2.1.0", runs));
    while (gzipped(text) > maxGzipped && runs.stream().anyMatch(x -> !x.results().isEmpty())) {
      runs = runs.stream().map(Run::halved).toList();
      text = JsonOutput.write(new Log(SCHEMA, "2.1.0", runs));
    }
    return text + "\n";
  }

  private static long gzipped(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("gzip into memory failed", e);
    }
    return bytes.size();
  }

  private Run run(CheckReport r, CheckReport.Input in) {
    List<CheckInfo> checks = r.checks();
    List<ReportingDescriptor> rules = checks.stream().map(SarifReport::rule).toList();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < checks.size(); i++) index.put(checks.get(i).id(), i);
    List<Finding> mine = r.findings().stream().filter(f -> r.inputOf(f).equals(Optional.of(in))).toList();
    List<Notification> notes = new ArrayList<>();
    for (Diagnostic d : r.diagnostics()) if (d.pos().file().equals(in.name())) notes.add(notification(d));
    for (Diagnostic d : r.notes()) if (d.pos().file().equals(in.name())) notes.add(notification(d));
    if (mine.size() > maxResults) {
      notes.add(new Notification(level(Severity.WARNING), new Message((mine.size() - maxResults)
          + " findings left out: GitHub code scanning accepts at most " + maxResults + " results per run; the text and"
          + " JSON reports list them all"), null));
      mine = mine.subList(0, maxResults);
    }
    Map<String, Integer> seen = new HashMap<>();
    List<Result> results = new ArrayList<>();
    for (Finding f : mine) results.add(result(f, in, r.sources(), index, seen));
    boolean refused = r.refused();
    long sameFamily = r.inputs().stream().filter(i -> i.family() == in.family()).count();
    // GitHub keeps one analysis per category: a family's run, or a file's when several files share a family
    String category = "ksaudit/check/" + in.family().label() + (sameFamily > 1 ? "/" + SarifArtifacts.uri(in.name()) : "");
    return new Run(new Tool(new Driver("ksaudit", r.version(), rules)),
        new AutomationDetails(category + "/"), artifacts.originalUriBaseIds(),
        List.of(new Invocation(!refused, notes)), "unicodeCodePoints", results);
  }

  static ReportingDescriptor rule(CheckInfo c) {
    String level = level(c.severity());
    return new ReportingDescriptor(c.id(), c.category().jsonName(), new Message(limit(c.summary())),
        new Message(limit(c.meaning().strip().replaceAll("\\s+", " "))),
        new Help(ExplainReport.render(c), ExplainReport.markdown(c)), new Configuration(level),
        new RuleProperties(String.format(Locale.ROOT, "%.1f", c.category().securitySeverity()),
            List.of("security", "vpn", "killswitch", c.category().jsonName())));
  }

  private static String limit(String text) {
    return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 3) + "...";
  }

  private Result result(Finding f, CheckReport.Input in, Sources sources, Map<String, Integer> index, Map<String, Integer> seen) {
    List<Location> locations = f.locations();
    SarifLocation primary = locations.isEmpty()
        // a finding about a ruleset that was not given concerns the pair: it points at the start of the file given
        ? location(in.name(), 1, 1, 1, null)
        : location(locations.get(0), sources, null);
    List<SarifLocation> related = new ArrayList<>();
    for (int i = 1; i < locations.size(); i++) {
      related.add(location(locations.get(i), sources, new Message("the same allowance, line " + locations.get(i).pos().line())));
    }
    String ruleLine = locations.isEmpty() ? "" : lineOf(locations.get(0), sources);
    String key = f.id() + "\n" + ruleLine.strip().replaceAll("\\s+", " ") + "\n" + f.kind().jsonName() + "\n"
        + f.witness().map(w -> w.describe()).orElse(f.category().jsonName());
    int occurrence = seen.merge(key, 1, Integer::sum);
    List<CodeFlow> flows = f.trace().isEmpty() ? null
        : List.of(new CodeFlow(List.of(new ThreadFlow(f.trace().stream().map(this::step).toList()))));
    return new Result(f.id(), index.getOrDefault(f.id(), -1), level(f.severity()),
        new Message(f.message() + " [" + f.certainty().label() + "; ksaudit explain " + f.id() + "]"), List.of(primary),
        related.isEmpty() ? null : related, Map.of(FINGERPRINT, sha256(key + "\n" + occurrence)), flows,
        f.suppressed().map(SarifReport::suppression).orElse(null),
        new ResultProperties(f.category().jsonName(), f.kind().jsonName(), f.certainty().label(),
            f.witness().map(JsonReport::witness).orElse(null), f.witness().map(w -> w.describe()).orElse(null)));
  }

  /**
   * A suppressed finding stays in the log, suppressed: an inline {@code ksaudit:ignore} is in the
   * rules themselves (inSource), a config ignore or a baseline outside them (external).
   */
  private static List<SarifSuppression> suppression(Suppression s) {
    String kind = s.kind() == SuppressionKind.INLINE ? "inSource" : "external";
    return List.of(new SarifSuppression(kind, s.describe()));
  }

  private ThreadFlowLocation step(TraceStep s) {
    // a step is a whole rule (or a chain's policy line): its region is the line
    return new ThreadFlowLocation(new SarifLocation(new PhysicalLocation(artifacts.artifact(s.file()), new Region(s.line(), null, null, null)),
        new Message(s.table() + "/" + s.chain() + " " + (s.policy() ? "policy " : "") + s.target())));
  }

  private static String lineOf(Location l, Sources sources) {
    return l.sourceLine().isEmpty() ? sources.line(l.pos().file(), l.pos().line()) : l.sourceLine();
  }

  private SarifLocation location(Location l, Sources sources, Message message) {
    int length = l.sourceLine().isEmpty() ? TextReport.wordLength(lineOf(l, sources), l.pos().column()) : l.length();
    return location(l.pos().file(), l.pos().line(), l.pos().column(), length, message);
  }

  /** A region of one line; SARIF's end column is exclusive. */
  private SarifLocation location(String file, int line, int column, int length, Message message) {
    ArtifactLocation artifact = artifacts.artifact(file);
    return new SarifLocation(new PhysicalLocation(artifact, new Region(line, column, line, column + length)), message);
  }

  private Notification notification(Diagnostic d) {
    return new Notification(level(d.severity()), new Message(d.message() + d.hint().map(h -> " (hint: " + h + ")").orElse("")),
        List.of(location(d.pos().file(), d.pos().line(), d.pos().column(), d.length(), null)));
  }

  static String level(Severity s) {
    return switch (s) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case INFO -> "note";
    };
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  record Log(@JsonProperty("$schema") String schema, String version, List<Run> runs) {}

  @JsonInclude(Include.NON_NULL)
  record Run(Tool tool, AutomationDetails automationDetails, Map<String, ArtifactLocation> originalUriBaseIds,
      List<Invocation> invocations, String columnKind, List<Result> results) {
    Run withoutFlows() {
      return with(results.stream().map(x -> new Result(x.ruleId(), x.ruleIndex(), x.level(), x.message(), x.locations(), null,
          x.partialFingerprints(), null, x.suppressions(), x.properties())).toList(),
          "code flows and related locations left out: the log was larger than GitHub's limit of 10 MB gzipped");
    }

    Run halved() {
      if (results.isEmpty()) return this;
      int keep = results.size() / 2;
      return with(results.subList(0, keep), (results.size() - keep) + " results left out: the log was larger than GitHub's"
          + " limit of 10 MB gzipped; the text and JSON reports list them all");
    }

    private Run with(List<Result> kept, String note) {
      Invocation i = invocations.get(0);
      List<Notification> notes = new ArrayList<>(i.toolExecutionNotifications());
      notes.add(new Notification("warning", new Message(note), null));
      return new Run(tool, automationDetails, originalUriBaseIds, List.of(new Invocation(i.executionSuccessful(), notes)),
          columnKind, kept);
    }
  }

  record Tool(Driver driver) {}

  record Driver(String name, String version, List<ReportingDescriptor> rules) {}

  record AutomationDetails(String id) {}

  record Invocation(boolean executionSuccessful, List<Notification> toolExecutionNotifications) {}

  @JsonInclude(Include.NON_NULL)
  record Notification(String level, Message message, List<SarifLocation> locations) {}

  record ReportingDescriptor(String id, String name, Message shortDescription, Message fullDescription, Help help,
      Configuration defaultConfiguration, RuleProperties properties) {}

  record Help(String text, String markdown) {}

  record Configuration(String level) {}

  record RuleProperties(@JsonProperty("security-severity") String securitySeverity, List<String> tags) {}

  record Message(String text) {}

  @JsonInclude(Include.NON_NULL)
  record Result(String ruleId, int ruleIndex, String level, Message message, List<SarifLocation> locations,
      List<SarifLocation> relatedLocations, Map<String, String> partialFingerprints, List<CodeFlow> codeFlows,
      List<SarifSuppression> suppressions, Properties properties) {}

  /** A result's {@code properties}: a finding's, or a difference's in {@code ksaudit diff}. */
  sealed interface Properties permits ResultProperties, DiffSarifReport.DiffProperties {}

  /** {@code justification}: who suppressed it, until when, and why. */
  record SarifSuppression(String kind, String justification) {}

  @JsonInclude(Include.NON_NULL)
  record ResultProperties(String category, String kind, String certainty, JsonReport.WitnessJson witness, String witnessText)
      implements Properties {}

  @JsonInclude(Include.NON_NULL)
  record SarifLocation(PhysicalLocation physicalLocation, Message message) {}

  record PhysicalLocation(ArtifactLocation artifactLocation, Region region) {}

  @JsonInclude(Include.NON_NULL)
  record ArtifactLocation(String uri, String uriBaseId) {}

  @JsonInclude(Include.NON_NULL)
  record Region(int startLine, Integer startColumn, Integer endLine, Integer endColumn) {}

  record CodeFlow(List<ThreadFlow> threadFlows) {}

  record ThreadFlow(List<ThreadFlowLocation> locations) {}

  record ThreadFlowLocation(SarifLocation location) {}
}
