package org.ksaudit.parse;

import java.util.List;
import java.util.Optional;
import org.ksaudit.catalog.ArgKind;
import org.ksaudit.model.Family;

/**
 * The options iptables itself knows (xshared's original_opts and the getopt string), before
 * any extension is loaded. {@code letter} is the short form when the getopt string has one.
 */
enum CoreOption {
  APPEND('A', ArgKind.REQUIRED, "append"),
  DELETE('D', ArgKind.REQUIRED, "delete"),
  CHECK('C', ArgKind.REQUIRED, "check"),
  INSERT('I', ArgKind.REQUIRED, "insert"),
  REPLACE('R', ArgKind.REQUIRED, "replace"),
  LIST('L', ArgKind.OPTIONAL, "list"),
  LIST_RULES('S', ArgKind.OPTIONAL, "list-rules"),
  FLUSH('F', ArgKind.OPTIONAL, "flush"),
  ZERO('Z', ArgKind.OPTIONAL, "zero"),
  NEW_CHAIN('N', ArgKind.REQUIRED, "new-chain"),
  DELETE_CHAIN('X', ArgKind.OPTIONAL, "delete-chain"),
  RENAME_CHAIN('E', ArgKind.REQUIRED, "rename-chain"),
  POLICY('P', ArgKind.REQUIRED, "policy"),
  SOURCE('s', ArgKind.REQUIRED, "source", "src"),
  DESTINATION('d', ArgKind.REQUIRED, "destination", "dst"),
  PROTOCOL('p', ArgKind.REQUIRED, "protocol"),
  IN_INTERFACE('i', ArgKind.REQUIRED, "in-interface"),
  JUMP('j', ArgKind.REQUIRED, "jump"),
  TABLE('t', ArgKind.REQUIRED, "table"),
  MATCH('m', ArgKind.REQUIRED, "match"),
  NUMERIC('n', ArgKind.NONE, "numeric"),
  OUT_INTERFACE('o', ArgKind.REQUIRED, "out-interface"),
  VERBOSE('v', ArgKind.NONE, "verbose"),
  WAIT('w', ArgKind.OPTIONAL, "wait"),
  WAIT_INTERVAL('W', ArgKind.OPTIONAL, "wait-interval"),
  EXACT('x', ArgKind.NONE, "exact"),
  FRAGMENT('f', ArgKind.NONE, "fragments"),
  VERSION('V', ArgKind.NONE, "version"),
  HELP('h', ArgKind.OPTIONAL, "help"),
  LINE_NUMBERS('\0', ArgKind.NONE, "line-numbers"),
  MODPROBE('M', ArgKind.REQUIRED, "modprobe"),
  SET_COUNTERS('c', ArgKind.REQUIRED, "set-counters"),
  GOTO('g', ArgKind.REQUIRED, "goto"),
  IPV4('4', ArgKind.NONE, "ipv4"),
  IPV6('6', ArgKind.NONE, "ipv6"),
  /** In the getopt string but handled by nothing: iptables says "Unknown arg". */
  BINARY('b', ArgKind.NONE);

  final char letter;
  final ArgKind arg;
  final List<String> longNames;

  CoreOption(char letter, ArgKind arg, String... longNames) {
    this.letter = letter;
    this.arg = arg;
    this.longNames = List.of(longNames);
  }

  /** -f exists for IPv4 only (ip6tables has no short -f; its "--fragments" is refused). */
  boolean existsIn(Family family) {
    return this != FRAGMENT || family == Family.IPV4;
  }

  static Optional<CoreOption> byLetter(char c, Family family) {
    for (CoreOption o : values()) if (o.letter == c && c != '\0' && o.existsIn(family)) return Optional.of(o);
    return Optional.empty();
  }

  /** The command a command option selects, if it is one. */
  Optional<CommandKind> command() {
    return switch (this) {
      case APPEND -> Optional.of(CommandKind.APPEND);
      case DELETE -> Optional.of(CommandKind.DELETE);
      case CHECK -> Optional.of(CommandKind.CHECK);
      case INSERT -> Optional.of(CommandKind.INSERT);
      case REPLACE -> Optional.of(CommandKind.REPLACE);
      case LIST -> Optional.of(CommandKind.LIST);
      case LIST_RULES -> Optional.of(CommandKind.LIST_RULES);
      case FLUSH -> Optional.of(CommandKind.FLUSH);
      case ZERO -> Optional.of(CommandKind.ZERO);
      case NEW_CHAIN -> Optional.of(CommandKind.NEW_CHAIN);
      case DELETE_CHAIN -> Optional.of(CommandKind.DELETE_CHAIN);
      case RENAME_CHAIN -> Optional.of(CommandKind.RENAME_CHAIN);
      case POLICY -> Optional.of(CommandKind.POLICY);
      default -> Optional.empty();
    };
  }
}
