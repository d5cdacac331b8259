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
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/internal/testdb"
)

// testTables tells the tables of the test statements: the word after TABLE
// (and after TO / REFERENCES); statements without one are not told.
func testTables(stmt string) ([]string, bool) {
	words := strings.Fields(strings.NewReplacer("(", " ", ")", " ", ",", " ").Replace(stmt))
	var ts []string
	for i := 0; i+1 < len(words); i++ {
		switch strings.ToUpper(words[i]) {
		case "TABLE", "TO", "REFERENCES":
			if !slices.Contains(ts, words[i+1]) {
				ts = append(ts, words[i+1])
			}
		}
	}
	return ts, len(ts) > 0
}

func TestMakeSchedule(t *testing.T) {
	stmts := []string{
		"ALTER TABLE a ADD x int",                   // 0: lane of a
		"ALTER TABLE b ADD x int",                   // 1: b, linked to c by a live foreign key
		"ALTER TABLE c ADD x int",                   // 2: same lane as b
		"CREATE VIEW v AS SELECT 1",                 // 3: barrier
		"CREATE TABLE d (id int REFERENCES a (id))", // 4: d joins a's lane
		"RENAME TABLE e TO f",                       // 5: e and f, a lane of their own
		"ALTER TABLE a ADD y int",                   // 6: a's lane
	}
	sc := makeSchedule(stmts, testTables, [][2]string{{"c", "b"}})
	lane := func(i int) int { return sc.lane[i] }
	if lane(3) != barrier {
		t.Errorf("the view is in lane %d, want a barrier", lane(3))
	}
	if lane(1) != lane(2) {
		t.Errorf("b and c, linked by a foreign key, are in lanes %d and %d", lane(1), lane(2))
	}
	if lane(0) != lane(4) || lane(0) != lane(6) {
		t.Errorf("a and d (a new foreign key) are in lanes %d, %d, %d", lane(0), lane(4), lane(6))
	}
	if lane(0) == lane(1) || lane(5) == lane(0) || lane(5) == lane(1) {
		t.Errorf("unrelated tables share a lane: %v", sc.lane)
	}
	if got := sc.laneTables(4); !slices.Equal(got, []string{"a", "d"}) {
		t.Errorf("tables hashed for statement 5 = %v, want [a d]", got)
	}
	if sc.laneTables(3) != nil {
		t.Errorf("a barrier hashes the whole schema")
	}

	// Which statement may start: lanes in order, a barrier alone.
	busy := map[int]bool{}
	if i := sc.next([]int{0, 1, 2, 3, 4}, busy, 0); i != 0 {
		t.Errorf("next = %d, want 0", i)
	}
	busy[lane(0)] = true
	if i := sc.next([]int{1, 2, 3, 4}, busy, 1); i != 1 {
		t.Errorf("next with a busy = %d, want 1", i)
	}
	busy[lane(1)] = true
	if i := sc.next([]int{2, 3, 4}, busy, 2); i != -1 {
		t.Errorf("next with both lanes busy = %d, want none (2 waits for 1, the rest for the barrier)", i)
	}
	if i := sc.next([]int{3, 4}, map[int]bool{}, 1); i != -1 {
		t.Errorf("a barrier started while a statement runs")
	}
	if i := sc.next([]int{3, 4}, map[int]bool{}, 0); i != 3 {
		t.Errorf("next = %d, want the barrier", i)
	}
	if i := sc.next([]int{4}, map[int]bool{barrier: true}, 1); i != -1 {
		t.Errorf("statement %d started while a barrier runs", i)
	}
}

