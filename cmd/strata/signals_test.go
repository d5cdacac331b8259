package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/stratadb/strata/internal/testdb"
)

// This file holds the acceptance tests for signals and waits (issue 11,
// item 10): Ctrl-C at the prompt and during a statement, and a lock held
// by another session, with the strata binary as a child process on the
// real server.

// liveOutput collects what a child process writes, for waiting on a text
// that may end without a newline (the prompt).
type liveOutput struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (o *liveOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.Write(p)
}

func (o *liveOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// waitFor waits up to d for s to appear and reports whether it did.
func (o *liveOutput) waitFor(s string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if strings.Contains(o.String(), s) {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return strings.Contains(o.String(), s)
}

// openPTY opens a pseudo-terminal: the child reads the tty end, so strata
// sees a terminal and asks.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Skipf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Skipf("pty number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open pty: %v", err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// started is a strata child process with its output.
type started struct {
	cmd      *exec.Cmd
	out, err *liveOutput
	done     chan struct{}
	code     int
}

func (p *project) start(t *testing.T, stdin *os.File, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	s := &started{cmd: p.command(ctx, args...), out: &liveOutput{}, err: &liveOutput{}, done: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.err
	if stdin != nil {
		s.cmd.Stdin = stdin
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(s.done)
		err := s.cmd.Wait()
		if ee, ok := err.(*exec.ExitError); ok {
			s.code = ee.ExitCode()
		} else if err != nil {
			s.code = -1
		}
	}()
	return s
}

// wait waits up to d for the process to end and reports whether it did.
func (s *started) wait(d time.Duration) bool {
	select {
	case <-s.done:
		return true
	case <-time.After(d):
		return false
	}
}

func (s *started) interrupt(t *testing.T) time.Time {
	t.Helper()
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	return time.Now()
}

const sigSchema = `table "t" {
  column "id" {
    type = int
  }
  column "note" {
    type = varchar(20)
    null = true
  }
  primary_key = ["id"]
}
table "u" {
  column "id" {
    type = int
  }
  primary_key = ["id"]
}
`

// TestCLI_InterruptAtPrompt: Ctrl-C at "Enter a value:" cancels at once.
func TestCLI_InterruptAtPrompt(t *testing.T) {
	testdb.Server(t)
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE t (id int NOT NULL, PRIMARY KEY (id))")
	p := newProject(t, map[string]string{"schema.hcl": sigSchema, "environments/dev.hcl": fmt.Sprintf(envFile, "5s")})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	_, tty := openPTY(t)
	s := p.start(t, tty, "apply", "--env", "dev")
	if !s.err.waitFor("Enter a value:", 20*time.Second) {
		t.Fatalf("no prompt:\n%s\n%s", s.out, s.err)
	}
	at := s.interrupt(t)
	if !s.wait(2 * time.Second) {
		_ = s.cmd.Process.Kill()
		t.Fatalf("still waiting at the prompt 2s after Ctrl-C:\n%s", s.err)
	}
	took := time.Since(at)
	if s.code != 1 {
		t.Errorf("exit %d, want 1", s.code)
	}
	if !strings.Contains(s.err.String(), "Apply cancelled") {
		t.Errorf("stderr does not say the apply was cancelled:\n%s", s.err)
	}
	if strings.Contains(s.err.String()+s.out.String(), "context canceled") {
		t.Errorf("\"context canceled\" reached the user:\n%s", s.err)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'u'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("table u was created after a cancelled prompt")
	}
	t.Logf("ended %s after Ctrl-C at the prompt", took.Round(time.Millisecond))
}

// TestCLI_InterruptDuringStatement: Ctrl-C while a statement waits on the
// server (its table is locked by another session) is acknowledged at once;
// the statement finishes once the lock goes, the run ends with a clear
// message and a rerun resumes.
func TestCLI_InterruptDuringStatement(t *testing.T) {
	testdb.Server(t)
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE t (id int NOT NULL, PRIMARY KEY (id))")
	db.Exec(t, "CREATE TABLE z (id int NOT NULL, PRIMARY KEY (id))")
	// Two statements: the ALTER of t, which waits, then the one of z.
	schema := sigSchema[:strings.Index(sigSchema, "table \"u\"")] + strings.ReplaceAll(sigSchema[:strings.Index(sigSchema, "table \"u\"")], `table "t"`, `table "z"`)
	p := newProject(t, map[string]string{"schema.hcl": schema, "environments/dev.hcl": fmt.Sprintf(envFile, "5s")})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}

	// An open transaction that read t holds its metadata lock: the ALTER
	// waits for it.
	ctx := context.Background()
	blocker, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Close()
	if _, err := blocker.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := blocker.ExecContext(ctx, "SELECT * FROM t"); err != nil {
		t.Fatal(err)
	}
	committed := false
	defer func() {
		if !committed {
			_, _ = blocker.ExecContext(ctx, "ROLLBACK")
		}
	}()

	s := p.start(t, nil, "apply", "--env", "dev", "--auto-approve", "--name", "sig")
	if !s.err.waitFor("[1/2] ALTER TABLE `t`", 20*time.Second) {
		t.Fatalf("the ALTER did not start:\n%s\n%s", s.out, s.err)
	}
	// Let it reach the server and wait there.
	time.Sleep(300 * time.Millisecond)
	at := s.interrupt(t)
	const ack = "Interrupt received: letting the running statement finish"
	if !s.err.waitFor(ack, time.Second) {
		t.Errorf("no acknowledgement within 1s of Ctrl-C:\n%s", s.err)
	}
	acked := time.Since(at)
	if s.wait(500 * time.Millisecond) {
		t.Fatalf("strata ended while its statement still waited on the server:\n%s", s.err)
	}
	if _, err := blocker.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	committed = true
	if !s.wait(20 * time.Second) {
		_ = s.cmd.Process.Kill()
		t.Fatalf("strata did not end after the statement could finish:\n%s", s.err)
	}
	stderr := s.err.String()
	if s.code != 1 {
		t.Errorf("exit %d, want 1", s.code)
	}
	if strings.Contains(stderr+s.out.String(), "context canceled") {
		t.Errorf("\"context canceled\" reached the user:\n%s", stderr)
	}
	end := regexp.MustCompile(`Error: interrupted: apply of revision \d+ stopped after (\d) of (\d) statements, none cut off part-way; the rest did not run`)
	if m := end.FindStringSubmatch(stderr); m == nil || m[1] != "1" || m[2] != "2" {
		t.Errorf("the run does not end saying it stopped after 1 of 2 statements:\n%s", stderr)
	}
	if !strings.Contains(stderr, "'strata apply --env dev' resumes it") {
		t.Errorf("the run does not say how to resume:\n%s", stderr)
	}
	// The ALTER finished: the column is there; the rest did not run.
	var cols int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'note'").Scan(&cols); err != nil {
		t.Fatal(err)
	}
	if cols != 1 {
		t.Errorf("the running ALTER did not finish")
	}
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'z' AND COLUMN_NAME = 'note'").Scan(&cols); err != nil {
		t.Fatal(err)
	}
	if cols != 0 {
		t.Errorf("the statement after the interrupt ran")
	}
	st := p.mustRun(0, "status", "--env", "dev")
	if strings.Contains(st.Out, "context canceled") {
		t.Errorf("status shows \"context canceled\":\n%s", st.Out)
	}
	r := p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
	if !strings.Contains(r.Out+r.Err, "Resum") || !strings.Contains(r.Err, "[2/2] ALTER TABLE `z`") || strings.Contains(r.Err, "ALTER TABLE `t`") {
		t.Errorf("the rerun did not resume:\n%s\n%s", r.Out, r.Err)
	}
	p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")
	t.Logf("acknowledged %s after Ctrl-C; stderr:\n%s", acked.Round(time.Millisecond), stderr)
}

