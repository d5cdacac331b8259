package mysql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stratadb/strata/schema"
)

// ParseShowCreateTable parses the statement SHOW CREATE TABLE returns into a
// table model, in the server's own terms: column types, defaults and
// expressions as printed, column CHARACTER SET/COLLATE only where printed
// (where they differ from the table's), index USING only where explicit, and
// the exact partition clause. It is robust to quotes, backticks, comments
// and parentheses inside expressions; it does not normalize anything the
// server did not print (e.g. table Charset is set from DEFAULT CHARSET).
func ParseShowCreateTable(stmt string) (*schema.Table, error) {
	p := &sctParser{s: sctUncomment(stmt)}
	p.space()
	if !p.word("CREATE") {
		return nil, fmt.Errorf("show create table: not a CREATE statement")
	}
	p.word("TEMPORARY")
	if !p.word("TABLE") {
		return nil, fmt.Errorf("show create table: not a CREATE TABLE statement")
	}
	p.word("IF")
	p.word("NOT")
	p.word("EXISTS")
	name, ok := p.ident()
	if !ok {
		return nil, fmt.Errorf("show create table: missing table name")
	}
	t := &schema.Table{Name: name}
	p.space()
	body, ok := p.group()
	if !ok {
		return nil, fmt.Errorf("show create table %q: missing definition list", name)
	}
	for _, def := range sctSplitTop(body[1 : len(body)-1]) {
		if err := sctDefinition(t, def); err != nil {
			return nil, fmt.Errorf("show create table %q: %w", name, err)
		}
	}
	if err := sctTableOptions(t, p.s[p.i:]); err != nil {
		return nil, fmt.Errorf("show create table %q: %w", name, err)
	}
	return t, nil
}

// sctUncomment opens the executable comments servers print around
// version-dependent clauses (MySQL's /*!50100 PARTITION BY ... */, MariaDB's
// /*M!100301 COMPRESSED*/), keeping their contents; strings and
// identifiers are left alone.
func sctUncomment(s string) string {
	if !strings.Contains(s, "/*") {
		return s
	}
	var b strings.Builder
	open := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			_, n, err := sctUnquoteString(s[i:])
			if err != nil {
				n = len(s) - i
			}
			b.WriteString(s[i : i+n])
			i += n - 1
		case c == '`':
			n := sctIdentLen(s[i:])
			b.WriteString(s[i : i+n])
			i += n - 1
		case c == '/' && (strings.HasPrefix(s[i:], "/*!") || strings.HasPrefix(s[i:], "/*M!")):
			j := i + 3
			if s[i+2] == 'M' {
				j++
			}
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			open = true
			b.WriteByte(' ')
			i = j - 1
		case open && c == '*' && strings.HasPrefix(s[i:], "*/"):
			open = false
			b.WriteByte(' ')
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// sctParser is a cursor over SQL text printed by the server.
type sctParser struct {
	s string
	i int
}

func (p *sctParser) eof() bool { p.space(); return p.i >= len(p.s) }

// space skips white space and /* */ comments.
func (p *sctParser) space() {
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			p.i++
		case c == '/' && strings.HasPrefix(p.s[p.i:], "/*"):
			end := strings.Index(p.s[p.i+2:], "*/")
			if end < 0 {
				p.i = len(p.s)
				return
			}
			p.i += end + 4
		default:
			return
		}
	}
}

// peekWord returns the next bare word (letters, digits, _ and $) upper-cased
// without consuming it.
func (p *sctParser) peekWord() string {
	p.space()
	j := p.i
	for j < len(p.s) && sctWordByte(p.s[j]) {
		j++
	}
	return strings.ToUpper(p.s[p.i:j])
}

// word consumes the bare word w (case-insensitive) if it comes next.
func (p *sctParser) word(w string) bool {
	if p.peekWord() != w {
		return false
	}
	p.i += len(w)
	return true
}

// anyWord consumes and returns the next bare word as written.
func (p *sctParser) anyWord() string {
	p.space()
	j := p.i
	for j < len(p.s) && sctWordByte(p.s[j]) {
		j++
	}
	w := p.s[p.i:j]
	p.i = j
	return w
}

// ident consumes a backticked or bare identifier.
func (p *sctParser) ident() (string, bool) {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '`' {
		n := sctIdentLen(p.s[p.i:])
		raw := p.s[p.i : p.i+n]
		p.i += n
		return strings.ReplaceAll(raw[1:len(raw)-1], "``", "`"), true
	}
	w := p.anyWord()
	return w, w != ""
}

