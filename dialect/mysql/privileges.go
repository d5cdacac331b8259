package mysql

import (
	"context"
	"fmt"
	"strings"
)

// What a user without privileges beyond SELECT can see (MariaDB
// 10.11.19, each statement run as a user holding SELECT ON db.* alone):
//
//   - REFERENTIAL_CONSTRAINTS, TABLE_CONSTRAINTS: no row. Any other
//     privilege on the table (SHOW VIEW, REFERENCES, TRIGGER, INSERT, …)
//     shows them. KEY_COLUMN_USAGE, CHECK_CONSTRAINTS, STATISTICS, COLUMNS,
//     TABLES, PARTITIONS and SHOW CREATE TABLE show everything, so
//     exactForeignKeys takes the keys' actions from SHOW CREATE TABLE.
//   - VIEWS: the row, with an empty VIEW_DEFINITION; SHOW CREATE VIEW fails
//     (1142 "SHOW VIEW command denied"). SHOW VIEW shows both.
//   - TRIGGERS, SHOW TRIGGERS: no row, and nothing else says that a trigger
//     exists. TRIGGER, INSERT, UPDATE or DELETE on the table show the rows;
//     SHOW CREATE TRIGGER needs TRIGGER (1227 otherwise).
//   - ROUTINES: no row (EXECUTE shows it with ROUTINE_DEFINITION NULL;
//     SELECT ON mysql.proc shows the body); EVENTS: no row, SHOW EVENTS
//     fails (1044) without EVENT.
//
// A view's body and the triggers have no other source such a user can
// read: Inspect says which privilege is missing instead of reporting them
// changed or gone.

// triggerGrants reads SHOW GRANTS (the current user's, and its current
// role's) and reports whether they show every trigger of the database to
// this user; why not, when they do not.
//
// Unlike a view, whose row stays visible with an empty definition, a
// hidden trigger leaves no trace: asking what the user holds is the only
// way to know. It is one query, run beside the bulk queries.
func (in *inspector) triggerGrants(ctx context.Context) error {
	rows, err := in.q.QueryContext(ctx, "SHOW GRANTS")
	if err != nil {
		// Not knowing is not seeing: say so rather than fail.
		in.triggersHidden = fmt.Sprintf("SHOW GRANTS failed (%v), so Strata cannot tell whether this user sees every trigger", err)
		return nil
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	in.triggerGrant = parseTriggerGrants(lines, in.s.Name, in.d.Flavor)
	return rows.Close()
}

// triggerGrant is what the grants say about triggers of one database.
type triggerGrant struct {
	all    bool            // a global or database-level grant shows them all
	tables map[string]bool // table-level grants that show a table's
}

// sees reports whether the grant shows the triggers of every table.
func (g triggerGrant) sees(tables []string) bool {
	if g.all {
		return true
	}
	for _, t := range tables {
		if !g.tables[t] {
			return false
		}
	}
	return true
}

// parseTriggerGrants reads the lines of SHOW GRANTS ("GRANT SELECT, TRIGGER
// ON `db`.* TO `app`@`%`") for database db. On MariaDB a table's triggers
// show to holders of TRIGGER, INSERT, UPDATE or DELETE on it (verified); on
// MySQL, per its manual, of TRIGGER. Lines that grant roles, routines or
// column privileges show none.
func parseTriggerGrants(lines []string, db string, flavor Flavor) triggerGrant {
	show := map[string]bool{"ALL PRIVILEGES": true, "ALL": true, "TRIGGER": true}
	if flavor != MySQL {
		show["INSERT"], show["UPDATE"], show["DELETE"] = true, true, true
	}
	var g triggerGrant
	for _, line := range lines {
		rest, ok := strings.CutPrefix(line, "GRANT ")
		if !ok {
			continue
		}
		i := grantsIndexTop(rest, " ON ")
		if i < 0 {
			continue // GRANT `role` TO `user`@`%`
		}
		shows := false
		for _, p := range sctSplitTop(rest[:i]) {
			if show[strings.ToUpper(strings.TrimSpace(p))] {
				shows = true
			}
		}
		if !shows {
			continue
		}
		p := &sctParser{s: rest[i+len(" ON "):]}
		p.word("TABLE")
		if w := p.peekWord(); w == "PROCEDURE" || w == "FUNCTION" || w == "PACKAGE" {
			continue
		}
		dbPart, ok := grantsName(p)
		if !ok || !p.punct('.') {
			continue
		}
		table, ok := grantsName(p)
		if !ok {
			continue
		}
		switch {
		case dbPart == "*":
			g.all = true
		case table == "*" && grantsLike(dbPart, db):
			g.all = true
		case table != "*" && dbPart == db:
			if g.tables == nil {
				g.tables = map[string]bool{}
			}
			g.tables[table] = true
		}
	}
	return g
}

// grantsName reads `name`, a bare name or * from a grant's object.
func grantsName(p *sctParser) (string, bool) {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '*' {
		p.i++
		return "*", true
	}
	return p.ident()
}

// grantsIndexTop finds sep in s outside backquotes and parentheses.
func grantsIndexTop(s, sep string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '`':
			i += sctIdentLen(s[i:]) - 1
		case '(':
			depth++
		case ')':
			depth--
		default:
			if depth == 0 && strings.HasPrefix(s[i:], sep) {
				return i
			}
		}
	}
	return -1
}

// grantsLike matches a database-level grant's name, a LIKE pattern (_ and
// % are wildcards, \ escapes), against name.
func grantsLike(pattern, name string) bool {
	if pattern == "" {
		return name == ""
	}
	switch c := pattern[0]; {
	case c == '%':
		for i := 0; i <= len(name); i++ {
			if grantsLike(pattern[1:], name[i:]) {
				return true
			}
		}
		return false
	case c == '_':
		return name != "" && grantsLike(pattern[1:], name[1:])
	case c == '\\' && len(pattern) > 1:
		return name != "" && name[0] == pattern[1] && grantsLike(pattern[2:], name[1:])
	default:
		return name != "" && name[0] == c && grantsLike(pattern[1:], name[1:])
	}
}

// grantsAccount renders CURRENT_USER() (app@%) as a GRANT statement names
// it: 'app'@'%'.
func grantsAccount(current string) string {
	i := strings.LastIndexByte(current, '@')
	if i < 0 {
		return "'" + current + "'"
	}
	return "'" + current[:i] + "'@'" + current[i+1:] + "'"
}
