package revision

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/stratadb/strata/dialect"
)

// LockedError reports that another session holds the database's apply lock.
type LockedError struct {
	Name   string
	Holder int64 // connection id of the holder, 0 when unknown
	Wait   time.Duration
}

func (e *LockedError) Error() string {
	who := "another session"
	if e.Holder != 0 {
		who = fmt.Sprintf("connection %d", e.Holder)
	}
	return fmt.Sprintf("another strata run holds the lock %q on this database (%s); waited %s; try again when it is done (or raise lock_timeout)",
		e.Name, who, e.Wait)
}

// LockName is the advisory lock name for a database: GET_LOCK names are
// server-wide and at most 64 characters.
func LockName(database string) string {
	name := "strata:" + database
	if len(name) > 64 {
		sum := sha256.Sum256([]byte(database))
		name = "strata:" + hex.EncodeToString(sum[:])[:40]
	}
	return name
}

// Lock takes the per-database apply lock (MySQL GET_LOCK, PostgreSQL
// pg_advisory_lock) and returns the
// function that releases it. The lock belongs to the session, so s.Q must be
// a *sql.Conn that stays open while the lock is held. A timeout below one
// second tries once. SQLite needs no lock here (its writes lock the file),
// so Lock does nothing there.
func (s *Store) Lock(ctx context.Context, timeout time.Duration) (unlock func() error, err error) {
	if s.Dialect == "sqlite" {
		return func() error { return nil }, nil
	}
	if _, ok := s.Q.(*sql.Conn); !ok {
		return nil, fmt.Errorf("lock: needs a single connection (*sql.Conn), got %T", s.Q)
	}
	if s.Dialect == "postgres" {
		return s.pgLock(ctx, timeout)
	}
	var db sql.NullString
	if err := queryOne(ctx, s, "SELECT DATABASE()", nil, &db); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	if !db.Valid {
		return nil, fmt.Errorf("lock: the connection has no database selected")
	}
	name := LockName(db.String)
	secs := int64(timeout / time.Second)
	var got sql.NullInt64
	if err := queryOne(ctx, s, "SELECT GET_LOCK(?, ?)", []any{name, secs}, &got); err != nil {
		return nil, fmt.Errorf("lock %q: %w", name, err)
	}
	if !got.Valid || got.Int64 != 1 {
		var holder sql.NullInt64
		_ = queryOne(ctx, s, "SELECT IS_USED_LOCK(?)", []any{name}, &holder)
		return nil, &LockedError{Name: name, Holder: holder.Int64, Wait: time.Duration(secs) * time.Second}
	}
	return func() error {
		var rel sql.NullInt64
		// Release even when the caller's ctx was cancelled.
		if err := queryOne(context.WithoutCancel(ctx), s, "SELECT RELEASE_LOCK(?)", []any{name}, &rel); err != nil {
			return fmt.Errorf("unlock %q: %w", name, err)
		}
		return nil
	}, nil
}

// pgLock is Lock on PostgreSQL: a session-level pg_advisory_lock on a hash
// of the lock name, tried every 100 ms until timeout.
func (s *Store) pgLock(ctx context.Context, timeout time.Duration) (func() error, error) {
	var db string
	if err := queryOne(ctx, s, "SELECT current_database()", nil, &db); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	name := LockName(db)
	deadline := time.Now().Add(timeout)
	for {
		var got bool
		if err := queryOne(ctx, s, "SELECT pg_try_advisory_lock(hashtextextended(?, 0))", []any{name}, &got); err != nil {
			return nil, fmt.Errorf("lock %q: %w", name, err)
		}
		if got {
			break
		}
		if !time.Now().Before(deadline) {
			return nil, &LockedError{Name: name, Wait: timeout.Truncate(time.Second)}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lock %q: %w", name, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return func() error {
		var ok bool
		if err := queryOne(context.WithoutCancel(ctx), s, "SELECT pg_advisory_unlock(hashtextextended(?, 0))", []any{name}, &ok); err != nil {
			return fmt.Errorf("unlock %q: %w", name, err)
		}
		return nil
	}, nil
}

func queryOne(ctx context.Context, s *Store, q string, args []any, dest ...any) error {
	return dialect.QueryRow(ctx, s.db(), q, args, dest...)
}
