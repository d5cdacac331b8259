package mysql

import (
	"strings"

	"github.com/stratadb/strata/dialect"
)

var _ dialect.TableTeller = (*Dialect)(nil)

// StatementTables names the tables a statement of the kinds Strata generates
// touches: the table of CREATE/ALTER/DROP TABLE, CREATE/DROP INDEX and both
// sides of RENAME TABLE, plus every table a REFERENCES clause names. Any
// other statement (views, triggers, qualified names, anything it cannot
// read) is not told: ok is false and the statement runs alone.
func (d *Dialect) StatementTables(stmt string) (tables []string, ok bool) {
	return StatementTables(stmt)
}

// StatementTables is Dialect.StatementTables, for callers without a
// Dialect value.
func StatementTables(stmt string) (tables []string, ok bool) {
	p := &sctParser{s: sctUncomment(stmt)}
	p.space()
	seen := map[string]bool{}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			tables = append(tables, name)
		}
	}
	// name reads one unqualified table name; a qualified one (db.t) is
	// another database's business and is not told.
	name := func() bool {
		n, ok := p.ident()
		if !ok || strings.HasPrefix(p.s[p.i:], ".") {
			return false
		}
		add(n)
		return true
	}
	switch {
	case p.word("CREATE"):
		p.word("TEMPORARY")
		switch {
		case p.word("TABLE"):
			p.word("IF")
			p.word("NOT")
			p.word("EXISTS")
			if !name() {
				return nil, false
			}
		case p.word("UNIQUE"), p.word("FULLTEXT"), p.word("SPATIAL"), p.peekWord() == "INDEX":
			if !p.word("INDEX") || !onTable(p, name) {
				return nil, false
			}
		default:
			return nil, false
		}
	case p.word("ALTER"):
		p.word("ONLINE")
		p.word("IGNORE")
		if !p.word("TABLE") || !name() {
			return nil, false
		}
	case p.word("DROP"):
		p.word("TEMPORARY")
		switch {
		case p.word("TABLE"):
			p.word("IF")
			p.word("EXISTS")
			for {
				if !name() {
					return nil, false
				}
				if !p.punct(',') {
					break
				}
			}
		case p.word("INDEX"):
			if !onTable(p, name) {
				return nil, false
			}
		default:
			return nil, false
		}
	case p.word("RENAME"):
		if !p.word("TABLE") {
			return nil, false
		}
		for {
			if !name() || !p.word("TO") || !name() {
				return nil, false
			}
			if !p.punct(',') {
				break
			}
		}
	default:
		return nil, false
	}
	// The rest may name parents of foreign keys, or a new name (ALTER
	// TABLE ... RENAME TO).
	for !p.eof() {
		switch c := p.s[p.i]; {
		case c == '\'' || c == '"':
			if _, ok := p.str(); !ok {
				return nil, false
			}
		case c == '`':
			p.ident()
		case sctWordByte(c):
			switch strings.ToUpper(p.anyWord()) {
			case "REFERENCES":
				if !name() {
					return nil, false
				}
			case "RENAME":
				if (p.word("TO") || p.word("AS")) && !name() {
					return nil, false
				}
			}
		default:
			p.i++
		}
	}
	return tables, true
}

// onTable reads "`index` ON `table`" and the table's name.
func onTable(p *sctParser, name func() bool) bool {
	if _, ok := p.ident(); !ok {
		return false
	}
	return p.word("ON") && name()
}