// group consumes a parenthesized group and returns it with its parentheses.
func (p *sctParser) group() (string, bool) {
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != '(' {
		return "", false
	}
	n, ok := sctGroupEnd(p.s[p.i:])
	g := p.s[p.i : p.i+n]
	p.i += n
	return g, ok
}

// str consumes a quoted string and returns its value.
func (p *sctParser) str() (string, bool) {
	p.space()
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", false
	}
	v, n, err := sctUnquoteString(p.s[p.i:])
	if err != nil {
		return "", false
	}
	p.i += n
	return v, true
}

// punct consumes the byte c if it comes next.
func (p *sctParser) punct(c byte) bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// term consumes one value as the server prints it after DEFAULT or ON
// UPDATE: 'str', -1.5, NULL, b'101', _utf8mb4'x', current_timestamp(3),
// concat('a','b'), (1 + 2).
func (p *sctParser) term() string {
	p.space()
	start := p.i
	if p.i >= len(p.s) {
		return ""
	}
	switch c := p.s[p.i]; {
	case c == '\'' || c == '"':
		_, n, err := sctUnquoteString(p.s[p.i:])
		if err != nil {
			p.i = len(p.s)
		} else {
			p.i += n
		}
		return p.s[start:p.i]
	case c == '(':
		p.i += sctGroupLen(p.s[p.i:])
		return p.s[start:p.i]
	}
	for p.i < len(p.s) && (sctWordByte(p.s[p.i]) || strings.IndexByte("+-.", p.s[p.i]) >= 0) {
		p.i++
	}
	if p.i < len(p.s) {
		switch p.s[p.i] {
		case '(':
			p.i += sctGroupLen(p.s[p.i:])
		case '\'':
			_, n, err := sctUnquoteString(p.s[p.i:])
			if err == nil {
				p.i += n
			}
		}
	}
	if p.i == start {
		// Unknown punctuation: take it alone so that parsing moves on.
		p.i++
	}
	return p.s[start:p.i]
}

func sctWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// sctQuoteIdent quotes an identifier with backticks.
func sctQuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// sctIdentLen returns the length of the backticked identifier s starts with
// (doubled backticks inside); the rest of s when it is unterminated.
func sctIdentLen(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i] == '`' {
			if i+1 < len(s) && s[i+1] == '`' {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}

// sctUnquoteString reads the quoted string s starts with (' or "), with
// doubled quotes and backslash escapes, and returns its value and length.
func sctUnquoteString(s string) (string, int, error) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case '0':
				b.WriteByte(0)
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case 'Z':
				b.WriteByte(0x1a)
			case '%', '_':
				// LIKE wildcards keep their backslash.
				b.WriteByte('\\')
				b.WriteByte(e)
			default:
				b.WriteByte(e)
			}
		case c == q:
			if i+1 < len(s) && s[i+1] == q {
				b.WriteByte(q)
				i++
				continue
			}
			return b.String(), i + 1, nil
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, fmt.Errorf("unterminated string %.20q", s)
}

// sctGroupLen returns the length of the parenthesized group s starts with,
// skipping parentheses inside strings and identifiers; the rest of s when
// the group is not closed.
func sctGroupLen(s string) int {
	n, _ := sctGroupEnd(s)
	return n
}

// sctGroupEnd is sctGroupLen that also reports whether the group closes.
func sctGroupEnd(s string) (int, bool) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case '\'', '"':
			_, n, err := sctUnquoteString(s[i:])
			if err != nil {
				return len(s), false
			}
			i += n - 1
		case '`':
			n := sctIdentLen(s[i:])
			if s[i+n-1] != '`' || n < 2 {
				return len(s), false
			}
			i += n - 1
		}
	}
	return len(s), false
}

