package org.ksaudit.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.catalog.ArgKind;
import org.ksaudit.catalog.BadValue;
import org.ksaudit.catalog.Catalog;
import org.ksaudit.catalog.CrossCheck;
import org.ksaudit.catalog.ExtensionSpec;
import org.ksaudit.catalog.OptionSpec;
import org.ksaudit.catalog.Protocols;
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
import org.ksaudit.model.value.Flag;
import org.ksaudit.model.value.Text;
import org.ksaudit.model.value.Unparsed;
import org.ksaudit.model.value.Value;

/**
 * Reads the argv of one rule line the way iptables' do_parse does: getopt_long over the core
 * options plus the options of every extension loaded so far (most recent first), unique
 * prefixes of long options accepted, the protocol's match loaded on demand, non-option
 * words refused. Every problem becomes a diagnostic at the offending word; the rule is still
 * built, with unreadable values kept as {@link Unparsed}, so analysis can go on.
 */
final class RuleInterpreter {
  /** Longest chain or target name: XT_EXTENSION_MAXNAMELEN (29) minus the NUL. */
  static final int MAX_NAME = 28;

  private final Catalog catalog;
  private final Family family;
  private final String file;
  private final DiagnosticSink sink;

  RuleInterpreter(Catalog catalog, Family family, String file, DiagnosticSink sink) {
    this.catalog = catalog;
    this.family = family;
    this.file = file;
    this.sink = sink;
  }

  Optional<RuleCommand> interpret(String table, List<Arg> args, int line, String sourceLine) {
    return new LineState(table, args, line, sourceLine).run();
  }

  /** The core options, as in iptables' xshared.c option table. */
  private static final List<OptionSpec> CORE = List.of(
      core("--protocol", "-p"), core("--source", "--src", "-s"), core("--destination", "--dst", "-d"),
      core("--in-interface", "-i"), core("--out-interface", "-o"));

  private static OptionSpec core(String... names) {
    return new OptionSpec(List.of(names), ArgKind.REQUIRED, true, null);
  }

  private final class LineState {
    final String table;
    final List<Arg> args;
    final int line;
    final String sourceLine;
    int i;
    boolean complete = true;

    CommandKind command;
    Arg commandArg;
    String chain;
    Arg chainArg;
    Integer ruleNumber;
    String extra;

    final List<Option> coreOptions = new ArrayList<>();
    Optional<String> protocolName = Optional.empty();
    Optional<Integer> protocolNumber = Optional.empty();
    boolean protocolNegated;
    boolean protoMatchLoaded;
    final Set<String> coreSeen = new LinkedHashSet<>();

    /** Loaded extensions in load order; options are looked up newest first. */
    final List<Loaded> loaded = new ArrayList<>();
    Loaded target;
    String targetName;
    boolean targetGoto;
    Arg targetArg;

    Arg pendingBang;

    LineState(String table, List<Arg> args, int line, String sourceLine) {
      this.table = table;
      this.args = args;
      this.line = line;
      this.sourceLine = sourceLine;
    }

    Optional<RuleCommand> run() {
      while (i < args.size() && complete) {
        Arg a = args.get(i++);
        switch (a.kind()) {
          case BANG -> bang(a);
          case WORD -> stray(a);
          case OPTION -> option(a);
        }
      }
      if (pendingBang != null && complete) error(pendingBang, "\"!\" at the end of the line negates nothing", null);
      if (command == null) {
        Arg first = args.isEmpty() ? null : args.get(0);
        if (first != null && complete)
          error(first, "no command given", "a rule line starts with a command such as \"-A CHAIN\"");
        return Optional.empty();
      }
      return Optional.of(build());
    }

    void bang(Arg a) {
      if (pendingBang != null) {
        error(a, "multiple \"!\" flags not allowed", null);
        return;
      }
      pendingBang = a;
    }

    void stray(Arg a) {
      String t = a.text();
      if (t.endsWith("\r")) {
        error(a, "Bad argument `" + t.replace("\r", "\\r") + "'",
            "the file has Windows (CRLF) line endings; convert it with \"dos2unix\" or \"sed -i 's/\\r$//'\"");
      } else {
        error(a, "Bad argument `" + t + "'", strayHint(a));
      }
    }

