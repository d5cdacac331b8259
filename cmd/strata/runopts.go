package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/revision"
	"github.com/stratadb/strata/schema"
)

// runOptions are the options of a revision run on t: the live-hash checks
// that make it resumable, progress on stderr, the INSTANT fallback and,
// with --parallel N, what a parallel run needs. done ends the progress.
func (a *app) runOptions(ctx context.Context, t *target, label string) (o revision.RunOptions, done func(), err error) {
	p := a.newProgress(ctx, label)
	if wt, ok := t.Dialect.(dialect.WaitTeller); ok && t.Conn != nil && t.DB != nil {
		// Asked on another session of the pool: the pinned one runs the
		// statement.
		if id, err := wt.SessionID(ctx, t.Conn); err == nil {
			p.waiting = func(ctx context.Context) string {
				msg, err := wt.WaitingFor(ctx, t.DB, id)
				if err != nil {
					return ""
				}
				return msg
			}
		}
	}
	o = revision.RunOptions{Hash: liveHash(t), Progress: p.Statement, Fallback: a.fallback(t)}
	if ot, ok := t.Dialect.(dialect.OrphanTeller); ok && t.Conn != nil {
		o.AwaitOrphan = a.awaitOrphan(t, ot)
	}
	a.stepOptions(t, &o, p.note)
	teller, ok := t.Dialect.(dialect.TableTeller)
	if !ok {
		return o, p.Done, nil
	}
	// With these, the hash taken before each statement covers only the
	// tables it touches (and a rerun of a parallel run settles its
	// statements, with or without --parallel).
	o.Tables = teller.StatementTables
	o.HashTables = liveTablesHash(t)
	if a.parallel <= 1 {
		return o, p.Done, nil
	}
	live, err := t.inspect(ctx, t.Reader)
	if err != nil {
		return o, p.Done, fmt.Errorf("inspect %s for --parallel: %w", t.Name, err)
	}
	o.Parallel = a.parallel
	o.Linked = foreignKeyPairs(live)
	o.Conn = func(ctx context.Context) (dialect.Querier, func(), error) {
		c, err := t.DB.Conn(ctx)
		if err != nil {
			return nil, nil, err
		}
		return c, func() { c.Close() }, nil
	}
	// Statements of several lanes start and end in any order: plain lines,
	// never a live line another statement would overwrite.
	p.parallel()
	o.Finished = p.Finished
	return o, p.Done, nil
}

// awaitOrphan waits while the server still runs a statement of a run that
// died, saying so once: only when it ended can the rerun tell whether it
// took effect.
func (a *app) awaitOrphan(t *target, ot dialect.OrphanTeller) func(ctx context.Context, stmt string) error {
	return func(ctx context.Context, stmt string) error {
		said := false
		for {
			running, err := ot.Orphaned(ctx, t.Conn, stmt)
			if err != nil || !running {
				// A server that does not tell leaves the hash to decide, as before.
				return nil
			}
			if !said {
				fmt.Fprintf(a.io.Err, "Waiting for the server to finish the statement the stopped run left running on %s:\n  %s\n", t.Name, firstLine(stmt))
				said = true
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
}

// foreignKeyPairs lists the tables of s joined by a foreign key.
func foreignKeyPairs(s *schema.Schema) [][2]string {
	var pairs [][2]string
	for _, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			pairs = append(pairs, [2]string{t.Name, fk.RefTable})
		}
	}
	return pairs
}

// liveTablesHash returns the hash of some tables of t's live schema; a
// missing table counts as missing. A dialect that can read just those
// tables does, so that the hash costs what they cost.
func liveTablesHash(t *target) func(ctx context.Context, tables []string) (string, error) {
	return func(ctx context.Context, tables []string) (string, error) {
		var s *schema.Schema
		var err error
		if ti, ok := t.Dialect.(dialect.TableInspector); ok {
			s, err = ti.InspectTables(ctx, t.Reader, tables)
		} else {
			s, err = t.inspect(ctx, t.Reader)
		}
		if err != nil {
			return "", err
		}
		t.exclude.filter(s)
		part := &schema.Schema{Name: s.Name}
		for _, name := range tables {
			if tb := s.Table(name); tb != nil {
				part.Tables = append(part.Tables, tb)
			}
		}
		return part.Hash(), nil
	}
}

// parallelFlag adds --parallel to a command that runs revisions.
func parallelFlag(a *app, cmd *cobra.Command) {
	cmd.Flags().IntVar(&a.parallel, "parallel", 1,
		"run statements of up to `N` unrelated tables at once (MySQL/MariaDB; never tables linked by a foreign key)")
	prev := cmd.PreRunE
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if a.parallel < 1 {
			return usageError(cmd, fmt.Errorf("--parallel must be at least 1"))
		}
		if prev != nil {
			return prev(cmd, args)
		}
		return nil
	}
}

// dialectLabel names d's server for messages ("PostgreSQL").
func dialectLabel(d dialect.Dialect) string {
	if tc, ok := d.(dialect.TypeCatalog); ok && tc.Types().Dialect != "" {
		return tc.Types().Dialect
	}
	return d.Name()
}

// checkParallel refuses --parallel where it cannot be honoured, and notes
// where it has nothing to do.
func (a *app) checkParallel(t *target) error {
	if a.parallel <= 1 {
		return nil
	}
	if _, ok := t.Dialect.(dialect.TxApplier); ok {
		fmt.Fprintf(a.io.Err, "note: %s applies each revision in one transaction; --parallel has no effect\n", dialectLabel(t.Dialect))
		return nil
	}
	if t.Env == nil {
		return fmt.Errorf("--parallel needs --env: a parallel run records each statement in the environment's history so that a crash can be resumed, and an ad hoc --url run keeps no history")
	}
	return nil
}
