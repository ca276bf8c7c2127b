package org.ksaudit.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.antlr.v4.runtime.BufferedTokenStream;
import org.antlr.v4.runtime.Token;
import org.ksaudit.catalog.Catalog;
import org.ksaudit.catalog.Suggest;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticSink;
import org.ksaudit.model.Family;
import org.ksaudit.model.Policy;
import org.ksaudit.model.SourcePos;
import org.ksaudit.model.Table;
import org.ksaudit.parse.generated.IptablesLexer;
import org.ksaudit.parse.generated.IptablesParser;
import org.ksaudit.parse.generated.IptablesParserBaseListener;

/**
 * Follows the parser line by line (as a parse listener: no tree is kept, which matters for
 * dumps of a hundred thousand lines), as iptables-restore reads its input (both backends'
 * restore loops): comments and empty lines skipped, "*table" opening a table, ":chain" lines
 * declaring chains, the exact line "COMMIT" ending a table, every other line inside a table a
 * command, and anything else outside a table refused. The only place where parse trees become
 * model records.
 */
final class RulesetListener extends IptablesParserBaseListener {
  private final Family family;
  private final RestoreLines lines;
  private final BufferedTokenStream tokens;
  private final DiagnosticSink sink;
  private final RuleInterpreter interpreter;
  private final LoadedTables loaded = new LoadedTables();
  private TableState current;
  private boolean ended;

  RulesetListener(Family family, RestoreLines lines, BufferedTokenStream tokens, DiagnosticSink sink) {
    this.family = family;
    this.lines = lines;
    this.tokens = tokens;
    this.sink = sink;
    this.interpreter = new RuleInterpreter(Catalog.DEFAULT, family, sink);
  }

  /** The tables iptables-nft-restore leaves loaded. */
  List<Table> tables() {
    return loaded.nft();
  }

  /** The tables iptables-legacy-restore leaves loaded, when they are not those of {@link #tables()}. */
  Optional<List<Table>> legacyTables() {
    return loaded.backendsDiffer() ? Optional.of(loaded.legacy()) : Optional.empty();
  }

  /** At end of input: an open table was never committed, so iptables-restore loads nothing of it. */
  void finish() {
    if (ended) return;
    int last = lines.count();
    if (!lines.hasNewline(last) && last >= 1 && line(last).isBlank() && !line(last).isEmpty()) blankLine(last);
    if (current != null) {
      sink.add(Diagnostic.error(current.pos, current.name.length() + 1,
          "table \"" + current.name + "\" is never committed: COMMIT expected at the end",
          "add a line \"COMMIT\" at the end of the table", lines.shownFileLine(current.pos.line())));
      CommitValidator.validate(current, family, sink, lines::shownFileLine);
      loaded.commit(current);
      current = null;
    }
  }

  @Override
  public void exitLine(IptablesParser.LineContext ctx) {
    if (ended || ctx.getStart() != ctx.getStop() || ctx.getStart().getType() != IptablesLexer.NL) return;
    int n = ctx.getStart().getLine();
    if (!line(n).isEmpty()) blankLine(n);
    else if (lines.emptiedByNul(n)) sink.add(Diagnostic.error(lines.at(n, 1), 1,
        current == null ? "line starting with a NUL byte outside a table: iptables-restore reads it as an empty command"
            : "line starting with a NUL byte: iptables-restore reads it as a command with no words (no command specified)",
        "remove the NUL byte", lines.shown(n)));
  }

  /** A line of blanks is not an empty line to iptables-restore: it is a command with no words. */
  private void blankLine(int n) {
    String text = line(n);
    String hint = text.contains("\r") ? crlfHint() : "delete the blanks: only a truly empty line is skipped";
    String what = lines.continuesFileLine(n) ? "part of a long line read as a line of blanks" : "line of blanks";
    sink.add(Diagnostic.error(lines.at(n, 1), Math.max(1, text.length()),
        current == null ? what + " outside a table" : what + " (iptables-restore: no command specified)", hint, lines.shown(n)));
  }

  @Override
  public void exitTableHeader(IptablesParser.TableHeaderContext ctx) {
    Token mark = ctx.getStart();
    if (ended) return;
    if (current != null) {
      error(mark, 1, "table \"" + current.name + "\" is still open: COMMIT missing before this line",
          "end each table with a \"COMMIT\" line");
      return;
    }
    List<Field> f = fields(mark.getLine(), 1);
    if (f.isEmpty()) {
      error(mark, 1, "table name missing after \"*\"", "write e.g. \"*filter\"");
      current = new TableState("filter", pos(mark));
      return;
    }
    Field t = f.get(0);
    if (!Catalog.TABLES.contains(t.text)) {
      String hint = t.text.contains("\r") ? crlfHint()
          : Suggest.closest(t.text, Catalog.TABLES).map(s -> "did you mean \"" + s + "\"?")
              .orElse("tables are filter, nat, mangle, raw and security");
      fieldError(mark.getLine(), t, "table \"" + RuleInterpreter.visible(t.text) + "\" does not exist", hint);
    }
    current = new TableState(t.text, pos(mark));
    loaded.replacing(t.text).ifPresent(earlier -> sink.add(Diagnostic.warning(pos(mark), t.text.length() + 1,
        LoadedTables.replacedMessage(t.text, earlier), "keep one \"*" + t.text + "\" block per file", lines.shown(mark.getLine()))));
  }