    private String strayHint(Arg a) {
      if (i >= 2 && args.get(i - 2).kind() == Arg.Kind.BANG)
        return "old-style negation \"OPTION ! VALUE\" is refused by iptables 1.8; write \"! OPTION VALUE\"";
      if (Catalog.STANDARD_TARGETS.contains(a.text()) || catalog.target(a.text(), family).isPresent())
        return "did you mean \"-j " + a.text() + "\"?";
      return "every value belongs to the option before it; this word has none";
    }

    void option(Arg a) {
      String text = a.text();
      Arg bang = pendingBang;
      pendingBang = null;
      if (text.startsWith("--")) {
        int eq = text.indexOf('=');
        String name = eq < 0 ? text : text.substring(0, eq);
        String inline = eq < 0 ? null : text.substring(eq + 1);
        longOption(a, name, inline, bang);
      } else {
        shortOption(a, text, bang);
      }
    }

    void shortOption(Arg a, String text, Arg bang) {
      char c = text.charAt(1);
      String rest = text.substring(2);
      if (c == 't') {
        String word = text.substring(1);
        if (looksLikeInterface(word)) {
          error(a, "unknown option \"" + text + "\" (read as \"-t " + rest + "\", which a restore file cannot use)",
              "did you mean \"-o " + word + "\"?");
        } else {
          error(a, "\"-t\" cannot be used in a restore file", "the table comes from the \"*table\" line");
        }
        return;
      }
      Optional<CommandKind> cmd = commandByLetter(c);
      if (cmd.isPresent()) {
        command(a, cmd.get(), rest.isEmpty() ? null : rest, bang);
        return;
      }
      String longName = switch (c) {
        case 'p' -> "--protocol";
        case 's' -> "--source";
        case 'd' -> "--destination";
        case 'i' -> "--in-interface";
        case 'o' -> "--out-interface";
        case 'j' -> "--jump";
        case 'g' -> "--goto";
        case 'm' -> "--match";
        case 'f' -> "--fragment";
        case 'c' -> "--set-counters";
        case 'v', 'n', 'x', '4', '6', 'w', 'W' -> "-" + c;
        default -> null;
      };
      if (longName == null) {
        Optional<OptionSpec> ext = findExtensionShort("-" + c);
        if (ext.isPresent()) {
          longOption(a, ext.get().name(), rest.isEmpty() ? null : rest, bang);
          return;
        }
        unknown(a, text);
        return;
      }
      if (longName.startsWith("--")) {
        if (longName.equals("--fragment") && !rest.isEmpty()) {
          // -f takes no value: the rest of the cluster would be more short options
          unknown(a, text);
          return;
        }
        dispatchCore(a, longName, rest.isEmpty() ? null : rest, bang);
      } else {
        flagOption(a, c, rest, bang);
      }
    }

    void flagOption(Arg a, char c, String rest, Arg bang) {
      if (bang != null) error(bang, "\"!\" cannot be used with \"-" + c + "\"", null);
      if (c == '4' && family == Family.IPV6 || c == '6' && family == Family.IPV4) {
        // iptables skips lines marked for the other family; nothing is loaded from them
        skipLine = true;
        i = args.size();
        return;
      }
      if ((c == 'w' || c == 'W') && rest.isEmpty() && i < args.size() && args.get(i).kind() == Arg.Kind.WORD
          && args.get(i).text().chars().allMatch(Character::isDigit)) i++;
    }

    boolean skipLine;

