package sqlite

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// Normalize rewrites a desired model in place into the canonical form that
// Inspect produces (see the package documentation). It is idempotent.
func (d *Dialect) Normalize(s *schema.Schema) error {
	// SQLite has no stored routines or events.
	if len(s.Routines) > 0 {
		r := s.Routines[0]
		return &dialect.UnsupportedError{Kind: strings.ToLower(r.Kind), Name: r.Name, Dialect: "SQLite",
			Hint: "remove the block, or point the environment at MySQL or MariaDB"}
	}
	if len(s.Events) > 0 {
		e := s.Events[0]
		return &dialect.UnsupportedError{Kind: "event", Name: e.Name, Dialect: "SQLite",
			Hint: "remove the block, or point the environment at MySQL or MariaDB"}
	}
	s.Charset, s.Collate = "", ""
	for _, t := range s.Tables {
		if err := normalizeTable(t); err != nil {
			return fmt.Errorf("normalize table %q: %w", t.Name, err)
		}
	}
	alignKeyTypes(s)
	for _, v := range s.Views {
		normalizeView(v)
	}
	for _, tr := range s.Triggers {
		normalizeTrigger(tr)
	}
	return nil
}

// alignKeyTypes gives a column that references an AUTOINCREMENT key the
// key's type (integer): that key had to become integer (see
// normalizeColumn), all integer types are the same in SQLite, and a model
// that keeps bigint on one side and integer on the other would fail the
// loader's MySQL check that a foreign key's types match.
func alignKeyTypes(s *schema.Schema) {
	for _, t := range s.Tables {
		for _, f := range t.ForeignKeys {
			p := s.Table(f.RefTable)
			if p == nil || len(f.RefColumns) != len(f.Columns) {
				continue
			}
			for i, rc := range f.RefColumns {
				pc, c := p.Column(rc), t.Column(f.Columns[i])
				if pc != nil && c != nil && pc.AutoIncrement && affinity(c.Type.Name) == "integer" {
					c.Type = pc.Type
				}
			}
		}
	}
}

func normalizeTable(t *schema.Table) error {
	extra := canonicalExtra(t.Options.Extra)
	t.Options = schema.TableOptions{AutoIncrement: t.Options.AutoIncrement, Extra: extra}
	t.Partition = nil
	strict := strings.Contains(extra, "strict")
	if t.PrimaryKey != nil {
		normalizeIndex(t.PrimaryKey)
		t.PrimaryKey.Name = "PRIMARY"
		t.PrimaryKey.Kind = ""
		for i := range t.PrimaryKey.Parts {
			t.PrimaryKey.Parts[i].Desc = false
		}
	}
	for _, c := range t.Columns {
		if c.AutoIncrement && (t.PrimaryKey == nil || len(t.PrimaryKey.Parts) != 1 || t.PrimaryKey.Parts[0].Column != c.Name) {
			return fmt.Errorf("column %q: AUTOINCREMENT needs the column to be the whole primary key", c.Name)
		}
		normalizeColumn(c, strict, inPrimaryKey(t, c.Name))
	}
	for _, i := range t.Indexes {
		normalizeIndex(i)
	}
	for _, f := range t.ForeignKeys {
		f.OnUpdate = canonicalAction(f.OnUpdate)
		f.OnDelete = canonicalAction(f.OnDelete)
	}
	for n, f := range t.ForeignKeys {
		if f.Name == "" {
			f.Name = fkName(t.Name, f.Columns, n, t.ForeignKeys)
		}
	}
	for n, c := range t.Checks {
		c.Expr = stripParens(c.Expr)
		if c.Name == "" {
			c.Name = checkName(t.Name, n)
		}
	}
	return nil
}

func inPrimaryKey(t *schema.Table, col string) bool {
	if t.PrimaryKey == nil {
		return false
	}
	for _, p := range t.PrimaryKey.Parts {
		if p.Column == col {
			return true
		}
	}
	return false
}

// canonicalExtra keeps the table options SQLite has, in a fixed order.
func canonicalExtra(extra string) string {
	words := strings.Fields(strings.ToLower(strings.ReplaceAll(extra, ",", " ")))
	var out []string
	if slices.Contains(words, "rowid") && slices.Contains(words, "without") ||
		slices.Contains(words, "without_rowid") {
		out = append(out, "without rowid")
	}
	if slices.Contains(words, "strict") {
		out = append(out, "strict")
	}
	return strings.Join(out, " ")
}

