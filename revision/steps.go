package revision

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/stratadb/strata/dialect"
)

// A dialect whose DDL is transactional (PostgreSQL) runs a revision in one
// transaction, unless some of its statements cannot run in one (NoTx:
// CREATE INDEX CONCURRENTLY). Such a revision runs as steps: each stretch
// of consecutive transactional statements in one transaction that commits
// together with the record of its progress (a crash leaves the stretch all
// done or not at all), and each NoTx statement alone in autocommit, marked
// running with the schema hash before it and done after it, as every
// statement of MySQL is. A rerun resumes after the last step done; one a
// dead run left running is settled by the dialect (StepSettler: a valid
// index is done, an INVALID one dropped and built again) or else by the
// hash.

// LockRetry bounds how long each statement waits for the locks it needs,
// and retries a statement (or transaction of statements) that gave up, so
// that a migration never queues every other query of a table behind its
// lock request for longer than Timeout.
type LockRetry struct {
	Dialect dialect.LockTimeouter
	Timeout time.Duration
	// Retries is how many times what gave up is tried again.
	Retries int
	// Pause returns how long to wait before retry n (1-based); nil: 1s,
	// 2s, 4s, … at most 30s.
	Pause func(n int) time.Duration
	// Retrying, when set, is told of each retry before its pause: stmt
	// gave up waiting for a lock that holders hold ("" when none is seen).
	Retrying func(n, retries int, pause time.Duration, stmt, holders string)
	// Settings names the settings that tune it, for the error that ends
	// the retries: `ddl { lock_timeout, lock_retries } in prod.hcl`.
	Settings string
}

// LockTimeoutError reports a statement that gave up waiting for its locks
// on every attempt. Nothing of it remains.
type LockTimeoutError struct {
	Statement string
	Attempts  int
	Timeout   time.Duration
	// Holders describes the sessions holding the locks, as the last
	// attempt found them ("" when none was seen).
	Holders  string
	Settings string
	Err      error
}

func (e *LockTimeoutError) Error() string {
	held := "another session holds a lock it needs (an open transaction that used the table, or a long query)"
	if e.Holders != "" {
		held = e.Holders
	}
	settings := e.Settings
	if settings == "" {
		settings = "ddl { lock_timeout, lock_retries }"
	}
	return fmt.Sprintf("gave up waiting for its table locks after %s, each waiting up to lock_timeout %s: %s. Nothing of it was done. Let that session finish (or end it), or raise %s, and run again",
		plural(e.Attempts, "attempt"), e.Timeout, held, settings)
}

func (e *LockTimeoutError) Unwrap() error { return e.Err }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// pause is the wait before retry n.
func (l *LockRetry) pause(n int) time.Duration {
	if l.Pause != nil {
		return l.Pause(n)
	}
	d := time.Second << min(n-1, 5)
	return min(d, 30*time.Second)
}

// Do runs try until it succeeds, fails for another reason than a lock wait,
// or has used every retry. try returns the statement that failed with its
// error; after a lock wait that ran out, undo (when set) cleans up what
// that statement left half done before the next attempt. A nil l runs try
// once.
func (l *LockRetry) Do(ctx context.Context, q dialect.Querier, try func() (string, error), undo func(stmt string) error) error {
	bg := context.WithoutCancel(ctx)
	for n := 0; ; n++ {
		stmt, err := try()
		if err == nil || l == nil || !l.Dialect.LockTimedOut(err) {
			return err
		}
		holders := l.Dialect.LockHolders(bg, q, stmt)
		if undo != nil {
			if uerr := undo(stmt); uerr != nil {
				return errors.Join(err, uerr)
			}
		}
		lerr := &LockTimeoutError{Statement: stmt, Attempts: n + 1, Timeout: l.Timeout, Holders: holders, Settings: l.Settings, Err: err}
		if n >= l.Retries || ctx.Err() != nil {
			return lerr
		}
		p := l.pause(n + 1)
		if l.Retrying != nil {
			l.Retrying(n+1, l.Retries, p, stmt, holders)
		}
		select {
		case <-ctx.Done():
			return lerr
		case <-time.After(p):
		}
	}
}

// set bounds q's lock waits for the session (local false) or the
// transaction q is; unset removes the session's bound.
func (l *LockRetry) set(ctx context.Context, q dialect.Querier, local bool) error {
	if l == nil {
		return nil
	}
	return l.Dialect.SetLockTimeout(ctx, q, l.Timeout, local)
}

func (l *LockRetry) unset(ctx context.Context, q dialect.Querier) error {
	if l == nil {
		return nil
	}
	return l.Dialect.SetLockTimeout(ctx, q, 0, false)
}

