package sqlite

import (
	"fmt"
	"strings"
)

// SQLite keeps the CREATE statements of tables, indexes, views and triggers
// verbatim in sqlite_schema.sql, and some facts (CHECK expressions,
// generation expressions, constraint names, COLLATE, AUTOINCREMENT) are
// nowhere else. This file is a small tokenizer and parser for those
// statements: it knows quotes, comments and parentheses, and keeps byte
// offsets so that expressions come back exactly as written.

type tokKind int

const (
	tkIdent  tokKind = iota // bare word
	tkQIdent                // "quoted", `quoted` or [quoted] identifier
	tkString                // 'string'
	tkNumber
	tkBlob // x'ab'
	tkPunct
)

type token struct {
	kind       tokKind
	text       string // source text
	val        string // unquoted value for identifiers and strings
	start, end int    // byte offsets in the source
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func tokenize(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				i = len(s)
			} else {
				i += j + 4
			}
		case c == '\'' || c == '"' || c == '`' || c == '[':
			closer := c
			if c == '[' {
				closer = ']'
			}
			var val strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, fmt.Errorf("unterminated quote at offset %d", i)
				}
				if s[j] == closer {
					if closer != ']' && j+1 < len(s) && s[j+1] == closer {
						val.WriteByte(closer)
						j += 2
						continue
					}
					break
				}
				val.WriteByte(s[j])
				j++
			}
			kind := tkQIdent
			if c == '\'' {
				kind = tkString
			}
			toks = append(toks, token{kind: kind, text: s[i : j+1], val: val.String(), start: i, end: j + 1})
			i = j + 1
		case (c == 'x' || c == 'X') && i+1 < len(s) && s[i+1] == '\'':
			j := strings.IndexByte(s[i+2:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated blob literal at offset %d", i)
			}
			end := i + 2 + j + 1
			toks = append(toks, token{kind: tkBlob, text: s[i:end], start: i, end: end})
			i = end
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '.' ||
				(s[j] == '+' || s[j] == '-') && (s[j-1] == 'e' || s[j-1] == 'E')) {
				j++
			}
			toks = append(toks, token{kind: tkNumber, text: s[i:j], start: i, end: j})
			i = j
		case isIdentByte(c):
			j := i
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tkIdent, text: s[i:j], val: s[i:j], start: i, end: j})
			i = j
		default:
			n := 1
			if i+1 < len(s) {
				switch s[i : i+2] {
				case "||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->":
					n = 2
				}
			}
			toks = append(toks, token{kind: tkPunct, text: s[i : i+n], start: i, end: i + n})
			i += n
		}
	}
	return toks, nil
}

// parser walks the tokens of one statement.
type parser struct {
	src  string
	toks []token
	i    int
}

func newParser(src string) (*parser, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	return &parser{src: src, toks: toks}, nil
}

func (p *parser) eof() bool { return p.i >= len(p.toks) }

func (p *parser) peek() token {
	if p.eof() {
		return token{kind: tkPunct, start: len(p.src), end: len(p.src)}
	}
	return p.toks[p.i]
}

// isKw reports whether t is the bare keyword kw (case-insensitive).
func (t token) isKw(kw string) bool { return t.kind == tkIdent && strings.EqualFold(t.text, kw) }

func (t token) isPunct(s string) bool { return t.kind == tkPunct && t.text == s }

// name is the identifier a token denotes.
func (t token) name() string {
	if t.kind == tkIdent || t.kind == tkNumber {
		return t.text
	}
	return t.val
}

// accept consumes the keywords kws in a row if they are next.
func (p *parser) accept(kws ...string) bool {
	for n, kw := range kws {
		if p.i+n >= len(p.toks) || !p.toks[p.i+n].isKw(kw) {
			return false
		}
	}
	p.i += len(kws)
	return true
}

// qualifiedName reads [schema.]name and returns name.
func (p *parser) qualifiedName() (string, error) {
	if p.eof() {
		return "", fmt.Errorf("expected a name at end of statement")
	}
	t := p.toks[p.i]
	p.i++
	if p.peek().isPunct(".") {
		p.i++
		if p.eof() {
			return "", fmt.Errorf("expected a name after %q", t.text)
		}
		t = p.toks[p.i]
		p.i++
	}
	return t.name(), nil
}

