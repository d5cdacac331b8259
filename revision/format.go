package revision

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
)

// The file format:
//
//	-- strata revision: do not edit; strata.sum guards this file
//	-- version: 20261127093000
//	-- parent: none
//	-- from: <schema hash before>
//	-- to: <schema hash after>
//	-- env: dev
//	-- dialect: mysql
//	-- created: 2026-11-27T09:30:00Z
//	-- author: alice
//
//	-- +up
//	-- hazard: destructive: drops column users.name and its data
//	-- check: {"kind":"values","table":"users","columns":["name"]}
//	ALTER TABLE `users` DROP COLUMN `name`;
//
//	-- hazard: locking: changing the type of `users`.`n` (int → bigint) copies table `users`
//	-- copies: {"table":"users","clauses":"MODIFY COLUMN `n` bigint NOT NULL","why":"..."}
//	ALTER TABLE `users` MODIFY COLUMN `n` bigint NOT NULL;
//
//	-- +down
//	-- irreversible
//	-- hazard: irreversible: ...
//	ALTER TABLE `users` ADD COLUMN `name` varchar(100) NULL;
//
// A baseline (strata baseline) has the header line "-- kind: baseline"
// after the title, and a down section of only "-- irreversible" and a
// comment: it cannot be rolled back.
//
// The dialect line names the dialect the statements are written for
// (dialect.Dialect.Name). Files written before it existed have none: they
// are of the dialect of the environment their directory serves.
//
// A "-- check:" line follows the hazard it sizes: the count of live rows,
// as JSON (dialect.DataCheck), that a promotion runs on its target. Older
// readers take it for a comment.
//
// A "-- copies:" line marks a statement the server runs only as a table
// copy that blocks writes (dialect.TableCopy, as JSON): an environment with
// an online_schema_change block hands it to its engine when the table is
// big enough. Older readers take it for a comment.
//
// A "-- no-transaction" line marks a statement that cannot run in a
// transaction (PostgreSQL's CREATE INDEX CONCURRENTLY): where a revision
// runs in transactions, it runs alone, in autocommit, as its own recorded
// step. A hand-written revision may put the line before a statement too.
// Older readers take it for a comment.
//
// A statement ends at the first line ending in ";". A statement that has such
// a line inside it (a trigger body), or that starts with a comment, is
// written between "-- +begin" and "-- +end" lines instead, verbatim.
const (
	titleLine   = "-- strata revision: do not edit; strata.sum guards this file"
	upMarker    = "-- +up"
	downMarker  = "-- +down"
	beginMarker = "-- +begin"
	endMarker   = "-- +end"
	hazardPfx   = "-- hazard: "
	checkPfx    = "-- check: "
	notePfx     = "-- note: "
	copiesPfx   = "-- copies: "
	irrevLine   = "-- irreversible"
	noTxLine    = "-- no-transaction"
	noParent    = "none"
	timeLayout  = time.RFC3339
)

// fileName matches a revision file name and captures version and slug.
var fileName = regexp.MustCompile(`^([0-9]{14})(?:_([A-Za-z0-9_.-]+))?\.sql$`)

// Format renders a revision as its file's bytes. Parse(name, Format(r))
// gives r back.
func Format(r *Revision) []byte {
	var b bytes.Buffer
	if r.HandWritten {
		b.WriteString(handWrittenTitle + "\n")
	} else {
		b.WriteString(titleLine + "\n")
	}
	header := func(k, v string) { fmt.Fprintf(&b, "-- %s: %s\n", k, v) }
	switch {
	case r.HandWritten:
		header("kind", handWrittenKind)
	case r.Baseline:
		header("kind", baselineKind)
	}
	header("version", r.Version)
	if r.Parent == "" {
		header("parent", noParent)
	} else {
		header("parent", r.Parent)
	}
	header("from", r.FromHash)
	header("to", r.ToHash)
	if r.Env != "" {
		header("env", oneLine(r.Env))
	}
	if r.Dialect != "" {
		header("dialect", oneLine(r.Dialect))
	}
	header("created", r.Created.UTC().Format(timeLayout))
	if r.Author != "" {
		header("author", oneLine(r.Author))
	}
	if r.HandWritten {
		writeHandWritten(&b, r)
		return b.Bytes()
	}
	b.WriteString("\n" + upMarker + "\n")
	writeStatements(&b, r.Up)
	b.WriteString("\n" + downMarker + "\n")
	if r.Baseline {
		b.WriteString(irrevLine + "\n" + baselineDown + "\n")
		return b.Bytes()
	}
	writeStatements(&b, r.Down)
	return b.Bytes()
}

// writeHandWritten writes the sections of a hand-written revision: each
// statement ended by ";" (splitSQL reads them back), or a reminder of what
// goes there when a section is empty.
func writeHandWritten(b *bytes.Buffer, r *Revision) {
	section := func(marker string, ss []Statement, hint string) {
		b.WriteString("\n" + marker + "\n")
		if len(ss) == 0 {
			b.WriteString(hint + "\n")
		}
		for i, s := range ss {
			if i > 0 {
				b.WriteString("\n")
			}
			if s.NoTx {
				b.WriteString(noTxLine + "\n")
			}
			b.WriteString(s.SQL + ";\n")
		}
	}
	section(upMarker, r.Up, "-- SQL to run, each statement ended by \";\" (DML, or DDL the schema does not describe).")
	section(downMarker, r.Down, "-- SQL that undoes it, run by strata rollback (empty: rollback runs nothing).")
}

