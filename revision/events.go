package revision

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// EventTable is the name of the event log beside Table: one row for every
// run of a revision (apply, resume, rollback, re-apply) and for every other
// event recorded against one (a gate override with its reason). Table keeps
// the current state of each revision, one row a version, so that "what is
// applied now" stays one small read; the events keep what happened.
const EventTable = "strata_revision_events"

// Kinds of events.
const (
	EventApply          = "apply"           // first up run of a revision
	EventReapply        = "reapply"         // up run of a rolled-back revision
	EventResume         = "resume"          // up run finishing a partial one
	EventRollback       = "rollback"        // down run
	EventRollbackResume = "rollback_resume" // down run finishing a partial one
	// EventGateOverride is a promotion gate overridden by hand; its note
	// holds the reason given (RecordEvent).
	EventGateOverride = "gate_override"
	// EventRefused is a run refused before the revision's first statement
	// (the live schema was not where it starts, its hazards showed it
	// would fail): no statement ran, so nothing else records it. Its note
	// says why; a fleet's --only failed and status read it.
	EventRefused = "refused"
	// EventSkipped is a fleet run that stopped (another target failed)
	// before it started on this database; the note names the failure.
	EventSkipped = "skipped"
)

// Outcomes of events.
const (
	OutcomeRunning     = "running"     // started, no end recorded yet
	OutcomeApplied     = "applied"     // up run finished
	OutcomeRolledBack  = "rolled_back" // down run finished
	OutcomeFailed      = "failed"      // a statement failed: the revision is partial
	OutcomeInterrupted = "interrupted" // stopped by a signal: the revision is partial
	// OutcomeDied is a run whose process ended without recording an end
	// (killed, crashed); a later run of the revision records it so.
	OutcomeDied     = "died"
	OutcomeRecorded = "recorded" // an event that is not a run (RecordEvent)
)

// Event is one row of EventTable.
type Event struct {
	ID      int64
	Version string
	Kind    string // Event*
	Outcome string // Outcome*
	// StartedAt and FinishedAt bound the run (equal for an event that is
	// not one); FinishedAt is zero while running or when the run died.
	StartedAt  time.Time
	FinishedAt time.Time
	OSUser     string // who ran Strata
	DBUser     string // who the database says the session is (CURRENT_USER()); "" on SQLite
	// First is the number of statements done before this run, Done the
	// number done when it ended, of Total: this run did statements
	// First+1 … Done.
	First, Done, Total int
	Error              string
	Note               string // free text, e.g. the reason of an override
	// Imported marks an event read back from a history table made before
	// events were kept: it holds only what that row still knew.
	Imported bool
}

// Duration is how long the run took; 0 when it has no recorded end.
func (e *Event) Duration() time.Duration {
	if e.FinishedAt.IsZero() || e.StartedAt.IsZero() {
		return 0
	}
	return e.FinishedAt.Sub(e.StartedAt)
}

// importedNote is the note of the events made from the rows of a history
// table from before events were kept.
const importedNote = "from the history table as it was before events were kept"

const eventColumns = "id, version, kind, outcome, started_at, finished_at, os_user, db_user, first_done, done, total, error, note"

func (s *Store) createEvents(ctx context.Context) error {
	d := storeSQLOf(s.Dialect)
	text, ts, id, suffix, index := d.text, d.time, d.eventID, d.eventsSuffix, d.eventIndex
	q := `CREATE TABLE IF NOT EXISTS ` + EventTable + ` (
  id ` + id + `,
  version VARCHAR(32) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  outcome VARCHAR(16) NOT NULL,
  started_at ` + ts + ` NOT NULL,
  finished_at ` + ts + `,
  os_user VARCHAR(255) NOT NULL DEFAULT '',
  db_user VARCHAR(255) NOT NULL DEFAULT '',
  first_done INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT 0,
  error ` + text + `,
  note ` + text + suffix
	if _, err := s.db().ExecContext(ctx, q); err != nil {
		return fmt.Errorf("create %s: %w", EventTable, err)
	}
	if index != "" {
		if _, err := s.db().ExecContext(ctx, index); err != nil {
			return fmt.Errorf("create index on %s: %w", EventTable, err)
		}
	}
	return s.importEvents(ctx)
}

