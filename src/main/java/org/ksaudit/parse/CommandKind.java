package org.ksaudit.parse;

/** The iptables commands that may appear on a restore line. */
enum CommandKind {
  APPEND('A'),
  INSERT('I'),
  DELETE('D'),
  REPLACE('R'),
  NEW_CHAIN('N'),
  DELETE_CHAIN('X'),
  FLUSH('F'),
  ZERO('Z'),
  POLICY('P'),
  RENAME_CHAIN('E'),
  CHECK('C'),
  LIST('L'),
  LIST_RULES('S');

  final char letter;

  CommandKind(char letter) {
    this.letter = letter;
  }

  /** Commands whose rule specification is built from the rest of the line. */
  boolean takesRuleSpec() {
    return this == APPEND || this == INSERT || this == DELETE || this == REPLACE || this == CHECK;
  }
}
