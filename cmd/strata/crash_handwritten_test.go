package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/revision"
)

// A hand-written revision mixing DML that must not run twice (increments,
// an INSERT ... SELECT) with DDL.
//
// The DML statements sleep 10 ms a row, so that the kill lands while the
// server runs them: the server finishes a statement whose client died, and
// without the statement's transaction a rerun would run it again.
const handWrittenUp = `-- every statement but the DDL changes rows in a way a second run shows
UPDATE t SET n = n + 1 + 0 * SLEEP(0.01);
ALTER TABLE t ADD COLUMN m int NULL;
UPDATE t SET m = n * 10;
INSERT INTO log (msg) SELECT CONCAT('row ', id, IF(SLEEP(0.01), '', '')) FROM t;
UPDATE t SET n = n + 100 + 0 * SLEEP(0.01) WHERE id > 0;
CREATE INDEX t_m ON t (m);
`

const handWrittenStatements = 6

const handWrittenBefore = `
table "t" {
  column "id" {
    type = int
  }
  column "n" {
    type = int
  }
  primary_key = ["id"]
}
table "log" {
  column "id" {
    type           = int
    auto_increment = true
  }
  column "msg" {
    type = varchar(50)
  }
  primary_key = ["id"]
}
`

const handWrittenAfter = `
table "t" {
  column "id" {
    type = int
  }
  column "n" {
    type = int
  }
  column "m" {
    type = int
    null = true
  }
  primary_key = ["id"]
  index "t_m" {
    columns = ["m"]
  }
}
table "log" {
  column "id" {
    type           = int
    auto_increment = true
  }
  column "msg" {
    type = varchar(50)
  }
  primary_key = ["id"]
}
`

// TestApply_HandWrittenKilledAtStatement kills `strata apply` with SIGKILL
// as each statement of a hand-written revision starts (so the one running
// may be cut part-way, or done but not yet recorded), reruns, and checks
// every row as if the revision ran once.
func TestApply_HandWrittenKilledAtStatement(t *testing.T) {
	testdb.Server(t)
	for k := 1; k <= handWrittenStatements; k++ {
		t.Run(fmt.Sprintf("k=%d", k), func(t *testing.T) {
			t.Parallel()
			db := testdb.New(t)
			p := newProject(t, map[string]string{
				"schema.hcl":           handWrittenBefore,
				"environments/dev.hcl": fmt.Sprintf(envFile, "20s"),
				"up.sql":               handWrittenUp,
			})
			p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
			p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create")
			db.Exec(t, "INSERT INTO t (id, n) SELECT seq, seq FROM seq_1_to_50")
			p.mustRun(0, "revision", "new", "--name", "backfill", "--up", "up.sql")
			p.write("schema.hcl", handWrittenAfter)

			stderr, stdout, n, waitErr := stopAt(t, p, k, func(cmd *exec.Cmd, _ string) { _ = cmd.Process.Kill() })
			if n != handWrittenStatements {
				t.Fatalf("the revision has %d statements, want %d:\n%s", n, handWrittenStatements, stderr)
			}
			if waitErr == nil {
				t.Fatalf("apply was not killed:\n%s\n%s", stdout, stderr)
			}
			recs := readRecords(t, db.DB)
			if len(recs) != 2 || recs[1].Done < k-1 || recs[1].Done > k {
				t.Fatalf("killed as statement %d started: records %+v", k, recs)
			}
			t.Logf("killed as statement %d started: %d/%d done, running %d", k, recs[1].Done, recs[1].Total, recs[1].Running)

			r := p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
			if !strings.Contains(r.Out, "Resuming revision") {
				t.Errorf("the rerun did not resume:\n%s", r.Out)
			}
			p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")

			var rows, bad int
			if err := db.QueryRow("SELECT COUNT(*), SUM(n <> id + 101 OR m IS NULL OR m <> (id + 1) * 10) FROM t").Scan(&rows, &bad); err != nil {
				t.Fatal(err)
			}
			if rows != 50 || bad != 0 {
				t.Errorf("t: %d rows, %d not as after one run (n = id+101, m = (id+1)*10)", rows, bad)
			}
			var logs, distinct int
			if err := db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT msg) FROM log").Scan(&logs, &distinct); err != nil {
				t.Fatal(err)
			}
			if logs != 50 || distinct != 50 {
				t.Errorf("log: %d rows (%d distinct), want 50: the INSERT ran %s", logs, distinct, map[bool]string{true: "twice or half", false: "wrong"}[logs != 50])
			}
			recs = readRecords(t, db.DB)
			if len(recs) != 2 || recs[1].Status != revision.StatusApplied || recs[1].Done != handWrittenStatements || recs[1].Running != -1 {
				t.Errorf("strata_revisions: %+v, want the hand-written revision applied, %d done", recs, handWrittenStatements)
			}
		})
	}
}

