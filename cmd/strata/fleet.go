package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/revision"
)

// A fleet is an environment of many databases on one server (a targets
// block): one migrations directory, and in each target its own lock and
// history tables. Commands that change a fleet resolve the target list
// once, run the canaries one at a time and then the rest with bounded
// parallelism, each target through the same runner as a single database;
// commands that read one read every target in parallel and summarise.

// fleetReadParallel bounds how many targets a read-only command (status,
// history, plan) reads at once when the fleet's parallel is lower: reading
// takes no lock and changes nothing.
const fleetReadParallel = 8

// errFleetTarget is the answer of a one-database command on a fleet.
func errFleetTarget(env *config.Environment) error {
	return fmt.Errorf("%s names many databases (a targets block) and this command works on one: pass --target NAME (one of its databases)", env.Name)
}

// withTarget turns a fleet environment into the one-database environment
// of its target name.
func withTarget(env *config.Environment, name string) (*config.Environment, error) {
	u, err := env.TargetURL(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", env.File, err)
	}
	one := *env
	one.URL, one.Fleet = u, nil
	return &one, nil
}

// resolveTargets lists a fleet's databases: as written, or those of the
// server matching the pattern, sorted. Canaries come first, in their
// order; every canary must be a target.
func (a *app) resolveTargets(ctx context.Context, env *config.Environment) ([]string, error) {
	f := env.Fleet
	names := slices.Clone(f.Databases)
	if f.Matching != "" {
		server, err := env.ServerURL()
		if err != nil {
			return nil, err
		}
		e, scheme, ok := dialectFor(server)
		if !ok {
			return nil, fmt.Errorf("unsupported database URL scheme %q: use %s", scheme, schemeList())
		}
		if e.List == nil {
			return nil, fmt.Errorf("%s: targets.matching reads the server's databases, which %s has not: list them in targets.databases", env.File, e.Name)
		}
		if names, err = e.List(ctx, server, f.Matching); err != nil {
			return nil, fmt.Errorf("list the databases matching %q: %w", f.Matching, err)
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("no database on %s matches targets.matching %q (a LIKE pattern: _ is any one character, \\_ an underscore); nothing was done", redactURL(server), f.Matching)
		}
	}
	for _, c := range f.Canary {
		if !slices.Contains(names, c) {
			return nil, fmt.Errorf("canary %q is not one of the %s of %s (targets.matching %q); nothing was done", c, plural(len(names), "target"), env.Name, f.Matching)
		}
	}
	out := slices.Clone(f.Canary)
	for _, n := range names {
		if !slices.Contains(f.Canary, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// syncBuffer is the output of one target's run: its runner writes from
// more than one goroutine (progress).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// forTarget is a copy of the app for one target of a fleet: its output
// goes to out (shown when the target fails), and it never prompts (the
// fleet asked once).
func (a *app) forTarget(out io.Writer) *app {
	sio := *a.io
	sio.Out, sio.Err = out, out
	sio.InTTY, sio.OutTTY, sio.ErrTTY = false, false, false
	return &app{io: &sio, opts: a.opts, parallel: a.parallel, schemaFiles: a.schemaFiles}
}

// openFleetTarget connects to one target through a child app.
func (a *app) openFleetTarget(ctx context.Context, env *config.Environment, name string) (*app, *target, *syncBuffer, error) {
	out := &syncBuffer{}
	c := a.forTarget(out)
	one, err := withTarget(env, name)
	if err != nil {
		return c, nil, out, err
	}
	t, err := c.connect(ctx, one)
	return c, t, out, err
}

// eachTarget runs fn for every name, n at once, and returns the results in
// the order of names. It is for reading: every target runs.
func eachTarget[T any](ctx context.Context, names []string, n int, fn func(ctx context.Context, name string) T) []T {
	out := make([]T, len(names))
	sem := make(chan struct{}, max(n, 1))
	var wg sync.WaitGroup
	for i, name := range names {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = fn(ctx, name)
		}()
	}
	wg.Wait()
	return out
}

// fleetOutcome is what happened to one target of a run.
type fleetOutcome struct {
	Name    string
	Canary  bool
	Started bool
	Err     error
	Summary string // what it did, when it succeeded
	Output  string // its runner's output, kept for a failure
	Took    time.Duration
}

// fleetRun is a run of one change on every target: canaries first, one at
// a time; then the rest, Parallel at once, under the fleet's on_error.
type fleetRun struct {
	Env    *config.Environment
	Names  []string // canaries first
	Verb   string   // "apply", "rollback": for the report's lines
	Report io.Writer
	Now    func() time.Time
	// Retry, when set, is what the report says to do after a run that
	// did not finish (else: apply's --only failed).
	Retry string
	// One runs the change on one target; its output goes to out.
	One func(ctx context.Context, name string) (summary, output string, err error)
}

// run runs the fleet and returns every target's outcome, in Names order.
func (r *fleetRun) run(ctx context.Context) []*fleetOutcome {
	f := r.Env.Fleet
	outs := make([]*fleetOutcome, len(r.Names))
	for i, n := range r.Names {
		outs[i] = &fleetOutcome{Name: n, Canary: slices.Contains(f.Canary, n)}
	}
	var mu sync.Mutex
	do := func(o *fleetOutcome) {
		start := r.Now()
		sum, out, err := r.One(ctx, o.Name)
		mu.Lock()
		defer mu.Unlock()
		o.Summary, o.Output, o.Err, o.Took = sum, out, err, r.Now().Sub(start)
		r.line(o)
	}
	i := 0
	for ; i < len(outs) && outs[i].Canary; i++ {
		if ctx.Err() != nil {
			return outs
		}
		outs[i].Started = true
		do(outs[i])
		if outs[i].Err != nil {
			// A canary is there to stop the fleet: whatever on_error says.
			return outs
		}
	}
	rest := outs[i:]
	failures := 0
	stopped := false
	next := 0
	// take hands out the next target, or nil once the run stops starting
	// new ones.
	take := func() *fleetOutcome {
		mu.Lock()
		defer mu.Unlock()
		if stopped || next >= len(rest) || ctx.Err() != nil {
			return nil
		}
		o := rest[next]
		next++
		o.Started = true
		return o
	}
	var wg sync.WaitGroup
	for w := 0; w < min(f.Parallel, len(rest)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := take(); o != nil; o = take() {
				do(o)
				if o.Err != nil {
					mu.Lock()
					failures++
					if f.OnError != "continue" || f.MaxFailures > 0 && failures >= f.MaxFailures {
						stopped = true
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return outs
}

// line reports one target as it ends.
func (r *fleetRun) line(o *fleetOutcome) {
	label := o.Name
	if o.Canary {
		label += " (canary)"
	}
	took := o.Took.Round(time.Millisecond)
	if o.Err == nil {
		fmt.Fprintf(r.Report, "  ok      %s: %s in %s\n", label, o.Summary, took)
		return
	}
	fmt.Fprintf(r.Report, "  FAILED  %s after %s: %s\n", label, took, firstLine(o.Err.Error()))
}

// fleetReport ends a fleet run: applied, failed and not started by name,
// what to do next, and the error whose exit code says which.
func (r *fleetRun) report(w io.Writer, outs []*fleetOutcome, interrupted bool) error {
	var ok, failed, waiting []*fleetOutcome
	for _, o := range outs {
		switch {
		case !o.Started:
			waiting = append(waiting, o)
		case o.Err != nil:
			failed = append(failed, o)
		default:
			ok = append(ok, o)
		}
	}
	env := r.Env.Name
	if len(failed) == 0 && len(waiting) == 0 {
		fmt.Fprintf(w, "\nFleet %s complete: %s succeeded.\n", r.Verb, allOf(len(ok), "target"))
		return nil
	}
	for _, o := range failed {
		fmt.Fprintf(w, "\n%s failed:\n", o.Name)
		if out := strings.TrimSpace(o.Output); out != "" {
			for _, l := range strings.Split(out, "\n") {
				fmt.Fprintf(w, "    | %s\n", l)
			}
		}
		for _, l := range strings.Split(strings.TrimSpace(o.Err.Error()), "\n") {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
	why := "stopped"
	switch {
	case interrupted:
		why = "interrupted"
	case len(failed) > 0 && failed[0].Canary:
		why = "stopped at a canary"
	case len(waiting) == 0:
		why = "finished with failures"
	}
	fmt.Fprintf(w, "\nFleet %s %s: %d succeeded, %d failed, %d not started.\n", r.Verb, why, len(ok), len(failed), len(waiting))
	fmt.Fprintf(w, "  succeeded:   %s\n", outcomeNames(ok))
	fmt.Fprintf(w, "  failed:      %s\n", outcomeNames(failed))
	fmt.Fprintf(w, "  not started: %s\n", outcomeNames(waiting))
	switch {
	case r.Retry != "":
		fmt.Fprintln(w, r.Retry)
	case len(failed) > 0:
		them := "them"
		if len(waiting) > 0 {
			them = "them and the ones not started"
		}
		fmt.Fprintf(w, "Fix the failed ones, then 'strata %s --env %s --only failed' retries %s.\n", r.Verb, env, them)
	default:
		fmt.Fprintf(w, "'strata %s --env %s' continues every target where it stands.\n", r.Verb, env)
	}
	code := exitPartial
	if len(ok) == 0 {
		code = exitError
	}
	return &exitCodeError{code: code, msg: fmt.Sprintf("fleet %s %s: %s of %d did not finish", r.Verb, why, plural(len(failed)+len(waiting), "target"), len(outs))}
}

func outcomeNames(os []*fleetOutcome) string {
	if len(os) == 0 {
		return "none"
	}
	s := make([]string, len(os))
	for i, o := range os {
		s[i] = o.Name
	}
	return strings.Join(s, ", ")
}

// fleetFailure says whether a target's history shows a run to retry:
// "failed" for a revision left part-way or the first pending one refused
// (EventRefused) by its last run, "skipped" when a fleet run stopped
// before it (EventSkipped), "" otherwise; why says what happened. This is
// what --only failed and status read: it lives in each target's own
// history, beside the revisions, so any machine sees it, and a target
// stops counting the moment it is at the head.
func fleetFailure(ctx context.Context, h *history) (kind, why string, err error) {
	if p := h.State.Partial; p != nil {
		rec := h.State.PartialRecord
		why := fmt.Sprintf("%s stopped after %d of %d statements", p.Name(), rec.Done, rec.Total)
		if rec.Error != "" {
			why += ": " + firstLine(rec.Error)
		}
		return "failed", why, nil
	}
	if len(h.State.Pending) == 0 {
		return "", "", nil
	}
	ev, err := h.Store.LastEvent(ctx, h.State.Pending[0].Version)
	if err != nil || ev == nil {
		return "", "", err
	}
	switch ev.Kind {
	case revision.EventRefused:
		return "failed", ev.Note, nil
	case revision.EventSkipped:
		return "skipped", ev.Note, nil
	}
	return "", "", nil
}

// recordRefusal notes in a target's history that its run stopped before
// the first statement of its first pending revision (nothing else records
// such a failure: no statement ran).
func (a *app) recordRefusal(ctx context.Context, t *target, runErr error) {
	ctx = context.WithoutCancel(ctx)
	h, err := a.loadHistory(ctx, t)
	if err != nil || h.State.Partial != nil || len(h.State.Pending) == 0 {
		return
	}
	_ = h.Store.RecordEvent(ctx, h.State.Pending[0].Version, revision.EventRefused, oneLine(runErr.Error()))
}

// recordSkipped notes in the history of each target a stopped run did not
// start that it was skipped, and why: --only failed then retries them
// with the failed ones. A target that cannot be reached is left as it is.
func (a *app) recordSkipped(ctx context.Context, env *config.Environment, outs []*fleetOutcome) {
	var why []string
	var skipped []string
	for _, o := range outs {
		switch {
		case !o.Started:
			skipped = append(skipped, o.Name)
		case o.Err != nil:
			why = append(why, o.Name)
		}
	}
	if len(skipped) == 0 || len(why) == 0 {
		return
	}
	note := fmt.Sprintf("not started: the fleet run stopped after %s failed", shortList(why, 3))
	ctx = context.WithoutCancel(ctx)
	eachTarget(ctx, skipped, max(env.Fleet.Parallel, fleetReadParallel), func(ctx context.Context, name string) error {
		c, t, _, err := a.openFleetTarget(ctx, env, name)
		if err != nil {
			return err
		}
		defer t.Close()
		h, err := c.loadHistory(ctx, t)
		if err != nil || h.State.Partial != nil || len(h.State.Pending) == 0 {
			return err
		}
		return h.Store.RecordEvent(ctx, h.State.Pending[0].Version, revision.EventSkipped, note)
	})
}

// targetList shows the targets of a run in its plan: the canaries, then
// the rest and how many run at once.
func targetList(w io.Writer, env *config.Environment, names []string) {
	f := env.Fleet
	from := fmt.Sprintf("targets.databases of %s", env.File)
	if f.Matching != "" {
		from = fmt.Sprintf("the server's databases matching \"%s\"", f.Matching)
	}
	fmt.Fprintf(w, "Targets: %s (%s).\n", plural(len(names), "database"), from)
	var canary, rest []string
	for _, n := range names {
		if slices.Contains(f.Canary, n) {
			canary = append(canary, n)
		} else {
			rest = append(rest, n)
		}
	}
	if len(canary) > 0 {
		fmt.Fprintf(w, "  canary, one at a time, first (any failure stops the run): %s\n", strings.Join(canary, ", "))
	}
	if len(rest) > 0 {
		then := "then "
		if len(canary) == 0 {
			then = ""
		}
		onErr := "the first failure starts no new target"
		if f.OnError == "continue" {
			onErr = "a failure does not stop the others"
			if f.MaxFailures > 0 {
				onErr = fmt.Sprintf("%s stop the run", plural(f.MaxFailures, "failure"))
			}
		}
		fmt.Fprintf(w, "  %s%s, %d at once (%s):\n", then, plural(len(rest), "target"), f.Parallel, onErr)
		wrapNames(w, "    ", rest, 96)
	}
}

// wrapNames writes names comma-separated in lines of at most width.
func wrapNames(w io.Writer, indent string, names []string, width int) {
	line := indent
	for i, n := range names {
		piece := n
		if i < len(names)-1 {
			piece += ","
		}
		if len(line) > len(indent) && len(line)+1+len(piece) > width {
			fmt.Fprintln(w, line)
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += piece
	}
	if len(line) > len(indent) {
		fmt.Fprintln(w, line)
	}
}

// onlyFilter keeps the targets --only names: "failed" (those the last run
// did not finish, as their histories show: failed, or not started because
// the run stopped) or a comma-separated list of names.
func (a *app) onlyFilter(ctx context.Context, env *config.Environment, names []string, only string) ([]string, error) {
	if only == "" {
		return names, nil
	}
	if only != "failed" {
		var out []string
		for _, n := range strings.Split(only, ",") {
			n = strings.TrimSpace(n)
			if !slices.Contains(names, n) {
				return nil, fmt.Errorf("--only %s: %q is not a target of %s ('strata status --env %s' lists them)", only, n, env.Name, env.Name)
			}
			out = append(out, n)
		}
		return out, nil
	}
	type res struct {
		failed bool
		err    error
	}
	rs := eachTarget(ctx, names, max(env.Fleet.Parallel, fleetReadParallel), func(ctx context.Context, name string) res {
		c, t, _, err := a.openFleetTarget(ctx, env, name)
		if err != nil {
			return res{err: err}
		}
		defer t.Close()
		h, err := c.loadHistory(ctx, t)
		if err != nil {
			return res{err: err}
		}
		kind, _, err := fleetFailure(ctx, h)
		return res{failed: kind != "", err: err}
	})
	var out []string
	for i, r := range rs {
		if r.err != nil {
			return nil, fmt.Errorf("--only failed: read %s: %w", names[i], r.err)
		}
		if r.failed {
			out = append(out, names[i])
		}
	}
	return out, nil
}
