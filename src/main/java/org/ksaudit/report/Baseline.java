package org.ksaudit.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.ksaudit.check.Finding;
import org.ksaudit.check.Location;
import org.ksaudit.check.Suppression;
import org.ksaudit.check.SuppressionKind;
import org.ksaudit.model.SourcePos;

/**
 * The findings of an earlier {@code check --format json} run, so that a gate reports only what
 * is new. A finding is known when an earlier one has its ID, came from a file of the same name
 * (the folder may differ: a checkout elsewhere; a finding of no file, such as a missing ruleset,
 * by the names of the run's files), has its witness class (family, protocol and kind of packet:
 * the witness's address and interface may change with unrelated rules) and covered the same
 * rules, compared by {@link RuleText normalised text}, never by line: inserting an unrelated
 * rule above a known finding keeps it known. A finding that now covers a rule the earlier one
 * did not is new (a new way out). Each earlier finding is known once: a second finding of the
 * same shape is new. The JSON report of a fleet ({@code check DIR --format json}) is a baseline
 * of each of its hosts: host A's findings never make host B's known, as their files' names differ.
 */
public final class Baseline {
  private final String name;
  private final List<Key> known;

  /** What identifies a finding across runs. */
  private record Key(String id, String host, String witnessClass, Set<String> rules) {
    boolean covers(Key now) {
      return id.equals(now.id) && host.equals(now.host) && witnessClass.equals(now.witnessClass) && rules.containsAll(now.rules);
    }
  }

  private Baseline(String name, List<Key> known) {
    this.name = name;
    this.known = List.copyOf(known);
  }

  /** A baseline read from a JSON report; a text that is not one is refused with the reason. */
  public static Baseline parse(String name, String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(name + " is not JSON: " + e.getOriginalMessage());
    }
    boolean fleet = root != null && root.path("hosts").isArray();
    if (root == null || !root.path("tool").asText().equals("ksaudit") || !root.path("findings").isArray() && !fleet)
      throw new IllegalArgumentException(name + " is not a ksaudit JSON report (write one with --write-baseline or --format json)");
    List<Key> known = new ArrayList<>();
    if (fleet) {
      for (JsonNode h : root.path("hosts")) known.addAll(keys(h.path("report")));
    } else {
      known.addAll(keys(root));
    }
    return new Baseline(name, known);
  }

  /** The keys of one host's report: its accepted findings. */
  private static List<Key> keys(JsonNode report) {
    List<String> files = new ArrayList<>();
    for (JsonNode f : report.path("files")) files.add(f.asText());
    List<Key> out = new ArrayList<>();
    for (JsonNode f : report.path("findings")) {
      String kind = f.path("suppressed").path("kind").asText(SuppressionKind.BASELINE.jsonName());
      // findings suppressed inline or by a config were not accepted as they are: they are no part of the baseline
      if (!kind.equals(SuppressionKind.BASELINE.jsonName())) continue;
      JsonNode w = f.path("witness");
      String witness = w.isObject() ? w.path("family").asText() + " " + w.path("proto").asText() : "none";
      Set<String> rules = new TreeSet<>();
      for (JsonNode l : f.path("locations")) rules.add(RuleText.normalised(l.path("text").asText()));
      String file = f.path("file").isTextual() ? f.get("file").asText() : "";
      out.add(new Key(f.path("id").asText(), host(file, files), witness + " " + f.path("kind").asText(), rules));
    }
    return out;
  }

  /** Which host a finding is of: its file's name without the folder, else the names of the run's files. */
  private static String host(String file, List<String> files) {
    if (!file.isEmpty()) return baseName(file);
    return String.join(",", files.stream().map(Baseline::baseName).sorted().toList());
  }

  private static String baseName(String file) {
    return file.substring(file.lastIndexOf('/') + 1);
  }

  /** The findings, those the baseline knows marked suppressed. */
  public List<Finding> apply(List<Finding> findings, Sources sources) {
    List<Key> left = new ArrayList<>(known);
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      Key k = key(f, sources);
      int match = -1;
      for (int i = 0; i < left.size() && match < 0 && f.reported(); i++) if (left.get(i).covers(k)) match = i;
      if (match < 0) {
        out.add(f);
        continue;
      }
      left.remove(match);
      out.add(f.suppressedBy(new Suppression(SuppressionKind.BASELINE, "known in the baseline " + name, Optional.empty(),
          new SourcePos(name, 1, 1))));
    }
    return out;
  }

  private static Key key(Finding f, Sources sources) {
    String witness = f.witness().map(w -> w.family().label() + " " + w.proto()).orElse("none");
    Set<String> rules = new TreeSet<>();
    for (Location l : f.locations())
      rules.add(RuleText.normalised(l.sourceLine().isEmpty() ? sources.line(l.pos().file(), l.pos().line()) : l.sourceLine()));
    return new Key(f.id(), host(f.file(), sources.files()), witness + " " + f.kind().jsonName(), rules);
  }
}
