package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/planner/render"
	"github.com/stratadb/strata/revision"
	"github.com/stratadb/strata/schema"
)

// promotion is the plan of an environment that promotes: what it would
// replay, sized on its rows, and whether it drifted. deferred are the
// hazards of a later revision that an earlier one of the same promotion
// changes the rows or table of: they are counted when apply reaches it.
type promotion struct {
	*render.Promotion
	pending  []*revision.Revision
	deferred map[int][]*planner.Hazard // index in pending → its hazards counted then
	// override, when not "", is the note of a skipped gate, recorded on
	// each revision this promotion runs (gate.go).
	override string
}

// planPromotion builds the plan of an environment that promotes: the
// revisions it would replay (a partial one first) with their hazards
// counted on t's rows, and, when the live schema is not the one its
// history expects, the drift as a plan of what schema.hcl would change.
// forPlan false (apply, which has refused a drift already) skips that
// plan and the description of the changes from schema.hcl.
//
// pending are the revisions the promote_from gate lets through (all of
// h's pending ones without a gate); g, when read, names those that wait.
func (a *app) planPromotion(ctx context.Context, t *target, h *history, pending []*revision.Revision, g *gate, forPlan bool) (*promotion, error) {
	live, err := t.inspect(ctx, t.Reader)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", t.Redacted, err)
	}
	liveHash := live.Hash()
	done := 0 // statements of the partial revision that ran
	if h.State.Partial != nil {
		pending = append([]*revision.Revision{h.State.Partial}, pending...)
		if h.State.PartialRecord != nil {
			done = h.State.PartialRecord.Done
		}
	}
	p := &promotion{
		Promotion: &render.Promotion{Environment: t.Name, Dir: h.Dir.Path, FromHash: liveHash, ToHash: liveHash, Rules: hazardRules(t.Dialect)},
		pending:   pending,
		deferred:  map[int][]*planner.Hazard{},
	}
	if t.Env != nil {
		p.Source = t.Env.PromoteFrom
	}
	if g != nil {
		p.Gate = &render.Gate{From: g.From}
		for _, wr := range g.Waiting {
			p.Gate.Waiting = append(p.Gate.Waiting, render.Waiting{Version: wr.Rev.Version, Name: wr.Rev.Name(), Reason: wr.Reason})
		}
	}
	cur := h.State.Current()
	// The schema the history expects now: where the first pending
	// revision starts, else where the current one ended. A partial run
	// settles its own statements (per-statement hashes), so it is not
	// compared here.
	expected := ""
	switch {
	case h.State.Partial != nil:
	case len(pending) > 0:
		expected = pending[0].FromHash
	case cur != nil:
		expected = cur.ToHash
	}
	switch {
	case len(pending) > 0 && pending[len(pending)-1].ToHash != "":
		p.ToHash = pending[len(pending)-1].ToHash
	case expected != "":
		p.ToHash = expected
	}

	teller, _ := t.Dialect.(dialect.TableTeller)
	for i, r := range pending {
		pr := render.PromotedRevision{Version: r.Version, Name: r.Name(), PlannedOn: r.Env, HandWritten: r.HandWritten, Baseline: r.Baseline, Author: r.Author, Created: r.Created,
			FromHash: r.FromHash, ToHash: r.ToHash, Partial: i == 0 && h.State.Partial != nil}
		for _, s := range r.Up {
			ps := render.PromotedStatement{SQL: s.SQL, Comment: s.Comment}
			if teller != nil {
				if tables, ok := teller.StatementTables(s.SQL); ok && len(tables) > 0 {
					ps.ObjectType, ps.Object = planner.ObjectTable, tables[0]
				}
			}
			for k, text := range s.Hazards {
				hz := parseHazard(text)
				if k < len(s.Checks) && s.Checks[k] != nil {
					c := *s.Checks[k]
					hz.Check = &c
				}
				ps.Hazards = append(ps.Hazards, hz)
			}
			pr.Statements = append(pr.Statements, ps)
		}
		p.Revisions = append(p.Revisions, pr)
	}
	if err := routePromotion(ctx, t, live, pending, p.Revisions); err != nil {
		return nil, err
	}
	if expected != "" && liveHash != expected {
		// A difference that may be only what the user cannot see is not
		// drift to report.
		if err := driftSeen(t, live, liveHash, expected); err != nil {
			return nil, err
		}
	} else {
		a.describe(t, live, p, forPlan)
	}

	var count []*planner.Hazard
	// changed: tables an earlier revision of this promotion touches; any
	// when one of its statements cannot be told (data migrations, views).
	changed, changedAny := map[string]string{}, ""
	for i, r := range pending {
		pr := &p.Revisions[i]
		for j := range pr.Statements {
			ps := &pr.Statements[j]
			for k := range ps.Hazards {
				hz := &ps.Hazards[k]
				if hz.Check == nil {
					continue
				}
				switch {
				case pr.Partial && j < done:
					hz.Skipped = "this statement already ran"
				case changedAny != "" && hz.Check.Kind != planner.CountSize:
					// A statement Strata cannot attribute to tables (a data
					// migration, a view) runs first: the rows are known
					// only once it ran. (A table's size is the server's
					// estimate either way.)
					hz.Skipped = fmt.Sprintf("%s runs first and may change the rows of %s: counted when apply reaches this revision", changedAny, quoteName(t.Dialect, hz.Check.Table))
					p.deferred[i] = append(p.deferred[i], hz)
				default:
					// An earlier revision's DDL on the table: counted now,
					// and again when apply reaches this revision.
					if changed[hz.Check.Table] != "" {
						p.deferred[i] = append(p.deferred[i], hz)
					}
					if why := missingOn(live, hz.Check, t.Name, quoterOf(t.Dialect)); why != "" {
						hz.Skipped = why
						if changed[hz.Check.Table] != "" {
							hz.Skipped += fmt.Sprintf(" (%s makes it): counted when apply reaches this revision", changed[hz.Check.Table])
						}
						continue
					}
					count = append(count, hz)
				}
			}
		}
		// What this revision touches is changed for the ones after it.
		for _, s := range r.Up {
			tables, told := []string(nil), false
			if teller != nil {
				tables, told = teller.StatementTables(s.SQL)
			}
			if !told && changedAny == "" {
				changedAny = "the earlier pending revision " + r.Name()
			}
			for _, tb := range tables {
				if changed[tb] == "" {
					changed[tb] = "the earlier pending revision " + r.Name()
				}
			}
		}
	}
	if err := countChecks(ctx, t, count, a.opts.MaxCountRows); err != nil {
		return nil, err
	}
	if p.Changes != nil {
		// The description's hazards carry the revisions' figures.
		figures := map[string]planner.Hazard{}
		for _, hz := range p.Hazards() {
			if k := string(hz.Kind) + ": " + hz.Message; hz.Check != nil {
				if _, seen := figures[k]; !seen {
					figures[k] = hz
				}
			}
		}
		for _, st := range p.Changes.Steps {
			for k := range st.Hazards {
				if f, ok := figures[string(st.Hazards[k].Kind)+": "+st.Hazards[k].Message]; ok {
					st.Hazards[k].Rows, st.Hazards[k].Bytes, st.Hazards[k].Skipped = f.Rows, f.Bytes, f.Skipped
				}
			}
		}
	}

	if expected != "" && liveHash != expected {
		d := &render.Drift{Expected: expected, Live: liveHash}
		if cur != nil {
			d.Revision = cur.Name()
		}
		if forPlan {
			a.driftPlan(ctx, t, d)
			if cur == nil && h.State.Partial == nil && len(pending) > 0 {
				// Nothing applied yet: not a change to undo, but a
				// database the history does not start from.
				d.Fix = notAtStartFix(t, live, pending[0], false) + "."
			}
		}
		p.Drift = d
	}
	return p, nil
}