// importSelect makes one event of each row of Table that has none: the rows
// of a table from before events were kept. A rolled-back or re-applied row
// of that layout had already lost its earlier runs; the event keeps what the
// row knew of its last one.
const importSelect = `SELECT r.version,
  CASE WHEN r.direction = 'down' THEN '` + EventRollback + `' ELSE '` + EventApply + `' END,
  CASE WHEN r.status = 'applied' THEN '` + OutcomeApplied + `'
       WHEN r.status = 'rolled_back' THEN '` + OutcomeRolledBack + `'
       WHEN r.finished_at IS NULL THEN '` + OutcomeDied + `'
       ELSE '` + OutcomeFailed + `' END,
  r.started_at, r.finished_at, r.applied_by, '', 0, r.done, r.total, r.error, '` + importedNote + `'
FROM ` + Table + ` r
WHERE NOT EXISTS (SELECT 1 FROM ` + EventTable + ` e WHERE e.version = r.version)
ORDER BY r.version`

// importEvents gives every row of Table without events its event, in one
// statement: after a crash half-way through an upgrade, the next Init does
// what is left, and a second Init finds nothing to do.
func (s *Store) importEvents(ctx context.Context) error {
	q := "INSERT INTO " + EventTable + " (version, kind, outcome, started_at, finished_at, os_user, db_user, first_done, done, total, error, note)\n" + importSelect
	if _, err := s.db().ExecContext(ctx, q); err != nil {
		return fmt.Errorf("copy the rows of %s into %s: %w", Table, EventTable, err)
	}
	return nil
}

// dbUser is the database's name for the session's user.
func (s *Store) dbUser(ctx context.Context) string {
	q := storeSQLOf(s.Dialect).currentUser
	if q == "" {
		return ""
	}
	var u sql.NullString
	if err := queryOne(ctx, s, q, nil, &u); err != nil {
		return ""
	}
	return u.String
}

// beginEvent records that a run of kind starts on version, with first of
// total statements done. A run of the version that never recorded its end
// died: it is recorded so.
func (s *Store) beginEvent(ctx context.Context, version, kind string, first, total int, who, start string) error {
	if _, err := s.db().ExecContext(ctx, "UPDATE "+EventTable+" SET outcome = ? WHERE version = ? AND outcome = ?",
		OutcomeDied, version, OutcomeRunning); err != nil {
		return fmt.Errorf("record start of %s: %w", version, err)
	}
	_, err := s.db().ExecContext(ctx, "INSERT INTO "+EventTable+
		" (version, kind, outcome, started_at, os_user, db_user, first_done, done, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		version, kind, OutcomeRunning, start, who, s.dbUser(ctx), first, first, total)
	if err != nil {
		return fmt.Errorf("record start of %s: %w", version, err)
	}
	return nil
}

// endEvent records the end of the running run of version and returns how
// long it ran (0 when no run is recorded as running).
func (s *Store) endEvent(ctx context.Context, version, outcome string, done int, errText string, end time.Time) (time.Duration, error) {
	var started any
	err := queryOne(ctx, s, "SELECT started_at FROM "+EventTable+" WHERE version = ? AND outcome = ? ORDER BY id DESC LIMIT 1",
		[]any{version, OutcomeRunning}, &started)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("record end of %s: %w", version, err)
	}
	var e any
	if errText != "" {
		e = errText
	}
	if _, err := s.db().ExecContext(ctx, "UPDATE "+EventTable+" SET outcome = ?, finished_at = ?, done = ?, error = ? WHERE version = ? AND outcome = ?",
		outcome, end.Format(storedTime), done, e, version, OutcomeRunning); err != nil {
		return 0, fmt.Errorf("record end of %s: %w", version, err)
	}
	t, err := asTime(started)
	if err != nil || t.IsZero() {
		return 0, err
	}
	return max(end.Sub(t), 0), nil
}

// BeginResume records that a run finishing the partial revision version
// starts, first of total statements being done (after Resume settled the
// one a died run left running). Down runs record a rollback_resume.
func (s *Store) BeginResume(ctx context.Context, version, direction string, first, total int, who string) error {
	kind := EventResume
	if direction == Down {
		kind = EventRollbackResume
	}
	return s.beginEvent(ctx, version, kind, first, total, who, now())
}

