package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/planner/render"
	"github.com/stratadb/strata/revision"
	"github.com/stratadb/strata/schema"
)

// fleetPosition is where one target stands before a run.
type fleetPosition struct {
	Pending []*revision.Revision
	Partial *revision.Revision
	Drifted bool // the live schema is not its current revision's
	Err     error
}

func (p fleetPosition) behind() bool { return len(p.Pending) > 0 || p.Partial != nil }

// readPositions reads where every target stands; the first one that
// cannot be read stops the run before anything changed.
func (a *app) readPositions(ctx context.Context, env *config.Environment, names []string) ([]fleetPosition, error) {
	ps := eachTarget(ctx, names, max(env.Fleet.Parallel, fleetReadParallel), func(ctx context.Context, name string) fleetPosition {
		c, t, _, err := a.openFleetTarget(ctx, env, name)
		if err != nil {
			return fleetPosition{Err: err}
		}
		defer t.Close()
		h, err := c.loadHistory(ctx, t)
		if err != nil {
			return fleetPosition{Err: err}
		}
		return fleetPosition{Pending: h.State.Pending, Partial: h.State.Partial}
	})
	for i, p := range ps {
		if p.Err != nil {
			return nil, fmt.Errorf("read %s of %s: %w; nothing was changed", names[i], env.Name, p.Err)
		}
	}
	return ps, nil
}

// applyFleet applies to every target of a fleet: schema.hcl is planned
// once, against the first target (the first canary), into one revision in
// the shared directory; then each target replays what it has pending
// (that revision, and any before it) through the per-database runner,
// canaries first.
func (a *app) applyFleet(ctx context.Context, files *config.Files, env *config.Environment, o applyOptions) error {
	var desired *schema.Schema
	var err error
	if env.PromoteFrom == "" && o.Only == "" {
		if desired, err = a.loadDesired(files, env); err != nil {
			return err
		}
	}
	all, err := a.resolveTargets(ctx, env)
	if err != nil {
		return err
	}
	names, err := a.onlyFilter(ctx, env, all, o.Only)
	if err != nil {
		return err
	}
	w := a.io.Out
	if len(names) == 0 {
		fmt.Fprintf(w, "No target of %s has a failed run to retry (of %s); 'strata status --env %s' shows where each stands.\n", env.Name, plural(len(all), "target"), env.Name)
		return nil
	}
	pos, err := a.readPositions(ctx, env, names)
	if err != nil {
		return err
	}
	behind := 0
	for _, p := range pos {
		if p.behind() {
			behind++
		}
	}
	fmt.Fprintf(w, "Fleet %s: %s, %d at the head of %s, %d behind.\n", env.Name, plural(len(names), "target"), len(names)-behind, a.migrationsDir(env), behind)
	if o.Only != "" {
		fmt.Fprintf(w, "Only %s (--only %s); schema.hcl is not planned: each is brought to the head.\n", plural(len(names), "target"), o.Only)
	}
	var r *revision.Revision
	destructive := false
	if desired != nil {
		if r, destructive, err = a.planFleetRevision(ctx, env, names[0], pos[0], desired, o); err != nil {
			return err
		}
	}
	if r == nil && behind == 0 {
		fmt.Fprintf(w, "\nNo changes. Every target is at the head of %s.\n", a.migrationsDir(env))
		return nil
	}
	if r == nil && behind > 0 {
		var revs []*revision.Revision
		seen := map[string]bool{}
		for _, p := range pos {
			for _, x := range append(slices.Clone(p.Pending), p.Partial) {
				if x != nil && !seen[x.Version] {
					seen[x.Version] = true
					revs = append(revs, x)
				}
			}
		}
		slices.SortFunc(revs, func(x, y *revision.Revision) int { return strings.Compare(x.Version, y.Version) })
		fmt.Fprintf(w, "\nThe targets behind replay what they have pending of:\n")
		for _, x := range revs {
			fmt.Fprintf(w, "  %s (%s)\n", x.Name(), plural(len(x.Up), "statement"))
			for _, s := range x.Up {
				for _, hz := range s.Hazards {
					destructive = destructive || strings.HasPrefix(hz, string(planner.Destructive)) && env.Protected
				}
			}
		}
	}
	fmt.Fprintln(w)
	targetList(w, env, names)
	if err := a.approve(ctx, &target{Name: env.Name, Env: env}, destructive, o); err != nil {
		return err
	}
	if r != nil {
		path, err := (revision.Dir{Path: a.migrationsDir(env)}).Write(r)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nRevision %s written to %s; every target replays it.\n", r.Version, path)
	}
	fmt.Fprintln(w)
	run := &fleetRun{Env: env, Names: names, Verb: "apply", Report: w, Now: a.io.Now,
		One: func(ctx context.Context, name string) (string, string, error) {
			return a.applyFleetOne(ctx, env, name, o)
		}}
	outs := run.run(ctx)
	if ctx.Err() == nil {
		a.recordSkipped(ctx, env, outs)
	}
	return run.report(w, outs, ctx.Err() != nil)
}