// describe plans the desired schema (schema.hcl) against the live one
// when it is exactly the schema the pending revisions lead to: that plan
// has the same changes and hazards as the revisions. It names the counts
// of hazards that a revision file written before files kept them (-- check:
// lines) does not (a hazard of the same text gets its check), and with
// changes it becomes the promotion's description of what changes. Nothing
// is connected or printed: a schema that does not load or match leaves
// the promotion as the revisions say it.
func (a *app) describe(t *target, live *schema.Schema, p *promotion, changes bool) {
	missing := false
	for _, r := range p.Revisions {
		for _, s := range r.Statements {
			for _, hz := range s.Hazards {
				if hz.Check == nil && hz.Kind != planner.Irreversible {
					missing = true
				}
			}
		}
	}
	if (!missing && !changes) || len(p.Revisions) == 0 || p.ToHash == "" {
		return
	}
	path := a.schemaPath(t.Env)
	if _, err := os.Stat(path); err != nil {
		return
	}
	desired, diags := config.NewFiles().LoadSchema(path)
	if !diags.HasErrors() {
		t.excludeDesired(desired)
	}
	if diags.HasErrors() || t.Dialect.Normalize(desired) != nil || desired.Hash() != p.ToHash {
		return
	}
	pl, err := planner.Build(live, desired, planner.Diff(live, desired, t.Dialect), towards(t.Dialect, desired), t.genOptions())
	if err != nil || pl.Empty() {
		return
	}
	if changes {
		p.Changes = pl
	}
	checks := map[string]*planner.DataCheck{} // "kind: message" → check
	for _, h := range pl.DataChecks() {
		checks[string(h.Kind)+": "+h.Message] = h.Check
	}
	for i := range p.Revisions {
		for j := range p.Revisions[i].Statements {
			hs := p.Revisions[i].Statements[j].Hazards
			for k := range hs {
				if c := checks[string(hs[k].Kind)+": "+hs[k].Message]; hs[k].Check == nil && c != nil {
					cc := *c
					hs[k].Check = &cc
				}
			}
		}
	}
}

