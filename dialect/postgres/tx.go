package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// ApplyTx runs stmts and then inTx in one transaction on conn: PostgreSQL's
// DDL is transactional, so a revision that fails part-way leaves nothing
// done and its record commits with its statements.
func (d *Dialect) ApplyTx(ctx context.Context, conn *sql.Conn, stmts []string, inTx func(tx *sql.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	for i, s := range stmts {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("statement %d of %d: %w\n  %s", i+1, len(stmts), err, firstLines(s))
		}
	}
	if err := inTx(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func firstLines(s string) string {
	if len(s) > 300 {
		return s[:297] + "..."
	}
	return s
}