// hashTablesOf is a stand-in for the per-table hash: the named tables'
// columns; an absent table hashes as absent.
func hashTablesOf(db *sql.DB) func(context.Context, []string) (string, error) {
	return func(ctx context.Context, tables []string) (string, error) {
		h := sha256.New()
		for _, name := range tables {
			rows, err := db.QueryContext(ctx, `SELECT CONCAT(COLUMN_NAME, ':', COLUMN_TYPE) FROM information_schema.COLUMNS
 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, name)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(h, "table %s\n", name)
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					rows.Close()
					return "", err
				}
				fmt.Fprintln(h, s)
			}
			rows.Close()
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
}

// slowConn delays each statement and notes which run at the same time.
type slowConn struct {
	*sql.Conn
	delay time.Duration
	mu    *sync.Mutex
	now   map[string]bool // statements running
	max   *int
	pairs map[[2]string]bool // statements seen running together
	after func(stmt string)
}

func (c slowConn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	c.mu.Lock()
	for other := range c.now {
		c.pairs[[2]string{min(q, other), max(q, other)}] = true
	}
	c.now[q] = true
	*c.max = max(*c.max, len(c.now))
	c.mu.Unlock()
	time.Sleep(c.delay)
	res, err := c.Conn.ExecContext(ctx, q, args...)
	c.mu.Lock()
	delete(c.now, q)
	c.mu.Unlock()
	if err == nil && c.after != nil {
		c.after(q)
	}
	return res, err
}

type parallelProbe struct {
	mu    sync.Mutex
	now   map[string]bool
	max   int
	pairs map[[2]string]bool
}

func (p *parallelProbe) options(db *sql.DB, n int, after func(string)) RunOptions {
	p.now, p.pairs = map[string]bool{}, map[[2]string]bool{}
	return RunOptions{
		Parallel: n,
		Conn: func(ctx context.Context) (dialect.Querier, func(), error) {
			c, err := db.Conn(ctx)
			if err != nil {
				return nil, nil, err
			}
			return slowConn{Conn: c, delay: 100 * time.Millisecond, mu: &p.mu, now: p.now, max: &p.max, pairs: p.pairs, after: after},
				func() { c.Close() }, nil
		},
		Tables:     testTables,
		Hash:       liveHashOf(db),
		HashTables: hashTablesOf(db),
	}
}

func (p *parallelProbe) together(a, b string) bool {
	return p.pairs[[2]string{min(a, b), max(a, b)}]
}

func TestApply_parallel(t *testing.T) {
	ctx := context.Background()

	t.Run("unrelated tables at once, linked ones and barriers alone", func(t *testing.T) {
		db := testdb.New(t)
		db.Exec(t, "CREATE TABLE p (id int PRIMARY KEY)")
		db.Exec(t, "CREATE TABLE ch (id int, p_id int, FOREIGN KEY (p_id) REFERENCES p (id))")
		st := &Store{Q: db.DB, Dialect: "mysql"}
		r := testRevision("20260101000000",
			"CREATE TABLE a (id int)",
			"CREATE TABLE b (id int)",
			"ALTER TABLE p ADD COLUMN x int",
			"ALTER TABLE ch ADD COLUMN x int",
			"CREATE VIEW v AS SELECT 1 AS one",
			"CREATE TABLE c (id int)",
			"CREATE TABLE d (id int)")
		r.FromHash = ""
		var probe parallelProbe
		o := probe.options(db.DB, 4, nil)
		o.Linked = [][2]string{{"ch", "p"}}
		start := time.Now()
		if err := Apply(ctx, db.DB, st, r, o); err != nil {
			t.Fatal(err)
		}
		elapsed := time.Since(start)
		if got := tables(t, db.DB); got != "a,b,c,ch,d,p,v" {
			t.Errorf("tables: %s", got)
		}
		if probe.max < 2 {
			t.Errorf("at most %d statement ran at once, want several (%s for 7 statements of 100 ms)", probe.max, elapsed)
		}
		if !probe.together(r.Up[0].SQL, r.Up[1].SQL) {
			t.Errorf("CREATE TABLE a and b did not run together")
		}
		if probe.together(r.Up[2].SQL, r.Up[3].SQL) {
			t.Errorf("p and ch, linked by a foreign key, ran together")
		}
		for i, s := range r.Up {
			if i != 4 && probe.together(s.SQL, r.Up[4].SQL) {
				t.Errorf("the view ran together with %q", s.SQL)
			}
		}
		rec := get(t, st, r.Version)
		if rec.Status != StatusApplied || rec.Done != 7 {
			t.Errorf("record: %+v", rec)
		}
		if state, err := st.Steps(ctx, r.Version); err != nil || state != nil {
			t.Errorf("steps after a finished run = %+v, %v; want none", state, err)
		}
	})

	t.Run("a failing lane stops the run; the rerun does only the rest", func(t *testing.T) {
		db := testdb.New(t)
		st := &Store{Q: db.DB, Dialect: "mysql"}
		// Every statement fails when repeated (CREATE without IF NOT
		// EXISTS, ADD COLUMN twice), so the rerun proves none is.
		r := testRevision("20260101000000",
			"CREATE TABLE a (id int)",
			"CREATE TABLE b (id int)",
			"ALTER TABLE ext ADD COLUMN y int",
			"ALTER TABLE a ADD COLUMN x int",
			"CREATE TABLE ext2 (id int)")
		r.FromHash = ""
		var probe parallelProbe
		err := Apply(ctx, db.DB, st, r, probe.options(db.DB, 3, nil))
		var pe *PartialError
		if !errors.As(err, &pe) || pe.Statement != r.Up[2].SQL || !strings.Contains(err.Error(), "ext") {
			t.Fatalf("Apply = %v, want a *PartialError at the ALTER of ext", err)
		}
		if !strings.Contains(err.Error(), "failed at statement 3 of 5") {
			t.Errorf("the error does not name statement 3: %v", err)
		}
		rec := get(t, st, r.Version)
		if rec.Status != StatusPartial || rec.Done != pe.Done || rec.Statement != r.Up[2].SQL {
			t.Errorf("record after failure: %+v (error says %d done)", rec, pe.Done)
		}
		db.Exec(t, "CREATE TABLE ext (id int)")
		var seen []int
		o := RunOptions{Progress: func(i, _ int, _ string) { seen = append(seen, i) }, Hash: liveHashOf(db.DB), HashTables: hashTablesOf(db.DB)}
		if err := Apply(ctx, db.DB, st, r, o); err != nil {
			t.Fatalf("sequential rerun: %v", err)
		}
		if !slices.Contains(seen, 2) || len(seen) != len(r.Up)-pe.Done {
			t.Errorf("rerun ran statements %v; %d were done before", seen, pe.Done)
		}
		if got := tables(t, db.DB); got != "a,b,ext,ext2" {
			t.Errorf("tables: %s", got)
		}
		if rec := get(t, st, r.Version); rec.Status != StatusApplied || rec.Done != 5 {
			t.Errorf("record after rerun: %+v", rec)
		}
	})
}

func TestApply_parallelInterrupted(t *testing.T) {
	db := testdb.New(t)
	st := &Store{Q: db.DB, Dialect: "mysql"}
	r := testRevision("20260101000000",
		"CREATE TABLE a (id int)", "CREATE TABLE b (id int)", "CREATE TABLE c (id int)",
		"CREATE TABLE d (id int)", "CREATE TABLE e (id int)", "CREATE TABLE f (id int)")
	r.FromHash = ""
	// Ctrl-C as the first statement starts: the statements already
	// running finish, no new one starts, and the rerun does the rest.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var probe parallelProbe
	o := probe.options(db.DB, 2, nil)
	o.Progress = func(int, int, string) { cancel() }
	err := Apply(ctx, db.DB, st, r, o)
	var pe *PartialError
	if !errors.As(err, &pe) || !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Apply = %v, want an interrupted *PartialError", err)
	}
	if pe.Done == 0 || pe.Done > 2 {
		t.Errorf("%d statements done, want the one or two that were running", pe.Done)
	}
	if got := strings.Count(tables(t, db.DB), ",") + 1; got != pe.Done {
		t.Errorf("%d tables exist, the error says %d statements done", got, pe.Done)
	}
	o = probe.options(db.DB, 2, nil)
	if err := Apply(context.Background(), db.DB, st, r, o); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if got := tables(t, db.DB); got != "a,b,c,d,e,f" {
		t.Errorf("tables: %s", got)
	}
}

// parallelKillStmts are the statements TestApplyParallel_Kill's helper runs
// three at a time; each fails when repeated.
var parallelKillStmts = []string{
	"CREATE TABLE a (id int)",
	"CREATE TABLE b (id int)",
	"CREATE TABLE c (id int)",
	"ALTER TABLE a ADD COLUMN x int",
	"ALTER TABLE b ADD COLUMN x int",
	"CREATE TABLE d (id int)",
}

// TestApplyParallel_Kill kills a process running a parallel apply right
// after statement k takes effect, while other lanes run, then reruns: every
// statement must end up run exactly once.
func TestApplyParallel_Kill(t *testing.T) {
	if os.Getenv("STRATA_KILL_DB") != "" {
		t.Skip("helper process")
	}
	for k := range parallelKillStmts {
		t.Run(fmt.Sprintf("after statement %d", k+1), func(t *testing.T) {
			db := testdb.New(t)
			cmd := exec.Command(os.Args[0], "-test.run=^TestApplyParallelKillHelper$", "-test.count=1")
			cmd.Env = append(os.Environ(), "STRATA_KILL_DB="+db.Name, "STRATA_KILL_AT="+strconv.Itoa(k))
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 3 {
				t.Fatalf("helper did not die at the kill point: %v\n%s", err, out)
			}
			ctx := context.Background()
			st := &Store{Q: db.DB, Dialect: "mysql"}
			r := killRevision(parallelKillStmts)
			state, err := st.Steps(ctx, r.Version)
			if err != nil || state == nil || len(state.Running) == 0 {
				t.Fatalf("the killed run left steps %+v, %v; want statements marked running", state, err)
			}
			var probe parallelProbe
			if err := Apply(ctx, db.DB, st, r, probe.options(db.DB, 3, nil)); err != nil {
				t.Fatalf("rerun after kill: %v", err)
			}
			if got := tables(t, db.DB); got != "a,b,c,d" {
				t.Errorf("tables: %s", got)
			}
			var cols int
			if err := db.QueryRow(`SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'x'`).Scan(&cols); err != nil || cols != 2 {
				t.Errorf("columns x: %d, %v; want 2", cols, err)
			}
			if rec := get(t, st, r.Version); rec.Status != StatusApplied || rec.Done != len(parallelKillStmts) {
				t.Errorf("record: %+v", rec)
			}
		})
	}
}

// TestApplyParallelKillHelper is the process TestApplyParallel_Kill kills.
func TestApplyParallelKillHelper(t *testing.T) {
	name := os.Getenv("STRATA_KILL_DB")
	if name == "" || os.Getenv("STRATA_KILL_WHEN") != "" {
		t.Skip("only run by TestApplyParallel_Kill")
	}
	k, _ := strconv.Atoi(os.Getenv("STRATA_KILL_AT"))
	db, err := sql.Open("mysql", testdb.DSN(name))
	if err != nil {
		t.Fatal(err)
	}
	r := killRevision(parallelKillStmts)
	var probe parallelProbe
	o := probe.options(db, 3, func(q string) {
		if q == parallelKillStmts[k] {
			os.Exit(3)
		}
	})
	err = Apply(context.Background(), db, &Store{Q: db, Dialect: "mysql"}, r, o)
	t.Fatalf("helper was not killed: %v", err)
}
