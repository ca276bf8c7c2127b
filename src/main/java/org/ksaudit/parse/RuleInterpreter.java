package org.ksaudit.parse;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.catalog.ArgKind;
import org.ksaudit.catalog.BadValue;
import org.ksaudit.catalog.Catalog;
import org.ksaudit.catalog.CrossCheck;
import org.ksaudit.catalog.ExtensionSpec;
import org.ksaudit.catalog.Numbers;
import org.ksaudit.catalog.OptionSpec;
import org.ksaudit.catalog.Protocols;
import org.ksaudit.catalog.RuleView;
import org.ksaudit.catalog.Suggest;
import org.ksaudit.catalog.ValueContext;
import org.ksaudit.catalog.ValueParsers;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticSink;
import org.ksaudit.model.Family;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.Rule;
import org.ksaudit.model.SourcePos;
import org.ksaudit.model.Target;
import org.ksaudit.model.value.AddressList;
import org.ksaudit.model.value.Flag;
import org.ksaudit.model.value.Text;
import org.ksaudit.model.value.Unparsed;
import org.ksaudit.model.value.Value;
import org.ksaudit.parse.OptionLegality.Generic;

/**
 * Reads the argv of one rule line the way iptables' do_parse does: getopt_long in
 * return-in-order mode over the core options and the options of every extension loaded so far
 * (newest first, unique prefixes of long options accepted), the protocol's match loaded on
 * demand, then the final checks, the address parsing of post_parse and the command/option
 * legality table. Every problem becomes a diagnostic at the offending word. A value iptables
 * refuses does not stop the reading: the rule is still built, the value kept as
 * {@link Unparsed} and the rule marked incomplete, so analysis can go on.
 */
final class RuleInterpreter {
  /** Longest chain or target name: XT_EXTENSION_MAXNAMELEN (29) minus the NUL. */
  static final int MAX_NAME = 28;
  /** iptables-restore's argv holds 255 entries, three of them its own ("iptables -t TABLE"). */
  static final int MAX_WORDS = 251;

  private static final Map<String, CoreOption> CORE_BY_NAME = new java.util.HashMap<>();

  static {
    for (CoreOption o : CoreOption.values()) for (String n : o.longNames) CORE_BY_NAME.put(n, o);
  }

  private final Catalog catalog;
  private final Family family;
  private final DiagnosticSink sink;

  RuleInterpreter(Catalog catalog, Family family, DiagnosticSink sink) {
    this.catalog = catalog;
    this.family = family;
    this.sink = sink;
  }

  /**
   * Reads one rule line; {@code start} places its columns in the file, and {@code sourceLine} is
   * the file line its diagnostics and rule show.
   */
  LineOutcome interpret(String table, List<Arg> args, LineStart start, String sourceLine) {
    return new Line(table, args, start, sourceLine).run();
  }

  /** An extension instance on the rule being read, with the options given so far. */
  private static final class Loaded {
    final ExtensionSpec spec;
    final boolean isTarget;
    final SourcePos pos;
    final int length;
    final List<Option> options = new ArrayList<>();

    Loaded(ExtensionSpec spec, boolean isTarget, SourcePos pos, int length) {
      this.spec = spec;
      this.isTarget = isTarget;
      this.pos = pos;
      this.length = length;
    }

    boolean given(String name) {
      return options.stream().anyMatch(o -> o.name().equals(name));
    }
  }

  /** A long option getopt found: a core option or an extension's. */
  private record Found(CoreOption core, Loaded owner, OptionSpec spec) {
    ArgKind arg() {
      return core != null ? core.arg : spec.arg() == ArgKind.PAIR ? ArgKind.REQUIRED : spec.arg();
    }

    /** getopt calls two entries the same when has_arg and val agree (an option and its alias). */
    boolean sameAs(Found o) {
      return core != null ? core == o.core : owner == o.owner && spec == o.spec;
    }
  }

  private final class Line {
    final String table;
    final List<Arg> argv;
    final LineStart start;
    final String sourceLine;

    int optind;
    boolean fatal;
    boolean complete = true;
    Arg invert;

    CommandKind command;
    Arg commandArg;
    String chain;
    Arg chainArg;
    Integer ruleNumber;
    boolean numbered;
    String extra;
    Arg extraArg;

    final Set<Generic> options = EnumSet.noneOf(Generic.class);
    final Map<String, Option> core = new LinkedHashMap<>();
    Arg sourceArg;
    Arg destinationArg;
    Optional<Integer> protocol = Optional.empty();
    String protocolText;
    boolean protocolNegated;
    boolean protocolUsed;
    int verbose;

    final List<Loaded> loaded = new ArrayList<>();
    Loaded target;
    String jumpTo;
    boolean isGoto;
    Arg jumpArg;
    List<Arg> trailing = List.of();

    Line(String table, List<Arg> argv, LineStart start, String sourceLine) {
      this.table = table;
      this.argv = argv;
      this.start = start;
      this.sourceLine = sourceLine;
    }

