package schema

import (
	"slices"
	"strconv"
	"strings"
)

// Equal reports whether t and o are the same type, field by field.
func (t Type) Equal(o Type) bool {
	return t.Name == o.Name && t.Unsigned == o.Unsigned && t.Zerofill == o.Zerofill &&
		slices.Equal(t.Args, o.Args) && slices.Equal(t.Values, o.Values)
}

// HasCharset reports whether values of the type are text in a character
// set (and so a column of it takes CHARACTER SET and COLLATE).
func (t Type) HasCharset() bool {
	switch t.Name {
	case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set":
		return true
	}
	return false
}

// Format renders the type in SQL notation: varchar(191), decimal(10,2),
// int(10) unsigned zerofill, enum('a','b'). quote renders one enum or set
// member as a string literal, in the quoting of the dialect at hand.
// Zerofill implies unsigned.
func (t Type) Format(quote func(string) string) string {
	var b strings.Builder
	b.WriteString(t.Name)
	switch {
	case len(t.Values) > 0 || t.Name == "enum" || t.Name == "set":
		b.WriteByte('(')
		for i, v := range t.Values {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(quote(v))
		}
		b.WriteByte(')')
	case len(t.Args) > 0:
		b.WriteByte('(')
		for i, a := range t.Args {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(a))
		}
		b.WriteByte(')')
	}
	if t.Unsigned || t.Zerofill {
		b.WriteString(" unsigned")
	}
	if t.Zerofill {
		b.WriteString(" zerofill")
	}
	return b.String()
}

// Format renders the generation clause in SQL notation, as MySQL, MariaDB
// and SQLite all write it: GENERATED ALWAYS AS (expr) VIRTUAL|STORED.
func (g *Generated) Format() string {
	kind := "VIRTUAL"
	if g.Stored {
		kind = "STORED"
	}
	return "GENERATED ALWAYS AS (" + g.Expr + ") " + kind
}
