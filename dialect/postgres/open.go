package postgres

import (
	"context"
	"fmt"

	"github.com/stratadb/strata/dialect"
)

var _ dialect.Opener = Open

// Open connects to a postgres:// URL and reads the server's version and
// current schema into its dialect; the Database's Name is the database's.
func Open(ctx context.Context, raw string) (*dialect.Database, error) {
	db, cfg, err := OpenURL(ctx, raw)
	if err != nil {
		return nil, err
	}
	d := &Dialect{}
	var cur *string
	if err := dialect.QueryRow(ctx, db, "SELECT current_setting('server_version_num')::int, current_schema()", nil, &d.Version, &cur); err != nil {
		db.Close()
		return nil, fmt.Errorf("read the server's version: %w", err)
	}
	if cur == nil {
		db.Close()
		return nil, fmt.Errorf("database %q has no current schema: no schema of its search_path (%s) exists; create it or set search_path in the URL", cfg.Database, searchPath(cfg.RuntimeParams))
	}
	d.Schema = *cur
	return &dialect.Database{DB: db, Dialect: d, Name: cfg.Database}, nil
}

func searchPath(params map[string]string) string {
	if p := params["search_path"]; p != "" {
		return p
	}
	return `"$user", public`
}
