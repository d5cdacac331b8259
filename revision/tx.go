package revision

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/stratadb/strata/dialect"
)

// TxOptions tune ApplyTx and RollbackTx.
type TxOptions struct {
	// Hash returns the live schema hash as seen through q (the connection
	// before the transaction, the transaction inside it). When set, a fresh
	// apply is refused with a *DriftError unless the live schema is at
	// r.FromHash, a rollback unless it is at the hash the apply recorded,
	// and the hash after is recorded.
	Hash func(ctx context.Context, q dialect.Querier) (string, error)
	// AllowDataLoss lets RollbackTx run irreversible or destructive down
	// statements.
	AllowDataLoss bool
	// Lock, when set, bounds how long each statement waits for its locks;
	// a transaction that gave up is rolled back and tried again, as Lock
	// says.
	Lock *LockRetry
}

// applyTx runs stmts and inTx through ta in one transaction on conn under
// o.Lock, trying again what gave up waiting for a lock.
func applyTx(ctx context.Context, ta dialect.TxApplier, conn *sql.Conn, stmts []string, o TxOptions, inTx func(tx *sql.Tx) error) error {
	bg := context.WithoutCancel(ctx)
	return o.Lock.Do(ctx, conn, func() (string, error) {
		// For the session, around the transaction: SET LOCAL would have
		// to come inside ApplyTx's transaction. Reset after, so that the
		// lock and history statements between revisions wait as before.
		if err := o.Lock.set(bg, conn, false); err != nil {
			return "", err
		}
		err := ta.ApplyTx(ctx, conn, stmts, inTx)
		if uerr := o.Lock.unset(bg, conn); uerr != nil && err == nil {
			err = uerr
		}
		// The names in every statement, for whose locks held it up.
		return strings.Join(stmts, ";\n"), err
	}, nil)
}

// ApplyTx applies r through a dialect whose DDL is transactional (SQLite):
// its up statements and its strata_revisions record commit together or not
// at all, so there is never a partial run to resume. dialectName is the
// Store dialect ("sqlite").
func ApplyTx(ctx context.Context, ta dialect.TxApplier, conn *sql.Conn, dialectName string, r *Revision, o TxOptions) error {
	st := &Store{Q: conn, Dialect: dialectName}
	rec, err := st.Get(ctx, r.Version)
	switch {
	case errors.Is(err, ErrNoRecord):
	case err != nil:
		return err
	case rec.IsApplied():
		return fmt.Errorf("revision %s: %w", r.Version, ErrAlreadyApplied)
	case rec.Status == StatusPartial:
		// Only a non-transactional run leaves this; it is not ours to finish.
		return fmt.Errorf("revision %s is recorded as partial (%s, %d of %d statements); resolve it by hand", r.Version, rec.Direction, rec.Done, rec.Total)
	}
	if err := driftCheck(ctx, conn, r.Version, r.FromHash, false, o); err != nil {
		return err
	}
	stmts := r.UpSQL()
	err = applyTx(ctx, ta, conn, stmts, o, func(tx *sql.Tx) error {
		st := &Store{Q: tx, Dialect: dialectName}
		if err := st.Init(ctx); err != nil {
			return err
		}
		if err := st.Begin(ctx, r, len(stmts), CurrentUser()); err != nil {
			return err
		}
		after, err := txHash(ctx, tx, o)
		if err != nil {
			return err
		}
		return st.Finish(ctx, r.Version, after)
	})
	if err != nil {
		return fmt.Errorf("apply revision %s (nothing was changed): %w", r.Version, err)
	}
	return nil
}

// RollbackTx runs r's down statements through a transactional dialect and
// records the rollback in the same transaction. It refuses what Rollback
// refuses.
func RollbackTx(ctx context.Context, ta dialect.TxApplier, conn *sql.Conn, dialectName string, r *Revision, o TxOptions) error {
	if r.Baseline {
		return baselineRollback(r)
	}
	st := &Store{Q: conn, Dialect: dialectName}
	rec, err := st.Get(ctx, r.Version)
	if err != nil {
		return err
	}
	if rec.Status == StatusBaselined {
		return baselineRollback(r)
	}
	if rec.Status != StatusApplied {
		return fmt.Errorf("revision %s is %s, not applied; nothing to roll back", r.Version, rec.Status)
	}
	if !o.AllowDataLoss {
		if reasons := r.DataLoss(); len(reasons) > 0 {
			return &DataLossError{Version: r.Version, Reasons: reasons}
		}
	}
	if rec.HashAfter != "" {
		if err := driftCheck(ctx, conn, r.Version, rec.HashAfter, true, o); err != nil {
			return err
		}
	}
	stmts := r.DownSQL()
	err = applyTx(ctx, ta, conn, stmts, o, func(tx *sql.Tx) error {
		st := &Store{Q: tx, Dialect: dialectName}
		if err := st.Init(ctx); err != nil {
			return err
		}
		if err := st.BeginDown(ctx, r, len(stmts), CurrentUser()); err != nil {
			return err
		}
		return st.MarkRolledBack(ctx, r.Version)
	})
	if err != nil {
		return fmt.Errorf("roll back revision %s (nothing was changed): %w", r.Version, err)
	}
	return nil
}

func driftCheck(ctx context.Context, q dialect.Querier, version, want string, rollback bool, o TxOptions) error {
	if o.Hash == nil || want == "" {
		return nil
	}
	live, err := o.Hash(ctx, q)
	if err != nil {
		return fmt.Errorf("revision %s: schema hash: %w", version, err)
	}
	if live != want {
		return &DriftError{Version: version, Want: want, Got: live, Rollback: rollback}
	}
	return nil
}

func txHash(ctx context.Context, tx *sql.Tx, o TxOptions) (string, error) {
	if o.Hash == nil {
		return "", nil
	}
	h, err := o.Hash(ctx, tx)
	if err != nil {
		return "", fmt.Errorf("schema hash after: %w", err)
	}
	return h, nil
}
