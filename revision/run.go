package revision

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/stratadb/strata/dialect"
)

// ErrInterrupted is wrapped by the PartialError of a run stopped by its
// context between statements.
var ErrInterrupted = errors.New("interrupted")

// stoppedError is what a run stopped by its context records and reports:
// in the CLI the context ends with Ctrl-C or SIGTERM, and "context
// canceled" means nothing to the person who pressed it. It is
// ErrInterrupted and the context's error.
type stoppedError struct{ cause error }

func (e *stoppedError) Error() string {
	return "interrupted by a signal (Ctrl-C or SIGTERM) between statements"
}

func (e *stoppedError) Unwrap() []error { return []error{ErrInterrupted, e.cause} }

func stopped(ctx context.Context) error { return &stoppedError{cause: ctx.Err()} }

// PartialError reports a run that stopped part-way: Done of Total
// statements finished; Statement is the one that failed ("" when the run was
// interrupted between statements).
type PartialError struct {
	Version   string
	Direction string
	Done      int
	Total     int
	Statement string
	// Number is the 1-based number of the failing statement; 0 means
	// Done+1, as in a run one statement at a time (a parallel run
	// finishes statements out of order).
	Number int
	Err    error
}

func (e *PartialError) Error() string {
	verb, again := "apply", "apply"
	if e.Direction == Down {
		verb, again = "rollback", "rollback"
	}
	if e.Statement == "" && errors.Is(e.Err, ErrInterrupted) {
		return fmt.Sprintf("interrupted: %s of revision %s stopped after %d of %d statements, none cut off part-way; the rest did not run. Run strata %s again to resume",
			verb, e.Version, e.Done, e.Total, again)
	}
	if e.Statement == "" {
		return fmt.Sprintf("%s of revision %s stopped after %d of %d statements: %v; run %s again to resume",
			verb, e.Version, e.Done, e.Total, e.Err, again)
	}
	number := e.Number
	if number == 0 {
		number = e.Done + 1
	}
	return fmt.Sprintf("%s of revision %s failed at statement %d of %d (%d done): %v\n  statement: %s\n"+
		"fix the cause and run %s again to resume at this statement",
		verb, e.Version, number, e.Total, e.Done, e.Err, firstLine(e.Statement), again)
}

func (e *PartialError) Unwrap() error { return e.Err }

func firstLine(s string) string {
	l, _, more := strings.Cut(s, "\n")
	if more {
		l += " ..."
	}
	return l
}

// RunOptions tune a run.
type RunOptions struct {
	// Direction is Up (default) or Down; it only words errors.
	Direction string
	// Hash returns the live schema hash. When set, it is recorded before
	// each statement, so that Resume can tell after a crash whether the
	// statement that was running took effect.
	Hash func(ctx context.Context) (string, error)
	// Progress, when set, is called before statement i (0-based) of n runs.
	Progress func(i, n int, sql string)
	// Finished, when set, is called after statement i of a parallel run
	// succeeded: there the next statement to start says nothing of the
	// ones still running.
	Finished func(i, n int)
	// AllowDataLoss lets Rollback run down statements that are
	// irreversible or destructive.
	AllowDataLoss bool
	// Fallback, when set, is asked about a statement the server refused:
	// it returns the statement to run instead (e.g. without an
	// ALGORITHM=INSTANT the server cannot honour) and true, or false to
	// fail. The refused statement did not take effect.
	Fallback func(sql string, err error) (string, bool)

	// Parallel, above 1, runs the statements of unrelated tables on up to
	// Parallel connections from Conn at once (see parallel.go); Tables
	// tells a statement's tables and Linked are the live schema's foreign
	// key pairs. HashTables hashes some tables' live definitions, as Hash
	// does the whole schema, for resuming after a crash.
	Parallel   int
	Conn       func(ctx context.Context) (q dialect.Querier, release func(), err error)
	Tables     func(stmt string) ([]string, bool)
	Linked     [][2]string
	HashTables func(ctx context.Context, tables []string) (string, error)

	// Handoff, when set, is offered each statement before it runs, after
	// its running mark (and the hash of its tables) is recorded: when an
	// online schema change engine takes it (a copy of a big table), it
	// returns true with the engine's outcome, and the statement does not
	// run here. A crash during the engine's run is then settled by a rerun
	// (Settle, then the recorded hash).
	Handoff func(ctx context.Context, i int, s Statement) (bool, error)
	// Settle, when set, is called by a rerun for each statement a dead run
	// left running, before the recorded hash decides whether it took
	// effect: an engine still running refuses the rerun, a dead one's
	// leftovers are dropped.
	Settle func(ctx context.Context, i int, s Statement) error
	// AwaitOrphan, when set, is called by a rerun for each statement a dead
	// run left running, before anything tells whether it took effect: a
	// server that keeps running a statement whose client died (MySQL
	// finishes an ALTER TABLE) must be done with it first, or the rerun
	// would see the old table and run the statement a second time.
	AwaitOrphan func(ctx context.Context, sql string) error

	// Transactions, set for a dialect whose DDL is transactional
	// (PostgreSQL), runs each stretch of consecutive statements not marked
	// NoTx in one transaction on q, committed together with the record of
	// its progress, and each NoTx statement alone in autocommit, recorded
	// as its own step (see steps.go). q must be able to begin a
	// transaction (*sql.Conn).
	Transactions bool
	// Lock, when set, bounds how long each statement waits for its locks
	// and retries what gave up.
	Lock *LockRetry
	// SettleStep, when set, tells whether a NoTx statement a dead run left
	// running (or an attempt that gave up on a lock left half done) took
	// effect, after undoing what it left half done; known is false when it
	// cannot tell, and the schema hash decides (dialect.StepSettler).
	SettleStep func(ctx context.Context, stmt string) (done, known bool, err error)

	// statement returns statement i of the run's side, for the hooks.
	statement func(i int) Statement

	// opaque, set for a hand-written revision, returns the error that
	// stops a resume at statement i when nothing can tell whether it took
	// effect, nil when the schema hash can.
	opaque func(i int) error
}

