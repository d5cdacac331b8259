package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// Stored routines and events.
//
// Verified on MariaDB 10.11: information_schema.EVENTS holds every fact
// SHOW CREATE EVENT renders (INTERVAL_VALUE as written, '1 4' quoted;
// INTERVAL_FIELD; STARTS, which the server fills with the creation time
// when the statement gives none; ENDS; EXECUTE_AT; STATUS ENABLED,
// DISABLED or SLAVESIDE_DISABLED; ON_COMPLETION; EVENT_COMMENT raw;
// EVENT_DEFINITION, the body as written). A routine's parameter list and a
// function's RETURNS clause are in SHOW CREATE only: the server keeps the
// parameter list as written ("IN a INT, OUT b varchar(10)") and renders
// RETURNS with its charset and collation; information_schema.ROUTINES has
// the rest (ROUTINE_DEFINITION is the body as written).

func (in *inspector) events(ctx context.Context) error {
	var (
		name, body, typ, onCompletion, status, comment string
		mode, cs, coll                                 string
		every, field, at, starts, ends                 sql.NullString
	)
	return in.queryGated(ctx, nil, `SELECT EVENT_NAME, EVENT_DEFINITION, EVENT_TYPE, INTERVAL_VALUE, INTERVAL_FIELD,
  DATE_FORMAT(EXECUTE_AT, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(STARTS, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(ENDS, '%Y-%m-%d %H:%i:%s'),
  ON_COMPLETION, STATUS, EVENT_COMMENT, SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION
FROM information_schema.EVENTS
WHERE EVENT_SCHEMA = DATABASE()
ORDER BY EVENT_NAME`,
		[]any{&name, &body, &typ, &every, &field, &at, &starts, &ends, &onCompletion, &status, &comment, &mode, &cs, &coll}, func() error {
			e := &schema.Event{
				Name: name, Body: body, At: at.String, Starts: starts.String, Ends: ends.String,
				Preserve: onCompletion == "PRESERVE", Status: status, Comment: comment,
				Context: in.d.inspectedContext(mode, cs, coll),
			}
			if typ == "RECURRING" {
				e.Every = every.String + " " + field.String
				e.At = ""
			} else {
				e.Starts, e.Ends = "", ""
			}
			in.s.Events = append(in.s.Events, e)
			return nil
		})
}

func (in *inspector) routines(ctx context.Context) error {
	var (
		name, kind, deterministic, access, security, comment string
		mode, cs, coll                                       string
		body                                                 sql.NullString
		hidden                                               []string
	)
	err := in.queryGated(ctx, nil, `SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION, IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT,
  SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION
FROM information_schema.ROUTINES
WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE IN ('PROCEDURE', 'FUNCTION')
ORDER BY ROUTINE_TYPE, ROUTINE_NAME`,
		[]any{&name, &kind, &body, &deterministic, &access, &security, &comment, &mode, &cs, &coll}, func() error {
			if !body.Valid {
				// The server hides the body (see privileges.go); a model
				// without it would differ.
				hidden = append(hidden, strings.ToLower(kind)+" "+sctQuoteIdent(name))
				return nil
			}
			in.s.Routines = append(in.s.Routines, &schema.Routine{
				Name: name, Kind: kind, Body: body.String, Deterministic: deterministic == "YES",
				DataAccess: access, Security: security, Comment: comment,
				Context: in.d.inspectedContext(mode, cs, coll),
			})
			return nil
		})
	if err != nil || len(hidden) == 0 {
		return err
	}
	db := sctQuoteIdent(in.s.Name)
	grant := "GRANT SELECT ON mysql.proc TO " + in.user + ": it lets the user read the routines of every database, nothing more"
	who := "its definer and to users that may read mysql.proc"
	if in.d.Flavor == MySQL {
		grant, who = "GRANT SHOW_ROUTINE ON *.* TO "+in.user, "its definer and to users with SHOW_ROUTINE"
	}
	return fmt.Errorf("user %s cannot read the definition of %s in %s: the server shows a routine's body only to %s; grant it (%s) or connect as a user that has it",
		in.user, strings.Join(hidden, ", "), db, who, grant)
}

// inspectedContext is a routine's or event's creation context as the
// model keeps it: only where it differs from Strata's session.
func (d *Dialect) inspectedContext(mode, cs, coll string) schema.CreationContext {
	c := schema.CreationContext{CharsetClient: cs, CollationConnection: coll, SQLMode: mode}
	if mode == "" {
		c.SQLMode = schema.SQLModeEmpty
	}
	d.normalizeContext(&c, true)
	return c
}