// planFleetRevision plans schema.hcl against the first target and makes
// the revision every target will replay; nil when there are no changes.
// The first target must be at the head, undrifted: the revision starts
// from its schema, and every other target is refused unless it is there
// too.
func (a *app) planFleetRevision(ctx context.Context, env *config.Environment, ref string, p fleetPosition, desired *schema.Schema, o applyOptions) (*revision.Revision, bool, error) {
	w := a.io.Out
	if p.behind() {
		fmt.Fprintf(w, "\n%s (the first target) is behind %s: this run brings the targets to the head; schema.hcl is planned by the next apply, once it is there.\n", ref, a.migrationsDir(env))
		return nil, false, nil
	}
	c, t, out, err := a.openFleetTarget(ctx, env, ref)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", ref, err)
	}
	defer t.Close()
	h, err := c.loadHistory(ctx, t)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", ref, err)
	}
	if cur := h.State.Current(); cur != nil {
		live, err := t.inspect(ctx, t.Reader)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", ref, err)
		}
		if live.Hash() != cur.ToHash {
			return nil, false, fmt.Errorf("%s, the first target (schema.hcl is planned against it), has drifted from %s; nothing was changed. "+
				"'strata drift --env %s --target %s' shows the difference: undo it, or name another target first in canary", ref, cur.Name(), env.Name, ref)
		}
	}
	pl, err := makePlan(ctx, t, desired, a.opts.MaxCountRows)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", ref, err)
	}
	if s := strings.TrimSpace(out.String()); s != "" {
		fmt.Fprintln(a.io.Err, s)
	}
	if pl.Plan.Empty() {
		return nil, false, nil
	}
	fmt.Fprintf(w, "\nschema.hcl, planned against %s (the first target); every target replays the same revision and is refused, with nothing run, if its schema is not where it starts:\n\n", ref)
	if err := render.Text(w, pl.Plan, render.TextOptions{Color: a.io.Color()}); err != nil {
		return nil, false, err
	}
	if n := failingHazards(pl.Plan); n > 0 {
		return nil, false, fmt.Errorf("the plan would fail on %s's data (%s marked \"will fail\" above); nothing was changed. Fix those rows first, then plan again", ref, plural(n, "hazard"))
	}
	r, err := a.newRevision(t, pl, o.Name)
	if err != nil {
		return nil, false, err
	}
	return r, pl.Plan.HasHazard(planner.Destructive), nil
}

// applyFleetOne brings one target to the head of the directory.
func (a *app) applyFleetOne(ctx context.Context, env *config.Environment, name string, o applyOptions) (string, string, error) {
	c, t, out, err := a.openFleetTarget(ctx, env, name)
	if err != nil {
		return "", out.String(), err
	}
	defer t.Close()
	o.AutoApprove = true
	sum, err := c.catchUp(ctx, t, o)
	if err != nil {
		err = &targetError{env: env.Name, name: name, err: err}
	}
	if err != nil && ctx.Err() == nil {
		// A lock another run holds is not this target's failure: that
		// run records its own outcome.
		var lh *dialect.LockHeldError
		if !errors.As(err, &lh) {
			c.recordRefusal(ctx, t, err)
		}
	}
	return sum, forTargetText(out.String(), env.Name, name), err
}

// targetError is an error of one target's run. The runner's messages name
// the environment and the commands to run next ("strata drift --env
// prod"): on a fleet those need the target too.
type targetError struct {
	env, name string
	err       error
}

func (e *targetError) Error() string { return forTargetText(e.err.Error(), e.env, e.name) }
func (e *targetError) Unwrap() error { return e.err }

// forTargetText makes the commands a runner's text suggests for env name
// the one target.
func forTargetText(s, env, name string) string {
	return strings.ReplaceAll(s, "--env "+env+"'", "--env "+env+" --target "+name+"'")
}

// catchUp runs on t what it has to run: a partial revision finished, then
// the pending ones replayed (a promotion through its gate).
func (a *app) catchUp(ctx context.Context, t *target, o applyOptions) (string, error) {
	unlock, err := a.startRun(ctx, t)
	if err != nil {
		return "", err
	}
	defer unlock()
	h, err := a.loadHistory(ctx, t)
	if err != nil {
		return "", err
	}
	var did []string
	if p := h.State.Partial; p != nil {
		if err := a.resume(ctx, t, h, o); err != nil {
			return "", err
		}
		did = append(did, "resumed "+p.Name())
		if h, err = a.loadHistory(ctx, t); err != nil {
			return "", err
		}
		o.resumed = true
	}
	pending := h.State.Pending
	if len(pending) == 0 {
		if len(did) == 0 {
			return "already at the head", nil
		}
		return strings.Join(did, ", "), nil
	}
	if t.Env.PromoteFrom != "" {
		if err := a.promote(ctx, t, h, o); err != nil {
			return "", err
		}
	} else {
		if err := a.checkFromHash(ctx, t, pending[0]); err != nil {
			return "", err
		}
		p, err := a.planPromotion(ctx, t, h, pending, nil, false)
		if err != nil {
			return "", err
		}
		if err := render.PromotionText(a.io.Out, p.Promotion, render.TextOptions{}); err != nil {
			return "", err
		}
		if err := p.check(t.Name); err != nil {
			return "", err
		}
		if err := a.replayPromotion(ctx, t, h, p); err != nil {
			return "", err
		}
	}
	n := 0
	for _, r := range pending {
		n += len(r.Up)
	}
	what := "applied " + pending[0].Name()
	if len(pending) > 1 {
		what = "applied " + plural(len(pending), "revision")
	}
	did = append(did, fmt.Sprintf("%s (%s)", what, plural(n, "statement")))
	return strings.Join(did, ", "), nil
}
