package revision

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/testdb"
)

// liveHash is a stand-in for the schema hash: the database's tables and
// columns, without strata_revisions.
func liveHashOf(db *sql.DB) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		rows, err := db.QueryContext(ctx, `SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ':', COLUMN_TYPE)
 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT IN ('strata_revisions', 'strata_revision_events')
 ORDER BY TABLE_NAME, ORDINAL_POSITION`)
		if err != nil {
			return "", err
		}
		defer rows.Close()
		h := sha256.New()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return "", err
			}
			h.Write([]byte(s + "\n"))
		}
		return hex.EncodeToString(h.Sum(nil)), rows.Err()
	}
}

// execHook runs a function after each successful statement.
type execHook struct {
	*sql.DB
	after func(sql string)
}

func (h execHook) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := h.DB.ExecContext(ctx, q, args...)
	if err == nil && h.after != nil {
		h.after(q)
	}
	return res, err
}

func tables(t *testing.T, db *sql.DB) string {
	t.Helper()
	var s sql.NullString
	err := db.QueryRow(`SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES
 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT IN ('strata_revisions', 'strata_revision_events')`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s.String
}

func TestRun(t *testing.T) {
	ctx := context.Background()

	t.Run("failure at k, rerun resumes at k", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		// Statement 3 needs a table the test creates only after the failure;
		// rerunning statements 1-2 would fail (CREATE TABLE without IF NOT
		// EXISTS), so the rerun proves they are not repeated.
		r := testRevision("20260101000000",
			"CREATE TABLE a (id int)",
			"CREATE TABLE b (id int)",
			"ALTER TABLE ext ADD COLUMN c int",
			"CREATE TABLE d (id int)")
		var seen []int
		o := RunOptions{Progress: func(i, n int, _ string) {
			if n != 4 {
				t.Errorf("progress n = %d", n)
			}
			seen = append(seen, i)
		}}
		err := Apply(ctx, db.DB, st, r, o)
		var pe *PartialError
		if !errors.As(err, &pe) || pe.Done != 2 || pe.Total != 4 || pe.Statement != r.Up[2].SQL {
			t.Fatalf("Apply = %v, want a *PartialError at statement 3", err)
		}
		if !strings.Contains(err.Error(), "statement 3 of 4") || !strings.Contains(err.Error(), "ext") {
			t.Errorf("error text: %v", err)
		}
		rec := get(t, st, r.Version)
		if rec.Status != StatusPartial || rec.Done != 2 || rec.Running != -1 || rec.Statement != r.Up[2].SQL ||
			!strings.Contains(rec.Error, "ext") {
			t.Errorf("record after failure: %+v", rec)
		}
		if got := tables(t, db.DB); got != "a,b" {
			t.Errorf("tables after failure: %s", got)
		}

		db.Exec(t, "CREATE TABLE ext (id int)")
		seen = nil
		if err := Apply(ctx, db.DB, st, r, o); err != nil {
			t.Fatalf("rerun: %v", err)
		}
		if len(seen) != 2 || seen[0] != 2 {
			t.Errorf("rerun ran statements %v, want [2 3]", seen)
		}
		rec = get(t, st, r.Version)
		if rec.Status != StatusApplied || rec.Done != 4 || rec.Error != "" {
			t.Errorf("record after rerun: %+v", rec)
		}
		if got := tables(t, db.DB); got != "a,b,d,ext" {
			t.Errorf("tables after rerun: %s", got)
		}
		if err := Apply(ctx, db.DB, st, r, o); !errors.Is(err, ErrAlreadyApplied) {
			t.Errorf("third Apply = %v, want ErrAlreadyApplied", err)
		}
	})

	t.Run("a refused statement runs as the fallback says", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		db.Exec(t, "CREATE TABLE t (id int PRIMARY KEY, a int)")
		// MariaDB cannot add an index instantly: the statement is refused
		// and the fallback runs it without the algorithm.
		r := testRevision("20260101000003", "ALTER TABLE t ADD KEY k (a), ALGORITHM=INSTANT")
		var asked int
		o := RunOptions{Fallback: func(sql string, err error) (string, bool) {
			asked++
			return strings.TrimSuffix(sql, ", ALGORITHM=INSTANT"), true
		}}
		if err := Apply(ctx, db.DB, st, r, o); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		if asked != 1 {
			t.Errorf("fallback asked %d times, want 1", asked)
		}
		if rec := get(t, st, r.Version); rec.Status != StatusApplied || rec.Done != 1 {
			t.Errorf("record: %+v", rec)
		}
	})

	t.Run("cancelled between statements", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		r := testRevision("20260101000000", "CREATE TABLE a (id int)", "CREATE TABLE b (id int)", "CREATE TABLE c (id int)")
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		q := execHook{DB: db.DB, after: func(q string) {
			if strings.Contains(q, "TABLE b") {
				cancel() // as SIGINT arriving while b runs
			}
		}}
		err := Apply(cctx, q, st, r, RunOptions{})
		var pe *PartialError
		if !errors.As(err, &pe) || pe.Done != 2 || pe.Statement != "" || !errors.Is(err, ErrInterrupted) || !errors.Is(err, context.Canceled) {
			t.Fatalf("Apply = %v, want an interrupted *PartialError after 2", err)
		}
		if !strings.Contains(err.Error(), "stopped after 2 of 3") {
			t.Errorf("error text: %v", err)
		}
		if rec := get(t, st, r.Version); rec.Status != StatusPartial || rec.Done != 2 || rec.Running != -1 || !strings.Contains(rec.Error, "interrupted") {
			t.Errorf("record: %+v", rec)
		}
		if err := Apply(ctx, db.DB, st, r, RunOptions{}); err != nil {
			t.Fatalf("rerun: %v", err)
		}
		if got := tables(t, db.DB); got != "a,b,c" {
			t.Errorf("tables: %s", got)
		}
	})

	// A process killed after a DDL statement took effect but before its
	// progress was recorded: the rerun must skip it. Killed before it took
	// effect: the rerun must run it.
	for _, tookEffect := range []bool{true, false} {
		name := "crash before the statement took effect"
		if tookEffect {
			name = "crash after the statement took effect"
		}
		t.Run(name, func(t *testing.T) {
			db := testdb.New(t)
			st := &Store{Q: db.DB, Dialect: "mysql"}
			hash := liveHashOf(db.DB)
			r := testRevision("20260101000000", "CREATE TABLE a (id int)", "ALTER TABLE a ADD COLUMN b int", "CREATE TABLE c (id int)")
			if err := st.Init(ctx); err != nil {
				t.Fatal(err)
			}
			if err := st.Begin(ctx, r, 3, "alice"); err != nil {
				t.Fatal(err)
			}
			if err := Run(ctx, db.DB, st, r, r.UpSQL()[:1], 0, RunOptions{Hash: hash}); err != nil {
				t.Fatal(err)
			}
			// What Run does for statement 2, up to the crash.
			h, err := hash(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Running(ctx, r.Version, 1, h); err != nil {
				t.Fatal(err)
			}
			if tookEffect {
				db.Exec(t, r.Up[1].SQL)
			}

			if err := Apply(ctx, db.DB, st, r, RunOptions{}); err == nil || !strings.Contains(err.Error(), "may or may not have taken effect") {
				t.Errorf("resume without a hash = %v, want an *UncertainError", err)
			}
			var ran []string
			q := execHook{DB: db.DB, after: func(q string) { ran = append(ran, q) }}
			if err := Apply(ctx, q, st, r, RunOptions{Hash: hash}); err != nil {
				t.Fatalf("resume: %v", err)
			}
			want := r.UpSQL()[1:]
			if tookEffect {
				want = want[1:]
			}
			if strings.Join(ran, "|") != strings.Join(want, "|") {
				t.Errorf("resume ran %q, want %q", ran, want)
			}
			rec := get(t, st, r.Version)
			if rec.Status != StatusApplied || rec.Done != 3 {
				t.Errorf("record: %+v", rec)
			}
			if live, _ := hash(ctx); rec.HashAfter != live {
				t.Errorf("hash after = %s, live %s", rec.HashAfter, live)
			}
		})
	}

	t.Run("drifted database is refused", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		hash := liveHashOf(db.DB)
		r := testRevision("20260101000000", "CREATE TABLE a (id int)")
		var err error
		if r.FromHash, err = hash(ctx); err != nil {
			t.Fatal(err)
		}
		db.Exec(t, "CREATE TABLE stray (id int)")
		var de *DriftError
		if err := Apply(ctx, db.DB, st, r, RunOptions{Hash: hash}); !errors.As(err, &de) || !strings.Contains(err.Error(), "drifted") {
			t.Fatalf("Apply on a drifted database = %v, want a *DriftError", err)
		}
		if got := tables(t, db.DB); got != "stray" {
			t.Errorf("refused apply touched the schema: %s", got)
		}
		db.Exec(t, "DROP TABLE stray")
		if err := Apply(ctx, db.DB, st, r, RunOptions{Hash: hash}); err != nil {
			t.Fatalf("Apply at the from-hash: %v", err)
		}
	})

	t.Run("changed file refuses to resume", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		r := testRevision("20260101000000", "CREATE TABLE a (id int)", "BOGUS")
		if err := Apply(ctx, db.DB, st, r, RunOptions{}); err == nil {
			t.Fatal("bogus statement succeeded")
		}
		r.Checksum = "h1:other"
		if err := Apply(ctx, db.DB, st, r, RunOptions{}); err == nil || !strings.Contains(err.Error(), "different file") {
			t.Errorf("Apply of a changed revision = %v", err)
		}
	})
}

