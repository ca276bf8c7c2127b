package org.ksaudit.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.BufferedTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.ksaudit.catalog.Catalog;
import org.ksaudit.catalog.Suggest;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticSink;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Family;
import org.ksaudit.model.Policy;
import org.ksaudit.model.Rule;
import org.ksaudit.model.SourcePos;
import org.ksaudit.model.Table;
import org.ksaudit.parse.generated.IptablesLexer;
import org.ksaudit.parse.generated.IptablesParser;
import org.ksaudit.parse.generated.IptablesParserBaseListener;

/**
 * Walks the parse tree line by line, as iptables-restore reads its input: opens tables,
 * declares chains, runs each rule line's command against the table and validates the table
 * at COMMIT. The only place where parse trees become model records.
 */
final class RulesetListener extends IptablesParserBaseListener {
  private final String file;
  private final Family family;
  private final String[] lines;
  private final BufferedTokenStream tokens;
  private final DiagnosticSink sink;
  private final RuleInterpreter interpreter;
  private final List<Table> tables = new ArrayList<>();
  private TableState current;

  RulesetListener(String file, Family family, String[] lines, BufferedTokenStream tokens, DiagnosticSink sink) {
    this.file = file;
    this.family = family;
    this.lines = lines;
    this.tokens = tokens;
    this.sink = sink;
    this.interpreter = new RuleInterpreter(Catalog.DEFAULT, family, file, sink);
  }

  List<Table> tables() {
    return List.copyOf(tables);
  }

  /** At end of input: an open table was never committed, so iptables-restore loads nothing of it. */
  void finish(int lastLine) {
    if (current != null) {
      sink.add(Diagnostic.error(current.pos, current.name.length() + 1,
          "table \"" + current.name + "\" is never committed: COMMIT expected at line " + (lastLine + 1),
          "add a line \"COMMIT\" at the end of the table", line(current.pos.line())));
      CommitValidator.validate(current, family, sink, this::line);
      tables.add(freeze(current));
      current = null;
    }
  }

  @Override
  public void enterTableHeader(IptablesParser.TableHeaderContext ctx) {
    Token mark = ctx.TABLE_MARK().getSymbol();
    List<Token> words = words(ctx.anyWords());
    if (current != null) {
      error(mark, 1, "table \"" + current.name + "\" is still open: COMMIT missing before this line",
          "end each table with a \"COMMIT\" line");
      return;
    }
    if (words.isEmpty()) {
      error(mark, 1, "table name missing after \"*\"", "write e.g. \"*filter\"");
      current = new TableState("filter", pos(mark));
      return;
    }
    Token t = words.get(0);
    String name = Words.unquote(t.getText());
    if (!Catalog.TABLES.contains(name)) {
      String hint = name.endsWith("\r") ? crlfHint()
          : Suggest.closest(name, Catalog.TABLES).map(s -> "did you mean \"" + s + "\"?")
              .orElse("tables are filter, nat, mangle, raw and security");
      error(t, t.getText().length(), "table \"" + visible(name) + "\" does not exist", hint);
    }
    current = new TableState(name, pos(mark));
  }

  @Override
  public void enterChainDeclaration(IptablesParser.ChainDeclarationContext ctx) {
    Token mark = ctx.CHAIN_MARK().getSymbol();
    if (current == null) {
      error(mark, 1, "chain declared outside a table", "start the table with a line such as \"*filter\"");
      return;
    }
    List<Token> words = words(ctx.anyWords());
    if (words.isEmpty()) {
      error(mark, 1, "chain name missing after \":\"", null);
      return;
    }
    Token nameTok = words.get(0);
    String name = nameTok.getText();
    if (name.length() > RuleInterpreter.MAX_NAME) {
      error(nameTok, name.length(), "invalid chain name \"" + name + "\" (28 chars max)", null);
      return;
    }
    if (words.size() < 2) {
      error(nameTok, name.length(), "chain \"" + name + "\" has no policy", "write \":" + name + " ACCEPT [0:0]\" for a built-in chain or \":" + name + " - [0:0]\" for a user chain");
      return;
    }
    Token polTok = words.get(1);
    String pol = polTok.getText();
    boolean builtin = Catalog.builtinChains(current.name).contains(name);
    if (current.chains.containsKey(name) && current.chains.get(name).declared) {
      error(nameTok, name.length(), "chain \"" + name + "\" declared twice",
          "iptables-legacy-restore refuses a second declaration; remove one");
      return;
    }
    Optional<Policy> policy = Optional.empty();
    if (builtin) {
      if (pol.equals("ACCEPT") || pol.equals("DROP")) {
        policy = Optional.of(Policy.valueOf(pol));
      } else {
        String hint = pol.endsWith("\r") ? crlfHint()
            : pol.equalsIgnoreCase("accept") || pol.equalsIgnoreCase("drop") ? "policies are upper-case: " + pol.toUpperCase()
            : "a built-in chain's policy is ACCEPT or DROP; use a final rule \"-A " + name + " -j " + pol + "\" for anything else";
        error(polTok, pol.length(), "bad policy \"" + visible(pol) + "\" for built-in chain " + name, hint);
        policy = Optional.of(Policy.ACCEPT);
      }
    } else {
      if (Catalog.ALL_BUILTIN.contains(name)) {
        error(nameTok, name.length(), "chain " + name + " is not a built-in chain of table \"" + current.name + "\"",
            "built-in chains of " + current.name + ": " + String.join(", ", new java.util.TreeSet<>(Catalog.builtinChains(current.name))));
      } else if (!pol.equals("-")) {
        error(polTok, pol.length(), "user chain \"" + name + "\" cannot have a policy",
            "write \":" + name + " - [0:0]\"; only built-in chains have policies");
      }
      if (Catalog.STANDARD_TARGETS.contains(name) || Catalog.DEFAULT.target(name, family).isPresent()) {
        error(nameTok, name.length(), "chain name \"" + name + "\" clashes with a target name", null);
      }
      if (name.startsWith("-") || name.startsWith("!")) {
        error(nameTok, name.length(), "chain name \"" + name + "\" may not start with '-' or '!'", null);
      }
    }
    TableState.ChainState existing = current.chains.get(name);
    if (existing != null && existing.builtin) {
      existing.policy = policy;
      current.chains.put(name, new TableState.ChainState(name, true, policy, pos(nameTok), true));
      current.chains.get(name).rules.addAll(existing.rules);
    } else {
      current.chains.put(name, new TableState.ChainState(name, builtin, policy, pos(nameTok), true));
    }
  }