// RecordEvent records an event of kind about version that is not a run of
// its statements, e.g. EventGateOverride with the reason as note. It starts
// and ends now; who is the OS user (CurrentUser) and the database user.
// It creates the history tables when they do not exist.
func (s *Store) RecordEvent(ctx context.Context, version, kind, note string) error {
	if err := s.Init(ctx); err != nil {
		return err
	}
	t := now()
	var n any
	if note != "" {
		n = note
	}
	_, err := s.db().ExecContext(ctx, "INSERT INTO "+EventTable+
		" (version, kind, outcome, started_at, finished_at, os_user, db_user, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		version, kind, OutcomeRecorded, t, t, CurrentUser(), s.dbUser(ctx), n)
	if err != nil {
		return fmt.Errorf("record %s of %s: %w", kind, version, err)
	}
	return nil
}

// Events returns every event, oldest first. A history table from before
// events were kept (and not yet upgraded by a run) yields one imported
// event per row; a database without history yields none. It never writes.
func (s *Store) Events(ctx context.Context) ([]Event, error) {
	return s.events(ctx, "", "SELECT "+eventColumns+" FROM "+EventTable+" ORDER BY id")
}

// LastEvent returns the newest event of version, nil when it has none.
func (s *Store) LastEvent(ctx context.Context, version string) (*Event, error) {
	evs, err := s.events(ctx, version, "SELECT "+eventColumns+" FROM "+EventTable+" WHERE version = ? ORDER BY id DESC LIMIT 1", version)
	if err != nil || len(evs) == 0 {
		return nil, err
	}
	return &evs[len(evs)-1], nil
}

func (s *Store) events(ctx context.Context, version, q string, args ...any) ([]Event, error) {
	ok, err := s.exists(ctx, EventTable)
	if err != nil {
		return nil, err
	}
	var out []Event
	if ok {
		if out, err = s.readEvents(ctx, q, args...); err != nil {
			return nil, err
		}
	}
	// Rows of the old layout not yet upgraded: what importEvents would
	// make of them.
	recs, err := s.Applied(ctx)
	if err != nil {
		return nil, err
	}
	has := map[string]bool{}
	for _, e := range out {
		has[e.Version] = true
	}
	var imported []Event
	for _, rec := range recs {
		if has[rec.Version] || (version != "" && rec.Version != version) {
			continue
		}
		imported = append(imported, importedEvent(rec))
	}
	return append(imported, out...), nil
}

// importedEvent is what importSelect makes of rec.
func importedEvent(rec Record) Event {
	e := Event{Version: rec.Version, Kind: EventApply, StartedAt: rec.StartedAt, FinishedAt: rec.FinishedAt,
		OSUser: rec.AppliedBy, Done: rec.Done, Total: rec.Total, Error: rec.Error, Note: importedNote, Imported: true}
	if rec.Direction == Down {
		e.Kind = EventRollback
	}
	switch {
	case rec.Status == StatusApplied:
		e.Outcome = OutcomeApplied
	case rec.Status == StatusRolledBack:
		e.Outcome = OutcomeRolledBack
	case rec.FinishedAt.IsZero():
		e.Outcome = OutcomeDied
	default:
		e.Outcome = OutcomeFailed
	}
	return e
}

func (s *Store) readEvents(ctx context.Context, q string, args ...any) ([]Event, error) {
	rows, err := s.db().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", EventTable, err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var (
			e                 Event
			started, finished any
			dbUser, errText   sql.NullString
			note, osUser      sql.NullString
			first, done, tot  int64
		)
		if err := rows.Scan(&e.ID, &e.Version, &e.Kind, &e.Outcome, &started, &finished, &osUser, &dbUser, &first, &done, &tot, &errText, &note); err != nil {
			return nil, fmt.Errorf("read %s: %w", EventTable, err)
		}
		e.OSUser, e.DBUser, e.Error, e.Note = osUser.String, dbUser.String, errText.String, note.String
		e.First, e.Done, e.Total = int(first), int(done), int(tot)
		e.Imported = e.Note == importedNote
		if e.StartedAt, err = asTime(started); err != nil {
			return nil, fmt.Errorf("started_at of event %d: %w", e.ID, err)
		}
		if e.FinishedAt, err = asTime(finished); err != nil {
			return nil, fmt.Errorf("finished_at of event %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", EventTable, err)
	}
	return out, nil
}

// outcomeOf is the outcome of a run that stopped with err.
func outcomeOf(err error) string {
	if errors.Is(err, ErrInterrupted) {
		return OutcomeInterrupted
	}
	return OutcomeFailed
}
