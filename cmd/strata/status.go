package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/revision"
)

func newStatusCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:     "status",
		Short:   "Show an environment's current revision, pending revisions and drift",
		Example: `  strata status --env staging`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			t, h, err := a.openWithHistory(ctx)
			if err != nil {
				return err
			}
			defer t.Close()
			return a.printStatus(ctx, t, h)
		},
	}
}

// openWithHistory opens the target of a history command: it needs --env.
func (a *app) openWithHistory(ctx context.Context) (*target, *history, error) {
	if a.opts.Env == "" && a.opts.URL != "" {
		return nil, nil, fmt.Errorf("history belongs to environments: pass --env NAME (an ad hoc --url run records none)")
	}
	t, err := a.openTarget(ctx, config.NewFiles())
	if err != nil {
		return nil, nil, err
	}
	h, err := a.loadHistory(ctx, t)
	if err != nil {
		t.Close()
		return nil, nil, err
	}
	return t, h, nil
}

func (a *app) printStatus(ctx context.Context, t *target, h *history) error {
	w := a.io.Out
	fmt.Fprintf(w, "Environment:  %s (%s)\n", t.Name, t.Redacted)
	cur := h.State.Current()
	if cur == nil {
		fmt.Fprintln(w, "Current:      none (no revision applied yet)")
	} else {
		rec := h.State.Records[cur.Version]
		fmt.Fprintf(w, "Current:      %s (applied %s by %s)\n", cur.Name(), formatTime(rec.FinishedAt), rec.AppliedBy)
	}
	if p := h.State.Partial; p != nil {
		rec := h.State.PartialRecord
		of := ""
		if rec.Direction == revision.Down {
			of = " of its rollback"
		}
		fmt.Fprintf(w, "Partial:      %s stopped after %d of %d statements%s", p.Name(), rec.Done, rec.Total, of)
		if rec.Error != "" {
			fmt.Fprintf(w, ": %s", rec.Error)
		}
		if rec.Direction == revision.Down {
			fmt.Fprintf(w, "\n              Fix the cause and rerun 'strata rollback --env %s' to finish undoing it.\n", t.Name)
		} else {
			// A partly applied revision cannot be rolled back: its down
			// statements undo the whole of it.
			fmt.Fprintf(w, "\n              Fix the cause and rerun 'strata apply --env %s' to finish it;\n", t.Name)
			fmt.Fprintf(w, "              once applied, 'strata rollback --env %s' can undo it.\n", t.Name)
		}
	}
	if n := len(h.State.Pending); n == 0 {
		fmt.Fprintf(w, "Pending:      none (at the head of %s)\n", h.Dir.Path)
	} else {
		fmt.Fprintf(w, "Pending:      %s behind %s\n", plural(n, "revision"), h.Dir.Path)
		for _, r := range h.State.Pending {
			fmt.Fprintf(w, "                %s\n", r.Name())
		}
		a.printGate(ctx, w, t, h.State.Pending)
	}
	liveSchema, err := t.inspect(ctx, t.Reader)
	if err != nil {
		return err
	}
	live := liveSchema.Hash()
	want := ""
	switch {
	case cur != nil:
		want = cur.ToHash
	case h.State.Partial == nil && len(h.State.Pending) > 0:
		want = h.State.Pending[0].FromHash
	}
	unseen := driftSeen(t, liveSchema, live, want)
	switch {
	case want != "" && unseen != nil:
		fmt.Fprintf(w, "Drift:        unknown: %v\n", unseen)
	case cur == nil && h.State.Partial == nil && len(h.State.Pending) > 0 && live == h.State.Pending[0].FromHash:
		fmt.Fprintln(w, "Drift:        none (no revision applied yet; the live schema is where the history starts)")
	case cur == nil && h.State.Partial == nil && len(h.State.Pending) > 0:
		fmt.Fprintf(w, "Drift:        yes: no revision is applied, and the live schema is not the one %s starts from; see 'strata drift --env %s'\n", h.State.Pending[0].Name(), t.Name)
	case cur == nil:
		fmt.Fprintln(w, "Drift:        unknown (no revision to compare with)")
	case live == cur.ToHash:
		fmt.Fprintln(w, "Drift:        none (the live schema is the current revision's)")
	default:
		fmt.Fprintf(w, "Drift:        yes: the live schema is not the one %s left; see 'strata drift --env %s'\n", cur.Name(), t.Name)
	}
	return nil
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func newCurrentCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "current",
		Short: "Print the current revision of an environment",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, h, err := a.openWithHistory(cmd.Context())
			if err != nil {
				return err
			}
			defer t.Close()
			if cur := h.State.Current(); cur != nil {
				fmt.Fprintln(a.io.Out, cur.Name())
			} else {
				fmt.Fprintln(a.io.Out, "none")
			}
			return nil
		},
	}
}

func newRehashCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "rehash",
		Short: "Rewrite migrations/strata.sum after a deliberate edit of revision files",
		Long: `Rewrite the sum file from the revision files as they are now. Run it only
after you changed revision files on purpose (e.g. resolved a merge of two
branches): it tells Strata to trust the files again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var env *config.Environment
			if a.opts.Env != "" {
				files := config.NewFiles()
				e, diags := files.LoadEnvironment(".", a.opts.Env, func(string) (string, bool) { return "", true })
				if diags.HasErrors() {
					files.WriteDiagnostics(a.io.Err, diags, a.io.Color())
					return errSilent
				}
				env = e
			}
			dir := revision.Dir{Path: a.migrationsDir(env)}
			if err := dir.Rehash(); err != nil {
				return err
			}
			fmt.Fprintf(a.io.Out, "Rewrote %s/%s.\n", dir.Path, revision.SumFile)
			return nil
		},
	}
}
