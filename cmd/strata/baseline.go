package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/planner/render"
	"github.com/stratadb/strata/revision"
	"github.com/stratadb/strata/schema"
)

func newBaselineCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "baseline --env NAME",
		Short: "Adopt an existing database: write its schema as the first revision, recorded as applied",
		Long: `Adopt a database that already has a schema and no Strata history.

With an empty migrations directory, write migrations/<version>_baseline.sql:
its up section creates the whole live schema (tables in dependency order,
views, triggers, routines, events) so that an empty environment is built
from migrations/ alone, and its down section is irreversible (a baseline is
never rolled back). The environment records it as applied without running
anything (history shows it as "baselined"). Without a schema file, it is
written from the same inspection (an existing one is never overwritten).
Objects named in exclude are left out.

With a baseline in migrations/ already, record it on another database only
when that database's schema is the baseline's; otherwise nothing is
recorded and the difference is shown as a plan.`,
		Example: `  strata baseline --env dev       # writes migrations/<version>_baseline.sql and schema.hcl
  strata baseline --env prod      # records the same baseline if prod's schema is the same
  strata apply --env qa           # an empty database: replays the baseline like any revision`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.baseline(cmd.Context())
		},
	}
}

func (a *app) baseline(ctx context.Context) error {
	if a.opts.Env == "" {
		if a.opts.URL != "" {
			return fmt.Errorf("a baseline is recorded in an environment's history: pass --env NAME (an ad hoc --url run records none)")
		}
		return errNoTarget
	}
	files := config.NewFiles()
	env, err := a.environment(files)
	if err != nil {
		return err
	}
	t, err := a.connect(ctx, env)
	if err != nil {
		return err
	}
	defer t.Close()
	unlock, err := a.startRun(ctx, t)
	if err != nil {
		return err
	}
	defer unlock()
	dir := revision.Dir{Path: a.migrationsDir(env)}
	revs, err := dir.Load()
	if err != nil {
		return err
	}
	if err := a.checkDialect(t, revs); err != nil {
		return err
	}
	st := &revision.Store{Q: t.Conn, Dialect: t.Dialect.Name()}
	recs, err := st.Applied(ctx)
	if err != nil {
		return fmt.Errorf("read %s: %w", revision.Table, err)
	}
	if len(recs) > 0 {
		return fmt.Errorf("%s already has a Strata history (%s in %s): there is nothing to adopt; nothing was written or recorded. "+
			"'strata status --env %s' shows where it stands, 'strata apply --env %s' brings it to the head",
			t.Name, plural(len(recs), "revision"), revision.Table, t.Name, t.Name)
	}
	raw, err := t.Dialect.Inspect(ctx, t.Reader)
	if err != nil {
		return fmt.Errorf("inspect %s: %w", t.Redacted, err)
	}
	var left []string
	if t.exclude != nil {
		left = raw.Without(t.exclude.excluded)
	}
	live := raw
	if live.TriggersHidden != "" {
		return fmt.Errorf("cannot adopt %s: %s; a baseline without them would not be its schema. Nothing was written or recorded", t.Name, live.TriggersHidden)
	}
	if objectCount(live) == 0 {
		return emptyBaselineError(t, dir, revs, left)
	}
	if len(revs) > 0 {
		return a.baselineOther(ctx, t, files, dir, revs, live)
	}
	return a.baselineFirst(ctx, t, dir, live, left)
}

// emptyBaselineError is baseline's refusal of a database without objects.
func emptyBaselineError(t *target, dir revision.Dir, revs []*revision.Revision, left []string) error {
	what := fmt.Sprintf("%s is empty", t.Name)
	if len(left) > 0 {
		what = fmt.Sprintf("%s holds nothing but what exclude leaves out (%s)", t.Name, strings.Join(left, ", "))
	}
	if len(revs) > 0 {
		return fmt.Errorf("%s: there is nothing to adopt; nothing was recorded. 'strata apply --env %s' builds it from %s (%s, starting with %s)",
			what, t.Name, dir.Path, plural(len(revs), "revision"), revs[0].Name())
	}
	return fmt.Errorf("%s: there is nothing to adopt; nothing was written or recorded. Describe the schema in schema.hcl ('strata init' writes an example) and run 'strata apply --env %s'",
		what, t.Name)
}

// baselineFirst writes the baseline revision from t's live schema and
// records it on t, then writes the schema file when there is none.
func (a *app) baselineFirst(ctx context.Context, t *target, dir revision.Dir, live *schema.Schema, left []string) error {
	for _, tb := range live.Tables {
		// The baseline creates the schema, not the data: a new environment's
		// counters start at 1.
		tb.Options.AutoIncrement = 0
	}
	empty := &schema.Schema{}
	up, err := planner.Build(empty, live, planner.Diff(empty, live, t.Dialect), towards(t.Dialect, live), t.genOptions())
	if err != nil {
		return fmt.Errorf("baseline of %s: %w", t.Name, err)
	}
	r := revision.NewBaseline(up, revision.Meta{Env: t.Name, Dialect: t.Dialect.Name(), Author: a.io.User, Created: a.io.Now(), Transactional: t.transactional()})
	w := a.io.Out
	fmt.Fprintf(w, "Adopting %s: %s.\n", t.Name, objectList(live))
	if len(left) > 0 {
		fmt.Fprintf(w, "Left out (exclude): %s.\n", strings.Join(left, ", "))
	}
	path, err := dir.Write(r)
	if err != nil {
		return err
	}
	if err := recordBaseline(ctx, t, r, live.Hash()); err != nil {
		if derr := dir.Discard(r); derr != nil {
			return errors.Join(err, derr)
		}
		return fmt.Errorf("%w; %s was removed again, nothing was recorded", err, path)
	}
	fmt.Fprintf(w, "\nBaseline %s written to %s: %s creating the whole schema; its down side is irreversible.\n",
		r.Version, path, plural(len(r.Up), "statement"))
	fmt.Fprintf(w, "Recorded on %s as baselined: applied without running anything (%s already has this schema).\n", t.Name, t.Name)
	schemaNote, err := a.writeBaselineSchema(t, live)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, schemaNote)
	fmt.Fprintf(w, "\nNext: another database that has this schema is adopted with 'strata baseline --env NAME'; an empty one is built from %s with 'strata apply --env NAME'.\n", dir.Path)
	return nil
}

