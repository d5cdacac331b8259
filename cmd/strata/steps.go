package main

import (
	"context"
	"fmt"
	"time"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/revision"
)

// lockRetry is how t's statements wait for their table locks, from its
// environment's ddl block (the defaults for --url), when the dialect can
// bound a lock wait; nil otherwise. say reports each retry.
func (a *app) lockRetry(t *target, say func(string)) *revision.LockRetry {
	lt, ok := t.Dialect.(dialect.LockTimeouter)
	if !ok {
		return nil
	}
	ddl := config.DefaultDDL()
	settings := "ddl { lock_timeout, lock_retries } in the environment's file"
	if t.Env != nil {
		ddl = t.Env.DDL
		settings = fmt.Sprintf("ddl { lock_timeout (now %s), lock_retries (now %d) } in %s", ddl.LockTimeout, ddl.LockRetries, t.Env.File)
	}
	if say == nil {
		say = func(msg string) { fmt.Fprintln(a.io.Err, msg) }
	}
	return &revision.LockRetry{
		Dialect: lt, Timeout: ddl.LockTimeout, Retries: ddl.LockRetries, Settings: settings,
		Retrying: func(n, retries int, pause time.Duration, stmt, holders string) {
			held := ""
			if holders != "" {
				held = "; " + holders
			}
			say(fmt.Sprintf("  Waiting for a table lock: %s gave up after lock_timeout %s%s. Rolled back; retry %d of %d in %s.",
				firstLine(stmt), ddl.LockTimeout, held, n, retries, pause))
		},
	}
}

// stepOptions adds to o what a run of a transactional dialect's revision
// with statements of their own needs: transactions for the rest, lock
// timeouts with retries, and the dialect's settling of a step a dead run
// left half done.
func (a *app) stepOptions(t *target, o *revision.RunOptions, say func(string)) {
	if _, ok := t.Dialect.(dialect.TxApplier); ok {
		o.Transactions = true
	}
	o.Lock = a.lockRetry(t, say)
	if ss, ok := t.Dialect.(dialect.StepSettler); ok && t.Conn != nil {
		o.SettleStep = func(ctx context.Context, stmt string) (bool, bool, error) {
			return ss.SettleStep(ctx, t.Conn, stmt)
		}
	}
}

// txOptions are the options of a revision run in one transaction on t.
func (a *app) txOptions(t *target, allowDataLoss bool) revision.TxOptions {
	return revision.TxOptions{Hash: liveHashOn(t), AllowDataLoss: allowDataLoss, Lock: a.lockRetry(t, nil)}
}

// inOneTx reports whether t runs the statements ss in one transaction: a
// transactional dialect, and none of them must run on its own.
func inOneTx(t *target, ss []revision.Statement) (dialect.TxApplier, bool) {
	ta, ok := t.Dialect.(dialect.TxApplier)
	return ta, ok && !revision.OwnSteps(ss)
}

// executeTx runs statements without recording them (ad hoc --url) on a
// transactional dialect, under the lock timeout, each NoTx statement alone.
func (a *app) executeTx(ctx context.Context, t *target, ta dialect.TxApplier, ss []revision.Statement) error {
	var o revision.RunOptions
	a.stepOptions(t, &o, nil)
	return revision.Execute(ctx, ta, t.Conn, ss, o)
}
