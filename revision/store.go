package revision

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stratadb/strata/dialect"
)

// Table is the name of Strata's history table in each database.
const Table = "strata_revisions"

// Status of a revision in a database.
const (
	StatusApplied    = "applied"
	StatusPartial    = "partial"
	StatusRolledBack = "rolled_back"
)

// Directions of a run.
const (
	Up   = "up"
	Down = "down"
)

// Record is one row of strata_revisions: the state of one revision in one
// database.
type Record struct {
	Version  string
	Slug     string
	Parent   string
	Checksum string
	// Status is StatusApplied, StatusPartial (an up or down run stopped
	// part-way) or StatusRolledBack.
	Status string
	// Direction is Up or Down: what the last run of this revision did.
	Direction string
	Done      int // statements of that run finished
	Total     int // statements of that run
	// Running is the index of the statement that was started but not yet
	// confirmed, -1 when none. Running == Done after a crash means the
	// statement may or may not have taken effect (MySQL DDL commits
	// itself): compare the live schema hash with RunningHash (see Resume).
	Running     int
	RunningHash string // live schema hash recorded just before statement Running
	Error       string
	Statement   string // the failing statement
	StartedAt   time.Time
	FinishedAt  time.Time // zero while not finished
	AppliedBy   string
	HashBefore  string // the revision's from-hash
	HashAfter   string // live schema hash after the run finished
	DurationMS  int64
}

// Store is the strata_revisions table in one database. Dialect is "mysql"
// (MySQL and MariaDB), "sqlite" or "postgres" (the tables in the
// connection's current schema).
type Store struct {
	Q       dialect.Querier
	Dialect string
}

// ErrNoRecord is returned for a version without a row.
var ErrNoRecord = errors.New("no such revision in " + Table)

const columns = "version, slug, parent, checksum, status, direction, done, total, running, running_hash, " +
	"error, statement, started_at, finished_at, applied_by, hash_before, hash_after, duration_ms"

// Init creates the tables (Table and EventTable) when they do not exist and
// brings a table of an older layout up to date: the steps column, and an
// event for every row that has none. It is safe to call on every run, and
// after a crash half-way through it.
func (s *Store) Init(ctx context.Context) error {
	d := storeSQLOf(s.Dialect)
	q := `CREATE TABLE IF NOT EXISTS ` + Table + ` (
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
  error ` + d.text + `,
  statement ` + d.text + `,
  started_at ` + d.time + ` NOT NULL,
  finished_at ` + d.time + `,
  applied_by VARCHAR(255) NOT NULL DEFAULT '',
  hash_before VARCHAR(128) NOT NULL DEFAULT '',
  hash_after VARCHAR(128) NOT NULL DEFAULT '',
  duration_ms BIGINT NOT NULL DEFAULT 0,
  steps ` + d.text + `,
  PRIMARY KEY (version)
)` + d.tableSuffix
	if _, err := s.db().ExecContext(ctx, q); err != nil {
		return fmt.Errorf("create %s: %w", Table, err)
	}
	if err := s.addStepsColumn(ctx, d.text); err != nil {
		return err
	}
	return s.createEvents(ctx)
}

