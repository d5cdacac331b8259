package revision

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/internal/pgtestdb"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

func sampleBaseline() *Revision {
	users := &schema.Table{Name: "users"}
	up := &planner.Plan{
		FromHash: (&schema.Schema{}).Hash(),
		ToHash:   strings.Repeat("3", 64),
		Steps: []*planner.Step{{
			Change:     &schema.AddTable{T: users},
			Statements: []dialect.Stmt{{SQL: "CREATE TABLE `users` (\n  `id` int NOT NULL,\n  PRIMARY KEY (`id`)\n)"}},
		}},
	}
	return NewBaseline(up, Meta{Env: "prod", Dialect: "mysql", Author: "alice", Created: created})
}

// A baseline is written with its kind and an irreversible down section
// without statements, and reads back the same.
func TestBaseline_Format(t *testing.T) {
	r := sampleBaseline()
	if !r.Baseline || r.Slug != BaselineSlug || r.Name() != "20261127093000_baseline.sql" {
		t.Fatalf("baseline = %+v", r)
	}
	b := Format(r)
	want := `-- strata revision: do not edit; strata.sum guards this file
-- kind: baseline
-- version: 20261127093000
-- parent: none
-- from: ` + (&schema.Schema{}).Hash() + `
-- to: ` + strings.Repeat("3", 64) + `
-- env: prod
-- dialect: mysql
-- created: 2026-11-27T09:30:00Z
-- author: alice

-- +up
CREATE TABLE ` + "`users`" + ` (
  ` + "`id`" + ` int NOT NULL,
  PRIMARY KEY (` + "`id`" + `)
);

-- +down
-- irreversible
-- A baseline adopts the schema the database had before Strata. Undoing it would drop
-- every object and its data, so strata rollback refuses it.
`
	if string(b) != want {
		t.Fatalf("Format:\n%s\nwant:\n%s", b, want)
	}
	got, err := Parse("m/"+r.Name(), b)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Baseline || !got.Irreversible() || len(got.Down) != 0 || !reflect.DeepEqual(got.UpSQL(), r.UpSQL()) {
		t.Errorf("Parse = %+v", got)
	}
	if len(got.DataLoss()) == 0 {
		t.Errorf("a baseline's rollback must count as losing data")
	}
}

// A baseline with down statements is not one Strata wrote; the irreversible
// mark without a statement is only a baseline's.
func TestBaseline_ParseErrors(t *testing.T) {
	b := string(Format(sampleBaseline()))
	withDown := strings.Replace(b, "-- irreversible\n", "-- irreversible\nDROP TABLE `users`;\n", 1)
	if _, err := Parse("m/20261127093000_baseline.sql", []byte(withDown)); err == nil || !strings.Contains(err.Error(), "no down statements") {
		t.Errorf("baseline with a down statement: %v", err)
	}
	notBaseline := strings.Replace(b, "-- kind: baseline\n", "", 1)
	if _, err := Parse("m/20261127093000_baseline.sql", []byte(notBaseline)); err == nil || !strings.Contains(err.Error(), "annotations without a statement") {
		t.Errorf("an irreversible mark without a statement outside a baseline: %v", err)
	}
	other := strings.Replace(b, "-- kind: baseline", "-- kind: snapshot", 1)
	if _, err := Parse("m/20261127093000_baseline.sql", []byte(other)); err == nil || !strings.Contains(err.Error(), `header kind "snapshot"`) {
		t.Errorf("unknown kind: %v", err)
	}
}

// RecordBaseline records the revision baselined with nothing run, as one
// baseline event; Compare counts it applied; a second one on the same database is refused, and so is
// rolling it back, even with data loss allowed.
func TestStore_RecordBaseline(t *testing.T) {
	ctx := context.Background()
	all := stores(t)
	// PostgreSQL numbers its placeholders: the store rewrites them.
	all["postgres"] = &Store{Q: pgtestdb.New(t).DB, Dialect: "postgres"}
	for name, st := range all {
		t.Run(name, func(t *testing.T) {
			r := sampleBaseline()
			r.Checksum = Checksum(Format(r))
			if err := st.Init(ctx); err != nil {
				t.Fatal(err)
			}
			if err := st.RecordBaseline(ctx, r, r.ToHash, "alice"); err != nil {
				t.Fatal(err)
			}
			rec := get(t, st, r.Version)
			if rec.Status != StatusBaselined || !rec.IsApplied() || rec.Done != 0 || rec.Total != 0 || rec.HashBefore != r.FromHash || rec.HashAfter != r.ToHash ||
				rec.Checksum != r.Checksum || rec.AppliedBy != "alice" || rec.FinishedAt.IsZero() {
				t.Errorf("record = %+v", rec)
			}
			evs := events(t, st)
			if got := kinds(evs); got != "baseline:baselined" {
				t.Errorf("events = %s", got)
			}
			checkTimes(t, evs)
			state, err := Compare([]*Revision{r}, []Record{*rec})
			if err != nil || state.Current() != r || len(state.Pending) != 0 {
				t.Errorf("Compare = %+v, %v", state, err)
			}
			if err := Apply(ctx, st.Q, st, r, RunOptions{}); !errors.Is(err, ErrAlreadyApplied) {
				t.Errorf("apply of the baselined revision: %v, want ErrAlreadyApplied", err)
			}
			if err := st.RecordBaseline(ctx, r, r.ToHash, "alice"); !errors.Is(err, ErrHasHistory) {
				t.Errorf("second baseline: %v, want ErrHasHistory", err)
			}
			err = Rollback(ctx, st.Q, st, r, RunOptions{AllowDataLoss: true})
			if !errors.Is(err, ErrBaselineRollback) {
				t.Errorf("rollback: %v, want ErrBaselineRollback", err)
			}
			// The record refuses it too, whatever the file says.
			notMarked := *r
			notMarked.Baseline = false
			if err := Rollback(ctx, st.Q, st, &notMarked, RunOptions{AllowDataLoss: true}); !errors.Is(err, ErrBaselineRollback) {
				t.Errorf("rollback of a baselined record: %v, want ErrBaselineRollback", err)
			}
			if rec := get(t, st, r.Version); rec.Status != StatusBaselined {
				t.Errorf("after the refused rollback: %+v", rec)
			}
		})
	}
}