  @Override
  public void exitChainDeclaration(IptablesParser.ChainDeclarationContext ctx) {
    Token mark = ctx.getStart();
    int n = mark.getLine();
    if (ended) return;
    if (current == null) {
      error(mark, 1, "chain declared outside a table", "start the table with a line such as \"*filter\"");
      return;
    }
    List<Field> f = fields(n, 1);
    if (f.isEmpty()) {
      error(mark, 1, "chain name missing after \":\"", null);
      return;
    }
    Field nameField = f.get(0);
    String name = nameField.text;
    if (name.length() > RuleInterpreter.MAX_NAME) {
      fieldError(n, nameField, "invalid chain name \"" + name + "\" (28 chars max)", null);
      return;
    }
    if (f.size() < 2) {
      fieldError(n, nameField, "chain \"" + RuleInterpreter.visible(name) + "\" has no policy",
          name.contains("\r") ? crlfHint()
              : "write \":" + name + " ACCEPT [0:0]\" for a built-in chain or \":" + name + " - [0:0]\" for a user chain");
      return;
    }
    Field polField = f.get(1);
    String pol = polField.text;
    boolean builtin = Catalog.builtinChains(current.name).contains(name);
    if (builtin) {
      TableState.ChainState c = current.chains.computeIfAbsent(name,
          k -> new TableState.ChainState(name, true, Optional.empty(), lines.at(n, nameField.column), true));
      if (pol.equals("ACCEPT") || pol.equals("DROP")) {
        c.policy = Optional.of(Policy.valueOf(pol));
      } else if (!pol.equals("-")) {
        String hint = pol.contains("\r") ? crlfHint()
            : pol.equalsIgnoreCase("accept") || pol.equalsIgnoreCase("drop") ? "policies are upper-case: " + pol.toUpperCase()
            : "a built-in chain's policy is ACCEPT or DROP; use a final rule \"-A " + name + " -j " + pol + "\" for anything else";
        fieldError(n, polField, "bad policy \"" + RuleInterpreter.visible(pol) + "\" for built-in chain " + name, hint);
      }
      return;
    }
    if (Catalog.STANDARD_TARGETS.contains(name)) {
      fieldError(n, nameField, "chain name \"" + name + "\" clashes with a standard target", "choose another name");
      return;
    }
    if (name.startsWith("-") || name.startsWith("!")) {
      fieldError(n, nameField, "chain name \"" + name + "\" may not start with '" + name.charAt(0) + "'",
          "iptables-nft-restore refuses it");
      return;
    }
    if (name.contains("\r")) {
      fieldError(n, nameField, "invalid chain name \"" + RuleInterpreter.visible(name) + "\"", crlfHint());
      return;
    }
    if (!pol.equals("-")) {
      if (Catalog.ALL_BUILTIN.contains(name)) {
        fieldError(n, polField, "chain " + name + " is not a built-in chain of table \"" + current.name + "\", so it has no policy",
            "built-in chains of " + current.name + ": " + String.join(", ", new TreeSet<>(Catalog.builtinChains(current.name))));
      } else {
        fieldError(n, polField, "user chain \"" + name + "\" cannot have a policy",
            pol.contains("\r") ? crlfHint() : "write \":" + name + " - [0:0]\"; only built-in chains have policies");
      }
    }
    TableState.ChainState existing = current.chains.get(name);
    if (existing != null) {
      fieldError(n, nameField, "chain \"" + name + "\" declared twice",
          "iptables-legacy-restore refuses a second declaration; remove one");
      return;
    }
    current.chains.put(name, new TableState.ChainState(name, false, Optional.empty(), lines.at(n, nameField.column), true));
  }