// routineStatements lists a SHOW CREATE PROCEDURE|FUNCTION per routine, for
// the parameter list as written and a function's RETURNS clause.
func (in *inspector) routineStatements() []exactStatement {
	stmts := make([]exactStatement, 0, len(in.s.Routines))
	for _, r := range in.s.Routines {
		q := "SHOW CREATE " + r.Kind + " " + sctQuoteIdent(r.Name)
		stmts = append(stmts, exactStatement{
			kind: strings.ToLower(r.Kind),
			name: r.Name,
			sql:  q,
			read: func(rows *sql.Rows) error {
				cols, err := rows.Columns()
				if err != nil {
					return err
				}
				vals := make([]sql.NullString, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := exactScanRow(rows, q, ptrs...); err != nil {
					return err
				}
				if len(cols) < 3 || !vals[2].Valid {
					return fmt.Errorf("%s shows no statement (the SHOW_ROUTINE privilege or ownership is needed)", q)
				}
				params, returns, ok := routineHeader(vals[2].String, r.Name)
				if !ok {
					return fmt.Errorf("cannot read the parameter list of %q from %s", vals[2].String, q)
				}
				r.Params, r.Returns = params, returns
				return nil
			},
		})
	}
	return stmts
}

// routineHeader finds, in SHOW CREATE PROCEDURE|FUNCTION's statement, the
// parameter list between the parentheses after the routine's name and the
// RETURNS clause up to the end of its line.
func routineHeader(stmt, name string) (params, returns string, ok bool) {
	// Under ANSI_QUOTES the server quotes the name with double quotes.
	quoted := sctQuoteIdent(name) + "("
	i := strings.Index(stmt, quoted)
	if i < 0 {
		quoted = `"` + strings.ReplaceAll(name, `"`, `""`) + `"(`
		if i = strings.Index(stmt, quoted); i < 0 {
			return "", "", false
		}
	}
	i += len(quoted)
	depth := 0
	for j := i; j < len(stmt); j++ {
		switch c := stmt[j]; c {
		case '\'', '"', '`':
			n := quotedLen(stmt[j:], c)
			j += n - 1
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
				continue
			}
			params = stmt[i:j]
			rest := stmt[j+1:]
			if r, found := strings.CutPrefix(rest, " RETURNS "); found {
				line, _, _ := strings.Cut(r, "\n")
				returns = line
			}
			return params, returns, true
		}
	}
	return "", "", false
}

// quotedLen is the length of the quoted text at the start of s (quote q),
// doubled quotes and backslash escapes included.
func quotedLen(s string, q byte) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if q != '`' {
				i++
			}
		case q:
			if i+1 < len(s) && s[i+1] == q {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}

// normalizeRoutines puts routines loaded from HCL into the server's form:
// upper-case kinds and characteristics with their defaults, the body
// without surrounding space and trailing delimiters.
func (d *Dialect) normalizeRoutines(s *schema.Schema) {
	for _, r := range s.Routines {
		r.Kind = strings.ToUpper(strings.TrimSpace(r.Kind))
		r.Params = strings.TrimSpace(r.Params)
		r.Returns = d.normalizeReturns(s, r.Returns)
		r.DataAccess = strings.Join(strings.Fields(strings.ToUpper(r.DataAccess)), " ")
		if r.DataAccess == "" {
			r.DataAccess = "CONTAINS SQL"
		}
		r.Security = strings.ToUpper(strings.TrimSpace(r.Security))
		if r.Security == "" {
			r.Security = "DEFINER"
		}
		r.Body = trimBody(r.Body)
		d.normalizeContext(&r.Context, true)
	}
}

var returnsWidths = map[string][2]string{ // signed, unsigned
	"tinyint": {"tinyint(4)", "tinyint(3)"}, "smallint": {"smallint(6)", "smallint(5)"},
	"mediumint": {"mediumint(9)", "mediumint(8)"}, "int": {"int(11)", "int(10)"},
	"integer": {"int(11)", "int(10)"}, "bigint": {"bigint(20)", "bigint(20)"},
	"bool": {"tinyint(1)", "tinyint(1)"}, "boolean": {"tinyint(1)", "tinyint(1)"},
}

// returnsCharset matches the character set and collation clauses of a
// RETURNS type.
var returnsCharset = regexp.MustCompile(`(?i)\s+(?:(?:CHARSET|CHARACTER\s+SET)\s+(\w+)|COLLATE\s+(\w+))`)

