package revision

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// A hand-written revision (strata revision new) holds SQL a person wrote:
// data migrations (UPDATE, INSERT, DELETE) and DDL the planner does not
// make. Its header says "-- kind: hand-written"; its sections are split into
// statements by splitSQL, which knows strings, comments and BEGIN ... END
// bodies, so no "-- +begin" blocks are needed. Each DML statement of one
// runs in a transaction together with the record of its progress: a crash
// leaves it either done and recorded, or not done and not recorded.

// handWrittenKind is the header value of a hand-written revision.
const handWrittenKind = "hand-written"

// handWrittenTitle replaces the generated title line: this file is meant to
// be edited until it is applied somewhere.
const handWrittenTitle = "-- strata revision, hand-written: write its SQL below, then run strata rehash; never edit it once applied"

// NewHandWritten returns an empty hand-written revision to be placed after
// the head of dir (Dir.Write sets its parent). fromHash is the schema hash
// the head leaves ("" when unknown).
func NewHandWritten(slug, fromHash, author string, created time.Time) *Revision {
	r := New(nil, nil, Meta{Slug: slug, Author: author, Created: created})
	r.HandWritten = true
	r.FromHash = fromHash
	return r
}

// SetSQL splits up and down into the revision's statements. A DML-only up
// side leaves the schema as it was, so the to-hash is the from-hash; with
// anything else it is unknown until the revision runs ("").
func (r *Revision) SetSQL(up, down string) error {
	ups, err := splitSQL(up, 1)
	if err != nil {
		return fmt.Errorf("up SQL: %w", err)
	}
	downs, err := splitSQL(down, 1)
	if err != nil {
		return fmt.Errorf("down SQL: %w", err)
	}
	r.Up, r.Down = ups, downs
	r.ToHash = ""
	if r.FromHash != "" {
		r.ToHash = r.FromHash
		for _, s := range ups {
			if kindOf(s.SQL) != kindDML {
				r.ToHash = ""
				break
			}
		}
	}
	return nil
}

// splitError is a section of hand-written SQL that cannot be split.
type splitError struct {
	Line int
	Msg  string
}

func (e *splitError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// splitSQL splits hand-written SQL into statements ended by ";", skipping
// comments between statements. It knows '...', "..." and `...` quoting
// (with \ escapes and doubled quotes), -- and # line comments, /* */
// comments, and BEGIN ... END bodies of CREATE TRIGGER / PROCEDURE /
// FUNCTION / EVENT statements (with CASE ... END inside; END IF, END LOOP,
// END WHILE, END REPEAT close what they name), so that a ";" inside them
// does not end the statement: no DELIMITER is needed. line is the file line
// of src's first line; each statement records the line it starts on. A last
// statement without ";" is taken as it is. A "-- no-transaction" line
// between statements marks the next one NoTx.
func splitSQL(src string, line int) ([]Statement, error) {
	var out []Statement
	start := -1 // byte offset of the current statement, -1 between statements
	startLine := 0
	depth := 0
	isCreate := false
	var words []string // the current statement's keywords so far, upper case (first few)
	noTx := false      // a "-- no-transaction" line came before the next statement
	n := len(src)
	emit := func(end int) {
		text := strings.TrimSpace(src[start:end])
		if text != "" {
			out = append(out, Statement{SQL: text, Line: startLine, NoTx: noTx})
			noTx = false
		}
		start, depth, isCreate, words = -1, 0, false, nil
	}
	for i := 0; i < n; {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r':
			i++
			continue
		case c == '#' || (c == '-' && i+1 < n && src[i+1] == '-' && (i+2 == n || src[i+2] == ' ' || src[i+2] == '\t' || src[i+2] == '\n' || src[i+2] == '\r')):
			from := i
			for i < n && src[i] != '\n' {
				i++
			}
			if start < 0 && strings.TrimSpace(src[from:i]) == noTxLine {
				noTx = true
			}
			continue
		case c == '/' && i+1 < n && src[i+1] == '*':
			at := line
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				return nil, &splitError{Line: at, Msg: "comment /* is not closed with */"}
			}
			line += strings.Count(src[i:i+2+j+2], "\n")
			i += 2 + j + 2
			continue
		}
		if start < 0 {
			start, startLine = i, line
		}
		switch {
		case c == '\'' || c == '"' || c == '`':
			at := line
			j := i + 1
			closed := false
			for j < n {
				if src[j] == '\\' && c != '`' && j+1 < n {
					if src[j+1] == '\n' {
						line++
					}
					j += 2
					continue
				}
				if src[j] == '\n' {
					line++
				}
				if src[j] == c {
					if j+1 < n && src[j+1] == c { // doubled quote
						j += 2
						continue
					}
					closed = true
					j++
					break
				}
				j++
			}
			if !closed {
				return nil, &splitError{Line: at, Msg: fmt.Sprintf("quote %c is not closed", c)}
			}
			i = j
		case c == ';':
			if depth > 0 {
				i++
				continue
			}
			emit(i)
			i++
		case isWordByte(c):
			j := i
			for j < n && isWordByte(src[j]) {
				j++
			}
			w := strings.ToUpper(src[i:j])
			if len(words) < 8 {
				words = append(words, w)
				if len(words) == 1 {
					isCreate = w == "CREATE"
				}
			}
			switch w {
			case "BEGIN":
				if isCreate {
					depth++
				}
			case "CASE":
				if depth > 0 || isCreate {
					depth++
				}
			case "END":
				if depth > 0 {
					next := nextWord(src[j:])
					switch next {
					case "IF", "LOOP", "WHILE", "REPEAT":
					default:
						depth--
					}
				}
			}
			i = j
		default:
			i++
		}
	}
	if start >= 0 {
		if depth > 0 {
			return nil, &splitError{Line: startLine, Msg: "BEGIN without a matching END"}
		}
		emit(n)
	}
	return out, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// nextWord returns the next word of s upper-cased, after spaces.
