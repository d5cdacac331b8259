package revision

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func events(t *testing.T, st *Store) []Event {
	t.Helper()
	evs, err := st.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// kinds lists "kind:outcome" of each event.
func kinds(evs []Event) string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Kind+":"+e.Outcome)
	}
	return strings.Join(out, " ")
}

// checkTimes insists that every finished event ends after it starts and
// starts no earlier than the one before it ends.
func checkTimes(t *testing.T, evs []Event) {
	t.Helper()
	for i, e := range evs {
		if e.StartedAt.IsZero() {
			t.Errorf("event %d (%s) has no start", i, e.Kind)
		}
		if !e.FinishedAt.IsZero() && e.FinishedAt.Before(e.StartedAt) {
			t.Errorf("event %d (%s) ends %v before it starts %v", i, e.Kind, e.FinishedAt, e.StartedAt)
		}
		if i > 0 && !evs[i-1].FinishedAt.IsZero() && e.StartedAt.Before(evs[i-1].FinishedAt) {
			t.Errorf("event %d (%s) starts %v before event %d ends %v", i, e.Kind, e.StartedAt, i-1, evs[i-1].FinishedAt)
		}
	}
}

// Apply, rollback and re-apply of one revision are three events; a failed
// run and its resume are two more, each with its own times and duration.
func TestStore_Events(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := st.Init(ctx); err != nil {
				t.Fatal(err)
			}
			if evs := events(t, st); len(evs) != 0 {
				t.Fatalf("events of a new table: %+v", evs)
			}
			a := testRevision("20260101000000", "s1", "s2", "s3")
			if err := st.Begin(ctx, a, 3, "alice"); err != nil {
				t.Fatal(err)
			}
			if evs := events(t, st); kinds(evs) != "apply:running" || !evs[0].FinishedAt.IsZero() || evs[0].OSUser != "alice" {
				t.Errorf("events while running: %+v", evs)
			}
			if err := st.Progress(ctx, a.Version, 1); err != nil {
				t.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond)
			if err := st.Fail(ctx, a.Version, 1, "s2", errors.New("boom")); err != nil {
				t.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond) // idle: counts in no duration
			if err := st.BeginResume(ctx, a.Version, Up, 1, 3, "bob"); err != nil {
				t.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond)
			if err := st.Progress(ctx, a.Version, 3); err != nil {
				t.Fatal(err)
			}
			if err := st.Finish(ctx, a.Version, "after-a"); err != nil {
				t.Fatal(err)
			}
			if err := st.BeginDown(ctx, a, 3, "carol"); err != nil {
				t.Fatal(err)
			}
			if err := st.MarkRolledBack(ctx, a.Version); err != nil {
				t.Fatal(err)
			}
			if err := st.Begin(ctx, a, 3, "dave"); err != nil {
				t.Fatal(err)
			}
			if err := st.Finish(ctx, a.Version, "after-a"); err != nil {
				t.Fatal(err)
			}
			evs := events(t, st)
			if got, want := kinds(evs), "apply:failed resume:applied rollback:rolled_back reapply:applied"; got != want {
				t.Fatalf("events = %s, want %s", got, want)
			}
			checkTimes(t, evs)
			failed, resumed := evs[0], evs[1]
			if failed.Duration() < 20*time.Millisecond || failed.Done != 1 || failed.First != 0 || failed.Error != "boom" {
				t.Errorf("failed run: %+v (duration %v)", failed, failed.Duration())
			}
			if resumed.First != 1 || resumed.Done != 3 || resumed.Total != 3 || resumed.OSUser != "bob" || resumed.Duration() < 20*time.Millisecond {
				t.Errorf("resume: %+v (duration %v)", resumed, resumed.Duration())
			}
			if evs[2].OSUser != "carol" || evs[3].OSUser != "dave" {
				t.Errorf("who: %+v", evs)
			}
			for _, e := range evs {
				if (name == "mysql") != (e.DBUser != "") || (e.DBUser != "" && !strings.Contains(e.DBUser, "@")) {
					t.Errorf("db user of %s = %q", e.Kind, e.DBUser)
				}
			}
			if last, err := st.LastEvent(ctx, a.Version); err != nil || last == nil || last.ID != evs[3].ID {
				t.Errorf("LastEvent = %+v, %v; want %+v", last, err, evs[3])
			}
			// The row's duration is the first apply's runs, without the idle
			// time between them (it was re-applied since: only the last
			// apply counts).
			rec := get(t, st, a.Version)
			if rec.Status != StatusApplied || time.Duration(rec.DurationMS)*time.Millisecond > evs[3].Duration()+time.Millisecond {
				t.Errorf("row after re-apply: %+v, last run %v", rec, evs[3].Duration())
			}
		})
	}
}