  @Override
  public void enterCommitLine(IptablesParser.CommitLineContext ctx) {
    Token commit = ctx.COMMIT().getSymbol();
    List<Token> words = words(ctx.anyWords());
    if (!words.isEmpty()) {
      Token w = words.get(0);
      error(w, w.getText().length(), "unexpected text after COMMIT", "COMMIT stands alone on its line");
    }
    if (current == null) {
      error(commit, 6, "COMMIT outside a table", "a table starts with a line such as \"*filter\"");
      return;
    }
    int next = commit.getTokenIndex() + 1;
    boolean newline = false;
    for (int k = next; k < tokens.size(); k++) {
      Token t = tokens.get(k);
      if (t.getType() == IptablesLexer.NL) { newline = true; break; }
      if (t.getChannel() == Token.DEFAULT_CHANNEL) break;
    }
    if (!newline) {
      error(commit, 6, "the last COMMIT has no newline after it",
          "iptables-legacy-restore only recognises \"COMMIT\" followed by a newline; end the file with one");
    }
    CommitValidator.validate(current, family, sink, this::line);
    tables.add(freeze(current));
    current = null;
  }

  @Override
  public void enterRuleLine(IptablesParser.RuleLineContext ctx) {
    if (ctx.getStart() == null || ctx.getStop() == null || ctx.getStop().getTokenIndex() < ctx.getStart().getTokenIndex()) return;
    Token first = ctx.getStart();
    if (current == null) {
      String text = first.getText();
      String hint = text.startsWith("-") ? "rules belong inside a table: start with \"*filter\" and end with \"COMMIT\""
          : text.endsWith("\r") ? crlfHint() : null;
      error(first, Math.max(1, text.length()), "rule outside a table", hint);
      return;
    }
    List<Arg> args = new ArrayList<>();
    int lineNo = first.getLine();
    for (int k = first.getTokenIndex(); k <= ctx.getStop().getTokenIndex(); k++) {
      Token t = tokens.get(k);
      if (t.getChannel() != Token.DEFAULT_CHANNEL) continue;
      int col = t.getCharPositionInLine() + 1;
      switch (t.getType()) {
        case IptablesLexer.COUNTERS -> checkCounters(t);
        case IptablesLexer.BANG -> args.add(new Arg("!", Arg.Kind.BANG, col, 1));
        case IptablesLexer.OPTION -> args.add(new Arg(Words.unquote(t.getText()), Arg.Kind.OPTION, col, t.getText().length()));
        case IptablesLexer.WORD -> args.add(new Arg(Words.unquote(t.getText()), Arg.Kind.WORD, col, t.getText().length()));
        default -> { }
      }
    }
    if (args.isEmpty()) {
      error(first, 1, "counters without a rule", null);
      return;
    }
    interpreter.interpret(current.name, args, lineNo, line(lineNo))
        .ifPresent(cmd -> CommandApplier.apply(current, cmd, family, sink, line(lineNo)));
  }

  private void checkCounters(Token t) {
    if (!t.getText().endsWith("]"))
      error(t, t.getText().length(), "counters \"" + t.getText() + "\" lack the closing ']'", "write \"[packets:bytes]\"");
  }

  private static Table freeze(TableState s) {
    List<Chain> chains = new ArrayList<>();
    for (TableState.ChainState c : s.chains.values())
      chains.add(new Chain(c.name, c.builtin ? c.policy.or(() -> Optional.of(Policy.ACCEPT)) : Optional.empty(), c.rules, c.pos));
    return new Table(s.name, chains, s.pos);
  }

  private List<Token> words(ParserRuleContext ctx) {
    List<Token> out = new ArrayList<>();
    if (ctx == null || ctx.getStart() == null || ctx.getStop() == null) return out;
    for (int k = ctx.getStart().getTokenIndex(); k <= ctx.getStop().getTokenIndex(); k++) {
      Token t = tokens.get(k);
      if (t.getChannel() == Token.DEFAULT_CHANNEL && t.getType() != IptablesLexer.NL) out.add(t);
    }
    return out;
  }

  String line(int n) {
    return n >= 1 && n <= lines.length ? lines[n - 1] : "";
  }

  private SourcePos pos(Token t) {
    return new SourcePos(file, t.getLine(), t.getCharPositionInLine() + 1);
  }

  private void error(Token t, int length, String message, String hint) {
    sink.add(Diagnostic.error(pos(t), length, message, hint, line(t.getLine())));
  }

  static String crlfHint() {
    return "the file has Windows (CRLF) line endings; convert it with \"dos2unix\" or \"sed -i 's/\\r$//'\"";
  }

  private static String visible(String s) {
    return s.replace("\r", "\\r");
  }
}