// Run executes stmts[from:] one by one on q, recording in st before each
// statement that it runs and after it that it is done, so a rerun never
// repeats a statement. The record must exist (Begin). On a failing statement
// or a cancelled ctx it records the failure and returns a *PartialError. The
// caller holds the lock. MySQL DDL commits itself, so there is no
// transaction around the statements.
func Run(ctx context.Context, q dialect.Querier, st *Store, r *Revision, stmts []string, from int, o RunOptions) error {
	// Bookkeeping must land even when ctx is cancelled: that is when it
	// matters most.
	bg := context.WithoutCancel(ctx)
	dir := o.Direction
	if dir == "" {
		dir = Up
	}
	n := len(stmts)
	partial := func(done int, stmt string, err error) error {
		return &PartialError{Version: r.Version, Direction: dir, Done: done, Total: n, Statement: stmt, Err: err}
	}
	for i := from; i < n; i++ {
		if ctx.Err() != nil {
			err := stopped(ctx)
			if ferr := st.Fail(bg, r.Version, i, "", err); ferr != nil {
				return errors.Join(partial(i, "", err), ferr)
			}
			return partial(i, "", err)
		}
		sql := stmts[i]
		if o.Transactions && !o.noTx(i) {
			j := o.groupEnd(i, n)
			failed := i
			err := o.Lock.Do(ctx, q, func() (string, error) {
				k, err := runGroup(bg, q, st, r, stmts, i, j, o)
				failed = min(k, n-1)
				return stmts[failed], err
			}, nil)
			if err != nil {
				// The transaction rolled back: none of [i, j) is done.
				err = r.atLine(dir, failed, err)
				pe := &PartialError{Version: r.Version, Direction: dir, Done: i, Total: n, Statement: stmts[failed], Number: failed + 1, Err: err}
				if ferr := st.Fail(bg, r.Version, i, stmts[failed], err); ferr != nil {
					return errors.Join(pe, ferr)
				}
				return pe
			}
			i = j - 1
			continue
		}
		if r.HandWritten && !o.Transactions && kindOf(sql) == kindDML {
			if o.Progress != nil {
				o.Progress(i, n, sql)
			}
			if ok, err := runInTx(bg, q, st, r.Version, i, sql); ok {
				if err != nil {
					err = r.atLine(dir, i, err)
					if ferr := st.Fail(bg, r.Version, i, sql, err); ferr != nil {
						return errors.Join(partial(i, sql, err), ferr)
					}
					return partial(i, sql, err)
				}
				continue
			}
		}
		var h string
		if o.Hash != nil {
			var err error
			if h, err = o.statementHash(ctx, sql); err != nil {
				if ctx.Err() != nil {
					// Ctrl-C cut the hash short: an interruption.
					err = stopped(ctx)
				} else {
					err = fmt.Errorf("schema hash before statement %d: %w", i+1, err)
				}
				if ferr := st.Fail(bg, r.Version, i, "", err); ferr != nil {
					return errors.Join(partial(i, "", err), ferr)
				}
				return partial(i, "", err)
			}
		}
		if err := st.Running(bg, r.Version, i, h); err != nil {
			return err
		}
		if o.Progress != nil {
			o.Progress(i, n, sql)
		}
		// The statement runs to its end even when ctx is cancelled (Ctrl-C):
		// MySQL DDL cannot be rolled back, and a killed ALTER may or may not
		// have taken effect. The loop stops before the next one instead.
		// An engine that took it is stopped by ctx and cleans up after itself.
		handed, err := o.handoff(ctx, i)
		if !handed {
			err = o.execStep(ctx, q, sql)
		}
		if !handed && err != nil && o.Fallback != nil && ctx.Err() == nil {
			if alt, ok := o.Fallback(sql, err); ok {
				_, err = q.ExecContext(bg, alt)
			}
		}
		if err != nil {
			err = r.atLine(dir, i, err)
			if ctx.Err() != nil {
				// Cancelled while the statement ran: the server may still
				// have finished it. Keep the running mark for Resume.
				err = fmt.Errorf("%w during the statement: %w", ErrInterrupted, err)
				_ = st.Interrupted(bg, r.Version, i, sql, err)
				return partial(i, sql, err)
			}
			if ferr := st.Fail(bg, r.Version, i, sql, err); ferr != nil {
				return errors.Join(partial(i, sql, err), ferr)
			}
			return partial(i, sql, err)
		}
		if err := st.Progress(bg, r.Version, i+1); err != nil {
			return err
		}
	}
	return nil
}

