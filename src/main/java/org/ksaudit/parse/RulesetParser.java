package org.ksaudit.parse;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticSink;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.generated.IptablesLexer;
import org.ksaudit.parse.generated.IptablesParser;

/**
 * Entry point of the parse stage: text in, {@link ParseResult} out. Parses with SLL
 * prediction first (fast, and exact for this grammar) and falls back to full LL only if SLL
 * reports an error, the usual two-stage ANTLR strategy. No parse tree is built: the listener
 * acts on each line as the parser leaves it.
 *
 * <p>A file with Windows line endings gets one diagnostic for that one cause: iptables reads
 * the carriage returns as part of the words, so every such word would be an error of its own.
 * ksaudit reports the first, then reads the file without them, so the model and the other
 * diagnostics are those of the file once converted.
 */
public final class RulesetParser {
  private RulesetParser() {}

  /** Parses text whose bytes are UTF-8. */
  public static ParseResult parse(String file, String text, Family family) {
    return parse(file, text, family, StandardCharsets.UTF_8);
  }

  /**
   * Parses text decoded from {@code charset}: iptables-restore reads a line in parts of a fixed
   * number of bytes ({@link RestoreLines}), so where a long line is cut depends on its bytes.
   */
  public static ParseResult parse(String file, String text, Family family, Charset charset) {
    ParseResult faithful = parseExactly(file, text, family, charset);
    if (!text.contains("\r\n")) return faithful;
    List<Diagnostic> carriageReturns = new ArrayList<>();
    for (Diagnostic d : faithful.diagnostics())
      if (d.severity() == Severity.ERROR && underlinesCarriageReturn(d)) carriageReturns.add(d);
    if (carriageReturns.isEmpty()) return faithful;
    Diagnostic first = carriageReturns.get(0);
    Diagnostic crlf = Diagnostic.error(first.pos(), first.length(),
        "line ends with a carriage return: iptables-restore reads it as part of the last word and refuses the file"
            + " (" + carriageReturns.size() + " line" + (carriageReturns.size() == 1 ? "" : "s") + " affected)",
        RulesetListener.crlfHint(), first.sourceLine());
    ParseResult converted = parseExactly(file, text.replace("\r\n", "\n"), family, charset);
    List<Diagnostic> all = new ArrayList<>(converted.diagnostics());
    all.add(crlf);
    all.sort((a, b) -> a.pos().compareTo(b.pos()));
    return new ParseResult(converted.ruleset(), all, converted.legacyRuleset());
  }

  private static boolean underlinesCarriageReturn(Diagnostic d) {
    String src = d.sourceLine();
    int from = Math.min(src.length(), d.pos().column() - 1);
    int to = Math.min(src.length(), from + d.length());
    return src.substring(from, to).contains("\r") || src.endsWith("\r") && to >= src.length() - 1;
  }

  private static ParseResult parseExactly(String file, String text, Family family, Charset charset) {
    DiagnosticSink sink = new DiagnosticSink();
    RestoreLines restoreLines = new RestoreLines(file, text, charset);
    IptablesLexer lexer = new IptablesLexer(CharStreams.fromString(restoreLines.text(), file));
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener(restoreLines, sink));
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    IptablesParser parser = new IptablesParser(tokens);
    parser.removeErrorListeners();
    parser.setBuildParseTree(false);
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    RulesetListener l = new RulesetListener(family, restoreLines, tokens, sink);
    parser.addParseListener(l);
    restoreLines.warnings().forEach(sink::add);
    try {
      parser.ruleset();
    } catch (ParseCancellationException e) {
      // the grammar is total, so this is a safety net: start over with full LL and fresh state
      sink = new DiagnosticSink();
      restoreLines.warnings().forEach(sink::add);
      tokens.seek(0);
      parser.reset();
      parser.removeParseListeners();
      l = new RulesetListener(family, restoreLines, tokens, sink);
      parser.addParseListener(l);
      parser.addErrorListener(listener(restoreLines, sink));
      parser.setErrorHandler(new DefaultErrorStrategy());
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      parser.ruleset();
    }
    l.finish();
    return new ParseResult(new Ruleset(file, family, l.tables()), sink.sorted(),
        l.legacyTables().map(t -> new Ruleset(file, family, t)));
  }

  private static BaseErrorListener listener(RestoreLines lines, DiagnosticSink sink) {
    return new BaseErrorListener() {
      @Override
      public void syntaxError(Recognizer<?, ?> r, Object sym, int line, int col, String msg, RecognitionException e) {
        sink.add(Diagnostic.error(lines.at(line, col + 1), 1, "syntax error: " + msg, null, lines.shown(line)));
      }
    };
  }
}