func TestRollback(t *testing.T) {
	ctx := context.Background()
	mk := func() *Revision {
		r := testRevision("20260101000000", "CREATE TABLE a (id int)", "CREATE TABLE b (id int)")
		r.Down = []Statement{{SQL: "DROP TABLE b"}, {SQL: "DROP TABLE a"}}
		return r
	}

	t.Run("runs down and marks rolled back", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		r := mk()
		if err := Apply(ctx, db.DB, st, r, RunOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := Rollback(ctx, db.DB, st, r, RunOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := tables(t, db.DB); got != "" {
			t.Errorf("tables after rollback: %s", got)
		}
		if rec := get(t, st, r.Version); rec.Status != StatusRolledBack || rec.Direction != Down || rec.Done != 2 {
			t.Errorf("record: %+v", rec)
		}
		if err := Rollback(ctx, db.DB, st, r, RunOptions{}); err == nil {
			t.Errorf("second rollback succeeded")
		}
		// Re-applying a rolled-back revision works.
		if err := Apply(ctx, db.DB, st, r, RunOptions{}); err != nil {
			t.Fatalf("re-apply: %v", err)
		}
		if got := kinds(events(t, st)); got != "apply:applied rollback:rolled_back reapply:applied" {
			t.Errorf("events = %s", got)
		}
	})

	t.Run("rollback of a row of the old layout keeps its apply", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		r := mk()
		db.Exec(t, oldLayout("mysql")+"; CREATE TABLE a (id int); CREATE TABLE b (id int)")
		if _, err := db.DB.Exec("INSERT INTO "+Table+" (version, checksum, status, done, total, started_at, finished_at, applied_by) VALUES (?, ?, 'applied', 2, 2, '2025-01-01 10:00:00', '2025-01-01 10:00:01', 'ann')",
			r.Version, r.Checksum); err != nil {
			t.Fatal(err)
		}
		if err := Rollback(ctx, db.DB, st, r, RunOptions{}); err != nil {
			t.Fatal(err)
		}
		evs := events(t, st)
		if got := kinds(evs); got != "apply:applied rollback:rolled_back" || evs[0].OSUser != "ann" || !evs[0].Imported || evs[0].Duration() != time.Second {
			t.Errorf("events = %s: %+v", got, evs)
		}
	})

	t.Run("interrupted rollback resumes", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		r := mk()
		r.Down[1].SQL = "DROP TABLE a_missing"
		if err := Apply(ctx, db.DB, st, r, RunOptions{}); err != nil {
			t.Fatal(err)
		}
		var pe *PartialError
		if err := Rollback(ctx, db.DB, st, r, RunOptions{}); !errors.As(err, &pe) || pe.Done != 1 || !strings.Contains(err.Error(), "rollback") {
			t.Fatalf("Rollback = %v, want a *PartialError after 1", err)
		}
		if err := Apply(ctx, db.DB, st, r, RunOptions{}); err == nil || !strings.Contains(err.Error(), "rollback") {
			t.Errorf("Apply during a stopped rollback = %v", err)
		}
		db.Exec(t, "CREATE TABLE a_missing (id int)")
		if err := Rollback(ctx, db.DB, st, r, RunOptions{}); err != nil {
			t.Fatalf("resumed rollback: %v", err)
		}
		if got := tables(t, db.DB); got != "a" {
			t.Errorf("tables: %s", got)
		}
		if got := kinds(events(t, st)); got != "apply:applied rollback:failed rollback_resume:rolled_back" {
			t.Errorf("events = %s", got)
		}
	})

	t.Run("refuses data loss unless allowed", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		r := mk()
		r.Down[0].Hazards = []string{"destructive: drops table b and its rows"}
		r.Down[1].Irreversible = true
		if err := Apply(ctx, db.DB, st, r, RunOptions{}); err != nil {
			t.Fatal(err)
		}
		var dl *DataLossError
		err := Rollback(ctx, db.DB, st, r, RunOptions{})
		if !errors.As(err, &dl) || len(dl.Reasons) != 2 || !strings.Contains(err.Error(), "drops table b") {
			t.Fatalf("Rollback = %v, want a *DataLossError with 2 reasons", err)
		}
		if got := tables(t, db.DB); got != "a,b" {
			t.Errorf("refused rollback touched the schema: %s", got)
		}
		if err := Rollback(ctx, db.DB, st, r, RunOptions{AllowDataLoss: true}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("refuses a drifted database", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		hash := liveHashOf(db.DB)
		r := mk()
		r.FromHash = ""
		if err := Apply(ctx, db.DB, st, r, RunOptions{Hash: hash}); err != nil {
			t.Fatal(err)
		}
		db.Exec(t, "ALTER TABLE a ADD COLUMN extra int")
		var de *DriftError
		if err := Rollback(ctx, db.DB, st, r, RunOptions{Hash: hash}); !errors.As(err, &de) || !de.Rollback {
			t.Fatalf("Rollback of a drifted database = %v, want a *DriftError", err)
		}
		db.Exec(t, "ALTER TABLE a DROP COLUMN extra")
		if err := Rollback(ctx, db.DB, st, r, RunOptions{Hash: hash}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("refuses a partial apply", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		r := mk()
		r.Up[1].SQL = "BOGUS"
		_ = Apply(ctx, db.DB, st, r, RunOptions{})
		if err := Rollback(ctx, db.DB, st, r, RunOptions{}); err == nil || !strings.Contains(err.Error(), "partly applied") {
			t.Errorf("Rollback of a partial apply = %v", err)
		}
	})
}

// TestApply_Kill kills a real process running Apply before and after each
// statement takes effect, then reruns: every statement must end up run
// exactly once (each would fail if run twice).
func TestApply_Kill(t *testing.T) {
	if os.Getenv("STRATA_KILL_DB") != "" {
		t.Skip("helper process")
	}
	stmts := []string{"CREATE TABLE a (id int)", "ALTER TABLE a ADD COLUMN b int", "CREATE TABLE c (id int)"}
	for k := range stmts {
		for _, when := range []string{"before", "after"} {
			for _, hashed := range []string{"schema", "tables"} {
				t.Run(fmt.Sprintf("%s statement %d, %s hash", when, k+1, hashed), func(t *testing.T) {
					killAndRerun(t, stmts, k, when, hashed)
				})
			}
		}
	}
}

// hashOptions are the run options of the kill tests: hashes of the whole
// schema, or of each statement's tables.
func hashOptions(db *sql.DB, hashed string) RunOptions {
	o := RunOptions{Hash: liveHashOf(db)}
	if hashed == "tables" {
		o.Tables, o.HashTables = testTables, hashTablesOf(db)
	}
	return o
}

func killAndRerun(t *testing.T, stmts []string, k int, when, hashed string) {
	db := testdb.New(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestApplyKillHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "STRATA_KILL_DB="+db.Name, "STRATA_KILL_AT="+strconv.Itoa(k), "STRATA_KILL_WHEN="+when, "STRATA_KILL_HASH="+hashed)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("helper did not die at the kill point: %v\n%s", err, out)
	}
	ctx := context.Background()
	st := &Store{Q: db.DB, Dialect: "mysql"}
	r := killRevision(stmts)
	if hashed == "tables" {
		if rec := get(t, st, r.Version); rec.Running >= 0 && !strings.HasPrefix(rec.RunningHash, tablesHashPrefix) {
			t.Errorf("the killed run recorded %q, not a hash of the statement's tables", rec.RunningHash)
		}
	}
	if err := Apply(ctx, db.DB, st, r, hashOptions(db.DB, hashed)); err != nil {
		t.Fatalf("rerun after kill: %v", err)
	}
	if got := tables(t, db.DB); got != "a,c" {
		t.Errorf("tables: %s", got)
	}
	if rec := get(t, st, r.Version); rec.Status != StatusApplied || rec.Done != len(stmts) {
		t.Errorf("record: %+v", rec)
	}
}

func killRevision(stmts []string) *Revision {
	r := testRevision("20260101000000", stmts...)
	r.FromHash = "" // the helper starts from an empty database
	return r
}

// TestApplyKillHelper is the process TestApply_Kill kills.
func TestApplyKillHelper(t *testing.T) {
	name := os.Getenv("STRATA_KILL_DB")
	if name == "" {
		t.Skip("only run by TestApply_Kill")
	}
	k, _ := strconv.Atoi(os.Getenv("STRATA_KILL_AT"))
	when := os.Getenv("STRATA_KILL_WHEN")
	db, err := sql.Open("mysql", testdb.DSN(name))
	if err != nil {
		t.Fatal(err)
	}
	stmts := []string{"CREATE TABLE a (id int)", "ALTER TABLE a ADD COLUMN b int", "CREATE TABLE c (id int)"}
	r := killRevision(stmts)
	q := execHook{DB: db, after: func(q string) {
		if when == "after" && q == stmts[k] {
			os.Exit(3)
		}
	}}
	o := hashOptions(db, os.Getenv("STRATA_KILL_HASH"))
	o.Progress = func(i, _ int, _ string) {
		if when == "before" && i == k {
			os.Exit(3)
		}
	}
	err = Apply(context.Background(), q, &Store{Q: db, Dialect: "mysql"}, r, o)
	t.Fatalf("helper was not killed: %v", err)
}

func TestApplyNew(t *testing.T) {
	ctx := context.Background()
	newRev := func(slug string, stmts ...string) *Revision {
		r := &Revision{Slug: slug, Created: created}
		for _, s := range stmts {
			r.Up = append(r.Up, Statement{SQL: s})
		}
		return r
	}

	t.Run("success keeps the file", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		dir := Dir{Path: t.TempDir()}
		r := newRev("a", "CREATE TABLE a (id int)")
		path, err := ApplyNew(ctx, dir, db.DB, st, r, RunOptions{})
		if err != nil || path == "" {
			t.Fatalf("ApplyNew = %q, %v", path, err)
		}
		revs, err := dir.Load()
		if err != nil || len(revs) != 1 {
			t.Fatalf("Load = %d, %v", len(revs), err)
		}
		if rec := get(t, st, r.Version); rec.Status != StatusApplied || rec.Checksum != revs[0].Checksum {
			t.Errorf("record %+v, file checksum %s", rec, revs[0].Checksum)
		}
	})

	t.Run("failure before anything ran leaves nothing", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		dir := Dir{Path: t.TempDir()}
		if _, err := ApplyNew(ctx, dir, db.DB, st, newRev("a", "CREATE TABLE a (id int)"), RunOptions{}); err != nil {
			t.Fatal(err)
		}
		r := newRev("b", "ALTER TABLE missing ADD COLUMN x int", "CREATE TABLE b (id int)")
		path, err := ApplyNew(ctx, dir, db.DB, st, r, RunOptions{})
		var pe *PartialError
		if !errors.As(err, &pe) || path != "" {
			t.Fatalf("ApplyNew = %q, %v", path, err)
		}
		if revs, err := dir.Load(); err != nil || len(revs) != 1 {
			t.Errorf("Load after a clean failure = %d, %v; want the first revision only", len(revs), err)
		}
		if _, err := st.Get(ctx, r.Version); !errors.Is(err, ErrNoRecord) {
			t.Errorf("record after a clean failure: %v", err)
		}
	})

	t.Run("partial run keeps the file and resumes from it", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		dir := Dir{Path: t.TempDir()}
		r := newRev("a", "CREATE TABLE a (id int)", "ALTER TABLE ext ADD COLUMN x int")
		path, err := ApplyNew(ctx, dir, db.DB, st, r, RunOptions{})
		if err == nil || path == "" {
			t.Fatalf("ApplyNew = %q, %v", path, err)
		}
		revs, err := dir.Load()
		if err != nil || len(revs) != 1 {
			t.Fatalf("Load = %d, %v", len(revs), err)
		}
		recs, err := st.Applied(ctx)
		if err != nil {
			t.Fatal(err)
		}
		state, err := Compare(revs, recs)
		if err != nil || state.Partial == nil || state.PartialRecord.Done != 1 {
			t.Fatalf("Compare = %+v, %v", state, err)
		}
		db.Exec(t, "CREATE TABLE ext (id int)")
		// A new process: the revision comes from the file.
		if err := Apply(ctx, db.DB, st, state.Partial, RunOptions{}); err != nil {
			t.Fatalf("resume from the file: %v", err)
		}
		if got := tables(t, db.DB); got != "a,ext" {
			t.Errorf("tables: %s", got)
		}
	})
}