// TestCLI_InterruptBetweenRevisions: Ctrl-C while a promotion's revision
// runs lets that revision finish and starts no other: the next revision is
// not announced, the interrupt is acknowledged once, and the run ends
// saying how many revisions were applied and what does the rest.
func TestCLI_InterruptBetweenRevisions(t *testing.T) {
	testdb.Server(t)
	dev, staging := testdb.New(t), testdb.New(t)
	p := newProject(t, map[string]string{
		"schema.hcl":               sigSchema[:strings.Index(sigSchema, "  column \"note\"")] + "  primary_key = [\"id\"]\n}\n",
		"environments/dev.hcl":     fmt.Sprintf(envFile, "5s"),
		"environments/staging.hcl": "url = env(\"STAGING_DATABASE_URL\")\npromote_from = \"dev\"\n",
	})
	p.Env = []string{"DEV_DATABASE_URL=" + dev.URL, "STAGING_DATABASE_URL=" + staging.URL}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create_t")
	p.mustRun(0, "apply", "--env", "staging", "--auto-approve")
	// Two more: the ALTER of t, which will wait on staging, then u.
	p.write("schema.hcl", sigSchema[:strings.Index(sigSchema, "table \"u\"")])
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "add_note")
	p.write("schema.hcl", sigSchema)
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create_u")

	ctx := context.Background()
	blocker, err := staging.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Close()
	for _, q := range []string{"BEGIN", "SELECT * FROM t"} {
		if _, err := blocker.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	committed := false
	defer func() {
		if !committed {
			_, _ = blocker.ExecContext(ctx, "ROLLBACK")
		}
	}()
	s := p.start(t, nil, "apply", "--env", "staging", "--auto-approve")
	if !s.err.waitFor("[1/1] ALTER TABLE `t`", 20*time.Second) {
		t.Fatalf("the ALTER did not start:\n%s\n%s", s.out, s.err)
	}
	time.Sleep(300 * time.Millisecond)
	s.interrupt(t)
	const ack = "Interrupt received: letting the running statement finish"
	if !s.err.waitFor(ack, time.Second) {
		t.Errorf("no acknowledgement within 1s of Ctrl-C:\n%s", s.err)
	}
	if _, err := blocker.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	committed = true
	if !s.wait(20 * time.Second) {
		_ = s.cmd.Process.Kill()
		t.Fatalf("strata did not end after the statement could finish:\n%s", s.err)
	}
	out, stderr := s.out.String(), s.err.String()
	if s.code != 1 {
		t.Errorf("exit %d, want 1", s.code)
	}
	if n := strings.Count(stderr, ack); n != 1 {
		t.Errorf("the interrupt is acknowledged %d times, want once:\n%s", n, stderr)
	}
	if strings.Contains(out, "_create_u.sql (1 statement)") {
		t.Errorf("the revision after the interrupt was announced:\n%s", out)
	}
	const end = "Error: interrupted: 1 of 2 revisions applied to staging, none cut off part-way; the rest did not start. 'strata apply --env staging' does the rest"
	if !strings.Contains(stderr, end) || strings.Contains(stderr+out, "context canceled") {
		t.Errorf("the run does not end with %q:\n%s", end, stderr)
	}
	var n int
	if err := staging.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'u'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("the revision after the interrupt ran")
	}
	r := p.mustRun(0, "apply", "--env", "staging", "--auto-approve")
	if !strings.Contains(r.Out, "_create_u.sql") || strings.Contains(r.Out, "_add_note.sql") {
		t.Errorf("the rerun does not apply just the rest:\n%s", r.Out)
	}
}