    LineOutcome run() {
      if (argv.size() > MAX_WORDS) {
        fatal(argv.get(MAX_WORDS), "too many words on one line (iptables-restore handles " + MAX_WORDS + ")",
            "split the rule");
        return new LineOutcome.Nothing();
      }
      for (Arg a : argv) {
        if (a.text().length() >= 1024) {
          fatal(a, "word longer than 1023 characters (iptables-restore: \"Parameter too long!\")", null);
          return new LineOutcome.Nothing();
        }
      }
      while (optind < argv.size() && !fatal) {
        Arg a = argv.get(optind++);
        String t = a.text();
        if (t.equals("--")) {
          trailing = argv.subList(optind, argv.size());
          optind = argv.size();
          break;
        }
        Optional<LineOutcome> early;
        if (t.startsWith("--")) early = longOption(a);
        else if (t.startsWith("-") && t.length() > 1) early = shortOptions(a);
        else early = nonOption(a);
        if (early.isPresent()) return early.get();
      }
      if (fatal) return partial();
      afterLoop();
      return command == null ? new LineOutcome.Nothing() : new LineOutcome.Run(build());
    }

    /** A line that stopped at a structural error: keep what was read when it carries a rule. */
    LineOutcome partial() {
      if (command == null || !command.takesRuleSpec() || chain == null) return new LineOutcome.Nothing();
      return new LineOutcome.Run(build());
    }

    // ------------------------------------------------------------------ getopt

    Optional<LineOutcome> nonOption(Arg a) {
      if (a.text().equals("!")) {
        if (invert != null) {
          fatal(a, "multiple consecutive ! not allowed", null);
          return Optional.empty();
        }
        invert = a;
        return Optional.empty();
      }
      String t = a.text();
      if (t.contains("\r")) {
        fatal(a, "Bad argument `" + visible(t) + "'", RulesetListener.crlfHint());
      } else {
        fatal(a, "Bad argument `" + t + "'", strayHint(a));
      }
      return Optional.empty();
    }

    private String strayHint(Arg a) {
      int k = argv.indexOf(a);
      if (k >= 2 && argv.get(k - 1).text().equals("!") && argv.get(k - 2).text().startsWith("-"))
        return "old-style negation \"OPTION ! VALUE\" is refused by iptables 1.8; write \"! OPTION VALUE\"";
      if (Catalog.STANDARD_TARGETS.contains(a.text()) || catalog.target(a.text(), family).isPresent())
        return "did you mean \"-j " + a.text() + "\"?";
      if (a.text().isEmpty()) return "an empty word (\"\") belongs to no option";
      return "every value belongs to the option before it; this word has none";
    }

    Optional<LineOutcome> shortOptions(Arg a) {
      String t = a.text();
      for (int k = 1; k < t.length() && !fatal; k++) {
        char c = t.charAt(k);
        Optional<CoreOption> o = CoreOption.byLetter(c, family);
        if (o.isEmpty()) {
          unknownShort(a, c, k == 1);
          return Optional.empty();
        }
        CoreOption opt = o.get();
        String rest = t.substring(k + 1);
        switch (opt.arg) {
          case NONE -> {
            Optional<LineOutcome> r = dispatch(opt, a, null);
            if (r.isPresent()) return r;
          }
          case REQUIRED -> {
            Arg value;
            if (!rest.isEmpty()) {
              value = sub(a, k + 1);
            } else if (optind < argv.size()) {
              value = nextValue(a);
            } else {
              missingArgument(a, "-" + c);
              return Optional.empty();
            }
            return dispatch(opt, a, value);
          }
          case OPTIONAL, PAIR -> {
            return dispatch(opt, a, rest.isEmpty() ? null : sub(a, k + 1));
          }
        }
      }
      return Optional.empty();
    }

    Optional<LineOutcome> longOption(Arg a) {
      String body = a.text().substring(2);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      Arg attached = eq < 0 ? null : sub(a, 2 + eq + 1);
      List<Found> hits = resolve(name);
      if (hits.isEmpty() || hits.size() > 1 && hits.stream().anyMatch(h -> !h.sameAs(hits.get(0)))) {
        if (loadProtocolMatch()) {
          optind--;
          return Optional.empty();
        }
        if (hits.isEmpty()) unknownLong(a, name);
        else fatal(a, "option \"--" + name + "\" is ambiguous", "it could be " + candidates(hits));
        return Optional.empty();
      }
      Found f = hits.get(0);
      Arg value = attached;
      switch (f.arg()) {
        case NONE -> {
          if (attached != null) {
            fatal(a, "unknown option \"" + a.text() + "\"", "\"--" + name + "\" takes no value");
            return Optional.empty();
          }
        }
        case REQUIRED -> {
          if (value == null) {
            if (optind >= argv.size()) {
              missingArgument(a, "--" + name);
              return Optional.empty();
            }
            value = nextValue(a);
          }
        }
        default -> { }
      }
      if (f.core != null) return dispatch(f.core, a, value);
      extensionOption(a, f.owner, f.spec, value);
      return Optional.empty();
    }

