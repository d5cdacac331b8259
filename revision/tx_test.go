package revision

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/sqlite"
)

func sqliteConn(t *testing.T) *sql.Conn {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.OpenURL(ctx, "sqlite://"+filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func sqliteHash(ctx context.Context, q dialect.Querier) (string, error) {
	s, err := sqlite.New().Inspect(ctx, q)
	if err != nil {
		return "", err
	}
	return s.Hash(), nil
}

func liteTables(t *testing.T, conn *sql.Conn) string {
	t.Helper()
	var s sql.NullString
	err := conn.QueryRowContext(context.Background(), `SELECT group_concat(name, ',') FROM
 (SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('strata_revisions', 'strata_revision_events') ORDER BY name)`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s.String
}

func TestApplyTx(t *testing.T) {
	ctx := context.Background()
	d := sqlite.New()
	mk := func(t *testing.T, conn *sql.Conn) *Revision {
		r := testRevision("20260101000000", "CREATE TABLE a (id integer PRIMARY KEY)", "CREATE TABLE b (id integer PRIMARY KEY)")
		r.Down = []Statement{{SQL: "DROP TABLE b"}, {SQL: "DROP TABLE a"}}
		h, err := sqliteHash(ctx, conn)
		if err != nil {
			t.Fatal(err)
		}
		r.FromHash = h
		return r
	}
	o := TxOptions{Hash: sqliteHash}

	t.Run("apply and roll back", func(t *testing.T) {
		conn := sqliteConn(t)
		r := mk(t, conn)
		if err := ApplyTx(ctx, d, conn, "sqlite", r, o); err != nil {
			t.Fatal(err)
		}
		st := &Store{Q: conn, Dialect: "sqlite"}
		rec := get(t, st, r.Version)
		live, _ := sqliteHash(ctx, conn)
		if rec.Status != StatusApplied || rec.Done != 2 || rec.HashAfter != live || live == r.FromHash {
			t.Errorf("record: %+v (live %s)", rec, live)
		}
		if err := ApplyTx(ctx, d, conn, "sqlite", r, o); !errors.Is(err, ErrAlreadyApplied) {
			t.Errorf("second ApplyTx = %v", err)
		}
		if err := RollbackTx(ctx, d, conn, "sqlite", r, o); err != nil {
			t.Fatal(err)
		}
		if got := liteTables(t, conn); got != "" {
			t.Errorf("tables after rollback: %s", got)
		}
		if rec := get(t, st, r.Version); rec.Status != StatusRolledBack {
			t.Errorf("record after rollback: %+v", rec)
		}
	})

	t.Run("failure changes nothing", func(t *testing.T) {
		conn := sqliteConn(t)
		r := mk(t, conn)
		r.Up[1].SQL = "CREATE TABLE a (id integer)" // exists by then
		err := ApplyTx(ctx, d, conn, "sqlite", r, o)
		if err == nil || !strings.Contains(err.Error(), "nothing was changed") {
			t.Fatalf("ApplyTx = %v", err)
		}
		if got := liteTables(t, conn); got != "" {
			t.Errorf("tables after a failed apply: %s", got)
		}
		if _, err := (&Store{Q: conn, Dialect: "sqlite"}).Get(ctx, r.Version); !errors.Is(err, ErrNoRecord) {
			t.Errorf("a failed apply left a record: %v", err)
		}
	})

	t.Run("drift is refused", func(t *testing.T) {
		conn := sqliteConn(t)
		r := mk(t, conn)
		if _, err := conn.ExecContext(ctx, "CREATE TABLE stray (id integer)"); err != nil {
			t.Fatal(err)
		}
		var de *DriftError
		if err := ApplyTx(ctx, d, conn, "sqlite", r, o); !errors.As(err, &de) {
			t.Errorf("ApplyTx on a drifted database = %v", err)
		}
	})

	t.Run("rollback refuses data loss", func(t *testing.T) {
		conn := sqliteConn(t)
		r := mk(t, conn)
		r.Down[0].Irreversible = true
		if err := ApplyTx(ctx, d, conn, "sqlite", r, o); err != nil {
			t.Fatal(err)
		}
		var dl *DataLossError
		if err := RollbackTx(ctx, d, conn, "sqlite", r, o); !errors.As(err, &dl) {
			t.Errorf("RollbackTx = %v, want a *DataLossError", err)
		}
		o := o
		o.AllowDataLoss = true
		if err := RollbackTx(ctx, d, conn, "sqlite", r, o); err != nil {
			t.Error(err)
		}
	})
}
