package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/revision"
)

// This file holds the crash-safety acceptance tests (issue 7) and the
// helpers the other acceptance tests share: a project directory and the
// strata binary run as a real child process.

// strataBin is the strata command that testscript.Main installed in $PATH:
// a copy of this test binary that runs the CLI when called "strata".
func strataBin(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("strata")
	if err != nil {
		t.Fatalf("strata is not in PATH (TestMain installs it): %v", err)
	}
	return p
}

// project is a strata project directory (schema.hcl, environments/,
// migrations/) for child-process runs.
type project struct {
	t   testing.TB
	Dir string
	Env []string // KEY=value added to the child's environment
}

func newProject(t testing.TB, files map[string]string) *project {
	t.Helper()
	p := &project{t: t, Dir: t.TempDir()}
	for name, content := range files {
		p.write(name, content)
	}
	return p
}

func (p *project) write(name, content string) {
	p.t.Helper()
	path := filepath.Join(p.Dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// command builds a strata child process in the project directory.
func (p *project) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, strataBin(p.t), args...)
	cmd.Dir = p.Dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), p.Env...)
	return cmd
}

// run runs strata to its end (at most a minute) and returns what it printed.
func (p *project) run(args ...string) cliResult {
	p.t.Helper()
	return p.runFor(time.Minute, args...)
}