// addStepsColumn adds the steps column to a table made before parallel
// runs existed.
func (s *Store) addStepsColumn(ctx context.Context, text string) error {
	var n int64
	if err := queryOne(ctx, s, storeSQLOf(s.Dialect).stepsExists, []any{Table}, &n); err != nil {
		return fmt.Errorf("look for %s.steps: %w", Table, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := s.db().ExecContext(ctx, "ALTER TABLE "+Table+" ADD COLUMN steps "+text); err != nil {
		return fmt.Errorf("add column steps to %s: %w", Table, err)
	}
	return nil
}

// Exists reports whether the table exists.
func (s *Store) Exists(ctx context.Context) (bool, error) {
	return s.exists(ctx, Table)
}

func (s *Store) exists(ctx context.Context, table string) (bool, error) {
	var n int64
	if err := queryOne(ctx, s, storeSQLOf(s.Dialect).tableExists, []any{table}, &n); err != nil {
		return false, fmt.Errorf("look for %s: %w", table, err)
	}
	return n > 0, nil
}

// now is the time as stored: UTC with microseconds, a text that sorts and
// reads the same on every dialect.
func now() string { return time.Now().UTC().Format(storedTime) }

const storedTime = "2006-01-02 15:04:05.000000"

// Applied returns every record, oldest version first.
func (s *Store) Applied(ctx context.Context) ([]Record, error) {
	rows, err := s.db().QueryContext(ctx, "SELECT "+columns+" FROM "+Table+" ORDER BY version")
	if err != nil {
		// A database Strata never applied to has no table: no history,
		// and reading commands should not create it.
		if ok, xerr := s.Exists(ctx); xerr == nil && !ok {
			return nil, nil
		}
		return nil, fmt.Errorf("read %s: %w", Table, err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", Table, err)
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", Table, err)
	}
	return out, nil
}

// Get returns the record of one version, or ErrNoRecord.
func (s *Store) Get(ctx context.Context, version string) (*Record, error) {
	rows, err := s.db().QueryContext(ctx, "SELECT "+columns+" FROM "+Table+" WHERE version = ?", version)
	if err != nil {
		if ok, xerr := s.Exists(ctx); xerr == nil && !ok {
			return nil, fmt.Errorf("revision %s: %w", version, ErrNoRecord)
		}
		return nil, fmt.Errorf("read %s: %w", Table, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read %s: %w", Table, err)
		}
		return nil, fmt.Errorf("revision %s: %w", version, ErrNoRecord)
	}
	rec, err := scanRecord(rows)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Table, err)
	}
	return &rec, rows.Close()
}

// Current returns the newest record that is not rolled back (it may be
// partial: check Status), or nil when the database has none.
func (s *Store) Current(ctx context.Context) (*Record, error) {
	recs, err := s.Applied(ctx)
	if err != nil {
		return nil, err
	}
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Status != StatusRolledBack {
			return &recs[i], nil
		}
	}
	return nil, nil
}

func scanRecord(rows *sql.Rows) (Record, error) {
	var (
		rec                                        Record
		errText, stmt                              sql.NullString
		started, finished                          any
		done, total, running                       int64
		slug, parent, checksum, runningHash, by    sql.NullString
		hashBefore, hashAfter, direction, duration any
	)
	err := rows.Scan(&rec.Version, &slug, &parent, &checksum, &rec.Status, &direction, &done, &total, &running, &runningHash,
		&errText, &stmt, &started, &finished, &by, &hashBefore, &hashAfter, &duration)
	if err != nil {
		return rec, err
	}
	rec.Slug, rec.Parent, rec.Checksum, rec.RunningHash, rec.AppliedBy = slug.String, parent.String, checksum.String, runningHash.String, by.String
	rec.Direction, rec.HashBefore, rec.HashAfter = asString(direction), asString(hashBefore), asString(hashAfter)
	rec.Done, rec.Total, rec.Running = int(done), int(total), int(running)
	rec.Error, rec.Statement = errText.String, stmt.String
	rec.DurationMS, _ = strconv.ParseInt(asString(duration), 10, 64)
	if rec.StartedAt, err = asTime(started); err != nil {
		return rec, fmt.Errorf("started_at of %s: %w", rec.Version, err)
	}
	if rec.FinishedAt, err = asTime(finished); err != nil {
		return rec, fmt.Errorf("finished_at of %s: %w", rec.Version, err)
	}
	return rec, nil
}

func asString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(v)
	case string:
		return v
	case time.Time:
		return v.UTC().Format(storedTime)
	default:
		return fmt.Sprint(v)
	}
}

