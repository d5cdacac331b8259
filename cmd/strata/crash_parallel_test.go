package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/revision"
)

// parallelLive and parallelSchema make a revision of eight statements on
// four unrelated tables: two lanes' worth of work for each of three
// connections.
const parallelLive = `
CREATE TABLE a (id int NOT NULL PRIMARY KEY, v varchar(20) NOT NULL);
CREATE TABLE b (id int NOT NULL PRIMARY KEY, v varchar(20) NOT NULL);
CREATE TABLE c (id int NOT NULL PRIMARY KEY, v varchar(20) NOT NULL);
CREATE TABLE d (id int NOT NULL PRIMARY KEY, v varchar(20) NOT NULL);
INSERT INTO a VALUES (1, 'a1'), (2, 'a2');
INSERT INTO b VALUES (1, 'b1');
INSERT INTO c VALUES (1, 'c1');
INSERT INTO d VALUES (1, 'd1');
`

func parallelSchema() string {
	var b strings.Builder
	for _, name := range []string{"a", "b", "c", "d"} {
		fmt.Fprintf(&b, `table %q {
  column "id" {
    type = int
  }
  column "v" {
    type = varchar(20)
  }
  column "w" {
    type = int
    null = true
  }
  primary_key = ["id"]
  index "v_idx" {
    columns = ["v"]
  }
}
`, name)
	}
	return b.String()
}

var doneLine = regexp.MustCompile(`^\s*\[(\d+)/(\d+)\] done \(`)

// TestApply_KilledParallel kills `strata apply --parallel 3` with SIGKILL
// as soon as a statement is reported done, while others run (and before
// the run may have recorded it), then reruns apply without --parallel: the
// revision finishes, no statement runs twice, and no row is lost.
func TestApply_KilledParallel(t *testing.T) {
	db := testdb.New(t)
	db.Exec(t, parallelLive)
	before := parallelRows(t, db)
	p := newProject(t, map[string]string{
		"schema.hcl":           parallelSchema(),
		"environments/dev.hcl": fmt.Sprintf(envFile, "20s"),
	})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}

	cmd := p.command(t.Context(), "apply", "--env", "dev", "--auto-approve", "--name", "crash", "--parallel", "3")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	killed := false
	sc := bufio.NewScanner(pipe)
	for sc.Scan() {
		line := sc.Text()
		stderr.WriteString(line + "\n")
		if !killed && doneLine.MatchString(line) {
			_ = cmd.Process.Kill()
			killed = true
		}
	}
	waitErr := cmd.Wait()
	var ee *exec.ExitError
	if !killed || !errors.As(waitErr, &ee) {
		t.Fatalf("apply was not killed mid-run (killed %v, %v):\n%s", killed, waitErr, stderr.String())
	}

	// What the killed run recorded: the statements done, the ones running.
	var stepsText string
	if err := db.QueryRow("SELECT COALESCE(steps, '') FROM strata_revisions").Scan(&stepsText); err != nil {
		t.Fatal(err)
	}
	var state revision.StepState
	if err := json.Unmarshal([]byte(stepsText), &state); err != nil {
		t.Fatalf("steps %q: %v", stepsText, err)
	}
	var tookEffect int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'w'").Scan(&tookEffect); err != nil {
		t.Fatal(err)
	}
	if tookEffect == 0 {
		t.Fatalf("no statement took effect before the kill:\n%s", stderr.String())
	}
	t.Logf("killed with %d statements in effect; recorded done %v, running %d", tookEffect, state.Done, len(state.Running))

	// Every statement fails when repeated (ADD COLUMN, ADD INDEX): the
	// rerun succeeds only if it runs each remaining one exactly once.
	r := p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "crash")
	if !strings.Contains(r.Out, "Resuming revision") {
		t.Errorf("the rerun did not resume the partial revision:\n%s", r.Out)
	}
	for _, line := range strings.Split(r.Err, "\n") {
		m := progressLine.FindStringSubmatch(line)
		if m == nil || doneLine.MatchString(line) {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		for _, d := range state.Done {
			if i == d+1 {
				t.Errorf("the rerun ran statement %d again, recorded done by the killed run:\n%s", i, r.Err)
			}
		}
	}
	p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")
	if got := parallelRows(t, db); got != before {
		t.Errorf("rows changed: before %s, after %s", before, got)
	}
	h := p.history("dev")
	if len(h.Revisions) != 1 || h.Revisions[0].Status != revision.StatusApplied || h.Revisions[0].Done != h.Revisions[0].Total {
		t.Errorf("history: %+v, want one applied revision with every statement done", h.Revisions)
	}
}

// parallelRows fingerprints the rows of the four tables.
func parallelRows(t *testing.T, db *testdb.DB) string {
	t.Helper()
	var out []string
	for _, name := range []string{"a", "b", "c", "d"} {
		var s string
		if err := db.QueryRow("SELECT GROUP_CONCAT(CONCAT(id, '=', v) ORDER BY id) FROM " + name).Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, name+":"+s)
	}
	return strings.Join(out, " ")
}
