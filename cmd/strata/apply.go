package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/planner/render"
)

type applyOptions struct {
	AutoApprove      bool
	AllowDestructive bool
	Name             string
}

func newApplyCmd(a *app) *cobra.Command {
	var o applyOptions
	cmd := &cobra.Command{
		Use:   "apply [PLANFILE]",
		Short: "Apply the desired schema (or a saved plan) to the database",
		Long: `Plan the changes, show them, ask for confirmation and apply them. With a
PLANFILE from 'strata plan --out', run exactly that plan, refusing it when
the database has changed since it was made.`,
		Example: `  strata apply --env dev
  strata apply --env dev --auto-approve --allow-destructive
  strata plan --env prod --out prod.plan && strata apply --env prod prod.plan`,
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
	return cmd
}

func (a *app) apply(ctx context.Context, o applyOptions) error {
	files := config.NewFiles()
	t, err := a.openTarget(ctx, files)
	if err != nil {
		return err
	}
	defer t.Close()
	desired, err := a.loadDesired(files, t.Env)
	if err != nil {
		return err
	}
	unlock, err := a.lock(ctx, t)
	if err != nil {
		return err
	}
	defer unlock()
	pl, err := makePlan(ctx, t, desired)
	if err != nil {
		return err
	}
	if pl.Plan.Empty() {
		return render.Text(a.io.Out, pl.Plan, render.TextOptions{Color: a.io.Color()})
	}
	if err := render.Text(a.io.Out, pl.Plan, render.TextOptions{Color: a.io.Color()}); err != nil {
		return err
	}
	if err := a.approve(t, pl.Plan.HasHazard(planner.Destructive), o); err != nil {
		return err
	}
	return a.execute(ctx, t, pl.Plan.Statements())
}

func (a *app) applySaved(ctx context.Context, path string, o applyOptions) error {
	sp, err := loadSavedPlan(path)
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
	unlock, err := a.lock(ctx, t)
	if err != nil {
		return err
	}
	defer unlock()
	live, err := t.Dialect.Inspect(ctx, t.Conn)
	if err != nil {
		return err
	}
	if h := live.Hash(); h != sp.FromHash {
		return fmt.Errorf("%s is stale: the database changed since it was planned (schema %.12s, plan made from %.12s); nothing was run. Plan again", path, h, sp.FromHash)
	}
	fmt.Fprintf(a.io.Out, "Applying the saved plan %s (%d statements).\n", path, len(sp.Statements))
	if err := a.approve(t, sp.Destructive, o); err != nil {
		return err
	}
	return a.execute(ctx, t, sp.Statements)
}

// approve refuses destructive plans without --allow-destructive and asks the
// person at the terminal unless --auto-approve.
func (a *app) approve(t *target, destructive bool, o applyOptions) error {
	if destructive && !o.AllowDestructive {
		return errors.New("the plan loses data (see the destructive hazards above); nothing was changed. Re-run with --allow-destructive to apply it")
	}
	if o.AutoApprove {
		return nil
	}
	if !a.io.CanPrompt() {
		return errors.New("not applying without confirmation: no terminal to ask on. Pass --auto-approve to apply non-interactively")
	}
	ok, err := a.io.Confirm(fmt.Sprintf("\nDo you want to apply these changes to %s?", describeTarget(t)))
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

// lock takes the per-database lock when the dialect has one.
func (a *app) lock(ctx context.Context, t *target) (func(), error) {
	l, ok := t.Dialect.(dialect.Locker)
	if !ok {
		return func() {}, nil
	}
	timeout := 10
	if t.Env != nil && t.Env.LockTimeout > 0 {
		timeout = int(t.Env.LockTimeout / time.Second)
	}
	unlock, err := l.Lock(ctx, t.Conn, "strata", timeout)
	if err != nil {
		return nil, err
	}
	return func() { _ = unlock() }, nil
}

// execute runs statements one by one, reporting progress on stderr.
func (a *app) execute(ctx context.Context, t *target, stmts []dialect.Stmt) error {
	start := a.io.Now()
	for i, s := range stmts {
		fmt.Fprintf(a.io.Err, "[%d/%d] %s\n", i+1, len(stmts), firstLine(s.SQL))
		if _, err := t.Conn.ExecContext(ctx, s.SQL); err != nil {
			return fmt.Errorf("statement %d of %d failed: %v\n  %s", i+1, len(stmts), err, s.SQL)
		}
	}
	fmt.Fprintf(a.io.Out, "\nApply complete: %d statements in %s.\n", len(stmts), a.io.Now().Sub(start).Round(time.Millisecond))
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
