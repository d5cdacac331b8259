package sqlite

import (
	"context"

	"github.com/stratadb/strata/dialect"
)

var _ dialect.Opener = Open

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
