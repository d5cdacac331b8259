package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/stratadb/strata/revision"
	"github.com/stratadb/strata/schema"
)

// This file words the refusals that would otherwise leave a user with no
// way forward: each names what to run next.

// notAtStartError explains why revision r cannot be replayed on t, whose
// live schema (hash liveHash) is not the one r starts from. With no
// revision applied yet (r is the first of the history), that is not drift
// but a database the history does not start from: an empty one while the
// history starts from tables, or one with tables no revision made.
func notAtStartError(t *target, live *schema.Schema, liveHash string, r *revision.Revision) error {
	if r.Parent != "" {
		return fmt.Errorf("%s has drifted: its schema (%.12s) is not the one revision %s starts from (%.12s); nothing was run. "+
			"'strata drift --env %s' shows the difference; undo it by hand, then apply again", t.Name, liveHash, r.Name(), r.FromHash, t.Name)
	}
	return fmt.Errorf("%s; nothing was run. %s", notAtStart(t, live, liveHash, r), notAtStartFix(t, live, r, false))
}

// notAtStart says how t, with no revision applied, differs from where the
// history (its first revision r) starts.
func notAtStart(t *target, live *schema.Schema, liveHash string, r *revision.Revision) string {
	if objectCount(live) == 0 {
		from := "a database that already held tables"
		if r.Env != "" {
			from = fmt.Sprintf("%s while it already held tables no revision created", r.Env)
		}
		return fmt.Sprintf("%s is empty, but the history does not start from an empty database: its first revision %s was planned against %s (schema %.12s)",
			t.Name, r.Name(), from, r.FromHash)
	}
	if r.Baseline && liveHash == r.ToHash {
		return fmt.Sprintf("%s has no revision applied, yet already holds %s: the schema the baseline %s creates (%.12s), so it cannot be replayed on it",
			t.Name, objectList(live), r.Name(), liveHash)
	}
	return fmt.Sprintf("%s has no revision applied, yet already holds %s: its schema (%.12s) is not the one the first revision %s starts from (%.12s), so the history cannot be replayed on it",
		t.Name, objectList(live), liveHash, r.Name(), r.FromHash)
}

// notAtStartFix is what to do about it with the commands there are.
// inDrift leaves out the pointer to strata drift, for drift itself.
func notAtStartFix(t *target, live *schema.Schema, r *revision.Revision, inDrift bool) string {
	if objectCount(live) == 0 {
		src := "the database it was planned against"
		if r.Env != "" {
			src = r.Env
		}
		return fmt.Sprintf("Create those tables on %s first (e.g. a mysqldump --no-data of them from %s), then run 'strata apply --env %s' again",
			t.Name, src, t.Name)
	}
	shows := fmt.Sprintf(" ('strata drift --env %s' shows how it differs from schema.hcl)", t.Name)
	if inDrift {
		shows = ""
	}
	if r.Baseline && live.Hash() == r.ToHash {
		return fmt.Sprintf("'strata baseline --env %s' records the baseline as applied without running it", t.Name)
	}
	if r.Baseline {
		return fmt.Sprintf("If they are disposable, drop them and run 'strata apply --env %s' again. To keep them, adopt %s as it is: 'strata baseline --env %s' records the baseline %s as applied without running it when %s already has its schema, and otherwise shows the difference as a plan",
			t.Name, t.Name, t.Name, r.Name(), t.Name)
	}
	return fmt.Sprintf("If they are disposable, drop them and run 'strata apply --env %s' again. To keep them, change %s by hand until its schema is the one %s starts from%s. "+
		"Adopting a database as it is ('strata baseline --env %s') needs a history that starts with a baseline, and %s is not one",
		t.Name, t.Name, r.Name(), shows, t.Name, r.Name())
}

func objectCount(s *schema.Schema) int {
	return len(s.Tables) + len(s.Views) + len(s.Triggers) + len(s.Routines) + len(s.Events)
}