// TestApply_HandWrittenOpaqueStatement: a run that died during a statement
// Strata cannot settle (here a TRUNCATE: it commits on its own and changes
// no schema) is not guessed at on resume.
func TestApply_HandWrittenOpaqueStatement(t *testing.T) {
	db := testdb.New(t)
	p := newProject(t, map[string]string{
		"schema.hcl":           handWrittenBefore,
		"environments/dev.hcl": fmt.Sprintf(envFile, "20s"),
		"up.sql": `UPDATE t SET n = n + 1;
TRUNCATE TABLE log;
UPDATE t SET n = n * 2;
`,
	})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create")
	db.Exec(t, "INSERT INTO t (id, n) VALUES (1, 1)")
	r := p.mustRun(0, "revision", "new", "--name", "proc", "--up", "up.sql")
	if !strings.Contains(r.Out, "(3 statements up, 0 statements down)") {
		t.Fatalf("revision new did not split three statements:\n%s", r.Out)
	}
	files, _ := filepath.Glob(filepath.Join(p.Dir, "migrations", "*_proc.sql"))
	if len(files) != 1 {
		t.Fatalf("revision files: %v", files)
	}
	// Fake the crash: the record says statement 2 was running.
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
	var version string
	if err := db.QueryRow("SELECT version FROM strata_revisions WHERE slug = 'proc'").Scan(&version); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, "UPDATE strata_revisions SET status = 'partial', done = 1, running = 1, running_hash = 'x', finished_at = NULL WHERE version = '"+version+"'")
	r = p.mustRun(1, "apply", "--env", "dev", "--auto-approve")
	if !strings.Contains(r.Err, "cannot tell whether it took effect") || !strings.Contains(r.Err, "statement 2") {
		t.Errorf("resume of an opaque statement does not stop with a clear message:\n%s", r.Err)
	}
	var n int
	if err := db.QueryRow("SELECT n FROM t WHERE id = 1").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 4 { // (1 + 1) * 2 once; the refused resume ran nothing
		t.Errorf("n = %d, want 4", n)
	}
}

// opaqueSchema holds a procedure that doubles every n slowly (20 ms a
// row): a CALL of it is a statement whose effect Strata cannot tell after
// a crash (it commits on its own and changes no schema).
const opaqueSchema = `
table "t" {
  column "id" {
    type = int
  }
  column "n" {
    type = int
  }
  primary_key = ["id"]
}
procedure "double_slowly" {
  body = "UPDATE t SET n = n * 2 + 0 * SLEEP(0.02)"
}
`

