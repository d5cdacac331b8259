package main

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"

	"github.com/stratadb/strata/dialect"
)

// countingQuerier counts and records the statements a dialect sends through
// it. Wrapping hides any pool from the inspector, so it takes its
// one-session path, a request per statement, as on a *sql.Conn.
type countingQuerier struct {
	q dialect.Querier
	n atomic.Int64

	mu     sync.Mutex
	record bool
	seen   []recorded
}

// replayConns bounds the connections of a concurrent replay: the
// inspector's 7 bulk queries, with room for its per-object workers.
const replayConns = 8

// recorded is one statement with its arguments, for replaying as the floor.
type recorded struct {
	Query string
	Args  []any
	Exec  bool
}

func (c *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.add(recorded{Query: query, Args: args})
	return c.q.QueryContext(ctx, query, args...)
}

func (c *countingQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.add(recorded{Query: query, Args: args, Exec: true})
	return c.q.ExecContext(ctx, query, args...)
}

func (c *countingQuerier) add(r recorded) {
	c.n.Add(1)
	c.mu.Lock()
	if c.record {
		c.seen = append(c.seen, r)
	}
	c.mu.Unlock()
}

// replay runs the recorded queries on q and reads every row as raw bytes,
// doing nothing with them: the floor an inspector cannot go below. With
// concurrent set, all but the first query run at once on a pool, as the
// inspector does on a *sql.DB.
func replay(ctx context.Context, q dialect.Querier, qs []recorded, concurrent bool) error {
	one := func(r recorded) error {
		if r.Exec {
			_, err := q.ExecContext(ctx, r.Query, r.Args...)
			return err
		}
		rows, err := q.QueryContext(ctx, r.Query, r.Args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		dest := make([]any, len(cols))
		for i := range dest {
			dest[i] = new(sql.RawBytes)
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return rows.Close()
	}
	if !concurrent || len(qs) < 2 {
		for _, r := range qs {
			if err := one(r); err != nil {
				return err
			}
		}
		return nil
	}
	// The inspector reads the schema row first, then the bulk queries at
	// once and per-object statements on a few connections: replaying on at
	// most replayConns connections stays within the server's limit.
	if err := one(qs[0]); err != nil {
		return err
	}
	errs := make([]error, len(qs))
	sem := make(chan struct{}, replayConns)
	var wg sync.WaitGroup
	for i, r := range qs[1:] {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = one(r)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