// writeBaselineSchema writes the schema file from the baseline's
// inspection when there is none, and says what it did.
func (a *app) writeBaselineSchema(t *target, live *schema.Schema) (string, error) {
	path := a.schemaPath(t.Env)
	if _, err := os.Stat(path); err == nil {
		return fmt.Sprintf("%s exists and was left as it is: 'strata plan --env %s' shows how it differs from the baseline.", path, t.Name), nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	file := path
	if !strings.HasSuffix(path, ".hcl") {
		// A schema directory that does not exist yet.
		file = filepath.Join(path, "schema.hcl")
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return "", fmt.Errorf("write %s: %w", file, err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", file, err)
	}
	_, err = f.Write(config.WriteSchema(live))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("write %s: %w", file, err)
	}
	return fmt.Sprintf("Wrote %s from the same inspection.", file), nil
}

// recordBaseline records r on t as applied without running it, the row and
// its event in one transaction.
func recordBaseline(ctx context.Context, t *target, r *revision.Revision, hash string) error {
	// Creating the tables is DDL, which MySQL commits on its own.
	if err := (&revision.Store{Q: t.Conn, Dialect: t.Dialect.Name()}).Init(ctx); err != nil {
		return err
	}
	tx, err := t.Conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record baseline %s: %w", r.Version, err)
	}
	st := &revision.Store{Q: tx, Dialect: t.Dialect.Name()}
	if err := st.RecordBaseline(ctx, r, hash, revision.CurrentUser()); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record baseline %s: %w", r.Version, err)
	}
	return nil
}

// baselineOther records the baseline that starts revs on t when t's live
// schema is the baseline's; otherwise it shows the difference as a plan
// and refuses.
func (a *app) baselineOther(ctx context.Context, t *target, files *config.Files, dir revision.Dir, revs []*revision.Revision, live *schema.Schema) error {
	base := revs[0]
	if !base.Baseline {
		return fmt.Errorf("%s already holds %s, and the first, %s, is not a baseline: a baseline must be the first revision of a history, so %s cannot be adopted into it; nothing was written or recorded. "+
			"If %s is to follow that history, make its schema the one %s starts from and run 'strata apply --env %s'; "+
			"to adopt %s as it is, give it a history of its own: 'strata baseline --env %s --dir DIR' with an empty DIR",
			dir.Path, plural(len(revs), "revision"), base.Name(), t.Name, t.Name, base.Name(), t.Name, t.Name, t.Name)
	}
	w := a.io.Out
	hash := live.Hash()
	if hash == base.ToHash {
		if err := recordBaseline(ctx, t, base, hash); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s has the schema of the baseline %s (%.12s): %s.\n", t.Name, base.Name(), hash, objectList(live))
		fmt.Fprintf(w, "Recorded on %s as baselined: applied without running anything.\n", t.Name)
		if n := len(revs) - 1; n > 0 {
			fmt.Fprintf(w, "%s after it %s pending on %s: 'strata apply --env %s' applies them.\n", plural(n, "revision"), isAre(n), t.Name, t.Name)
		}
		return nil
	}
	fail := fmt.Errorf("%s's schema (%.12s) is not the one the baseline %s creates (%.12s); nothing was recorded. "+
		"Make %s's schema the baseline's, by hand (the SQL above shows how), and run 'strata baseline --env %s' again; "+
		"or, if nothing in %s is worth keeping, drop its objects and let 'strata apply --env %s' build it from %s",
		t.Name, hash, base.Name(), base.ToHash, t.Name, t.Name, t.Name, t.Name, dir.Path)
	path := a.schemaPath(t.Env)
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("%w (with %s there would be a plan of the difference)", fail, path)
	}
	desired, err := a.loadDesired(files, t.Env)
	if err != nil {
		return err
	}
	pl, err := makePlan(ctx, t, desired, a.opts.MaxCountRows)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s holds %s, but not the baseline's schema.\n", t.Name, objectList(live))
	if pl.Plan.ToHash != base.ToHash {
		fmt.Fprintf(w, "Note: %s has changed since the baseline %s, so the plan below also holds those changes.\n", path, base.Name())
	}
	fmt.Fprintf(w, "What would make %s's schema the baseline's (planned from %s; nothing is run):\n", t.Name, path)
	if err := render.Text(w, pl.Plan, render.TextOptions{Color: a.io.Color()}); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return fail
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
