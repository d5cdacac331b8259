package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/revision"
)

// gateOptions are apply's flags for an environment that promotes.
type gateOptions struct {
	// Skip applies the pending revisions without asking the source
	// environment's history; Reason says why, and is recorded.
	Skip   bool
	Reason string
}

func gateFlags(cmd *cobra.Command, o *gateOptions) {
	f := cmd.Flags()
	f.BoolVar(&o.Skip, "skip-gate", false, "on an environment with promote_from, apply pending revisions its source has not applied (needs --reason; recorded in history)")
	f.StringVar(&o.Reason, "reason", "", "why the gate is skipped (`TEXT`, recorded in history with who skipped it)")
}

// check refuses --skip-gate without a reason, a reason without
// --skip-gate, and both on an environment without a gate.
func (o gateOptions) check(env *config.Environment) error {
	reason := strings.TrimSpace(o.Reason)
	switch {
	case o.Skip && reason == "":
		return errors.New(`--skip-gate needs --reason "…": say why the gate is skipped`)
	case !o.Skip && o.Reason != "":
		return errors.New("--reason goes with --skip-gate: pass both to apply revisions the source environment has not applied")
	case o.Skip && (env == nil || env.PromoteFrom == ""):
		name := "--url"
		if env != nil {
			name = env.Name
		}
		return fmt.Errorf("--skip-gate applies to an environment with promote_from, and %s has none: there is no gate to skip", name)
	}
	return nil
}

// gate is what an environment's promote_from source says of its pending
// revisions: those the source has applied, in order (they may run), and
// from the first that it has not, those that wait.
type gate struct {
	From    string
	Allowed []*revision.Revision
	Waiting []waitingRevision
}

// waitingRevision is a pending revision the gate holds back, and why.
type waitingRevision struct {
	Rev    *revision.Revision
	Reason string
}

// gateError is a gate that cannot be checked: the source environment's
// URL is not set, its server is down, its history is unreadable. It says
// what to set or what failed, never a password.
type gateError struct {
	Target, From string
	Problem      string // what went wrong, one clause
	Fix          string // what to do
}

func (e *gateError) Error() string {
	return e.explain() + "; nothing was run (to apply without the gate: --skip-gate --reason \"…\")"
}

// warning is the gate error as plan says it: nothing would run anyway.
func (e *gateError) warning() string {
	return e.explain() + ". Until it can, apply refuses to promote"
}

func (e *gateError) explain() string {
	s := fmt.Sprintf("%s promotes from %s, and the gate cannot read %s's history: %s", e.Target, e.From, e.From, e.Problem)
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	if e.Fix != "" {
		s += " " + e.Fix
	}
	return s
}

// readGate reads the history of t's promote_from environment (through its
// own environment file and URL variable) and divides pending into the
// revisions it has applied, in order, and those that wait for it. Only
// the source's history table is read; nothing is created there.
func (a *app) readGate(ctx context.Context, t *target, pending []*revision.Revision) (*gate, error) {
	from := t.Env.PromoteFrom
	fail := func(problem, fix string) error {
		return &gateError{Target: t.Name, From: from, Problem: problem, Fix: fix}
	}
	files := config.NewFiles()
	src, diags := files.LoadEnvironment(".", from, a.io.Getenv)
	if src.URL == "" {
		if src.URLVar != "" {
			if v, ok := a.io.Getenv(src.URLVar); !ok || v == "" {
				state := "is not set"
				if ok {
					state = "is empty"
				}
				return nil, fail(fmt.Sprintf("%s (the url of %s) %s", src.URLVar, src.File, state),
					fmt.Sprintf("Export it with %s's database URL, e.g. export %s='mysql://user:pass@host:3306/db'", from, src.URLVar))
			}
		}
		if len(diags) > 0 {
			files.WriteDiagnostics(a.io.Err, diags, a.io.Color())
		}
		return nil, fail(fmt.Sprintf("%s has errors (above)", src.File), "Fix them")
	}
	if missingSQLite(src.URL) {
		// No file, no history (nothing applied there); opening it
		// would create it.
		return divide(from, pending, nil), nil
	}
	db, d, _, err := openDatabase(ctx, src.URL)
	if err != nil {
		fix := "Check that its server is up and reachable"
		if src.URLVar != "" {
			fix += fmt.Sprintf(" and that %s points at it", src.URLVar)
		}
		return nil, fail(err.Error(), fix)
	}
	defer db.Close()
	st := &revision.Store{Q: db, Dialect: d.Name()}
	recs, err := st.Applied(ctx)
	if err != nil {
		return nil, fail(err.Error(), "")
	}
	return divide(t.Env.PromoteFrom, pending, recs), nil
}