// handoff offers statement i to o.Handoff.
func (o RunOptions) handoff(ctx context.Context, i int) (bool, error) {
	if o.Handoff == nil || o.statement == nil {
		return false, nil
	}
	return o.Handoff(ctx, i, o.statement(i))
}

// settle calls o.Settle for statement i a dead run left running.
func (o RunOptions) settle(ctx context.Context, i int, stmts []string) error {
	if i < 0 || i >= len(stmts) {
		return nil
	}
	if o.AwaitOrphan != nil {
		if err := o.AwaitOrphan(ctx, stmts[i]); err != nil {
			return err
		}
	}
	if o.Settle == nil || o.statement == nil {
		return nil
	}
	return o.Settle(ctx, i, o.statement(i))
}

// withStatements sets the hooks' view of the run's statements.
func (o RunOptions) withStatements(ss []Statement) RunOptions {
	o.statement = func(i int) Statement {
		if i < 0 || i >= len(ss) {
			return Statement{}
		}
		return ss[i]
	}
	return o
}

// UncertainError reports a statement that was started by a run that died
// and may or may not have taken effect, when no schema hash can tell. As
// with an *OpaqueError, a person checks and settles it (strata revision
// settle).
type UncertainError struct {
	Version   string
	Index     int // 0-based
	Statement string
	Direction string
	Env       string // the environment's name for the commands, when set
}

func (e *UncertainError) Error() string {
	return fmt.Sprintf("revision %s: an earlier run died during statement %d, which may or may not have taken effect, and no schema hash was recorded to tell: %s\n%s",
		e.Version, e.Index+1, firstLine(e.Statement), settleHelp(e.Env, e.Direction))
}

// tablesHashPrefix marks a recorded hash that covers only the tables of
// its statement (see statementHash).
const tablesHashPrefix = "tables:"

// statementHash is the hash Run records before a statement: of the tables
// the statement touches when o can tell them, which costs what those tables
// cost rather than what the schema costs (a statement takes effect in its
// own tables), else of the whole schema.
func (o RunOptions) statementHash(ctx context.Context, stmt string) (string, error) {
	if o.Tables != nil && o.HashTables != nil {
		if tables, ok := o.Tables(stmt); ok && len(tables) > 0 {
			h, err := o.HashTables(ctx, slices.Sorted(slices.Values(tables)))
			return tablesHashPrefix + h, err
		}
	}
	return o.Hash(ctx)
}

