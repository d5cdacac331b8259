package main

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/pgtestdb"
	"github.com/stratadb/strata/revision"
)

// The PostgreSQL runner on a busy database: lock_timeout with retries,
// statements of their own (CREATE INDEX CONCURRENTLY) and their resume.

const busyBefore = `
table "t" {
  column "id" {
    type = bigint
  }
  column "v" {
    type = integer
  }
  primary_key = ["id"]
}
`

// busyAfter adds a column: ALTER TABLE ... ADD COLUMN takes ACCESS
// EXCLUSIVE, which waits for every open transaction that read t.
var busyAfter = strings.Replace(busyBefore, `  primary_key`, `  column "note" {
    type = text
    null = true
  }
  primary_key`, 1)

// busyIndexed is busyBefore with the index a hand-written revision builds.
var busyIndexed = strings.Replace(busyBefore, `  primary_key = ["id"]`, `  primary_key = ["id"]
  index "t_v" {
    columns = ["v"]
  }`, 1)

// busyProject is a project on a new database whose environment dev has
// the ddl block given ("" for the defaults), with busyBefore applied as
// revision "create"; files are written beside schema.hcl.
func busyProject(t *testing.T, ddl string, files map[string]string) (*pgtestdb.DB, *project) {
	t.Helper()
	db := pgtestdb.New(t)
	all := map[string]string{
		"schema.hcl":           busyBefore,
		"environments/dev.hcl": "url          = env(\"DEV_DATABASE_URL\")\nlock_timeout = \"120s\"\n" + ddl,
	}
	maps.Copy(all, files)
	p := newProject(t, all)
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create")
	return db, p
}

// holdTable opens a transaction on another session that reads t (ACCESS
// SHARE, held until release) and returns that session's pid.
func holdTable(t *testing.T, db *pgtestdb.DB) (pid int, release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN; SELECT count(*) FROM t"); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			_, _ = conn.ExecContext(ctx, "COMMIT")
			conn.Close()
		})
	}
	t.Cleanup(release)
	return pid, release
}

// reader reads t in a loop on its own session until stop, and returns the
// longest a read took: a DDL statement queued for ACCESS EXCLUSIVE makes
// every later reader of t wait behind it.
func reader(t *testing.T, db *pgtestdb.DB, stop <-chan struct{}) (maxWait func() time.Duration) {
	t.Helper()
	var mu sync.Mutex
	var longest time.Duration
	var reads atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			start := time.Now()
			var n int
			if err := db.QueryRow("SELECT count(*) FROM t WHERE id > 0").Scan(&n); err != nil {
				t.Errorf("reader: %v", err)
				return
			}
			took := time.Since(start)
			reads.Add(1)
			mu.Lock()
			longest = max(longest, took)
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() time.Duration {
		<-done
		if reads.Load() < 5 {
			t.Errorf("the reader read only %d times", reads.Load())
		}
		mu.Lock()
		defer mu.Unlock()
		return longest
	}
}

var retryLine = regexp.MustCompile(`Waiting for a table lock: .* gave up after lock_timeout 400ms; pid (\d+) \(.*\) holds AccessShareLock on t\. Rolled back; retry (\d+) of 8 in`)

