package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	driver "github.com/go-sql-driver/mysql"

	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/osc"
)

// The acceptance tests of online schema changes (issue 15, part 1): a
// statement that copies a big table runs through the real
// pt-online-schema-change against the real server while rows are written,
// small tables keep their plain ALTER TABLE, what the engine cannot do is
// refused at plan time, a crash is settled by a rerun, and the password
// never shows.

// requirePTOSC skips the test without pt-online-schema-change, or fails it
// when STRATA_TEST_REQUIRE_PTOSC=1 (scripts/test.sh installs the tool).
func requirePTOSC(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pt-online-schema-change"); err != nil {
		msg := "pt-online-schema-change is not installed (Debian's percona-toolkit; scripts/percona-up.sh installs it)"
		if os.Getenv("STRATA_TEST_REQUIRE_PTOSC") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// oscRows is the size of the big table: enough for a copy of a few seconds
// in chunks of oscChunk rows with a pause between them, small enough for
// two loaded cores.
const (
	oscRows  = 20000
	oscChunk = 500
)

// oscSchema is the big table t and the small one, with v's type given.
func oscSchema(vType string) string {
	return fmt.Sprintf(`
table "t" {
  column "id" {
    type = bigint
  }
  column "k" {
    type = int
  }
  column "v" {
    type = %[1]s
  }
  column "s" {
    type = varchar(64)
    null = true
  }
  primary_key = ["id"]
}
table "small" {
  column "id" {
    type = int
  }
  column "v" {
    type = %[1]s
  }
  primary_key = ["id"]
}
`, vType)
}

// oscEnv is the prod environment: the URL from OSC_URL, pt-osc for tables
// of 256 KiB and more, paced so that the copy takes a few seconds.
func oscEnv(sleep string) string {
	return fmt.Sprintf(`url = env("OSC_URL")
online_schema_change {
  engine   = "pt-osc"
  min_size = "256KiB"
  args     = ["--recursion-method", "none", "--chunk-time", "0", "--chunk-size", "%d", "--sleep", %q]
}
`, oscChunk, sleep)
}

// oscSetup makes the database, a user with a password that owns it, the
// project applied to int columns, and the big table's rows.
func oscSetup(t *testing.T, sleep string) (*testdb.DB, *project, string) {
	t.Helper()
	db := testdb.New(t)
	_, url := testdb.User(t, db.Name, "ALL PRIVILEGES")
	p := newProject(t, map[string]string{"schema.hcl": oscSchema("int"), "environments/prod.hcl": oscEnv(sleep)})
	p.Env = append(p.Env, "OSC_URL="+url, "TMPDIR="+t.TempDir())
	p.mustRun(0, "apply", "--env", "prod", "--auto-approve")
	db.Exec(t, fmt.Sprintf("INSERT INTO t SELECT seq, seq, seq * 7 %% 1000, md5(seq) FROM seq_1_to_%d; INSERT INTO small VALUES (1, 1), (2, 2); ANALYZE TABLE t, small", oscRows))
	p.write("schema.hcl", oscSchema("bigint"))
	return db, p, url
}

func password(t *testing.T, url string) string {
	t.Helper()
	cfg, err := mysqlConfig(url)
	if err != nil || cfg.Passwd == "" {
		t.Fatalf("no password in the test user's URL: %v", err)
	}
	return cfg.Passwd
}

// leftoversOf lists what pt-osc may leave of t: copies and triggers.
func leftoversOf(t *testing.T, db *testdb.DB) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		"SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_%'",
		"SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()",
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n string
			_ = rows.Scan(&n)
			out = append(out, n)
		}
		rows.Close()
	}
	return out
}

func columnType(t *testing.T, db *testdb.DB, table, col string) string {
	t.Helper()
	var ty string
	if err := db.QueryRow("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?", table, col).Scan(&ty); err != nil {
		t.Fatal(err)
	}
	return ty
}

// checksum is the rows of a table as one figure.
func checksum(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	var n, sum int64
	if err := db.QueryRow("SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS(',', id, k, v, s))), 0) FROM "+table).Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d rows, sum %d", n, sum)
}