// Resume returns the index of the first statement of stmts a rerun must
// execute, given the record of the run that stopped. When that run died
// during a statement (rec.Running == rec.Done), the hash recorded before it
// decides: a live hash (of the same tables, or of the schema) equal to it
// means the statement did not take effect; otherwise it did, and Resume
// records it as done. Statements that do not change the schema look as if
// they did not run and are run again.
func Resume(ctx context.Context, st *Store, rec *Record, stmts []string, o RunOptions) (int, error) {
	if rec.Running < 0 || rec.Running != rec.Done || rec.Done >= len(stmts) {
		return min(rec.Done, len(stmts)), nil
	}
	if err := o.settle(ctx, rec.Running, stmts); err != nil {
		return 0, err
	}
	if o.SettleStep != nil {
		done, known, err := o.SettleStep(ctx, stmts[rec.Running])
		if err != nil {
			return 0, fmt.Errorf("resume revision %s: settle statement %d: %w", rec.Version, rec.Running+1, err)
		}
		if known && !done {
			return rec.Done, nil
		}
		if known {
			if err := st.Progress(ctx, rec.Version, rec.Done+1); err != nil {
				return 0, err
			}
			return rec.Done + 1, nil
		}
	}
	uncertain := &UncertainError{Version: rec.Version, Index: rec.Running, Statement: stmts[rec.Running], Direction: rec.Direction}
	if o.opaque != nil && o.opaque(rec.Running) != nil {
		return 0, o.opaque(rec.Running)
	}
	if o.Hash == nil || rec.RunningHash == "" {
		return 0, uncertain
	}
	// Compare like with like: the same tables' hash, or the schema's.
	hash := o.Hash
	if strings.HasPrefix(rec.RunningHash, tablesHashPrefix) {
		if tables, ok := o.tablesOf(stmts[rec.Running]); !ok || o.HashTables == nil || len(tables) == 0 {
			return 0, uncertain
		}
		hash = func(ctx context.Context) (string, error) { return o.statementHash(ctx, stmts[rec.Running]) }
	}
	live, err := hash(ctx)
	if err != nil {
		return 0, fmt.Errorf("resume revision %s: schema hash: %w", rec.Version, err)
	}
	if live == rec.RunningHash {
		return rec.Done, nil
	}
	if err := st.Progress(ctx, rec.Version, rec.Done+1); err != nil {
		return 0, err
	}
	return rec.Done + 1, nil
}

// tablesOf tells the tables of stmt, when o can.
func (o RunOptions) tablesOf(stmt string) ([]string, bool) {
	if o.Tables == nil {
		return nil, false
	}
	return o.Tables(stmt)
}

// resumePoint is where a rerun starts: a prefix of statements done (a
// sequential run), or the set of statements done (a parallel run).
type resumePoint struct {
	from int
	done []bool
}

// count is the number of statements done at p.
func (p resumePoint) count() int {
	if p.done == nil {
		return p.from
	}
	n := 0
	for _, d := range p.done {
		if d {
			n++
		}
	}
	return n
}

// resume settles the run rec records, sequential or parallel.
func resume(ctx context.Context, st *Store, rec *Record, stmts []string, o RunOptions) (resumePoint, error) {
	state, err := st.Steps(ctx, rec.Version)
	if err != nil {
		return resumePoint{}, err
	}
	if state != nil {
		done, err := resumeSteps(ctx, st, rec, state, stmts, o)
		return resumePoint{done: done}, err
	}
	from, err := Resume(ctx, st, rec, stmts, o)
	return resumePoint{from: from}, err
}

// run runs the statements from p on: in parallel when asked for or when
// resuming a parallel run, else one by one (Run).
func run(ctx context.Context, q dialect.Querier, st *Store, r *Revision, stmts []string, p resumePoint, o RunOptions) error {
	if p.done == nil && (o.Parallel <= 1 || o.Transactions) {
		return Run(ctx, q, st, r, stmts, p.from, o)
	}
	done := p.done
	if done == nil {
		done = make([]bool, len(stmts))
		for i := range min(p.from, len(stmts)) {
			done[i] = true
		}
	}
	return runSteps(ctx, q, st, r, stmts, done, o)
}