// normalizeReturns spells a function's return type as the server renders
// it (verified on MariaDB 10.11): int → int(11), int unsigned → int(10)
// unsigned, lower-case type names, json → longtext, and a text type with
// both its charset and collation (the database's when not given:
// "varchar(30) CHARSET utf8mb4 COLLATE utf8mb4_general_ci").
func (d *Dialect) normalizeReturns(s *schema.Schema, text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return ""
	}
	var cs, coll string
	for _, m := range returnsCharset.FindAllStringSubmatch(text, -1) {
		if m[1] != "" {
			cs = m[1]
		}
		if m[2] != "" {
			coll = m[2]
		}
	}
	text = strings.TrimSpace(returnsCharset.ReplaceAllString(text, ""))
	name, rest, _ := strings.Cut(text, " ")
	args := ""
	if open := strings.IndexByte(name, '('); open > 0 {
		name, args = name[:open], name[open:]
		if i := strings.IndexByte(text, '('); i >= 0 {
			// enum('a', 'b c'): the arguments may hold spaces.
			if j := strings.LastIndexByte(text, ')'); j > i {
				args, rest = text[i:j+1], strings.TrimSpace(text[j+1:])
			}
		}
	}
	name = strings.ToLower(name)
	if w, ok := returnsWidths[name]; ok && args == "" {
		if strings.EqualFold(rest, "unsigned") {
			return w[1] + " unsigned"
		}
		name = w[0]
	}
	if name == "integer" {
		name = "int"
	}
	textual := false
	switch name {
	case "json":
		name, textual = "longtext", true
		if cs == "" && coll == "" {
			cs, coll = "utf8mb4", "utf8mb4_bin"
		}
	default:
		textual = normalizeIsString(name)
	}
	out := name + args
	if rest != "" {
		out += " " + strings.ToLower(rest)
	}
	if textual {
		if cs == "" && coll == "" {
			cs, coll = s.Charset, s.Collate
		}
		cs, coll = d.normalizeCharset(cs, coll)
		out += " CHARSET " + cs + " COLLATE " + coll
	}
	return out
}

// trimBody drops the space around a body and any trailing delimiter.
func trimBody(s string) string {
	s = strings.TrimSpace(s)
	for strings.HasSuffix(s, ";") {
		s = strings.TrimSpace(strings.TrimSuffix(s, ";"))
	}
	return s
}

var dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// normalizeEvents puts events loaded from HCL into the server's form.
func (d *Dialect) normalizeEvents(es []*schema.Event) {
	for _, e := range es {
		e.Every = normalizeInterval(e.Every)
		e.At = normalizeEventTime(e.At)
		e.Starts = normalizeEventTime(e.Starts)
		e.Ends = normalizeEventTime(e.Ends)
		if e.Every == "" {
			e.Starts, e.Ends = "", ""
		}
		if e.Status == "" {
			e.Status = schema.EventEnabled
		}
		e.Body = trimBody(e.Body)
		d.normalizeContext(&e.Context, true)
	}
}

// normalizeInterval spells "1 day" as the server shows it: "1 DAY".
func normalizeInterval(s string) string {
	s = strings.TrimSpace(s)
	i := strings.LastIndexAny(s, " \t\n")
	if i < 0 {
		return s
	}
	return strings.TrimSpace(s[:i]) + " " + strings.ToUpper(s[i+1:])
}

// normalizeEventTime gives a date alone its midnight, as the server does.
func normalizeEventTime(s string) string {
	s = strings.Trim(strings.TrimSpace(s), "'")
	if dateOnly.MatchString(s) {
		return s + " 00:00:00"
	}
	return s
}

// eventScheduleSQL renders ON SCHEDULE's argument.
func eventScheduleSQL(e *schema.Event) string {
	if e.Every == "" {
		return "AT " + QuoteString(e.At)
	}
	s := "EVERY " + e.Every
	if e.Starts != "" {
		s += " STARTS " + QuoteString(e.Starts)
	}
	if e.Ends != "" {
		s += " ENDS " + QuoteString(e.Ends)
	}
	return s
}

func eventStatusSQL(status string) string {
	switch status {
	case schema.EventDisabled:
		return "DISABLE"
	case schema.EventSlavesideDisabled:
		return "DISABLE ON SLAVE"
	}
	return "ENABLE"
}

func eventCompletionSQL(preserve bool) string {
	if preserve {
		return "ON COMPLETION PRESERVE"
	}
	return "ON COMPLETION NOT PRESERVE"
}

// createEventSQL renders CREATE EVENT in SHOW CREATE EVENT's order.
func createEventSQL(e *schema.Event) string {
	var b strings.Builder
	b.WriteString("CREATE EVENT " + QuoteIdent(e.Name) + " ON SCHEDULE " + eventScheduleSQL(e) + " " +
		eventCompletionSQL(e.Preserve) + " " + eventStatusSQL(e.Status))
	if e.Comment != "" {
		b.WriteString(" COMMENT " + QuoteString(e.Comment))
	}
	b.WriteString(" DO " + e.Body)
	return b.String()
}