// writer writes to t and to the reference table ref ("" for none) the
// same rows, one statement at a time, until stop is closed; it returns the number of
// writes and the longest a write to t waited.
func writer(t *testing.T, db *sql.DB, ref string, stop <-chan struct{}) (done <-chan struct{}, result func() (int, time.Duration, error)) {
	var (
		n, retried int
		longest    time.Duration
		werr       error
	)
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		rng := rand.New(rand.NewPCG(1, 2))
		var next int64
		if err := db.QueryRow("SELECT MAX(id) + 1 FROM t").Scan(&next); err != nil {
			werr = err
			return
		}
		for {
			select {
			case <-stop:
				return
			default:
			}
			var q string
			var args []any
			switch op := rng.IntN(10); {
			case op < 4:
				q, args = "INSERT INTO %s VALUES (?, ?, ?, ?)", []any{next, next, rng.IntN(1000), fmt.Sprintf("new %d", next)}
				next++
			case op < 9:
				id := 1 + rng.Int64N(next-1)
				q, args = "UPDATE %s SET v = v + 1, s = ? WHERE id = ?", []any{fmt.Sprintf("upd %d", n), id}
			default:
				q, args = "DELETE FROM %s WHERE id = ?", []any{1 + rng.Int64N(next-1)}
			}
			start := time.Now()
			_, err := db.Exec(fmt.Sprintf(q, "t"), args...)
			for try := 0; err != nil && strings.Contains(err.Error(), "_t_new' doesn't exist") && try < 5; try++ {
				// A write that waited for pt-osc's swap can find the old
				// table's trigger naming a copy that is now t (MariaDB
				// 10.11, error 1146): the statement did nothing, and an
				// application retries it, as this one does.
				retried++
				time.Sleep(10 * time.Millisecond)
				_, err = db.Exec(fmt.Sprintf(q, "t"), args...)
			}
			if err != nil {
				werr = fmt.Errorf("write %d to t: %w", n, err)
				return
			}
			longest = max(longest, time.Since(start))
			if ref == "" {
				n++
				continue
			}
			if _, err := db.Exec(fmt.Sprintf(q, ref), args...); err != nil {
				werr = fmt.Errorf("write %d to %s: %w", n, ref, err)
				return
			}
			n++
		}
	}()
	return ch, func() (int, time.Duration, error) {
		if retried > 0 {
			t.Logf("%d writes were retried after the swap's error 1146", retried)
		}
		return n, longest, werr
	}
}

// sampler runs ps every few milliseconds until stop and returns whether
// any sample held secret, and how many samples saw the engine running.
func sampler(stop <-chan struct{}, secret string) func() (leaked string, sawEngine int) {
	var (
		mu     sync.Mutex
		leaked string
		saw    int
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			out, _ := exec.Command("ps", "-eo", "pid,args").Output()
			mu.Lock()
			if bytes.Contains(out, []byte(secret)) && leaked == "" {
				leaked = string(out)
			}
			if bytes.Contains(out, []byte("pt-online-schema-change")) {
				saw++
			}
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() (string, int) {
		<-done
		mu.Lock()
		defer mu.Unlock()
		return leaked, saw
	}
}

// noSecretInFiles fails when any file under dir holds secret.
func noSecretInFiles(t *testing.T, dir, secret string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err == nil && bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the password", path)
		}
		return nil
	})
}

