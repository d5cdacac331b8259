package revision

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
)

// TestSettle: a run of a hand-written revision died during a statement
// nothing can settle (a TRUNCATE). The resume refuses until a person
// settles it; then it goes on after the statement (it took effect) or runs
// it again (it did not), and never runs what was done twice.
func TestSettle(t *testing.T) {
	for _, tookEffect := range []bool{true, false} {
		t.Run(map[bool]string{true: "took effect", false: "no effect"}[tookEffect], func(t *testing.T) {
			ctx := context.Background()
			db := testdb.New(t)
			db.Exec(t, "CREATE TABLE t (id int)")
			st := &Store{Q: db.DB, Dialect: "mysql"}
			r := NewHandWritten("wipe", "", "alice", created)
			r.Version, r.Checksum, r.File = "20260101000000", "h1:x", "migrations/20260101000000_wipe.sql"
			if err := r.SetSQL("INSERT INTO t VALUES (1);\nTRUNCATE TABLE t;\nINSERT INTO t VALUES (2);\n", ""); err != nil {
				t.Fatal(err)
			}
			if _, err := Settle(ctx, st, r, &Record{Version: r.Version, Status: StatusApplied}, true); err == nil {
				t.Error("settled an applied revision")
			}
			if err := st.Init(ctx); err != nil {
				t.Fatal(err)
			}
			if err := st.Begin(ctx, r, 3, "alice"); err != nil {
				t.Fatal(err)
			}
			if err := Run(ctx, db.DB, st, r, r.UpSQL()[:1], 0, RunOptions{}); err != nil {
				t.Fatal(err)
			}
			rec, err := st.Get(ctx, r.Version)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Settle(ctx, st, r, rec, true); err == nil || !strings.Contains(err.Error(), "nothing to settle") {
				t.Errorf("settle of a run stopped between statements = %v, want nothing to settle", err)
			}
			// What Run does for statement 2, up to the crash.
			if err := st.Running(ctx, r.Version, 1, ""); err != nil {
				t.Fatal(err)
			}
			if tookEffect {
				db.Exec(t, "TRUNCATE TABLE t")
			}
			var oe *OpaqueError
			if err := Apply(ctx, db.DB, st, r, RunOptions{}); !errors.As(err, &oe) || oe.Index != 1 || oe.Line != 2 {
				t.Fatalf("resume before settling = %v, want an *OpaqueError for statement 2 on line 2", err)
			}
			if rec, err = st.Get(ctx, r.Version); err != nil {
				t.Fatal(err)
			}
			if err := r.Unsettled(rec); !errors.As(err, &oe) {
				t.Errorf("Unsettled = %v, want an *OpaqueError", err)
			}
			s, err := Settle(ctx, st, r, rec, tookEffect)
			if err != nil {
				t.Fatal(err)
			}
			wantNext := map[bool]int{true: 2, false: 1}[tookEffect]
			if s.Index != 1 || s.Line != 2 || s.Next != wantNext || s.Statement != "TRUNCATE TABLE t" {
				t.Errorf("Settle = %+v, want statement 2 on line 2, next %d", s, wantNext)
			}
			if rec, err = st.Get(ctx, r.Version); err != nil {
				t.Fatal(err)
			}
			if err := r.Unsettled(rec); err != nil {
				t.Errorf("Unsettled after settling = %v", err)
			}
			var ran []string
			q := execHook{DB: db.DB, after: func(q string) { ran = append(ran, q) }}
			if err := Apply(ctx, q, st, r, RunOptions{}); err != nil {
				t.Fatalf("resume after settling: %v", err)
			}
			// (The INSERT runs in its transaction, which the hook does
			// not see: the rows show it ran once.)
			var want []string
			if !tookEffect {
				want = []string{"TRUNCATE TABLE t"}
			}
			var stmts []string
			for _, s := range ran {
				if !strings.Contains(s, Table) && !strings.Contains(s, EventTable) {
					stmts = append(stmts, s)
				}
			}
			if !slices.Equal(stmts, want) {
				t.Errorf("the resume ran %q, want %q", stmts, want)
			}
			var ids string
			if err := db.QueryRow("SELECT GROUP_CONCAT(id ORDER BY id) FROM t").Scan(&ids); err != nil {
				t.Fatal(err)
			}
			if ids != "2" {
				t.Errorf("t holds %s, want 2", ids)
			}
			ev, err := st.Events(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, e := range ev {
				if e.Kind == EventSettle {
					found = strings.Contains(e.Note, "up statement 2 (migrations/20260101000000_wipe.sql line 2) settled by hand")
				}
			}
			if !found {
				t.Errorf("no settle event with its statement: %+v", ev)
			}
		})
	}
}