// alterEventSQL renders ALTER EVENT with the clauses that differ between
// from and to. A schedule left without STARTS keeps the live one: to's
// Starts is "" only when the desired schema does not say.
func alterEventSQL(from, to *schema.Event) string {
	var b strings.Builder
	b.WriteString("ALTER EVENT " + QuoteIdent(to.Name))
	if from.Every != to.Every || from.At != to.At || (to.Starts != "" && from.Starts != to.Starts) || from.Ends != to.Ends {
		b.WriteString(" ON SCHEDULE " + eventScheduleSQL(to))
	}
	if from.Preserve != to.Preserve {
		b.WriteString(" " + eventCompletionSQL(to.Preserve))
	}
	if from.Status != to.Status {
		b.WriteString(" " + eventStatusSQL(to.Status))
	}
	if from.Comment != to.Comment {
		b.WriteString(" COMMENT " + QuoteString(to.Comment))
	}
	// An ALTER EVENT takes the session's character set whatever it
	// changes, its sql_mode only with DO (verified on MariaDB 10.11): a
	// changed context sends the body again.
	if from.Body != to.Body || from.Context != to.Context {
		b.WriteString(" DO " + to.Body)
	}
	return b.String()
}

// createRoutineSQL renders CREATE [OR REPLACE] PROCEDURE|FUNCTION with the
// characteristics in SHOW CREATE's order.
func createRoutineSQL(r *schema.Routine, orReplace bool) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if orReplace {
		b.WriteString("OR REPLACE ")
	}
	b.WriteString(r.Kind + " " + QuoteIdent(r.Name) + "(" + r.Params + ")")
	if r.Kind == schema.RoutineFunction {
		b.WriteString(" RETURNS " + r.Returns)
	}
	if r.DataAccess != "" && r.DataAccess != "CONTAINS SQL" {
		b.WriteString("\n    " + r.DataAccess)
	}
	if r.Deterministic {
		b.WriteString("\n    DETERMINISTIC")
	}
	if r.Security != "" && r.Security != "DEFINER" {
		b.WriteString("\n    SQL SECURITY " + r.Security)
	}
	if r.Comment != "" {
		b.WriteString("\n    COMMENT " + QuoteString(r.Comment))
	}
	b.WriteString("\n" + r.Body)
	return b.String()
}

// generateRoutine returns the statements of a routine or event change.
func (d *Dialect) generateRoutine(c schema.Change) ([]dialect.Stmt, error) {
	switch c := c.(type) {
	case *schema.AddRoutine:
		if c.R == nil || c.R.Body == "" {
			return nil, fmt.Errorf("generate add routine: a body is required")
		}
		return stmts(d.underContext(c.R.Context, createRoutineSQL(c.R, false))...), nil
	case *schema.ModifyRoutine:
		if c.To == nil || c.To.Body == "" {
			return nil, fmt.Errorf("generate replace routine: a body is required")
		}
		if d.Flavor == MariaDB {
			return stmts(d.underContext(c.To.Context, createRoutineSQL(c.To, true))...), nil
		}
		return stmts(append([]string{"DROP " + c.From.Kind + " " + QuoteIdent(c.From.Name)},
			d.underContext(c.To.Context, createRoutineSQL(c.To, false))...)...), nil
	case *schema.DropRoutine:
		if c.R == nil {
			return nil, fmt.Errorf("generate drop routine: no routine")
		}
		return stmts("DROP " + c.R.Kind + " " + QuoteIdent(c.R.Name)), nil
	case *schema.AddEvent:
		if c.E == nil || c.E.Body == "" || (c.E.Every == "") == (c.E.At == "") {
			return nil, fmt.Errorf("generate add event: a body and either every or at are required")
		}
		return stmts(d.underContext(c.E.Context, createEventSQL(c.E))...), nil
	case *schema.ModifyEvent:
		if c.From == nil || c.To == nil || c.To.Body == "" {
			return nil, fmt.Errorf("generate alter event: a body is required")
		}
		return stmts(d.underContext(c.To.Context, alterEventSQL(c.From, c.To))...), nil
	case *schema.DropEvent:
		if c.E == nil {
			return nil, fmt.Errorf("generate drop event: no event")
		}
		return stmts("DROP EVENT " + QuoteIdent(c.E.Name)), nil
	}
	return nil, fmt.Errorf("generate: unsupported change %T", c)
}
