package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/testdb"
)

const historySchema1 = `
table "a" {
  column "id" {
    type = int
  }
  primary_key = ["id"]
}
table "b" {
  column "id" {
    type = int
  }
  column "label" {
    type = varchar(50)
  }
  primary_key = ["id"]
}
`

// historySchema2 adds a column to a and narrows b.label: statement 2 fails
// while b holds a long label.
const historySchema2 = `
table "a" {
  column "id" {
    type = int
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
  column "label" {
    type = varchar(10)
  }
  primary_key = ["id"]
}
`

func parseTime(t *testing.T, what, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("%s %q is not RFC 3339: %v", what, s, err)
	}
	return tm
}

// checkEvents insists on the kinds of the events, in order, each with a
// start, an end after it, the users, and no start before the previous end.
func checkEvents(t *testing.T, evs []historyEvent, want ...string) {
	t.Helper()
	var got []string
	for _, e := range evs {
		got = append(got, e.Kind+":"+e.Outcome)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("events %v, want %v", got, want)
	}
	var prevEnd time.Time
	var prevID int64
	for i, e := range evs {
		start := parseTime(t, "started_at", e.StartedAt)
		if e.FinishedAt == nil || e.DurationMS == nil {
			t.Fatalf("event %d (%s) has no end: %+v", i, e.Kind, e)
		}
		end := parseTime(t, "finished_at", *e.FinishedAt)
		if end.Before(start) || *e.DurationMS != end.Sub(start).Milliseconds() {
			t.Errorf("event %d (%s): %v – %v, duration %d ms", i, e.Kind, start, end, *e.DurationMS)
		}
		if start.Before(prevEnd) || e.ID <= prevID {
			t.Errorf("event %d (%s, id %d) starts %v, before the previous one (id %d) ended %v", i, e.Kind, e.ID, start, prevID, prevEnd)
		}
		if e.OSUser == "" || !strings.Contains(e.DBUser, "@") {
			t.Errorf("event %d (%s): os user %q, database user %q", i, e.Kind, e.OSUser, e.DBUser)
		}
		prevEnd, prevID = end, e.ID
	}
}

// TestCLI_HistoryEvents: apply, rollback and re-apply of a revision are
// three events with their times; a failed run has its real duration, and
// the revision's duration after its resume leaves out the time it sat
// partial.
func TestCLI_HistoryEvents(t *testing.T) {
	testdb.Server(t)
	db := testdb.New(t)
	p := newProject(t, map[string]string{
		"schema.hcl":           historySchema1,
		"environments/dev.hcl": fmt.Sprintf(envFile, "5s"),
	})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create")
	p.mustRun(0, "rollback", "--env", "dev", "--auto-approve", "--allow-destructive")
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
	h := p.history("dev")
	if h.FormatVersion != "1" || h.Environment != "dev" {
		t.Errorf("document: format_version %q, environment %q", h.FormatVersion, h.Environment)
	}
	checkEvents(t, h.Events, "apply:applied", "rollback:rolled_back", "reapply:applied")
	for _, e := range h.Events {
		if e.Name != "create" || e.Version != h.Events[0].Version || e.Done != 2 || e.Total != 2 || e.Before != 0 {
			t.Errorf("event %+v: want all of revision create's 2 statements", e)
		}
	}

	// A failed run, an idle second, its resume.
	db.Exec(t, "INSERT INTO b (id, label) VALUES (1, 'more than ten characters')")
	p.write("schema.hcl", historySchema2)
	r := p.mustRun(1, "apply", "--env", "dev", "--auto-approve", "--allow-destructive", "--name", "change", "--max-count-rows", "-1")
	if !strings.Contains(r.Err, "failed at statement 2 of 2") {
		t.Fatalf("apply: %s", r.Err)
	}
	h = p.history("dev")
	failed := h.Events[len(h.Events)-1]
	if failed.Kind != "apply" || failed.Outcome != "failed" || failed.DurationMS == nil || *failed.DurationMS <= 0 ||
		failed.Done != 1 || !strings.Contains(failed.Error, "Data truncated") {
		t.Errorf("failed run: %+v", failed)
	}
	partial := h.Revisions[len(h.Revisions)-1]
	if partial.Status != "partial" || partial.DurationMS != *failed.DurationMS {
		t.Errorf("partial revision %+v: want its duration %d ms", partial, *failed.DurationMS)
	}
	time.Sleep(1500 * time.Millisecond)
	db.Exec(t, "DELETE FROM b")
	r = p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
	if !strings.Contains(r.Out, "Resumed "+partial.Version+"_change.sql: statement 2 of 2 done in ") || strings.Contains(r.Out, "No changes") {
		t.Errorf("resume said:\n%s", r.Out)
	}
	h = p.history("dev")
	checkEvents(t, h.Events, "apply:applied", "rollback:rolled_back", "reapply:applied", "apply:failed", "resume:applied")
	resumed := h.Events[len(h.Events)-1]
	if resumed.Before != 1 || resumed.Done != 2 || resumed.Version != partial.Version {
		t.Errorf("resume: %+v", resumed)
	}
	applied := h.Revisions[len(h.Revisions)-1]
	if sum := *failed.DurationMS + *resumed.DurationMS; applied.Status != "applied" || applied.DurationMS < sum-2 || applied.DurationMS > sum+2 {
		t.Errorf("revision after resume: %+v; want the runs' %d ms, without the idle 1.5 s", applied, sum)
	}

	// The text lists the same events.
	out := p.mustRun(0, "history", "--env", "dev").Out
	for _, want := range []string{" apply ", " rollback ", " reapply ", " failed ", " resume "} {
		if !strings.Contains(out, want) {
			t.Errorf("history text lacks %q:\n%s", want, out)
		}
	}
}

