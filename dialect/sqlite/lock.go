package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/stratadb/strata/dialect"
)

var _ dialect.Locker = (*Dialect)(nil)

// ErrLocked is returned (wrapped) when another process holds the lock
// past the timeout.
var ErrLocked = errors.New("database is locked by another strata process")

// lockFileName matches what a lock name may not carry into a file name.
var lockFileName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Lock takes an exclusive lock for name on the database file q is
// connected to: an flock(2) on the file <database>-<name>.lock next to it.
// The kernel releases it when the process dies, so a crash never leaves a
// stale lock. It serializes whole applies (inspect, plan check, apply)
// between Strata processes; SQLite's own write lock (ApplyTx) covers only
// the transaction. An in-memory or temporary database has nothing to share
// and gets a no-op lock. Characters of name unfit for a file name become _.
func (d *Dialect) Lock(ctx context.Context, q dialect.Querier, name string, timeoutSeconds int) (func() error, error) {
	path, err := databaseFile(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("lock %q: %w", name, err)
	}
	if path == "" {
		return func() error { return nil }, nil
	}
	lockPath := path + "-" + lockFileName.ReplaceAllString(name, "_") + ".lock"
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %q: %w", name, err)
	}
	deadline := time.Now().Add(time.Duration(timeoutSeconds) * time.Second)
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %q: %w", lockPath, err)
		}
		if ok {
			break
		}
		if !time.Now().Before(deadline) {
			f.Close()
			return nil, fmt.Errorf("lock %q after %d s: %w", lockPath, timeoutSeconds, ErrLocked)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock %q: %w", lockPath, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	return func() error {
		err := unlockFile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}, nil
}

// databaseFile returns the file of the main database ("" when in memory).
func databaseFile(ctx context.Context, q dialect.Querier) (string, error) {
	rows, err := q.QueryContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var file string
	if rows.Next() {
		if err := rows.Scan(&file); err != nil {
			return "", err
		}
	}
	return file, rows.Err()
}