// TestCLI_InterruptBetweenRollbacks: the same of a rollback of several
// revisions: the one whose statement runs finishes, the next is not undone,
// and the end says what undoes the rest.
func TestCLI_InterruptBetweenRollbacks(t *testing.T) {
	testdb.Server(t)
	db := testdb.New(t)
	withoutNote := strings.Replace(sigSchema, "  column \"note\" {\n    type = varchar(20)\n    null = true\n  }\n", "", 1)
	p := newProject(t, map[string]string{"schema.hcl": withoutNote, "environments/dev.hcl": fmt.Sprintf(envFile, "5s")})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create_t_u")
	p.write("schema.hcl", sigSchema)
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "add_note")

	ctx := context.Background()
	blocker, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Close()
	for _, q := range []string{"BEGIN", "SELECT * FROM t"} {
		if _, err := blocker.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	committed := false
	defer func() {
		if !committed {
			_, _ = blocker.ExecContext(ctx, "ROLLBACK")
		}
	}()
	s := p.start(t, nil, "rollback", "--env", "dev", "--steps", "2", "--auto-approve", "--allow-destructive")
	if !s.err.waitFor("ALTER TABLE `t` DROP COLUMN `note`", 20*time.Second) {
		t.Fatalf("the undo of add_note did not start:\n%s\n%s", s.out, s.err)
	}
	time.Sleep(300 * time.Millisecond)
	s.interrupt(t)
	if !s.err.waitFor("Interrupt received", time.Second) {
		t.Errorf("no acknowledgement within 1s of Ctrl-C:\n%s", s.err)
	}
	if _, err := blocker.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	committed = true
	if !s.wait(20 * time.Second) {
		_ = s.cmd.Process.Kill()
		t.Fatalf("strata did not end after the statement could finish:\n%s", s.err)
	}
	const end = "Error: interrupted: 1 of 2 revisions rolled back on dev, none cut off part-way; the rest did not start. 'strata rollback --env dev' does the rest"
	if s.code != 1 || !strings.Contains(s.err.String(), end) || regexp.MustCompile(`Rolling back \d+_create_t_u.sql`).MatchString(s.out.String()) {
		t.Errorf("exit %d; want 1, ending with %q, create_t_u not rolled back:\n%s\n%s", s.code, end, s.out, s.err)
	}
	if r := p.mustRun(0, "current", "--env", "dev"); !strings.Contains(r.Out, "_create_t_u.sql") {
		t.Errorf("current after the interrupted rollback: %s, want create_t_u", r.Out)
	}
}

