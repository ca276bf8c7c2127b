package org.ksaudit.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ksaudit.diagnostic.Severity;

/**
 * Reads the expectations a fixture carries inline, in the manner of Error Prone's
 * {@code // BUG: Diagnostic contains:} line above the line it concerns. iptables-restore
 * refuses a comment after a rule ("Bad argument `#'", both backends), so an expectation is a
 * comment line and concerns the next line that is neither blank nor a comment, a rule or a
 * {@code :CHAIN POLICY} line; several may stand above one line.
 *
 * <pre>
 * # expect: ID SEVERITY CERTAINTY [KIND] because REASON
 *     a finding whose location is the next rule or chain line; KIND (new-connection,
 *     open-connection, marked-packet, tee-copy, ruleset) defaults to ruleset for KS101, KS108,
 *     KS109, KS110 and KS112 and to new-connection for the others
 * # expect-more: ID
 *     the next rule is one more location of the finding the nearest earlier "# expect: ID" announced
 * # expect-file: ID SEVERITY CERTAINTY [KIND] because REASON
 *     a finding with no line: about this file, or (in a fixture without a twin of the other
 *     family) about the ruleset that was not given
 * </pre>
 *
 * A file without expectations expects no finding at all. Every expectation must give its
 * reason: a rule the README states or a behaviour of the kernel, never ksaudit's own output.
 */
final class ExpectationLines {
  private ExpectationLines() {}

  private static final Pattern ID = Pattern.compile("KS\\d{3}");

  /** The findings {@code text} (the fixture {@code file}) expects; a malformed line fails with its position. */
  static List<Expected> parse(String file, String text) {
    String[] lines = text.split("\n", -1);
    List<Expected> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String where = file + ":" + (i + 1);
      if (line.startsWith("# expect: ")) {
        int target = concerned(lines, i, where);
        out.add(tuple(line.substring("# expect: ".length()), Optional.of(target), where));
      } else if (line.startsWith("# expect-file: ")) {
        out.add(tuple(line.substring("# expect-file: ".length()), Optional.empty(), where));
      } else if (line.startsWith("# expect-more: ")) {
        String id = line.substring("# expect-more: ".length()).strip();
        int target = concerned(lines, i, where);
        int k = lastWithId(out, id);
        if (k < 0) throw new AssertionError(where + ": no earlier '# expect: " + id + "' for this location");
        out.set(k, out.get(k).withMoreLine(target));
      } else if (line.startsWith("# expect")) {
        throw new AssertionError(where + ": not an expectation: " + line);
      }
    }
    return out;
  }

  /** The 1-based number of the line an expectation at index {@code i} concerns. */
  private static int concerned(String[] lines, int i, String where) {
    for (int j = i + 1; j < lines.length; j++) {
      String l = lines[j].strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      if (l.startsWith("-A ") || l.startsWith("-I ") || l.startsWith(":")) return j + 1;
      throw new AssertionError(where + ": an expectation must stand above a rule or a chain line, not above: " + l);
    }
    throw new AssertionError(where + ": an expectation at the end of the file concerns no line");
  }

  private static int lastWithId(List<Expected> found, String id) {
    for (int k = found.size() - 1; k >= 0; k--) if (found.get(k).id().equals(id) && found.get(k).line().isPresent()) return k;
    return -1;
  }

  private static Expected tuple(String spec, Optional<Integer> line, String where) {
    int because = spec.indexOf(" because ");
    if (because < 0 || spec.substring(because + " because ".length()).isBlank()) {
      throw new AssertionError(where + ": an expectation needs its reason ('because ...'): " + spec);
    }
    String[] w = spec.substring(0, because).strip().split("\\s+");
    if (w.length < 3 || w.length > 4 || !ID.matcher(w[0]).matches()) {
      throw new AssertionError(where + ": expected 'ID SEVERITY CERTAINTY [KIND] because ...', got: " + spec);
    }
    Severity sev = Arrays.stream(Severity.values()).filter(s -> s.label().equals(w[1])).findFirst()
        .orElseThrow(() -> new AssertionError(where + ": no severity " + w[1]));
    Certainty cert = Arrays.stream(Certainty.values()).filter(c -> c.label().equals(w[2])).findFirst()
        .orElseThrow(() -> new AssertionError(where + ": no certainty " + w[2]));
    FindingKind kind = w.length == 4
        ? Arrays.stream(FindingKind.values()).filter(k -> k.jsonName().equals(w[3])).findFirst()
            .orElseThrow(() -> new AssertionError(where + ": no finding kind " + w[3]))
        : Expected.defaultKind(w[0]);
    return new Expected(w[0], kind, sev, cert, line, line.stream().toList());
  }
}
