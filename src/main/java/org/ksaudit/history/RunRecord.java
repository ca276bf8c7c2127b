package org.ksaudit.history;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.report.RunSummary;

/**
 * What a run recorded in its report.json, as the next run compares with it: its verdict, its
 * findings, the leaks its lab measured (empty when it ran no lab), and the copies of its rules.
 */
public record RunRecord(RunFolder folder, Verdict verdict, List<RecordedFinding> findings, Optional<List<RecordedLeak>> leaks,
    boolean labVpnWorks, List<RecordedRules> rules) {
  /** A report.json larger than this is not one ksaudit wrote for a killswitch: it is refused, not read. */
  private static final long MAX_BYTES = 256L << 20;

  public RunRecord {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(verdict, "verdict");
    findings = List.copyOf(findings);
    leaks = leaks.map(List::copyOf);
    rules = List.copyOf(rules);
  }

  /** The run a folder holds; a folder without a readable report.json of {@code ksaudit report} is refused with the reason. */
  public static RunRecord read(RunFolder folder) throws HistoryException {
    JsonNode doc;
    try {
      if (!Files.isRegularFile(folder.json())) throw new HistoryException("it holds no " + RunFiles.JSON);
      if (Files.size(folder.json()) > MAX_BYTES) throw new HistoryException(RunFiles.JSON + " is larger than 256 MiB");
      doc = new ObjectMapper().readTree(Files.readString(folder.json(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      String why = e instanceof JacksonException j ? "not JSON: " + j.getOriginalMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
      throw new HistoryException(RunFiles.JSON + " cannot be read: " + why.lines().findFirst().orElse(why));
    }
    return of(folder, doc);
  }

  /** The run being made, from the documents of its audit and lab, before its report.json is written. */
  public static RunRecord current(RunFolder folder, Verdict verdict, String checkJson, Optional<String> labJson,
      List<RecordedRules> rules) {
    try {
      ObjectMapper m = new ObjectMapper();
      Optional<List<RecordedLeak>> leaks = labJson.isPresent() ? Optional.of(RecordedLeak.of(m.readTree(labJson.get()))) : Optional.empty();
      boolean works = labJson.isEmpty() || m.readTree(labJson.get()).path("baseline").path("works").asBoolean(true);
      return new RunRecord(folder, verdict, RecordedFinding.of(m.readTree(checkJson)), leaks, works, rules);
    } catch (JacksonException | HistoryException e) {
      throw new IllegalStateException("ksaudit wrote a report it cannot read back: " + e.getMessage(), e);
    }
  }

  /** The run a report.json document describes. */
  static RunRecord of(RunFolder folder, JsonNode doc) throws HistoryException {
    if (doc == null || !doc.path("tool").asText().equals("ksaudit") || !doc.path("command").asText().equals("report"))
      throw new HistoryException(RunFiles.JSON + " is not the report of a ksaudit report run");
    VerdictStatus status;
    try {
      status = VerdictStatus.valueOf(doc.path("verdict").path("status").asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HistoryException(RunFiles.JSON + " has no verdict status");
    }
    Verdict verdict = new Verdict(status, doc.path("verdict").path("text").asText());
    List<RecordedFinding> findings = RecordedFinding.of(doc.path("check"));
    JsonNode lab = doc.path("lab");
    Optional<List<RecordedLeak>> leaks = lab.isObject() ? Optional.of(RecordedLeak.of(lab)) : Optional.empty();
    boolean works = !lab.isObject() || lab.path("baseline").path("works").asBoolean(true);
    List<RecordedRules> rules = new ArrayList<>();
    for (JsonNode r : doc.path("rules")) {
      Family family = r.path("family").asText().equals(Family.IPV6.label()) ? Family.IPV6 : Family.IPV4;
      String file = r.path("file").asText();
      // only the names a run writes: a report.json edited to name another file is not followed out of the folder
      if (!file.equals(RunFiles.rules(family))) throw new HistoryException(RunFiles.JSON + " names rules " + file + ", not a copy ksaudit writes");
      rules.add(new RecordedRules(family, file, r.path("source").asText()));
    }
    return new RunRecord(folder, verdict, findings, leaks, works, rules);
  }

  public Instant at() {
    return folder.at();
  }

  /** The run as the history chart draws it: its reported findings and measured leaks. */
  public RunSummary summary() {
    return new RunSummary(at(), (int) findings.stream().filter(RecordedFinding::reported).count(), leaks.map(List::size).orElse(0));
  }
}