// TestApply_HandWrittenOpaqueKilled kills apply with SIGKILL as the CALL of
// a hand-written revision starts. The rerun stops before running anything,
// naming the revision, the statement and its line, and the two ways on; a
// person checks the rows, settles the statement with what they found, and
// the resume finishes the revision: every row as if it ran once.
func TestApply_HandWrittenOpaqueKilled(t *testing.T) {
	db := testdb.New(t)
	p := newProject(t, map[string]string{
		"schema.hcl":           opaqueSchema,
		"environments/dev.hcl": fmt.Sprintf(envFile, "20s"),
		"up.sql":               "UPDATE t SET n = n + 1;\n\nCALL double_slowly();\nUPDATE t SET n = n + 100;\n",
	})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create")
	db.Exec(t, "INSERT INTO t (id, n) SELECT seq, seq FROM seq_1_to_50")
	p.mustRun(0, "revision", "new", "--name", "double", "--up", "up.sql")

	// Nothing to settle before anything died.
	r := p.mustRun(1, "revision", "settle", "--env", "dev", "--took-effect")
	if !strings.Contains(r.Err, "no run stopped part-way on dev: nothing to settle") {
		t.Errorf("settle with nothing to settle:\n%s", r.Err)
	}

	stderr, stdout, n, waitErr := stopAt(t, p, 2, func(cmd *exec.Cmd, _ string) { _ = cmd.Process.Kill() })
	if n != 3 || waitErr == nil {
		t.Fatalf("apply was not killed at statement 2 of 3 (%d statements, %v):\n%s\n%s", n, waitErr, stdout, stderr)
	}
	// The server finishes a statement whose client died (or never got it):
	// wait until no CALL runs, so that the rows tell the truth.
	for i := 0; ; i++ {
		var running int
		if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'CALL double_slowly%' OR INFO LIKE 'UPDATE t SET n = n * 2%'").Scan(&running); err != nil {
			t.Fatal(err)
		}
		if running == 0 {
			break
		}
		if i == 100 {
			t.Fatal("the CALL still runs after 10 s")
		}
		time.Sleep(100 * time.Millisecond)
	}

	files, _ := filepath.Glob(filepath.Join(p.Dir, "migrations", "*_double.sql"))
	if len(files) != 1 {
		t.Fatalf("revision files: %v", files)
	}
	text, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(string(text[:strings.Index(string(text), "CALL")]), "\n")
	r = p.mustRun(1, "apply", "--env", "dev", "--auto-approve")
	for _, want := range []string{
		"_double: an earlier run died during statement 2 (migrations/",
		fmt.Sprintf("_double.sql line %d), a statement that neither runs in a transaction nor changes a table, view or trigger, so Strata cannot tell whether it took effect: CALL double_slowly()", line),
		"\n  strata apply --env dev",
		"strata revision settle --env dev --took-effect   # it did: the resume goes on after it",
		"strata revision settle --env dev --no-effect     # it did not (or you undid it): the resume runs it again",
	} {
		if !strings.Contains(r.Err, want) {
			t.Errorf("the rerun's refusal lacks %q:\n%s", want, r.Err)
		}
	}
	if strings.Contains(r.Out, "Strata will finish it") {
		t.Errorf("the refused resume offered to run statements:\n%s", r.Out)
	}
	// The refused rerun ran nothing: every row is after statement 1, and
	// after the CALL or not, all alike.
	var doubled, once, rows int
	if err := db.QueryRow("SELECT COUNT(*), SUM(n = (id + 1) * 2), SUM(n = id + 1) FROM t").Scan(&rows, &doubled, &once); err != nil {
		t.Fatal(err)
	}
	if rows != 50 || doubled+once != 50 || doubled != 0 && once != 0 {
		t.Fatalf("rows after the kill: %d, %d doubled, %d not: want all of one kind", rows, doubled, once)
	}

	// A person looks at the rows and says what they found.
	flag, next := "--no-effect", "runs it again"
	if doubled == 50 {
		flag, next = "--took-effect", "goes on after it"
	}
	t.Logf("the CALL took effect before the kill: %v", doubled == 50)
	r = p.mustRun(0, "revision", "settle", "--env", "dev", flag)
	if !strings.Contains(r.Out, "Settled statement 2 of ") || !strings.Contains(r.Out, "so the resume "+next) || !strings.Contains(r.Out, "Resume with: strata apply --env dev") {
		t.Errorf("settle %s says:\n%s", flag, r.Out)
	}
	r = p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
	if !strings.Contains(r.Out, "Resuming revision") {
		t.Errorf("the apply after settle did not resume:\n%s", r.Out)
	}
	p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")
	var bad int
	if err := db.QueryRow("SELECT COUNT(*), SUM(n <> (id + 1) * 2 + 100) FROM t").Scan(&rows, &bad); err != nil {
		t.Fatal(err)
	}
	if rows != 50 || bad != 0 {
		t.Errorf("t: %d rows, %d not as after one run (n = (id+1)*2 + 100)", rows, bad)
	}
	r = p.mustRun(0, "history", "--env", "dev")
	if !strings.Contains(r.Out, "settle") {
		t.Errorf("history does not show the settle:\n%s", r.Out)
	}
	var note string
	if err := db.QueryRow("SELECT note FROM strata_revision_events WHERE kind = 'settle'").Scan(&note); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note, "up statement 2 (migrations/") || !strings.Contains(note, "settled by hand") {
		t.Errorf("the settle event's note: %q", note)
	}
	// Nothing is left to settle.
	r = p.mustRun(1, "revision", "settle", "--env", "dev", "--no-effect")
	if !strings.Contains(r.Err, "nothing to settle") {
		t.Errorf("settle after the revision finished:\n%s", r.Err)
	}
}