// DriftError reports a database whose live schema is not the one a revision
// was planned against, so its statements cannot be trusted to do the same.
type DriftError struct {
	Version   string
	Want, Got string // schema hashes: the expected one, the live one
	// Rollback is set when the check was for a rollback: Want is the
	// schema the revision left when it was applied.
	Rollback bool
}

func (e *DriftError) Error() string {
	if e.Rollback {
		return fmt.Sprintf("revision %s left schema %s when it was applied, but this database is now at %s: it has drifted "+
			"(changed outside Strata); inspect the difference with strata drift before rolling back",
			e.Version, short(e.Want), short(e.Got))
	}
	return fmt.Sprintf("revision %s was planned against schema %s, but this database is at %s: it has drifted "+
		"(changed outside Strata, or a revision is missing); inspect the difference with strata drift before applying",
		e.Version, short(e.Want), short(e.Got))
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// ErrAlreadyApplied is returned by Apply for a revision the database has.
var ErrAlreadyApplied = errors.New("already applied")

// Apply runs r's up statements in the database st records, starting it or
// resuming a partial run, and records it applied with the live schema hash
// (o.Hash; "" without it). With o.Hash, a fresh run is refused with a
// *DriftError when the live schema is not at r.FromHash. The caller holds
// the lock.
func Apply(ctx context.Context, q dialect.Querier, st *Store, r *Revision, o RunOptions) error {
	o.Direction = Up
	stmts := r.UpSQL()
	o = r.handWrittenOptions(o, r.Up).withStatements(r.Up)
	if err := st.Init(ctx); err != nil {
		return err
	}
	var from resumePoint
	rec, err := st.Get(ctx, r.Version)
	switch {
	case errors.Is(err, ErrNoRecord) || (err == nil && rec.Status == StatusRolledBack):
		if o.Hash != nil && r.FromHash != "" {
			live, err := o.Hash(ctx)
			if err != nil {
				return fmt.Errorf("apply revision %s: schema hash: %w", r.Version, err)
			}
			if live != r.FromHash {
				return &DriftError{Version: r.Version, Want: r.FromHash, Got: live}
			}
		}
		if err := st.Begin(ctx, r, len(stmts), CurrentUser()); err != nil {
			return err
		}
	case err != nil:
		return err
	case rec.IsApplied():
		return fmt.Errorf("revision %s: %w", r.Version, ErrAlreadyApplied)
	case rec.Direction == Down:
		return fmt.Errorf("revision %s: its rollback stopped after %d of %d statements; run rollback again to finish it first",
			r.Version, rec.Done, rec.Total)
	default:
		if rec.Checksum != r.Checksum || rec.Total != len(stmts) {
			return fmt.Errorf("revision %s: the partial run recorded in %s was of a different file (checksum %s, %d statements; now %s, %d)",
				r.Version, Table, rec.Checksum, rec.Total, r.Checksum, len(stmts))
		}
		if from, err = resume(ctx, st, rec, stmts, o); err != nil {
			return err
		}
		if err := st.BeginResume(ctx, r.Version, Up, from.count(), len(stmts), CurrentUser()); err != nil {
			return err
		}
	}
	if err := run(ctx, q, st, r, stmts, from, o); err != nil {
		return err
	}
	return st.Finish(context.WithoutCancel(ctx), r.Version, liveHash(ctx, o))
}

// DataLossError is returned by Rollback for down statements that lose data
// when the caller has not allowed it.
type DataLossError struct {
	Version string
	Reasons []string
}

func (e *DataLossError) Error() string {
	return fmt.Sprintf("rollback of revision %s would lose data:\n  %s\nallow it explicitly (--allow-destructive) if that is intended",
		e.Version, strings.Join(e.Reasons, "\n  "))
}

// Rollback runs r's down statements in the database st records and marks it
// rolled back, resuming an interrupted rollback. It refuses a revision that
// is not fully applied, a database whose live schema (o.Hash) is no longer
// the one the revision left (*DriftError), and down statements that are
// irreversible or destructive unless o.AllowDataLoss (*DataLossError), and
// a baseline (ErrBaselineRollback) always. The
// caller holds the lock.
func Rollback(ctx context.Context, q dialect.Querier, st *Store, r *Revision, o RunOptions) error {
	if r.Baseline {
		return baselineRollback(r)
	}
	o.Direction = Down
	stmts := r.DownSQL()
	o = r.handWrittenOptions(o, r.Down).withStatements(r.Down)
	rec, err := st.Get(ctx, r.Version)
	if err != nil {
		return err
	}
	// A table of an older layout gets its events before this run is one.
	if err := st.Init(ctx); err != nil {
		return err
	}
	var from resumePoint
	switch {
	case rec.Status == StatusBaselined:
		return baselineRollback(r)
	case rec.Status == StatusRolledBack:
		return fmt.Errorf("revision %s is already rolled back", r.Version)
	case rec.Status == StatusPartial && rec.Direction == Up:
		return fmt.Errorf("revision %s is only partly applied (%d of %d statements); finish it with apply before rolling it back",
			r.Version, rec.Done, rec.Total)
	case rec.Status == StatusPartial:
		if from, err = resume(ctx, st, rec, stmts, o); err != nil {
			return err
		}
		if err := st.BeginResume(ctx, r.Version, Down, from.count(), len(stmts), CurrentUser()); err != nil {
			return err
		}
	default:
		if !o.AllowDataLoss {
			if reasons := r.DataLoss(); len(reasons) > 0 {
				return &DataLossError{Version: r.Version, Reasons: reasons}
			}
		}
		// The down statements were planned from the schema the up side
		// left; on anything else they may do harm.
		if o.Hash != nil && rec.HashAfter != "" {
			live, err := o.Hash(ctx)
			if err != nil {
				return fmt.Errorf("roll back revision %s: schema hash: %w", r.Version, err)
			}
			if live != rec.HashAfter {
				return &DriftError{Version: r.Version, Want: rec.HashAfter, Got: live, Rollback: true}
			}
		}
		if err := st.BeginDown(ctx, r, len(stmts), CurrentUser()); err != nil {
			return err
		}
	}
	if err := run(ctx, q, st, r, stmts, from, o); err != nil {
		return err
	}
	return st.MarkRolledBack(context.WithoutCancel(ctx), r.Version)
}

// DataLoss lists why running r's down statements loses data: their
// destructive and irreversible hazards, and statements marked irreversible.
func (r *Revision) DataLoss() []string {
	var reasons []string
	if r.Baseline {
		reasons = append(reasons, "irreversible: the baseline creates the schema the database had before Strata; undoing it would drop every object and its data")
	}
	for _, s := range r.Down {
		for _, h := range s.Hazards {
			if strings.HasPrefix(h, "destructive:") || strings.HasPrefix(h, "irreversible:") {
				reasons = append(reasons, h)
			}
		}
		if s.Irreversible && len(s.Hazards) == 0 {
			reasons = append(reasons, "irreversible: "+firstLine(s.SQL))
		}
	}
	return reasons
}

func liveHash(ctx context.Context, o RunOptions) string {
	if o.Hash == nil {
		return ""
	}
	h, err := o.Hash(ctx)
	if err != nil {
		return ""
	}
	return h
}

// ApplyNew writes a new revision into dir and applies it. The file is
// written first, so that a run that stops part-way (error, interrupt,
// crash) leaves a file a rerun can resume from. When the run fails before
// any statement could have taken effect, the file and the record are
// removed again: nothing happened, nothing is kept. It returns the path of
// the file (also when a partial run kept it).
func ApplyNew(ctx context.Context, dir Dir, q dialect.Querier, st *Store, r *Revision, o RunOptions) (string, error) {
	path, err := dir.Write(r)
	if err != nil {
		return "", err
	}
	err = Apply(ctx, q, st, r, o)
	if err == nil {
		return path, nil
	}
	bg := context.WithoutCancel(ctx)
	rec, gerr := st.Get(bg, r.Version)
	clean := errors.Is(gerr, ErrNoRecord) || (gerr == nil && rec.Done == 0 && rec.Running < 0)
	if clean && gerr == nil {
		// A parallel run keeps its started statements in the steps.
		state, serr := st.Steps(bg, r.Version)
		clean = serr == nil && (state == nil || len(state.Running) == 0)
	}
	if !clean {
		return path, err
	}
	if gerr == nil {
		if ferr := st.Forget(bg, r.Version); ferr != nil {
			return path, errors.Join(err, ferr)
		}
	}
	if derr := dir.Discard(r); derr != nil {
		return path, errors.Join(err, derr)
	}
	return "", err
}
