package org.ksaudit.oracle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ksaudit.analysis.RandomRulesets;
import org.ksaudit.input.FamilyDetector;
import org.ksaudit.model.Family;
import org.ksaudit.testsupport.Corpus;

/**
 * The rulesets the kernel differential test judges: the repository's own (every rules file under
 * testdata/, the golden diagnostics' inputs, generated rulesets) and, when one is named
 * ({@link Corpus}), the external corpus' real-world dumps and killswitches, read at test time
 * (the corpus is never copied into the project).
 */
public final class RulesCorpus {
  static final Path GOLDEN = Path.of("src/test/resources/golden/diagnostics");
  /** Generated rulesets, half of each family, from a fixed seed: every run judges the same ones. */
  static final int GENERATED = 80;
  static final long GENERATED_SEED = 20_260_601L;
  static final List<String> EXTERNAL_PARTS = List.of("realworld", "killswitches");

  private RulesCorpus() {}

  /** testdata/, the golden diagnostics' inputs and generated rulesets: what a fresh clone holds. */
  public static List<RulesFile> repository() {
    List<RulesFile> out = new ArrayList<>();
    for (RulesFile f : under(Path.of("testdata"))) out.add(f.withName("testdata/" + f.name()));
    for (RulesFile f : under(GOLDEN)) out.add(f.withName("golden/" + f.name()));
    // the benchmark generator's output must load too
    out.add(new RulesFile("gen/kube-proxy-2000.v4", KubeProxyDumpGenerator.generate(2_000), Family.IPV4, StandardCharsets.UTF_8));
    Random rnd = new Random(GENERATED_SEED);
    for (int k = 0; k < GENERATED; k++) {
      Family f = k % 2 == 0 ? Family.IPV4 : Family.IPV6;
      String name = String.format("gen/random-%02d.%s", k, f == Family.IPV4 ? "v4" : "v6");
      out.add(new RulesFile(name, new RandomRulesets(rnd, f, k % 4 < 2).generate(), f, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The named corpus' dumps and killswitches, or nothing when no corpus is named. */
  public static List<RulesFile> external() {
    List<RulesFile> out = new ArrayList<>();
    for (String sub : EXTERNAL_PARTS)
      for (Path dir : Corpus.part(sub).stream().toList())
        for (RulesFile f : under(dir)) out.add(f.withName(sub + "/" + f.name()));
    return out;
  }

  /** Every rules file below {@code dir}, sorted by path, with its family. */
  public static List<RulesFile> under(Path dir) {
    List<RulesFile> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        byte[] bytes = Files.readAllBytes(p);
        Charset cs = charsetOf(bytes);
        String text = new String(bytes, cs);
        String name = dir.relativize(p).toString();
        if (name.endsWith(".cases")) out.addAll(cases(name, text, family(p, text), cs));
        else if (isRulesFile(p, text)) out.add(new RulesFile(name, text, family(p, text), cs));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * A ".cases" file holds many small rulesets, each after a line "=== NAME"; lines before the
   * first header are a comment. A trailing "\\r" on a line stands for a carriage return, "\\0" for a NUL byte, and
   * "[no-final-newline]" after the name drops the ruleset's last newline. For long lines,
   * "\\{N:TEXT}" stands for TEXT written N times and "\\{pad:N}" for blanks up to the N-th byte
   * of the line (in the file's charset), "\\{pad:N:C}" for the character C instead of blanks.
   */
  static List<RulesFile> cases(String file, String text, Family family, Charset cs) {
    List<RulesFile> out = new ArrayList<>();
    String name = null;
    boolean noFinalNewline = false;
    StringBuilder body = new StringBuilder();
    for (String line : (text + "\n=== end").split("\n", -1)) {
      if (line.startsWith("=== ")) {
        if (name != null) {
          String t = body.toString().replaceAll("\n+$", "") + (noFinalNewline ? "" : "\n");
          out.add(new RulesFile(file + "#" + name, t, family, cs));
        }
        String header = line.substring(4).strip();
        noFinalNewline = header.endsWith("[no-final-newline]");
        name = header.replace("[no-final-newline]", "").strip();
        body.setLength(0);
      } else if (name != null) {
        String l = expand(line.replace("\\0", "\0"), cs);
        body.append(l.endsWith("\\r") ? l.substring(0, l.length() - 2) + "\r" : l).append('\n');
      }
    }
    return out;
  }

  private static final Pattern REPEAT = Pattern.compile("\\\\\\{(pad:)?(\\d+)(?::([^}]+))?}");

  /** A case line with its "\\{...}" repetitions written out. */
  static String expand(String line, Charset cs) {
    Matcher m = REPEAT.matcher(line);
    StringBuilder out = new StringBuilder();
    int from = 0;
    while (m.find()) {
      out.append(line, from, m.start());
      int n = Integer.parseInt(m.group(2));
      if (m.group(1) != null) {
        String with = m.group(3) == null ? " " : m.group(3);
        int missing = n - out.toString().getBytes(cs).length;
        out.append(with.repeat(Math.max(0, missing / with.getBytes(cs).length)));
      } else {
        out.append(m.group(3).repeat(n));
      }
      from = m.end();
    }
    return out.append(line.substring(from)).toString();
  }

  /** UTF-8 when the bytes are valid UTF-8, else Latin-1: the same choice ksaudit's input reader makes. */
  static Charset charsetOf(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return StandardCharsets.UTF_8;
    } catch (CharacterCodingException e) {
      return StandardCharsets.ISO_8859_1;
    }
  }

  /** Named like a dump (.v4, .v6, .rules) or, whatever its name, shaped like one (a "*table" line). */
  static boolean isRulesFile(Path p, String text) {
    String n = p.getFileName().toString();
    if (n.endsWith(".md") || n.endsWith(".java") || n.endsWith(".expected") || n.endsWith(".sh") && !text.contains("\n*")) return false;
    if (n.endsWith(".v4") || n.endsWith(".v6") || n.endsWith(".rules")) return true;
    return text.startsWith("*") || text.contains("\n*filter") || text.contains("\n*nat") || text.contains("\n*mangle")
        || text.contains("\n*raw");
  }

  /** The family a user would load the file with: from its name first (ip6tables-save files say so), else its content. */
  static Family family(Path p, String text) {
    return FamilyDetector.fromName(p.getFileName().toString())
        .or(() -> FamilyDetector.fromContent(text))
        .orElse(Family.IPV4);
  }
}