// A resumed run's row counts the time of its runs, not the time it sat
// partial.
func TestStore_DurationWithoutIdle(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := st.Init(ctx); err != nil {
				t.Fatal(err)
			}
			a := testRevision("20260101000000", "s1", "s2")
			if err := st.Begin(ctx, a, 2, "alice"); err != nil {
				t.Fatal(err)
			}
			time.Sleep(30 * time.Millisecond)
			if err := st.Fail(ctx, a.Version, 1, "", fmt.Errorf("%w: signal", ErrInterrupted)); err != nil {
				t.Fatal(err)
			}
			if rec := get(t, st, a.Version); rec.DurationMS < 30 {
				t.Errorf("partial row: duration %d ms, want at least 30", rec.DurationMS)
			}
			time.Sleep(300 * time.Millisecond)
			if err := st.BeginResume(ctx, a.Version, Up, 1, 2, "alice"); err != nil {
				t.Fatal(err)
			}
			if err := st.Finish(ctx, a.Version, "h"); err != nil {
				t.Fatal(err)
			}
			rec := get(t, st, a.Version)
			if rec.DurationMS < 30 || rec.DurationMS >= 300 {
				t.Errorf("duration %d ms: want the runs' time (>= 30 ms) without the 300 ms idle", rec.DurationMS)
			}
			if got := kinds(events(t, st)); got != "apply:interrupted resume:applied" {
				t.Errorf("events = %s", got)
			}
		})
	}
}

// A run that never recorded its end died; the next run of the revision says
// so.
func TestStore_DiedRun(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := st.Init(ctx); err != nil {
				t.Fatal(err)
			}
			a := testRevision("20260101000000", "s1", "s2")
			if err := st.Begin(ctx, a, 2, "alice"); err != nil {
				t.Fatal(err)
			}
			if err := st.Progress(ctx, a.Version, 1); err != nil {
				t.Fatal(err)
			}
			// killed here
			if err := st.BeginResume(ctx, a.Version, Up, 1, 2, "alice"); err != nil {
				t.Fatal(err)
			}
			if err := st.Finish(ctx, a.Version, "h"); err != nil {
				t.Fatal(err)
			}
			evs := events(t, st)
			if got := kinds(evs); got != "apply:died resume:applied" {
				t.Fatalf("events = %s", got)
			}
			if !evs[0].FinishedAt.IsZero() || evs[0].Duration() != 0 {
				t.Errorf("died run: %+v", evs[0])
			}
		})
	}
}

func TestStore_RecordEvent(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			// On a database without history: the tables are made.
			if err := st.RecordEvent(ctx, "20260101000000", EventGateOverride, "hotfix, staging is down"); err != nil {
				t.Fatal(err)
			}
			evs := events(t, st)
			if len(evs) != 1 {
				t.Fatalf("events = %+v", evs)
			}
			e := evs[0]
			if e.Kind != EventGateOverride || e.Outcome != OutcomeRecorded || e.Note != "hotfix, staging is down" || e.OSUser == "" ||
				e.StartedAt.IsZero() || !e.FinishedAt.Equal(e.StartedAt) || e.Imported {
				t.Errorf("event = %+v", e)
			}
			// It is not a run: the revision stays unknown to the state table.
			if _, err := st.Get(ctx, "20260101000000"); !errors.Is(err, ErrNoRecord) {
				t.Errorf("Get after RecordEvent = %v, want ErrNoRecord", err)
			}
			if err := st.Forget(ctx, "20260101000000"); err != nil {
				t.Fatal(err)
			}
			if evs := events(t, st); len(evs) != 0 {
				t.Errorf("events after Forget: %+v", evs)
			}
		})
	}
}