// driftPlan puts on d what schema.hcl would change on the live database,
// or says why it cannot.
func (a *app) driftPlan(ctx context.Context, t *target, d *render.Drift) {
	path := a.schemaPath(t.Env)
	if _, err := os.Stat(path); err != nil {
		d.Note = fmt.Sprintf("There is no %s to show the difference with; 'strata inspect --env %s' prints the live schema.", path, t.Name)
		return
	}
	desired, err := a.loadDesired(config.NewFiles(), t.Env)
	if err != nil {
		d.Note = fmt.Sprintf("%s does not load (see above), so the difference cannot be shown.", path)
		return
	}
	pl, err := makePlan(ctx, t, desired, a.opts.MaxCountRows)
	if err != nil {
		d.Note = fmt.Sprintf("The difference could not be planned: %v.", err)
		return
	}
	d.Plan = pl.Plan
	if pl.Plan.ToHash != d.Expected {
		d.Note = fmt.Sprintf("Note: %s is not the schema the history expects here (it holds pending revisions or later edits), so the plan below holds more than the drift.", path)
		d.Fix = fmt.Sprintf("Undo the change made outside Strata on %s by hand, then plan again; 'strata drift --env %s' compares with the current revision.", t.Name, t.Name)
		return
	}
	url := "URL"
	if t.Env != nil && t.Env.URLVar != "" {
		url = `"$` + t.Env.URLVar + `"`
	}
	d.Fix = fmt.Sprintf("To undo the drift, run that SQL on %s ('strata apply --url %s' does, recording nothing), then plan again. To keep the change instead, put it in %s, apply it on %s and promote the revision.",
		t.Name, url, path, a.promoteRoot(t))
}

// missingOn says why check cannot be counted on live: its table or a
// column is not there yet (an earlier revision of the promotion makes it).
func missingOn(live *schema.Schema, c *planner.DataCheck, env string, quote func(string) string) string {
	qname := quote
	if qname == nil {
		qname = planner.QuoteStandard
	}
	tb := live.Table(c.Table)
	if tb == nil {
		return fmt.Sprintf("table %s is not on %s yet", qname(c.Table), env)
	}
	for _, col := range c.Columns {
		if tb.Column(col) == nil {
			return fmt.Sprintf("column %s.%s is not on %s yet", qname(c.Table), qname(col), env)
		}
	}
	if c.RefTable != "" && live.Table(c.RefTable) == nil {
		return fmt.Sprintf("table %s is not on %s yet", qname(c.RefTable), env)
	}
	return ""
}

// parseHazard reads a revision's "kind: message" hazard text.
func parseHazard(text string) planner.Hazard {
	kind, msg, ok := strings.Cut(text, ": ")
	switch planner.HazardKind(kind) {
	case planner.Destructive, planner.DataDependent, planner.Locking, planner.Irreversible:
		if ok {
			return planner.Hazard{Kind: planner.HazardKind(kind), Message: msg}
		}
	}
	return planner.Hazard{Kind: planner.DataDependent, Message: text}
}

// failing counts the hazards of a promotion whose count on the target
// shows that their statement would fail.
func (p *promotion) failing() int {
	n := 0
	for _, h := range p.Hazards() {
		if hazardFails(h) {
			n++
		}
	}
	return n
}

// writePromotion renders a promotion in --format.
func (a *app) writePromotion(p *promotion, format string) error {
	switch format {
	case "sql":
		return render.PromotionSQL(a.io.Out, p.Promotion)
	case "json":
		return render.PromotionJSON(a.io.Out, p.Promotion)
	case "markdown", "md":
		return render.PromotionMarkdown(a.io.Out, p.Promotion)
	}
	return render.PromotionText(a.io.Out, p.Promotion, render.TextOptions{Color: a.io.Color()})
}

