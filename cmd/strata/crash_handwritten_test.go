package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