// objectList names a schema's objects briefly: "2 tables (legacy, audit)".
func objectList(s *schema.Schema) string {
	var parts []string
	add := func(n int, noun string, names []string) {
		if n == 0 {
			return
		}
		shown := names
		if len(shown) > 3 {
			shown = append(append([]string{}, shown[:3]...), "…")
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", plural(n, noun), strings.Join(shown, ", ")))
	}
	var names []string
	for _, tb := range s.Tables {
		names = append(names, tb.Name)
	}
	add(len(s.Tables), "table", names)
	names = nil
	for _, v := range s.Views {
		names = append(names, v.Name)
	}
	add(len(s.Views), "view", names)
	names = nil
	for _, tr := range s.Triggers {
		names = append(names, tr.Name)
	}
	add(len(s.Triggers), "trigger", names)
	names = nil
	for _, r := range s.Routines {
		names = append(names, r.Name)
	}
	add(len(s.Routines), "routine", names)
	names = nil
	for _, e := range s.Events {
		names = append(names, e.Name)
	}
	add(len(s.Events), "event", names)
	if len(parts) > 2 {
		return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	return strings.Join(parts, " and ")
}

// conflictResolution is how a history with a conflict was read for a
// rollback: without the side the database has not applied.
type conflictResolution struct {
	Conflict *revision.ConflictError
	Kept     string // path of the side applied here, which is undone
	Dropped  string // path of the other side, left out
}

// versionOf is the version a revision file's name starts with.
func versionOf(path string) string {
	v, _, _ := strings.Cut(filepath.Base(path), "_")
	return v
}

// resolveConflict answers a *revision.ConflictError met while reading t's
// history. A rollback on a database that has applied exactly one side reads
// the history with that side only, so that it can undo it (which is what
// the conflict asks for); everything else gets the conflict explained with
// what this database has and what to run.
func (a *app) resolveConflict(ctx context.Context, t *target, dir revision.Dir, st *revision.Store, ce *revision.ConflictError, rollback bool) ([]*revision.Revision, *conflictResolution, error) {
	recs, err := st.Applied(ctx)
	if err != nil {
		return nil, nil, ce
	}
	// A side is applied here when a record that is not rolled back has
	// its version and the checksum of its file (two branches can make
	// revisions of the same version).
	here := map[string]bool{}
	for _, rec := range recs {
		if rec.Status != revision.StatusRolledBack {
			here[rec.Version+" "+rec.Checksum] = true
		}
	}
	applied := func(path string) bool {
		b, err := os.ReadFile(path)
		return err == nil && here[versionOf(path)+" "+revision.Checksum(b)]
	}
	inA, inB := applied(ce.A), applied(ce.B)
	keep, other := ce.A, ce.B
	if inB {
		keep, other = ce.B, ce.A
	}
	if rollback && inA != inB {
		revs, err := dir.LoadWithout(other)
		if err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(a.io.Err, "Note: %s and %s both follow the same revision; %s has %s applied, so the rollback reads the history without %s.\n",
			filepath.Base(ce.A), filepath.Base(ce.B), t.Name, filepath.Base(keep), filepath.Base(other))
		return revs, &conflictResolution{Conflict: ce, Kept: keep, Dropped: other}, nil
	}
	return nil, nil, conflictHere(t, ce, inA, inB)
}

// conflictHere is a conflict explained for one environment.
func conflictHere(t *target, ce *revision.ConflictError, inA, inB bool) error {
	parent := "the start of the history"
	if ce.Parent != "" {
		parent = "revision " + ce.Parent
	}
	head := fmt.Sprintf("revisions %s and %s both follow %s: the history must be a single line", ce.A, ce.B, parent)
	switch {
	case inA && inB:
		return fmt.Errorf("%s, and %s has both applied (from two directories). Undo the one applied last ('strata history --env %s') with 'strata rollback --env %s' from a checkout that has only its side, then delete its file here and run '%s'",
			head, t.Name, t.Name, t.Name, revision.RehashCommand)
	case inA || inB:
		kept, other := ce.A, ce.B
		if inB {
			kept, other = ce.B, ce.A
		}
		k, o := filepath.Base(kept), filepath.Base(other)
		return fmt.Errorf("%s. %s has %s applied, not %s. To keep %s: undo %s with 'strata rollback --env NAME' on every environment that applied it "+
			"(rollback works despite the conflict), delete %s, run '%s', then 'strata apply --env %s' makes %s's changes (if the schema keeps them) a new revision on top. "+
			"To keep %s instead, the same the other way round: 'strata rollback --env %s' undoes %s here",
			head, t.Name, k, o, k, o, other, revision.RehashCommand, t.Name, o, o, t.Name, k)
	}
	return fmt.Errorf("%s, and %s has neither applied. Keep one: run 'strata rollback --env NAME' on each environment that applied the other (rollback works despite the conflict), "+
		"delete its file, run '%s', then apply again to make its changes a new revision on top", head, t.Name, revision.RehashCommand)
}

// conflictNext is what to do after a rollback undid one side of a
// conflict.
func conflictNext(w io.Writer, c *conflictResolution) {
	if c == nil {
		return
	}
	fmt.Fprintf(w, "Next: once no environment has %s applied, delete %s and run '%s'; 'strata apply' then makes %s's changes (if the schema keeps them) a new revision after %s.\n",
		filepath.Base(c.Kept), c.Kept, revision.RehashCommand, filepath.Base(c.Kept), filepath.Base(c.Dropped))
}
