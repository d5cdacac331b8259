package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/revision"
)

type rollbackOptions struct {
	Steps            int
	To               string
	AutoApprove      bool
	AllowDestructive bool
}

func newRollbackCmd(a *app) *cobra.Command {
	var o rollbackOptions
	cmd := &cobra.Command{
		Use:   "rollback",
		Short: "Undo the newest applied revisions of an environment",
		Long: `Run the down side of applied revisions, newest first. A step whose undo
cannot bring data back (e.g. re-creating a dropped column) is refused
unless --allow-destructive.`,
		Example: `  strata rollback --env staging            # undo the last revision
  strata rollback --env staging --steps 2
  strata rollback --env staging --to 20261127093000   # keep that one, undo the later ones`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("steps") && o.To != "" {
				return usageError(cmd, fmt.Errorf("--steps and --to both given: pass one of them"))
			}
			if o.Steps < 1 {
				return usageError(cmd, fmt.Errorf("--steps must be at least 1"))
			}
			return a.rollback(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Steps, "steps", 1, "how many revisions to undo")
	f.StringVar(&o.To, "to", "", "undo every revision applied after `VERSION` (it stays applied)")
	f.BoolVar(&o.AutoApprove, "auto-approve", false, "roll back without asking")
	f.BoolVar(&o.AllowDestructive, "allow-destructive", false, "allow undo steps that cannot restore data")
	parallelFlag(a, cmd)
	return cmd
}

func (a *app) rollback(ctx context.Context, o rollbackOptions) error {
	if a.opts.Env == "" && a.opts.URL != "" {
		return fmt.Errorf("history belongs to environments: pass --env NAME (an ad hoc --url run records none)")
	}
	if env, err := a.fleetEnvironment(); err != nil || env != nil {
		if err != nil {
			return err
		}
		return a.rollbackFleet(ctx, env, o)
	}
	t, err := a.openTarget(ctx, config.NewFiles())
	if err != nil {
		return err
	}
	defer t.Close()
	_, err = a.rollbackOn(ctx, t, o, func(h *history) ([]*revision.Revision, error) { return rollbackTargets(h, t.Name, o) })
	return err
}

// rollbackOn rolls back on t the revisions pick chooses from its history
// and returns how many it undid.
func (a *app) rollbackOn(ctx context.Context, t *target, o rollbackOptions, pick func(*history) ([]*revision.Revision, error)) (int, error) {
	h, err := a.loadHistoryFor(ctx, t, true)
	if err != nil {
		return 0, err
	}
	unlock, err := a.startRun(ctx, t)
	if err != nil {
		return 0, err
	}
	defer unlock()
	targets, err := pick(h)
	if err != nil {
		return 0, err
	}
	if len(targets) == 0 {
		fmt.Fprintf(a.io.Out, "Nothing to roll back: %s has no applied revision after %s.\n", t.Name, o.To)
		return 0, nil
	}
	for i, r := range targets {
		if !r.Baseline {
			continue
		}
		keep := ""
		if i > 0 {
			keep = fmt.Sprintf(" 'strata rollback --env %s --to %s' undoes the revisions after it and keeps it.", t.Name, r.Version)
		}
		return 0, fmt.Errorf("%s is the baseline, the first revision of %s: it creates the schema the database had before Strata, and undoing it would drop every object and its data, so it is never rolled back; nothing was changed.%s"+
			" To empty a database built from the baseline, drop and recreate it by hand",
			r.Name(), h.Dir.Path, keep)
	}
	w := a.io.Out
	fmt.Fprintf(w, "Strata will roll back %s on %s, newest first:\n", plural(len(targets), "revision"), t.Name)
	irreversible := false
	for _, r := range targets {
		fmt.Fprintf(w, "\n  # %s\n", r.Name())
		renderStatements(w, r.Down)
		irreversible = irreversible || len(r.DataLoss()) > 0
	}
	fmt.Fprintln(w)
	if irreversible && !o.AllowDestructive {
		return 0, fmt.Errorf("rolling back cannot bring back data the revisions removed (marked destructive or irreversible above); nothing was changed. Re-run with --allow-destructive to roll back anyway")
	}
	if err := a.approve(ctx, t, false, applyOptions{AutoApprove: o.AutoApprove, AllowDestructive: o.AllowDestructive}); err != nil {
		return 0, err
	}
	for i, r := range targets {
		if ctx.Err() != nil {
			next := "strata rollback --env " + t.Name
			if left := len(targets) - i; left > 1 {
				next += fmt.Sprintf(" --steps %d", left)
			}
			return i, interruptedBetween(t, i, len(targets), "rolled back on", next)
		}
		fmt.Fprintf(w, "Rolling back %s\n", r.Name())
		var err error
		if ta, ok := inOneTx(t, r.Down); ok {
			err = revision.RollbackTx(ctx, ta, t.Conn, t.Dialect.Name(), r, a.txOptions(t, o.AllowDestructive))
		} else {
			var ro revision.RunOptions
			var done func()
			if ro, done, err = a.runOptions(ctx, t, "  "); err == nil {
				ro.AllowDataLoss = o.AllowDestructive
				if err = a.onlineHooks(t, h, r.Version, &ro, nil); err == nil {
					err = settleHint(revision.Rollback(ctx, t.Conn, h.Store, r, ro), t)
				}
			}
			done()
		}
		if err != nil {
			return i, err
		}
	}
	fmt.Fprintf(w, "\nRollback complete: %s undone on %s.\n", plural(len(targets), "revision"), t.Name)
	conflictNext(w, h.Conflict)
	return len(targets), nil
}

// rollbackTargets are the applied revisions to undo, newest first.
func rollbackTargets(h *history, env string, o rollbackOptions) ([]*revision.Revision, error) {
	applied := h.State.Applied
	if p := h.State.Partial; p != nil {
		// A half-applied revision is the newest: undo its done part first.
		applied = append(append([]*revision.Revision{}, applied...), p)
	}
	if len(applied) == 0 {
		return nil, fmt.Errorf("no revision is applied: nothing to roll back")
	}
	n := o.Steps
	if o.To != "" {
		idx := -1
		for i, r := range applied {
			if r.Version == o.To || r.Name() == o.To {
				idx = i
			}
		}
		if idx < 0 {
			return nil, fmt.Errorf("revision %s is not applied on %s; nothing was changed. 'strata history --env %s' lists the applied ones", o.To, env, env)
		}
		n = len(applied) - 1 - idx
	}
	if n > len(applied) {
		are := "revisions are"
		if len(applied) == 1 {
			are = "revision is"
		}
		return nil, fmt.Errorf("--steps %d is more than %s has: only %d %s applied; nothing was changed. --steps %d undoes them all", n, env, len(applied), are, len(applied))
	}
	var out []*revision.Revision
	for i := len(applied) - 1; i >= len(applied)-n; i-- {
		out = append(out, applied[i])
	}
	return out, nil
}
