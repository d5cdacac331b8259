package postgres

import (
	"strings"
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