// noTx reports whether statement i of the run is NoTx.
func (o RunOptions) noTx(i int) bool {
	return o.statement != nil && o.statement(i).NoTx
}

// groupEnd is the end (exclusive) of the stretch of transactional
// statements starting at i.
func (o RunOptions) groupEnd(i, n int) int {
	j := i
	for j < n && !o.noTx(j) {
		j++
	}
	return j
}

// runGroup runs statements [i, j) in one transaction on q under the lock
// timeout, committing it together with the record that they are done. It
// returns the index of the statement that failed (the transaction is then
// rolled back).
func runGroup(ctx context.Context, q dialect.Querier, st *Store, r *Revision, stmts []string, i, j int, o RunOptions) (int, error) {
	b, ok := q.(txBeginner)
	if !ok {
		return i, fmt.Errorf("revision %s: its statements run in transactions, which %T cannot hold", r.Version, q)
	}
	tx, err := b.BeginTx(ctx, nil)
	if err != nil {
		return i, err
	}
	if err := o.Lock.set(ctx, tx, true); err != nil {
		return i, errors.Join(err, tx.Rollback())
	}
	for k := i; k < j; k++ {
		if o.Progress != nil {
			o.Progress(k, len(stmts), stmts[k])
		}
		if _, err := tx.ExecContext(ctx, stmts[k]); err != nil {
			return k, errors.Join(err, tx.Rollback())
		}
	}
	txStore := &Store{Q: tx, Dialect: st.Dialect}
	if err := txStore.Progress(ctx, r.Version, j); err != nil {
		return j - 1, errors.Join(fmt.Errorf("record statements %d–%d with their transaction: %w", i+1, j, err), tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return j - 1, err
	}
	return j, nil
}

// execStep runs a statement of its own (autocommit) under the lock
// timeout, retrying as o.Lock says; after a lock wait that ran out the
// dialect undoes what the statement left half done.
func (o RunOptions) execStep(ctx context.Context, q dialect.Querier, sql string) error {
	bg := context.WithoutCancel(ctx)
	try := func() (string, error) {
		if err := o.Lock.set(bg, q, false); err != nil {
			return sql, err
		}
		_, err := q.ExecContext(bg, sql)
		if uerr := o.Lock.unset(bg, q); uerr != nil && err == nil {
			err = uerr
		}
		return sql, err
	}
	var undo func(string) error
	if o.SettleStep != nil {
		undo = func(stmt string) error {
			_, _, err := o.SettleStep(bg, stmt)
			return err
		}
	}
	return o.Lock.Do(ctx, q, try, undo)
}

// Execute runs ss on conn through a dialect whose DDL is transactional
// without recording them (an ad hoc run against a URL): each stretch of
// transactional statements in one transaction, each NoTx statement alone,
// all under o.Lock; a NoTx statement whose lock wait ran out is settled by
// o.SettleStep before it is tried again.
func Execute(ctx context.Context, ta dialect.TxApplier, conn *sql.Conn, ss []Statement, o RunOptions) error {
	for i := 0; i < len(ss); {
		if i > 0 && ctx.Err() != nil {
			return fmt.Errorf("interrupted after statement %d of %d; the rest did not run", i, len(ss))
		}
		j := i + 1
		var err error
		if ss[i].NoTx {
			err = o.execStep(ctx, conn, ss[i].SQL)
		} else {
			for j < len(ss) && !ss[j].NoTx {
				j++
			}
			sqls := make([]string, 0, j-i)
			for _, s := range ss[i:j] {
				sqls = append(sqls, s.SQL)
			}
			err = applyTx(ctx, ta, conn, sqls, TxOptions{Lock: o.Lock}, func(*sql.Tx) error { return nil })
		}
		if err != nil {
			if i == 0 && j == len(ss) {
				return fmt.Errorf("apply failed and was rolled back, nothing changed: %w", err)
			}
			return stretchFailed(i, j, len(ss), ss[i].NoTx, err)
		}
		i = j
	}
	return nil
}

// stretchFailed says which statements i+1..j of n failed and what of the
// run stands: a transaction's are rolled back, the i before them are done.
func stretchFailed(i, j, n int, noTx bool, err error) error {
	what, it := fmt.Sprintf("statements %d–%d of %d failed and were rolled back", i+1, j, n), "them"
	if j == i+1 {
		it = "it"
		what = fmt.Sprintf("statement %d of %d failed", i+1, n)
		if !noTx {
			what += " and was rolled back"
		}
	}
	done := "nothing before " + it + " changed"
	switch {
	case i == 1:
		done = "the statement before " + it + " is done"
	case i > 1:
		done = fmt.Sprintf("the %d statements before %s are done", i, it)
	}
	return fmt.Errorf("%s (%s): %w", what, done, err)
}