  @Override
  public void exitCommitLine(IptablesParser.CommitLineContext ctx) {
    Token commit = ctx.getStart();
    int n = commit.getLine();
    if (ended) return;
    if (!line(n).equals("COMMIT")) {
      error(commit, line(n).length(), "\"COMMIT\" must stand alone on its line",
          "iptables-restore reads \"" + RuleInterpreter.visible(line(n)) + "\" as a rule and refuses it");
    }
    if (current == null) {
      error(commit, 6, "COMMIT outside a table", "a table starts with a line such as \"*filter\"");
      return;
    }
    if (lines.cutByNul(n)) {
      error(commit, 6, "COMMIT is followed by a NUL byte, not by its newline",
          "iptables-legacy-restore only recognises the exact line \"COMMIT\"; remove the NUL byte");
    } else if (!lines.hasNewline(n)) {
      error(commit, 6, "the last COMMIT has no newline after it",
          "iptables-legacy-restore only recognises \"COMMIT\" followed by a newline; end the file with one");
    }
    CommitValidator.validate(current, family, sink, lines::shownFileLine);
    loaded.commit(current);
    current = null;
  }

  @Override
  public void exitRuleLine(IptablesParser.RuleLineContext ctx) {
    if (ended || ctx.getStart() == null || ctx.getStop() == null || ctx.getStop().getTokenIndex() < ctx.getStart().getTokenIndex()) return;
    Token first = ctx.getStart();
    int n = first.getLine();
    String text = line(n);
    if (current == null) {
      String hint = text.startsWith("-") ? "rules belong inside a table: start with \"*filter\" and end with \"COMMIT\""
          : text.contains("\r") ? crlfHint() : null;
      error(first, Math.max(1, first.getText().length()), "rule outside a table", hint);
      return;
    }
    boolean newline = lines.hasNewline(n);
    int start = 0;
    int end = text.length();
    if (text.startsWith("[")) {
      CountersPrefix cp = CountersPrefix.of(text, newline);
      if (cp.error().isPresent()) {
        error(first, first.getText().length(), "counters \"" + first.getText() + "\": " + cp.error().get(),
            "write \"[PACKETS:BYTES]\" before the rule");
        return;
      }
      start = cp.start();
      end = cp.end();
      if (end < text.length())
        sink.add(Diagnostic.warning(lines.at(n, end + 1), 1,
            "iptables-restore stops reading this line here: the counters prefix splits it at the next ':' or ']'",
            "use \"[PACKETS:BYTES]\" with both numbers", lines.shown(n)));
    }
    List<Arg> args = new ArrayList<>();
    for (int k = first.getTokenIndex(); k <= ctx.getStop().getTokenIndex(); k++) {
      Token t = tokens.get(k);
      if (t.getChannel() != Token.DEFAULT_CHANNEL || t.getType() == IptablesLexer.COUNTERS || t.getType() == IptablesLexer.NL) continue;
      int col = t.getCharPositionInLine();
      if (col < start || col >= end) continue;
      String raw = t.getText();
      boolean cut = col + raw.length() > end;
      if (cut) raw = raw.substring(0, end - col);
      Optional<String> word = Words.argv(raw, newline && !cut);
      if (word.isPresent()) args.add(new Arg(word.get(), Arg.Kind.WORD, col + 1, raw.length()));
    }
    if (args.isEmpty()) {
      error(first, Math.max(1, first.getText().length()), "counters without a rule (iptables-restore: no command specified)", null);
      return;
    }
    LineOutcome outcome = interpreter.interpret(current.name, args, lines.start(n), lines.shown(n));
    if (outcome instanceof LineOutcome.Run run) {
      CommandApplier.apply(current, run.command(), family, sink, lines.shown(n));
    } else if (outcome instanceof LineOutcome.EndsRestore) {
      ended = true;
      current = null;
    }
  }

  /** A blank-separated field of a line (strtok with " \t\n"), with its 1-based column. */
  private record Field(String text, int column) {}

  private List<Field> fields(int n, int from) {
    String text = line(n);
    List<Field> out = new ArrayList<>();
    int i = from;
    while (i < text.length()) {
      while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
      if (i >= text.length()) break;
      int s = i;
      while (i < text.length() && text.charAt(i) != ' ' && text.charAt(i) != '\t') i++;
      out.add(new Field(text.substring(s, i), s + 1));
    }
    return out;
  }

  String line(int n) {
    return lines.line(n);
  }

  private SourcePos pos(Token t) {
    return lines.at(t.getLine(), t.getCharPositionInLine() + 1);
  }

  private void error(Token t, int length, String message, String hint) {
    sink.add(Diagnostic.error(pos(t), length, message, hint, lines.shown(t.getLine())));
  }

  private void fieldError(int n, Field f, String message, String hint) {
    sink.add(Diagnostic.error(lines.at(n, f.column), f.text.length(), message, hint, lines.shown(n)));
  }

  static String crlfHint() {
    return "the file has Windows (CRLF) line endings; convert it with \"dos2unix\" or \"sed -i 's/\\r$//'\"";
  }
}