    void longOption(Arg a, String name, String inline, Arg bang) {
      List<String> coreLong = List.of("--protocol", "--source", "--src", "--destination", "--dst", "--in-interface",
          "--out-interface", "--jump", "--goto", "--match", "--fragment", "--set-counters", "--verbose", "--numeric",
          "--exact", "--line-numbers", "--wait", "--wait-interval", "--modprobe", "--ipv4", "--ipv6", "--table");
      List<String> cmdLong = new ArrayList<>();
      for (CommandKind k : CommandKind.values()) cmdLong.add(k.longName);
      // exact match first, across everything visible
      Resolution r = resolve(name, coreLong, cmdLong);
      if (r.ambiguous) {
        error(a, "option \"" + name + "\" is ambiguous", "candidates: " + String.join(", ", r.candidates));
        return;
      }
      if (r.command != null) {
        command(a, r.command, inline, bang);
        return;
      }
      if (r.core != null) {
        if (r.core.equals("--table")) {
          error(a, "\"--table\" cannot be used in a restore file", "the table comes from the \"*table\" line");
          return;
        }
        if (r.core.equals("--ipv4") || r.core.equals("--ipv6")) {
          flagOption(a, r.core.equals("--ipv4") ? '4' : '6', "", bang);
          return;
        }
        if (List.of("--verbose", "--numeric", "--exact", "--line-numbers").contains(r.core)) return;
        if (r.core.equals("--wait") || r.core.equals("--wait-interval") || r.core.equals("--modprobe")) {
          flagOption(a, 'w', inline == null ? "" : inline, bang);
          return;
        }
        String canonical = switch (r.core) {
          case "--src" -> "--source";
          case "--dst" -> "--destination";
          default -> r.core;
        };
        dispatchCore(a, canonical, inline, bang);
        return;
      }
      if (r.extension != null) {
        extensionOption(a, r.owner, r.extension, inline, bang);
        return;
      }
      // unknown: iptables loads the protocol's match once and tries again
      if (tryLoadProtocolMatch(a)) {
        longOption(a, name, inline, bang);
        return;
      }
      unknown(a, name);
    }

    boolean tryLoadProtocolMatch(Arg a) {
      if (protoMatchLoaded || protocolNumber.isEmpty()) return false;
      protoMatchLoaded = true;
      Optional<String> mod = Protocols.implicitModule(protocolNumber.get(), family);
      if (mod.isEmpty()) return false;
      Optional<ExtensionSpec> spec = catalog.match(mod.get(), family);
      if (spec.isEmpty()) return false;
      for (Loaded l : loaded) if (!l.isTarget && l.spec.name().equals(mod.get())) return false;
      loaded.add(new Loaded(spec.get(), false, pos(a)));
      return true;
    }

    final class Resolution {
      CommandKind command;
      String core;
      Loaded owner;
      OptionSpec extension;
      boolean ambiguous;
      List<String> candidates = new ArrayList<>();
    }

    Resolution resolve(String name, List<String> coreLong, List<String> cmdLong) {
      Resolution r = new Resolution();
      if (exact(r, name, coreLong, cmdLong)) return r;
      // unique prefix, as getopt_long accepts ("--dpo" for "--dport")
      List<Object> hits = new ArrayList<>();
      List<String> hitNames = new ArrayList<>();
      for (CommandKind k : CommandKind.values())
        if (k.longName.startsWith(name)) { hits.add(k); hitNames.add(k.longName); }
      for (String c : coreLong) if (c.startsWith(name)) { hits.add(canonicalCore(c)); hitNames.add(c); }
      for (Loaded l : visible()) {
        for (OptionSpec o : l.spec.options()) {
          for (String n : o.names()) {
            if (n.startsWith("--") && n.startsWith(name)) {
              hits.add(new Object[] {l, o});
              hitNames.add(n);
            }
          }
        }
      }
      if (hits.isEmpty()) return r;
      Object first = hits.get(0);
      boolean same = hits.stream().allMatch(h -> sameTarget(h, first));
      if (!same) {
        r.ambiguous = true;
        r.candidates = hitNames;
        return r;
      }
      assign(r, first);
      return r;
    }

    private String canonicalCore(String c) {
      return switch (c) {
        case "--src" -> "--source";
        case "--dst" -> "--destination";
        default -> c;
      };
    }

    private boolean sameTarget(Object a, Object b) {
      if (a instanceof Object[] x && b instanceof Object[] y) return x[0] == y[0] && x[1] == y[1];
      return a.equals(b);
    }

    private void assign(Resolution r, Object hit) {
      if (hit instanceof CommandKind k) r.command = k;
      else if (hit instanceof String s) r.core = s;
      else {
        Object[] pair = (Object[]) hit;
        r.owner = (Loaded) pair[0];
        r.extension = (OptionSpec) pair[1];
      }
    }

    private boolean exact(Resolution r, String name, List<String> coreLong, List<String> cmdLong) {
      for (CommandKind k : CommandKind.values()) if (k.longName.equals(name)) { r.command = k; return true; }
      if (coreLong.contains(name)) { r.core = name; return true; }
      for (Loaded l : visible()) {
        Optional<OptionSpec> o = l.spec.option(name);
        if (o.isPresent()) {
          r.owner = l;
          r.extension = o.get();
          return true;
        }
      }
      return false;
    }