// A COPY-only change (MODIFY INT → BIGINT) of the big table runs through
// pt-osc while a writer inserts, updates and deletes rows: afterwards the
// table equals a reference table that got the same writes, the revision is
// recorded, nothing of the engine is left, and the password was never on
// a command line, in an output or in a file. The small table's same change
// runs as a plain ALTER TABLE.
func TestOnlineSchemaChange_ptOSCUnderWrites(t *testing.T) {
	requirePTOSC(t)
	db, p, url := oscSetup(t, "0.05")
	secret := password(t, url)
	ref := testdb.New(t)
	ref.Exec(t, "CREATE TABLE r (id bigint NOT NULL PRIMARY KEY, k int NOT NULL, v int NOT NULL, s varchar(64))")
	ref.Exec(t, fmt.Sprintf("INSERT INTO r SELECT * FROM `%s`.t", db.Name))
	refTable := "`" + ref.Name + "`.r"

	// The plan says which statement goes where, with the size and why.
	plan := p.mustRun(0, "plan", "--env", "prod")
	for _, want := range []string{
		"-- online schema change: runs through pt-osc, not as this ALTER TABLE: table `t` is ",
		"pt-osc gets: MODIFY COLUMN `v` bigint(20) NOT NULL",
		"-- online schema change: runs as this ALTER TABLE: table `small` is 16 KiB, below min_size 256 KiB",
	} {
		if !strings.Contains(plan.Out, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan.Out)
		}
	}
	var doc struct {
		Statements []struct {
			SQL   string `json:"sql"`
			Route *struct {
				Engine  string `json:"engine"`
				Table   string `json:"table"`
				Bytes   int64  `json:"bytes"`
				MinSize int64  `json:"min_size"`
			} `json:"route"`
		} `json:"statements"`
	}
	js := p.mustRun(0, "plan", "--env", "prod", "--format", "json")
	if err := json.Unmarshal([]byte(js.Out), &doc); err != nil {
		t.Fatalf("plan json: %v\n%s", err, js.Out)
	}
	engines := map[string]string{}
	for _, s := range doc.Statements {
		if s.Route == nil {
			t.Fatalf("statement without a route: %s", s.SQL)
		}
		engines[s.Route.Table] = s.Route.Engine
		if s.Route.MinSize != 256<<10 || (s.Route.Table == "t") != (s.Route.Bytes >= 256<<10) {
			t.Errorf("route of %s: %+v", s.Route.Table, *s.Route)
		}
	}
	if engines["t"] != "pt-osc" || engines["small"] != "" {
		t.Errorf("engines by table = %v, want t through pt-osc and small as planned", engines)
	}
	if md := p.mustRun(0, "plan", "--env", "prod", "--format", "markdown"); !strings.Contains(md.Out, "-- online schema change: runs through pt-osc") {
		t.Errorf("markdown plan lacks the route:\n%s", md.Out)
	}

	stop := make(chan struct{})
	writes, result := writer(t, db.DB, refTable, stop)
	ps := sampler(stop, secret)
	time.Sleep(200 * time.Millisecond) // writes before the engine starts, too
	start := time.Now()
	r := p.run("apply", "--env", "prod", "--auto-approve")
	took := time.Since(start)
	time.Sleep(200 * time.Millisecond) // and after it ended
	close(stop)
	<-writes
	n, longest, werr := result()
	leaked, saw := ps()
	if r.Code != 0 {
		t.Fatalf("apply: exit %d\nstdout:\n%s\nstderr:\n%s", r.Code, r.Out, r.Err)
	}
	if werr != nil {
		t.Fatalf("%v\napply's stderr:\n%s", werr, r.Err)
	}
	t.Logf("apply took %s; %d writes during it, the longest write to t waited %s; ps saw the engine %d times", took.Round(time.Millisecond), n, longest.Round(time.Millisecond), saw)
	for _, want := range []string{"pt-osc: Copying `" + db.Name + "`.`t`:", "pt-osc: Successfully altered `" + db.Name + "`.`t`."} {
		if !strings.Contains(r.Err, want) {
			t.Errorf("the engine's progress is not relayed (%q):\n%s", want, r.Err)
		}
	}
	if strings.Contains(r.Err, "`small`") && strings.Contains(r.Err, "Altering `"+db.Name+"`.`small`") {
		t.Errorf("the small table went through the engine:\n%s", r.Err)
	}
	if saw == 0 {
		t.Error("ps never saw pt-online-schema-change running: the sampling proved nothing")
	}
	if leaked != "" {
		t.Errorf("the password is on a command line:\n%s", leaked)
	}
	for _, out := range []string{r.Out, r.Err, plan.Out, js.Out} {
		if strings.Contains(out, secret) {
			t.Errorf("the password is in Strata's output:\n%s", out)
		}
	}
	noSecretInFiles(t, p.Dir, secret)
	if tmp := strings.TrimPrefix(p.Env[len(p.Env)-1], "TMPDIR="); tmp != "" {
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("the engine's options file is left in %s: %v", tmp, left)
		}
	}
	if n < 20 {
		t.Errorf("only %d writes ran during the change: the test did not exercise the triggers", n)
	}
	if longest > time.Second {
		t.Errorf("a write to t waited %s during the online change", longest)
	}
	if got, want := checksum(t, db.DB, "t"), checksum(t, db.DB, refTable); got != want {
		t.Errorf("t after the change: %s; the reference with the same writes: %s", got, want)
	}
	for _, table := range []string{"t", "small"} {
		if ty := columnType(t, db, table, "v"); ty != "bigint(20)" {
			t.Errorf("%s.v is %s, want bigint(20)", table, ty)
		}
	}
	if left := leftoversOf(t, db); len(left) > 0 {
		t.Errorf("leftovers: %v", left)
	}
	h := p.history("prod")
	if last := h.Revisions[len(h.Revisions)-1]; last.Status != "applied" {
		t.Errorf("revision %s is %s, want applied", last.Version, last.Status)
	}
	var notes []string
	for _, ev := range h.Events {
		if ev.Kind == eventOnlineSchemaChange {
			notes = append(notes, ev.Note)
		}
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "statement 1 handed to pt-osc: table `t`") || !strings.Contains(notes[1], "pt-osc altered table `t`") {
		t.Errorf("online schema change events: %q", notes)
	}
	if r := p.mustRun(0, "plan", "--env", "prod"); !strings.Contains(r.Out, "No changes") {
		t.Errorf("plan after the change:\n%s", r.Out)
	}
}