// TestCLI_StatusDriftJSON: status and drift as versioned JSON documents,
// before and after a change outside Strata.
func TestCLI_StatusDriftJSON(t *testing.T) {
	testdb.Server(t)
	db := testdb.New(t)
	p := newProject(t, map[string]string{
		"schema.hcl":           historySchema1,
		"environments/dev.hcl": fmt.Sprintf(envFile, "5s"),
	})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	var st statusDoc
	decode := func(what, out string, v any) {
		t.Helper()
		if err := json.Unmarshal([]byte(out), v); err != nil {
			t.Fatalf("%s --format json: %v\n%s", what, err, out)
		}
	}
	decode("status", p.mustRun(0, "status", "--env", "dev", "--format", "json").Out, &st)
	if st.FormatVersion != "1" || st.Current != nil || st.Partial != nil || st.Drift.State != "unknown" || st.Pending == nil {
		t.Errorf("status before any apply: %+v", st)
	}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create")
	st = statusDoc{}
	decode("status", p.mustRun(0, "status", "--env", "dev", "--format", "json").Out, &st)
	if st.Current == nil || !strings.HasSuffix(st.Current.Name, "_create.sql") || st.Drift.State != "none" || st.Drift.Live != st.Drift.Expected || len(st.Pending) != 0 {
		t.Fatalf("status after apply: %+v", st)
	}
	parseTime(t, "current.applied_at", st.Current.AppliedAt)
	var d struct {
		driftDoc
		Plan *struct {
			FormatVersion string            `json:"format_version"`
			Changes       []json.RawMessage `json:"changes"`
		} `json:"plan"`
	}
	decode("drift", p.mustRun(0, "drift", "--env", "dev", "--format", "json").Out, &d)
	if d.FormatVersion != "1" || d.Drift.State != "none" || d.Plan != nil || d.Current == nil || d.Current.Version != st.Current.Version {
		t.Errorf("drift without drift: %+v", d)
	}

	db.Exec(t, "ALTER TABLE a ADD COLUMN hack int")
	st = statusDoc{}
	decode("status", p.mustRun(0, "status", "--env", "dev", "--format", "json").Out, &st)
	if st.Drift.State != "drifted" || st.Drift.Live == st.Drift.Expected {
		t.Errorf("status after a manual ALTER: %+v", st.Drift)
	}
	r := p.mustRun(2, "drift", "--env", "dev", "--format", "json")
	decode("drift", r.Out, &d)
	if d.Drift.State != "drifted" || d.Plan == nil || d.Plan.FormatVersion != "1" || len(d.Plan.Changes) != 1 || d.SchemaChanged {
		t.Errorf("drift after a manual ALTER: %+v\n%s", d, r.Out)
	}
	if !strings.Contains(r.Out, "hack") {
		t.Errorf("drift plan does not name the column:\n%s", r.Out)
	}
}
