package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect is the SQLite dialect. Its zero value is ready to use; see
// WithTarget for the desired triggers that table rebuilds recreate.
type Dialect struct {
	// triggers are the desired triggers by table; nil when unknown.
	triggers map[string][]*schema.Trigger
}

var (
	_ dialect.Dialect   = (*Dialect)(nil)
	_ dialect.TxApplier = (*Dialect)(nil)
)

// New returns the SQLite dialect.
func New() *Dialect { return &Dialect{} }

// Name returns "sqlite".
func (d *Dialect) Name() string { return "sqlite" }

// WithTarget returns a copy of d that knows the triggers of the schema a
// plan leads to. A table rebuild drops the table's triggers with the old
// table; with a target, Generate recreates that table's target triggers
// right after the rebuild (CREATE TRIGGER IF NOT EXISTS, so a planned
// AddTrigger of the same trigger later is harmless). Without one, Generate
// notes on the rebuild that triggers are lost. The result is a
// dialect.Dialect so that a planner can ask for it through an interface.
func (d *Dialect) WithTarget(to *schema.Schema) dialect.Dialect {
	c := *d
	c.triggers = map[string][]*schema.Trigger{}
	if to != nil {
		for _, t := range to.Triggers {
			c.triggers[t.Table] = append(c.triggers[t.Table], t)
		}
	}
	return &c
}

// ErrURL is returned (wrapped) for a URL that is not an SQLite URL.
var ErrURL = errors.New("not an sqlite URL")

// Path returns the file path of an SQLite URL: sqlite://relative/path.db,
// sqlite:///absolute/path.db, sqlite://:memory: or sqlite::memory:. The
// query string, if any, is returned apart.
func Path(rawURL string) (path, query string, err error) {
	rest, ok := strings.CutPrefix(rawURL, "sqlite:")
	if !ok {
		return "", "", ErrURL
	}
	rest = strings.TrimPrefix(rest, "//")
	path, query, _ = strings.Cut(rest, "?")
	if path == "" {
		return "", "", fmt.Errorf("sqlite URL without a path: %w", ErrURL)
	}
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	return path, query, nil
}

// OpenURL opens the SQLite database of an sqlite: URL with foreign keys
// enforced, a busy timeout of 10 s, and BEGIN IMMEDIATE transactions (so
// that a transaction takes the write lock up front). An in-memory database
// is kept on one connection, as each connection would see its own.
func OpenURL(ctx context.Context, rawURL string) (*sql.DB, error) {
	path, query, err := Path(rawURL)
	if err != nil {
		return nil, err
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("sqlite URL parameters: %w", err)
	}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	if q.Get("_txlock") == "" {
		q.Set("_txlock", "immediate")
	}
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	if path == ":memory:" || strings.Contains(query, "mode=memory") {
		db.SetMaxOpenConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	return db, nil
}
