package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/stratadb/strata/dialect"
)

// Statements that run outside the revision's transaction (CREATE INDEX
// CONCURRENTLY, DROP INDEX CONCURRENTLY, ALTER TABLE ... VALIDATE
// CONSTRAINT) and the lock_timeout every statement runs under.
//
// Server facts this relies on (PostgreSQL 15, checked by the tests in
// cmd/strata):
//   - lock_timeout applies to each lock a statement waits for, including
//     the waits of CREATE INDEX CONCURRENTLY for older transactions; a wait
//     that runs out fails with SQLSTATE 55P03 (lock_not_available) and
//     rolls back the transaction.
//   - CREATE INDEX CONCURRENTLY that fails or is cancelled after its first
//     phase leaves the index in the catalog with pg_index.indisvalid =
//     false: it is maintained by writes but never used, and a rerun of the
//     same statement fails with "already exists". Dropping it
//     (CONCURRENTLY, so that writes go on) lets the statement run again.
//   - A backend whose client was killed goes on running its statement
//     (CREATE INDEX CONCURRENTLY never looks at the socket) until it ends;
//     pg_stat_activity shows it active with the statement's text.

var (
	_ dialect.LockTimeouter = (*Dialect)(nil)
	_ dialect.StepSettler   = (*Dialect)(nil)
	_ dialect.OrphanTeller  = (*Dialect)(nil)
)

// SetLockTimeout sets lock_timeout on q: SET LOCAL inside a transaction
// (it ends with it), SET for the session, RESET for d 0.
func (d *Dialect) SetLockTimeout(ctx context.Context, q dialect.Querier, timeout time.Duration, local bool) error {
	var stmt string
	switch {
	case timeout <= 0 && !local:
		stmt = "RESET lock_timeout"
	case local:
		stmt = fmt.Sprintf("SET LOCAL lock_timeout = '%dms'", max(timeout.Milliseconds(), 1))
	default:
		stmt = fmt.Sprintf("SET lock_timeout = '%dms'", max(timeout.Milliseconds(), 1))
	}
	if _, err := q.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
}

// LockTimedOut reports SQLSTATE 55P03 (lock_not_available): "canceling
// statement due to lock timeout".
func (d *Dialect) LockTimedOut(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "55P03"
}

// LockHolders lists the other sessions of this database holding a lock on
// a table or index stmt names, oldest transaction first, from pg_locks and
// pg_stat_activity: pid, user, application, state and how long its
// transaction has been open. A name counts when stmt has it as an
// identifier (quoted or bare); that is enough for a message.
func (d *Dialect) LockHolders(ctx context.Context, q dialect.Querier, stmt string) string {
	rows, err := q.QueryContext(ctx, `SELECT l.pid, n.nspname, c.relname, l.mode,
  coalesce(a.usename, ''), coalesce(a.application_name, ''), coalesce(a.state, ''),
  coalesce(extract(epoch FROM now() - a.xact_start)::bigint, -1)
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
ORDER BY a.xact_start NULLS LAST, l.pid, c.relname`)
	if err != nil {
		return ""
	}
	defer rows.Close()
	names := map[string]bool{}
	for _, t := range tokens(stmt) {
		if t.word {
			names[t.name()] = true
		}
	}
	type holder struct {
		who   string
		locks []string
	}
	var order []int64
	byPID := map[int64]*holder{}
	for rows.Next() {
		var pid, open int64
		var nsp, rel, mode, user, app, state string
		if err := rows.Scan(&pid, &nsp, &rel, &mode, &user, &app, &state, &open); err != nil {
			return ""
		}
		if !names[rel] {
			continue
		}
		h := byPID[pid]
		if h == nil {
			var parts []string
			if user != "" {
				parts = append(parts, user)
			}
			if app != "" {
				parts = append(parts, fmt.Sprintf("%q", app))
			}
			if state != "" {
				parts = append(parts, state)
			}
			if open >= 0 {
				parts = append(parts, fmt.Sprintf("transaction open %ds", open))
			}
			who := fmt.Sprintf("pid %d", pid)
			if len(parts) > 0 {
				who += " (" + strings.Join(parts, ", ") + ")"
			}
			h = &holder{who: who}
			byPID[pid] = h
			order = append(order, pid)
		}
		h.locks = append(h.locks, mode+" on "+d.modelName(nsp, rel))
	}
	var out []string
	for _, pid := range order {
		h := byPID[pid]
		out = append(out, h.who+" holds "+strings.Join(h.locks, ", "))
	}
	return strings.Join(out, "; ")
}

// Orphaned reports whether another session of this database still runs
// stmt: after Strata was killed its backend goes on with the statement.
// pg_stat_activity keeps the first track_activity_query_size bytes (1024
// by default) of a query: the start is compared.
func (d *Dialect) Orphaned(ctx context.Context, q dialect.Querier, stmt string) (bool, error) {
	var n int
	err := dialect.QueryRow(ctx, q, `SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')
  AND left(query, 900) = left($1, 900)`, []any{stmt}, &n)
	return n > 0, err
}