// divide splits pending by the source's records: a revision may run when
// the source applied this very file and every pending revision before it
// may run too.
func divide(from string, pending []*revision.Revision, recs []revision.Record) *gate {
	byVersion := map[string]revision.Record{}
	for _, rec := range recs {
		byVersion[rec.Version] = rec
	}
	g := &gate{From: from}
	for _, r := range pending {
		rec, ok := byVersion[r.Version]
		var why string
		switch {
		case !ok:
			why = "not applied on " + from
		case rec.Checksum != r.Checksum:
			why = fmt.Sprintf("%s applied a different file (checksum %.12s there, %.12s here)", from, rec.Checksum, r.Checksum)
		case rec.Status == revision.StatusPartial:
			why = "partly applied on " + from
		case rec.Status == revision.StatusRolledBack:
			why = "rolled back on " + from
		case !rec.IsApplied():
			why = fmt.Sprintf("%s on %s", rec.Status, from)
		case len(g.Waiting) > 0:
			why = fmt.Sprintf("applied on %s, but comes after %s", from, g.Waiting[0].Rev.Name())
		}
		if why == "" {
			g.Allowed = append(g.Allowed, r)
			continue
		}
		g.Waiting = append(g.Waiting, waitingRevision{Rev: r, Reason: why})
	}
	return g
}

// writeWaiting lists the revisions that wait for the source, indented by
// prefix.
func (g *gate) writeWaiting(w io.Writer, prefix string) {
	for _, wr := range g.Waiting {
		fmt.Fprintf(w, "%s%s (%s)\n", prefix, wr.Rev.Name(), wr.Reason)
	}
}

// waitingNames are the names of the waiting revisions, comma-separated.
func (g *gate) waitingNames() string {
	names := make([]string, len(g.Waiting))
	for i, wr := range g.Waiting {
		names[i] = wr.Rev.Name()
	}
	return strings.Join(names, ", ")
}

// heldError is the refusal of an apply whose gate holds back revisions;
// ran revisions before them were applied.
func (g *gate) heldError(t *target, ran int) error {
	what := "nothing was run"
	if ran > 0 {
		what = fmt.Sprintf("only the %s before %s ran", plural(ran, "revision"), them(len(g.Waiting)))
	}
	return fmt.Errorf("%s promotes from %s, which has not applied %s: %s; %s. Apply %s on %s first ('strata apply --env %s'), then rerun; or override with --skip-gate --reason \"…\"",
		t.Name, g.From, plural(len(g.Waiting), "pending revision"), g.waitingNames(), what, them(len(g.Waiting)), g.From, g.From)
}