// planPromoting is 'strata plan' on an environment that promotes.
func (a *app) planPromoting(ctx context.Context, t *target, o planOptions) error {
	h, err := a.loadHistory(ctx, t)
	if err != nil {
		return err
	}
	pending := h.State.Pending
	g, ge := a.planGate(ctx, t, pending)
	if g != nil {
		pending = g.Allowed
	}
	if ge != nil {
		fmt.Fprintf(a.io.Err, "Warning: %s.\n", ge.warning())
	}
	p, err := a.planPromotion(ctx, t, h, pending, g, true)
	if err != nil {
		return err
	}
	if err := a.writePromotion(p, o.Format); err != nil {
		return err
	}
	if n := p.failing(); n > 0 && p.Drift == nil {
		fmt.Fprintf(a.io.Err, "\nThis promotion would fail on %s's data (%s marked \"will fail\"): apply refuses it until those rows are fixed.\n", t.Name, plural(n, "hazard"))
	}
	if o.DetailedExitcode && !p.Empty() {
		return &exitCodeError{code: exitChanges}
	}
	return nil
}

// errPromotionFails is a promotion refused on the target's data.
var errPromotionFails = errors.New("promotion would fail")

// check refuses a promotion whose counted hazards show that it
// would fail, before any statement runs.
func (p *promotion) check(env string) error {
	if n := p.failing(); n > 0 {
		return fmt.Errorf("%w on %s's data (%s marked \"will fail\" above); nothing was run. Fix those rows on %s first, then plan again", errPromotionFails, env, plural(n, "hazard"), env)
	}
	return nil
}

// replayPromotion runs a promotion's revisions in order. Before each
// revision whose hazards waited for an earlier one, it counts them on the
// rows as they are now and stops before the revision's first statement
// when they show it would fail.
func (a *app) replayPromotion(ctx context.Context, t *target, h *history, p *promotion) error {
	for i, r := range p.pending {
		if ctx.Err() != nil {
			// Ctrl-C during the revision before: it finished, and
			// nothing more starts.
			return interruptedBetween(t, i, len(p.pending), "applied to", "strata apply --env "+t.Name)
		}
		if hz := p.deferred[i]; len(hz) > 0 {
			live, err := t.inspect(ctx, t.Reader)
			if err != nil {
				return fmt.Errorf("inspect %s: %w", t.Redacted, err)
			}
			var count []*planner.Hazard
			for _, x := range hz {
				// The figures of plan time, if any, are of rows that
				// have changed since.
				x.Rows, x.Bytes, x.Skipped = nil, nil, ""
				if why := missingOn(live, x.Check, t.Name, quoterOf(t.Dialect)); why != "" {
					x.Skipped = why
					continue
				}
				count = append(count, x)
			}
			if err := countChecks(ctx, t, count, a.opts.MaxCountRows); err != nil {
				return err
			}
			var fails []string
			for _, x := range hz {
				if hazardFails(*x) {
					fails = append(fails, "  ! "+string(x.Kind)+": "+render.HazardMessage(*x, hazardRules(t.Dialect)))
				}
			}
			if len(fails) > 0 {
				return fmt.Errorf("%w at revision %s on %s's data, as counted once the revisions before it ran; it did not start (%s before it applied):\n%s\nFix those rows, then rerun 'strata apply --env %s'",
					errPromotionFails, r.Name(), t.Name, plural(i, "revision"), strings.Join(fails, "\n"), t.Name)
			}
		}
		fmt.Fprintf(a.io.Out, "Applying revision %s (%s)\n", r.Name(), plural(len(r.Up), "statement"))
		began := time.Now()
		err := a.runRevision(ctx, t, h, r)
		if err := a.recordOverride(ctx, h, r, p.override, began, err); err != nil {
			return err
		}
	}
	return nil
}

// warnDrift tells, on stderr, that an environment with nothing to promote
// has drifted from the schema its current revision left.
func (a *app) warnDrift(ctx context.Context, t *target, h *history) error {
	cur := h.State.Current()
	if cur == nil || cur.ToHash == "" {
		return nil
	}
	live, err := liveHash(t)(ctx)
	if err != nil {
		return err
	}
	if live != cur.ToHash {
		fmt.Fprintf(a.io.Err, "Warning: %s has drifted: its live schema (%.12s) is not the one %s left (%.12s); the next promotion is refused until it is. 'strata plan --env %s' shows the difference.\n",
			t.Name, live, cur.Name(), cur.ToHash, t.Name)
	}
	return nil
}

// promoteRoot names the environment revisions for t are made on: the
// start of its promote_from chain (dev for staging and prod).
func (a *app) promoteRoot(t *target) string {
	name := "dev"
	if t.Env == nil || t.Env.PromoteFrom == "" {
		return name
	}
	name = t.Env.PromoteFrom
	seen := map[string]bool{t.Name: true}
	for !seen[name] {
		seen[name] = true
		env, _ := config.NewFiles().LoadEnvironment(".", name, a.io.Getenv)
		if env == nil || env.PromoteFrom == "" {
			break
		}
		name = env.PromoteFrom
	}
	return name
}