// asTime reads a stored time whatever the driver made of it (text, bytes, or
// time.Time with parseTime=true).
func asTime(v any) (time.Time, error) {
	if t, ok := v.(time.Time); ok {
		return t.UTC(), nil
	}
	s := strings.TrimSpace(asString(v))
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{storedTime, time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

// Begin records that a run of r in direction Up starts: status partial,
// done 0 of total, and its event (apply, or reapply of a rolled-back
// revision). A row left by an earlier run of the same version (rolled back,
// or a partial run being restarted from scratch) is replaced; its events
// stay.
func (s *Store) Begin(ctx context.Context, r *Revision, total int, who string) error {
	return s.begin(ctx, r, Up, total, who)
}

// BeginDown records that a rollback of r starts: direction down, status
// partial, done 0 of total, and its event. The row must exist.
func (s *Store) BeginDown(ctx context.Context, r *Revision, total int, who string) error {
	start := now()
	res, err := s.db().ExecContext(ctx, "UPDATE "+Table+` SET status = ?, direction = ?, done = 0, total = ?, running = -1,
 running_hash = '', error = NULL, statement = NULL, started_at = ?, finished_at = NULL, applied_by = ?, duration_ms = 0,
 steps = NULL WHERE version = ?`, StatusPartial, Down, total, start, who, r.Version)
	if err != nil {
		return fmt.Errorf("record rollback of %s: %w", r.Version, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("record rollback of %s: %w", r.Version, ErrNoRecord)
	}
	return s.beginEvent(ctx, r.Version, EventRollback, 0, total, who, start)
}

func (s *Store) begin(ctx context.Context, r *Revision, dir string, total int, who string) error {
	kind := EventApply
	switch old, err := s.Get(ctx, r.Version); {
	case err == nil && old.Status == StatusRolledBack:
		kind = EventReapply
	case err != nil && !errors.Is(err, ErrNoRecord):
		return fmt.Errorf("record start of %s: %w", r.Version, err)
	}
	if _, err := s.db().ExecContext(ctx, "DELETE FROM "+Table+" WHERE version = ?", r.Version); err != nil {
		return fmt.Errorf("record start of %s: %w", r.Version, err)
	}
	start := now()
	_, err := s.db().ExecContext(ctx, "INSERT INTO "+Table+" ("+columns+`)
 VALUES (?, ?, ?, ?, ?, ?, 0, ?, -1, '', NULL, NULL, ?, NULL, ?, ?, '', 0)`,
		r.Version, r.Slug, r.Parent, r.Checksum, StatusPartial, dir, total, start, who, r.FromHash)
	if err != nil {
		return fmt.Errorf("record start of %s: %w", r.Version, err)
	}
	return s.beginEvent(ctx, r.Version, kind, 0, total, who, start)
}

// update runs one UPDATE of a version's row and insists that the row exists.
func (s *Store) update(ctx context.Context, what, version, set string, args ...any) error {
	args = append(args, version)
	res, err := s.db().ExecContext(ctx, "UPDATE "+Table+" SET "+set+" WHERE version = ?", args...)
	if err != nil {
		return fmt.Errorf("record %s of %s: %w", what, version, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		// MySQL counts changed rows only; an identical update is not an
		// error, a missing row is.
		if _, gerr := s.Get(ctx, version); gerr != nil {
			return fmt.Errorf("record %s of %s: %w", what, version, gerr)
		}
	}
	return nil
}

// Running records that statement i is about to run, with the live schema
// hash just before it ("" when the caller does not compute one).
func (s *Store) Running(ctx context.Context, version string, i int, hashBefore string) error {
	return s.update(ctx, "start of statement "+strconv.Itoa(i+1), version, "running = ?, running_hash = ?", i, hashBefore)
}

// Progress records that done statements are finished.
func (s *Store) Progress(ctx context.Context, version string, done int) error {
	return s.update(ctx, "progress", version, "done = ?, running = -1, running_hash = ''", done)
}

// Fail records that the run stopped after done statements, with the failing
// statement (empty when interrupted between statements) and the error. The
// status stays partial; the run's event ends failed or interrupted, and its
// time counts in the revision's duration.
func (s *Store) Fail(ctx context.Context, version string, done int, stmt string, err error) error {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	var st any
	if stmt != "" {
		st = stmt
	}
	end := time.Now().UTC()
	d, eerr := s.endEvent(ctx, version, outcomeOf(err), done, msg, end)
	if eerr != nil {
		return eerr
	}
	return s.update(ctx, "failure", version,
		"status = ?, done = ?, running = -1, running_hash = '', error = ?, statement = ?, finished_at = ?, duration_ms = duration_ms + ?",
		StatusPartial, done, msg, st, end.Format(storedTime), d.Milliseconds())
}

// Interrupted records a run cancelled while statement stmt ran (the server
// may have finished it): the row keeps its running mark for Resume, the
// run's event ends interrupted with done statements confirmed.
func (s *Store) Interrupted(ctx context.Context, version string, done int, stmt string, err error) error {
	end := time.Now().UTC()
	d, eerr := s.endEvent(ctx, version, OutcomeInterrupted, done, err.Error(), end)
	if eerr != nil {
		return eerr
	}
	return s.update(ctx, "interruption", version, "error = ?, statement = ?, finished_at = ?, duration_ms = duration_ms + ?",
		err.Error(), stmt, end.Format(storedTime), d.Milliseconds())
}

// Finish records a successful up run: status applied, all statements done,
// the live schema hash after it and the duration since Begin.
func (s *Store) Finish(ctx context.Context, version, hashAfter string) error {
	return s.finish(ctx, version, StatusApplied, hashAfter)
}

// MarkRolledBack records a finished rollback.
func (s *Store) MarkRolledBack(ctx context.Context, version string) error {
	return s.finish(ctx, version, StatusRolledBack, "")
}

func (s *Store) finish(ctx context.Context, version, status, hashAfter string) error {
	rec, err := s.Get(ctx, version)
	if err != nil {
		return fmt.Errorf("record %s of %s: %w", status, version, err)
	}
	end := time.Now().UTC()
	outcome := OutcomeApplied
	if status == StatusRolledBack {
		outcome = OutcomeRolledBack
	}
	d, err := s.endEvent(ctx, version, outcome, rec.Total, "", end)
	if err != nil {
		return err
	}
	// The duration is the sum of the runs, not the time since the first
	// one started: a revision may sit partial for days before its resume.
	ms := rec.DurationMS + d.Milliseconds()
	if d == 0 && !rec.StartedAt.IsZero() {
		// A run begun before events were kept.
		ms = end.Sub(rec.StartedAt).Milliseconds()
	}
	return s.update(ctx, status, version,
		"status = ?, done = total, running = -1, running_hash = '', error = NULL, statement = NULL, finished_at = ?, hash_after = ?, duration_ms = ?, steps = NULL",
		status, end.Format(storedTime), hashAfter, ms)
}

// Forget deletes the record of a version and its events, e.g. after an apply that failed
// before its first statement took effect and whose file was never written.
func (s *Store) Forget(ctx context.Context, version string) error {
	if _, err := s.db().ExecContext(ctx, "DELETE FROM "+Table+" WHERE version = ?", version); err != nil {
		return fmt.Errorf("forget revision %s: %w", version, err)
	}
	if ok, err := s.exists(ctx, EventTable); err != nil || !ok {
		return err
	}
	if _, err := s.db().ExecContext(ctx, "DELETE FROM "+EventTable+" WHERE version = ?", version); err != nil {
		return fmt.Errorf("forget revision %s: %w", version, err)
	}
	return nil
}

// StepState is what a parallel run keeps of its statements (0-based
// indexes): those done, and those started but not yet confirmed with the
// hash of their lane's tables just before them.
type StepState struct {
	Done    []int               `json:"done"`
	Running map[int]RunningStep `json:"running,omitempty"`
}

// RunningStep is a started statement of a parallel run.
type RunningStep struct {
	// Tables are the tables Hash covers; nil for the whole schema.
	Tables []string `json:"tables,omitempty"`
	Hash   string   `json:"hash,omitempty"`
}

// Steps returns the step state of a version's parallel run, or nil when its
// last run was sequential.
func (s *Store) Steps(ctx context.Context, version string) (*StepState, error) {
	var text sql.NullString
	if err := queryOne(ctx, s, "SELECT steps FROM "+Table+" WHERE version = ?", []any{version}, &text); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("revision %s: %w", version, ErrNoRecord)
		}
		return nil, fmt.Errorf("read steps of %s: %w", version, err)
	}
	if !text.Valid || text.String == "" {
		return nil, nil
	}
	st := &StepState{}
	if err := json.Unmarshal([]byte(text.String), st); err != nil {
		return nil, fmt.Errorf("read steps of %s: %w", version, err)
	}
	if st.Running == nil {
		st.Running = map[int]RunningStep{}
	}
	return st, nil
}

// SaveSteps records a parallel run's step state and its count of statements
// done.
func (s *Store) SaveSteps(ctx context.Context, version string, st *StepState, done int) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.update(ctx, "steps", version, "steps = ?, done = ?", string(b), done)
}