func writeStatements(b *bytes.Buffer, ss []Statement) {
	for i, s := range ss {
		if i > 0 {
			b.WriteString("\n")
		}
		if s.Irreversible {
			b.WriteString(irrevLine + "\n")
		}
		for j, h := range s.Hazards {
			b.WriteString(hazardPfx + oneLine(h) + "\n")
			if j < len(s.Checks) && s.Checks[j] != nil {
				if js, err := json.Marshal(s.Checks[j]); err == nil {
					b.WriteString(checkPfx + string(js) + "\n")
				}
			}
		}
		if s.Comment != "" {
			b.WriteString(notePfx + oneLine(s.Comment) + "\n")
		}
		if s.Copy != nil {
			if js, err := json.Marshal(s.Copy); err == nil {
				b.WriteString(copiesPfx + string(js) + "\n")
			}
		}
		if s.NoTx {
			b.WriteString(noTxLine + "\n")
		}
		if needsBlock(s.SQL) {
			b.WriteString(beginMarker + "\n" + s.SQL + "\n" + endMarker + "\n")
		} else {
			b.WriteString(s.SQL + ";\n")
		}
	}
}

// needsBlock reports whether a statement cannot be written as plain lines
// ended by ";" and read back unchanged.
func needsBlock(sql string) bool {
	lines := strings.Split(sql, "\n")
	first := strings.TrimSpace(lines[0])
	if first == "" || strings.HasPrefix(first, "--") {
		return true
	}
	for i, l := range lines {
		if isMarker(l) {
			return true
		}
		if i < len(lines)-1 && strings.HasSuffix(strings.TrimRight(l, " \t\r"), ";") {
			return true
		}
	}
	return false
}

func isMarker(l string) bool {
	switch strings.TrimRight(l, " \t\r") {
	case upMarker, downMarker, beginMarker, endMarker:
		return true
	}
	return false
}

// annotated reports whether s, waiting for its statement, has annotations.
func (s *Statement) annotated() bool {
	return s.Irreversible || s.Hazards != nil || s.Comment != "" || s.NoTx
}

