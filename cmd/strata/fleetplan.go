package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/stratadb/strata/config"
)

// fleetPlanDoc is `strata plan --format json` on a fleet (json.md).
type fleetPlanDoc struct {
	FormatVersion string           `json:"format_version"`
	Environment   string           `json:"environment"`
	Targets       int              `json:"targets"`
	Groups        []fleetPlanGroup `json:"groups"`
}

// fleetPlanGroup is the targets of one live schema and its plan.
type fleetPlanGroup struct {
	LiveHash string   `json:"live_hash"`
	Targets  []string `json:"targets"`
	// Behind are the targets of the group with revisions pending: apply
	// replays those instead of this plan.
	Behind []string `json:"behind"`
	// PlannedOn is the target the plan was made (and its hazards
	// counted) on.
	PlannedOn string          `json:"planned_on"`
	Plan      json.RawMessage `json:"plan"`
}

// planFleet plans schema.hcl once per distinct live schema of a fleet and
// shows each plan with the targets it is for: a thousand identical
// tenants make one plan.
func (a *app) planFleet(ctx context.Context, files *config.Files, env *config.Environment, o planOptions) error {
	if o.Out != "" {
		return fmt.Errorf("%s is a fleet: its plan is not saved to a file ('strata apply --env %s' plans once and asks before it runs); --target NAME saves one target's plan", env.Name, env.Name)
	}
	if env.PromoteFrom != "" {
		return fmt.Errorf("%s promotes from %s: the plan of a promoting fleet is each target's pending revisions; pass --target NAME to see one, or 'strata status --env %s' for where each stands", env.Name, env.PromoteFrom, env.Name)
	}
	write, err := renderer(o.Format, a.io.Color())
	if err != nil {
		return err
	}
	desired, err := a.loadDesired(files, env)
	if err != nil {
		return err
	}
	names, err := a.resolveTargets(ctx, env)
	if err != nil {
		return err
	}
	type read struct {
		hash   string
		behind bool
		err    error
	}
	reads := eachTarget(ctx, names, max(env.Fleet.Parallel, fleetReadParallel), func(ctx context.Context, name string) read {
		c, t, _, err := a.openFleetTarget(ctx, env, name)
		if err != nil {
			return read{err: err}
		}
		defer t.Close()
		live, err := t.inspect(ctx, t.Reader)
		if err != nil {
			return read{err: err}
		}
		h, err := c.loadHistory(ctx, t)
		if err != nil {
			return read{err: err}
		}
		return read{hash: live.Hash(), behind: len(h.State.Pending) > 0 || h.State.Partial != nil}
	})
	var groups []*fleetPlanGroup
	byHash := map[string]*fleetPlanGroup{}
	for i, r := range reads {
		if r.err != nil {
			return fmt.Errorf("read %s of %s: %w", names[i], env.Name, r.err)
		}
		g := byHash[r.hash]
		if g == nil {
			g = &fleetPlanGroup{LiveHash: r.hash, PlannedOn: names[i], Behind: []string{}}
			byHash[r.hash] = g
			groups = append(groups, g)
		}
		g.Targets = append(g.Targets, names[i])
		if r.behind {
			g.Behind = append(g.Behind, names[i])
		}
	}
	text := o.Format == "text" || o.Format == ""
	if text {
		fmt.Fprintf(a.io.Out, "Fleet %s: %s, %s.\n", env.Name, plural(len(names), "target"), plural(len(groups), "distinct live schema"))
	}
	changes := false
	for _, g := range groups {
		_, t, out, err := a.openFleetTarget(ctx, env, g.PlannedOn)
		if err != nil {
			return err
		}
		pl, err := makePlan(ctx, t, desired, a.opts.MaxCountRows)
		t.Close()
		if s := out.String(); s != "" {
			fmt.Fprint(a.io.Err, s)
		}
		if err != nil {
			return fmt.Errorf("plan %s: %w", g.PlannedOn, err)
		}
		changes = changes || !pl.Plan.Empty() || len(g.Behind) > 0
		var b bytes.Buffer
		if err := write(&b, pl.Plan); err != nil {
			return err
		}
		if !text {
			if o.Format == "json" {
				g.Plan = json.RawMessage(bytes.TrimSpace(b.Bytes()))
				continue
			}
			fmt.Fprintf(a.io.Out, "-- × %s: %s\n", plural(len(g.Targets), "target"), shortList(g.Targets, 10))
			a.io.Out.Write(b.Bytes())
			continue
		}
		fmt.Fprintf(a.io.Out, "\n== Plan × %s (hazards counted on %s) ==\n", plural(len(g.Targets), "target"), g.PlannedOn)
		wrapNames(a.io.Out, "   ", g.Targets, 96)
		if n := len(g.Behind); n > 0 {
			fmt.Fprintf(a.io.Out, "   %s of them %s behind %s: apply replays their pending revisions instead ('strata status --env %s').\n",
				plural(n, "target"), map[bool]string{true: "is", false: "are"}[n == 1], a.migrationsDir(env), env.Name)
		}
		if g != groups[0] {
			fmt.Fprintf(a.io.Out, "   apply plans schema.hcl against %s and replays that one revision everywhere: it is refused on these, whose schema differs, until they are made like %s.\n", names[0], names[0])
		}
		fmt.Fprintln(a.io.Out)
		a.io.Out.Write(b.Bytes())
	}
	if o.Format == "json" {
		doc := fleetPlanDoc{FormatVersion: jsonFormatVersion, Environment: env.Name, Targets: len(names)}
		for _, g := range groups {
			doc.Groups = append(doc.Groups, *g)
		}
		if err := writeJSON(a.io.Out, doc); err != nil {
			return err
		}
	}
	if o.DetailedExitcode && changes {
		return &exitCodeError{code: exitChanges}
	}
	return nil
}
