package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/testdb"
)

// This file holds the acceptance tests for connection and privilege errors
// (issue 7, item 5) and for secrets in URLs (item 6).

// testUser creates a server user with a password and the given grants on
// database db ("" for none), dropped when the test ends.
func testUser(t *testing.T, admin *sql.DB, password, grants, db string) string {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "strata_t_" + hex.EncodeToString(b)
	if _, err := admin.Exec(fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", name, password)); err != nil {
		t.Fatalf("create user: %v", err)
	}
	t.Cleanup(func() { _, _ = admin.Exec(fmt.Sprintf("DROP USER IF EXISTS '%s'@'%%'", name)) })
	if grants != "" {
		if _, err := admin.Exec(fmt.Sprintf("GRANT %s ON `%s`.* TO '%s'@'%%'", grants, db, name)); err != nil {
			t.Fatalf("grant: %v", err)
		}
	}
	return name
}

// serverAddr is host:port of the test server.
func serverAddr(t *testing.T) string {
	t.Helper()
	rest := strings.TrimPrefix(strings.TrimPrefix(testdb.ServerURL(), "mysql://"), "mariadb://")
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	return strings.TrimSuffix(rest, "/")
}

// blackhole listens on a local port, accepts connections and never says a
// word: a server that hangs, or a firewall that lets the SYN through.
func blackhole(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// errorLines are the lines of stderr that are not "[i/n] SQL" progress.
func errorLines(stderr string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimRight(stderr, "\n"), "\n") {
		// "Waiting for the lock …" says what is going on, not what went
		// wrong (the cases share a database); a warning what a user with
		// few privileges cannot see (the password check covers them).
		if l == "" || progressLine.MatchString(l) || strings.HasPrefix(l, "Waiting for the lock on ") || strings.HasPrefix(l, "warning: ") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// TestCLI_ConnectErrors: every way of not getting to work on the database
// ends with exit 1 and one clear line that says what to do, within a
// bounded time, without the password.
func TestCLI_ConnectErrors(t *testing.T) {
	admin := testdb.Server(t)
	addr := serverAddr(t)
	const pw = "Err-S3cr3t-pw"
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE t (id int NOT NULL, PRIMARY KEY (id))")
	schema := "table \"t\" {\n  column \"id\" {\n    type = int\n  }\n  column \"x\" {\n    type = int\n    null = true\n  }\n  primary_key = [\"id\"]\n}\n"

	full := testUser(t, admin, pw, "ALL PRIVILEGES", db.Name)
	missingDB := "strata_missing_" + strings.TrimPrefix(full, "strata_t_")
	// Grants on a database that does not exist: the server then says
	// "unknown database" rather than "access denied".
	if _, err := admin.Exec(fmt.Sprintf("GRANT ALL ON `%s`.* TO '%s'@'%%'", missingDB, full)); err != nil {
		t.Fatal(err)
	}
	selectOnly := testUser(t, admin, pw, "SELECT", db.Name)
	// No ALTER: the stand-in for a read-only server (a real read_only
	// server is not available to the tests); everything else is granted,
	// so strata_revisions can be created and only the ALTER fails.
	noAlter := testUser(t, admin, pw, "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX", db.Name)

	cases := []struct {
		name   string
		url    string
		args   []string
		want   *regexp.Regexp // the error line
		within time.Duration
	}{
		{"wrong_password", fmt.Sprintf("mysql://%s:%s-wrong@%s/%s", full, pw, addr, db.Name), []string{"plan"},
			regexp.MustCompile(`^Error: access denied .*check the user and password`), 3 * time.Second},
		{"unknown_database", fmt.Sprintf("mysql://%s:%s@%s/%s", full, pw, addr, missingDB), []string{"plan"},
			regexp.MustCompile(`^Error: database "` + missingDB + `" does not exist.*create it`), 3 * time.Second},
		{"connection_refused", fmt.Sprintf("mysql://%s:%s@127.0.0.1:1/%s?timeout=1s", full, pw, db.Name), []string{"plan"},
			regexp.MustCompile(`^Error: connect to 127\.0\.0\.1:1: .*(refused|reachable)`), 3 * time.Second},
		{"unrouted_address", fmt.Sprintf("mysql://%s:%s@10.255.255.1:3306/%s?timeout=1s", full, pw, db.Name), []string{"plan"},
			regexp.MustCompile(`^Error: connect to 10\.255\.255\.1:3306: `), 3 * time.Second},
		{"silent_server", fmt.Sprintf("mysql://%s:%s@%s/%s?timeout=1s", full, pw, blackhole(t), db.Name), []string{"plan"},
			regexp.MustCompile(`^Error: connect to 127\.0\.0\.1:\d+: `), 3 * time.Second},
		{"select_only_user", fmt.Sprintf("mysql://%s:%s@%s/%s", selectOnly, pw, addr, db.Name), []string{"apply", "--auto-approve"},
			regexp.MustCompile(`^Error: .*(?i:denied|privilege).*(?i:grant)`), 5 * time.Second},
		{"no_alter_privilege", fmt.Sprintf("mysql://%s:%s@%s/%s", noAlter, pw, addr, db.Name), []string{"apply", "--auto-approve"},
			regexp.MustCompile(`^Error: .*ALTER.*(?i:grant)`), 5 * time.Second},
	}
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				p := newProject(t, map[string]string{
					"schema.hcl":           schema,
					"environments/dev.hcl": fmt.Sprintf(envFile, "2s"),
				})
				p.Env = []string{"DEV_DATABASE_URL=" + c.url}
				start := time.Now()
				r := p.runFor(c.within+2*time.Second, append(c.args, "--env", "dev")...)
				took := time.Since(start)
				if r.Code != 1 {
					t.Errorf("exit %d, want 1", r.Code)
				}
				if took > c.within {
					t.Errorf("took %s, want at most %s (a bounded connect timeout)", took.Round(time.Millisecond), c.within)
				}
				if strings.Contains(r.Out+r.Err, pw) {
					t.Errorf("the password shows in the output")
				}
				lines := errorLines(r.Err)
				if len(lines) != 1 {
					t.Errorf("stderr has %d lines besides progress, want one clear line:\n%s", len(lines), r.Err)
				}
				if len(lines) == 0 || !c.want.MatchString(lines[len(lines)-1]) && !c.want.MatchString(lines[0]) {
					t.Errorf("the error does not match %q:\n%s", c.want, r.Err)
				}
				if t.Failed() {
					t.Logf("stdout:\n%s", r.Out)
				}
			})
		}
	})
	t.Run("failed_applies_changed_nothing", func(t *testing.T) {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("table t has %d columns after failed applies, want 1", n)
		}
	})
}