// group consumes a parenthesized group and returns the token range inside
// it (from, to exclusive).
func (p *parser) group() (from, to int, err error) {
	if !p.peek().isPunct("(") {
		return 0, 0, fmt.Errorf("expected ( at offset %d", p.peek().start)
	}
	depth := 0
	for j := p.i; j < len(p.toks); j++ {
		switch {
		case p.toks[j].isPunct("("):
			depth++
		case p.toks[j].isPunct(")"):
			depth--
			if depth == 0 {
				from, to = p.i+1, j
				p.i = j + 1
				return from, to, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("unbalanced parentheses")
}

// text returns the source text of tokens [from, to).
func (p *parser) text(from, to int) string {
	if from >= to {
		return ""
	}
	return p.src[p.toks[from].start:p.toks[to-1].end]
}

// splitTop splits tokens [from, to) at commas outside parentheses.
func (p *parser) splitTop(from, to int) [][2]int {
	var parts [][2]int
	depth, start := 0, from
	for j := from; j < to; j++ {
		switch {
		case p.toks[j].isPunct("("):
			depth++
		case p.toks[j].isPunct(")"):
			depth--
		case p.toks[j].isPunct(",") && depth == 0:
			parts = append(parts, [2]int{start, j})
			start = j + 1
		}
	}
	if start < to {
		parts = append(parts, [2]int{start, to})
	}
	return parts
}

// nameList reads the identifiers of tokens [from, to) separated by commas,
// ignoring ASC/DESC/COLLATE suffixes.
func (p *parser) nameList(from, to int) []string {
	var names []string
	for _, r := range p.splitTop(from, to) {
		if r[0] < r[1] {
			names = append(names, p.toks[r[0]].name())
		}
	}
	return names
}

// stripParens removes parentheses that enclose the whole of s, and spaces.
func stripParens(s string) string {
	s = strings.TrimSpace(s)
	for len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' {
		p, err := newParser(s)
		if err != nil {
			return s
		}
		if _, to, err := p.group(); err != nil || to != len(p.toks)-1 || !p.eof() {
			return s
		}
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// tableDef is what parsing CREATE TABLE yields beyond the pragmas.
type tableDef struct {
	name         string
	columns      []colDef
	checks       []checkDef // table-level CHECKs
	fks          []fkDef    // table- and column-level REFERENCES, in order
	withoutRowid bool
	strict       bool
	virtual      bool
}

type colDef struct {
	name      string
	checks    []string
	collate   string
	autoinc   bool
	genExpr   string
	genStored bool
}

type checkDef struct {
	name, expr string
}

type fkDef struct {
	name     string
	columns  []string
	refTable string
}

func (d *tableDef) column(name string) *colDef {
	for i := range d.columns {
		if strings.EqualFold(d.columns[i].name, name) {
			return &d.columns[i]
		}
	}
	return nil
}

// columnConstraintKw are the words that end a column's type.
var columnConstraintKw = map[string]bool{
	"CONSTRAINT": true, "PRIMARY": true, "NOT": true, "NULL": true, "UNIQUE": true,
	"CHECK": true, "DEFAULT": true, "COLLATE": true, "REFERENCES": true,
	"GENERATED": true, "AS": true,
}

func parseCreateTable(src string) (*tableDef, error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	if !p.accept("CREATE") {
		return nil, fmt.Errorf("not a CREATE TABLE statement")
	}
	p.accept("TEMP")
	p.accept("TEMPORARY")
	d := &tableDef{}
	if p.accept("VIRTUAL") {
		d.virtual = true
	}
	if !p.accept("TABLE") {
		return nil, fmt.Errorf("not a CREATE TABLE statement")
	}
	p.accept("IF", "NOT", "EXISTS")
	if d.name, err = p.qualifiedName(); err != nil {
		return nil, err
	}
	if d.virtual {
		return d, nil
	}
	if p.accept("AS") {
		return d, nil // CREATE TABLE ... AS SELECT: no constraints
	}
	from, to, err := p.group()
	if err != nil {
		return nil, err
	}
	for _, r := range p.splitTop(from, to) {
		if err := d.parseItem(p, r[0], r[1]); err != nil {
			return nil, err
		}
	}
	for !p.eof() {
		t := p.peek()
		p.i++
		switch {
		case t.isKw("WITHOUT"):
			if p.accept("ROWID") {
				d.withoutRowid = true
			}
		case t.isKw("STRICT"):
			d.strict = true
		}
	}
	return d, nil
}

func (d *tableDef) parseItem(p *parser, from, to int) error {
	if from >= to {
		return nil
	}
	first := p.toks[from]
	for _, kw := range []string{"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"} {
		if first.isKw(kw) {
			return d.parseTableConstraint(p, from, to)
		}
	}
	c := colDef{name: first.name()}
	j := from + 1
	for j < to && !(p.toks[j].kind == tkIdent && columnConstraintKw[strings.ToUpper(p.toks[j].text)]) {
		if p.toks[j].isPunct("(") {
			sub := &parser{src: p.src, toks: p.toks[:to], i: j}
			if _, _, err := sub.group(); err != nil {
				return err
			}
			j = sub.i
			continue
		}
		j++
	}
	sub := &parser{src: p.src, toks: p.toks[:to], i: j}
	var pendingName string
	for !sub.eof() {
		t := sub.peek()
		switch {
		case t.isKw("CONSTRAINT"):
			sub.i++
			if !sub.eof() {
				pendingName = sub.peek().name()
				sub.i++
			}
			continue
		case t.isKw("AUTOINCREMENT"):
			c.autoinc = true
			sub.i++
		case t.isKw("CHECK"):
			sub.i++
			f, e, err := sub.group()
			if err != nil {
				return fmt.Errorf("column %q: check: %w", c.name, err)
			}
			c.checks = append(c.checks, strings.TrimSpace(sub.text(f, e)))
		case t.isKw("COLLATE"):
			sub.i++
			if !sub.eof() {
				c.collate = sub.peek().name()
				sub.i++
			}
		case t.isKw("AS"):
			sub.i++
			f, e, err := sub.group()
			if err != nil {
				return fmt.Errorf("column %q: generated: %w", c.name, err)
			}
			c.genExpr = strings.TrimSpace(sub.text(f, e))
			if sub.accept("STORED") {
				c.genStored = true
			} else {
				sub.accept("VIRTUAL")
			}
		case t.isKw("REFERENCES"):
			sub.i++
			ref, err := sub.qualifiedName()
			if err != nil {
				return fmt.Errorf("column %q: references: %w", c.name, err)
			}
			d.fks = append(d.fks, fkDef{name: pendingName, columns: []string{c.name}, refTable: ref})
		case t.isKw("DEFAULT"):
			sub.i++
			if sub.peek().isPunct("(") {
				if _, _, err := sub.group(); err != nil {
					return err
				}
			} else {
				if sub.peek().isPunct("-") || sub.peek().isPunct("+") {
					sub.i++
				}
				sub.i++
			}
		case t.isPunct("("):
			if _, _, err := sub.group(); err != nil {
				return err
			}
		default:
			sub.i++
		}
		pendingName = ""
	}
	d.columns = append(d.columns, c)
	return nil
}

func (d *tableDef) parseTableConstraint(p *parser, from, to int) error {
	sub := &parser{src: p.src, toks: p.toks[:to], i: from}
	var name string
	if sub.accept("CONSTRAINT") {
		if sub.eof() {
			return fmt.Errorf("constraint without a name")
		}
		name = sub.peek().name()
		sub.i++
	}
	switch {
	case sub.accept("CHECK"):
		f, e, err := sub.group()
		if err != nil {
			return fmt.Errorf("check %q: %w", name, err)
		}
		d.checks = append(d.checks, checkDef{name: name, expr: strings.TrimSpace(sub.text(f, e))})
	case sub.accept("FOREIGN", "KEY"):
		f, e, err := sub.group()
		if err != nil {
			return fmt.Errorf("foreign key %q: %w", name, err)
		}
		cols := sub.nameList(f, e)
		if !sub.accept("REFERENCES") {
			return fmt.Errorf("foreign key %q: expected REFERENCES", name)
		}
		ref, err := sub.qualifiedName()
		if err != nil {
			return fmt.Errorf("foreign key %q: %w", name, err)
		}
		d.fks = append(d.fks, fkDef{name: name, columns: cols, refTable: ref})
	}
	return nil
}

// indexDef is what parsing CREATE INDEX yields: the text of each key part.
type indexDef struct {
	parts []indexPartDef
	where string
}

type indexPartDef struct {
	column string // set for a plain column
	expr   string // set for an expression
}

func parseCreateIndex(src string) (*indexDef, error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	if !p.accept("CREATE") {
		return nil, fmt.Errorf("not a CREATE INDEX statement")
	}
	p.accept("UNIQUE")
	if !p.accept("INDEX") {
		return nil, fmt.Errorf("not a CREATE INDEX statement")
	}
	p.accept("IF", "NOT", "EXISTS")
	if _, err := p.qualifiedName(); err != nil {
		return nil, err
	}
	if !p.accept("ON") {
		return nil, fmt.Errorf("expected ON")
	}
	if _, err := p.qualifiedName(); err != nil {
		return nil, err
	}
	from, to, err := p.group()
	if err != nil {
		return nil, err
	}
	d := &indexDef{}
	for _, r := range p.splitTop(from, to) {
		a, b := r[0], r[1]
		// Drop trailing ASC/DESC and COLLATE name.
		if b > a && (p.toks[b-1].isKw("ASC") || p.toks[b-1].isKw("DESC")) {
			b--
		}
		if b-2 >= a && p.toks[b-2].isKw("COLLATE") {
			b -= 2
		}
		if b == a+1 && (p.toks[a].kind == tkIdent || p.toks[a].kind == tkQIdent) {
			d.parts = append(d.parts, indexPartDef{column: p.toks[a].name()})
		} else {
			d.parts = append(d.parts, indexPartDef{expr: stripParens(p.text(a, b))})
		}
	}
	if p.accept("WHERE") {
		d.where = strings.TrimSpace(p.src[p.peek().start:])
	}
	return d, nil
}

// parseCreateView returns the SELECT of a CREATE VIEW verbatim.
func parseCreateView(src string) (string, error) {
	p, err := newParser(src)
	if err != nil {
		return "", err
	}
	if !p.accept("CREATE") {
		return "", fmt.Errorf("not a CREATE VIEW statement")
	}
	p.accept("TEMP")
	p.accept("TEMPORARY")
	if !p.accept("VIEW") {
		return "", fmt.Errorf("not a CREATE VIEW statement")
	}
	p.accept("IF", "NOT", "EXISTS")
	if _, err := p.qualifiedName(); err != nil {
		return "", err
	}
	if p.peek().isPunct("(") {
		if _, _, err := p.group(); err != nil {
			return "", err
		}
	}
	if !p.accept("AS") {
		return "", fmt.Errorf("expected AS")
	}
	return trimStatement(p.src[p.peek().start:]), nil
}

// triggerDef is a parsed CREATE TRIGGER.
type triggerDef struct {
	timing, event, table, body string
	columns                    []string // of UPDATE OF
}

func parseCreateTrigger(src string) (*triggerDef, error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	if !p.accept("CREATE") {
		return nil, fmt.Errorf("not a CREATE TRIGGER statement")
	}
	p.accept("TEMP")
	p.accept("TEMPORARY")
	if !p.accept("TRIGGER") {
		return nil, fmt.Errorf("not a CREATE TRIGGER statement")
	}
	p.accept("IF", "NOT", "EXISTS")
	if _, err := p.qualifiedName(); err != nil {
		return nil, err
	}
	d := &triggerDef{timing: "BEFORE"}
	switch {
	case p.accept("BEFORE"):
	case p.accept("AFTER"):
		d.timing = "AFTER"
	case p.accept("INSTEAD", "OF"):
		d.timing = "INSTEAD OF"
	}
	switch {
	case p.accept("INSERT"):
		d.event = "INSERT"
	case p.accept("DELETE"):
		d.event = "DELETE"
	case p.accept("UPDATE"):
		d.event = "UPDATE"
		if p.accept("OF") {
			for !p.eof() && !p.peek().isKw("ON") {
				if t := p.peek(); !t.isPunct(",") {
					d.columns = append(d.columns, t.name())
				}
				p.i++
			}
		}
	default:
		return nil, fmt.Errorf("expected INSERT, UPDATE or DELETE at offset %d", p.peek().start)
	}
	if !p.accept("ON") {
		return nil, fmt.Errorf("expected ON")
	}
	if d.table, err = p.qualifiedName(); err != nil {
		return nil, err
	}
	p.accept("FOR", "EACH", "ROW")
	d.body = trimStatement(p.src[p.peek().start:])
	return d, nil
}

// trimStatement trims spaces and a trailing semicolon.
func trimStatement(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ";")
	return strings.TrimSpace(s)
}