    /** Extensions whose options getopt can see now, newest first. */
    List<Loaded> visible() {
      List<Loaded> v = new ArrayList<>(loaded);
      java.util.Collections.reverse(v);
      if (target != null) v.add(0, target);
      return v;
    }

    Optional<OptionSpec> findExtensionShort(String shortName) {
      for (Loaded l : visible()) {
        Optional<OptionSpec> o = l.spec.option(shortName);
        if (o.isPresent()) return o;
      }
      return Optional.empty();
    }

    /** Reads the required argument: inline ("--opt=v", "-ptcp") or the next word, whatever it is. */
    Optional<Arg> requiredArg(Arg a, String name, String inline) {
      if (inline != null) return Optional.of(new Arg(inline, Arg.Kind.WORD, a.column() + a.text().length() - inline.length(), inline.length()));
      if (i >= args.size()) {
        error(a, "option \"" + name + "\" requires an argument", null);
        return Optional.empty();
      }
      Arg v = args.get(i++);
      if (v.kind() == Arg.Kind.BANG) {
        // "-d ! 10.0.0.1": getopt hands "!" to the option; iptables 1.8 refuses the form
        error(v, "old-style negation \"" + name + " ! VALUE\" is refused by iptables 1.8",
            "write \"! " + name + " VALUE\"");
        if (i < args.size() && args.get(i).kind() == Arg.Kind.WORD) i++;
        return Optional.empty();
      }
      return Optional.of(v);
    }

    void command(Arg a, CommandKind kind, String inline, Arg bang) {
      if (bang != null) error(bang, "\"!\" cannot be used with a command", null);
      if (command != null) {
        error(a, "cannot use -" + kind.letter + " with -" + command.letter, "one command per line");
        return;
      }
      command = kind;
      commandArg = a;
      boolean needsChain = kind == CommandKind.APPEND || kind == CommandKind.INSERT || kind == CommandKind.DELETE
          || kind == CommandKind.REPLACE || kind == CommandKind.NEW_CHAIN || kind == CommandKind.POLICY
          || kind == CommandKind.RENAME_CHAIN || kind == CommandKind.CHECK;
      if (needsChain) {
        Optional<Arg> c = requiredArg(a, "-" + kind.letter, inline);
        if (c.isEmpty()) { complete = false; return; }
        setChain(c.get());
      } else if (inline != null) {
        setChain(new Arg(inline, Arg.Kind.WORD, a.column() + 2, inline.length()));
      } else if (i < args.size() && args.get(i).kind() == Arg.Kind.WORD) {
        setChain(args.get(i++));
      }
      switch (kind) {
        case INSERT, DELETE, ZERO -> {
          if (i < args.size() && args.get(i).kind() == Arg.Kind.WORD) ruleNumber = ruleNumber(args.get(i++));
        }
        case REPLACE -> {
          if (i < args.size() && args.get(i).kind() == Arg.Kind.WORD) ruleNumber = ruleNumber(args.get(i++));
          else error(a, "-R needs a rule number", "write \"-R CHAIN NUMBER rule...\"");
        }
        case POLICY, RENAME_CHAIN -> {
          if (i < args.size() && args.get(i).kind() == Arg.Kind.WORD) extra = args.get(i++).text();
          else error(a, "-" + kind.letter + " needs " + (kind == CommandKind.POLICY ? "a chain and a policy" : "an old and a new chain name"), null);
        }
        default -> {}
      }
    }

    void setChain(Arg c) {
      chainArg = c;
      chain = c.text();
      if (chain.length() > MAX_NAME) error(c, "chain name \"" + chain + "\" too long (must be under 29 chars)", null);
    }

    Integer ruleNumber(Arg a) {
      try {
        int n = Integer.parseInt(a.text());
        if (n >= 1) return n;
      } catch (NumberFormatException e) {
        // reported below
      }
      error(a, "invalid rule number `" + a.text() + "'", "rule numbers start at 1");
      return null;
    }