    /**
     * The next word as an option's value. "OPTION ! VALUE", the negation of iptables 1.4, gives
     * "!" as the value in 1.8; it is reported once, at the "!", and read as meant ("! OPTION
     * VALUE") so the model keeps the rule's intent.
     */
    Arg nextValue(Arg option) {
      Arg v = argv.get(optind++);
      if (v.text().equals("!") && optind < argv.size() && !argv.get(optind).text().startsWith("-")
          && !argv.get(optind).text().equals("!") && invert == null) {
        Arg real = argv.get(optind++);
        valueError(v, "old-style negation \"" + option.text() + " ! VALUE\" is refused by iptables 1.8",
            "write \"! " + option.text() + " " + real.text() + "\"");
        invert = v;
        return real;
      }
      return v;
    }

    /** getopt_long's lookup: an exact name first (core options come first), else every option the text is a prefix of. */
    List<Found> resolve(String name) {
      CoreOption exactCore = CORE_BY_NAME.get(name);
      if (exactCore != null) return List.of(new Found(exactCore, null, null));
      String dashed = "--" + name;
      for (int k = loaded.size() - 1; k >= 0; k--) {
        Loaded l = loaded.get(k);
        for (OptionSpec s : l.spec.options()) if (s.names().contains(dashed)) return List.of(new Found(null, l, s));
      }
      List<Found> prefix = new ArrayList<>();
      for (CoreOption o : CoreOption.values())
        for (String n : o.longNames) if (n.startsWith(name)) prefix.add(new Found(o, null, null));
      for (int k = loaded.size() - 1; k >= 0; k--) {
        Loaded l = loaded.get(k);
        for (OptionSpec s : l.spec.options())
          for (String n : s.names()) if (n.startsWith(dashed)) prefix.add(new Found(null, l, s));
      }
      return prefix;
    }

    private String candidates(List<Found> hits) {
      List<String> names = new ArrayList<>();
      for (Found h : hits) {
        String n = h.core != null ? "--" + h.core.longNames.get(0) : h.spec.name();
        if (!names.contains(n)) names.add(n);
      }
      return String.join(", ", names);
    }

    /**
     * iptables' reaction to an option nobody knows: load the match of the -p protocol once per
     * rule and try again (so "-p tcp --dport 22" works without "-m tcp").
     */
    boolean loadProtocolMatch() {
      if (protocolText == null || protocolUsed) return false;
      String name = Protocols.implicitModuleName(protocolText);
      Optional<ExtensionSpec> spec = catalog.match(name, family);
      if (spec.isEmpty() || !Protocols.implicitInFamily(name, family)) return false;
      protocolUsed = true;
      Arg at = argv.get(Math.max(0, optind - 1));
      loaded.add(new Loaded(spec.get(), false, pos(at), at.length()));
      return true;
    }

    void missingArgument(Arg a, String option) {
      if (loadProtocolMatch()) {
        optind--;
        return;
      }
      fatal(a, "option \"" + option + "\" requires an argument", null);
    }

    void unknownShort(Arg a, char c, boolean firstLetter) {
      if (firstLetter && loadProtocolMatch()) {
        optind--;
        return;
      }
      String word = a.text().substring(1);
      fatal(a, "unknown option \"" + a.text() + "\"", looksLikeInterface(word) ? "did you mean \"-o " + word + "\"?" : suggestion("-" + c));
    }

    void unknownLong(Arg a, String name) {
      fatal(a, "unknown option \"" + a.text() + "\"", suggestion("--" + name));
    }

    // ------------------------------------------------------------------ core options

    Optional<LineOutcome> dispatch(CoreOption o, Arg a, Arg value) {
      Arg bang = invert;
      if (o.command().isPresent()) {
        command(o.command().get(), a, value, bang);
        invert = null;
        return Optional.empty();
      }
      switch (o) {
        case PROTOCOL -> protocol(a, value, bang);
        case SOURCE, DESTINATION -> address(o, a, value, bang);
        case IN_INTERFACE, OUT_INTERFACE -> iface(o, a, value, bang);
        case JUMP -> jump(a, value, bang, false);
        case GOTO -> jump(a, value, bang, true);
        case MATCH -> match(a, value, bang);
        case FRAGMENT -> {
          if (family == Family.IPV6) {
            fatal(a, "\"-f\" is not supported in IPv6", "use \"-m frag\" instead");
          } else if (set(Generic.FRAGMENT, a, bang)) {
            core.put("--fragment", new Option("--fragment", bang != null, Flag.INSTANCE, pos(a)));
          }
        }
        case VERBOSE -> {
          if (verbose++ == 0) set(Generic.VERBOSE, a, bang);
        }
        case NUMERIC -> set(Generic.NUMERIC, a, bang);
        case EXACT -> set(Generic.EXACT, a, bang);
        case LINE_NUMBERS -> set(Generic.LINE_NUMBERS, a, bang);
        case SET_COUNTERS -> counters(a, value, bang);
        case TABLE -> {
          String word = a.text().substring(1);
          if (bang != null) fatal(bang, "unexpected ! flag before --table", null);
          else if (!a.text().startsWith("--") && value != null && value.column() > a.column() && looksLikeInterface(word))
            fatal(a, "unknown option \"" + a.text() + "\" (read as \"-t " + value.text() + "\", which a restore file cannot use)",
                "did you mean \"-o " + word + "\"?");
          else fatal(a, "the -t option cannot be used in iptables-restore", "the table comes from the \"*table\" line");
        }
        case WAIT, WAIT_INTERVAL -> fatal(a, "you cannot use `" + (o == CoreOption.WAIT ? "-w" : "-W") + "' from iptables-restore",
            "iptables-restore takes the lock for the whole file itself");
        case MODPROBE -> { }
        case VERSION, HELP -> {
          warn(a, "iptables-restore prints " + (o == CoreOption.HELP ? "its help" : "its version")
              + " here and exits with success: nothing from this line on is loaded", "remove \"" + a.text() + "\"");
          return Optional.of(new LineOutcome.EndsRestore());
        }
        case IPV4, IPV6 -> {
          if ((o == CoreOption.IPV4) != (family == Family.IPV4)) return Optional.of(new LineOutcome.Nothing());
        }
        case BINARY -> fatal(a, "unknown arg \"" + a.text() + "\"", null);
        default -> throw new IllegalStateException("unhandled core option " + o);
      }
      invert = null;
      return Optional.empty();
    }

