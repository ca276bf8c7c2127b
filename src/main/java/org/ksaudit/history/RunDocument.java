package org.ksaudit.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ksaudit.report.ChangeItem;
import org.ksaudit.report.JsonOutput;
import org.ksaudit.report.RunChanges;

/**
 * A run's report.json (schema: {@code schema/ksaudit.schema.json}, {@code $defs/report}):
 * {@code {"tool","version","schemaVersion","command":"report","run":{"at","folder","previous"},
 * "verdict":{"status","text"},"rules":[{"family","file","source"}],"check":{…},"lab"?:{…},
 * "changes":{"previousRun","previousVerdict","verdictChanged","items":[{"kind","text","file","line"}]}|null,
 * "summary":{"findings","measuredLeaks","worse","exitCode"}}}, where "check" is the document
 * {@code check --format json} writes and "lab" the one {@code probe --lab --format json} writes.
 */
public final class RunDocument {
  private static final ObjectMapper READER = new ObjectMapper();

  private RunDocument() {}

  /** What one run reports, before it is written. */
  public record Content(String version, Instant at, Optional<Instant> previous, Verdict verdict, List<RecordedRules> rules,
      String checkJson, Optional<String> labJson, Optional<RunChanges> changes, Optional<String> previousVerdict, int findings,
      Optional<Long> measuredLeaks, boolean worse, int exitCode) {
    public Content {
      rules = List.copyOf(rules);
    }
  }

  record Document(String tool, String version, int schemaVersion, String command, RunJson run, VerdictJson verdict,
      List<RulesJson> rules, JsonNode check, @JsonInclude(Include.NON_NULL) JsonNode lab, ChangesJson changes, Summary summary) {}

  record RunJson(String at, String folder, String previous) {}

  record VerdictJson(String status, String text) {}

  record RulesJson(String family, String file, String source) {}

  record ChangesJson(String previousRun, String previousVerdict, boolean verdictChanged, List<ItemJson> items) {}

  record ItemJson(String kind, String text, String file, Integer line) {}

  record Summary(int findings, Long measuredLeaks, boolean worse, int exitCode) {}

  public static String json(Content c) {
    ChangesJson changes = c.changes().map(ch -> new ChangesJson(ch.previousRun().toString(), c.previousVerdict().orElse(""),
        ch.verdictChanged(), ch.items().stream().map(RunDocument::item).toList())).orElse(null);
    return JsonOutput.write(new Document("ksaudit", c.version(), JsonOutput.SCHEMA_VERSION, "report",
        new RunJson(c.at().toString(), RunName.of(c.at()), c.previous().map(Instant::toString).orElse(null)),
        new VerdictJson(c.verdict().status().label(), c.verdict().text()),
        c.rules().stream().map(r -> new RulesJson(r.family().label(), r.file(), r.source())).toList(), tree(c.checkJson()),
        c.labJson().map(RunDocument::tree).orElse(null), changes,
        new Summary(c.findings(), c.measuredLeaks().orElse(null), c.worse(), c.exitCode()))) + "\n";
  }

  private static ItemJson item(ChangeItem i) {
    return new ItemJson(i.kind().label(), i.text(), i.file().orElse(null), i.line().isPresent() ? i.line().getAsInt() : null);
  }

  /** A document ksaudit itself wrote, as a tree to embed. */
  private static JsonNode tree(String json) {
    try {
      return READER.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalStateException("ksaudit wrote JSON it cannot read back: " + e.getOriginalMessage(), e);
    }
  }
}