    void dispatchCore(Arg a, String name, String inline, Arg bang) {
      switch (name) {
        case "--jump", "--goto" -> jump(a, name.equals("--goto"), inline, bang);
        case "--match" -> loadMatch(a, inline, bang);
        case "--fragment" -> {
          if (family == Family.IPV6) { unknown(a, a.text()); return; }
          if (!coreSeen.add(name)) { error(a, "multiple -f flags not allowed", null); return; }
          coreOptions.add(new Option(name, bang != null, Flag.INSTANCE, pos(a)));
        }
        case "--set-counters" -> {
          Optional<Arg> p = requiredArg(a, "-c", inline);
          if (p.isPresent() && i < args.size() && args.get(i).kind() == Arg.Kind.WORD) i++;
          else error(a, "-c requires packet and byte counter", null);
        }
        default -> coreValue(a, name, inline, bang);
      }
    }

    void coreValue(Arg a, String name, String inline, Arg bang) {
      String shortName = switch (name) {
        case "--protocol" -> "-p";
        case "--source" -> "-s";
        case "--destination" -> "-d";
        case "--in-interface" -> "-i";
        default -> "-o";
      };
      Optional<Arg> v = requiredArg(a, shortName, inline);
      if (v.isEmpty()) { complete = false; return; }
      if (!coreSeen.add(name)) {
        error(a, "multiple " + shortName + " flags not allowed", null);
        return;
      }
      Arg val = v.get();
      boolean neg = bang != null;
      Value value;
      try {
        value = switch (name) {
          case "--protocol" -> protocol(val, neg);
          case "--source", "--destination" -> {
            Value av = ValueParsers.ADDRESSES.parse(val.text(), ctx());
            if (neg && val.text().contains(","))
              throw new org.ksaudit.catalog.BadValue("! not allowed with multiple source or destination IP addresses");
            yield av;
          }
          default -> interfaceValue(val, name);
        };
      } catch (BadValue e) {
        error(val, e.getMessage(), e.hint());
        value = new Unparsed(val.text());
      }
      coreOptions.add(new Option(name, neg, value, pos(a)));
    }

    Value interfaceValue(Arg val, String name) throws BadValue {
      if (name.equals("--out-interface") && (chain != null && (chain.equals("INPUT") || chain.equals("PREROUTING"))))
        throw new BadValue("can't use -o with " + chain, "packets in " + chain + " have no output interface yet");
      if (name.equals("--in-interface") && (chain != null && (chain.equals("OUTPUT") || chain.equals("POSTROUTING"))))
        throw new BadValue("can't use -i with " + chain, "locally generated packets in " + chain + " have no input interface");
      return ValueParsers.INTERFACE.parse(val.text(), ctx());
    }

    Value protocol(Arg val, boolean neg) throws BadValue {
      Optional<Integer> n = Protocols.number(val.text());
      if (n.isEmpty()) {
        throw new BadValue("unknown protocol \"" + val.text() + "\" specified",
            Suggest.closest(val.text().toLowerCase(), List.of("tcp", "udp", "icmp", "icmpv6", "all", "esp", "ah", "sctp", "gre"))
                .map(s -> "did you mean \"" + s + "\"?").orElse(null));
      }
      if (family == Family.IPV4 && n.get() == 58)
        throw new BadValue("protocol \"" + val.text() + "\" is ICMPv6, which does not exist in an IPv4 ruleset",
            "use \"-p icmp\" here, or move the rule to the ip6tables file");
      if (family == Family.IPV6 && n.get() == 1)
        throw new BadValue("\"-p icmp\" in an IPv6 ruleset matches nothing", "use \"-p icmpv6\"");
      protocolNumber = n;
      protocolName = Optional.of(Protocols.canonical(n.get()));
      protocolNegated = neg;
      return new Text(Protocols.canonical(n.get()));
    }

    void jump(Arg a, boolean isGoto, String inline, Arg bang) {
      String flag = isGoto ? "-g" : "-j";
      if (bang != null) error(bang, "\"!\" cannot be used with " + flag, null);
      Optional<Arg> v = requiredArg(a, flag, inline);
      if (v.isEmpty()) { complete = false; return; }
      if (targetName != null) {
        error(a, "multiple -j flags not allowed", null);
        return;
      }
      Arg t = v.get();
      targetName = t.text();
      targetGoto = isGoto;
      targetArg = t;
      if (targetName.length() > MAX_NAME)
        error(t, "invalid target name `" + targetName + "' (28 chars max)", null);
      if (targetName.isEmpty()) error(t, "empty target name", null);
      Optional<ExtensionSpec> ext = catalog.target(targetName, family);
      if (ext.isPresent() && !isGoto) {
        target = new Loaded(ext.get(), true, pos(t));
      } else if (catalog.targetInOtherFamily(targetName, family)) {
        error(t, "target \"" + targetName + "\" does not exist for " + family.label(), null);
      }
    }

