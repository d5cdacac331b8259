package revision

import (
	"fmt"
	"strings"
)

// State is how a database stands against the directory's history.
type State struct {
	// Applied are the revisions the database has, in history order: a
	// prefix of the history.
	Applied []*Revision
	// Partial is the revision a stopped run left part-way (up or down), nil
	// when none; its record is PartialRecord. It is not in Applied or Pending.
	Partial       *Revision
	PartialRecord *Record
	// Pending are the revisions still to apply, in order.
	Pending []*Revision
	// Records maps version → record for every revision the database knows.
	Records map[string]Record
}

// Current returns the last applied revision, nil when none.
func (s *State) Current() *Revision {
	if len(s.Applied) == 0 {
		return nil
	}
	return s.Applied[len(s.Applied)-1]
}

// HistoryError reports a database whose records do not fit the directory's
// history: an unknown or altered revision, or a gap.
type HistoryError struct {
	Version string
	Reason  string
}

func (e *HistoryError) Error() string {
	return fmt.Sprintf("revision %s %s", e.Version, e.Reason)
}

// Compare matches a database's records (Store.Applied) with the history
// (Dir.Load, in order). Errors are *HistoryError.
func Compare(revs []*Revision, recs []Record) (*State, error) {
	st := &State{Records: map[string]Record{}}
	byVersion := map[string]*Revision{}
	for _, r := range revs {
		byVersion[r.Version] = r
	}
	var foreign []Record
	for _, rec := range recs {
		st.Records[rec.Version] = rec
		if rec.Status == StatusRolledBack {
			continue
		}
		r, ok := byVersion[rec.Version]
		if !ok {
			foreign = append(foreign, rec)
			continue
		}
		if rec.Checksum != r.Checksum {
			return nil, &HistoryError{Version: rec.Version, Reason: fmt.Sprintf("in the database was applied from a different file than %s "+
				"(checksum %s there, %s here); revisions must not change once applied. Restore the file as it was applied "+
				"(git log -p -- %s shows the edit; e.g. git checkout COMMIT -- %s), then run %q; "+
				"to change the schema, make a new revision instead (edit the schema, then strata apply)",
				r.File, rec.Checksum, r.Checksum, r.File, r.File, RehashCommand)}
		}
	}
	if len(foreign) > 0 {
		return nil, &ForeignError{Records: foreign}
	}
	// Applied revisions form a prefix of the history, then at most one
	// partial one, then the pending rest.
	i := 0
	for ; i < len(revs); i++ {
		rec, ok := st.Records[revs[i].Version]
		if !ok || !rec.IsApplied() {
			break
		}
		st.Applied = append(st.Applied, revs[i])
	}
	if i < len(revs) {
		if rec, ok := st.Records[revs[i].Version]; ok && rec.Status == StatusPartial {
			st.Partial, st.PartialRecord = revs[i], &rec
			i++
		}
	}
	st.Pending = revs[i:]
	for _, r := range st.Pending {
		if rec, ok := st.Records[r.Version]; ok && rec.Status != StatusRolledBack {
			prev := "the start"
			if i > 0 {
				prev = revs[i-1].Version
			}
			return nil, &HistoryError{Version: r.Version, Reason: fmt.Sprintf("is %s in the database, but an earlier revision after %s is not; "+
				"the history has a gap", rec.Status, prev)}
		}
	}
	return st, nil
}

// ForeignError reports revisions a database has applied (or partly
// applied) that the migrations directory has no file for: on a dev
// database shared by branches, another branch applied them. Nothing can be
// planned against such a database: without their files their changes look
// like drift, and a plan would undo them. Env and Dir, when set, word the
// message (the environment's name, the directory's path).
type ForeignError struct {
	Records  []Record
	Env, Dir string
}

func (e *ForeignError) Error() string {
	env, dir := "this database", "the migrations directory"
	if e.Env != "" {
		env = e.Env
	}
	if e.Dir != "" {
		dir = e.Dir
	}
	var b strings.Builder
	for i, rec := range e.Records {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(recordName(rec))
		how := []string{"applied"}
		switch rec.Status {
		case StatusPartial:
			how[0] = "partly applied"
		case StatusBaselined:
			how[0] = "baselined"
		}
		if rec.AppliedBy != "" {
			how = append(how, "by "+rec.AppliedBy)
		}
		if !rec.StartedAt.IsZero() {
			how = append(how, rec.StartedAt.UTC().Format("2006-01-02 15:04 UTC"))
		}
		b.WriteString(" (" + strings.Join(how, " ") + ")")
	}
	what, verb, files, it, its := "revision", "is", "its file", "it", "its"
	if len(e.Records) > 1 {
		what, verb, files, it, its = "revisions", "are", "their files", "them", "their"
	}
	return fmt.Sprintf("%s %s from another branch %s applied on %s, and %s has no file for %s; merge %s or roll %s back there "+
		"(strata rollback --env %s in the working copy that has %s). Until then nothing is planned on %s: without %s, %s changes would look like drift to undo",
		what, b.String(), verb, env, dir, it, files, it, envArg(e.Env), files, env, files, its)
}

// recordName is a record's version and slug, as its file is named.
func recordName(rec Record) string {
	if rec.Slug == "" {
		return rec.Version
	}
	return rec.Version + "_" + rec.Slug
}

func envArg(env string) string {
	if env == "" {
		return "NAME"
	}
	return env
}