// TestCLI_SecretsNeverShown runs every command that takes a URL with a
// password-bearing URL, succeeding and failing, and looks for the password
// in stdout, stderr, the plan files, everything in the project directory
// (revisions, strata.sum) and the strata_revisions rows.
func TestCLI_SecretsNeverShown(t *testing.T) {
	admin := testdb.Server(t)
	addr := serverAddr(t)
	const pw = "S3cr3t-pw"
	db := testdb.New(t)
	user := testUser(t, admin, pw, "ALL PRIVILEGES", db.Name)
	good := fmt.Sprintf("mysql://%s:%s@%s/%s", user, pw, addr, db.Name)

	schema1 := "table \"users\" {\n  column \"id\" {\n    type = int\n  }\n  column \"email\" {\n    type = varchar(100)\n  }\n  primary_key = [\"id\"]\n}\n"
	schema2 := strings.Replace(schema1, "  primary_key", "  column \"age\" {\n    type = int\n    null = true\n  }\n  primary_key", 1)
	schema3 := strings.Replace(schema2, "  primary_key", "  column \"nick\" {\n    type = varchar(20)\n    null = true\n  }\n  primary_key", 1)
	p := newProject(t, map[string]string{
		"schema.hcl":           schema1,
		"environments/dev.hcl": fmt.Sprintf(envFile, "2s"),
	})

	var mu sync.Mutex
	runs := 0
	check := func(what string, r cliResult) {
		t.Helper()
		mu.Lock()
		runs++
		mu.Unlock()
		if strings.Contains(r.Out, "S3cr3t") || strings.Contains(r.Err, "S3cr3t") {
			t.Errorf("%s: the password shows in the output\nstdout:\n%s\nstderr:\n%s", what, r.Out, r.Err)
		}
		if strings.Contains(r.Err, "panic") {
			t.Errorf("%s: panic\n%s", what, r.Err)
		}
	}
	// want runs one command in the succeeding situation and checks its
	// exit code.
	want := func(code int, url string, args ...string) cliResult {
		t.Helper()
		p.Env = []string{"DEV_DATABASE_URL=" + url}
		r := p.run(args...)
		check(strings.Join(args, " "), r)
		if r.Code != code {
			t.Errorf("strata %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.Code, code, r.Out, r.Err)
		}
		return r
	}
	dev := []string{"--env", "dev"}
	with := func(args ...string) []string { return append(args, dev...) }

	// Succeeding: a whole day on dev through the password-bearing URL.
	want(0, good, with("inspect")...)
	for _, f := range []string{"text", "json", "sql", "markdown"} {
		want(0, good, with("plan", "--format", f)...)
	}
	want(2, good, with("plan", "--detailed-exitcode")...)
	want(0, good, with("plan", "--out", "first.plan")...)
	want(0, good, with("apply", "--auto-approve", "--name", "first")...)
	want(0, good, with("status")...)
	want(0, good, with("history")...)
	want(0, good, with("history", "--format", "json")...)
	want(0, good, with("current")...)
	want(0, good, with("drift")...)
	p.write("schema.hcl", schema2)
	want(0, good, with("apply", "--auto-approve", "--name", "second")...)
	want(0, good, with("rollback", "--auto-approve", "--allow-destructive")...)
	want(0, good, with("apply", "--auto-approve", "--name", "third")...)
	// A saved plan, made and applied through --url.
	p.write("schema.hcl", schema3)
	want(0, good, "plan", "--url", good, "--out", "url.plan")
	want(0, good, "apply", "url.plan", "--url", good, "--auto-approve")
	want(0, good, "inspect", "--url", good)
	// Changed outside the environment's history: drift.
	want(2, good, with("drift")...)
	// The new outputs: a lock wait (holder named, the wait's end), the
	// version, completion.
	holder, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got int
	if err := holder.QueryRowContext(context.Background(), "SELECT GET_LOCK(?, 0)", "strata:"+db.Name).Scan(&got); err != nil || got != 1 {
		t.Fatalf("GET_LOCK: %v %d", err, got)
	}
	r := want(1, good, with("rollback", "--auto-approve", "--allow-destructive")...)
	if !strings.Contains(r.Err, "Waiting for the lock on "+db.Name) || !strings.Contains(r.Err, "lock_timeout 2s") {
		t.Errorf("the lock wait is not reported:\n%s", r.Err)
	}
	holder.Close()
	want(0, good, "--version")
	want(0, good, "__complete", "plan", "--env", "")

	// Failing: each command with a wrong password, a closed port, a
	// database that does not exist and URLs that do not parse.
	bad := map[string]string{
		"wrong_password": fmt.Sprintf("mysql://%s:%s-wrong@%s/%s", user, pw, addr, db.Name),
		"closed_port":    fmt.Sprintf("mysql://%s:%s@127.0.0.1:1/%s", user, pw, db.Name),
		"no_database":    fmt.Sprintf("mysql://%s:%s@%s/%s_nope", user, pw, addr, db.Name),
		"bad_port":       fmt.Sprintf("mysql://%s:%s@127.0.0.1:port/%s", user, pw, db.Name),
		"bad_param":      fmt.Sprintf("mysql://%s:%s@%s/%s?timeout=never", user, pw, addr, db.Name),
		"bad_scheme":     fmt.Sprintf("postgres://%s:%s@%s/%s", user, pw, addr, db.Name),
		"no_scheme":      fmt.Sprintf("%s:%s@tcp(%s)/%s", user, pw, addr, db.Name),
		"space_in_host":  fmt.Sprintf("mysql://%s:%s@local host:3306/%s", user, pw, db.Name),
	}
	commands := [][]string{
		{"inspect"}, {"plan"}, {"plan", "--format", "json"}, {"plan", "--format", "sql"},
		{"plan", "--format", "markdown"}, {"plan", "--out", "failed.plan"}, {"apply", "--auto-approve"},
		{"apply", "first.plan", "--auto-approve"}, {"status"}, {"history"}, {"current"},
		{"rollback", "--auto-approve"}, {"drift"},
	}
	// They run eight at a time: none of them gets to change anything.
	failures := 0
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for name, url := range bad {
		for _, c := range commands {
			for _, viaURL := range []bool{false, true} {
				q := *p
				args := with(c...)
				q.Env = []string{"DEV_DATABASE_URL=" + url}
				if viaURL {
					args = append(append([]string{}, c...), "--url", url)
					q.Env = nil
				}
				failures++
				wg.Add(1)
				go func() {
					defer wg.Done()
					sem <- struct{}{}
					defer func() { <-sem }()
					r := q.run(args...)
					check(name+": "+strings.Join(args, " "), r)
					if r.Code != 1 {
						t.Errorf("%s: strata %s: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), r.Code, r.Out, r.Err)
					}
				}()
			}
		}
	}
	wg.Wait()

	// Failing before any connection: environment files (and a schema)
	// with a literal URL on a line HCL cannot read or type-check. Their
	// diagnostics print the source line: masked.
	literal := map[string]string{
		// Missing newline after argument: the URL is on the error's line.
		"lit_syntax": fmt.Sprintf("url = %q protected = true\n", good),
		// The URL itself is the subject of a type error.
		"lit_type": fmt.Sprintf("url = %q\nprotected = %q\n", good, good),
		// An unknown attribute on the URL's line, a DSN beside it.
		"lit_attr": fmt.Sprintf("url = %q\nsomething = \"%s:%s@tcp(%s)/%s\" oops\n", good, user, pw, addr, db.Name),
		// An invalid lock_timeout after a literal URL with a raw '@' in
		// the password.
		"lit_lock": fmt.Sprintf("url = \"mysql://%s:%s@x@%s/%s\" lock_timeout = \"soon\"\n", user, pw, addr, db.Name),
	}
	for name, src := range literal {
		p.write("environments/"+name+".hcl", src)
	}
	for name := range literal {
		for _, c := range append(commands, []string{"validate"}, []string{"lint"}, []string{"lint", "--format", "json"}) {
			failures++
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				args := append(append([]string{}, c...), "--env", name)
				r := p.run(args...)
				check(name+": "+strings.Join(args, " "), r)
				if c[0] != "validate" && r.Code != 1 {
					t.Errorf("%s: strata %s: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), r.Code, r.Out, r.Err)
				}
			}()
		}
	}
	wg.Wait()
	// The diagnostics do show where: the masked line.
	r = p.run("plan", "--env", "lit_syntax")
	if !strings.Contains(r.Err, user+":***@") || !strings.Contains(r.Err, "lit_syntax.hcl:1:") {
		t.Errorf("the syntax error does not show the masked line:\n%s", r.Err)
	}
	// A schema with the same mistake, through validate and plan.
	p.write("broken/schema.hcl", fmt.Sprintf("table \"t\" {\n  comment = %q column \"id\" {\n    type = int\n  }\n}\n", good))
	for _, args := range [][]string{{"validate", "--schema", "broken"}, {"plan", "--schema", "broken", "--env", "dev"}, {"fmt", "--check", "broken"}} {
		failures++
		r := p.run(args...)
		check(strings.Join(args, " "), r)
		if r.Code != 1 {
			t.Errorf("strata %s: exit %d, want 1\nstderr:\n%s", strings.Join(args, " "), r.Code, r.Err)
		}
	}

	// Nothing written holds it: revisions, strata.sum, plan files (not
	// the inputs the test wrote with literal URLs).
	files := 0
	err = filepath.WalkDir(p.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if rel, _ := filepath.Rel(p.Dir, path); literal[strings.TrimSuffix(filepath.Base(rel), ".hcl")] != "" || rel == filepath.Join("broken", "schema.hcl") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		if strings.Contains(string(b), "S3cr3t") {
			t.Errorf("%s holds the password", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// "third" re-applies the rolled back "second": no new revision.
	if len(p.revisionFiles()) != 2 {
		t.Errorf("%d revision files, want 2 (first, second)", len(p.revisionFiles()))
	}
	for _, f := range []string{"first.plan", "url.plan"} {
		if _, err := os.Stat(filepath.Join(p.Dir, f)); err != nil {
			t.Errorf("plan file %s: %v", f, err)
		}
	}
	var rows, leaks int
	if err := db.QueryRow("SELECT COUNT(*), COALESCE(SUM(CONCAT_WS('|', version, slug, parent, checksum, status, error, statement, applied_by, hash_before, hash_after) LIKE '%S3cr3t%'), 0) FROM strata_revisions").Scan(&rows, &leaks); err != nil {
		t.Fatal(err)
	}
	if leaks != 0 {
		t.Errorf("%d strata_revisions rows hold the password", leaks)
	}
	if rows != 2 {
		t.Errorf("strata_revisions has %d rows, want 2", rows)
	}
	t.Logf("%d runs (%d failing ones), %d files and %d strata_revisions rows searched: no password", runs, failures, files, rows)
}