    /** set_option: one of each generic option, and '!' only where iptables knows an inverse. */
    boolean set(Generic g, Arg a, Arg bang) {
      if (!options.add(g)) {
        fatal(a, "multiple -" + g.letter + " flags not allowed", null);
        return false;
      }
      boolean invertible = g == Generic.SOURCE || g == Generic.DESTINATION || g == Generic.PROTOCOL
          || g == Generic.IN_INTERFACE || g == Generic.OUT_INTERFACE || g == Generic.FRAGMENT;
      if (bang != null && !invertible) {
        fatal(bang, "cannot have ! before -" + g.letter, null);
        return false;
      }
      return true;
    }

    void command(CommandKind kind, Arg a, Arg value, Arg bang) {
      if (bang != null) {
        fatal(bang, "unexpected '!' flag before a command", null);
        return;
      }
      if (command != null && !(compatible(command, kind))) {
        fatal(a, "cannot use -" + kind.letter + " with -" + command.letter, "one command per line");
        return;
      }
      if (kind == CommandKind.NEW_CHAIN && !validNewChain(value)) return;
      command = kind;
      commandArg = a;
      switch (kind) {
        case APPEND, CHECK, INSERT, REPLACE, DELETE, NEW_CHAIN, RENAME_CHAIN, POLICY -> setChain(value);
        default -> {
          if (value != null) setChain(value);
          else if (hasArg()) setChain(argv.get(optind++));
        }
      }
      switch (kind) {
        case DELETE, ZERO -> {
          if (hasArg()) {
            ruleNumber = ruleNumber(argv.get(optind++));
            numbered = true;
          }
        }
        case INSERT -> {
          if (hasArg()) ruleNumber = ruleNumber(argv.get(optind++));
        }
        case LIST, LIST_RULES -> {
          if (hasArg()) ruleNumber = ruleNumber(argv.get(optind++));
        }
        case REPLACE -> {
          if (hasArg()) ruleNumber = ruleNumber(argv.get(optind++));
          else fatal(a, "-R requires a rule number", "write \"-R CHAIN NUMBER rule...\"");
        }
        case RENAME_CHAIN -> {
          if (hasArg()) takeExtra();
          else fatal(a, "-E requires old-chain-name and new-chain-name", null);
        }
        case POLICY -> {
          if (hasArg()) takeExtra();
          else fatal(a, "-P requires a chain and a policy", null);
        }
        default -> { }
      }
    }

    private boolean compatible(CommandKind have, CommandKind add) {
      return have == CommandKind.LIST && add == CommandKind.ZERO
          || (have == CommandKind.ZERO) && (add == CommandKind.LIST || add == CommandKind.LIST_RULES)
          || have == CommandKind.LIST_RULES && add == CommandKind.ZERO;
    }

    private void takeExtra() {
      extraArg = argv.get(optind++);
      extra = extraArg.text();
    }

    /** xs_has_arg: a next word that does not start with '-' or '!'. */
    boolean hasArg() {
      return optind < argv.size() && !argv.get(optind).text().startsWith("-") && !argv.get(optind).text().startsWith("!");
    }

    /** parse_chain for -N: length, first character, no clash with a target, no blanks. */
    boolean validNewChain(Arg v) {
      String n = v.text();
      if (n.length() > MAX_NAME) {
        fatal(v, "chain name `" + n + "' too long (must be under 29 chars)", null);
        return false;
      }
      if (n.startsWith("-") || n.startsWith("!")) {
        fatal(v, "chain name not allowed to start with `" + n.charAt(0) + "'", null);
        return false;
      }
      if (n.isEmpty() || Catalog.STANDARD_TARGETS.contains(n) || catalog.target(n, family).isPresent()) {
        fatal(v, "chain name may not clash with target name", "choose another name than \"" + n + "\"");
        return false;
      }
      if (n.chars().anyMatch(ch -> Numbers.isSpace((char) ch))) {
        fatal(v, "invalid chain name `" + visible(n) + "'", n.contains("\r") ? RulesetListener.crlfHint() : null);
        return false;
      }
      return true;
    }

