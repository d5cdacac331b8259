// Package dialect defines what a database dialect provides to Strata:
// inspection of a live schema, normalization of a model into the server's
// canonical form, and SQL for planned changes. Concrete dialects live in
// sub-packages (dialect/mysql, dialect/sqlite); only cmd/strata picks one.
package dialect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/stratadb/strata/schema"
)

// Querier is what a dialect needs of a connection: *sql.DB, *sql.Conn and
// *sql.Tx all satisfy it.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Dialect inspects, normalizes and generates SQL for one kind of server. A
// Dialect value carries the facts of the server it was made for (version,
// flavor, default character set), so that normalization matches that server.
type Dialect interface {
	// Name is the dialect's short name: "mysql", "sqlite".
	Name() string
	// Inspect reads the schema of the database q is connected to.
	Inspect(ctx context.Context, q Querier) (*schema.Schema, error)
	// Normalize rewrites a model in place into the form the server would
	// report for it, so that equal schemas compare equal field by field.
	// It is applied to desired models (loaded from HCL); inspected models
	// come out of Inspect already normalized.
	Normalize(s *schema.Schema) error
	// Generate returns the statements that carry out one change, in order.
	Generate(c schema.Change, o GenOptions) ([]Stmt, error)
}

// GenOptions tune statement generation.
type GenOptions struct {
	// Online asks for the forms of a change that keep an existing table
	// usable while it runs: ALGORITHM/LOCK clauses where MySQL can do a
	// change without a table copy; on PostgreSQL indexes built and
	// dropped CONCURRENTLY, constraints added NOT VALID and validated in
	// a later step.
	Online bool
	// NewTables names the tables the plan creates (set by planner.Build):
	// a table created in the same plan holds no rows and is no one's to
	// wait for, so its changes need no online form.
	NewTables map[string]bool
}

// Stmt is one SQL statement of a plan.
type Stmt struct {
	SQL string
	// Comment explains something a reviewer should know about the
	// statement (e.g. an algorithm fallback); "" for none.
	Comment string
	// Transactional is true when the statement can run inside a
	// transaction and be rolled back with it (SQLite DDL; never MySQL DDL).
	Transactional bool
	// Copy is set on a statement the server can run only as a table copy
	// that blocks writes (MySQL: neither INSTANT nor INPLACE with
	// LOCK=NONE), which an online schema change engine may run instead;
	// nil for every other statement.
	Copy *TableCopy
	// Route says how a Copy statement runs on the database planned
	// against, when its environment has an online schema change engine
	// (set at plan time, from the table's size); nil otherwise.
	Route *Route
}

// Route is how one statement that copies a table runs.
type Route struct {
	// Engine is the online schema change engine that runs the statement
	// ("pt-osc", "gh-ost", "command"); "" when it runs as planned, as a
	// plain ALTER TABLE.
	Engine string `json:"engine,omitempty"`
	Table  string `json:"table"`
	// Bytes is the table's size (data and indexes; 0 without rows) and
	// MinSize the environment's threshold.
	Bytes   int64 `json:"bytes"`
	MinSize int64 `json:"min_size"`
	// Reason says which and why, in words, for people.
	Reason string `json:"reason"`
}

// TableCopy is what an online schema change engine needs of a statement
// that copies a table: which table, the statement's clauses without the
// ALTER TABLE and its name (and without ALGORITHM or LOCK), and why it copies.
type TableCopy struct {
	Table   string `json:"table"`
	Clauses string `json:"clauses"`
	Why     string `json:"why"`
	// Renames is set when the clauses rename a column, as Strata planned:
	// an engine that asks before renames (pt-osc) is told yes.
	Renames bool `json:"renames,omitempty"`
}

// ErrNotPermitted is wrapped by the error of a Canonicalizer or
// ViewCanonicalizer that the server's privileges stopped: the models are
// left as written, which may show a change the server would store
// identically. The error says which privilege is missing.
var ErrNotPermitted = errors.New("not permitted")

// Canonicalizer is implemented by dialects that can ask the server how it
// would store tables, for facts code cannot derive (expressions in defaults,
// generated columns and checks). Canonicalize rewrites the given tables in
// place into the server's canonical form without changing the live schema
// (e.g. through temporary tables in q's session).
type Canonicalizer interface {
	Canonicalize(ctx context.Context, q Querier, tables []*schema.Table) error
}

// Locker is implemented by dialects with a per-database advisory lock. The
// lock is held by q's session until unlock is called or the session ends, so
// q must be a single connection (*sql.Conn).
type Locker interface {
	Lock(ctx context.Context, q Querier, name string, timeoutSeconds int) (unlock func() error, err error)
}

// WaitTeller is implemented by dialects that can tell what a running
// statement waits for, so that a run can say so instead of sitting silent.
// SessionID returns the id of q's session (a single connection);
// WaitingFor, asked on another session, describes the lock the statement
// of session id waits for and who may hold it, "" when it waits for none.
type WaitTeller interface {
	SessionID(ctx context.Context, q Querier) (int64, error)
	WaitingFor(ctx context.Context, q Querier, id int64) (string, error)
}

// OrphanTeller is implemented by a dialect whose server keeps running a
// statement after its client died. Orphaned reports whether another session
// of q's database still runs stmt, sent as written.
type OrphanTeller interface {
	Orphaned(ctx context.Context, q Querier, stmt string) (bool, error)
}

