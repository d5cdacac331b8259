package dialect

import (
	"context"
	"database/sql"
	"fmt"
)

// Database is a database a dialect has connected to.
type Database struct {
	DB      *sql.DB
	Dialect Dialect
	// Name is the database's name (MySQL) or file (SQLite), as messages
	// and lock names use it.
	Name string
}

// Opener connects to the database a URL of its dialect names. Errors never
// contain the URL's password.
type Opener func(ctx context.Context, rawURL string) (*Database, error)

// Reader is a connection pool of a dialect's own that inspection reads
// through; Close releases it.
type Reader interface {
	Querier
	Close() error
}

// ReaderOpener is implemented by dialects that inspect through a pool of
// their own rather than the pinned session (MySQL's batched reads). The
// Reader is opened beside a pool the dialect's Opener has checked, for the
// same URL, and connects on first use.
type ReaderOpener interface {
	OpenReader(rawURL string) (Reader, error)
}

// ErrorExplainer is implemented by dialects that can word a server error
// the user must fix outside Strata (missing privileges, a read-only
// server) as one line saying what to do; ok is false for any other error.
type ErrorExplainer interface {
	ExplainError(err error) (line string, ok bool)
}

// StatementFallback is implemented by dialects with a second way to run a
// statement the server refused (MySQL: without the ALGORITHM=INSTANT the
// server cannot honour). Fallback returns the statement to run instead, or
// ok false to let the error stand.
type StatementFallback interface {
	Fallback(stmt string, err error) (alt string, ok bool)
}

// MissingTeller is implemented by dialects whose Opener creates a database
// that does not exist (an SQLite file). Missing reports whether the URL's
// database is absent, without creating it.
type MissingTeller interface {
	Missing(rawURL string) bool
}

// LockHeldError is returned by a Locker when another session holds the
// lock past the timeout.
type LockHeldError struct {
	Name string // the lock's name
	// Holder describes the session holding it: "connection 42
	// (app@10.0.0.5:51234)", or "connection 42" when the server does not
	// show more, or "" when it is unknown.
	Holder string
}

func (e *LockHeldError) Error() string {
	if e.Holder == "" {
		return fmt.Sprintf("lock %q is held by another session", e.Name)
	}
	return fmt.Sprintf("lock %q is held by %s", e.Name, e.Holder)
}