// A revision made on dev, where the table is small and there is no engine,
// is routed on prod by the size of prod's table: its plan says so and its
// promotion runs through pt-osc.
func TestOnlineSchemaChange_promotion(t *testing.T) {
	requirePTOSC(t)
	dev, prod := testdb.New(t), testdb.New(t)
	p := newProject(t, map[string]string{
		"schema.hcl":           oscSchema("int"),
		"environments/dev.hcl": "url = env(\"DEV_URL\")\n",
		"environments/prod.hcl": "url = env(\"PROD_URL\")\npromote_from = \"dev\"\n" +
			"online_schema_change {\n  engine   = \"pt-osc\"\n  min_size = \"256KiB\"\n  args     = [\"--recursion-method\", \"none\"]\n}\n",
	})
	p.Env = append(p.Env, "DEV_URL="+dev.URL, "PROD_URL="+prod.URL)
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
	p.mustRun(0, "apply", "--env", "prod", "--auto-approve")
	prod.Exec(t, fmt.Sprintf("INSERT INTO t SELECT seq, seq, seq, md5(seq) FROM seq_1_to_%d; ANALYZE TABLE t", oscRows))
	p.write("schema.hcl", oscSchema("bigint"))
	if r := p.mustRun(0, "apply", "--env", "dev", "--auto-approve"); strings.Contains(r.Out+r.Err, "online schema change") {
		t.Errorf("dev has no engine, yet:\n%s%s", r.Out, r.Err)
	}
	plan := p.mustRun(0, "plan", "--env", "prod")
	for _, want := range []string{"-- online schema change: runs through pt-osc, not as this ALTER TABLE: table `t` is ", "-- online schema change: runs as this ALTER TABLE: table `small` is 0 B"} {
		if !strings.Contains(plan.Out, want) {
			t.Errorf("prod's plan lacks %q:\n%s", want, plan.Out)
		}
	}
	r := p.mustRun(0, "apply", "--env", "prod", "--auto-approve")
	if !strings.Contains(r.Err, "pt-osc: Successfully altered `"+prod.Name+"`.`t`.") {
		t.Errorf("the promotion did not run through pt-osc:\n%s", r.Err)
	}
	if ty := columnType(t, prod, "t", "v"); ty != "bigint(20)" {
		t.Errorf("prod t.v is %s", ty)
	}
}