    void setChain(Arg c) {
      chainArg = c;
      chain = c.text();
    }

    Integer ruleNumber(Arg a) {
      Optional<Long> n = Numbers.xtables(a.text(), 1, Integer.MAX_VALUE);
      if (n.isPresent()) return (int) (long) n.get();
      fatal(a, "invalid rule number `" + a.text() + "'", "rule numbers start at 1");
      return null;
    }

    void protocol(Arg a, Arg value, Arg bang) {
      if (!set(Generic.PROTOCOL, a, bang)) return;
      // iptables lower-cases the word and reads the whole of it, even "-ptcp"
      Arg word = attachedWhole(a, value);
      String text = word.text().toLowerCase(java.util.Locale.ROOT);
      protocolText = text;
      Optional<Integer> n = Protocols.number(text);
      Value v;
      if (n.isEmpty()) {
        valueError(word, "unknown protocol \"" + text + "\" specified", protocolHint(text, word));
        v = new Unparsed(word.text());
      } else {
        if (n.get() == 0 && bang != null) fatal(a, "rule would never match protocol", "\"! -p all\" matches nothing");
        protocol = n;
        protocolNegated = bang != null;
        v = new Text(Protocols.canonical(n.get()));
        if (family == Family.IPV4 && n.get() == 58)
          warn(word, "ICMPv6 (protocol 58) in an IPv4 ruleset matches nothing", "use \"-p icmp\" here, or move the rule to the ip6tables file");
        if (family == Family.IPV6 && n.get() == 1)
          warn(word, "\"-p icmp\" in an IPv6 ruleset matches nothing", "use \"-p icmpv6\"");
      }
      core.put("--protocol", new Option("--protocol", bang != null, v, pos(a)));
    }

    private String protocolHint(String text, Arg word) {
      if (word.text().startsWith("-")) return "the value is the whole word; write \"-p tcp\" with a space";
      return Suggest.closest(text, List.of("tcp", "udp", "icmp", "icmpv6", "all", "esp", "ah", "sctp", "gre"))
          .map(s -> "did you mean \"" + s + "\"?").orElse(null);
    }

    /** -s/-d/-p/-i/-o/-j read argv[optind-1]: with an attached value that is the whole word. */
    private Arg attachedWhole(Arg option, Arg value) {
      return value != null && value.column() > option.column() && value.column() < option.column() + option.length()
          ? option : value;
    }

    void address(CoreOption o, Arg a, Arg value, Arg bang) {
      if (!set(o == CoreOption.SOURCE ? Generic.SOURCE : Generic.DESTINATION, a, bang)) return;
      Arg word = attachedWhole(a, value);
      String name = o == CoreOption.SOURCE ? "--source" : "--destination";
      if (word.text().equals("!")) {
        // parsed after the loop like any address; the hint is the useful part
        core.put(name, new Option(name, bang != null, new Unparsed("!"), pos(a)));
      } else {
        core.put(name, new Option(name, bang != null, new Text(word.text()), pos(a)));
      }
      if (o == CoreOption.SOURCE) sourceArg = word;
      else destinationArg = word;
    }

    void iface(CoreOption o, Arg a, Arg value, Arg bang) {
      Arg word = attachedWhole(a, value);
      if (word.text().isEmpty()) {
        fatal(word, "empty interface name", "iptables refuses \"\"; leave the option out to match any interface");
        return;
      }
      if (!set(o == CoreOption.IN_INTERFACE ? Generic.IN_INTERFACE : Generic.OUT_INTERFACE, a, bang)) return;
      String name = o == CoreOption.IN_INTERFACE ? "--in-interface" : "--out-interface";
      Value v;
      try {
        v = ValueParsers.INTERFACE.parse(word.text(), ctx());
      } catch (BadValue e) {
        fatal(word, e.getMessage(), e.hint());
        return;
      }
      core.put(name, new Option(name, bang != null, v, pos(a)));
    }

    void jump(Arg a, Arg value, Arg bang, boolean isGoto) {
      if (!set(Generic.JUMP, a, bang)) return;
      Arg word = isGoto ? value : attachedWhole(a, value);
      String name = word.text();
      if (name.isEmpty()) {
        fatal(word, "invalid target name (too short)", null);
        return;
      }
      if (name.length() > MAX_NAME) {
        fatal(word, "invalid target name `" + name + "' (28 chars max)", null);
        return;
      }
      if (name.chars().anyMatch(ch -> Numbers.isSpace((char) ch))) {
        fatal(word, "invalid target name `" + visible(name) + "'",
            name.contains("\r") ? RulesetListener.crlfHint() : name.contains("\n") ? "a quote is not closed on this line" : null);
        return;
      }
      jumpTo = name;
      this.isGoto = isGoto;
      jumpArg = word;
      if (isGoto) return;
      Optional<ExtensionSpec> ext = catalog.target(name, family);
      if (ext.isPresent()) {
        target = new Loaded(ext.get(), true, pos(word), word.length());
        loaded.add(target);
      }
    }

