/*
 * Lexer for iptables-save / ip6tables-save / iptables-restore files.
 *
 * iptables-restore classifies each line by its very first byte ('#', '*', ':',
 * "COMMIT", '[' counters, anything else is a rule), so the lexer has a
 * line-start mode and an in-line mode. Words follow iptables' own argv
 * splitting (xshared.c add_param_to_argv): blanks separate words, a double
 * quote opens a quoted part in which a backslash escapes the next character,
 * and the closing quote ends the word. A carriage return is an ordinary
 * character here, exactly as in iptables, so CRLF files surface as words that
 * end in '\r' and the Java side can explain them.
 */
lexer grammar IptablesLexer;

COMMENT    : '#' ~[\n]* ;
NL         : '\n' ;
TABLE_MARK : '*' -> mode(LINE) ;
CHAIN_MARK : ':' -> mode(LINE) ;
COMMIT     : 'COMMIT' -> mode(LINE) ;
COUNTERS   : '[' ~[\]\n]* ']'? -> mode(LINE) ;
LEAD_WS    : [ \t]+ -> channel(HIDDEN), mode(LINE) ;
FIRST_BANG : '!' -> type(BANG), mode(LINE) ;
FIRST_OPT  : OPTION_BODY -> type(OPTION), mode(LINE) ;
FIRST_WORD : ~[ \t\n"#*:[!-] WORD_REST -> type(WORD), mode(LINE) ;
FIRST_QUOTED : QUOTED -> type(WORD), mode(LINE) ;
FIRST_DASH : '-' WORD_REST -> type(WORD), mode(LINE) ;

mode LINE;
LINE_NL : '\n' -> type(NL), mode(DEFAULT_MODE) ;
WS      : [ \t]+ -> channel(HIDDEN) ;
BANG    : '!' ;
OPTION  : OPTION_BODY ;
WORD    : PLAIN+ | PLAIN* QUOTED ;

// An option is a dash followed by a letter ("-A", "-tun0") or two dashes and a
// letter ("--dport", "--dport=22"); "-1" or "--" are plain words.
fragment OPTION_BODY : '-' '-'? [a-zA-Z] PLAIN* ;
fragment WORD_REST   : PLAIN* | PLAIN* QUOTED ;
fragment PLAIN       : ~[ \t\n"] ;
// An unterminated quote runs to the end of the line, as in iptables.
fragment QUOTED      : '"' ( '\\' ~[\n] | ~["\\\n] )* '"'? ;