// runFor runs strata, killing it after limit (exit code -1 then).
func (p *project) runFor(limit time.Duration, args ...string) cliResult {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := p.command(ctx, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			p.t.Fatalf("strata %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return cliResult{Code: code, Out: out.String(), Err: errb.String()}
}

// mustRun runs strata and fails the test unless it exits with want.
func (p *project) mustRun(want int, args ...string) cliResult {
	p.t.Helper()
	r := p.run(args...)
	if r.Code != want {
		p.t.Fatalf("strata %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.Code, want, r.Out, r.Err)
	}
	return r
}

// revisionFiles lists migrations/*.sql.
func (p *project) revisionFiles() []string {
	m, _ := filepath.Glob(filepath.Join(p.Dir, "migrations", "*.sql"))
	return m
}

// historyJSON is `strata history --format json`.
type historyJSON struct {
	FormatVersion string         `json:"format_version"`
	Environment   string         `json:"environment"`
	Events        []historyEvent `json:"events"`
	Revisions     []historyEntry `json:"revisions"`
}

func (p *project) history(env string) historyJSON {
	p.t.Helper()
	r := p.mustRun(0, "history", "--env", env, "--format", "json")
	var h historyJSON
	if err := json.Unmarshal([]byte(r.Out), &h); err != nil {
		p.t.Fatalf("history --format json: %v\n%s", err, r.Out)
	}
	return h
}

// envFile is an environment reading its URL from DEV_DATABASE_URL.
const envFile = `url          = env("DEV_DATABASE_URL")
lock_timeout = "%s"
`

// progressLine matches the "[i/n] SQL" lines apply prints before each
// statement (indented when a partial revision is resumed).
var progressLine = regexp.MustCompile(`^\s*\[(\d+)/(\d+)\] `)

// crashLive is the database before the revision: four tables with rows.
// rowsC sets the rows of c, whose column change needs a table copy.
func crashLive(rowsC int) string {
	return `
CREATE TABLE a (id int NOT NULL, v varchar(20) NOT NULL, PRIMARY KEY (id));
CREATE TABLE b (id int NOT NULL, email varchar(100) NOT NULL, PRIMARY KEY (id));
CREATE TABLE c (id int NOT NULL, qty int NOT NULL, PRIMARY KEY (id));
CREATE TABLE e (id int NOT NULL, old_name varchar(30) NOT NULL, PRIMARY KEY (id));
INSERT INTO a SELECT seq, CONCAT('a', seq) FROM seq_1_to_100;
INSERT INTO b SELECT seq, CONCAT('user', seq, '@example.com') FROM seq_1_to_100;
INSERT INTO c SELECT seq, seq * 3 FROM seq_1_to_` + strconv.Itoa(rowsC) + `;
INSERT INTO e SELECT seq, CONCAT('name', seq) FROM seq_1_to_100;
`
}

// crashSchema is the target: five statements, one per change kind (add
// column, add index, modify column, add table, rename column).
const crashSchema = `
table "a" {
  column "id" {
    type = int
  }
  column "v" {
    type = varchar(20)
  }
  column "extra" {
    type = int
    null = true
  }
  primary_key = ["id"]
}
table "b" {
  column "id" {
    type = int
  }
  column "email" {
    type = varchar(100)
  }
  primary_key = ["id"]
  index "b_email_idx" {
    columns = ["email"]
  }
}
table "c" {
  column "id" {
    type = int
  }
  column "qty" {
    type = bigint
  }
  primary_key = ["id"]
}
table "d" {
  column "id" {
    type = int
  }
  column "label" {
    type = varchar(50)
    null = true
  }
  primary_key = ["id"]
}
table "e" {
  column "id" {
    type = int
  }
  column "new_name" {
    type         = varchar(30)
    renamed_from = "old_name"
  }
  primary_key = ["id"]
}
`

// crashRows fingerprints every row of the tables, under their old and new
// column names, so a rename that lost or changed data shows.
func crashRows(t testing.TB, db *sql.DB, renamed bool) map[string]string {
	t.Helper()
	eCol := "old_name"
	if renamed {
		eCol = "new_name"
	}
	qs := map[string]string{
		"a": "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT(id, ':', v))), 0) FROM a",
		"b": "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT(id, ':', email))), 0) FROM b",
		"c": "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT(id, ':', qty))), 0) FROM c",
		"e": "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT(id, ':', " + eCol + "))), 0) FROM e",
	}
	out := map[string]string{}
	for table, q := range qs {
		var n, sum int64
		if err := db.QueryRow(q).Scan(&n, &sum); err != nil {
			t.Fatalf("rows of %s: %v", table, err)
		}
		out[table] = fmt.Sprintf("%d rows, crc %d", n, sum)
	}
	return out
}

// revRecord is the part of a strata_revisions row the tests check.
type revRecord struct {
	Version     string
	Status      string
	Done, Total int
	Running     int
	Error       sql.NullString
	Statement   sql.NullString
	HashAfter   string
}

func readRecords(t testing.TB, db *sql.DB) []revRecord {
	t.Helper()
	rows, err := db.Query("SELECT version, status, done, total, running, error, statement, hash_after FROM strata_revisions ORDER BY version")
	if err != nil {
		t.Fatalf("read strata_revisions: %v", err)
	}
	defer rows.Close()
	var out []revRecord
	for rows.Next() {
		var r revRecord
		if err := rows.Scan(&r.Version, &r.Status, &r.Done, &r.Total, &r.Running, &r.Error, &r.Statement, &r.HashAfter); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// stopAt starts `strata apply` and calls stop (which must end the run one
// way or another) when the progress line of statement `at` (1-based)
// appears. It returns all of stderr and stdout, n, and the exit error.
func stopAt(t *testing.T, p *project, at int, stop func(cmd *exec.Cmd, line string)) (stderr, stdout string, n int, waitErr error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := p.command(ctx, "apply", "--env", "dev", "--auto-approve", "--name", "crash")
	var out bytes.Buffer
	cmd.Stdout = &out
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var errText strings.Builder
	sc := bufio.NewScanner(pipe)
	stopped := false
	for sc.Scan() {
		line := sc.Text()
		errText.WriteString(line + "\n")
		m := progressLine.FindStringSubmatch(line)
		if m == nil || stopped {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		n, _ = strconv.Atoi(m[2])
		if i == at {
			stop(cmd, line)
			stopped = true
		}
	}
	waitErr = cmd.Wait()
	if !stopped {
		t.Fatalf("apply ended before statement %d started (exit %v)\nstdout:\n%s\nstderr:\n%s", at, waitErr, out.String(), errText.String())
	}
	return errText.String(), out.String(), n, waitErr
}

// crashStatements is how many statements crashSchema takes.
const crashStatements = 5

// checkRecovered reruns apply after a crash and checks the acceptance
// properties: it finishes, the schema is the target, no row is lost, one
// revision is applied with every statement done, and no statement that was
// recorded done runs again.
func checkRecovered(t *testing.T, p *project, db *sql.DB, before map[string]string, doneAtCrash int) {
	t.Helper()
	r := p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "crash")
	for _, line := range strings.Split(r.Err, "\n") {
		if m := progressLine.FindStringSubmatch(line); m != nil {
			if i, _ := strconv.Atoi(m[1]); i <= doneAtCrash {
				t.Errorf("the rerun ran statement %d again, recorded done before the crash (%d done):\n%s", i, doneAtCrash, r.Err)
			}
		}
	}
	if doneAtCrash < crashStatements && !strings.Contains(r.Out, "Resuming revision") {
		t.Errorf("the rerun did not resume the partial revision:\n%s", r.Out)
	}
	p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")
	if got := crashRows(t, db, true); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Errorf("rows changed: before %v, after %v", before, got)
	}
	if files := p.revisionFiles(); len(files) != 1 {
		t.Errorf("migrations holds %d revision files, want 1: %v", len(files), files)
	}
	h := p.history("dev")
	if len(h.Revisions) != 1 {
		t.Fatalf("history shows %d revisions, want 1: %+v", len(h.Revisions), h.Revisions)
	}
	if e := h.Revisions[0]; e.Status != revision.StatusApplied || e.Done != crashStatements || e.Total != crashStatements {
		t.Errorf("history: %+v, want applied with %d of %d statements done", e, crashStatements, crashStatements)
	}
	recs := readRecords(t, db)
	if len(recs) != 1 || recs[0].Status != revision.StatusApplied || recs[0].Done != recs[0].Total || recs[0].Running != -1 {
		t.Errorf("strata_revisions: %+v, want one applied row with done == total and nothing running", recs)
	}
}

// TestApply_KilledAtStatement kills a real `strata apply` process with
// SIGKILL right after statement k of 5 finished (when statement k+1 is
// announced; for k = 5 when the last one is), for every k, and reruns.
func TestApply_KilledAtStatement(t *testing.T) {
	testdb.Server(t)
	for k := 1; k <= crashStatements; k++ {
		t.Run(fmt.Sprintf("k=%d", k), func(t *testing.T) {
			t.Parallel()
			db := testdb.New(t)
			db.Exec(t, crashLive(100))
			before := crashRows(t, db.DB, false)
			p := newProject(t, map[string]string{
				"schema.hcl":           crashSchema,
				"environments/dev.hcl": fmt.Sprintf(envFile, "20s"),
			})
			p.Env = []string{"DEV_DATABASE_URL=" + db.URL}

			at := k + 1
			if k == crashStatements {
				at = k
			}
			stderr, stdout, n, waitErr := stopAt(t, p, at, func(cmd *exec.Cmd, _ string) { _ = cmd.Process.Kill() })
			if n != crashStatements {
				t.Fatalf("the revision has %d statements, want %d:\n%s", n, crashStatements, stderr)
			}
			if waitErr == nil {
				t.Fatalf("apply was not killed:\n%s\n%s", stdout, stderr)
			}
			recs := readRecords(t, db.DB)
			if len(recs) != 1 {
				t.Fatalf("after the kill strata_revisions has %d rows, want 1", len(recs))
			}
			rec := recs[0]
			// Statement at-1 is done; statement at may have finished too
			// before the kill landed (the server finishes a statement whose
			// client died).
			if rec.Done < at-1 || rec.Done > at {
				t.Errorf("killed after statement %d: the record says %d done (%+v)", k, rec.Done, rec)
			}
			t.Logf("killed after statement %d: status %s, %d/%d done, running %d", k, rec.Status, rec.Done, rec.Total, rec.Running)
			if len(p.revisionFiles()) != 1 {
				t.Errorf("the killed run left %d revision files, want 1 to resume from", len(p.revisionFiles()))
			}
			checkRecovered(t, p, db.DB, before, rec.Done)
		})
	}
}

// TestApply_ConnectionKilled cuts the apply session's connection from
// another session (KILL CONNECTION) at each statement k: for the slow one
// (a table copy of c) while it runs on the server, for the fast ones as soon
// as they are announced. The process fails; a rerun finishes the revision.
func TestApply_ConnectionKilled(t *testing.T) {
	admin := testdb.Server(t)
	for k := 1; k <= crashStatements; k++ {
		t.Run(fmt.Sprintf("k=%d", k), func(t *testing.T) {
			t.Parallel()
			db := testdb.New(t)
			db.Exec(t, crashLive(150000))
			before := crashRows(t, db.DB, false)
			p := newProject(t, map[string]string{
				"schema.hcl":           crashSchema,
				"environments/dev.hcl": fmt.Sprintf(envFile, "20s"),
			})
			p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
			lock := mysql.LockName(revision.LockName(db.Name))

			var mu sync.Mutex
			var killed string
			stderr, stdout, _, waitErr := stopAt(t, p, k, func(_ *exec.Cmd, line string) {
				// The session holding the apply lock is the one running
				// the statements.
				var id sql.NullInt64
				if err := admin.QueryRow("SELECT IS_USED_LOCK(?)", lock).Scan(&id); err != nil || !id.Valid {
					t.Errorf("no session holds %s: %v", lock, err)
					return
				}
				// The slow statement: wait until the server runs it, so the
				// cut lands inside it.
				var info sql.NullString
				if strings.Contains(line, "ALTER TABLE `c`") {
					for i := 0; i < 200 && !strings.HasPrefix(info.String, "ALTER TABLE `c`"); i++ {
						time.Sleep(2 * time.Millisecond)
						_ = admin.QueryRow("SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ?", id.Int64).Scan(&info)
					}
					if !strings.HasPrefix(info.String, "ALTER TABLE `c`") {
						t.Errorf("the table copy of c never showed in PROCESSLIST (last: %q)", info.String)
					}
				}
				if _, err := admin.Exec(fmt.Sprintf("KILL CONNECTION %d", id.Int64)); err != nil {
					t.Errorf("kill connection %d: %v", id.Int64, err)
				}
				mu.Lock()
				killed = info.String
				mu.Unlock()
			})
			if waitErr == nil && !strings.Contains(stdout, "Apply complete") {
				t.Fatalf("apply neither failed nor completed:\n%s\n%s", stdout, stderr)
			}
			t.Logf("cut at statement %d while the session ran %q; apply exit: %v\n%s", k, killed, waitErr, stderr)
			if waitErr != nil && (strings.Count(stderr, "Error: ") != 1 || strings.Contains(stderr, "panic")) {
				t.Errorf("the failed apply does not end with one error:\n%s", stderr)
			}
			recs := readRecords(t, db.DB)
			if len(recs) != 1 {
				t.Fatalf("after the cut strata_revisions has %d rows, want 1", len(recs))
			}
			if recs[0].Done < k-1 || recs[0].Done > k {
				t.Errorf("cut at statement %d: the record says %d done (%+v)", k, recs[0].Done, recs[0])
			}
			checkRecovered(t, p, db.DB, before, recs[0].Done)
		})
	}
}
