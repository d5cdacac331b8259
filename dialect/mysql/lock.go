package mysql

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/stratadb/strata/dialect"
)

var _ dialect.Locker = (*Dialect)(nil)

// maxLockName is the longest lock name MySQL accepts (MariaDB takes longer
// ones; one rule for both keeps names portable).
const maxLockName = 64

// foreverSeconds stands in for "wait without limit": GET_LOCK with a
// negative timeout is infinite on MySQL but returns NULL at once on MariaDB.
const foreverSeconds = 365 * 24 * 3600

// LockHeldError is returned by Lock when another session holds the lock
// past the timeout; its Holder is "connection 42 (app@10.0.0.5:51234)", or
// "connection 42" when PROCESSLIST does not show it, or "" when the lock
// was released before it could be read.
type LockHeldError = dialect.LockHeldError

// LockName returns the GET_LOCK name used for name: name itself when it
// fits in 64 characters, else a prefix of it and a hash of the whole.
func LockName(name string) string {
	if len([]rune(name)) <= maxLockName {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	h := hex.EncodeToString(sum[:])[:16]
	r := []rune(name)[:maxLockName-len(h)-1]
	return string(r) + ":" + h
}

// Lock takes the advisory lock name with GET_LOCK on q's session, waiting
// up to timeoutSeconds (0: try once; negative: wait without limit). q must
// be one session (*sql.Conn): the lock lives as long as that session or
// until unlock, which runs RELEASE_LOCK on it. When another session holds
// the lock past the timeout, the error is a *LockHeldError.
func (d *Dialect) Lock(ctx context.Context, q dialect.Querier, name string, timeoutSeconds int) (func() error, error) {
	if name == "" {
		return nil, errors.New("lock: empty lock name")
	}
	lockName := LockName(name)
	if timeoutSeconds < 0 {
		timeoutSeconds = foreverSeconds
	}
	var got sql.NullInt64
	if err := lockQuery(ctx, q, "SELECT GET_LOCK(?, ?)", []any{lockName, timeoutSeconds}, &got); err != nil {
		return nil, fmt.Errorf("lock %q: %w", lockName, err)
	}
	if !got.Valid {
		return nil, fmt.Errorf("lock %q: GET_LOCK returned NULL (error or killed session)", lockName)
	}
	if got.Int64 != 1 {
		return nil, &LockHeldError{Name: lockName, Holder: lockHolder(ctx, q, lockName)}
	}
	var once sync.Once
	var unlockErr error
	unlock := func() error {
		once.Do(func() {
			// A canceled apply must still release its lock.
			ctx := context.WithoutCancel(ctx)
			var rel sql.NullInt64
			if err := lockQuery(ctx, q, "SELECT RELEASE_LOCK(?)", []any{lockName}, &rel); err != nil {
				unlockErr = fmt.Errorf("unlock %q: %w", lockName, err)
				return
			}
			if !rel.Valid || rel.Int64 != 1 {
				unlockErr = fmt.Errorf("unlock %q: this session does not hold the lock", lockName)
			}
		})
		return unlockErr
	}
	return unlock, nil
}

// lockHolder describes the session holding lockName, best effort.
func lockHolder(ctx context.Context, q dialect.Querier, lockName string) string {
	var id sql.NullInt64
	if err := lockQuery(ctx, q, "SELECT IS_USED_LOCK(?)", []any{lockName}, &id); err != nil || !id.Valid {
		return ""
	}
	holder := fmt.Sprintf("connection %d", id.Int64)
	// PROCESSLIST shows other users' sessions only with the PROCESS
	// privilege; without it the connection id is all there is.
	var user, host sql.NullString
	err := lockQuery(ctx, q, "SELECT USER, HOST FROM information_schema.PROCESSLIST WHERE ID = ?", []any{id.Int64}, &user, &host)
	if err == nil && user.Valid {
		holder += " (" + user.String + "@" + host.String + ")"
	}
	return holder
}

// lockQuery runs a one-row query with arguments and scans it into dest.
func lockQuery(ctx context.Context, q dialect.Querier, query string, args []any, dest ...any) error {
	return dialect.QueryRow(ctx, q, query, args, dest...)
}