// ParseError is a revision file that cannot be read.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Parse reads a revision file. name is its path (the base name gives the
// version and slug); the header's version must match it.
func Parse(name string, b []byte) (*Revision, error) {
	base := filepath.Base(name)
	m := fileName.FindStringSubmatch(base)
	if m == nil {
		return nil, &ParseError{File: name, Msg: "not a revision file name (want <yyyymmddHHMMSS>_<slug>.sql)"}
	}
	r := &Revision{Slug: m[2], File: name, Checksum: Checksum(b)}
	perr := func(line int, format string, args ...any) error {
		return &ParseError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	text := string(b)
	text = strings.TrimSuffix(text, "\n")
	lines := strings.Split(text, "\n")

	const (
		inHeader = iota
		inUp
		inDown
	)
	section := inHeader
	seen := map[string]bool{}
	var pending Statement // annotations waiting for their statement
	var stmt []string     // lines of the statement being read
	stmtStart := 0
	inBlock := false
	add := func(sql string) {
		pending.SQL = sql
		if section == inUp {
			r.Up = append(r.Up, pending)
		} else {
			r.Down = append(r.Down, pending)
		}
		pending = Statement{}
	}
	for i, l := range lines {
		n := i + 1
		if inBlock {
			if strings.TrimRight(l, " \t\r") == endMarker {
				add(strings.Join(stmt, "\n"))
				stmt, inBlock = nil, false
				continue
			}
			stmt = append(stmt, l)
			continue
		}
		trimmed := strings.TrimRight(l, " \t\r")
		if trimmed == upMarker || trimmed == downMarker {
			if stmt != nil {
				return nil, perr(stmtStart, "statement not ended with \";\"")
			}
			if pending.annotated() {
				return nil, perr(n, "annotations without a statement before %s", trimmed)
			}
			if trimmed == upMarker {
				if section != inHeader {
					return nil, perr(n, "%s must come once, before %s", upMarker, downMarker)
				}
				section = inUp
			} else {
				if section != inUp {
					return nil, perr(n, "%s must follow %s", downMarker, upMarker)
				}
				section = inDown
			}
			continue
		}
		if section == inHeader {
			if err := parseHeader(r, trimmed, seen); err != nil {
				return nil, perr(n, "%v", err)
			}
			continue
		}
		if r.HandWritten {
			// Split by statement syntax, not by lines: the section is the
			// person's SQL.
			if err := parseHandWritten(r, lines, i, section == inUp); err != nil {
				var se *splitError
				if errors.As(err, &se) {
					return nil, perr(se.Line, "%s", se.Msg)
				}
				return nil, perr(n, "%v", err)
			}
			section = inDown
			break
		}
		if stmt == nil {
			switch {
			case trimmed == "":
				continue
			case trimmed == beginMarker:
				inBlock, stmt, stmtStart = true, []string{}, n
				continue
			case trimmed == irrevLine:
				pending.Irreversible = true
				continue
			case trimmed == noTxLine:
				pending.NoTx = true
				continue
			case strings.HasPrefix(trimmed, hazardPfx):
				pending.Hazards = append(pending.Hazards, strings.TrimPrefix(trimmed, hazardPfx))
				continue
			case strings.HasPrefix(trimmed, checkPfx):
				j := len(pending.Hazards) - 1
				if j < 0 || j < len(pending.Checks) {
					return nil, perr(n, "a %q line must follow the hazard line it sizes", strings.TrimSpace(checkPfx))
				}
				var c planner.DataCheck
				if err := json.Unmarshal([]byte(strings.TrimPrefix(trimmed, checkPfx)), &c); err != nil || c.Kind == "" || c.Table == "" {
					return nil, perr(n, "unreadable check %q", strings.TrimPrefix(trimmed, checkPfx))
				}
				for len(pending.Checks) < j {
					pending.Checks = append(pending.Checks, nil)
				}
				pending.Checks = append(pending.Checks, &c)
				continue
			case strings.HasPrefix(trimmed, notePfx):
				pending.Comment = strings.TrimPrefix(trimmed, notePfx)
				continue
			case strings.HasPrefix(trimmed, copiesPfx):
				var c dialect.TableCopy
				if err := json.Unmarshal([]byte(strings.TrimPrefix(trimmed, copiesPfx)), &c); err != nil || c.Table == "" || c.Clauses == "" {
					return nil, perr(n, "unreadable copies line %q", strings.TrimPrefix(trimmed, copiesPfx))
				}
				pending.Copy = &c
				continue
			case strings.HasPrefix(trimmed, "--"):
				continue // a reader's comment
			}
			stmtStart = n
		}
		if strings.HasSuffix(trimmed, ";") {
			stmt = append(stmt, trimmed[:len(trimmed)-1])
			add(strings.Join(stmt, "\n"))
			stmt = nil
			continue
		}
		stmt = append(stmt, l)
	}
	switch {
	case inBlock:
		return nil, perr(stmtStart, "%s without %s", beginMarker, endMarker)
	case stmt != nil:
		return nil, perr(stmtStart, "statement not ended with \";\"")
	case section != inDown:
		return nil, perr(0, "missing %s or %s section", upMarker, downMarker)
	case r.Baseline && len(r.Down) > 0:
		return nil, perr(0, "a baseline revision has no down statements (it cannot be rolled back)")
	case r.Baseline && section == inDown && pending.Irreversible && pending.Hazards == nil && pending.Comment == "" && !pending.NoTx:
		// The down section of a baseline: only its irreversible mark.
	case pending.annotated():
		return nil, perr(len(lines), "annotations without a statement at the end of the file")
	}
	for _, k := range []string{"version", "parent", "from", "to", "created"} {
		if !seen[k] {
			return nil, perr(0, "header has no %q line", k)
		}
	}
	if r.Version != m[1] {
		return nil, perr(0, "header version %s does not match the file name %s (was the file renamed?)", r.Version, base)
	}
	return r, nil
}

func parseHeader(r *Revision, l string, seen map[string]bool) error {
	if l == "" || l == titleLine {
		return nil
	}
	rest, ok := strings.CutPrefix(l, "-- ")
	if !ok {
		return fmt.Errorf("unexpected line before %s: %q", upMarker, l)
	}
	k, v, ok := strings.Cut(rest, ":")
	if !ok {
		return nil // a comment
	}
	v = strings.TrimSpace(v)
	if seen[k] {
		return fmt.Errorf("header %q given twice", k)
	}
	switch k {
	case "version":
		if _, err := time.Parse(VersionLayout, v); err != nil {
			return fmt.Errorf("header version %q is not yyyymmddHHMMSS", v)
		}
		r.Version = v
	case "parent":
		if v != noParent {
			if _, err := time.Parse(VersionLayout, v); err != nil {
				return fmt.Errorf("header parent %q is not a version or %q", v, noParent)
			}
			r.Parent = v
		}
	case "from":
		r.FromHash = v
	case "to":
		r.ToHash = v
	case "env":
		r.Env = v
	case "dialect":
		r.Dialect = v
	case "created":
		t, err := time.Parse(timeLayout, v)
		if err != nil {
			return fmt.Errorf("header created %q is not an RFC 3339 time", v)
		}
		r.Created = t.UTC()
	case "author":
		r.Author = v
	case "kind":
		switch v {
		case handWrittenKind:
			r.HandWritten = true
		case baselineKind:
			r.Baseline = true
		default:
			return fmt.Errorf("header kind %q is not %q or %q", v, handWrittenKind, baselineKind)
		}
	default:
		return nil // a comment that happens to contain a colon
	}
	seen[k] = true
	return nil
}
