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
//   - ROUTINES, PARAMETERS, SHOW PROCEDURE|FUNCTION STATUS: no row but of
//     the routines the user is the definer of; SHOW CREATE PROCEDURE fails
//     (1305 "does not exist"). EXECUTE, ALTER ROUTINE or CREATE ROUTINE on
//     the database (ALL has them) show every row, with ROUTINE_DEFINITION
//     NULL, and SHOW CREATE with a NULL statement; SELECT on mysql.proc
//     (or mysql.*, or *.*) shows the bodies. 10.11 has no SHOW CREATE
//     ROUTINE privilege (11.3 adds it).
//   - EVENTS: no row, not even of the user's own events; SHOW EVENTS and
//     SHOW CREATE EVENT fail (1044). EVENT on the database shows them all;
//     SELECT on mysql.event does not.
//
// A view's body, the triggers, the routines and the events have no other
// source such a user can read: Inspect says which privilege is missing
// instead of reporting them changed or gone.

// readGrants reads SHOW GRANTS (the current user's, and its current
// role's) for what they show of the database's triggers, routines and
// events to this user; grantsUnknown says why they could not be read.
//
// Unlike a view, whose row stays visible with an empty definition, a
// hidden trigger, routine or event leaves no trace: asking what the user
// holds is the only way to know. It is one query, run beside the bulk
// queries.
func (in *inspector) readGrants(ctx context.Context) error {
	rows, err := in.q.QueryContext(ctx, "SHOW GRANTS")
	if err != nil {
		// Not knowing is not seeing: say so rather than fail.
		in.grantsUnknown = fmt.Sprintf("SHOW GRANTS failed (%v), so Strata cannot tell whether this user sees them all", err)
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
	in.objectGrant = parseObjectGrants(lines, in.s.Name, in.d.Flavor)
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
	eachGrant(lines, func(privs []string, routine bool, dbPart, table string) {
		shows := false
		for _, p := range privs {
			shows = shows || show[p]
		}
		if !shows || routine {
			return
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
	})
	return g
}

// objectGrant is what the grants say about the routines and events of one
// database.
type objectGrant struct {
	routineRows   bool // every routine shows, perhaps without its body
	routineBodies bool // every routine shows with its body
	events        bool // every event shows
}

// parseObjectGrants reads the lines of SHOW GRANTS for what they show of
// the routines and events of database db (see the top of this file). On
// MySQL, per its manual, SHOW_ROUTINE or a global SELECT show the bodies;
// it has no mysql.proc.
func parseObjectGrants(lines []string, db string, flavor Flavor) objectGrant {
	var g objectGrant
	eachGrant(lines, func(privs []string, routine bool, dbPart, table string) {
		if routine {
			return // one routine's privileges show that routine alone
		}
		global := dbPart == "*"
		onDB := global || (table == "*" && grantsLike(dbPart, db))
		proc := global || (flavor != MySQL && grantsLike(dbPart, "mysql") && (table == "*" || table == "proc"))
		for _, p := range privs {
			switch p {
			case "ALL", "ALL PRIVILEGES":
				g.routineRows = g.routineRows || onDB
				g.routineBodies = g.routineBodies || proc
				g.events = g.events || onDB
			case "EXECUTE", "ALTER ROUTINE", "CREATE ROUTINE":
				g.routineRows = g.routineRows || onDB
			case "SELECT":
				g.routineBodies = g.routineBodies || proc
			case "SHOW_ROUTINE":
				g.routineBodies = g.routineBodies || (global && flavor == MySQL)
			case "EVENT":
				g.events = g.events || onDB
			}
		}
	})
	g.routineRows = g.routineRows || g.routineBodies
	return g
}

// eachGrant calls f for each line of SHOW GRANTS that grants privileges on
// an object ("GRANT SELECT, TRIGGER ON `db`.* TO `app`@`%`"), with the
// privileges upper-cased, whether the object is a routine (ON PROCEDURE
// `db`.`p`), and its database and table names (* for all). Lines that
// grant roles, and column privileges (INSERT (`x`)), are left out.
func eachGrant(lines []string, f func(privs []string, routine bool, db, table string)) {
	for _, line := range lines {
		rest, ok := strings.CutPrefix(line, "GRANT ")
		if !ok {
			continue
		}
		i := grantsIndexTop(rest, " ON ")
		if i < 0 {
			continue // GRANT `role` TO `user`@`%`
		}
		var privs []string
		for _, p := range sctSplitTop(rest[:i]) {
			privs = append(privs, strings.ToUpper(strings.TrimSpace(p)))
		}
		p := &sctParser{s: rest[i+len(" ON "):]}
		p.word("TABLE")
		routine := false
		if w := p.peekWord(); w == "PROCEDURE" || w == "FUNCTION" || w == "PACKAGE" {
			routine = true
			p.word(w)
		}
		dbPart, ok := grantsName(p)
		if !ok || !p.punct('.') {
			continue
		}
		table, ok := grantsName(p)
		if !ok {
			continue
		}
		f(privs, routine, dbPart, table)
	}
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
