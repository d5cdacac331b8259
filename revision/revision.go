package revision

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"os/user"
	"regexp"
	"strings"
	"time"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

// VersionLayout is the time layout of a revision version (UTC).
const VersionLayout = "20060102150405"

// Revision is one applied plan: the statements that ran (Up), the statements
// that undo them (Down) and where it sits in the history.
type Revision struct {
	Version  string // "20261127093000": UTC yyyymmddHHMMSS of its creation
	Slug     string // from the file name: "add_users"
	Parent   string // version of the revision before it; "" for the first
	FromHash string // schema hash before Up (schema.Schema.Hash)
	ToHash   string // schema hash after Up
	Env      string // environment the plan was made against
	// Dialect is the dialect its statements are written for ("mysql",
	// "sqlite"); "" in files written before revisions named it.
	Dialect string
	Created time.Time
	Author  string
	Up      []Statement
	Down    []Statement
	// Checksum is the sum of the file's bytes ("h1:" + base64 sha256), as
	// strata.sum and strata_revisions record it.
	Checksum string
	// File is the path the revision was read from or written to.
	File string
	// HandWritten marks a revision a person wrote (strata revision new):
	// its SQL is split by statement syntax, and its DML statements each
	// commit together with their progress record (see handwritten.go).
	HandWritten bool
	// Baseline marks the revision strata baseline wrote: it creates the
	// schema a database had before Strata, and cannot be rolled back (see
	// baseline.go).
	Baseline bool
}

// Statement is one SQL statement of a revision with what a reviewer should
// know about it.
type Statement struct {
	SQL string
	// Hazards are "kind: message" texts, e.g. "destructive: drops column
	// users.name and its data".
	Hazards []string
	// Checks holds, by the index of its hazard, the count of live rows
	// that sizes it (nil for a hazard without one; shorter than Hazards
	// when the last ones have none), so that a promotion can size the
	// hazards on its own rows as the plan did on the source's.
	Checks []*planner.DataCheck
	// Comment is a note from the dialect (e.g. an algorithm fallback).
	Comment string
	// Irreversible marks a down statement that restores structure but not
	// the data the up side removed.
	Irreversible bool
	// Copy is set on a statement the server runs only as a table copy
	// that blocks writes ("-- copies:" in the file): on a big enough table
	// an environment's online schema change engine runs it instead.
	Copy *dialect.TableCopy
	// NoTx marks a statement that cannot run in a transaction ("--
	// no-transaction" in the file; PostgreSQL's CREATE INDEX CONCURRENTLY):
	// on a dialect whose revisions run in transactions it runs alone, in
	// autocommit, and is recorded as its own step. Dialects without
	// transactional DDL run every statement that way and never mark one.
	NoTx bool
	// Line is the file line the statement starts on, for a hand-written
	// revision (0 otherwise).
	Line int
}

// Name is the revision's file name: "<version>_<slug>.sql".
func (r *Revision) Name() string {
	if r.Slug == "" {
		return r.Version + ".sql"
	}
	return r.Version + "_" + r.Slug + ".sql"
}

// OwnSteps reports whether ss has a statement that runs outside the
// revision's transaction (NoTx).
func OwnSteps(ss []Statement) bool {
	for _, s := range ss {
		if s.NoTx {
			return true
		}
	}
	return false
}

// UpSQL returns the up statements' SQL in order.
func (r *Revision) UpSQL() []string { return sqlOf(r.Up) }

// DownSQL returns the down statements' SQL in order.
func (r *Revision) DownSQL() []string { return sqlOf(r.Down) }

// Irreversible reports whether rolling the revision back cannot bring back
// data its up side removed.
func (r *Revision) Irreversible() bool {
	if r.Baseline {
		return true
	}
	for _, s := range r.Down {
		if s.Irreversible {
			return true
		}
	}
	return false
}

func sqlOf(ss []Statement) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.SQL
	}
	return out
}

// Checksum returns the checksum of a revision file's bytes.
func Checksum(b []byte) string {
	sum := sha256.Sum256(b)
	return "h1:" + base64.StdEncoding.EncodeToString(sum[:])
}

var slugUnsafe = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify turns a free-text name into a file-name slug: lower case ASCII
// letters and digits joined by single underscores, at most 60 characters.
func Slugify(s string) string {
	s = slugUnsafe.ReplaceAllString(strings.ToLower(s), "_")
	s = strings.Trim(s, "_")
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "_")
	}
	return s
}

// Meta describes a revision being made from a plan.
type Meta struct {
	Slug    string // free text; Slugify is applied
	Env     string // environment name the plan was made against (never a URL)
	Dialect string // dialect.Dialect.Name of the target
	Author  string // "" → CurrentUser()
	Created time.Time
	// Transactional is set when the dialect runs revisions in
	// transactions (dialect.TxApplier): its statements that cannot run in
	// one (dialect.Stmt.Transactional false) are marked NoTx.
	Transactional bool
}

