package mysql

import (
	"context"
	"database/sql"
	"sync/atomic"
)

// Reader is a connection pool for Inspect only. Its connections accept
// several statements per request, which lets Inspect send its per-table
// SHOW CREATE statements as a few batched requests instead of one round trip
// each. Nothing else runs on it: a pool that takes statement batches must
// never see SQL built from untrusted text, and Inspect quotes every name it
// sends.
//
// It counts what it sends (Stats), so callers can check that inspection
// costs a constant number of round trips.
type Reader struct {
	db         *sql.DB
	requests   atomic.Int64
	statements atomic.Int64
}

// ReaderStats counts what a Reader sent: Requests are round trips to the
// server, Statements the SQL statements they carried (a batch of n SHOW
// CREATE statements is one request and n statements).
type ReaderStats struct {
	Requests, Statements int64
}

// readerIdleConns keeps the connections of Inspect's concurrent bulk
// queries open for its batched pass (and a second inspection), instead of
// database/sql's default of two idle connections.
const readerIdleConns = 8

// OpenReader opens a Reader for a mysql:// URL, parsed as OpenURL parses it.
// It connects lazily: open it beside a pool that OpenURL has checked.
func OpenReader(raw string) (*Reader, error) {
	_, connector, err := newConnector(raw, true)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	db.SetMaxIdleConns(readerIdleConns)
	return &Reader{db: db}, nil
}

// QueryContext sends one statement.
func (r *Reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.send(ctx, 1, query, args...)
}

// ExecContext sends one statement.
func (r *Reader) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	r.count(1)
	return r.db.ExecContext(ctx, query, args...)
}

// send sends one request of n statements separated by semicolons; the
// caller walks their result sets with rows.NextResultSet.
func (r *Reader) send(ctx context.Context, n int, query string, args ...any) (*sql.Rows, error) {
	r.count(n)
	return r.db.QueryContext(ctx, query, args...)
}

func (r *Reader) count(statements int) {
	r.requests.Add(1)
	r.statements.Add(int64(statements))
}

// Stats returns what the Reader has sent since it was opened.
func (r *Reader) Stats() ReaderStats {
	return ReaderStats{Requests: r.requests.Load(), Statements: r.statements.Load()}
}

// Close closes the pool.
func (r *Reader) Close() error {
	return r.db.Close()
}
