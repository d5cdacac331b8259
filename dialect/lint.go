package dialect

// LintFacts is implemented by dialects that tell the lint rules what is
// true of their server. A rule that needs a fact its dialect does not
// state stays silent (SQLite has no reserved-word list of Strata's, no
// character sets, no zero dates); lint messages quote names as
// HazardRules.QuoteName does.
type LintFacts interface {
	// ReservedWord reports whether name, in any case, is a reserved word
	// of the server: every statement must quote it.
	ReservedWord(name string) bool
	// FullCharset is the character set that holds every character
	// ("utf8mb4"); tables and columns in another are reported.
	FullCharset() string
	// ZeroDate says why a zero date default ('0000-00-00') is a problem
	// on the server; "" when it is not one.
	ZeroDate() string
	// UnindexedForeignKey says what the server does about foreign key
	// fk (quoted) whose columns start no index of its table; "" for what
	// every server shares (changes to parent rows scan the table).
	UnindexedForeignKey(fk string) string
}
