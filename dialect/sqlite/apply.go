package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// ForeignKeyError reports rows that break a foreign key after a revision's
// statements ran; the transaction was rolled back.
type ForeignKeyError struct {
	Table  string // child table
	RowID  int64  // rowid of the offending row (0 for WITHOUT ROWID tables)
	Parent string // referenced table
	FK     string // "(cols) REFERENCES parent (cols)", when known
	More   int    // further violations not described
}

func (e *ForeignKeyError) Error() string {
	s := fmt.Sprintf("foreign key violation: row %d of %q has no parent row in %q", e.RowID, e.Table, e.Parent)
	if e.FK != "" {
		s += " (" + e.FK + ")"
	}
	if e.More > 0 {
		s += fmt.Sprintf(", and %d more", e.More)
	}
	return s
}

// ApplyTx runs stmts and then inTx in one transaction on conn, following
// SQLite's procedure for schema changes: foreign key enforcement is turned
// off outside the transaction (PRAGMA foreign_keys is a no-op inside one),
// and before commit PRAGMA foreign_key_check must find no row that breaks a
// foreign key. Any error rolls everything back, so the database is as it
// was, and enforcement is restored to what it was.
//
// The transaction is the lock: SQLite allows one writer at a time, and a
// connection opened by OpenURL begins transactions IMMEDIATE, so a second
// apply waits (busy_timeout) or fails instead of interleaving.
func (d *Dialect) ApplyTx(ctx context.Context, conn *sql.Conn, stmts []string, inTx func(tx *sql.Tx) error) (err error) {
	var fkOn bool
	if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fkOn); err != nil {
		return fmt.Errorf("read foreign_keys: %w", err)
	}
	if fkOn {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return fmt.Errorf("disable foreign keys: %w", err)
		}
		defer func() {
			// The session may outlive the apply: restore enforcement even
			// when ctx is done.
			if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); rerr != nil && err == nil {
				err = fmt.Errorf("re-enable foreign keys: %w", rerr)
			}
		}()
	}
	// A rebuild turns legacy_alter_table on for its rename; a failure in
	// between must not leave the session that way.
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA legacy_alter_table = OFF")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
				err = fmt.Errorf("%w (rollback: %v)", err, rerr)
			}
		}
	}()
	for i, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("statement %d of %d (%s): %w", i+1, len(stmts), abbrev(s), err)
		}
	}
	if err := foreignKeyCheck(ctx, tx); err != nil {
		return err
	}
	if inTx != nil {
		if err := inTx(tx); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	var first *ForeignKeyError
	var fkid int
	n := 0
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var id int
		if err := rows.Scan(&table, &rowid, &parent, &id); err != nil {
			rows.Close()
			return fmt.Errorf("foreign_key_check: %w", err)
		}
		if first == nil {
			first = &ForeignKeyError{Table: table, RowID: rowid.Int64, Parent: parent}
			fkid = id
		}
		n++
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	rows.Close()
	if first == nil {
		return nil
	}
	first.More = n - 1
	// Name the key's columns for the message.
	krows, err := tx.QueryContext(ctx, `SELECT "from", COALESCE("to", '') FROM pragma_foreign_key_list(?) WHERE id = ? ORDER BY seq`,
		first.Table, fkid)
	if err == nil {
		var from, to []string
		for krows.Next() {
			var f, t string
			if krows.Scan(&f, &t) == nil {
				from = append(from, f)
				if t != "" {
					to = append(to, t)
				}
			}
		}
		krows.Close()
		if len(from) > 0 {
			first.FK = "(" + strings.Join(from, ", ") + ") REFERENCES " + first.Parent
			if len(to) > 0 {
				first.FK += " (" + strings.Join(to, ", ") + ")"
			}
		}
	}
	return first
}

func abbrev(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
