package sqlite

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/stratadb/strata/dialect"
)

func itoa(i int) string { return strconv.Itoa(i) }

type countingQuerier struct {
	q dialect.Querier
	n int
}

func (c *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n++
	return c.q.QueryContext(ctx, query, args...)
}

func (c *countingQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n++
	return c.q.ExecContext(ctx, query, args...)
}