    void loadMatch(Arg a, String inline, Arg bang) {
      if (bang != null) error(bang, "\"!\" cannot be used with -m", "put \"!\" before the module's option instead");
      Optional<Arg> v = requiredArg(a, "-m", inline);
      if (v.isEmpty()) { complete = false; return; }
      String name = v.get().text();
      Optional<ExtensionSpec> spec = catalog.match(name, family);
      if (spec.isEmpty()) {
        String hint;
        if (catalog.matchInOtherFamily(name, family))
          hint = "\"" + name + "\" only exists for " + (family == Family.IPV4 ? "IPv6 (ip6tables)" : "IPv4 (iptables)");
        else hint = Suggest.closest(name, catalog.matchNames()).map(s -> "did you mean \"" + s + "\"?").orElse(null);
        error(v.get(), "Couldn't load match `" + name + "'", hint);
        return;
      }
      loaded.add(new Loaded(spec.get(), false, pos(v.get())));
    }

    void extensionOption(Arg a, Loaded owner, OptionSpec spec, String inline, Arg bang) {
      String name = spec.name();
      Value value = Flag.INSTANCE;
      if (spec.arg() == ArgKind.REQUIRED) {
        Optional<Arg> v = requiredArg(a, name, inline);
        if (v.isEmpty()) { complete = false; return; }
        try {
          value = spec.parser().parse(v.get().text(), ctx());
        } catch (BadValue e) {
          error(v.get(), e.getMessage(), e.hint());
          value = new Unparsed(v.get().text());
        }
        owner.raw.put(name, v.get().text());
      } else if (spec.arg() == ArgKind.OPTIONAL && inline != null) {
        try {
          value = spec.parser().parse(inline, ctx());
        } catch (BadValue e) {
          error(a, e.getMessage(), e.hint());
          value = new Unparsed(inline);
        }
        owner.raw.put(name, inline);
      } else {
        if (inline != null) error(a, "option \"" + name + "\" doesn't allow an argument", null);
        owner.raw.put(name, "");
      }
      if (bang != null && !spec.negatable()) {
        error(bang, "\"" + name + "\" cannot be negated", null);
      }
      for (Option o : owner.options) {
        if (o.name().equals(name)) {
          error(a, owner.spec.name() + ": option \"" + name + "\" can only be used once", null);
          return;
        }
      }
      owner.options.add(new Option(name, bang != null && spec.negatable(), value, pos(a)));
    }

    void unknown(Arg a, String name) {
      String word = a.text().substring(1);
      String hint = !a.text().startsWith("--") && looksLikeInterface(word) ? "did you mean \"-o " + word + "\"?" : suggestion(name);
      error(a, "unknown option \"" + a.text() + "\"", hint);
    }

    private String suggestion(String name) {
      List<String> names = new ArrayList<>();
      for (Loaded l : visible()) for (OptionSpec o : l.spec.options()) names.addAll(o.names());
      // options of modules not loaded are suggested too, with the -m that brings them
      Map<String, String> elsewhere = new LinkedHashMap<>();
      for (String m : catalog.matchNames()) {
        catalog.match(m, family).ifPresent(s -> {
          for (OptionSpec o : s.options()) for (String n : o.names()) elsewhere.putIfAbsent(n, m);
        });
      }
      Optional<String> near = Suggest.closest(name, names);
      if (near.isPresent()) return "did you mean \"" + near.get() + "\"?";
      if (elsewhere.containsKey(name))
        return "\"" + name + "\" belongs to \"-m " + elsewhere.get(name) + "\"" + protocolHint(elsewhere.get(name));
      Optional<String> far = Suggest.closest(name, elsewhere.keySet());
      if (far.isPresent())
        return "did you mean \"" + far.get() + "\" (from \"-m " + elsewhere.get(far.get()) + "\")?";
      return null;
    }