// TestPostgres_lockTimeoutRetry: while another session holds a transaction
// that read t, an apply that alters t waits at most ddl lock_timeout per
// attempt, says who holds the lock, rolls back and retries, and succeeds
// once the holder commits; a concurrent reader of t is never held up for
// longer than about the timeout (without it, every reader would queue
// behind the ALTER until the holder ends).
func TestPostgres_lockTimeoutRetry(t *testing.T) {
	db, p := busyProject(t, "ddl {\n  lock_timeout = \"400ms\"\n  lock_retries = 8\n}\n", nil)
	db.Exec(t, "INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g")

	pid, release := holdTable(t, db)
	stop := make(chan struct{})
	maxWait := reader(t, db, stop)
	p.write("schema.hcl", busyAfter)
	s := p.start(t, nil, "apply", "--env", "dev", "--auto-approve", "--name", "note")
	if !s.err.waitFor("retry 2 of 8", 20*time.Second) {
		release()
		s.wait(time.Minute)
		t.Fatalf("no second retry while the table was held:\n%s\n%s", s.out, s.err)
	}
	heldFor := time.Now()
	release()
	if !s.wait(time.Minute) {
		t.Fatal("apply did not end after the holder committed")
	}
	close(stop)
	longest := maxWait()
	if s.code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", s.code, s.out, s.err)
	}
	t.Logf("apply said on stderr:\n%s", s.err)
	m := retryLine.FindAllStringSubmatch(s.err.String(), -1)
	if len(m) < 2 {
		t.Fatalf("want at least 2 retry lines naming the holder, got:\n%s", s.err)
	}
	if m[0][1] != fmt.Sprint(pid) {
		t.Errorf("retry names pid %s, want the holder's %d", m[0][1], pid)
	}
	t.Logf("%d retries; the reader waited at most %s; the holder committed %s after the second retry",
		len(m), longest, time.Since(heldFor).Round(time.Millisecond))
	// lock_timeout 400ms, plus slack for a loaded machine; without the
	// timeout the reader would wait for the holder, at least 3.8s (two
	// attempts of 400ms and pauses of 1s and 2s).
	if longest > 400*time.Millisecond+1100*time.Millisecond {
		t.Errorf("a reader of t waited %s behind the ALTER; want at most about lock_timeout 400ms", longest)
	}
	if cols := pgColumns(t, db.DB, "public", "t"); cols != "id,v,note" {
		t.Errorf("columns %s after the retried apply", cols)
	}
	if n := pgString(t, db.DB, "SELECT count(*) FROM t"); n != "1000" {
		t.Errorf("%s rows after the apply, want 1000", n)
	}
	if st := p.mustRun(0, "status", "--env", "dev"); strings.Contains(st.Out, "partial") || strings.Contains(st.Out, "pending") {
		t.Errorf("status after the apply:\n%s", st.Out)
	}
}

// TestPostgres_lockTimeoutExhausted: when the holder never lets go, the
// apply gives up after lock_retries, naming the holder and the settings to
// change; nothing of it is done or recorded, and a rerun once the holder
// is gone succeeds.
func TestPostgres_lockTimeoutExhausted(t *testing.T) {
	db, p := busyProject(t, "ddl {\n  lock_timeout = \"200ms\"\n  lock_retries = 2\n}\n", nil)
	pid, release := holdTable(t, db)
	p.write("schema.hcl", busyAfter)
	start := time.Now()
	r := p.mustRun(1, "apply", "--env", "dev", "--auto-approve", "--name", "note")
	took := time.Since(start)
	t.Logf("the apply that gave up said on stderr:\n%s", r.Err)
	for _, want := range []string{
		"retry 1 of 2 in 1s", "retry 2 of 2 in 2s",
		"gave up waiting for its table locks after 3 attempts, each waiting up to lock_timeout 200ms",
		fmt.Sprintf("pid %d (", pid), "holds AccessShareLock on t", "Nothing of it was done",
		"lock_retries (now 2)", "environments/dev.hcl", "nothing was changed",
	} {
		if !strings.Contains(r.Err, want) {
			t.Errorf("the failed apply does not say %q:\n%s", want, r.Err)
		}
	}
	if took < 3*time.Second {
		t.Errorf("gave up after %s; with pauses of 1s and 2s it cannot be before 3s", took)
	}
	if cols := pgColumns(t, db.DB, "public", "t"); cols != "id,v" {
		t.Errorf("columns %s after the apply gave up; want t untouched", cols)
	}
	if n := len(p.revisionFiles()); n != 1 {
		t.Errorf("%d revision files after the apply gave up, want only the first", n)
	}
	if n := pgString(t, db.DB, "SELECT count(*) FROM strata_revisions"); n != "1" {
		t.Errorf("%s records after the apply gave up, want only the first", n)
	}
	release()
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "note")
	if cols := pgColumns(t, db.DB, "public", "t"); cols != "id,v,note" {
		t.Errorf("columns %s after the rerun", cols)
	}
}

// busyRevision is a hand-written revision mixing a transaction (a table
// and its row), a statement of its own (the concurrent build) and another
// transaction (a row that must be inserted exactly once).
const busyRevision = `CREATE TABLE log (id int PRIMARY KEY, msg text);
INSERT INTO log VALUES (1, 'before the index');
-- no-transaction
CREATE INDEX CONCURRENTLY t_v ON t (v);
INSERT INTO log VALUES (2, 'after the index');
`

