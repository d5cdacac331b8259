package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/revision"
)

// lock takes t's per-database lock. When another run holds it, it says so
// at once, with the holder and how long it will wait (the environment's
// lock_timeout), and then waits; the failure names lock_timeout too.
func (a *app) lock(ctx context.Context, t *target, l dialect.Locker) (func() error, error) {
	timeout := config.DefaultLockTimeout
	setting := "lock_timeout " + timeout.String() + ", the default"
	if t.Env != nil {
		timeout = t.Env.LockTimeout
		setting = "lock_timeout " + timeout.String()
	}
	name := revision.LockName(t.Database)
	release, err := l.Lock(ctx, t.Conn, name, 0)
	var held *dialect.LockHeldError
	if errors.As(err, &held) && timeout >= time.Second {
		fmt.Fprintf(a.io.Err, "Waiting for the lock on %s held by %s (up to %s)…\n", t.Database, holderOf(held), setting)
		release, err = l.Lock(ctx, t.Conn, name, int(timeout/time.Second))
	}
	switch {
	case err == nil:
		return release, nil
	case ctx.Err() != nil:
		return nil, errors.New("interrupted while waiting for the lock: nothing was changed")
	case errors.As(err, &held):
		where := "the environment's lock_timeout"
		if t.Env != nil {
			where = "lock_timeout in " + t.Env.File
		}
		return nil, fmt.Errorf("the lock on %s is still held by %s after %s: another strata run is applying or rolling back there; nothing was changed. "+
			"Try again when it is done, or raise %s", t.Database, holderOf(held), setting, where)
	}
	return nil, err
}

// holderOf names the session holding the lock, or says it is unknown.
func holderOf(e *dialect.LockHeldError) string {
	if e.Holder == "" {
		return "another session"
	}
	return e.Holder
}