func TestDir_Discard(t *testing.T) {
	d, revs := writeThree(t)
	if err := d.Discard(revs[1]); err == nil {
		t.Errorf("Discard of a middle revision succeeded")
	}
	if err := d.Discard(revs[2]); err != nil {
		t.Fatal(err)
	}
	got, err := d.Load()
	if err != nil || len(got) != 2 {
		t.Errorf("Load after Discard = %d, %v", len(got), err)
	}
}

// Resume compares a recorded hash with one of the same kind: a schema hash
// with the schema's, a hash of the statement's tables with theirs, and it
// cannot settle a tables hash without knowing the tables.
func TestResume_hashKinds(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	st := &Store{Q: db.DB, Dialect: "mysql"}
	stmts := []string{"CREATE TABLE a (id int)"}
	r := killRevision(stmts)
	if err := st.Init(ctx); err != nil {
		t.Fatal(err)
	}
	running := func(hash string) *Record {
		t.Helper()
		if err := st.Begin(ctx, r, 1, "ann"); err != nil {
			t.Fatal(err)
		}
		if err := st.Running(ctx, r.Version, 0, hash); err != nil {
			t.Fatal(err)
		}
		return get(t, st, r.Version)
	}
	scoped := hashOptions(db.DB, "tables")
	schemaHash, err := liveHashOf(db.DB)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A run recorded the schema's hash; the rerun tells tables but must
	// compare schemas: equal, so the statement did not run.
	if from, err := Resume(ctx, st, running(schemaHash), stmts, scoped); err != nil || from != 0 {
		t.Errorf("schema hash, rerun with tables: from %d, %v; want 0", from, err)
	}
	tablesHash, err := scoped.statementHash(ctx, stmts[0])
	if err != nil || !strings.HasPrefix(tablesHash, tablesHashPrefix) {
		t.Fatalf("statementHash = %q, %v", tablesHash, err)
	}
	if from, err := Resume(ctx, st, running(tablesHash), stmts, scoped); err != nil || from != 0 {
		t.Errorf("tables hash, unchanged: from %d, %v; want 0", from, err)
	}
	var ue *UncertainError
	if _, err := Resume(ctx, st, running(tablesHash), stmts, RunOptions{Hash: liveHashOf(db.DB)}); !errors.As(err, &ue) {
		t.Errorf("tables hash, rerun without tables: %v; want an *UncertainError", err)
	}
	db.Exec(t, "CREATE TABLE a (id int)")
	if from, err := Resume(ctx, st, running(tablesHash), stmts, scoped); err != nil || from != 1 {
		t.Errorf("tables hash, statement took effect: from %d, %v; want 1", from, err)
	}
}