// What the engine cannot do is refused by the plan, before anything runs.
func TestOnlineSchemaChange_refusedAtPlanTime(t *testing.T) {
	requirePTOSC(t)
	cases := []struct {
		name, live, schema, engine, want string
	}{
		{"no key", "CREATE TABLE nk (a int NOT NULL, b int NULL, UNIQUE KEY ub (b)); INSERT INTO nk VALUES (1, 1)",
			`table "nk" {
  column "a" {
    type = bigint
  }
  column "b" {
    type = int
    null = true
  }
  index "ub" {
    columns = ["b"]
    unique  = true
  }
}`, "pt-osc", "pt-osc cannot change table `nk`: table `nk` has no primary key or unique key of NOT NULL columns"},
		{"triggers", "CREATE TABLE tr (id int PRIMARY KEY, a int NOT NULL); CREATE TRIGGER tr_bi BEFORE INSERT ON tr FOR EACH ROW SET NEW.a = NEW.a",
			`table "tr" {
  column "id" {
    type = int
  }
  column "a" {
    type = bigint
  }
  primary_key = ["id"]
}
trigger "tr_bi" {
  on     = "tr"
  timing = "BEFORE"
  event  = "INSERT"
  body   = "SET NEW.a = NEW.a"
}`, "pt-osc", "table `tr` has triggers (`tr_bi`)"},
		{"parent of a foreign key", "CREATE TABLE p (id int PRIMARY KEY, a int NOT NULL); CREATE TABLE c (id int PRIMARY KEY, p_id int, CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id))",
			`table "p" {
  column "id" {
    type = int
  }
  column "a" {
    type = bigint
  }
  primary_key = ["id"]
}
table "c" {
  column "id" {
    type = int
  }
  column "p_id" {
    type = int
    null = true
  }
  primary_key = ["id"]
  foreign_key "fk_p" {
    columns     = ["p_id"]
    ref_table   = "p"
    ref_columns = ["id"]
  }
}`, "pt-osc", "--alter-foreign-keys-method"},
		{"gh-ost on MariaDB", "CREATE TABLE g (id int PRIMARY KEY, a int NOT NULL)",
			`table "g" {
  column "id" {
    type = int
  }
  column "a" {
    type = bigint
  }
  primary_key = ["id"]
}`, "gh-ost", "Unknown system variable 'transaction_isolation'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := testdb.New(t)
			db.Exec(t, tc.live)
			p := newProject(t, map[string]string{
				"schema.hcl":            tc.schema,
				"environments/prod.hcl": fmt.Sprintf("url = env(\"OSC_URL\")\nonline_schema_change {\n  engine   = %q\n  min_size = \"0\"\n}\n", tc.engine),
			})
			p.Env = append(p.Env, "OSC_URL="+db.URL)
			r := p.mustRun(1, "plan", "--env", "prod")
			if !strings.Contains(r.Err, tc.want) || !strings.Contains(r.Err, "prod.hcl:2:1") {
				t.Errorf("plan's error lacks %q (and where the block is):\n%s", tc.want, r.Err)
			}
			r = p.mustRun(1, "apply", "--env", "prod", "--auto-approve")
			if !strings.Contains(r.Err, tc.want) {
				t.Errorf("apply's error lacks %q:\n%s", tc.want, r.Err)
			}
			if len(p.revisionFiles()) != 0 {
				t.Errorf("a refused plan wrote a revision: %v", p.revisionFiles())
			}
		})
	}
}