// TestCLI_StatementLockWait: a statement held up by another session's open
// transaction (its table's metadata lock) is not silent: within seconds
// the run says what it waits for, who may hold it, and for how long the
// server waits.
func TestCLI_StatementLockWait(t *testing.T) {
	testdb.Server(t)
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE t (id int NOT NULL, PRIMARY KEY (id))")
	p := newProject(t, map[string]string{"schema.hcl": sigSchema[:strings.Index(sigSchema, "table \"u\"")], "environments/dev.hcl": fmt.Sprintf(envFile, "5s")})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	ctx := context.Background()
	blocker, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Close()
	var id int64
	if err := blocker.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"BEGIN", "SELECT * FROM t"} {
		if _, err := blocker.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	committed := false
	defer func() {
		if !committed {
			_, _ = blocker.ExecContext(ctx, "ROLLBACK")
		}
	}()
	s := p.start(t, nil, "apply", "--env", "dev", "--auto-approve", "--name", "wait")
	if !s.err.waitFor("[1/1] ALTER TABLE `t`", 20*time.Second) {
		t.Fatalf("the ALTER did not start:\n%s\n%s", s.out, s.err)
	}
	want := fmt.Sprintf("Waiting for a metadata lock that another session holds on the table (an open transaction that used it, or a running statement; open transactions: connection %d (root@", id)
	if !s.err.waitFor(want, 5*time.Second) {
		t.Errorf("no word of the lock wait within 5s; want %q:\n%s", want, s.err)
	}
	if !strings.Contains(s.err.String(), ": the statement runs once it is released, or fails after lock_wait_timeout ") {
		t.Errorf("the wait does not say how it ends:\n%s", s.err)
	}
	if _, err := blocker.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	committed = true
	if !s.wait(20*time.Second) || s.code != 0 {
		t.Fatalf("the apply did not finish once the lock was released (exit %d):\n%s\n%s", s.code, s.out, s.err)
	}
	if n := strings.Count(s.err.String(), "Waiting for a metadata lock"); n != 1 {
		t.Errorf("the wait is said %d times, want once:\n%s", n, s.err)
	}
}

// TestCLI_LockWait: a run that finds the lock held says at once whom it
// waits for and how long (lock_timeout); it goes on when the lock is freed,
// fails naming lock_timeout when it is not, and Ctrl-C ends the wait.
func TestCLI_LockWait(t *testing.T) {
	testdb.Server(t)
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE t (id int NOT NULL, PRIMARY KEY (id))")
	ctx := context.Background()
	holder, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	var id int64
	if err := holder.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		t.Fatal(err)
	}
	hold := func() {
		t.Helper()
		var got int
		if err := holder.QueryRowContext(ctx, "SELECT GET_LOCK(?, 0)", "strata:"+db.Name).Scan(&got); err != nil || got != 1 {
			t.Fatalf("GET_LOCK: %v %d", err, got)
		}
	}
	release := func() {
		t.Helper()
		if _, err := holder.ExecContext(ctx, "SELECT RELEASE_LOCK(?)", "strata:"+db.Name); err != nil {
			t.Fatal(err)
		}
	}
	p := newProject(t, map[string]string{"schema.hcl": sigSchema, "environments/dev.hcl": fmt.Sprintf(envFile, "3s")})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	waiting := regexp.MustCompile(fmt.Sprintf(`Waiting for the lock on %s held by connection %d( \([^)]*\))? \(up to lock_timeout 3s\)`, db.Name, id))

	t.Run("times_out", func(t *testing.T) {
		hold()
		defer release()
		s := p.start(t, nil, "apply", "--env", "dev", "--auto-approve")
		if !s.err.waitFor("Waiting for the lock", 2*time.Second) || !waiting.MatchString(s.err.String()) {
			t.Errorf("no waiting line within 2s matching %s:\n%s", waiting, s.err)
		}
		if !s.wait(10 * time.Second) {
			_ = s.cmd.Process.Kill()
			t.Fatalf("still waiting after 10s:\n%s", s.err)
		}
		stderr := s.err.String()
		if s.code != 1 || !strings.Contains(stderr, "after lock_timeout 3s") || !strings.Contains(stderr, "raise lock_timeout in environments/dev.hcl") {
			t.Errorf("exit %d; the failure does not name lock_timeout:\n%s", s.code, stderr)
		}
	})
	t.Run("goes_on_when_freed", func(t *testing.T) {
		hold()
		s := p.start(t, nil, "plan", "--env", "dev")
		s.wait(5 * time.Second) // plan takes no lock
		if strings.Contains(s.err.String(), "Waiting") {
			t.Errorf("plan waited for the lock:\n%s", s.err)
		}
		s = p.start(t, nil, "apply", "--env", "dev", "--auto-approve", "--name", "after_wait")
		if !s.err.waitFor("Waiting for the lock", 2*time.Second) {
			t.Errorf("no waiting line:\n%s", s.err)
		}
		release()
		if !s.wait(20*time.Second) || s.code != 0 {
			t.Fatalf("exit %d after the lock was freed:\n%s\n%s", s.code, s.out, s.err)
		}
		if !strings.Contains(s.out.String(), "Apply complete") {
			t.Errorf("no apply after the wait:\n%s", s.out)
		}
	})
	t.Run("interrupted", func(t *testing.T) {
		p.write("environments/dev.hcl", fmt.Sprintf(envFile, "30s"))
		p.write("schema.hcl", strings.Replace(sigSchema, `table "u"`, "table \"v\" {\n  column \"id\" {\n    type = int\n  }\n  primary_key = [\"id\"]\n}\ntable \"u\"", 1))
		hold()
		defer release()
		s := p.start(t, nil, "apply", "--env", "dev", "--auto-approve")
		if !s.err.waitFor("(up to lock_timeout 30s)", 2*time.Second) {
			t.Errorf("no waiting line:\n%s", s.err)
		}
		s.interrupt(t)
		if !s.wait(2 * time.Second) {
			_ = s.cmd.Process.Kill()
			t.Fatalf("Ctrl-C did not end the wait within 2s:\n%s", s.err)
		}
		stderr := s.err.String()
		if s.code != 1 || !strings.Contains(stderr, "interrupted while waiting for the lock: nothing was changed") || strings.Contains(stderr, "context canceled") {
			t.Errorf("exit %d:\n%s", s.code, stderr)
		}
	})
}