func nextWord(s string) string {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	j := 0
	for j < len(s) && isWordByte(s[j]) {
		j++
	}
	return strings.ToUpper(s[:j])
}

// Statement kinds, as a hand-written revision runs them.
const (
	kindDML    = iota // rows: run in a transaction with its progress record
	kindSchema        // tables, views, triggers, indexes: the live hash shows whether it ran
	kindOpaque        // anything else: after a crash, nothing can tell whether it ran
)

// kindOf classifies a statement by its leading keywords.
func kindOf(stmt string) int {
	var ws []string
	rest := stmt
	for len(ws) < 5 {
		rest = strings.TrimLeft(rest, " \t\r\n(")
		if strings.HasPrefix(rest, "/*") {
			if j := strings.Index(rest, "*/"); j >= 0 {
				rest = rest[j+2:]
				continue
			}
		}
		if strings.HasPrefix(rest, "--") || strings.HasPrefix(rest, "#") {
			if j := strings.IndexByte(rest, '\n'); j >= 0 {
				rest = rest[j+1:]
				continue
			}
			break
		}
		w := nextWord(rest)
		if w == "" {
			break
		}
		ws = append(ws, w)
		rest = rest[len(w):]
	}
	if len(ws) == 0 {
		return kindOpaque
	}
	switch ws[0] {
	case "INSERT", "UPDATE", "DELETE", "REPLACE", "SELECT", "WITH", "VALUES", "TABLE":
		return kindDML
	case "CREATE", "ALTER", "DROP", "RENAME":
		for _, w := range ws[1:] {
			switch w {
			case "TABLE", "TABLES", "VIEW", "TRIGGER", "INDEX":
				return kindSchema
			case "PROCEDURE", "FUNCTION", "EVENT", "DATABASE", "SCHEMA", "USER", "ROLE", "SERVER", "SEQUENCE", "TEMPORARY":
				return kindOpaque
			}
		}
	}
	return kindOpaque
}

// txBeginner is a connection that can start a transaction (*sql.Conn,
// *sql.DB).
type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// runInTx runs a DML statement i of a hand-written revision and records it
// done in one transaction, so that a crash never leaves it run but not
// recorded (or recorded but not run). ok is false when q cannot hold a
// transaction: the caller runs the statement as any other.
func runInTx(ctx context.Context, q any, st *Store, version string, i int, stmt string) (ok bool, err error) {
	b, can := q.(txBeginner)
	if !can {
		return false, nil
	}
	tx, err := b.BeginTx(ctx, nil)
	if err != nil {
		return true, err
	}
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return true, errors.Join(err, tx.Rollback())
	}
	txStore := &Store{Q: tx, Dialect: st.Dialect}
	if err := txStore.Progress(ctx, version, i+1); err != nil {
		return true, errors.Join(fmt.Errorf("record statement %d with its transaction: %w", i+1, err), tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return true, err
	}
	return true, nil
}

// opaqueStatement reports a statement of a hand-written revision whose
// effect neither a transaction nor the schema hash can settle after a
// crash.
func opaqueStatement(stmt string) bool { return kindOf(stmt) == kindOpaque }

