package mysql

import (
	"context"

	"github.com/stratadb/strata/dialect"
)

var (
	_ dialect.Opener            = Open
	_ dialect.ReaderOpener      = (*Dialect)(nil)
	_ dialect.ErrorExplainer    = (*Dialect)(nil)
	_ dialect.StatementFallback = (*Dialect)(nil)
)

// Open connects to a mysql:// (or mariadb://) URL and reads the server's
// facts into its dialect.
func Open(ctx context.Context, raw string) (*dialect.Database, error) {
	cfg, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	db, err := OpenURL(ctx, raw)
	if err != nil {
		return nil, err
	}
	d, err := New(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &dialect.Database{DB: db, Dialect: d, Name: cfg.DBName}, nil
}

// OpenReader opens a Reader (see the package function) for inspection.
func (d *Dialect) OpenReader(raw string) (dialect.Reader, error) {
	return OpenReader(raw)
}

// ExplainError is Explain.
func (d *Dialect) ExplainError(err error) (string, bool) { return Explain(err) }

// Fallback is WithoutInstant: a statement refused for its ALGORITHM=INSTANT
// runs without it.
func (d *Dialect) Fallback(stmt string, err error) (string, bool) { return WithoutInstant(stmt, err) }
