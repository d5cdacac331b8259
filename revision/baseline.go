package revision

import (
	"context"
	"errors"
	"fmt"

	"github.com/stratadb/strata/planner"
)

// A baseline revision (strata baseline) adopts a database that had a schema
// before Strata: its up side creates that whole schema from an empty
// database, so that a new environment is built from the migrations
// directory alone, and the database it was made from (and any other that
// already has that schema) records it as applied without running it. Its
// header says "-- kind: baseline"; its down side has no statements and is
// marked irreversible: undoing it would drop every object the database had
// before Strata, with its data, so Rollback refuses it.

// baselineKind is the header value of a baseline revision.
const baselineKind = "baseline"

// BaselineSlug is the slug of a baseline revision's file name.
const BaselineSlug = "baseline"

// StatusBaselined is the status of a baseline revision recorded without
// running (RecordBaseline): its schema is in the database as if it had been
// applied, so everything that asks "is it applied" asks Record.IsApplied.
const StatusBaselined = "baselined"

// IsApplied reports whether the revision's schema is in the database: it
// was applied, or recorded as a baseline.
func (r Record) IsApplied() bool {
	return r.Status == StatusApplied || r.Status == StatusBaselined
}

// Event kind and outcome of a baseline recorded without running.
const (
	// EventBaseline records a revision as applied on a database that
	// already had its schema: nothing ran.
	EventBaseline = "baseline"
	// OutcomeBaselined is the outcome of an EventBaseline.
	OutcomeBaselined = "baselined"
)

// baselineDown is what the down section of a baseline says instead of
// statements.
const baselineDown = "-- A baseline adopts the schema the database had before Strata. Undoing it would drop\n" +
	"-- every object and its data, so strata rollback refuses it."

// NewBaseline builds the baseline revision from up, the plan that creates
// the live schema from an empty one (planner.Build from an empty schema),
// so that its order and SQL are the dialect's own. Dir.Write places it;
// it must be the first revision of its directory.
func NewBaseline(up *planner.Plan, m Meta) *Revision {
	m.Slug = BaselineSlug
	r := New(up, nil, m)
	r.Baseline = true
	return r
}

// ErrBaselineRollback is returned by Rollback and RollbackTx for a baseline
// revision.
var ErrBaselineRollback = errors.New("a baseline cannot be rolled back")

func baselineRollback(r *Revision) error {
	return fmt.Errorf("revision %s: %w: it creates the schema the database had before Strata, and undoing it would drop every object and its data", r.Version, ErrBaselineRollback)
}

// ErrHasHistory is returned by RecordBaseline for a database that already
// has records.
var ErrHasHistory = errors.New("the database already has a Strata history")

// RecordBaseline records the baseline revision r as applied without running
// it, on a database whose live schema (hash hashAfter) is r's to-schema:
// its row in Table says StatusBaselined with no statement run, and its event in
// EventTable is EventBaseline with OutcomeBaselined. It refuses a database
// with any record (ErrHasHistory). The tables must exist (Init); run it in
// a transaction, so that the row and its event land together.
func (s *Store) RecordBaseline(ctx context.Context, r *Revision, hashAfter, who string) error {
	if !r.Baseline {
		return fmt.Errorf("record baseline: revision %s is not a baseline", r.Version)
	}
	var n int64
	if err := queryOne(ctx, s, "SELECT COUNT(*) FROM "+Table, nil, &n); err != nil {
		return fmt.Errorf("record baseline %s: %w", r.Version, err)
	}
	if n > 0 {
		return fmt.Errorf("record baseline %s: %w (%d revisions recorded)", r.Version, ErrHasHistory, n)
	}
	t := now()
	_, err := s.db().ExecContext(ctx, "INSERT INTO "+Table+" ("+columns+`)
 VALUES (?, ?, ?, ?, ?, ?, 0, 0, -1, '', NULL, NULL, ?, ?, ?, ?, ?, 0)`,
		r.Version, r.Slug, r.Parent, r.Checksum, StatusBaselined, Up, t, t, who, r.FromHash, hashAfter)
	if err != nil {
		return fmt.Errorf("record baseline %s: %w", r.Version, err)
	}
	_, err = s.db().ExecContext(ctx, "INSERT INTO "+EventTable+
		" (version, kind, outcome, started_at, finished_at, os_user, db_user, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		r.Version, EventBaseline, OutcomeBaselined, t, t, who, s.dbUser(ctx),
		"recorded as applied without running: the database already had the baseline's schema")
	if err != nil {
		return fmt.Errorf("record baseline %s: %w", r.Version, err)
	}
	return nil
}
