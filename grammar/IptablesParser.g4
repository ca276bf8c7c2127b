/*
 * Parser for iptables-save / iptables-restore files.
 *
 * The grammar is deliberately generic and total: every line the lexer can produce parses,
 * so a typo never derails the lines after it, and each problem is reported by the Java
 * side at the word that causes it. A rule line is a list of clauses, each an option
 * ("-A", "--dport", "-tun0") followed by the words up to the next option. A '!' is lexed
 * as its own token: placed just before an option it negates that option ("! -d 10.0.0.1"),
 * between an option and its value it is the old intrapositioned form iptables 1.8 refuses
 * ("-d ! 10.0.0.1"). Which one it is, and what every option, module and target means, is
 * decided in org.ksaudit.parse.RuleInterpreter, the way iptables' own getopt loop decides.
 * No actions here.
 */
parser grammar IptablesParser;

options { tokenVocab = IptablesLexer; }

ruleset   : line* lastLine? EOF ;
line      : statement? NL ;
lastLine  : statement ;

statement
    : COMMENT                   # commentLine
    | TABLE_MARK anyWords       # tableHeader
    | CHAIN_MARK anyWords       # chainDeclaration
    | COMMIT anyWords           # commitLine
    | rule                      # ruleLine
    ;

// never empty: a line of blanks is no statement at all, and the Java side says why
// iptables-restore refuses it
rule      : COUNTERS? ( ( WORD | BANG )+ clause* | clause+ ) | COUNTERS ;
clause    : OPTION words ;
words     : ( WORD | BANG )* ;
anyWords  : ( WORD | BANG | OPTION )* ;
