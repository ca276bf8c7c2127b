package org.ksaudit.parse;

/** The iptables commands that may appear on a restore line. */
enum CommandKind {
  APPEND('A', "--append"),
  INSERT('I', "--insert"),
  DELETE('D', "--delete"),
  REPLACE('R', "--replace"),
  NEW_CHAIN('N', "--new-chain"),
  DELETE_CHAIN('X', "--delete-chain"),
  FLUSH('F', "--flush"),
  ZERO('Z', "--zero"),
  POLICY('P', "--policy"),
  RENAME_CHAIN('E', "--rename-chain"),
  CHECK('C', "--check"),
  LIST('L', "--list"),
  LIST_RULES('S', "--list-rules");

  final char letter;
  final String longName;

  CommandKind(char letter, String longName) {
    this.letter = letter;
    this.longName = longName;
  }

  /** Commands whose rule specification is built from the rest of the line. */
  boolean takesRuleSpec() {
    return this == APPEND || this == INSERT || this == DELETE || this == REPLACE || this == CHECK;
  }
}