var busyIndexedWithLog = busyIndexed + `
table "log" {
  column "id" {
    type = integer
  }
  column "msg" {
    type = text
    null = true
  }
  primary_key = ["id"]
}
`

// buildPID is the pid of the session running the revision's CREATE INDEX
// CONCURRENTLY, 0 when none runs it.
func buildPID(db *pgtestdb.DB) (int, error) {
	var pid sql.NullInt64
	err := db.QueryRow(`SELECT max(pid) FROM pg_stat_activity WHERE datname = current_database()
AND state = 'active' AND query LIKE 'CREATE INDEX CONCURRENTLY t_v%'`).Scan(&pid)
	return int(pid.Int64), err
}

// concurrentBuild waits up to d for the build to run and returns its pid
// (0 if it did not).
func concurrentBuild(t *testing.T, db *pgtestdb.DB, d time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		pid, err := buildPID(db)
		if err != nil {
			t.Fatal(err)
		}
		if pid != 0 || !time.Now().Before(deadline) {
			return pid
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// indexes lists t's indexes other than its primary key, with validity.
func indexes(t *testing.T, db *pgtestdb.DB) string {
	t.Helper()
	return pgString(t, db.DB, `SELECT coalesce(string_agg(c.relname || CASE WHEN i.indisvalid THEN '' ELSE ' (INVALID)' END, ',' ORDER BY c.relname), '')
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 't'::regclass AND NOT i.indisprimary`)
}

// TestPostgres_concurrentIndexKilled kills strata with SIGKILL while the
// server builds an index CONCURRENTLY, outside the revision's
// transactions, and reruns: the index ends valid, there is exactly one,
// every other statement ran once and the revision is recorded applied.
// The server goes on with the build after its client died (the rerun waits
// for it: the dead session holds Strata's lock until it ends); when the
// build is cut off too (the backend terminated), the INVALID index it
// leaves is dropped and built again.
func TestPostgres_concurrentIndexKilled(t *testing.T) {
	for _, terminate := range []bool{false, true} {
		name := "the server finishes the build"
		if terminate {
			name = "the build is cut off too"
		}
		t.Run(name, func(t *testing.T) {
			db, p := busyProject(t, "", map[string]string{
				"up.sql": busyRevision,
			})
			// Big enough that the build runs for a while on a loaded machine.
			db.Exec(t, "INSERT INTO t SELECT g, (g::bigint * 7919 % 1000003)::int FROM generate_series(1, 1500000) g")
			p.mustRun(0, "revision", "new", "--name", "index", "--up", "up.sql")
			if rev := readFile(t, p.revisionFiles()[1]); !strings.Contains(rev, "-- no-transaction\nCREATE INDEX CONCURRENTLY t_v") {
				t.Fatalf("the revision does not mark the concurrent build:\n%s", rev)
			}
			p.write("schema.hcl", busyIndexedWithLog)

			s := p.start(t, nil, "apply", "--env", "dev", "--auto-approve")
			pid := concurrentBuild(t, db, 30*time.Second)
			if pid == 0 {
				s.wait(time.Minute)
				t.Fatalf("the concurrent build never showed in pg_stat_activity:\n%s\n%s", s.out, s.err)
			}
			_ = s.cmd.Process.Kill()
			s.wait(10 * time.Second)
			recs := pgString(t, db.DB, "SELECT string_agg(status || ' ' || done || '/' || total || ' running ' || running, ',' ORDER BY version) FROM strata_revisions")
			if !strings.HasSuffix(recs, "partial 2/4 running 2") {
				t.Fatalf("killed during the build: records %s, want the second partial at 2/4 with statement 3 running", recs)
			}
			if terminate {
				db.Exec(t, fmt.Sprintf("SELECT pg_terminate_backend(%d)", pid))
				for concurrentBuild(t, db, 0) != 0 {
					time.Sleep(10 * time.Millisecond) // the backend ends
				}
				if got := indexes(t, db); got != "t_v (INVALID)" {
					t.Fatalf("after the build was cut off t has indexes %q; this test relies on the server leaving t_v INVALID", got)
				}
			}

			r := p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
			if !strings.Contains(r.Out, "Resuming revision") {
				t.Errorf("the rerun did not resume:\n%s", r.Out)
			}
			t.Logf("the rerun said:\n%s\n%s", r.Out, r.Err)
			// The server's finished build is taken as done; a cut-off one
			// is built again.
			want := "statement 4 of 4 done"
			if terminate {
				want = "statements 3–4 of 4 done"
			}
			if !strings.Contains(r.Out, want) {
				t.Errorf("the rerun did not say %q", want)
			}
			if got := indexes(t, db); got != "t_v" {
				t.Errorf("after the rerun t has indexes %q, want exactly t_v, valid", got)
			}
			if got := pgString(t, db.DB, "SELECT string_agg(id::text, ',' ORDER BY id) FROM log"); got != "1,2" {
				t.Errorf("log rows %q, want 1,2: each transaction of the revision ran once", got)
			}
			recs = pgString(t, db.DB, "SELECT string_agg(status || ' ' || done || '/' || total, ',' ORDER BY version) FROM strata_revisions")
			if parts := strings.Split(recs, ","); len(parts) != 2 || parts[1] != revision.StatusApplied+" 4/4" {
				t.Errorf("records %s, want the revision applied 4/4", recs)
			}
			p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")
		})
	}
}

// TestPostgres_concurrentIndexUnderWrites: an index built CONCURRENTLY (a
// statement of its own) on a table taking writes loses no row, and no
// write waits for the build (it takes SHARE UPDATE EXCLUSIVE, which does not
// conflict with writes; a plain CREATE INDEX would hold every write for
// the whole build).
func TestPostgres_concurrentIndexUnderWrites(t *testing.T) {
	db, p := busyProject(t, "", map[string]string{
		"up.sql":   "-- no-transaction\nCREATE INDEX CONCURRENTLY t_v ON t (v);\n",
		"down.sql": "-- no-transaction\nDROP INDEX CONCURRENTLY t_v;\n",
	})
	const base = 1000000
	db.Exec(t, fmt.Sprintf("INSERT INTO t SELECT g, (g::bigint * 7919 %% 1000003)::int FROM generate_series(1, %d) g", base))
	p.mustRun(0, "revision", "new", "--name", "index", "--up", "up.sql", "--down", "down.sql")
	p.write("schema.hcl", busyIndexed)

	stop := make(chan struct{})
	var inserted, updated atomic.Int64
	var longest atomic.Int64 // nanoseconds
	var werr error
	writer := make(chan struct{})
	go func() {
		defer close(writer)
		for i := int64(1); ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			start := time.Now()
			if _, err := db.DB.Exec("INSERT INTO t (id, v) VALUES ($1, $2)", base+i, i%97); err != nil {
				werr = err
				return
			}
			inserted.Add(1)
			if _, err := db.DB.Exec("UPDATE t SET v = v + 1 WHERE id = $1", i); err != nil {
				werr = err
				return
			}
			updated.Add(1)
			if d := int64(time.Since(start)); d > longest.Load() {
				longest.Store(d)
			}
		}
	}()
	var built atomic.Int64 // nanoseconds
	measured := make(chan struct{})
	go func() {
		// How long the server built: what a plain CREATE INDEX would have
		// held every write for.
		defer close(measured)
		var start time.Time
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			pid, err := buildPID(db)
			switch {
			case err != nil:
				return
			case pid != 0 && start.IsZero():
				start = time.Now()
			case pid == 0 && !start.IsZero():
				built.Store(int64(time.Since(start)))
				return
			}
		}
	}()
	r := p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
	<-measured
	time.Sleep(200 * time.Millisecond) // writes after the build, too
	close(stop)
	<-writer
	if werr != nil {
		t.Fatalf("a write failed during the build: %v", werr)
	}
	if !strings.Contains(r.Out, "Promotion complete") && !strings.Contains(r.Out, "applied first") {
		t.Logf("apply said:\n%s", r.Out)
	}
	wait := time.Duration(longest.Load())
	t.Logf("built for about %s; %d inserts and %d updates meanwhile, the longest write took %s", time.Duration(built.Load()).Round(time.Millisecond), inserted.Load(), updated.Load(), wait)
	if time.Duration(built.Load()) < wait {
		t.Errorf("the build took %s, not longer than the longest write (%s): grow the table so that a blocked write would show", time.Duration(built.Load()), wait)
	}
	if inserted.Load() < 20 {
		t.Errorf("only %d writes during the apply: the test shows nothing", inserted.Load())
	}
	if wait > 500*time.Millisecond {
		t.Errorf("a write waited %s during the concurrent build; want no wait beyond ordinary latency", wait)
	}
	if got := indexes(t, db); got != "t_v" {
		t.Fatalf("t has indexes %q, want t_v, valid", got)
	}
	// Every row is there, and the index finds each one the table has.
	want := fmt.Sprint(base + inserted.Load())
	if got := pgString(t, db.DB, "SELECT count(*) FROM t"); got != want {
		t.Errorf("%s rows, want %s", got, want)
	}
	var viaIndex string
	ctx := context.Background()
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off; SET enable_bitmapscan = off"); err != nil {
		t.Fatal(err)
	}
	var plan string
	if err := conn.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) SELECT count(*) FROM t WHERE v >= 0").Scan(&plan); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM t WHERE v >= 0").Scan(&viaIndex); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "t_v") {
		t.Errorf("the count did not use the index: %s", plan)
	}
	if viaIndex != want {
		t.Errorf("the index finds %s rows, the table has %s: rows written during the build are missing from it", viaIndex, want)
	}

	// Its down side is a statement of its own too.
	p.write("schema.hcl", busyBefore)
	p.mustRun(0, "rollback", "--env", "dev", "--auto-approve")
	if got := indexes(t, db); got != "" {
		t.Errorf("after the rollback t has indexes %q, want none", got)
	}
	if got := pgString(t, db.DB, "SELECT string_agg(status, ',' ORDER BY version) FROM strata_revisions"); got != "applied,rolled_back" {
		t.Errorf("records after the rollback: %s", got)
	}
}