// OpaqueError reports a statement of a hand-written revision that a run
// died during and whose effect nothing can tell: Strata does not guess. A
// person checks by hand and says what they found with strata revision
// settle; the resume then goes on.
type OpaqueError struct {
	Version   string
	Name      string // the file's name (Revision.Name), "" when unknown
	File      string
	Index     int // 0-based
	Line      int
	Statement string
	Direction string // Up or Down: the run that died
	// Env, when set, is the environment's name for the commands the
	// message gives.
	Env string
}

func (e *OpaqueError) Error() string {
	at := ""
	if e.File != "" && e.Line > 0 {
		at = fmt.Sprintf(" (%s line %d)", e.File, e.Line)
	}
	name := e.Version
	if e.Name != "" {
		name = strings.TrimSuffix(e.Name, ".sql")
	}
	return fmt.Sprintf("revision %s: an earlier run died during statement %d%s, a statement that neither runs in a transaction nor changes a table, view or trigger, so Strata cannot tell whether it took effect: %s\n%s",
		name, e.Index+1, at, firstLine(e.Statement), settleHelp(e.Env, e.Direction))
}

// settleHelp tells how to settle an uncertain statement and go on.
func settleHelp(env, direction string) string {
	if env == "" {
		env = "NAME"
	}
	again := "apply"
	if direction == Down {
		again = "rollback"
	}
	return fmt.Sprintf("Check by hand whether it took effect, then say so and resume:\n"+
		"  strata revision settle --env %[1]s --took-effect   # it did: the resume goes on after it\n"+
		"  strata revision settle --env %[1]s --no-effect     # it did not (or you undid it): the resume runs it again\n"+
		"  strata %[2]s --env %[1]s", env, again)
}

// Unsettled returns the *OpaqueError that stops a resume of r from rec, nil
// when the resume can settle the statement the run died during itself (or
// there is none).
func (r *Revision) Unsettled(rec *Record) error {
	if rec.Running < 0 || rec.Running != rec.Done {
		return nil
	}
	ss := r.Up
	if rec.Direction == Down {
		ss = r.Down
	}
	o := r.handWrittenOptions(RunOptions{Direction: rec.Direction}, ss)
	if o.opaque == nil {
		return nil
	}
	return o.opaque(rec.Running)
}

// parseHandWritten reads the sections of a hand-written revision from
// lines[from:] (0-based; lines[from] is the first line after "-- +up"
// when up, else after "-- +down").
func parseHandWritten(r *Revision, lines []string, from int, up bool) error {
	down := -1
	if up {
		for j := from; j < len(lines); j++ {
			if strings.TrimRight(lines[j], " \t\r") == downMarker {
				down = j
				break
			}
			if strings.TrimRight(lines[j], " \t\r") == upMarker {
				return &splitError{Line: j + 1, Msg: upMarker + " must come once, before " + downMarker}
			}
		}
		if down < 0 {
			return &splitError{Line: len(lines), Msg: "missing " + downMarker + " section"}
		}
		ups, err := splitSQL(strings.Join(lines[from:down], "\n"), from+1)
		if err != nil {
			return err
		}
		r.Up = ups
		from = down + 1
	}
	for j := from; j < len(lines); j++ {
		if t := strings.TrimRight(lines[j], " \t\r"); t == upMarker || t == downMarker {
			return &splitError{Line: j + 1, Msg: t + " given twice"}
		}
	}
	downs, err := splitSQL(strings.Join(lines[from:], "\n"), from+1)
	if err != nil {
		return err
	}
	r.Down = downs
	return nil
}

// handWrittenOptions adapts a run of a hand-written revision: one statement
// at a time (a person's statements may depend on each other in ways no
// table list shows), and a resume that stops at an opaque statement rather
// than guess.
func (r *Revision) handWrittenOptions(o RunOptions, ss []Statement) RunOptions {
	if !r.HandWritten {
		return o
	}
	o.Parallel = 0
	o.opaque = func(i int) error {
		if i >= len(ss) || !opaqueStatement(ss[i].SQL) {
			return nil
		}
		return &OpaqueError{Version: r.Version, Name: r.Name(), File: r.File, Index: i, Line: ss[i].Line, Statement: ss[i].SQL, Direction: o.Direction}
	}
	return o
}

// atLine says where in its file a failing statement of a hand-written
// revision is.
func (r *Revision) atLine(dir string, i int, err error) error {
	if !r.HandWritten {
		return err
	}
	ss := r.Up
	if dir == Down {
		ss = r.Down
	}
	if i >= len(ss) || ss[i].Line == 0 {
		return err
	}
	return fmt.Errorf("%w (statement %d, %s line %d)", err, i+1, r.File, ss[i].Line)
}
