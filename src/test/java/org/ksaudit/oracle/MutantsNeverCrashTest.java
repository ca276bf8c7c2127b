package org.ksaudit.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ksaudit.cli.ExitCodes;
import org.ksaudit.cli.Main;
import org.ksaudit.model.Family;
import org.ksaudit.testsupport.Corpus;

/**
 * No input makes ksaudit crash: every file and every mutant of the differential test (the
 * repository's, and the named corpus' when there is one) goes through the whole command line
 * (read from standard input, as "iptables-save | ksaudit check -" does) and must end with a
 * verdict, never with the internal-error exit code or a stack trace.
 */
class MutantsNeverCrashTest {
  @Test
  void everyMutantGetsAVerdictThroughStandardInput() {
    List<RulesFile> corpus = RulesCorpus.external();
    List<RulesFile> all = new ArrayList<>(RulesCorpus.repository());
    all.addAll(corpus);
    all.addAll(KernelDifferentialTest.mutants(all));
    List<String> crashes = new ArrayList<>();
    for (RulesFile f : all) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      String flag = f.family() == Family.IPV6 ? "--ipv6" : "--ipv4";
      int code = Main.run(new String[] {"check", flag, "-"}, new ByteArrayInputStream(f.bytes()),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      String e = err.toString(StandardCharsets.UTF_8);
      if (code == ExitCodes.INTERNAL || e.contains("internal error") || e.contains("\tat org.ksaudit"))
        crashes.add(f.name() + ": exit " + code + ": " + e.strip());
    }
    System.out.printf("no-crash: %d files and mutants through \"ksaudit check -\", %d crashes%n", all.size(), crashes.size());
    System.out.println(Corpus.describe(corpus.size() + " of the files"));
    assertTrue(crashes.isEmpty(), crashes.size() + " crashes:\n" + String.join("\n", crashes.subList(0, Math.min(20, crashes.size()))));
  }
}
