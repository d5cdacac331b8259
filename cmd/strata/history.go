package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/revision"
)

// history is an environment's position in the migrations directory.
type history struct {
	Dir   revision.Dir
	Store *revision.Store
	Revs  []*revision.Revision
	State *revision.State
	// Conflict is set when a rollback reads a history with a conflict
	// without the side this database has not applied.
	Conflict *conflictResolution
}

// loadHistory reads the migrations directory and the target's records.
func (a *app) loadHistory(ctx context.Context, t *target) (*history, error) {
	return a.loadHistoryFor(ctx, t, false)
}

// loadHistoryFor is loadHistory; for a rollback, a conflict of which this
// database has applied one side is read without the other side, so that
// the rollback the conflict's resolution needs can run.
func (a *app) loadHistoryFor(ctx context.Context, t *target, rollback bool) (*history, error) {
	dir := revision.Dir{Path: a.migrationsDir(t.Env)}
	st := &revision.Store{Q: t.Conn, Dialect: t.Dialect.Name()}
	revs, err := dir.Load()
	var resolved *conflictResolution
	if ce := (*revision.ConflictError)(nil); errors.As(err, &ce) {
		revs, resolved, err = a.resolveConflict(ctx, t, dir, st, ce, rollback)
	}
	if err != nil {
		return nil, err
	}
	if err := a.checkDialect(t, revs); err != nil {
		return nil, err
	}
	recs, err := st.Applied(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", revision.Table, err)
	}
	state, err := revision.Compare(revs, recs)
	if fe := (*revision.ForeignError)(nil); errors.As(err, &fe) {
		fe.Env, fe.Dir = t.Name, dir.Path
	}
	if err != nil {
		return nil, err
	}
	return &history{Dir: dir, Store: st, Revs: revs, State: state, Conflict: resolved}, nil
}

// migrationsDir is --dir, else the environment's migrations_dir, else
// ./migrations.
func (a *app) migrationsDir(env *config.Environment) string {
	switch {
	case a.opts.Dir != "":
		return a.opts.Dir
	case env != nil && env.MigrationsDir != "":
		return env.MigrationsDir
	}
	return "migrations"
}

// offlineEnvironment loads --env's file for what it says of files
// (migrations_dir) without its URL variables: commands that never connect
// (rehash, revision new) work where no database secret is set. nil without
// --env.
func (a *app) offlineEnvironment() (*config.Environment, error) {
	if a.opts.Env == "" {
		return nil, nil
	}
	files := config.NewFiles()
	// Every variable reads as set: the value is never used, and a real
	// one must not be needed (nor shown).
	env, diags := files.LoadEnvironment(".", a.opts.Env, func(string) (string, bool) { return "offline", true })
	if diags.HasErrors() {
		files.WriteDiagnostics(a.io.Err, diags, a.io.Color())
		return nil, errSilent
	}
	return env, nil
}

// liveHash returns the hash of the target's live schema.
func liveHash(t *target) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		s, err := t.inspect(ctx, t.Reader)
		if err != nil {
			return "", err
		}
		return s.Hash(), nil
	}
}

// liveHashOn is liveHash for a given querier (transactional dialects hash
// inside their transaction).
func liveHashOn(t *target) func(ctx context.Context, q dialect.Querier) (string, error) {
	return func(ctx context.Context, q dialect.Querier) (string, error) {
		s, err := t.inspect(ctx, q)
		if err != nil {
			return "", err
		}
		return s.Hash(), nil
	}
}

// runRevision applies one revision that exists in the directory.
func (a *app) runRevision(ctx context.Context, t *target, h *history, r *revision.Revision) error {
	if ta, ok := inOneTx(t, r.Up); ok {
		return revision.ApplyTx(ctx, ta, t.Conn, t.Dialect.Name(), r, a.txOptions(t, false))
	}
	o, done, err := a.runOptions(ctx, t, "  ")
	defer done()
	if err != nil {
		return err
	}
	if err := a.onlineHooks(t, h, r.Version, &o, nil); err != nil {
		return err
	}
	return settleHint(revision.Apply(ctx, t.Conn, h.Store, r, o), t)
}

// settleHint names t's environment in the commands of an error that asks a
// person to settle a statement a dead run left running.
func settleHint(err error, t *target) error {
	if oe := (*revision.OpaqueError)(nil); errors.As(err, &oe) {
		oe.Env = t.Name
	}
	if ue := (*revision.UncertainError)(nil); errors.As(err, &ue) {
		ue.Env = t.Name
	}
	return err
}

// slugFor derives a revision name from a plan: "create_users_posts",
// "alter_users", "drop_audit".
func slugFor(p *planner.Plan) string {
	verbs := map[planner.Action]string{planner.ActionCreate: "create", planner.ActionUpdate: "alter", planner.ActionDelete: "drop"}
	var parts []string
	last := ""
	for _, s := range p.Steps {
		_, name := planner.ObjectOf(s.Change)
		verb := verbs[planner.ActionOf(s.Change)]
		if verb != last {
			parts = append(parts, verb)
			last = verb
		}
		if len(parts) > 0 && parts[len(parts)-1] == name {
			continue
		}
		parts = append(parts, name)
		if len(parts) >= 6 {
			break
		}
	}
	return revision.Slugify(strings.Join(parts, " "))
}