// sctSplitTop splits s at commas outside parentheses, strings and
// identifiers, trimming each piece.
func sctSplitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(':
			depth++
		case ')':
			depth--
		case '\'', '"':
			_, n, err := sctUnquoteString(s[i:])
			if err != nil {
				i = len(s) - 1
				continue
			}
			i += n - 1
		case '`':
			i += sctIdentLen(s[i:]) - 1
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// sctInner returns a group's contents without the outer parentheses.
func sctInner(g string) string {
	if len(g) >= 2 && g[0] == '(' && g[len(g)-1] == ')' {
		return g[1 : len(g)-1]
	}
	return g
}

// sctDefinition parses one line of the definition list.
func sctDefinition(t *schema.Table, def string) error {
	p := &sctParser{s: def}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '`' {
		c, err := sctColumn(p)
		if err != nil {
			return err
		}
		t.Columns = append(t.Columns, c)
		return nil
	}
	switch p.peekWord() {
	case "PRIMARY":
		p.word("PRIMARY")
		p.word("KEY")
		idx, err := sctIndex(p, false)
		if err != nil {
			return err
		}
		idx.Name = "PRIMARY"
		t.PrimaryKey = idx
	case "UNIQUE", "KEY", "INDEX", "FULLTEXT", "SPATIAL":
		var kind schema.IndexKind
		switch strings.ToUpper(p.anyWord()) {
		case "UNIQUE":
			kind = schema.IndexUnique
		case "FULLTEXT":
			kind = schema.IndexFulltext
		case "SPATIAL":
			kind = schema.IndexSpatial
		}
		if !p.word("KEY") {
			p.word("INDEX")
		}
		idx, err := sctIndex(p, true)
		if err != nil {
			return err
		}
		idx.Kind = kind
		t.Indexes = append(t.Indexes, idx)
	case "CONSTRAINT", "CHECK", "FOREIGN":
		var name string
		if p.word("CONSTRAINT") {
			if w := p.peekWord(); w != "CHECK" && w != "FOREIGN" {
				name, _ = p.ident()
			}
		}
		switch {
		case p.word("CHECK"):
			g, ok := p.group()
			if !ok {
				return fmt.Errorf("check %q: missing expression", name)
			}
			t.Checks = append(t.Checks, &schema.Check{Name: name, Expr: sctInner(g)})
		case p.word("FOREIGN"):
			fk, err := sctForeignKey(p, name)
			if err != nil {
				return err
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
		default:
			return fmt.Errorf("constraint %q: unknown kind in %q", name, def)
		}
	default:
		return fmt.Errorf("unknown definition %q", def)
	}
	return nil
}

// sctColumn parses a column definition.
func sctColumn(p *sctParser) (*schema.Column, error) {
	name, _ := p.ident()
	c := &schema.Column{Name: name, Null: true}
	p.space()
	start := p.i
	p.anyWord()
	if p.i < len(p.s) && p.s[p.i] == '(' {
		p.i += sctGroupLen(p.s[p.i:])
	}
	for {
		if w := p.peekWord(); w == "UNSIGNED" || w == "ZEROFILL" || w == "SIGNED" {
			p.word(w)
			continue
		}
		break
	}
	typ, err := inspectParseColumnType(p.s[start:p.i])
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", name, err)
	}
	c.Type = typ
	for !p.eof() {
		switch w := p.peekWord(); w {
		case "CHARACTER":
			p.word("CHARACTER")
			p.word("SET")
			c.Charset = p.anyWord()
		case "CHARSET":
			p.word(w)
			c.Charset = p.anyWord()
		case "COLLATE":
			p.word(w)
			c.Collate = p.anyWord()
		case "GENERATED", "AS":
			p.word("GENERATED")
			p.word("ALWAYS")
			p.word("AS")
			g, ok := p.group()
			if !ok {
				return nil, fmt.Errorf("column %q: generated column without expression", name)
			}
			c.Generated = &schema.Generated{Expr: sctInner(g)}
			switch p.peekWord() {
			case "STORED", "PERSISTENT":
				p.anyWord()
				c.Generated.Stored = true
			case "VIRTUAL":
				p.anyWord()
			}
		case "INVISIBLE":
			p.word(w)
			c.Invisible = true
		case "NOT":
			p.word("NOT")
			p.word("NULL")
			c.Null = false
		case "NULL":
			p.word(w)
			c.Null = true
		case "DEFAULT":
			p.word(w)
			c.Default = p.term()
		case "ON":
			p.word("ON")
			p.word("UPDATE")
			c.OnUpdate = p.term()
		case "AUTO_INCREMENT":
			p.word(w)
			c.AutoIncrement = true
		case "COMMENT":
			p.word(w)
			c.Comment, _ = p.str()
		case "CHECK":
			p.word(w)
			g, ok := p.group()
			if !ok {
				return nil, fmt.Errorf("column %q: CHECK without expression", name)
			}
			c.Check = sctInner(g)
		case "":
			// Punctuation the parser does not know: skip one byte.
			p.i++
		default:
			p.anyWord()
		}
	}
	if c.Charset == "" && c.Collate != "" {
		c.Charset = inspectCharsetOf(c.Collate)
	}
	if c.Generated != nil {
		// Generated columns print neither NULL nor DEFAULT.
		c.Default = ""
	}
	return c, nil
}

// sctIndex parses "[`name`] (parts) [USING x] [COMMENT 'c'] [IGNORED]".
func sctIndex(p *sctParser, named bool) (*schema.Index, error) {
	idx := &schema.Index{}
	p.space()
	if named && p.i < len(p.s) && p.s[p.i] != '(' {
		idx.Name, _ = p.ident()
	}
	g, ok := p.group()
	if !ok {
		return nil, fmt.Errorf("index %q: missing column list", idx.Name)
	}
	for _, part := range sctSplitTop(sctInner(g)) {
		pp := &sctParser{s: part}
		var ip schema.IndexPart
		pp.space()
		if pp.i < len(pp.s) && pp.s[pp.i] == '(' {
			eg, _ := pp.group()
			ip.Expr = sctInner(eg)
		} else {
			ip.Column, _ = pp.ident()
		}
		if g, ok := pp.group(); ok {
			ip.Prefix, _ = strconv.Atoi(strings.TrimSpace(sctInner(g)))
		}
		switch pp.peekWord() {
		case "DESC":
			ip.Desc = true
		}
		idx.Parts = append(idx.Parts, ip)
	}
	for !p.eof() {
		switch w := p.peekWord(); w {
		case "USING":
			p.word(w)
			idx.Using = strings.ToUpper(p.anyWord())
		case "COMMENT":
			p.word(w)
			idx.Comment, _ = p.str()
		case "IGNORED", "INVISIBLE":
			p.word(w)
			idx.Ignored = true
		case "":
			p.i++
		default:
			p.anyWord()
		}
	}
	return idx, nil
}

// sctForeignKey parses "KEY [name] (cols) REFERENCES [db.]t (cols) [ON ...]".
func sctForeignKey(p *sctParser, name string) (*schema.ForeignKey, error) {
	p.word("KEY")
	p.space()
	if p.i < len(p.s) && p.s[p.i] != '(' {
		n, _ := p.ident()
		if name == "" {
			name = n
		}
	}
	fk := &schema.ForeignKey{Name: name, OnUpdate: schema.ActionRestrict, OnDelete: schema.ActionRestrict}
	g, ok := p.group()
	if !ok {
		return nil, fmt.Errorf("foreign key %q: missing columns", name)
	}
	fk.Columns = sctIdentList(g)
	if !p.word("REFERENCES") {
		return nil, fmt.Errorf("foreign key %q: missing REFERENCES", name)
	}
	ref, _ := p.ident()
	if p.punct('.') {
		tbl, _ := p.ident()
		ref = ref + "." + tbl
	}
	fk.RefTable = ref
	if g, ok := p.group(); ok {
		fk.RefColumns = sctIdentList(g)
	}
	for !p.eof() {
		if !p.word("ON") {
			p.i++
			continue
		}
		event := p.anyWord()
		var action string
		switch w := p.peekWord(); w {
		case "SET", "NO":
			p.word(w)
			action = w + " " + strings.ToUpper(p.anyWord())
		default:
			action = strings.ToUpper(p.anyWord())
		}
		if strings.EqualFold(event, "DELETE") {
			fk.OnDelete = action
		} else {
			fk.OnUpdate = action
		}
	}
	return fk, nil
}

// sctIdentList parses "(`a`, `b`)" into names.
func sctIdentList(g string) []string {
	parts := sctSplitTop(sctInner(g))
	names := make([]string, 0, len(parts))
	for _, part := range parts {
		pp := &sctParser{s: part}
		n, _ := pp.ident()
		names = append(names, n)
	}
	return names
}

// sctTableOptions parses what follows the definition list: table options,
// then an optional partition clause.
func sctTableOptions(t *schema.Table, s string) error {
	p := &sctParser{s: s}
	var extra []string
	for !p.eof() {
		if p.peekWord() == "PARTITION" {
			save := p.i
			p.word("PARTITION")
			if p.word("BY") {
				part, err := sctPartition(p)
				if err != nil {
					return err
				}
				t.Partition = part
				continue
			}
			p.i = save
		}
		// KEY[ KEY...]=VALUE; a key may be backticked (`PAGE_COMPRESSED`).
		keyStart := p.i
		for p.i < len(p.s) && p.s[p.i] != '=' {
			if p.s[p.i] == '`' {
				p.i += sctIdentLen(p.s[p.i:])
				continue
			}
			p.i++
		}
		key := strings.TrimSpace(p.s[keyStart:p.i])
		if p.i >= len(p.s) {
			if key != "" {
				return fmt.Errorf("table option %q without value", key)
			}
			break
		}
		p.i++ // '='
		p.space()
		valStart := p.i
		var val string
		if p.i < len(p.s) && (p.s[p.i] == '\'' || p.s[p.i] == '"') {
			val, _ = p.str()
		} else {
			for p.i < len(p.s) && p.s[p.i] != ' ' && p.s[p.i] != '\n' {
				p.i++
			}
			val = p.s[valStart:p.i]
		}
		raw := p.s[valStart:p.i]
		switch up := strings.ToUpper(key); up {
		case "ENGINE", "TYPE":
			t.Options.Engine = val
		case "DEFAULT CHARSET", "CHARSET", "DEFAULT CHARACTER SET", "CHARACTER SET":
			t.Options.Charset = val
		case "COLLATE", "DEFAULT COLLATE":
			t.Options.Collate = val
		case "COMMENT":
			t.Options.Comment = val
		case "AUTO_INCREMENT":
			t.Options.AutoIncrement, _ = strconv.ParseInt(val, 10, 64)
		case "ROW_FORMAT":
			t.Options.RowFormat = strings.ToUpper(val)
		default:
			extra = append(extra, strings.ToLower(key+"="+raw))
		}
	}
	t.Options.Extra = strings.Join(extra, " ")
	return nil
}

// sctPartition parses the clause after PARTITION BY.
func sctPartition(p *sctParser) (*schema.Partition, error) {
	part := &schema.Partition{}
	method, expr, err := sctPartitionMethod(p)
	if err != nil {
		return nil, err
	}
	part.Method, part.Expr = method, expr
	if p.word("PARTITIONS") {
		part.Count, _ = strconv.Atoi(p.anyWord())
	}
	if p.word("SUBPARTITION") {
		p.word("BY")
		part.SubMethod, part.SubExpr, err = sctPartitionMethod(p)
		if err != nil {
			return nil, err
		}
		if p.word("SUBPARTITIONS") {
			part.SubCount, _ = strconv.Atoi(p.anyWord())
		}
	}
	g, ok := p.group()
	if !ok {
		return part, nil
	}
	for _, d := range sctSplitTop(sctInner(g)) {
		dp := &sctParser{s: d}
		if !dp.word("PARTITION") {
			return nil, fmt.Errorf("partition definition %q", d)
		}
		var def schema.PartitionDef
		def.Name, _ = dp.ident()
		for !dp.eof() {
			switch w := dp.peekWord(); w {
			case "VALUES":
				dp.word(w)
				switch {
				case dp.word("LESS"):
					dp.word("THAN")
					if vg, ok := dp.group(); ok {
						def.Values = "LESS THAN " + vg
					} else {
						def.Values = "LESS THAN " + strings.ToUpper(dp.anyWord())
					}
				case dp.word("IN"):
					vg, _ := dp.group()
					def.Values = "IN " + vg
				}
			case "DEFAULT":
				dp.word(w)
				def.Values = "DEFAULT"
			case "COMMENT":
				dp.word(w)
				dp.punct('=')
				def.Comment, _ = dp.str()
			case "ENGINE", "STORAGE":
				dp.word("STORAGE")
				dp.word("ENGINE")
				dp.punct('=')
				def.Engine = dp.anyWord()
			case "":
				if sg, ok := dp.group(); ok {
					if part.SubCount == 0 || len(part.Definitions) == 0 {
						part.SubCount = len(sctSplitTop(sctInner(sg)))
					}
					continue
				}
				dp.i++
			default:
				dp.anyWord()
				dp.punct('=')
				dp.term()
			}
		}
		part.Definitions = append(part.Definitions, def)
	}
	return part, nil
}

// sctPartitionMethod parses "[LINEAR] RANGE|LIST|HASH|KEY [COLUMNS] (expr)".
func sctPartitionMethod(p *sctParser) (method, expr string, err error) {
	var words []string
	for {
		w := p.peekWord()
		if w == "" {
			break
		}
		p.word(w)
		words = append(words, w)
	}
	if len(words) == 0 {
		return "", "", fmt.Errorf("partition clause without method")
	}
	g, ok := p.group()
	if !ok {
		return "", "", fmt.Errorf("partition clause %s without expression", strings.Join(words, " "))
	}
	return strings.Join(words, " "), strings.TrimSpace(sctInner(g)), nil
}