// SettleStep tells whether a statement that ran outside a transaction took
// effect, after a run died during it or an attempt gave up on a lock:
//   - CREATE INDEX CONCURRENTLY: done when the index exists and is valid;
//     an INVALID one is dropped (DROP INDEX CONCURRENTLY) and the
//     statement is to run again; absent, it is to run.
//   - DROP INDEX CONCURRENTLY: done when the index is gone; otherwise it
//     runs again (a half-done drop leaves it INVALID, which it drops).
//   - ALTER TABLE ... VALIDATE CONSTRAINT: running it again is harmless
//     (and cheap once validated): not done.
//
// Anything else is not known.
func (d *Dialect) SettleStep(ctx context.Context, q dialect.Querier, stmt string) (done, known bool, err error) {
	ts := tokens(stmt)
	switch {
	case isCreateIndexConcurrently(ts):
		name := createdIndex(ts)
		if name == "" {
			return false, false, nil
		}
		valid, exists, err := indexState(ctx, q, name)
		if err != nil || !exists {
			return false, err == nil, err
		}
		if valid {
			return true, true, nil
		}
		drop := "DROP INDEX CONCURRENTLY IF EXISTS " + name
		if _, err := q.ExecContext(ctx, drop); err != nil {
			return false, true, fmt.Errorf("drop the INVALID index %s an interrupted CREATE INDEX CONCURRENTLY left: %w", name, err)
		}
		return false, true, nil
	case keywords(ts, "DROP", "INDEX", "CONCURRENTLY"):
		rest := ts[3:]
		if keywords(rest, "IF", "EXISTS") {
			rest = rest[2:]
		}
		name, rest := qualifiedName(rest)
		if name == "" || len(rest) > 0 && rest[0].text == "," {
			// Several indexes: one may be gone and another not; running
			// it again with IF EXISTS would be needed. Let the hash tell.
			return false, false, nil
		}
		_, exists, err := indexState(ctx, q, name)
		return !exists && err == nil, err == nil, err
	case keywords(ts, "ALTER", "TABLE") && containsKeywords(ts, "VALIDATE", "CONSTRAINT"):
		return false, true, nil
	case keywords(ts, "ALTER", "TYPE") && containsKeywords(ts, "ADD", "VALUE", "IF", "NOT", "EXISTS"):
		return false, true, nil // runs again as a no-op once the value is there
	}
	return false, false, nil
}

// indexState reads pg_index.indisvalid of the index of a qualified name
// as written in SQL.
func indexState(ctx context.Context, q dialect.Querier, name string) (valid, exists bool, err error) {
	var v sql.NullBool
	err = dialect.QueryRow(ctx, q, `SELECT (SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass($1))`, []any{name}, &v)
	if err != nil {
		return false, false, fmt.Errorf("is index %s valid: %w", name, err)
	}
	return v.Bool, v.Valid, nil
}

// isCreateIndexConcurrently matches CREATE [UNIQUE] INDEX CONCURRENTLY.
func isCreateIndexConcurrently(ts []token) bool {
	return keywords(ts, "CREATE", "INDEX", "CONCURRENTLY") || keywords(ts, "CREATE", "UNIQUE", "INDEX", "CONCURRENTLY")
}

// createdIndex is the qualified name of the index CREATE [UNIQUE] INDEX
// CONCURRENTLY [IF NOT EXISTS] name ON [ONLY] table creates: in the
// table's schema. "" for an index without a name.
func createdIndex(ts []token) string {
	i := 3
	if keywords(ts, "CREATE", "UNIQUE") {
		i = 4
	}
	ts = ts[i:]
	if keywords(ts, "IF", "NOT", "EXISTS") {
		ts = ts[3:]
	}
	if len(ts) < 2 || !ts[0].word || ts[0].is("ON") {
		return ""
	}
	index := ts[0].text
	ts = ts[1:]
	if !ts[0].is("ON") {
		return ""
	}
	ts = ts[1:]
	if len(ts) > 0 && ts[0].is("ONLY") {
		ts = ts[1:]
	}
	table, _ := qualifiedName(ts)
	if nsp, _, ok := strings.Cut(table, "."); ok && strings.Count(table, ".") == 1 {
		return nsp + "." + index
	}
	return index
}

// containsKeywords reports whether the keywords kws follow one another
// anywhere in ts.
func containsKeywords(ts []token, kws ...string) bool {
	for i := range ts {
		if keywords(ts[i:], kws...) {
			return true
		}
	}
	return false
}

// token is a word (keyword or identifier, quoted or not) or a punctuation
// character of a statement.
type token struct {
	text   string // as written ("Big""Name" keeps its quotes)
	word   bool
	quoted bool
}

// is reports whether t is the unquoted keyword kw.
func (t token) is(kw string) bool { return t.word && !t.quoted && strings.EqualFold(t.text, kw) }

// name is the identifier as the server stores it: unquoted names fold to
// lower case.
func (t token) name() string {
	if t.quoted {
		return strings.ReplaceAll(t.text[1:len(t.text)-1], `""`, `"`)
	}
	return strings.ToLower(t.text)
}

// keywords reports whether ts starts with the keywords kws.
func keywords(ts []token, kws ...string) bool {
	if len(ts) < len(kws) {
		return false
	}
	for i, kw := range kws {
		if !ts[i].is(kw) {
			return false
		}
	}
	return true
}

// qualifiedName reads name or schema.name from ts, as written, and returns
// the tokens after it.
func qualifiedName(ts []token) (string, []token) {
	if len(ts) == 0 || !ts[0].word {
		return "", ts
	}
	name := ts[0].text
	ts = ts[1:]
	for len(ts) >= 2 && ts[0].text == "." && ts[1].word {
		name += "." + ts[1].text
		ts = ts[2:]
	}
	return name, ts
}

// tokens splits a statement into words and punctuation, skipping strings,
// comments and spaces; enough to read the names of DDL statements.
func tokens(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return out
			}
			i += j + 4
		case c == '\'':
			j := closingQuote(s, i)
			i = j + 1
		case c == '"':
			j := closingQuote(s, i)
			end := min(j+1, len(s))
			out = append(out, token{text: s[i:end], word: true, quoted: true})
			i = end
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == '$' || s[j] >= '0' && s[j] <= '9' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 0x80) {
				j++
			}
			out = append(out, token{text: s[i:j], word: true})
			i = j
		default:
			out = append(out, token{text: s[i : i+1]})
			i++
		}
	}
	return out
}
