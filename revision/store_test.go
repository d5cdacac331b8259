package revision

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/testdb"
	_ "modernc.org/sqlite"
)

func testRevision(version string, up ...string) *Revision {
	r := &Revision{Version: version, Slug: "t", Created: created, FromHash: "from-" + version, Checksum: "h1:" + version}
	for _, s := range up {
		r.Up = append(r.Up, Statement{SQL: s})
	}
	return r
}

// stores returns a Store on MariaDB and one on SQLite.
func stores(t *testing.T) map[string]*Store {
	db := testdb.New(t)
	lite, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	return map[string]*Store{
		"mysql":  {Q: db.DB, Dialect: "mysql"},
		"sqlite": {Q: lite, Dialect: "sqlite"},
	}
}

func TestStore_Init(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if ok, err := st.Exists(ctx); err != nil || ok {
				t.Errorf("Exists before Init = %v, %v", ok, err)
			}
			if recs, err := st.Applied(ctx); err != nil || recs != nil {
				t.Errorf("Applied before Init = %v, %v; want no history and no error", recs, err)
			}
			if _, err := st.Get(ctx, "20260101000000"); !errors.Is(err, ErrNoRecord) {
				t.Errorf("Get before Init = %v, want ErrNoRecord", err)
			}
			if ok, _ := st.Exists(ctx); ok {
				t.Errorf("reading created the table")
			}
			for i := 0; i < 2; i++ {
				if err := st.Init(ctx); err != nil {
					t.Fatalf("Init #%d: %v", i+1, err)
				}
			}
			recs, err := st.Applied(ctx)
			if err != nil || len(recs) != 0 {
				t.Errorf("Applied on a new table = %v, %v", recs, err)
			}
			cur, err := st.Current(ctx)
			if err != nil || cur != nil {
				t.Errorf("Current on a new table = %v, %v", cur, err)
			}
		})
	}
}

func TestStore_Lifecycle(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := st.Init(ctx); err != nil {
				t.Fatal(err)
			}
			a := testRevision("20260101000000", "s1", "s2", "s3")
			b := testRevision("20260102000000", "s1")
			b.Parent = a.Version
			before := time.Now().UTC().Add(-time.Second)

			if err := st.Begin(ctx, a, 3, "alice"); err != nil {
				t.Fatal(err)
			}
			rec := get(t, st, a.Version)
			if rec.Status != StatusPartial || rec.Done != 0 || rec.Total != 3 || rec.Running != -1 || rec.AppliedBy != "alice" ||
				rec.Checksum != a.Checksum || rec.HashBefore != a.FromHash || rec.Direction != Up || rec.StartedAt.Before(before) ||
				!rec.FinishedAt.IsZero() {
				t.Errorf("after Begin: %+v", rec)
			}
			if err := st.Running(ctx, a.Version, 0, "hash0"); err != nil {
				t.Fatal(err)
			}
			if rec := get(t, st, a.Version); rec.Running != 0 || rec.RunningHash != "hash0" {
				t.Errorf("after Running: %+v", rec)
			}
			if err := st.Progress(ctx, a.Version, 1); err != nil {
				t.Fatal(err)
			}
			if rec := get(t, st, a.Version); rec.Done != 1 || rec.Running != -1 || rec.RunningHash != "" {
				t.Errorf("after Progress: %+v", rec)
			}
			if err := st.Fail(ctx, a.Version, 1, "s2", errors.New("boom")); err != nil {
				t.Fatal(err)
			}
			if rec := get(t, st, a.Version); rec.Status != StatusPartial || rec.Done != 1 || rec.Error != "boom" || rec.Statement != "s2" || rec.FinishedAt.IsZero() {
				t.Errorf("after Fail: %+v", rec)
			}
			if cur, err := st.Current(ctx); err != nil || cur == nil || cur.Version != a.Version || cur.Status != StatusPartial {
				t.Errorf("Current after Fail = %+v, %v", cur, err)
			}
			if err := st.Progress(ctx, a.Version, 3); err != nil {
				t.Fatal(err)
			}
			if err := st.Finish(ctx, a.Version, "after-a"); err != nil {
				t.Fatal(err)
			}
			rec = get(t, st, a.Version)
			if rec.Status != StatusApplied || rec.Done != 3 || rec.Error != "" || rec.Statement != "" || rec.HashAfter != "after-a" ||
				rec.FinishedAt.Before(rec.StartedAt) || rec.DurationMS < 0 {
				t.Errorf("after Finish: %+v", rec)
			}

			if err := st.Begin(ctx, b, 1, "bob"); err != nil {
				t.Fatal(err)
			}
			if err := st.Finish(ctx, b.Version, "after-b"); err != nil {
				t.Fatal(err)
			}
			if cur, err := st.Current(ctx); err != nil || cur.Version != b.Version || cur.Parent != a.Version {
				t.Errorf("Current = %+v, %v", cur, err)
			}
			if err := st.BeginDown(ctx, b, 1, "carol"); err != nil {
				t.Fatal(err)
			}
			if err := st.MarkRolledBack(ctx, b.Version); err != nil {
				t.Fatal(err)
			}
			recs, err := st.Applied(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 2 || recs[0].Version != a.Version || recs[1].Status != StatusRolledBack || recs[1].Direction != Down || recs[1].AppliedBy != "carol" {
				t.Errorf("Applied = %+v", recs)
			}
			if cur, err := st.Current(ctx); err != nil || cur.Version != a.Version {
				t.Errorf("Current after rollback = %+v, %v", cur, err)
			}
			// Applying a rolled-back revision again starts a fresh row.
			if err := st.Begin(ctx, b, 1, "dave"); err != nil {
				t.Fatal(err)
			}
			if rec := get(t, st, b.Version); rec.Status != StatusPartial || rec.Direction != Up || rec.Done != 0 {
				t.Errorf("re-Begin: %+v", rec)
			}

			if err := st.Forget(ctx, b.Version); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Get(ctx, b.Version); !errors.Is(err, ErrNoRecord) {
				t.Errorf("Get after Forget = %v", err)
			}

			var missing = "20990101000000"
			for what, err := range map[string]error{
				"Progress":       st.Progress(ctx, missing, 1),
				"Finish":         st.Finish(ctx, missing, ""),
				"MarkRolledBack": st.MarkRolledBack(ctx, missing),
				"BeginDown":      st.BeginDown(ctx, testRevision(missing), 1, "x"),
			} {
				if !errors.Is(err, ErrNoRecord) || !strings.Contains(err.Error(), missing) {
					t.Errorf("%s of a missing version: %v", what, err)
				}
			}
		})
	}
}

