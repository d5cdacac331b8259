package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/revision"
)

func newRevisionCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "revision",
		Short: "Work with revision files",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newRevisionNewCmd(a), newRevisionSettleCmd(a))
	return cmd
}

type revisionNewOptions struct {
	Name     string
	Up, Down string
}

func newRevisionNewCmd(a *app) *cobra.Command {
	var o revisionNewOptions
	cmd := &cobra.Command{
		Use:   "new --name SLUG [--up FILE] [--down FILE]",
		Short: "Write a hand-written revision after the head (data migrations)",
		Long: `Write a hand-written revision after the head of the migrations directory,
for SQL the schema cannot describe: data migrations (UPDATE, INSERT, DELETE)
or DDL. Its -- +up section runs on apply, its -- +down section on rollback.
Give the SQL with --up and --down (a file, or - for stdin), or write it into
the file afterwards and run 'strata rehash'.

The revision is pending on every environment, dev included: plan shows it,
apply runs it (then plans schema.hcl), promotion replays it. Each DML
statement commits together with the record of its progress, so a crash
never runs it twice.`,
		Example: `  strata revision new --name backfill_names --up backfill.sql
  strata revision new --name fix_status   # then edit the file and run strata rehash`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.revisionNew(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Name, "name", "", "`SLUG` naming the revision (required)")
	f.StringVar(&o.Up, "up", "", "`FILE` holding the up SQL (- for stdin)")
	f.StringVar(&o.Down, "down", "", "`FILE` holding the down SQL (- for stdin)")
	return cmd
}

func (a *app) revisionNew(o revisionNewOptions) error {
	if revision.Slugify(o.Name) == "" {
		return fmt.Errorf("revision new needs --name SLUG, e.g. --name backfill_names")
	}
	if o.Up == "-" && o.Down == "-" {
		return fmt.Errorf("--up and --down cannot both read stdin: give one of them as a file")
	}
	env, err := a.offlineEnvironment()
	if err != nil {
		return err
	}
	up, err := a.readSQLArg(o.Up, "--up")
	if err != nil {
		return err
	}
	down, err := a.readSQLArg(o.Down, "--down")
	if err != nil {
		return err
	}
	dir := revision.Dir{Path: a.migrationsDir(env)}
	head, err := dir.Head()
	if err != nil {
		return err
	}
	from := ""
	if head != nil {
		from = head.ToHash
	}
	r := revision.NewHandWritten(o.Name, from, a.io.User, a.io.Now())
	if err := r.SetSQL(up, down); err != nil {
		return fmt.Errorf("revision new: %w", err)
	}
	path, err := dir.Write(r)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.io.Out, "Revision %s written to %s (%s up, %s down).\n", r.Version, path,
		plural(len(r.Up), "statement"), plural(len(r.Down), "statement"))
	if o.Up == "" {
		fmt.Fprintf(a.io.Out, "Write its SQL into the file, then run 'strata rehash' so that %s trusts it.\n", revision.SumFile)
	}
	fmt.Fprintf(a.io.Out, "It is pending on every environment: 'strata apply --env dev' runs it.\n")
	return nil
}

// readSQLArg reads the SQL a flag names: "" is none, "-" is stdin.
func (a *app) readSQLArg(path, flag string) (string, error) {
	switch path {
	case "":
		return "", nil
	case "-":
		b, err := io.ReadAll(a.io.In)
		if err != nil {
			return "", fmt.Errorf("%s -: read stdin: %w", flag, err)
		}
		return string(b), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", flag, err)
	}
	return string(b), nil
}

type revisionSettleOptions struct {
	TookEffect, NoEffect bool
}

func newRevisionSettleCmd(a *app) *cobra.Command {
	var o revisionSettleOptions
	cmd := &cobra.Command{
		Use:   "settle --env NAME (--took-effect | --no-effect)",
		Short: "Say whether the statement a dead run left running took effect",
		Long: `When a run of apply or rollback dies (killed, crashed, connection lost)
during a statement whose effect Strata cannot tell afterwards (in a
hand-written revision: a CALL, a TRUNCATE, DDL of routines or users), the
resume stops and names it instead of guessing. Check by hand whether the
statement took effect, then say so:

  --took-effect  it did: it counts as done and the resume goes on after it
  --no-effect    it did not, or you undid it: the resume runs it again

Then run 'strata apply' (or 'strata rollback' for a stopped rollback)
again. The decision is kept in the revision's history as a settle event.`,
		Example: `  strata revision settle --env dev --took-effect && strata apply --env dev
  strata revision settle --env prod --no-effect && strata apply --env prod`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.TookEffect == o.NoEffect {
				return usageError(cmd, errors.New("say what you found: --took-effect or --no-effect"))
			}
			return a.revisionSettle(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.TookEffect, "took-effect", false, "the statement took effect: count it done")
	f.BoolVar(&o.NoEffect, "no-effect", false, "the statement did not take effect (or was undone): run it again")
	return cmd
}

func (a *app) revisionSettle(ctx context.Context, o revisionSettleOptions) error {
	if a.opts.Env == "" {
		return errors.New("revision settle needs --env NAME: the environment whose run stopped")
	}
	t, err := a.openTarget(ctx, config.NewFiles())
	if err != nil {
		return err
	}
	defer t.Close()
	// No run may be going on: its running statement looks like a dead one.
	unlock, err := a.startRun(ctx, t)
	if err != nil {
		return err
	}
	defer unlock()
	h, err := a.loadHistory(ctx, t)
	if err != nil {
		return err
	}
	p, rec := h.State.Partial, h.State.PartialRecord
	if p == nil {
		return fmt.Errorf("no run stopped part-way on %s: nothing to settle", t.Name)
	}
	s, err := revision.Settle(ctx, h.Store, p, rec, o.TookEffect)
	if err != nil {
		return err
	}
	at := ""
	if s.Line > 0 {
		at = fmt.Sprintf(" (%s line %d)", p.File, s.Line)
	}
	again, next := "apply", "goes on after it"
	if rec.Direction == revision.Down {
		again = "rollback"
	}
	if !s.TookEffect {
		next = "runs it again"
	}
	what := "took effect"
	if !s.TookEffect {
		what = "did not take effect"
	}
	fmt.Fprintf(a.io.Out, "Settled statement %d of %s%s: it %s, so the resume %s.\n  %s\nResume with: strata %s --env %s\n",
		s.Index+1, p.Name(), at, what, next, firstLine(s.Statement), again, t.Name)
	return nil
}