// TestPostgres_stepFails: a statement that fails rolls back the
// transaction it is part of, not the steps before it; the rerun once the
// cause is fixed resumes with that transaction, and the revision with its
// statements of their own rolls back as steps too.
func TestPostgres_stepFails(t *testing.T) {
	db, p := busyProject(t, "", map[string]string{
		"up.sql": `CREATE TABLE a (id int PRIMARY KEY);
-- no-transaction
CREATE INDEX CONCURRENTLY t_v ON t (v);
CREATE TABLE b (id int PRIMARY KEY);
INSERT INTO missing VALUES (1);
`,
	})
	p.mustRun(0, "revision", "new", "--name", "steps", "--up", "up.sql")
	r := p.mustRun(1, "apply", "--env", "dev", "--auto-approve")
	if !strings.Contains(r.Err, "failed at statement 4 of 4 (2 done)") || !strings.Contains(r.Err, `relation "missing" does not exist`) {
		t.Errorf("the failed apply said:\n%s", r.Err)
	}
	tables := func() string {
		return pgString(t, db.DB, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'strata%'")
	}
	if got := tables(); got != "a,t" {
		t.Errorf("tables after the failure: %s; want a (its transaction committed) and not b (rolled back with the failing statement)", got)
	}
	if got := indexes(t, db); got != "t_v" {
		t.Errorf("indexes after the failure: %q, want the step done", got)
	}
	if got := pgString(t, db.DB, "SELECT status || ' ' || done || '/' || total FROM strata_revisions ORDER BY version DESC LIMIT 1"); got != "partial 2/4" {
		t.Errorf("record after the failure: %s, want partial 2/4", got)
	}
	db.Exec(t, "CREATE TABLE missing (id int)")
	p.write("schema.hcl", busyIndexed+`
table "a" {
  column "id" {
    type = integer
  }
  primary_key = ["id"]
}
table "b" {
  column "id" {
    type = integer
  }
  primary_key = ["id"]
}
table "missing" {
  column "id" {
    type = integer
    null = true
  }
}
`)
	r = p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
	if !strings.Contains(r.Out, "statements 3–4 of 4 done") {
		t.Errorf("the rerun said:\n%s", r.Out)
	}
	if got := tables(); got != "a,b,missing,t" {
		t.Errorf("tables after the rerun: %s", got)
	}
	if got := pgString(t, db.DB, "SELECT count(*) FROM missing"); got != "1" {
		t.Errorf("%s rows in missing, want 1", got)
	}
}