func get(t *testing.T, st *Store, version string) *Record {
	t.Helper()
	rec, err := st.Get(context.Background(), version)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestStore_Lock(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	conn := func() *sql.Conn {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	a, b := &Store{Q: conn(), Dialect: "mysql"}, &Store{Q: conn(), Dialect: "mysql"}
	unlock, err := a.Lock(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Lock(ctx, 0)
	var le *LockedError
	if !errors.As(err, &le) || le.Holder == 0 || !strings.Contains(err.Error(), db.Name) {
		t.Fatalf("second Lock = %v, want a *LockedError naming the holder", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	unlockB, err := b.Lock(ctx, time.Second)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	if err := unlockB(); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Store{Q: db.DB, Dialect: "mysql"}).Lock(ctx, 0); err == nil {
		t.Errorf("Lock on a pool must be refused: the lock belongs to one session")
	}
	if got := LockName(strings.Repeat("x", 64)); len(got) > 64 {
		t.Errorf("LockName too long: %d", len(got))
	}
}

// TestStore_Applied_ParseTime reads the record through a connection with
// parseTime=true, where DATETIME columns arrive as time.Time.
func TestStore_Applied_ParseTime(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	st := &Store{Q: db.DB, Dialect: "mysql"}
	if err := st.Init(ctx); err != nil {
		t.Fatal(err)
	}
	r := testRevision("20260101000000", "s1")
	if err := st.Begin(ctx, r, 1, "alice"); err != nil {
		t.Fatal(err)
	}
	if err := st.Finish(ctx, r.Version, "h"); err != nil {
		t.Fatal(err)
	}
	pt, err := sql.Open("mysql", testdb.DSN(db.Name)+"&parseTime=true")
	if err != nil {
		t.Fatal(err)
	}
	defer pt.Close()
	plain := get(t, st, r.Version)
	parsed := get(t, &Store{Q: pt, Dialect: "mysql"}, r.Version)
	if plain.StartedAt.IsZero() || !parsed.StartedAt.Equal(plain.StartedAt) || !parsed.FinishedAt.Equal(plain.FinishedAt) {
		t.Errorf("times differ: %v/%v vs %v/%v", plain.StartedAt, plain.FinishedAt, parsed.StartedAt, parsed.FinishedAt)
	}
}

// A history table made before parallel runs gets their steps column from
// Init, and its rows keep working.
func TestStore_InitAddsSteps(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := st.Init(ctx); err != nil {
				t.Fatal(err)
			}
			r := testRevision("20260101000000", "CREATE TABLE a (id int)")
			if err := st.Begin(ctx, r, 1, "ann"); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Q.ExecContext(ctx, "ALTER TABLE "+Table+" DROP COLUMN steps"); err != nil {
				t.Fatal(err)
			}
			if err := st.Init(ctx); err != nil {
				t.Fatalf("Init of an older table: %v", err)
			}
			if state, err := st.Steps(ctx, r.Version); err != nil || state != nil {
				t.Fatalf("Steps of an older row = %+v, %v; want none", state, err)
			}
			want := &StepState{Done: []int{0}, Running: map[int]RunningStep{1: {Tables: []string{"a"}, Hash: "h"}}}
			if err := st.SaveSteps(ctx, r.Version, want, 1); err != nil {
				t.Fatal(err)
			}
			got, err := st.Steps(ctx, r.Version)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Steps = %+v, %v; want %+v", got, err, want)
			}
			if rec := get(t, st, r.Version); rec.Done != 1 {
				t.Errorf("done = %d, want 1", rec.Done)
			}
		})
	}
}
