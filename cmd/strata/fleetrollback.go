package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/revision"
)

// rollbackFleet rolls every target of a fleet back to one revision
// (--to): each undoes what it has applied after it, newest first, through
// the per-database runner; canaries first, then the rest in parallel.
func (a *app) rollbackFleet(ctx context.Context, env *config.Environment, o rollbackOptions) error {
	if o.To == "" {
		return fmt.Errorf("%s is a fleet: its rollback takes --to VERSION (the targets may stand at different revisions, and a rerun after a stopped run must not undo a second revision on those already rolled back); 'strata status --env %s' shows where they stand", env.Name, env.Name)
	}
	dir := revision.Dir{Path: a.migrationsDir(env)}
	revs, err := dir.Load()
	if err != nil {
		return err
	}
	i := slices.IndexFunc(revs, func(r *revision.Revision) bool { return r.Version == o.To || r.Name() == o.To })
	if i < 0 {
		return fmt.Errorf("--to %s is not a revision of %s: 'strata history --env %s' lists them", o.To, dir.Path, env.Name)
	}
	to := revs[i]
	names, err := a.resolveTargets(ctx, env)
	if err != nil {
		return err
	}
	type read struct {
		undo []*revision.Revision
		err  error
	}
	reads := eachTarget(ctx, names, max(env.Fleet.Parallel, fleetReadParallel), func(ctx context.Context, name string) read {
		c, t, _, err := a.openFleetTarget(ctx, env, name)
		if err != nil {
			return read{err: err}
		}
		defer t.Close()
		h, err := c.loadHistoryFor(ctx, t, true)
		if err != nil {
			return read{err: err}
		}
		return read{undo: undoAfter(h, to)}
	})
	// The targets by what they would undo: identical tenants show once.
	type group struct {
		undo    []*revision.Revision
		targets []string
	}
	var groups []*group
	byKey := map[string]*group{}
	irreversible := false
	for i, r := range reads {
		if r.err != nil {
			return fmt.Errorf("read %s of %s: %w; nothing was changed", names[i], env.Name, r.err)
		}
		var key []string
		for _, x := range r.undo {
			key = append(key, x.Version)
			if x.Baseline {
				return fmt.Errorf("%s would roll back %s, the baseline: it is never rolled back (it would drop every object and its data); nothing was changed. Pick a --to at or after it", names[i], x.Name())
			}
			irreversible = irreversible || len(x.DataLoss()) > 0
		}
		k := strings.Join(key, ",")
		g := byKey[k]
		if g == nil {
			g = &group{undo: r.undo}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.targets = append(g.targets, names[i])
	}
	w := a.io.Out
	if len(groups) == 1 && len(groups[0].undo) == 0 {
		fmt.Fprintf(w, "Nothing to roll back: no target of %s has a revision applied after %s.\n", env.Name, to.Name())
		return nil
	}
	fmt.Fprintf(w, "Strata will roll %s back to %s, newest first:\n", env.Name, to.Name())
	shown := map[string]bool{}
	for _, g := range groups {
		fmt.Fprintf(w, "\n== × %s ==\n", plural(len(g.targets), "target"))
		wrapNames(w, "   ", g.targets, 96)
		if len(g.undo) == 0 {
			fmt.Fprintln(w, "   nothing to undo")
			continue
		}
		for _, r := range g.undo {
			fmt.Fprintf(w, "\n  # %s\n", r.Name())
			if shown[r.Version] {
				fmt.Fprintln(w, "      (its statements are shown above)")
				continue
			}
			shown[r.Version] = true
			renderStatements(w, r.Down)
		}
	}
	fmt.Fprintln(w)
	if irreversible && !o.AllowDestructive {
		return fmt.Errorf("rolling back cannot bring back data the revisions removed (marked destructive or irreversible above); nothing was changed. Re-run with --allow-destructive to roll back anyway")
	}
	targetList(w, env, names)
	if err := a.approve(ctx, &target{Name: env.Name, Env: env}, false, applyOptions{AutoApprove: o.AutoApprove, AllowDestructive: o.AllowDestructive}); err != nil {
		return err
	}
	fmt.Fprintln(w)
	rerun := fmt.Sprintf("strata rollback --env %s --to %s", env.Name, to.Version)
	run := &fleetRun{Env: env, Names: names, Verb: "rollback", Report: w, Now: a.io.Now,
		Retry: fmt.Sprintf("Fix the failed ones, then '%s' again: each target undoes only what it still has after %s.", rerun, to.Version),
		One: func(ctx context.Context, name string) (string, string, error) {
			c, t, out, err := a.openFleetTarget(ctx, env, name)
			if err != nil {
				return "", out.String(), err
			}
			defer t.Close()
			ro := o
			ro.AutoApprove = true
			n, err := c.rollbackOn(ctx, t, ro, func(h *history) ([]*revision.Revision, error) { return undoAfter(h, to), nil })
			if err != nil {
				err = &targetError{env: env.Name, name: name, err: err}
			}
			sum := "nothing to undo"
			if n > 0 {
				sum = "rolled back " + plural(n, "revision")
			}
			return sum, forTargetText(out.String(), env.Name, name), err
		}}
	outs := run.run(ctx)
	return run.report(w, outs, ctx.Err() != nil)
}

// undoAfter are the revisions h has applied (or left part-way) after to,
// newest first: what rolling back to it undoes.
func undoAfter(h *history, to *revision.Revision) []*revision.Revision {
	applied := slices.Clone(h.State.Applied)
	if p := h.State.Partial; p != nil {
		applied = append(applied, p)
	}
	var out []*revision.Revision
	for i := len(applied) - 1; i >= 0; i-- {
		if applied[i].Version > to.Version {
			out = append(out, applied[i])
		}
	}
	return out
}