func them(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// gatePromotion decides which of t's pending revisions this apply runs:
// with --skip-gate all of them (g is nil), else those the source
// environment has applied, in order. When the gate holds back every one
// it refuses, naming them; nothing has run.
func (a *app) gatePromotion(ctx context.Context, t *target, pending []*revision.Revision, o gateOptions) (run []*revision.Revision, g *gate, err error) {
	if o.Skip {
		fmt.Fprintf(a.io.Out, "Skipping the gate of %s (promote_from = %q) for %s, as %s asked: %q. Each revision run records it in %s's history.\n\n",
			t.Name, t.Env.PromoteFrom, plural(len(pending), "pending revision"), a.io.User, strings.TrimSpace(o.Reason), t.Name)
		return pending, nil, nil
	}
	g, err = a.readGate(ctx, t, pending)
	if err != nil {
		return nil, nil, err
	}
	if len(g.Allowed) == 0 {
		fmt.Fprintf(a.io.Out, "%s %s for %s (promote_from):\n", plural(len(g.Waiting), "pending revision"), waitsVerb(len(g.Waiting)), g.From)
		g.writeWaiting(a.io.Out, "  ")
		fmt.Fprintln(a.io.Out)
		return nil, g, g.heldError(t, 0)
	}
	return g.Allowed, g, nil
}

func waitsVerb(n int) string {
	if n == 1 {
		return "waits"
	}
	return "wait"
}

// holds reports whether the gate holds back revisions.
func (g *gate) holds() bool { return g != nil && len(g.Waiting) > 0 }

// stopped ends a promotion that applied ran revisions and stopped at the
// gate: the run did not reach the head, so it is an error naming what
// waits.
func (g *gate) stopped(w io.Writer, t *target, ran int, took time.Duration) error {
	fmt.Fprintf(w, "\nPromotion stopped at the gate: %s applied to %s in %s; %s %s for %s.\n",
		plural(ran, "revision"), t.Name, took, plural(len(g.Waiting), "revision"), waitsVerb(len(g.Waiting)), g.From)
	return g.heldError(t, ran)
}

// planGate is the gate as read-only commands (plan, status) show it: nil
// when t does not promote or nothing is pending; a gate that cannot be
// read is reported through unreadable and not an error, since those
// commands change nothing.
func (a *app) planGate(ctx context.Context, t *target, pending []*revision.Revision) (g *gate, unreadable *gateError) {
	if t.Env == nil || t.Env.PromoteFrom == "" || len(pending) == 0 {
		return nil, nil
	}
	g, err := a.readGate(ctx, t, pending)
	if err != nil {
		var ge *gateError
		if errors.As(err, &ge) {
			return nil, ge
		}
		return nil, &gateError{Target: t.Name, From: t.Env.PromoteFrom, Problem: err.Error()}
	}
	return g, nil
}

// printGate is status's Gate line: which pending revisions the source
// environment has applied and which wait for it (g and ge as planGate
// returns them).
func printGate(w io.Writer, g *gate, ge *gateError) {
	switch {
	case ge != nil:
		fmt.Fprintf(w, "Gate:         unknown: %s cannot be read (%s)\n", ge.From, ge.Problem)
	case g == nil:
	case !g.holds():
		fmt.Fprintf(w, "Gate:         open: %s has applied %s\n", g.From, allOf(len(g.Allowed), "pending revision"))
	default:
		fmt.Fprintf(w, "Gate:         %s %s for %s (promote_from)", plural(len(g.Waiting), "revision"), waitsVerb(len(g.Waiting)), g.From)
		if n := len(g.Allowed); n > 0 {
			fmt.Fprintf(w, "; the %s before may be applied", plural(n, "revision"))
		}
		fmt.Fprintln(w)
		g.writeWaiting(w, "                ")
	}
}

// statusGate is the gate in the status document: null when the
// environment does not promote.
type statusGate struct {
	PromoteFrom string `json:"promote_from"`
	// State is "open" (every pending revision may be applied, or none is
	// pending), "holds" (Waiting wait for the source) or "unknown" (the
	// source cannot be read: Problem says why).
	State   string          `json:"state"`
	Waiting []statusWaiting `json:"waiting_revisions"` // as in plan's document
	Problem string          `json:"problem,omitempty"`
}

// statusWaiting is a pending revision the gate holds back, and why.
type statusWaiting struct {
	Version string `json:"version"`
	Name    string `json:"name"`
	Reason  string `json:"reason"`
}

// statusGateOf is the status document's form of a gate.
func statusGateOf(t *target, g *gate, ge *gateError) *statusGate {
	if t.Env == nil || t.Env.PromoteFrom == "" {
		return nil
	}
	sg := &statusGate{PromoteFrom: t.Env.PromoteFrom, State: "open", Waiting: []statusWaiting{}}
	switch {
	case ge != nil:
		sg.State, sg.Problem = "unknown", ge.Problem
	case g.holds():
		sg.State = "holds"
		for _, wr := range g.Waiting {
			sg.Waiting = append(sg.Waiting, statusWaiting{Version: wr.Rev.Version, Name: wr.Rev.Name(), Reason: wr.Reason})
		}
	}
	return sg
}

func allOf(n int, noun string) string {
	if n == 1 {
		return "the " + noun
	}
	return fmt.Sprintf("all %d %ss", n, noun)
}

// missingSQLite reports whether raw names a database file that does not
// exist (SQLite's), which opening it would create.
func missingSQLite(raw string) bool { return missingDatabase(raw) }

// note is what a skipped gate records in the target's history, "" when
// the gate is not skipped.
func (o gateOptions) note(t *target) string {
	if !o.Skip {
		return ""
	}
	return fmt.Sprintf("skipped the gate of %s: %s", t.Env.PromoteFrom, strings.TrimSpace(o.Reason))
}

// recordOverride records a skipped gate as an event of r in t's history
// (with who and the reason) after r's run, whose error is runErr. A run
// that failed part-way gets it beside its partial record; one that left
// no record (refused before it began, or a rolled-back transaction) ran
// nothing to record it for.
//
// since is when the run began.
func (a *app) recordOverride(ctx context.Context, h *history, r *revision.Revision, note string, since time.Time, runErr error) error {
	if note == "" {
		return runErr
	}
	ctx = context.WithoutCancel(ctx)
	if runErr != nil {
		// The event of this run, if it began: stored times keep
		// microseconds, and the clock is this process's.
		ev, err := h.Store.LastEvent(ctx, r.Version)
		if err != nil || ev == nil || ev.Kind == revision.EventGateOverride || ev.StartedAt.Before(since.Truncate(time.Second)) {
			return runErr
		}
	}
	err := h.Store.RecordEvent(ctx, r.Version, revision.EventGateOverride, note)
	switch {
	case runErr != nil:
		return runErr
	case err != nil:
		return fmt.Errorf("revision %s was applied, but its gate override could not be recorded: %w", r.Name(), err)
	}
	return nil
}
