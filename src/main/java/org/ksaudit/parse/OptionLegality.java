package org.ksaudit.parse;

import java.util.EnumSet;
import java.util.Set;

/**
 * iptables' table of which generic options each command allows (xshared's
 * commands_v_options, checked by generic_opt_check): "-N foo -p tcp" or "-A INPUT -n" are
 * refused before anything is loaded.
 */
final class OptionLegality {
  private OptionLegality() {}

  /** The generic options that table covers, by the letter iptables prints. */
  enum Generic {
    NUMERIC('n'),
    SOURCE('s'),
    DESTINATION('d'),
    PROTOCOL('p'),
    JUMP('j'),
    VERBOSE('v'),
    EXACT('x'),
    IN_INTERFACE('i'),
    OUT_INTERFACE('o'),
    LINE_NUMBERS('0'),
    COUNTERS('c'),
    FRAGMENT('f');

    final char letter;

    Generic(char letter) {
      this.letter = letter;
    }
  }

  private static final Set<Generic> ALL_BUT_VERBOSE = EnumSet.complementOf(EnumSet.of(Generic.VERBOSE));

  /** The options illegal with {@code command}; {@code numbered} is -D/-Z with a rule number. */
  static Set<Generic> illegal(CommandKind command, boolean numbered) {
    return switch (command) {
      case INSERT, REPLACE, APPEND -> EnumSet.of(Generic.NUMERIC, Generic.EXACT, Generic.LINE_NUMBERS);
      case DELETE -> numbered ? ALL_BUT_VERBOSE
          : EnumSet.of(Generic.NUMERIC, Generic.EXACT, Generic.LINE_NUMBERS, Generic.COUNTERS);
      case CHECK -> EnumSet.of(Generic.NUMERIC, Generic.EXACT, Generic.LINE_NUMBERS, Generic.COUNTERS);
      case LIST -> EnumSet.of(Generic.SOURCE, Generic.DESTINATION, Generic.PROTOCOL, Generic.JUMP, Generic.IN_INTERFACE,
          Generic.OUT_INTERFACE, Generic.COUNTERS, Generic.FRAGMENT);
      case POLICY -> EnumSet.complementOf(EnumSet.of(Generic.VERBOSE, Generic.COUNTERS));
      case FLUSH, ZERO, NEW_CHAIN, DELETE_CHAIN, RENAME_CHAIN, LIST_RULES -> ALL_BUT_VERBOSE;
    };
  }
}
