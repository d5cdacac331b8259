package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// ParseURL reads postgres://user:pass@host:port/db?sslmode=disable&search_path=app
// (also postgresql://). Parameters pgx does not know become session
// settings (search_path, lock_timeout, ...). Errors never repeat the URL,
// which may hold a password.
func ParseURL(raw string) (*pgx.ConnConfig, error) {
	scheme, _, _ := strings.Cut(raw, ":")
	if s := strings.ToLower(scheme); s != "postgres" && s != "postgresql" {
		return nil, fmt.Errorf("invalid database URL: scheme %q is not postgres:// or postgresql://", scheme)
	}
	cfg, err := pgx.ParseConfig(raw)
	if err != nil {
		var pe *pgconn.ParseConfigError
		if errors.As(err, &pe) && pe.Unwrap() != nil {
			// ParseConfigError's text quotes the URL.
			return nil, fmt.Errorf("invalid database URL: %v", pe.Unwrap())
		}
		return nil, errors.New("invalid database URL: cannot parse it (percent-encode special characters of the user and password, e.g. %40 for @)")
	}
	if cfg.Database == "" {
		return nil, errors.New("invalid database URL: no database name; write postgres://user@host:5432/DBNAME")
	}
	// The simple protocol runs DDL without prepared statements whose
	// cached plans a later ALTER would invalidate, and takes a script of
	// several statements in one Exec.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	return cfg, nil
}

// OpenURL opens and pings the database of a postgres:// URL.
func OpenURL(ctx context.Context, raw string) (*sql.DB, *pgx.ConnConfig, error) {
	cfg, err := ParseURL(raw)
	if err != nil {
		return nil, nil, err
	}
	db := stdlib.OpenDB(*cfg)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("connect to PostgreSQL database %q on %s:%d as %q: %w", cfg.Database, cfg.Host, cfg.Port, cfg.User, connectError(err))
	}
	return db, cfg, nil
}

// connectError keeps the server's or network's reason of a failed
// connection and drops pgx's description of the configuration.
func connectError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && ce.Unwrap() != nil {
		return ce.Unwrap()
	}
	return err
}
