package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/planner/render"
	"github.com/stratadb/strata/revision"
	"github.com/stratadb/strata/schema"
)

type applyOptions struct {
	AutoApprove      bool
	AllowDestructive bool
	Name             string
	Gate             gateOptions
	// Only narrows a fleet run: "failed" (targets whose history shows a
	// failed run) or a comma-separated list of target names.
	Only string
	// resumed is set once this run finished a partial revision: when
	// nothing else is left to do, its "Resumed …" line is the last word.
	resumed bool
}

func newApplyCmd(a *app) *cobra.Command {
	var o applyOptions
	cmd := &cobra.Command{
		Use:   "apply [PLANFILE]",
		Short: "Apply the desired schema (or a saved plan) to the database",
		Long: `Plan the changes, show them, ask for confirmation and apply them. With a
PLANFILE from 'strata plan --out', run exactly that plan, refusing it when
the database has changed since it was made.

On an environment with promote_from (staging, prod) apply replays the
pending revisions instead, hash-checked, and only those the source
environment's history records as applied, in order (the gate);
--skip-gate --reason "…" applies the others too and records who skipped
the gate and why in the environment's history. A revision a run left
part-way is finished first: apply shows the statements left and asks, as
for any change. Without a terminal to ask on, --auto-approve is needed.`,
		Example: `  strata apply --env dev
  strata apply --env dev --auto-approve --allow-destructive
  strata plan --env prod --out prod.plan && strata apply --env prod prod.plan
  strata apply --env prod --parallel 4     # unrelated tables' statements at once
  strata apply --env tenants --only failed # a fleet: retry the targets that failed
  strata apply --env prod --skip-gate --reason "hotfix #42, staging is being rebuilt"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return a.applySaved(cmd.Context(), args[0], o)
			}
			return a.apply(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.AutoApprove, "auto-approve", false, "apply without asking")
	f.BoolVar(&o.AllowDestructive, "allow-destructive", false, "allow changes that lose data (dropped tables and columns, narrowing)")
	f.StringVar(&o.Name, "name", "", "`SLUG` naming the revision (default: derived from the changes)")
	f.StringVar(&o.Only, "only", "", "on a fleet, run only these targets: `failed` (those whose last run failed) or NAME,NAME")
	parallelFlag(a, cmd)
	gateFlags(cmd, &o.Gate)
	return cmd
}

func (a *app) apply(ctx context.Context, o applyOptions) error {
	files := config.NewFiles()
	env, err := a.environment(files)
	if err != nil {
		return err
	}
	if err := o.Gate.check(env); err != nil {
		return err
	}
	if env != nil && env.Fleet != nil {
		return a.applyFleet(ctx, files, env, o)
	}
	if o.Only != "" {
		return fmt.Errorf("--only narrows a fleet (an environment with a targets block); %s is one database", targetLabel(a.opts))
	}
	var desired *schema.Schema
	if env == nil || env.PromoteFrom == "" {
		// The schema is checked before any connection is made.
		if desired, err = a.loadDesired(files, env); err != nil {
			return err
		}
	}
	t, err := a.connect(ctx, env)
	if err != nil {
		return err
	}
	defer t.Close()
	unlock, err := a.startRun(ctx, t)
	if err != nil {
		return err
	}
	defer unlock()
	if t.Env == nil {
		// An ad hoc --url run is not part of any environment's history:
		// nothing is recorded and no revision is written.
		return a.applyDeclarative(ctx, t, desired, nil, o)
	}
	h, err := a.loadHistory(ctx, t)
	if err != nil {
		return err
	}
	if h.State.Partial != nil {
		if err := a.resume(ctx, t, h, o); err != nil {
			return err
		}
		if h, err = a.loadHistory(ctx, t); err != nil {
			return err
		}
		o.resumed = true
	}
	if t.Env.PromoteFrom != "" {
		return a.promote(ctx, t, h, o)
	}
	if len(h.State.Pending) > 0 {
		// The environment is behind the directory (revisions made elsewhere):
		// bring it to the head first, so a new revision follows the head.
		fmt.Fprintf(a.io.Out, "%s is %s behind %s: they are applied first, then schema.hcl is planned.\n\n", t.Name, plural(len(h.State.Pending), "revision"), h.Dir.Path)
		if err := a.checkFromHash(ctx, t, h.State.Pending[0]); err != nil {
			return err
		}
		// Sized on this database's rows, as a promotion is.
		p, err := a.planPromotion(ctx, t, h, h.State.Pending, nil, false)
		if err != nil {
			return err
		}
		if err := render.PromotionText(a.io.Out, p.Promotion, render.TextOptions{Color: a.io.Color()}); err != nil {
			return err
		}
		if err := p.check(t.Name); err != nil {
			return err
		}
		if err := a.approveRevisions(ctx, t, h.State.Pending, o); err != nil {
			return err
		}
		if err := a.replayPromotion(ctx, t, h, p); err != nil {
			return err
		}
		fmt.Fprintln(a.io.Out)
	}
	return a.applyDeclarative(ctx, t, desired, h, o)
}

// applyDeclarative plans schema.hcl against the live database, asks, applies
// and (with a history) records the run as a new revision.
func (a *app) applyDeclarative(ctx context.Context, t *target, desired *schema.Schema, h *history, o applyOptions) error {
	pl, err := makePlan(ctx, t, desired, a.opts.MaxCountRows)
	if err != nil {
		return err
	}
	if pl.Plan.Empty() && o.resumed {
		return nil
	}
	text := render.TextOptions{Color: a.io.Color()}
	if err := render.Text(a.io.Out, pl.Plan, text); err != nil {
		return err
	}
	if pl.Plan.Empty() {
		return nil
	}
	if n := failingHazards(pl.Plan); n > 0 {
		env := ""
		if h != nil {
			env = t.Name
		}
		hint := fixHint(pl.Plan, env)
		if hint == "" {
			hint = "Fix those rows first, then plan again"
		}
		return fmt.Errorf("the plan would fail on the live data (%s marked \"will fail\" above); nothing was changed.\n%s", plural(n, "hazard"), hint)
	}
	if err := a.approve(ctx, t, pl.Plan.HasHazard(planner.Destructive), o); err != nil {
		return err
	}
	if h == nil {
		return a.execute(ctx, t, pl.Plan.Statements())
	}
	r, err := a.newRevision(t, pl, o.Name)
	if err != nil {
		return err
	}
	t.desired = pl.Desired
	return a.recordAndRun(ctx, t, h, r)
}

// newRevision makes the revision that records a plan: its up side, and the
// down side planned back to the live schema.
func (a *app) newRevision(t *target, pl *planned, name string) (*revision.Revision, error) {
	down, err := downPlan(t, pl)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = slugFor(pl.Plan)
	}
	return revision.New(pl.Plan, down, revision.Meta{Slug: name, Env: t.Name, Dialect: t.Dialect.Name(), Author: a.io.User, Created: a.io.Now(), Transactional: t.transactional()}), nil
}

// recordAndRun writes a new revision to the history and runs it.
func (a *app) recordAndRun(ctx context.Context, t *target, h *history, r *revision.Revision) error {
	start := a.io.Now()
	path, err := a.applyNew(ctx, t, h, r)
	if err != nil {
		if path != "" && errors.Is(err, revision.ErrInterrupted) {
			fmt.Fprintf(a.io.Err, "The revision stays in %s; 'strata apply --env %s' resumes it where it stopped (or 'strata rollback --env %s' undoes its done part).\n", path, t.Name, t.Name)
		} else if path != "" {
			fmt.Fprintf(a.io.Err, "The revision stays in %s; fix the cause and rerun 'strata apply --env %s' to finish it (once applied, 'strata rollback --env %s' can undo it).\n", path, t.Name, t.Name)
		}
		return err
	}
	fmt.Fprintf(a.io.Out, "\nApply complete: %s in %s.\nRevision %s written to %s.\n",
		plural(len(r.Up), "statement"), a.io.Now().Sub(start).Round(time.Millisecond), r.Version, path)
	return nil
}

// applyNew writes and runs a new revision.
func (a *app) applyNew(ctx context.Context, t *target, h *history, r *revision.Revision) (string, error) {
	if ta, ok := inOneTx(t, r.Up); ok {
		// All or nothing: write the file only once the transaction committed.
		if err := h.Dir.Prepare(r); err != nil {
			return "", err
		}
		if err := revision.ApplyTx(ctx, ta, t.Conn, t.Dialect.Name(), r, a.txOptions(t, false)); err != nil {
			return "", err
		}
		return h.Dir.Write(r)
	}
	o, done, err := a.runOptions(ctx, t, "")
	defer done()
	if err != nil {
		return "", err
	}
	if err := a.onlineHooks(t, h, r.Version, &o, t.wantTable); err != nil {
		return "", err
	}
	return revision.ApplyNew(ctx, h.Dir, t.Conn, h.Store, r, o)
}

// resume finishes the revision a run left part-way, as an apply: it shows
// the statements left, asks (or needs --auto-approve), runs them and says
// what it finished.
func (a *app) resume(ctx context.Context, t *target, h *history, o applyOptions) error {
	p, rec := h.State.Partial, h.State.PartialRecord
	w := a.io.Out
	fmt.Fprintf(w, "Resuming revision %s: %d of %d statements were done when it stopped.\n", p.Name(), rec.Done, rec.Total)
	if rec.Direction == revision.Down {
		// Apply refuses it with what to do; nothing to ask.
		return a.runRevision(ctx, t, h, p)
	}
	if err := p.Unsettled(rec); err != nil {
		// Before anything is shown or asked: nothing runs until a
		// person settles it.
		return settleHint(err, t)
	}
	left, err := a.statementsLeft(ctx, h, p, rec)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nStrata will finish it with %s:\n", plural(len(left), "statement"))
	for _, i := range left {
		if i == rec.Running && rec.Running == rec.Done {
			fmt.Fprintf(w, "    -- statement %d was running when the run stopped: it runs again only if it did not take effect\n", i+1)
		}
		renderStatements(w, p.Up[i:i+1])
	}
	if err := a.approveRevisions(ctx, t, []*revision.Revision{p}, o); err != nil {
		return err
	}
	start := a.io.Now()
	if err := a.runRevision(ctx, t, h, p); err != nil {
		return err
	}
	took := a.io.Now().Sub(start)
	first, done, total := rec.Done+1, len(p.Up), len(p.Up)
	if ev, err := h.Store.LastEvent(ctx, p.Version); err == nil && ev != nil && ev.Kind == revision.EventResume {
		first, done, total, took = ev.First+1, ev.Done, ev.Total, ev.Duration()
	}
	what := fmt.Sprintf("statements %d–%d of %d", first, done, total)
	switch {
	case first > done:
		what = fmt.Sprintf("all %s were already done", plural(total, "statement"))
	case first == done:
		what = fmt.Sprintf("statement %d of %d", done, total)
	}
	fmt.Fprintf(w, "\nResumed %s: %s done in %s.\n", p.Name(), what, took.Round(time.Millisecond))
	return nil
}

// statementsLeft are the indexes of p's up statements a resume may run:
// those after the done ones, or for a parallel run those not done.
func (a *app) statementsLeft(ctx context.Context, h *history, p *revision.Revision, rec *revision.Record) ([]int, error) {
	var left []int
	steps, err := h.Store.Steps(ctx, p.Version)
	if err != nil {
		return nil, err
	}
	done := map[int]bool{}
	if steps != nil {
		for _, i := range steps.Done {
			done[i] = true
		}
	}
	for i := range p.Up {
		if steps == nil && i < rec.Done || done[i] {
			continue
		}
		left = append(left, i)
	}
	return left, nil
}

// promote replays the pending revisions of an environment that promotes
// from another instead of diffing.
func (a *app) promote(ctx context.Context, t *target, h *history, o applyOptions) error {
	pending := h.State.Pending
	if len(pending) == 0 && o.resumed {
		return nil
	}
	if len(pending) == 0 {
		fmt.Fprintf(a.io.Out, "No changes. %s is at the head of %s", t.Name, h.Dir.Path)
		if cur := h.State.Current(); cur != nil {
			fmt.Fprintf(a.io.Out, " (%s)", cur.Name())
		}
		fmt.Fprintln(a.io.Out, ".")
		return a.warnDrift(ctx, t, h)
	}
	pending, g, err := a.gatePromotion(ctx, t, pending, o.Gate)
	if err != nil {
		return err
	}
	if err := a.checkFromHash(ctx, t, pending[0]); err != nil {
		return err
	}
	// The hazards sized on this environment's rows: a promotion that
	// would fail is refused before its first statement.
	p, err := a.planPromotion(ctx, t, h, pending, g, false)
	if err != nil {
		return err
	}
	p.override = o.Gate.note(t)
	if err := render.PromotionText(a.io.Out, p.Promotion, render.TextOptions{Color: a.io.Color()}); err != nil {
		return err
	}
	if err := p.check(t.Name); err != nil {
		return err
	}
	if err := a.approveRevisions(ctx, t, pending, o); err != nil {
		return err
	}
	start := a.io.Now()
	if err := a.replayPromotion(ctx, t, h, p); err != nil {
		return err
	}
	took := a.io.Now().Sub(start).Round(time.Millisecond)
	if g.holds() {
		return g.stopped(a.io.Out, t, len(pending), took)
	}
	fmt.Fprintf(a.io.Out, "\nPromotion complete: %s applied to %s in %s.\n", plural(len(pending), "revision"), t.Name, took)
	return nil
}

// checkFromHash refuses to replay r on a database that is not where r
// starts, before anything runs.
func (a *app) checkFromHash(ctx context.Context, t *target, r *revision.Revision) error {
	live, err := t.inspect(ctx, t.Reader)
	if err != nil {
		return err
	}
	if h := live.Hash(); h != r.FromHash {
		return notAtStartError(t, live, h, r)
	}
	return nil
}

// approveRevisions asks before replaying revisions; destructive steps need
// --allow-destructive on a protected environment.
func (a *app) approveRevisions(ctx context.Context, t *target, revs []*revision.Revision, o applyOptions) error {
	destructive := false
	for _, r := range revs {
		for _, s := range r.Up {
			for _, hz := range s.Hazards {
				if strings.HasPrefix(hz, string(planner.Destructive)) {
					destructive = true
				}
			}
		}
	}
	return a.approve(ctx, t, destructive && t.Env != nil && t.Env.Protected, o)
}

func (a *app) applySaved(ctx context.Context, path string, o applyOptions) error {
	sp, r, err := loadSavedPlan(path)
	if err != nil {
		return err
	}
	if a.opts.Env == "" && a.opts.URL == "" && sp.Environment != "url" {
		a.opts.Env = sp.Environment
	}
	files := config.NewFiles()
	t, err := a.openTarget(ctx, files)
	if err != nil {
		return err
	}
	defer t.Close()
	if sp.Environment != t.Name {
		return fmt.Errorf("%s was planned against %q, not %q: plan again for this environment", path, sp.Environment, t.Name)
	}
	unlock, err := a.startRun(ctx, t)
	if err != nil {
		return err
	}
	defer unlock()
	live, err := t.inspect(ctx, t.Reader)
	if err != nil {
		return err
	}
	if h := live.Hash(); h != sp.FromHash {
		if sp.FromSchema != nil {
			// Say what changed: the difference from the schema the plan
			// was made from to the live one.
			fmt.Fprintf(a.io.Err, "Since %s was planned, the database changed:\n\n", path)
			changes := planner.Diff(sp.FromSchema, live, t.Dialect)
			var b strings.Builder
			_ = render.Text(&b, planner.Describe(sp.FromSchema, live, changes, t.Dialect), render.TextOptions{Color: a.io.Color()})
			for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
				// Only the changes: the plan's header and summary speak
				// of actions, and none will be taken.
				if strings.HasPrefix(line, "Strata will perform") || strings.HasPrefix(line, "Plan: ") {
					continue
				}
				fmt.Fprintln(a.io.Err, line)
			}
			fmt.Fprintln(a.io.Err)
		}
		return fmt.Errorf("%s is stale: the database changed since it was planned; nothing was run. Plan again", path)
	}
	fmt.Fprintf(a.io.Out, "Applying the saved plan %s (%s).\n", path, plural(len(r.Up), "statement"))
	if err := a.approve(ctx, t, sp.Destructive, o); err != nil {
		return err
	}
	if t.Env == nil {
		return a.executeSQL(ctx, t, r.Up)
	}
	h, err := a.loadHistory(ctx, t)
	if err != nil {
		return err
	}
	if h.State.Partial != nil || len(h.State.Pending) > 0 {
		return fmt.Errorf("%s is not at the head of %s (a revision is pending or partial): plan again", t.Name, h.Dir.Path)
	}
	if o.Name != "" {
		r.Slug = revision.Slugify(o.Name)
	}
	// The plan file's revision was made without a place in the history:
	// writing it sets its parent to the head, and its checksum is that of
	// the file written, not of the text in the plan file.
	r.Checksum = ""
	return a.recordAndRun(ctx, t, h, r)
}

// approve refuses destructive plans without --allow-destructive and asks the
// person at the terminal unless --auto-approve.
func (a *app) approve(ctx context.Context, t *target, destructive bool, o applyOptions) error {
	if destructive && !o.AllowDestructive {
		return errors.New("the plan loses data (see the destructive hazards above); nothing was changed. Re-run with --allow-destructive to apply it")
	}
	if o.AutoApprove {
		return nil
	}
	if !a.io.CanPrompt() {
		return errors.New("not applying without confirmation: no terminal to ask on. Pass --auto-approve to apply non-interactively")
	}
	ok, err := a.io.Confirm(ctx, fmt.Sprintf("\nDo you want to apply these changes to %s?", describeTarget(t)))
	if errors.Is(err, errPromptInterrupted) {
		return &exitCodeError{code: exitError, msg: "Apply cancelled: interrupted at the prompt; nothing was changed."}
	}
	if err != nil {
		return err
	}
	if !ok {
		return &exitCodeError{code: exitError, msg: "Apply cancelled: nothing was changed."}
	}
	return nil
}

func describeTarget(t *target) string {
	if t.Env != nil {
		return fmt.Sprintf("environment %q", t.Name)
	}
	return t.Redacted
}

// startRun prepares t for a run of statements (apply, promotion,
// rollback): it refuses run options t cannot honour (--parallel), then
// takes the per-database lock when the dialect has one.
func (a *app) startRun(ctx context.Context, t *target) (unlock func(), err error) {
	if err := a.checkParallel(t); err != nil {
		return nil, err
	}
	l, ok := t.Dialect.(dialect.Locker)
	if !ok {
		return func() {}, nil
	}
	release, err := a.lock(ctx, t, l)
	if err != nil {
		return nil, err
	}
	return func() { _ = release() }, nil
}

// execute runs a plan's statements without recording them (ad hoc --url).
func (a *app) execute(ctx context.Context, t *target, stmts []dialect.Stmt) error {
	ss := make([]revision.Statement, len(stmts))
	for i, s := range stmts {
		ss[i] = revision.Statement{SQL: s.SQL, NoTx: t.transactional() && !s.Transactional}
	}
	return a.executeSQL(ctx, t, ss)
}

// executeSQL runs statements one by one, reporting progress on stderr; a
// dialect with transactional DDL runs them in one transaction (each NoTx
// statement on its own).
func (a *app) executeSQL(ctx context.Context, t *target, ss []revision.Statement) error {
	start := a.io.Now()
	if ta, ok := t.Dialect.(dialect.TxApplier); ok {
		if err := a.executeTx(ctx, t, ta, ss); err != nil {
			return err
		}
		fmt.Fprintf(a.io.Out, "\nApply complete: %s in %s.\n", plural(len(ss), "statement"), a.io.Now().Sub(start).Round(time.Millisecond))
		return nil
	}
	sqls := make([]string, len(ss))
	for i, s := range ss {
		sqls[i] = s.SQL
	}
	p := a.newProgress(ctx, "")
	defer p.Done()
	for i, s := range sqls {
		p.Statement(i, len(sqls), s)
		_, err := t.Conn.ExecContext(context.WithoutCancel(ctx), s)
		if fb := a.fallback(t); err != nil && fb != nil {
			if alt, ok := fb(s, err); ok {
				_, err = t.Conn.ExecContext(context.WithoutCancel(ctx), alt)
			}
		}
		if err != nil {
			return fmt.Errorf("statement %d of %d failed: %v\n  %s", i+1, len(sqls), err, s)
		}
		if err := ctx.Err(); err != nil && i+1 < len(sqls) {
			return fmt.Errorf("interrupted after statement %d of %d; the rest did not run", i+1, len(sqls))
		}
	}
	fmt.Fprintf(a.io.Out, "\nApply complete: %s in %s.\n", plural(len(sqls), "statement"), a.io.Now().Sub(start).Round(time.Millisecond))
	return nil
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i] + " ..."
		}
	}
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

// failingHazards counts the data-dependent hazards whose live count shows
// the change would fail (rows with NULLs, duplicates, orphans, values that
// do not fit, violations): running the plan would stop part-way.
func failingHazards(p *planner.Plan) int {
	n := 0
	for _, s := range p.Steps {
		for _, h := range s.Hazards {
			if hazardFails(h) {
				n++
			}
		}
	}
	return n
}

// fallback is the runner's answer to a statement the server refused: on
// MySQL/MariaDB an ALGORITHM=INSTANT it cannot honour is dropped, with a
// note, and the server picks the algorithm (the plan's locking hazards
// already say when that copies the table).
func (a *app) fallback(t *target) func(sql string, err error) (string, bool) {
	fb, ok := t.Dialect.(dialect.StatementFallback)
	if !ok {
		return nil
	}
	return func(sql string, err error) (string, bool) {
		alt, ok := fb.Fallback(sql, err)
		if ok {
			fmt.Fprintln(a.io.Err, "  note: the server refused the statement's ALGORITHM/LOCK clause; it runs without it, with the algorithm the server picks")
		}
		return alt, ok
	}
}

// targetLabel names what --env/--url point at, for messages.
func targetLabel(o globalOptions) string {
	if o.Env != "" {
		return "environment " + o.Env
	}
	return "--url"
}