    void match(Arg a, Arg value, Arg bang) {
      if (bang != null) {
        fatal(bang, "unexpected ! flag before --match", "put \"!\" before the module's option instead");
        return;
      }
      String name = Protocols.alias(value.text());
      Optional<ExtensionSpec> spec = catalog.match(name, family);
      if (spec.isEmpty()) {
        String hint;
        if (catalog.matchInOtherFamily(name, family))
          hint = "\"" + name + "\" only exists for " + (family == Family.IPV4 ? "IPv6 (ip6tables)" : "IPv4 (iptables)");
        else hint = Suggest.closest(name, catalog.matchNames()).map(s -> "did you mean \"" + s + "\"?").orElse(null);
        fatal(value, "couldn't load match `" + visible(value.text()) + "'", value.text().contains("\r") ? RulesetListener.crlfHint() : hint);
        return;
      }
      loaded.add(new Loaded(spec.get(), false, pos(value), value.length()));
    }

    void counters(Arg a, Arg value, Arg bang) {
      if (!set(Generic.COUNTERS, a, bang)) return;
      String pcnt = value.text();
      int comma = pcnt.length() > 1 ? pcnt.indexOf(',', 1) : -1;
      String bcnt;
      if (comma >= 0) {
        bcnt = pcnt.substring(comma + 1);
      } else if (hasArg()) {
        bcnt = argv.get(optind++).text();
      } else {
        fatal(a, "-c requires packet and byte counter", "write \"-c PACKETS BYTES\"");
        return;
      }
      if (!scanfNumber(pcnt)) fatal(value, "-c packet counter not numeric", null);
      else if (!scanfNumber(bcnt)) fatal(value, "-c byte counter not numeric", null);
    }

