package postgres

import (
	"strings"

	"github.com/stratadb/strata/schema"
)

// quoteIdent quotes one identifier. Every name is quoted: PostgreSQL folds
// unquoted names to lower case, and a model's names are the stored ones.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// splitName splits a model name into schema and object name: "app.users"
// is ("app", "users"), "users" is ("", "users").
func splitName(name string) (schemaName, object string) {
	head := name
	if i := strings.IndexAny(head, "( "); i >= 0 {
		head = head[:i] // a function's arguments or "trigger on table"
	}
	if i := strings.IndexByte(head, '.'); i > 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}

// quoteName quotes a model name, qualified when it has a schema.
func quoteName(name string) string {
	s, o := splitName(name)
	if s == "" {
		return quoteIdent(o)
	}
	return quoteIdent(s) + "." + quoteIdent(o)
}

// QuoteName quotes an identifier for hazard messages.
func (d *Dialect) QuoteName(name string) string { return quoteName(name) }

// quoteString renders s as a standard-conforming string literal.
func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// modelName is the model's name of an object of schema nsp: bare in the
// current schema, qualified elsewhere.
func (d *Dialect) modelName(nsp, name string) string {
	if nsp == d.Schema {
		return name
	}
	return nsp + "." + name
}

// qualified is name qualified with the current schema when it has none.
func (d *Dialect) qualified(name string) string {
	if s, _ := splitName(name); s != "" {
		return name
	}
	return d.Schema + "." + name
}

// identName is a model name as pg_dump writes it: quoted only where it
// must be. Definitions Strata renders from the catalog use it.
func identName(name string) string {
	s, o := splitName(name)
	if s == "" {
		return identText(o)
	}
	return identText(s) + "." + identText(o)
}

// canonicalSQL is SQL text in a form that is equal for two texts the server
// reads alike: outside string literals, dollar-quoted bodies and quoted
// identifiers that need their quotes, letters are lower-cased (PostgreSQL
// folds unquoted names), needless identifier quotes are dropped and space
// runs become one space (none inside parentheses' edges).
func canonicalSQL(s string) string {
	var b strings.Builder
	space := false
	emit := func(t string) {
		if space && b.Len() > 0 {
			last := b.String()[b.Len()-1]
			if last != '(' && t[0] != ')' && t[0] != ',' {
				b.WriteByte(' ')
			}
		}
		space = false
		b.WriteString(t)
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			space = true
			i++
		case c == '\'':
			j := closingQuote(s, i)
			emit(s[i:min(j+1, len(s))])
			i = j + 1
		case c == '"':
			j := closingQuote(s, i)
			q := s[i:min(j+1, len(s))]
			if u := unquoteIdent(q); identText(u) == u {
				q = u
			}
			emit(q)
			i = j + 1
		case c == '$':
			tag := dollarTag(s[i:])
			if tag == "" {
				emit("$")
				i++
				continue
			}
			end := strings.Index(s[i+len(tag):], tag)
			if end < 0 {
				emit(s[i:])
				i = len(s)
				continue
			}
			emit(s[i : i+2*len(tag)+end])
			i += 2*len(tag) + end
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r'\"$", rune(s[j])) {
				j++
			}
			emit(strings.ToLower(s[i:j]))
			i = j
		}
	}
	return strings.TrimSuffix(b.String(), ";")
}

// closingQuote is the index of the quote that closes the string literal or
// quoted identifier opening at s[i] (a doubled quote inside is part of its
// text), or len(s) when it is not closed.
func closingQuote(s string, i int) int {
	q := s[i]
	j := i + 1
	for j < len(s) {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j += 2
				continue
			}
			return j
		}
		j++
	}
	return j
}

// dollarTag is the $tag$ that opens s, or "".
func dollarTag(s string) string {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1]
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9') {
			return ""
		}
	}
	return ""
}

// SameObject compares two definitions of an object as canonicalSQL.
func (d *Dialect) SameObject(a, b *schema.Object) bool {
	return canonicalSQL(a.Definition) == canonicalSQL(b.Definition)
}
