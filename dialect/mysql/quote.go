package mysql

import (
	"strings"

	"github.com/stratadb/strata/schema"
)

// QuoteIdent quotes a MySQL/MariaDB identifier with backticks, doubling any
// backtick inside it. Every other character (spaces, quotes, newlines,
// comment markers, unicode) is literal inside backticks.
func QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// quoteIdents quotes names and joins them with commas, as SHOW CREATE TABLE
// prints key column lists.
func quoteIdents(names []string, sep string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = QuoteIdent(n)
	}
	return strings.Join(q, sep)
}

// QuoteString returns s as a single-quoted MariaDB string literal in the
// form information_schema.COLUMNS.COLUMN_DEFAULT and SHOW CREATE TABLE use:
// ' doubled, backslash, NUL, newline and CR escaped. The server leaves tab
// and ctrl-Z raw in that form (verified on MariaDB 10.11), so this does too:
// a default written by Strata then compares equal to the inspected one.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			b.WriteString("''")
		case '\\':
			b.WriteString(`\\`)
		case 0:
			b.WriteString(`\0`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// ColumnTypeSQL renders a column type as MariaDB's COLUMN_TYPE does:
// int(10) unsigned zerofill, decimal(10,2), enum('a','b c'), varchar(191).
func ColumnTypeSQL(t schema.Type) string { return t.Format(QuoteString) }