// LockTimeouter is implemented by dialects that can bound how long a
// statement waits for the locks it needs and tell a statement that gave up
// (PostgreSQL: lock_timeout, SQLSTATE 55P03), so that a run waits and
// retries instead of queueing every other query of a table behind its
// statement's lock request.
type LockTimeouter interface {
	// SetLockTimeout bounds each lock wait on q to d: for the session, or
	// for the current transaction only when local. d 0 removes the
	// session's bound again.
	SetLockTimeout(ctx context.Context, q Querier, d time.Duration, local bool) error
	// LockTimedOut reports whether err is a statement that gave up waiting
	// for a lock. Nothing of a transactional statement remains; one that
	// runs outside a transaction may have left something half done, which
	// a StepSettler undoes.
	LockTimedOut(err error) bool
	// LockHolders describes, for a message, the other sessions that hold
	// locks on the tables stmt works on: `pid 4242 (app, idle in
	// transaction, open 12s) holds AccessShareLock on t`; "" when none is
	// seen. It never shows a query's text (it may hold secrets).
	LockHolders(ctx context.Context, q Querier, stmt string) string
}

// StepSettler is implemented by dialects with statements that run outside
// a transaction and may be left half done by a run that died, or by an
// attempt that gave up waiting for a lock (PostgreSQL: an interrupted
// CREATE INDEX CONCURRENTLY leaves an INVALID index). SettleStep tells
// whether stmt took effect, after undoing on q what it left half done (the
// INVALID index is dropped, so that the statement can run again); known
// is false for a statement it cannot tell about.
type StepSettler interface {
	SettleStep(ctx context.Context, q Querier, stmt string) (done, known bool, err error)
}

// TxApplier is implemented by dialects whose DDL is transactional (SQLite,
// PostgreSQL). ApplyTx runs a revision's statements in one transaction on conn, with the
// set-up and checks the dialect needs around it (e.g. SQLite's foreign key
// handling for table rebuilds), and calls inTx inside the same transaction
// before it commits, so that the revision's record commits with its
// statements. Any error leaves the database as it was.
type TxApplier interface {
	ApplyTx(ctx context.Context, conn *sql.Conn, stmts []string, inTx func(tx *sql.Tx) error) error
}

// TargetAware is implemented by dialects whose statements for a change
// depend on the rest of the schema being planned towards (a SQLite table
// rebuild recreates the table's triggers). WithTarget returns the dialect to
// generate a plan towards s with.
type TargetAware interface {
	WithTarget(s *schema.Schema) Dialect
}

// QueryRow runs a query that returns one row and scans it into dest; no row
// is an error naming the query that wraps sql.ErrNoRows. Unlike database/sql's QueryRow it works on
// any Querier.
func QueryRow(ctx context.Context, q Querier, query string, args []any, dest ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return fmt.Errorf("no rows from %q: %w", query, sql.ErrNoRows)
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}

// ViewCanonicalizer is implemented by dialects that can ask the server how
// it renders view definitions (MariaDB rewrites `SELECT id FROM t` as
// select `t`.`id` AS `id` from `t`). CanonicalizeViews rewrites the given
// views' definitions in place; a view the server refuses (e.g. one that
// reads a table not created yet) is left as written.
type ViewCanonicalizer interface {
	CanonicalizeViews(ctx context.Context, q Querier, views []*schema.View) error
}

// TableTeller is implemented by dialects whose statements on unrelated
// tables may run at once on separate connections (apply --parallel).
// StatementTables names every table stmt creates, changes, renames, drops or
// references (a foreign key's parent); ok is false for a statement it
// cannot tell (views, triggers, anything unusual), which then runs alone.
type TableTeller interface {
	StatementTables(stmt string) (tables []string, ok bool)
}

// TableInspector is implemented by dialects that can read some tables of a
// schema for what those tables cost, not what the whole schema costs (the
// hash taken before each statement of a revision run).
type TableInspector interface {
	// InspectTables reads the named tables that exist, without views and
	// triggers, as Inspect reads them.
	InspectTables(ctx context.Context, q Querier, names []string) (*schema.Schema, error)
}

// LeftoverTeller is implemented by dialects whose servers are changed by
// online schema change tools that work on copies of a table
// (pt-online-schema-change, gh-ost). Leftover reports whether an object is
// such a copy, or the tool's trigger, left behind by a run that died or was
// not cleaned up; tool names the tool. A plan never drops one: the tool
// may still be running.
type LeftoverTeller interface {
	Leftover(kind, name string) (tool string, ok bool)
}

// UnsupportedError says that the server has no such kind of object as one
// the desired schema declares (SQLite has no stored procedures). Kind is
// the object's block type in schema.hcl (procedure, function, event).
type UnsupportedError struct {
	Kind, Name string
	Dialect    string // the dialect's name
	Hint       string // what to do instead
}

func (e *UnsupportedError) Error() string {
	msg := fmt.Sprintf("%s %q: %s has no %ss", e.Kind, e.Name, e.Dialect, e.Kind)
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

// TypeCatalog is implemented by dialects that say which column type names
// a schema may use for them; the schema loader checks declared types
// against it, and its messages name the dialect.
type TypeCatalog interface {
	Types() *schema.Types
}

// OnlineSchemaChanger is implemented by dialects whose servers online
// schema change engines work on (MySQL/MariaDB: pt-online-schema-change,
// gh-ost). OnlineTarget tells how an engine reaches the database of url;
// the password it holds must only ever reach the engine in an options file.
type OnlineSchemaChanger interface {
	OnlineTarget(url string) (OnlineTarget, error)
}

// OnlineTarget is how an engine reaches a database.
type OnlineTarget struct {
	Host     string
	Port     int
	Socket   string // a unix socket instead of Host and Port
	User     string
	Password string
	Schema   string
	MariaDB  bool // the server is MariaDB (gh-ost does not run against it)
}

// ForeignKeyDefaults is implemented by dialects whose foreign keys that
// name no action get another one than RESTRICT (PostgreSQL: NO ACTION), so
// that a schema written from an inspection leaves that one out.
type ForeignKeyDefaults interface {
	DefaultForeignKeyAction() string
}
