package sqlite

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/stratadb/strata/dialect"
)

var (
	_ dialect.Opener        = Open
	_ dialect.MissingTeller = (*Dialect)(nil)
)

// Open opens the database of an sqlite: URL (see OpenURL); its Name is the
// file's path.
func Open(ctx context.Context, raw string) (*dialect.Database, error) {
	path, _, err := Path(raw)
	if err != nil {
		return nil, err
	}
	db, err := OpenURL(ctx, raw)
	if err != nil {
		return nil, err
	}
	return &dialect.Database{DB: db, Dialect: New(), Name: path}, nil
}

// Missing reports whether rawURL is an sqlite: URL of a file that does not
// exist (opening it would create it); an in-memory database is never
// missing.
func (d *Dialect) Missing(rawURL string) bool {
	path, _, err := Path(rawURL)
	if err != nil || path == ":memory:" || strings.HasPrefix(path, "file::memory:") {
		return false
	}
	_, err = os.Stat(path)
	return errors.Is(err, os.ErrNotExist)
}