func normalizeColumn(c *schema.Column, strict, pk bool) {
	c.Charset = ""
	c.Comment = ""
	c.OnUpdate = ""
	c.Invisible = false
	c.Collate = canonicalCollate(c.Collate)
	c.Check = stripParens(c.Check)
	switch c.Type.Name = canonicalTypeName(c.Type.Name); c.Type.Name {
	case "enum":
		in := make([]string, len(c.Type.Values))
		for i, v := range c.Type.Values {
			in[i] = sqliteQuote(v)
		}
		enumCheck := quoteIdent(c.Name) + " IN (" + strings.Join(in, ", ") + ")"
		if c.Check != "" {
			enumCheck += " AND (" + c.Check + ")"
		}
		c.Check = enumCheck
		c.Type = schema.Type{Name: "text"}
	case "set":
		c.Type = schema.Type{Name: "text"}
	}
	c.Type.Values = nil
	c.Type.Unsigned = false
	c.Type.Zerofill = false
	if c.AutoIncrement {
		// Only INTEGER PRIMARY KEY is a rowid alias that SQLite numbers.
		c.Type = schema.Type{Name: "integer"}
	}
	if strict {
		c.Type = strictType(c.Type)
	}
	if pk {
		c.Null = false
	}
	if c.Generated != nil {
		c.Generated.Expr = stripParens(c.Generated.Expr)
	}
	if c.AutoIncrement || c.Generated != nil {
		c.Default = ""
	} else {
		c.Default = canonicalDefault(c.Default, affinity(c.Type.Name), false)
	}
}