// New builds a revision from the plan that is about to run (up) and the plan
// that undoes it (down, planned from the desired schema back to the live
// one; nil when there is none). The version comes from m.Created; Dir.Write
// sets the parent and bumps the version on collision.
//
// Hazards of a step go on its first statement. A down step that touches an
// object (table, view, trigger) whose data the up side destroyed, or whose
// up step the planner marked irreversible, is marked Irreversible: running it
// restores the structure, not the data.
func New(up, down *planner.Plan, m Meta) *Revision {
	if m.Created.IsZero() {
		m.Created = time.Now()
	}
	m.Created = m.Created.UTC().Truncate(time.Second)
	if m.Author == "" {
		m.Author = CurrentUser()
	}
	r := &Revision{
		Version: m.Created.Format(VersionLayout),
		Slug:    Slugify(m.Slug),
		Env:     envName(m.Env),
		Dialect: oneLine(m.Dialect),
		Created: m.Created,
		Author:  oneLine(m.Author),
	}
	if r.Slug == "" {
		r.Slug = "revision"
	}
	lost := map[string]string{} // object key → why its data cannot come back
	if up != nil {
		r.FromHash, r.ToHash = up.FromHash, up.ToHash
		for _, st := range up.Steps {
			var why string
			for _, h := range st.Hazards {
				if h.Kind == planner.Destructive || h.Kind == planner.Irreversible {
					why = h.Message
					break
				}
			}
			if why != "" {
				for _, k := range objectKeys(st.Change) {
					if _, ok := lost[k]; !ok {
						lost[k] = why
					}
				}
			}
			r.Up = append(r.Up, stepStatements(st, m.Transactional)...)
		}
	}
	if down != nil {
		for _, st := range down.Steps {
			ss := stepStatements(st, m.Transactional)
			var why string
			for _, k := range objectKeys(st.Change) {
				if w, ok := lost[k]; ok {
					why = w
					break
				}
			}
			if why != "" {
				for i := range ss {
					ss[i].Irreversible = true
				}
				if len(ss) > 0 {
					ss[0].Hazards = append(ss[0].Hazards, oneLine("irreversible: the up side "+strings.TrimSuffix(lowerFirst(why), ".")+"; this restores the structure, not the data"))
				}
			}
			r.Down = append(r.Down, ss...)
		}
	}
	return r
}

// envName keeps a revision header free of connection URLs: an environment
// is named, and a URL (which may carry a password) is never written.
func envName(env string) string {
	env = oneLine(env)
	if strings.Contains(env, "://") || strings.Contains(env, "@") {
		return "url"
	}
	return env
}

func stepStatements(st *planner.Step, transactional bool) []Statement {
	var out []Statement
	for i, s := range st.Statements {
		stmt := Statement{SQL: cleanSQL(s.SQL), Comment: oneLine(s.Comment), Copy: s.Copy, NoTx: transactional && !s.Transactional}
		if i == 0 {
			for j, h := range st.Hazards {
				stmt.Hazards = append(stmt.Hazards, oneLine(string(h.Kind)+": "+h.Message))
				if h.Check != nil {
					for len(stmt.Checks) < j {
						stmt.Checks = append(stmt.Checks, nil)
					}
					stmt.Checks = append(stmt.Checks, h.Check)
				}
			}
		}
		out = append(out, stmt)
	}
	return out
}

// cleanSQL trims a statement and its terminating semicolon: the file format
// adds the terminator back.
func cleanSQL(s string) string {
	s = strings.TrimSpace(s)
	for strings.HasSuffix(s, ";") {
		s = strings.TrimSpace(strings.TrimSuffix(s, ";"))
	}
	return s
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// objectKeys names the schema objects a change touches, so that a down step
// can be matched with the up step it undoes.
func objectKeys(c schema.Change) []string {
	switch c := c.(type) {
	case *schema.AddTable:
		return []string{"table:" + c.T.Name}
	case *schema.DropTable:
		return []string{"table:" + c.T.Name}
	case *schema.RenameTable:
		return []string{"table:" + c.From, "table:" + c.To}
	case *schema.AlterTable:
		var ks []string
		if c.From != nil {
			ks = append(ks, "table:"+c.From.Name)
		}
		if c.To != nil && (c.From == nil || c.To.Name != c.From.Name) {
			ks = append(ks, "table:"+c.To.Name)
		}
		return ks
	case *schema.AddView:
		return []string{"view:" + c.V.Name}
	case *schema.DropView:
		return []string{"view:" + c.V.Name}
	case *schema.ModifyView:
		return []string{"view:" + c.To.Name}
	case *schema.AddTrigger:
		return []string{"trigger:" + c.T.Name}
	case *schema.DropTrigger:
		return []string{"trigger:" + c.T.Name}
	case *schema.AddRoutine:
		return []string{"routine:" + c.R.Kind + ":" + c.R.Name}
	case *schema.DropRoutine:
		return []string{"routine:" + c.R.Kind + ":" + c.R.Name}
	case *schema.ModifyRoutine:
		return []string{"routine:" + c.To.Kind + ":" + c.To.Name}
	case *schema.AddEvent:
		return []string{"event:" + c.E.Name}
	case *schema.DropEvent:
		return []string{"event:" + c.E.Name}
	case *schema.ModifyEvent:
		return []string{"event:" + c.To.Name}
	case *schema.AddObject:
		return []string{c.O.Kind + ":" + c.O.Name}
	case *schema.DropObject:
		return []string{c.O.Kind + ":" + c.O.Name}
	case *schema.ModifyObject:
		return []string{c.To.Kind + ":" + c.To.Name}
	}
	return nil
}

// CurrentUser names who is running Strata, for a revision's author and a
// record's applied_by: the OS user, else $USER, else "unknown".
func CurrentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r\n", " ")
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.TrimSpace(strings.ReplaceAll(s, "\r", " "))
}

// nextVersion returns the version one second after v.
func nextVersion(v string) (string, error) {
	t, err := time.Parse(VersionLayout, v)
	if err != nil {
		return "", fmt.Errorf("revision version %q: %w", v, err)
	}
	return t.Add(time.Second).Format(VersionLayout), nil
}
