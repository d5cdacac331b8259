package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/revision"
	"github.com/stratadb/strata/schema"
)

// parallelTables is how many unrelated tables the --parallel benchmark
// changes, and the N it passes.
const parallelTables = 4

// parallelResult holds the --parallel benchmark's measurements: one
// revision that builds an index on each of parallelTables tables, applied
// through the revision runner one statement at a time and in parallel.
type parallelResult struct {
	rows     int
	stmts    []string
	seq, par []time.Duration
}

func benchParallel(ctx context.Context, o *options) (_ *parallelResult, err error) {
	r := &parallelResult{rows: o.parallelRows}
	pool, conn, done, err := scratchDatabase(ctx, o, o.prefix+"_parallel")
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, done()) }()
	start := time.Now()
	for i := range parallelTables {
		if err := fillBig(ctx, conn, fmt.Sprintf("p%d", i), o.parallelRows); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(o.log, "parallel: filled %d tables of %s rows in %s\n", parallelTables, fmtCount(o.parallelRows), fmtDur(time.Since(start)))

	// The revision is what Strata plans for a new index on each table.
	d, err := mysql.New(ctx, pool)
	if err != nil {
		return nil, err
	}
	current, err := d.Inspect(ctx, conn)
	if err != nil {
		return nil, err
	}
	desired := current.Clone()
	for _, t := range desired.Tables {
		t.Indexes = append(t.Indexes, &schema.Index{Name: "k_note", Parts: []schema.IndexPart{{Column: "note"}, {Column: "status"}}})
	}
	online := dialect.GenOptions{Online: true}
	up, err := planner.Build(current, desired, planner.Diff(current, desired, d), d, online)
	if err != nil {
		return nil, err
	}
	down, err := planner.BuildReverse(current, desired, d, online)
	if err != nil {
		return nil, err
	}
	rev := &revision.Revision{Version: "20260101000000", Slug: "bench", Checksum: "h1:bench"}
	for _, s := range up.Statements() {
		rev.Up = append(rev.Up, revision.Statement{SQL: s.SQL})
		r.stmts = append(r.stmts, s.SQL)
	}
	for _, s := range down.Statements() {
		rev.Down = append(rev.Down, revision.Statement{SQL: s.SQL})
	}
	if len(rev.Up) != parallelTables {
		return nil, fmt.Errorf("expected %d statements, got %q", parallelTables, r.stmts)
	}

	st := &revision.Store{Q: conn, Dialect: "mysql"}
	if err := st.Init(ctx); err != nil {
		return nil, err
	}
	parallel := revision.RunOptions{
		Parallel: parallelTables,
		Conn: func(ctx context.Context) (dialect.Querier, func(), error) {
			c, err := pool.Conn(ctx)
			if err != nil {
				return nil, nil, err
			}
			return c, func() { c.Close() }, nil
		},
		Tables: mysql.StatementTables,
	}
	// Each run applies the revision, then rolls it back (not timed).
	timed := func(o revision.RunOptions) (time.Duration, error) {
		t0 := time.Now()
		if err := revision.Apply(ctx, conn, st, rev, o); err != nil {
			return 0, err
		}
		took := time.Since(t0)
		if err := revision.Rollback(ctx, conn, st, rev, revision.RunOptions{}); err != nil {
			return 0, fmt.Errorf("roll back: %w", err)
		}
		return took, nil
	}
	for run := 0; run < o.runs; run++ {
		t, err := timed(revision.RunOptions{})
		if err != nil {
			return nil, err
		}
		r.seq = append(r.seq, t)
		if t, err = timed(parallel); err != nil {
			return nil, err
		}
		r.par = append(r.par, t)
		fmt.Fprintf(o.log, "parallel: run %d: one by one %s, --parallel %d %s\n", run+1, fmtDur(r.seq[run]), parallelTables, fmtDur(r.par[run]))
	}
	return r, nil
}

func printParallel(w io.Writer, r *parallelResult) {
	fmt.Fprintf(w, "\nA new index on each of %d unrelated tables of %s rows, one revision through the revision runner, median of %d runs\n\n",
		parallelTables, fmtCount(r.rows), len(r.seq))
	fmt.Fprintln(w, "| apply | connections | time |")
	fmt.Fprintln(w, "|---|---:|---:|")
	fmt.Fprintf(w, "| one statement at a time | 1 | %s |\n", fmtDur(median(r.seq)))
	fmt.Fprintf(w, "| `--parallel %d` | %d | %s |\n", parallelTables, parallelTables, fmtDur(median(r.par)))
	fmt.Fprintf(w, "\nThe statements:\n\n    %s\n", strings.Join(r.stmts, "\n    "))
}