// canonicalTypeName lower-cases a declared type name and collapses spaces;
// unsigned and zerofill words go (SQLite has no unsigned integers).
func canonicalTypeName(name string) string {
	var words []string
	for _, w := range strings.Fields(strings.ToLower(name)) {
		if w == "unsigned" || w == "zerofill" || w == "signed" && len(words) > 0 {
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// strictType maps a type to one a STRICT table accepts.
func strictType(t schema.Type) schema.Type {
	switch t.Name {
	case "int", "integer", "real", "text", "blob", "any":
		return schema.Type{Name: t.Name}
	}
	switch affinity(t.Name) {
	case "integer":
		return schema.Type{Name: "integer"}
	case "text":
		return schema.Type{Name: "text"}
	case "real":
		return schema.Type{Name: "real"}
	case "blob":
		return schema.Type{Name: "blob"}
	}
	return schema.Type{Name: "any"}
}

// canonicalCollate keeps SQLite's built-in collations; BINARY is the
// default and MySQL collations mean nothing to SQLite.
func canonicalCollate(c string) string {
	switch u := strings.ToUpper(c); u {
	case "NOCASE", "RTRIM":
		return u
	}
	return ""
}

func canonicalAction(a string) string {
	a = strings.Join(strings.Fields(strings.ToUpper(a)), " ")
	if a == "" {
		return schema.ActionNoAction
	}
	return a
}

func normalizeIndex(i *schema.Index) {
	if i.Kind != schema.IndexUnique {
		i.Kind = schema.IndexPlain
	}
	i.Comment = ""
	i.Using = ""
	i.Ignored = false
	for n := range i.Parts {
		i.Parts[n].Prefix = 0
		i.Parts[n].Expr = stripParens(i.Parts[n].Expr)
	}
}

func normalizeView(v *schema.View) {
	v.Definition = trimStatement(v.Definition)
	v.Algorithm, v.Security, v.CheckOption = "", "", ""
}

func normalizeTrigger(t *schema.Trigger) {
	t.Timing = strings.Join(strings.Fields(strings.ToUpper(t.Timing)), " ")
	if t.Timing == "" {
		t.Timing = "BEFORE"
	}
	t.Event, t.Columns = canonicalEvent(t.Event, t.Columns)
	t.Body = trimStatement(t.Body)
	if u := strings.ToUpper(t.Body); !strings.HasPrefix(u, "BEGIN") && !strings.HasPrefix(u, "WHEN") {
		t.Body = "BEGIN " + t.Body + "; END"
	}
	t.Order = 0
}

// canonicalEvent upper-cases the event and moves the columns of an event
// spelled "UPDATE OF a, b" into the column list.
func canonicalEvent(ev string, cols []string) (string, []string) {
	head, rest, ok := strings.Cut(strings.TrimSpace(ev), " ")
	head = strings.ToUpper(head)
	rest = strings.TrimSpace(rest)
	if !ok || head != "UPDATE" || len(rest) < 2 || !strings.EqualFold(rest[:2], "OF") {
		return strings.ToUpper(strings.Join(strings.Fields(ev), " ")), cols
	}
	return "UPDATE", append(splitNames(rest[2:]), cols...)
}

// eventClause is a trigger's event as CREATE TRIGGER spells it.
func eventClause(t *schema.Trigger) string {
	ev, cols := canonicalEvent(t.Event, t.Columns)
	if len(cols) == 0 {
		return ev
	}
	return ev + " OF " + identList(cols)
}

// splitNames reads a comma-separated list of (possibly quoted) names.
func splitNames(s string) []string {
	p, err := newParser(s)
	if err != nil {
		return []string{strings.TrimSpace(s)}
	}
	return p.nameList(0, len(p.toks))
}

// fkName is the name given to a foreign key declared without one.
func fkName(table string, cols []string, n int, all []*schema.ForeignKey) string {
	name := table + "_" + strings.Join(cols, "_") + "_fkey"
	for m, f := range all {
		if m != n && f.Name == name {
			return fmt.Sprintf("%s%d", name, n+1)
		}
	}
	return name
}

// checkName is the name given to a table CHECK declared without one.
func checkName(table string, n int) string {
	return fmt.Sprintf("%s_chk_%d", table, n+1)
}

// affinity is SQLite's column affinity of a declared type
// (https://www.sqlite.org/datatype3.html, 3.1).
func affinity(typ string) string {
	u := strings.ToUpper(typ)
	switch {
	case strings.Contains(u, "INT"):
		return "integer"
	case strings.Contains(u, "CHAR"), strings.Contains(u, "CLOB"), strings.Contains(u, "TEXT"):
		return "text"
	case u == "" || strings.Contains(u, "BLOB"):
		return "blob"
	case strings.Contains(u, "REAL"), strings.Contains(u, "FLOA"), strings.Contains(u, "DOUB"):
		return "real"
	}
	return "numeric"
}

// canonicalDefault brings the text of a DEFAULT clause into canonical form.
// sqliteForm says string literals are in SQLite's form (quotes doubled, no
// escapes), as pragma table_xinfo shows them; otherwise they are in the
// model's MySQL form (backslash escapes), as the HCL loader writes them.
func canonicalDefault(text, aff string, sqliteForm bool) string {
	t := stripParens(text)
	if t == "" {
		return ""
	}
	u := strings.ToUpper(t)
	switch {
	case u == "NULL":
		return ""
	case u == "TRUE":
		return "1"
	case u == "FALSE":
		return "0"
	}
	if kw := timeKeyword(u); kw != "" {
		return kw
	}
	if isNumber(t) {
		return strings.TrimPrefix(t, "+")
	}
	if len(t) >= 3 && (t[0] == 'b' || t[0] == 'B') && t[1] == '\'' && t[len(t)-1] == '\'' {
		if n, err := strconv.ParseUint(t[2:len(t)-1], 2, 64); err == nil {
			return strconv.FormatUint(n, 10)
		}
	}
	if len(t) >= 3 && (t[0] == 'x' || t[0] == 'X') && t[1] == '\'' && t[len(t)-1] == '\'' && isHex(t[2:len(t)-1]) {
		return "x'" + strings.ToLower(t[2:len(t)-1]) + "'"
	}
	if len(t) >= 2 && t[0] == '\'' && t[len(t)-1] == '\'' {
		var v string
		var ok bool
		if sqliteForm {
			v, ok = sqliteUnquote(t)
		} else {
			v, ok = schema.UnquoteString(t)
		}
		if ok {
			if aff != "text" && aff != "blob" && isNumber(strings.TrimSpace(v)) {
				return strings.TrimPrefix(strings.TrimSpace(v), "+")
			}
			return schema.QuoteString(v)
		}
	}
	return "(" + t + ")"
}

// timeKeyword maps the spellings of the current time to SQLite's keywords.
func timeKeyword(u string) string {
	base := u
	if i := strings.IndexByte(u, '('); i > 0 && strings.HasSuffix(u, ")") {
		inner := strings.TrimSpace(u[i+1 : len(u)-1])
		if inner != "" && !isNumber(inner) {
			return ""
		}
		base = strings.TrimSpace(u[:i])
	}
	switch base {
	case "CURRENT_TIMESTAMP", "NOW", "LOCALTIMESTAMP", "LOCALTIME":
		return "CURRENT_TIMESTAMP"
	case "CURRENT_DATE", "CURDATE":
		return "CURRENT_DATE"
	case "CURRENT_TIME", "CURTIME":
		return "CURRENT_TIME"
	}
	return ""
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		return len(s) > 2 && isHex(s[2:])
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && !strings.ContainsAny(s, "iInN_")
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// sqliteQuote renders s as an SQLite string literal.
func sqliteQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// sqliteUnquote reads an SQLite string literal.
func sqliteUnquote(t string) (string, bool) {
	toks, err := tokenize(t)
	if err != nil || len(toks) != 1 || toks[0].kind != tkString {
		return "", false
	}
	return toks[0].val, true
}

// quoteIdent renders an identifier in double quotes.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