// oldLayout is strata_revisions as Strata made it before events were kept
// (with the steps column of parallel runs).
func oldLayout(dialect string) string {
	text, ts := "TEXT", "VARCHAR(32)"
	if dialect != "sqlite" {
		text, ts = "MEDIUMTEXT", "DATETIME(6)"
	}
	return `CREATE TABLE ` + Table + ` (
  version VARCHAR(32) NOT NULL,
  slug VARCHAR(255) NOT NULL DEFAULT '',
  parent VARCHAR(32) NOT NULL DEFAULT '',
  checksum VARCHAR(64) NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL,
  direction VARCHAR(8) NOT NULL DEFAULT 'up',
  done INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT 0,
  running INTEGER NOT NULL DEFAULT -1,
  running_hash VARCHAR(128) NOT NULL DEFAULT '',
  error ` + text + `,
  statement ` + text + `,
  started_at ` + ts + ` NOT NULL,
  finished_at ` + ts + `,
  applied_by VARCHAR(255) NOT NULL DEFAULT '',
  hash_before VARCHAR(128) NOT NULL DEFAULT '',
  hash_after VARCHAR(128) NOT NULL DEFAULT '',
  duration_ms BIGINT NOT NULL DEFAULT 0,
  steps ` + text + `,
  PRIMARY KEY (version)
)`
}

// A history table of the old layout: reading shows its rows as events
// without writing; Init copies them into the event log once, also when an
// earlier Init stopped half-way; no row is lost and later runs add events.
func TestStore_UpgradeOldLayout(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := st.Q.ExecContext(ctx, q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			exec(oldLayout(st.Dialect))
			ins := "INSERT INTO " + Table + " (version, slug, checksum, status, direction, done, total, error, started_at, finished_at, applied_by, hash_after, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			exec(ins, "20250101000000", "one", "c1", StatusApplied, Up, 2, 2, nil, "2025-01-01 10:00:00.000000", "2025-01-01 10:00:02.500000", "ann", "h1", 2500)
			exec(ins, "20250102000000", "two", "c2", StatusRolledBack, Down, 1, 1, nil, "2025-01-03 09:00:00.000000", "2025-01-03 09:00:01.000000", "ben", "", 1000)
			exec(ins, "20250104000000", "four", "c4", StatusPartial, Up, 1, 3, "boom", "2025-01-04 08:00:00.000000", "2025-01-04 08:00:05.000000", "cy", "", 0)
			before, err := st.Applied(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := "apply:applied rollback:rolled_back apply:failed"

			// Reading: the rows as events, nothing written.
			evs := events(t, st)
			if got := kinds(evs); got != want {
				t.Errorf("events of the old layout = %s, want %s", got, want)
			}
			if ok, err := st.exists(ctx, EventTable); err != nil || ok {
				t.Errorf("reading made %s (%v)", EventTable, err)
			}
			if evs[0].Duration() != 2500*time.Millisecond || evs[0].OSUser != "ann" || !evs[0].Imported || evs[2].Error != "boom" || evs[2].Done != 1 || evs[2].Total != 3 {
				t.Errorf("imported events: %+v", evs)
			}

			// A first Init that stopped after making the event table: its
			// copy is still to do.
			if err := st.createEvents(ctx); err != nil {
				t.Fatal(err)
			}
			exec("DELETE FROM " + EventTable)
			for i := 0; i < 2; i++ {
				if err := st.Init(ctx); err != nil {
					t.Fatalf("Init #%d of the old layout: %v", i+1, err)
				}
			}
			stored := events(t, st)
			if got := kinds(stored); got != want {
				t.Errorf("events after Init = %s, want %s", got, want)
			}
			for i := range stored {
				if stored[i].ID == 0 || !stored[i].Imported || !stored[i].StartedAt.Equal(evs[i].StartedAt) || !stored[i].FinishedAt.Equal(evs[i].FinishedAt) {
					t.Errorf("stored event %d = %+v, read before as %+v", i, stored[i], evs[i])
				}
			}
			after, err := st.Applied(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != len(before) {
				t.Fatalf("rows after Init: %d, before %d", len(after), len(before))
			}
			for i := range after {
				if fmt.Sprint(after[i]) != fmt.Sprint(before[i]) {
					t.Errorf("row %d changed:\n  %+v\nwas\n  %+v", i, after[i], before[i])
				}
			}

			// New runs add their events after the copied ones, and a
			// rollback of an old row keeps its apply.
			one := testRevision("20250101000000", "s1", "s2")
			if err := st.BeginDown(ctx, one, 2, "dan"); err != nil {
				t.Fatal(err)
			}
			if err := st.MarkRolledBack(ctx, one.Version); err != nil {
				t.Fatal(err)
			}
			if got := kinds(events(t, st)); got != want+" rollback:rolled_back" {
				t.Errorf("events after a rollback = %s", got)
			}
		})
	}
}
