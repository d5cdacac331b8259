package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/stratadb/strata/dialect"
)

// Lock takes the session-level advisory lock of name (pg_advisory_lock on
// a 64-bit hash of it) on q, which must be one connection (*sql.Conn): the
// lock is the session's until unlock or until the session ends, so a
// crashed run never leaves it behind. It tries every 100 ms for
// timeoutSeconds (0 tries once); when another session holds the lock the
// error is a *dialect.LockHeldError naming that session's pid, user and
// client.
func (d *Dialect) Lock(ctx context.Context, q dialect.Querier, name string, timeoutSeconds int) (func() error, error) {
	if _, ok := q.(*sql.Conn); !ok {
		return nil, fmt.Errorf("lock %q: needs a single connection (*sql.Conn), got %T", name, q)
	}
	deadline := time.Now().Add(time.Duration(timeoutSeconds) * time.Second)
	for {
		var got bool
		if err := dialect.QueryRow(ctx, q, "SELECT pg_try_advisory_lock(hashtextextended($1, 0))", []any{name}, &got); err != nil {
			return nil, fmt.Errorf("lock %q: %w", name, err)
		}
		if got {
			break
		}
		if !time.Now().Before(deadline) {
			return nil, &dialect.LockHeldError{Name: name, Holder: lockHolder(ctx, q, name)}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lock %q: %w", name, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return func() error {
		var ok bool
		// Release even when the caller's ctx was cancelled.
		if err := dialect.QueryRow(context.WithoutCancel(ctx), q, "SELECT pg_advisory_unlock(hashtextextended($1, 0))", []any{name}, &ok); err != nil {
			return fmt.Errorf("unlock %q: %w", name, err)
		}
		return nil
	}, nil
}

// lockHolder describes the session holding the advisory lock of name:
// "connection 4242 (app@10.0.0.5)", or "" when it cannot be seen.
func lockHolder(ctx context.Context, q dialect.Querier, name string) string {
	var pid int64
	var who, addr sql.NullString
	err := dialect.QueryRow(ctx, q, `SELECT l.pid, a.usename, host(a.client_addr)
FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND ((l.classid::bigint << 32) | l.objid::bigint) = (hashtextextended($1, 0) & x'ffffffffffffffff'::bigint)
LIMIT 1`, []any{name}, &pid, &who, &addr)
	if err != nil {
		return ""
	}
	s := fmt.Sprintf("connection %d", pid)
	switch {
	case who.Valid && addr.Valid:
		s += fmt.Sprintf(" (%s@%s)", who.String, addr.String)
	case who.Valid:
		s += fmt.Sprintf(" (%s)", who.String)
	}
	return s
}