    private String protocolHint(String module) {
      return switch (module) {
        case "tcp", "udp", "sctp", "dccp" -> "; write \"-p " + module + "\" before it";
        default -> "; add \"-m " + module + "\" before it";
      };
    }

    ValueContext ctx() {
      return new ValueContext(family, protocolName);
    }

    SourcePos pos(Arg a) {
      return new SourcePos(file, line, a.column());
    }

    void error(Arg a, String message, String hint) {
      complete = false;
      sink.add(Diagnostic.error(pos(a), a.length(), message, hint, sourceLine));
    }

    RuleCommand build() {
      List<Match> matches = new ArrayList<>();
      if (!coreOptions.isEmpty()) matches.add(new Match(Match.CORE, coreOptions, pos(commandArg)));
      Map<String, String> coreRaw = new LinkedHashMap<>();
      Set<String> modules = new LinkedHashSet<>();
      for (Loaded l : loaded) {
        matches.add(new Match(l.spec.name(), l.options, l.pos));
        modules.add(l.spec.name());
      }
      List<DeferredCheck> deferred = new ArrayList<>();
      if (complete) for (Loaded l : loaded) addChecks(deferred, l, modules, coreRaw);
      Optional<Target> tgt = Optional.empty();
      if (targetName != null) {
        List<Option> topts = target == null ? List.of() : target.options;
        tgt = Optional.of(new Target(targetName, targetGoto, topts, pos(targetArg)));
        if (target != null && complete) {
          addChecks(deferred, target, modules, coreRaw);
          if (!target.spec.tables().isEmpty() && !target.spec.tables().contains(table))
            error(targetArg, "target \"" + targetName + "\" is not valid in table \"" + table + "\"",
                "it may be used in: " + String.join(", ", new java.util.TreeSet<>(target.spec.tables())));
        }
      }
      for (Loaded l : complete ? loaded : List.<Loaded>of()) {
        if (!l.spec.tables().isEmpty() && !l.spec.tables().contains(table))
          sink.add(Diagnostic.error(l.pos, l.spec.name().length(),
              "match \"" + l.spec.name() + "\" is not valid in table \"" + table + "\"", null, sourceLine));
      }
      Optional<Rule> rule = Optional.empty();
      if (command.takesRuleSpec()) {
        rule = Optional.of(new Rule(pos(commandArg), chain == null ? "" : chain, sourceLine, matches, tgt, complete));
      }
      SourcePos cpos = chainArg == null ? pos(commandArg) : pos(chainArg);
      int clen = chainArg == null ? commandArg.length() : chainArg.length();
      if (skipLine) return new RuleCommand(CommandKind.LIST, Optional.empty(), cpos, clen, Optional.empty(),
          Optional.empty(), Optional.empty(), List.of());
      return new RuleCommand(command, Optional.ofNullable(chain), cpos, clen, Optional.ofNullable(ruleNumber),
          Optional.ofNullable(extra), rule, deferred);
    }

    private void addChecks(List<DeferredCheck> out, Loaded l, Set<String> modules, Map<String, String> unused) {
      RuleFacts facts = new RuleFacts(family, table, chain == null ? "" : chain, protocolName, protocolNegated,
          Map.copyOf(l.raw), Set.copyOf(modules));
      for (CrossCheck c : l.spec.checks())
        out.add(new DeferredCheck(c, l.spec.name(), l.pos, l.spec.name().length(), sourceLine, facts));
    }
  }

  private static Optional<CommandKind> commandByLetter(char c) {
    for (CommandKind k : CommandKind.values()) if (k.letter == c) return Optional.of(k);
    return Optional.empty();
  }

  private static boolean looksLikeInterface(String s) {
    return s.matches("(tun|tap|wg|ppp|eth|en|wl|lo|br|veth|docker|vpn|utun|ipsec)[A-Za-z0-9_.+-]*");
  }

  /** An extension instance on the rule being read, with the options given so far. */
  private static final class Loaded {
    final ExtensionSpec spec;
    final boolean isTarget;
    final SourcePos pos;
    final List<Option> options = new ArrayList<>();
    final Map<String, String> raw = new LinkedHashMap<>();

    Loaded(ExtensionSpec spec, boolean isTarget, SourcePos pos) {
      this.spec = spec;
      this.isTarget = isTarget;
      this.pos = pos;
    }
  }
}
