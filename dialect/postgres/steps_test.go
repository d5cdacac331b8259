package postgres_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/pgtestdb"
)

// TestDialect_SettleStep: on the real server, a CREATE INDEX CONCURRENTLY
// is done when its index is valid, to run again when it is absent, and to
// run again after its INVALID index (what an interrupted build leaves) is
// dropped; a DROP INDEX CONCURRENTLY is done once the index is gone; an
// enum's ADD VALUE IF NOT EXISTS runs again.
func TestDialect_SettleStep(t *testing.T) {
	db := pgtestdb.New(t)
	d, _ := open(t, db)
	ctx := context.Background()
	db.Exec(t, `CREATE SCHEMA app; CREATE TABLE app.t (id int PRIMARY KEY, v int); INSERT INTO app.t VALUES (1, 1), (2, 1)`)
	create := `CREATE UNIQUE INDEX CONCURRENTLY "t_v" ON "app"."t" ("v")`
	drop := `DROP INDEX CONCURRENTLY "app"."t_v"`
	state := func() string {
		return pgString(t, db, `SELECT coalesce((SELECT CASE WHEN indisvalid THEN 'valid' ELSE 'invalid' END FROM pg_index WHERE indexrelid = to_regclass('app.t_v')), 'absent')`)
	}
	settle := func(stmt string) (bool, bool) {
		t.Helper()
		done, known, err := d.SettleStep(ctx, db.DB, stmt)
		if err != nil {
			t.Fatalf("SettleStep(%s): %v", stmt, err)
		}
		return done, known
	}

	if done, known := settle(create); done || !known || state() != "absent" {
		t.Errorf("absent index: done %v known %v (%s), want to run", done, known, state())
	}
	// A unique build over duplicates fails after its first phase: the
	// server leaves the index INVALID, as an interrupted build does.
	if _, err := db.DB.ExecContext(ctx, create); err == nil {
		t.Fatal("the unique index was built over duplicate values")
	}
	if s := state(); s != "invalid" {
		t.Fatalf("after a failed concurrent build the index is %s; this test relies on the server leaving it INVALID", s)
	}
	if done, known := settle(create); done || !known || state() != "absent" {
		t.Errorf("INVALID index: done %v known %v, index %s; want it dropped and the statement to run again", done, known, state())
	}
	db.Exec(t, `UPDATE app.t SET v = id`)
	if _, err := db.DB.ExecContext(ctx, create); err != nil {
		t.Fatal(err)
	}
	if done, known := settle(create); !done || !known || state() != "valid" {
		t.Errorf("valid index: done %v known %v (%s), want done", done, known, state())
	}
	if done, known := settle(drop); done || !known {
		t.Errorf("DROP INDEX CONCURRENTLY of a present index: done %v known %v, want to run", done, known)
	}
	if _, err := db.DB.ExecContext(ctx, drop); err != nil {
		t.Fatal(err)
	}
	if done, known := settle(drop); !done || !known {
		t.Errorf("DROP INDEX CONCURRENTLY of a gone index: done %v known %v, want done", done, known)
	}
	if _, known := settle(`ALTER TABLE app.t ADD COLUMN w int`); known {
		t.Errorf("an ordinary statement is settled by the dialect; it should be left to the hash")
	}
	if done, known := settle(`ALTER TABLE "app"."t" VALIDATE CONSTRAINT "c"`); done || !known {
		t.Errorf("VALIDATE CONSTRAINT: done %v known %v, want to run again (harmless)", done, known)
	}
	// An enum value a dead run added runs again as a no-op.
	add := `ALTER TYPE app.e ADD VALUE IF NOT EXISTS 'b'`
	db.Exec(t, `CREATE TYPE app.e AS ENUM ('a')`)
	for range 2 {
		if done, known := settle(add); done || !known {
			t.Errorf("ADD VALUE IF NOT EXISTS: done %v known %v, want to run (again)", done, known)
		}
		if _, err := db.DB.ExecContext(ctx, add); err != nil {
			t.Fatal(err)
		}
	}
	if _, known := settle(`ALTER TYPE app.e ADD VALUE 'c'`); known {
		t.Errorf("ADD VALUE without IF NOT EXISTS fails when run again; it should be left to the hash")
	}
}

// TestDialect_LockTimeout: a statement under SetLockTimeout gives up on a
// lock another session holds after about the timeout, LockTimedOut tells
// it, and LockHolders names that session and its lock, not its query.
func TestDialect_LockTimeout(t *testing.T) {
	db := pgtestdb.New(t)
	d, _ := open(t, db)
	ctx := context.Background()
	db.Exec(t, `CREATE TABLE "Busy" (id int PRIMARY KEY); CREATE TABLE other (id int)`)
	holder, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	var pid int
	if err := holder.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := holder.ExecContext(ctx, `BEGIN; SELECT count(*) FROM "Busy" WHERE id <> 424242`); err != nil {
		t.Fatal(err)
	}
	defer holder.ExecContext(ctx, "ROLLBACK") //nolint:errcheck

	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := d.SetLockTimeout(ctx, conn, 300*time.Millisecond, false); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = conn.ExecContext(ctx, `ALTER TABLE "Busy" ADD COLUMN v int`)
	took := time.Since(start)
	if err == nil || !d.LockTimedOut(err) {
		t.Fatalf("ALTER under a held lock: %v, want a lock timeout", err)
	}
	if took < 250*time.Millisecond || took > 3*time.Second {
		t.Errorf("gave up after %s, want about lock_timeout 300ms", took)
	}
	if d.LockTimedOut(context.DeadlineExceeded) {
		t.Errorf("LockTimedOut takes any error for a lock timeout")
	}
	got := d.LockHolders(ctx, conn, `ALTER TABLE "Busy" ADD COLUMN v int`)
	want := "pid " + strconv.Itoa(pid) + " ("
	if !strings.Contains(got, want) || !strings.Contains(got, "AccessShareLock on Busy") || !strings.Contains(got, "idle in transaction") {
		t.Errorf("LockHolders = %q, want %q… holding AccessShareLock on Busy, idle in transaction", got, want)
	}
	if strings.Contains(got, "424242") {
		t.Errorf("LockHolders shows the holder's query: %q", got)
	}
	if got := d.LockHolders(ctx, conn, `ALTER TABLE other ADD COLUMN v int`); got != "" {
		t.Errorf("LockHolders of a table nobody locks = %q, want none", got)
	}
	// Reset: the session waits for ever again (0 is PostgreSQL's default).
	if err := d.SetLockTimeout(ctx, conn, 0, false); err != nil {
		t.Fatal(err)
	}
	var lt string
	if err := conn.QueryRowContext(ctx, "SHOW lock_timeout").Scan(&lt); err != nil || lt != "0" {
		t.Errorf("lock_timeout after reset = %q (%v), want 0", lt, err)
	}
}

func pgString(t *testing.T, db *pgtestdb.DB, q string) string {
	t.Helper()
	var s string
	if err := db.QueryRow(q).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}