// waitEngineGone waits until no pt-osc works on db's table t any more.
func waitEngineGone(t *testing.T, db *testdb.DB) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for osc.Running(db.Name, "t") > 0 {
		if time.Now().After(deadline) {
			t.Fatal("pt-osc still runs 30 s after Strata died")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startApply starts `strata apply` and waits until pt-osc copies rows
// (its triggers exist), returning the running command.
func startApply(t *testing.T, p *project, db *testdb.DB) *exec.Cmd {
	t.Helper()
	cmd := p.command(context.Background(), "apply", "--env", "prod", "--auto-approve")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 3 {
			return cmd
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("pt-osc never started copying:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// SIGKILL of Strata while pt-osc copies, then a rerun: the engine dies with
// Strata (cleaning up, or leaving its triggers and copy when it is killed
// too), and the rerun drops what is left, runs the change once more and
// ends in the desired shape with every row, nothing left over.
func TestOnlineSchemaChange_killedDuringCopy(t *testing.T) {
	requirePTOSC(t)
	for _, mode := range []string{"strata killed", "strata and pt-osc killed", "strata killed after pt-osc finished"} {
		engineToo, finished := mode == "strata and pt-osc killed", mode == "strata killed after pt-osc finished"
		t.Run(mode, func(t *testing.T) {
			db, p, _ := oscSetup(t, "0.1")
			before := checksum(t, db.DB, "t")
			cmd := startApply(t, p, db)
			if engineToo {
				if pid := osc.Running(db.Name, "t"); pid > 0 {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			}
			if finished {
				// Strata stands still while the engine ends its work: it
				// dies before it could record the statement done.
				_ = cmd.Process.Signal(syscall.SIGSTOP)
				waitEngineGone(t, db)
			}
			_ = cmd.Process.Signal(syscall.SIGKILL)
			_ = cmd.Wait()
			waitEngineGone(t, db)
			if engineToo && len(leftoversOf(t, db)) == 0 {
				t.Fatal("pt-osc killed by SIGKILL left nothing: the leftover path is not tested")
			}
			wantType := "int(11)"
			if finished {
				wantType = "bigint(20)"
			}
			if ty := columnType(t, db, "t", "v"); ty != wantType {
				t.Fatalf("t.v is %s after the kill, before any rerun; want %s", ty, wantType)
			}
			r := p.mustRun(0, "apply", "--env", "prod", "--auto-approve")
			if finished && strings.Contains(r.Err, "Successfully altered") {
				t.Errorf("the rerun ran the engine again on a table already in the planned shape:\n%s", r.Err)
			}
			if engineToo && !strings.Contains(r.Err, "an earlier online schema change of `t` died; dropping what it left") {
				t.Errorf("the rerun does not say it dropped the leftovers:\n%s", r.Err)
			}
			if ty := columnType(t, db, "t", "v"); ty != "bigint(20)" {
				t.Errorf("t.v is %s after the rerun", ty)
			}
			if got := checksum(t, db.DB, "t"); got != before {
				t.Errorf("rows after the rerun: %s, before: %s", got, before)
			}
			if left := leftoversOf(t, db); len(left) > 0 {
				t.Errorf("leftovers after the rerun: %v", left)
			}
			h := p.history("prod")
			if last := h.Revisions[len(h.Revisions)-1]; last.Status != "applied" || len(h.Revisions) != 2 {
				t.Errorf("history: %+v", h.Revisions)
			}
			handed := 0
			for _, ev := range h.Events {
				if ev.Kind == eventOnlineSchemaChange && strings.Contains(ev.Note, "handed to pt-osc") {
					handed++
				}
			}
			if want := map[bool]int{false: 2, true: 1}[finished]; handed != want {
				t.Errorf("%d handoffs recorded, want %d", handed, want)
			}
			p.mustRun(0, "plan", "--env", "prod", "--detailed-exitcode")
		})
	}
}

// An engine still working on the table (started by an earlier run that is
// gone) refuses the rerun: never a second engine on one table.
func TestOnlineSchemaChange_engineStillRunning(t *testing.T) {
	requirePTOSC(t)
	db, p, url := oscSetup(t, "0.2")
	cfg, err := mysqlConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	defaults := filepath.Join(t.TempDir(), "my.cnf")
	if err := os.WriteFile(defaults, []byte(fmt.Sprintf("[client]\nuser=%s\npassword=%s\n", cfg.User, cfg.Passwd)), 0o600); err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(cfg.Addr, ":")
	engine := exec.Command("pt-online-schema-change", "--defaults-file="+defaults, "--alter", "MODIFY v bigint NOT NULL",
		"--execute", "--recursion-method", "none", "--chunk-time", "0", "--chunk-size", "200", "--sleep", "0.2",
		fmt.Sprintf("D=%s,t=t,h=%s,P=%s", db.Name, host, port))
	engine.Env = append(os.Environ(), osc.EnvMarker+"="+db.Name+".t")
	if err := engine.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = engine.Process.Signal(syscall.SIGTERM); _ = engine.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for len(leftoversOf(t, db)) < 4 {
		if time.Now().After(deadline) {
			t.Fatal("the hand-started pt-osc never created its triggers")
		}
		time.Sleep(20 * time.Millisecond)
	}
	r := p.mustRun(1, "apply", "--env", "prod", "--auto-approve")
	want := fmt.Sprintf("an online schema change engine is still working on table `t` (process %d on this machine", engine.Process.Pid)
	if !strings.Contains(r.Err, want) {
		t.Errorf("apply's error lacks %q:\n%s", want, r.Err)
	}
	if n := strings.Count(r.Err, "pt-osc: Altering"); n != 0 {
		t.Errorf("a second engine started:\n%s", r.Err)
	}
}

// mysqlConfig reads a test URL's parts.
func mysqlConfig(url string) (*driver.Config, error) { return mysql.ParseURL(url) }

// The measurement, not a CI test (scripts/bench-osc.sh runs it):
// STRATA_BENCH_OSC_ROWS rows of ~110 bytes, the same MODIFY INT → BIGINT
// once as the plain ALTER TABLE (the table below min_size) and once through
// pt-osc, each while a writer inserts, updates and deletes rows: how long
// each took and the longest a write waited.
func TestOnlineSchemaChange_benchmark(t *testing.T) {
	rows := os.Getenv("STRATA_BENCH_OSC_ROWS")
	if rows == "" {
		t.Skip("set STRATA_BENCH_OSC_ROWS (scripts/bench-osc.sh) to measure")
	}
	requirePTOSC(t)
	for _, tc := range []struct{ name, minSize string }{{"plain ALTER TABLE (below min_size)", "1TiB"}, {"pt-osc", "1MiB"}} {
		db := testdb.New(t)
		p := newProject(t, map[string]string{"schema.hcl": oscSchema("int"), "environments/prod.hcl": fmt.Sprintf(`url = env("OSC_URL")
online_schema_change {
  engine   = "pt-osc"
  min_size = %q
  args     = ["--recursion-method", "none"]
}
`, tc.minSize)})
		p.Env = append(p.Env, "OSC_URL="+db.URL)
		p.mustRun(0, "apply", "--env", "prod", "--auto-approve")
		db.Exec(t, "INSERT INTO t SELECT seq, seq, seq * 7 % 1000, md5(seq) FROM seq_1_to_"+rows+"; ANALYZE TABLE t")
		var bytes int64
		if err := db.QueryRow("SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't'").Scan(&bytes); err != nil {
			t.Fatal(err)
		}
		p.write("schema.hcl", oscSchema("bigint"))
		stop := make(chan struct{})
		writes, result := writer(t, db.DB, "", stop)
		time.Sleep(500 * time.Millisecond)
		start := time.Now()
		r := p.mustRun(0, "apply", "--env", "prod", "--auto-approve")
		took := time.Since(start)
		close(stop)
		<-writes
		n, longest, err := result()
		if err != nil {
			t.Fatal(err)
		}
		through := strings.Contains(r.Err, "Successfully altered")
		t.Logf("BENCH | %s | %s rows, %s | apply %s | %d writes, longest wait %s | engine used: %v",
			tc.name, rows, fmtBytes(bytes), took.Round(100*time.Millisecond), n, longest.Round(10*time.Millisecond), through)
	}
}

func fmtBytes(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
