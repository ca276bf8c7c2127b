package org.ksaudit.parse;

import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.ParseTreeWalker;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticSink;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.SourcePos;
import org.ksaudit.parse.generated.IptablesLexer;
import org.ksaudit.parse.generated.IptablesParser;

/**
 * Entry point of the parse stage: text in, {@link ParseResult} out. Parses with SLL
 * prediction first (fast, and exact for this grammar) and falls back to full LL only if SLL
 * reports an error, the usual two-stage ANTLR strategy.
 */
public final class RulesetParser {
  private RulesetParser() {}

  public static ParseResult parse(String file, String text, Family family) {
    DiagnosticSink sink = new DiagnosticSink();
    String[] lines = text.split("\n", -1);
    IptablesLexer lexer = new IptablesLexer(CharStreams.fromString(text, file));
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener(file, lines, sink));
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    IptablesParser parser = new IptablesParser(tokens);
    parser.removeErrorListeners();
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    IptablesParser.RulesetContext tree;
    try {
      tree = parser.ruleset();
    } catch (ParseCancellationException e) {
      tokens.seek(0);
      parser.reset();
      parser.addErrorListener(listener(file, lines, sink));
      parser.setErrorHandler(new DefaultErrorStrategy());
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      tree = parser.ruleset();
    }
    RulesetListener l = new RulesetListener(file, family, lines, tokens, sink);
    ParseTreeWalker.DEFAULT.walk(l, tree);
    l.finish(lines.length);
    return new ParseResult(new Ruleset(file, family, l.tables()), sink.sorted());
  }

  private static BaseErrorListener listener(String file, String[] lines, DiagnosticSink sink) {
    return new BaseErrorListener() {
      @Override
      public void syntaxError(Recognizer<?, ?> r, Object sym, int line, int col, String msg, RecognitionException e) {
        String src = line >= 1 && line <= lines.length ? lines[line - 1] : "";
        sink.add(Diagnostic.error(new SourcePos(file, Math.max(1, line), col + 1), 1, "syntax error: " + msg, null, src));
      }
    };
  }
}
