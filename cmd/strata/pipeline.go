package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

// genOptions are the generation options of t's environment: online
// unless its ddl block says online = false (an ad hoc --url run is online).
// Online asks for ALGORITHM=INSTANT on MySQL wherever the dialect knows the
// server does the change without touching rows (it is conservative: a
// clause it is unsure of gets no algorithm, and the server picks), and for
// the busy-database forms on PostgreSQL (CONCURRENTLY, NOT VALID).
func (t *target) genOptions() dialect.GenOptions {
	if t.Env == nil {
		return dialect.GenOptions{Online: true}
	}
	return dialect.GenOptions{Online: t.Env.DDL.Online}
}

// transactional reports whether t's dialect runs a revision in a
// transaction (SQLite, PostgreSQL): statements that cannot run in one are
// then marked in the revision to run as their own steps.
func (t *target) transactional() bool {
	_, ok := t.Dialect.(dialect.TxApplier)
	return ok
}

// planned is a plan with the models it was made from.
type planned struct {
	Current *schema.Schema
	Desired *schema.Schema
	Plan    *planner.Plan
}

// makePlan inspects the target, normalizes the desired schema for its
// server, diffs, lets the server canonicalize what code could not for the
// tables that still differ, builds the plan, and sizes its hazards on the
// live data (skipping tables of more than maxCountRows rows; a negative
// maxCountRows counts nothing).
func makePlan(ctx context.Context, t *target, desired *schema.Schema, maxCountRows int64) (*planned, error) {
	current, err := t.inspect(ctx, t.Reader)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", t.Redacted, err)
	}
	t.excludeDesired(desired)
	if err := triggersSeen(current, desired); err != nil {
		return nil, err
	}
	if err := t.Dialect.Normalize(desired); err != nil {
		return nil, locate(t.Files, err)
	}
	changes := planner.Diff(current, desired, t.Dialect)
	if c, ok := t.Dialect.(dialect.Canonicalizer); ok && len(changes) > 0 {
		if tables := touchedTables(changes); len(tables) > 0 {
			probe, _, err := t.probeConn(ctx)
			if err != nil {
				return nil, err
			}
			if err := c.Canonicalize(ctx, probe, tables); err != nil {
				if !t.warnNotPermitted(err) {
					return nil, fmt.Errorf("ask the server for its canonical form: %w", err)
				}
			}
			changes = planner.Diff(current, desired, t.Dialect)
		}
	}
	if c, ok := t.Dialect.(dialect.ViewCanonicalizer); ok && len(changes) > 0 {
		if views := touchedViews(changes); len(views) > 0 {
			probe, sc, err := t.probeConn(ctx)
			if err != nil {
				return nil, err
			}
			if sc != nil {
				// The scratch database is empty: what the views read is
				// created there first, as the desired schema has it.
				cleanup, err := sc.prepareViews(ctx, desired, views)
				if err != nil {
					return nil, fmt.Errorf("prepare the views' tables in dev_url %s: %w", sc.Redacted, err)
				}
				defer cleanup()
			}
			if err := c.CanonicalizeViews(ctx, probe, views); err != nil {
				if !t.warnNotPermitted(err) {
					return nil, fmt.Errorf("ask the server for its rendering of views: %w", err)
				}
			}
			changes = planner.Diff(current, desired, t.Dialect)
		}
	}
	p, err := planner.Build(current, desired, changes, towards(t.Dialect, desired), t.genOptions())
	if err != nil {
		return nil, err
	}
	if maxCountRows >= 0 {
		if err := countHazards(ctx, t, p, maxCountRows); err != nil {
			return nil, err
		}
	}
	if err := routePlan(ctx, t, current, p); err != nil {
		return nil, err
	}
	return &planned{Current: current, Desired: desired, Plan: p}, nil
}

// locate prefixes an error about a declared object with where it is
// declared (file:line:col), when the schema's sources are at hand.
func locate(files *config.Files, err error) error {
	var ue *dialect.UnsupportedError
	if files == nil || !errors.As(err, &ue) {
		return err
	}
	if p, ok := files.Declarations()[config.Decl{Type: ue.Kind, Name: ue.Name}]; ok {
		return fmt.Errorf("%s:%d:%d: %w", p.File, p.Line, p.Column, err)
	}
	return err
}

// downPlan is the plan that undoes pl: from its desired schema back to the
// live one it was made against.
func downPlan(t *target, pl *planned) (*planner.Plan, error) {
	return planner.BuildReverse(pl.Current, pl.Desired, towards(t.Dialect, pl.Current), t.genOptions())
}

// towards returns the dialect to generate a plan towards s with.
func towards(d dialect.Dialect, s *schema.Schema) dialect.Dialect {
	if ta, ok := d.(dialect.TargetAware); ok {
		return ta.WithTarget(s)
	}
	return d
}

// touchedTables are the desired tables that a change creates or alters.
func touchedTables(changes []schema.Change) []*schema.Table {
	var tables []*schema.Table
	seen := map[*schema.Table]bool{}
	add := func(t *schema.Table) {
		if t != nil && !seen[t] {
			seen[t] = true
			tables = append(tables, t)
		}
	}
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.AddTable:
			add(c.T)
		case *schema.AlterTable:
			add(c.To)
		}
	}
	return tables
}

// touchedViews are the desired views that a change creates or replaces.
func touchedViews(changes []schema.Change) []*schema.View {
	var views []*schema.View
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.AddView:
			views = append(views, c.V)
		case *schema.ModifyView:
			views = append(views, c.To)
		}
	}
	return views
}