    /** sscanf("%llu"): blanks, a sign, then at least one decimal digit. */
    private boolean scanfNumber(String s) {
      int i = 0;
      while (i < s.length() && Numbers.isSpace(s.charAt(i))) i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
      return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    // ------------------------------------------------------------------ extension options

    void extensionOption(Arg a, Loaded owner, OptionSpec spec, Arg value) {
      Arg bang = invert;
      invert = null;
      String name = spec.name();
      if (!spec.repeatable() && owner.given(name)) {
        fatal(a, owner.spec.name() + ": option \"" + name + "\" can only be used once", null);
        return;
      }
      if (bang != null && !spec.negatable()) {
        fatal(bang, owner.spec.name() + ": option \"" + name + "\" cannot be inverted", null);
        return;
      }
      Value v = Flag.INSTANCE;
      switch (spec.arg()) {
        case REQUIRED -> v = parseValue(spec, value);
        case OPTIONAL -> {
          if (value != null) v = parseValue(spec, value);
        }
        case PAIR -> {
          if (optind >= argv.size() || argv.get(optind).text().startsWith("-") || argv.get(optind).text().startsWith("!")) {
            fatal(a, name + " requires two args", pairHint(name));
            return;
          }
          Arg second = argv.get(optind++);
          try {
            v = spec.pairParser().orElseThrow().parse(value.text(), second.text(), ctx());
          } catch (BadValue e) {
            valueError(value, e.getMessage(), e.hint());
            v = new Unparsed(value.text() + " " + second.text());
          }
        }
        case NONE -> { }
      }
      owner.options.add(new Option(name, bang != null, v, pos(a)));
    }

    private String pairHint(String name) {
      return switch (name) {
        case "--tcp-flags" -> "write \"--tcp-flags MASK COMP\", e.g. \"--tcp-flags SYN,RST SYN\"";
        case "--match-set" -> "write \"--match-set SETNAME src\" (or dst, or a comma list of both)";
        default -> "this option takes two words";
      };
    }

    Value parseValue(OptionSpec spec, Arg value) {
      try {
        return spec.parser().orElseThrow().parse(value.text(), ctx());
      } catch (ValueParsers.NonContiguousMask e) {
        complete = false;
        warn(value, e.getMessage(), null);
        return new Unparsed(value.text());
      } catch (BadValue e) {
        valueError(value, e.getMessage(), e.hint());
        return new Unparsed(value.text());
      }
    }

    // ------------------------------------------------------------------ after the loop

    void afterLoop() {
      if ("nat".equals(table) && ("DROP".equals(jumpTo) || command == CommandKind.POLICY && "DROP".equals(extra)))
        valueError("DROP".equals(jumpTo) ? jumpArg : extraArg, "the \"nat\" table is not for filtering: DROP is refused there",
            "filter in the filter table");
      for (Loaded l : loaded) {
        if (l == target) continue;
        lineChecks(l);
      }
      if (target != null) lineChecks(target);
      if (!trailing.isEmpty()) {
        fatal(trailing.get(0), "unknown arguments found on the line", "nothing may follow \"--\"");
        return;
      }
      if (command == null) {
        Arg first = argv.isEmpty() ? null : argv.get(0);
        if (first != null) fatal(first, "no command specified", "a rule line starts with a command such as \"-A CHAIN\"");
        return;
      }
      if (invert != null) {
        fatal(invert, "nothing appropriate following !", null);
        return;
      }
      if (command.takesRuleSpec()) {
        parseAddress("--source", sourceArg);
        parseAddress("--destination", destinationArg);
        boolean multiple = count("--source") > 1 || count("--destination") > 1;
        boolean negated = negated("--source") || negated("--destination");
        if (multiple && negated)
          valueError(negated("--source") ? sourceArg : destinationArg,
              "! not allowed with multiple source or destination IP addresses", "write one rule per address");
        if (command == CommandKind.REPLACE && (count("--source") > 1 || count("--destination") > 1))
          valueError(count("--source") > 1 ? sourceArg : destinationArg, "replacement rule does not specify a unique address", null);
      }
      Set<Generic> illegal = OptionLegality.illegal(command, numbered);
      for (Generic g : options) {
        if (illegal.contains(g)) {
          fatal(commandArg, "illegal option `-" + g.letter + "' with this command", null);
          return;
        }
      }
      if (chain != null && chain.length() > MAX_NAME)
        fatal(chainArg, "chain name `" + chain + "' too long (must be under 29 chars)", null);
      if (command.takesRuleSpec() && chain != null) {
        if ((chain.equals("PREROUTING") || chain.equals("INPUT")) && options.contains(Generic.OUT_INTERFACE))
          valueError(optionArg("--out-interface"), "can't use -o with " + chain, "packets in " + chain + " have no output interface yet");
        if ((chain.equals("POSTROUTING") || chain.equals("OUTPUT")) && options.contains(Generic.IN_INTERFACE))
          valueError(optionArg("--in-interface"), "can't use -i with " + chain, "locally generated packets in " + chain + " have no input interface");
      }
    }

    private Arg optionArg(String name) {
      SourcePos p = core.get(name).pos();
      for (Arg a : argv) if (a.column() == p.column()) return a;
      return commandArg;
    }

    private void lineChecks(Loaded l) {
      RuleView view = view(l);
      for (CrossCheck c : l.spec.lineChecks()) {
        Optional<BadValue> bad = c.check(view);
        if (bad.isPresent()) {
          complete = false;
          sink.add(Diagnostic.error(l.pos, l.length, bad.get().getMessage(), bad.get().hint(), sourceLine));
        }
      }
    }

    private void ruleChecks(Loaded l) {
      RuleView view = view(l);
      for (CrossCheck c : l.spec.ruleChecks()) {
        Optional<BadValue> bad = c.check(view);
        if (bad.isPresent()) {
          complete = false;
          sink.add(Diagnostic.error(l.pos, l.length, bad.get().getMessage(), bad.get().hint(), sourceLine));
        }
      }
    }

    private int count(String name) {
      Option o = core.get(name);
      return o != null && o.value() instanceof AddressList al ? al.cidrs().size() : o == null ? 0 : 1;
    }

    private boolean negated(String name) {
      Option o = core.get(name);
      return o != null && o.negated();
    }

    void parseAddress(String name, Arg word) {
      Option o = core.get(name);
      if (o == null || word == null) return;
      Value v;
      try {
        v = ValueParsers.ADDRESSES.parse(word.text(), ctx());
      } catch (ValueParsers.NonContiguousMask e) {
        complete = false;
        warn(word, e.getMessage(), null);
        v = new Unparsed(word.text());
      } catch (BadValue e) {
        String hint = word.text().equals("!")
            ? "old-style negation \"" + (name.equals("--source") ? "-s" : "-d") + " ! ADDR\" is refused by iptables 1.8; write \"! "
                + (name.equals("--source") ? "-s" : "-d") + " ADDR\""
            : word == optionArgWord(name) && word.text().startsWith("-")
                ? "the value is the whole word; put a space after the option"
                : e.hint();
        valueError(word, e.getMessage(), hint);
        v = new Unparsed(word.text());
      }
      if (o.negated() && v instanceof AddressList list && list.cidrs().size() == 1 && list.cidrs().get(0).prefix() == 0)
        // measured with iptables 1.8.9: nf_tables refuses the rule (the whole restore fails), legacy loads a rule that matches nothing
        valueError(word, "iptables-nft-restore refuses a negated catch-all address (RULE_APPEND failed: Invalid argument)",
            "\"! " + (name.equals("--source") ? "-s" : "-d") + " " + word.text() + "\" matches no packet; remove the rule or the negation");
      core.put(name, new Option(name, o.negated(), v, o.pos()));
    }

    private Arg optionArgWord(String name) {
      return name.equals("--source") ? sourceArg : destinationArg;
    }

    // ------------------------------------------------------------------ result

    RuleCommand build() {
      List<Match> matches = new ArrayList<>();
      if (!core.isEmpty()) matches.add(new Match(Match.CORE, List.copyOf(core.values()), pos(commandArg)));
      for (Loaded l : loaded) if (l != target) matches.add(new Match(l.spec.name(), l.options, l.pos));
      Optional<Target> tgt = Optional.empty();
      if (jumpTo != null) {
        List<Option> topts = target == null ? List.of() : target.options;
        tgt = Optional.of(new Target(jumpTo, isGoto, topts, pos(jumpArg)));
      }
      boolean targetIsExtension = target != null || jumpTo != null && !isGoto && Catalog.STANDARD_TARGETS.contains(jumpTo);
      List<DeferredCheck> deferred = new ArrayList<>();
      boolean adds = command == CommandKind.APPEND || command == CommandKind.INSERT || command == CommandKind.REPLACE;
      if (complete && adds) {
        for (Loaded l : loaded) ruleChecks(l);
      }
      if (complete && adds) {
        for (Loaded l : loaded) {
          if (!l.spec.tables().isEmpty() && !l.spec.tables().contains(table)) {
            complete = false;
            String what = l.isTarget ? "target" : "match";
            sink.add(Diagnostic.error(l.pos, l.length, what + " \"" + l.spec.name() + "\" is not valid in table \"" + table + "\"",
                "it may be used in: " + String.join(", ", new java.util.TreeSet<>(l.spec.tables())), sourceLine));
            continue;
          }
          RuleView view = view(l);
          for (CrossCheck c : l.spec.hookChecks()) deferred.add(new DeferredCheck(c, view, l.pos, l.length, sourceLine));
        }
      }
      Optional<Rule> rule = Optional.empty();
      if (command.takesRuleSpec()) {
        rule = Optional.of(new Rule(pos(commandArg), chain == null ? "" : chain, sourceLine, matches, tgt, complete));
      }
      SourcePos cpos = chainArg == null ? pos(commandArg) : pos(chainArg);
      int clen = chainArg == null ? commandArg.length() : chainArg.length();
      return new RuleCommand(command, Optional.ofNullable(chain), cpos, clen, Optional.ofNullable(ruleNumber),
          Optional.ofNullable(extra), rule, targetIsExtension, deferred, !complete);
    }

    private RuleView view(Loaded l) {
      List<Match> matches = new ArrayList<>();
      for (Loaded m : loaded) if (!m.isTarget) matches.add(new Match(m.spec.name(), m.options, m.pos));
      return new RuleView(family, table, chain == null ? "" : chain, protocol, protocolNegated, l.options, matches, Set.of());
    }

    ValueContext ctx() {
      return new ValueContext(family, protocol, protocolNegated);
    }

    SourcePos pos(Arg a) {
      return start.at(a.column());
    }

    /** The part of a word from {@code offset}: an attached value ("-ptcp", "--dport=22"). */
    Arg sub(Arg a, int offset) {
      String t = a.text().substring(Math.min(offset, a.text().length()));
      return new Arg(t, Arg.Kind.WORD, a.column() + Math.min(offset, a.length()), Math.max(1, t.length()));
    }

    void fatal(Arg a, String message, String hint) {
      fatal = true;
      complete = false;
      sink.add(Diagnostic.error(pos(a), a.length(), message, hint, sourceLine));
    }

    void valueError(Arg a, String message, String hint) {
      complete = false;
      sink.add(Diagnostic.error(pos(a), a.length(), message, hint, sourceLine));
    }

    void warn(Arg a, String message, String hint) {
      sink.add(Diagnostic.warning(pos(a), a.length(), message, hint, sourceLine));
    }

    private String suggestion(String name) {
      List<String> names = new ArrayList<>();
      for (Loaded l : loaded) for (OptionSpec o : l.spec.options()) names.addAll(o.names());
      Map<String, String> elsewhere = new LinkedHashMap<>();
      for (String m : catalog.matchNames()) {
        catalog.match(m, family).ifPresent(s -> {
          for (OptionSpec o : s.options()) for (String n : o.names()) elsewhere.putIfAbsent(n, m);
        });
      }
      Optional<String> near = Suggest.closest(name, names);
      if (near.isPresent()) return "did you mean \"" + near.get() + "\"?";
      if (elsewhere.containsKey(name))
        return "\"" + name + "\" belongs to \"-m " + elsewhere.get(name) + "\"" + moduleHint(elsewhere.get(name));
      Optional<String> far = Suggest.closest(name, elsewhere.keySet());
      if (far.isPresent())
        return "did you mean \"" + far.get() + "\" (from \"-m " + elsewhere.get(far.get()) + "\")?";
      return null;
    }

    private String moduleHint(String module) {
      return switch (module) {
        case "tcp", "udp", "sctp", "dccp" -> "; write \"-p " + module + "\" before it";
        default -> "; add \"-m " + module + "\" before it";
      };
    }
  }

  static String visible(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }

  private static boolean looksLikeInterface(String s) {
    if (s.isEmpty()) return false;
    for (String p : List.of("tun", "tap", "wg", "ppp", "eth", "en", "wl", "lo", "br", "veth", "docker", "vpn", "utun", "ipsec")) {
      if (s.startsWith(p) && s.length() <= 15) {
        for (int i = p.length(); i < s.length(); i++) {
          char c = s.charAt(i);
          if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '+' || c == '-')) return false;
        }
        return true;
      }
    }
    return false;
  }
}