// TestCLI_SecondInterrupt: a second Ctrl-C exits at once, while the
// statement still waits on the server; a rerun settles that statement
// (it finished on the server) and finishes the revision.
func TestCLI_SecondInterrupt(t *testing.T) {
	testdb.Server(t)
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE t (id int NOT NULL, PRIMARY KEY (id))")
	db.Exec(t, "CREATE TABLE z (id int NOT NULL, PRIMARY KEY (id))")
	schema := sigSchema[:strings.Index(sigSchema, "table \"u\"")] + strings.ReplaceAll(sigSchema[:strings.Index(sigSchema, "table \"u\"")], `table "t"`, `table "z"`)
	p := newProject(t, map[string]string{"schema.hcl": schema, "environments/dev.hcl": fmt.Sprintf(envFile, "5s")})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	ctx := context.Background()
	blocker, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Close()
	if _, err := blocker.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := blocker.ExecContext(ctx, "SELECT * FROM t"); err != nil {
		t.Fatal(err)
	}
	s := p.start(t, nil, "apply", "--env", "dev", "--auto-approve", "--name", "sig")
	if !s.err.waitFor("[1/2] ALTER TABLE `t`", 20*time.Second) {
		_, _ = blocker.ExecContext(ctx, "ROLLBACK")
		t.Fatalf("the ALTER did not start:\n%s\n%s", s.out, s.err)
	}
	time.Sleep(300 * time.Millisecond)
	s.interrupt(t)
	if !s.err.waitFor("Interrupt received", time.Second) {
		t.Errorf("no acknowledgement:\n%s", s.err)
	}
	s.interrupt(t)
	exited := s.wait(time.Second)
	if _, err := blocker.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	if !exited {
		s.wait(20 * time.Second)
		t.Fatalf("a second Ctrl-C did not exit within 1s:\n%s", s.err)
	}
	if s.code != 130 || !strings.Contains(s.err.String(), "Second interrupt: exiting now") {
		t.Errorf("exit %d:\n%s", s.code, s.err)
	}
	// The ALTER goes on on the server once the lock is gone; the rerun
	// waits for it (metadata lock), settles it and runs only z's.
	r := p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
	if strings.Contains(r.Err, "ALTER TABLE `t`") || !strings.Contains(r.Err, "ALTER TABLE `z`") {
		t.Errorf("the rerun did not settle statement 1 and run statement 2 only:\n%s\n%s", r.Out, r.Err)
	}
	p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")
}
