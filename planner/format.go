package planner

import (
	"strconv"
	"strings"

	"github.com/stratadb/strata/schema"
)

// FormatType renders a column type for people: varchar(191), int(10)
// unsigned, enum('a','b'). It is not meant to be run as SQL.
func FormatType(t schema.Type) string { return t.Format(quote) }

func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// FormatColumn renders a column's definition after its name, in the order
// SHOW CREATE TABLE uses: varchar(100) NOT NULL DEFAULT 'x' COMMENT 'y'.
// A nullable column's implicit DEFAULT NULL is left out.
func FormatColumn(c *schema.Column) string {
	var b strings.Builder
	b.WriteString(FormatType(c.Type))
	if c.Charset != "" {
		b.WriteString(" CHARACTER SET " + c.Charset)
	}
	if c.Collate != "" {
		b.WriteString(" COLLATE " + c.Collate)
	}
	if c.Generated != nil {
		b.WriteString(" " + c.Generated.Format())
	}
	if c.Null {
		b.WriteString(" NULL")
	} else {
		b.WriteString(" NOT NULL")
	}
	if c.Default != "" && !(c.Null && c.Default == "NULL") {
		b.WriteString(" DEFAULT " + c.Default)
	}
	if c.OnUpdate != "" {
		b.WriteString(" ON UPDATE " + c.OnUpdate)
	}
	if c.AutoIncrement {
		b.WriteString(" AUTO_INCREMENT")
	}
	if c.Invisible {
		b.WriteString(" INVISIBLE")
	}
	if c.Check != "" {
		b.WriteString(" CHECK (" + c.Check + ")")
	}
	if c.Comment != "" {
		b.WriteString(" COMMENT " + quote(c.Comment))
	}
	return b.String()
}

// FormatIndex renders an index's definition after its name:
// UNIQUE (email), (a(10), b DESC), FULLTEXT (body).
func FormatIndex(i *schema.Index) string {
	var b strings.Builder
	if i.Kind != schema.IndexPlain {
		b.WriteString(string(i.Kind) + " ")
	}
	b.WriteByte('(')
	for n, p := range i.Parts {
		if n > 0 {
			b.WriteString(", ")
		}
		if p.Expr != "" {
			b.WriteString("(" + p.Expr + ")")
		} else {
			b.WriteString(p.Column)
		}
		if p.Prefix > 0 {
			b.WriteString("(" + strconv.Itoa(p.Prefix) + ")")
		}
		if p.Desc {
			b.WriteString(" DESC")
		}
	}
	b.WriteByte(')')
	if i.Using != "" {
		b.WriteString(" USING " + i.Using)
	}
	if i.Ignored {
		b.WriteString(" IGNORED")
	}
	if i.Comment != "" {
		b.WriteString(" COMMENT " + quote(i.Comment))
	}
	return b.String()
}

// FormatForeignKey renders a foreign key: (author_id) → users (id) ON DELETE
// CASCADE. RESTRICT actions (the default) are left out.
func FormatForeignKey(f *schema.ForeignKey) string {
	s := "(" + strings.Join(f.Columns, ", ") + ") → " + f.RefTable + " (" + strings.Join(f.RefColumns, ", ") + ")"
	if f.OnUpdate != "" && f.OnUpdate != schema.ActionRestrict {
		s += " ON UPDATE " + f.OnUpdate
	}
	if f.OnDelete != "" && f.OnDelete != schema.ActionRestrict {
		s += " ON DELETE " + f.OnDelete
	}
	return s
}

// FormatPartition renders a partitioning clause in short.
func FormatPartition(p *schema.Partition) string {
	if p == nil {
		return "none"
	}
	s := p.Method + " (" + p.Expr + ")"
	if p.Count > 0 {
		s += " PARTITIONS " + strconv.Itoa(p.Count)
	}
	if len(p.Definitions) > 0 {
		names := make([]string, len(p.Definitions))
		for i, d := range p.Definitions {
			names[i] = d.Name
			if d.Values != "" {
				names[i] += " " + d.Values
			}
		}
		s += " [" + strings.Join(names, ", ") + "]"
	}
	if p.SubMethod != "" {
		s += " SUBPARTITION BY " + p.SubMethod + " (" + p.SubExpr + ")"
		if p.SubCount > 0 {
			s += " SUBPARTITIONS " + strconv.Itoa(p.SubCount)
		}
	}
	return s
}

// FormatOptions renders the table options that differ between from and to
// as "name: old → new" items.
func FormatOptions(from, to schema.TableOptions) []string {
	var out []string
	add := func(name, a, b string) {
		if a != b {
			out = append(out, name+" "+orNone(a)+" → "+orNone(b))
		}
	}
	add("engine", from.Engine, to.Engine)
	add("charset", from.Charset, to.Charset)
	add("collate", from.Collate, to.Collate)
	add("comment", quoteOrEmpty(from.Comment), quoteOrEmpty(to.Comment))
	add("row_format", from.RowFormat, to.RowFormat)
	add("options", from.Extra, to.Extra)
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func quoteOrEmpty(s string) string {
	if s == "" {
		return ""
	}
	return quote(s)
}
