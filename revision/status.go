package revision

import "fmt"

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
	for _, rec := range recs {
		st.Records[rec.Version] = rec
		if rec.Status == StatusRolledBack {
			continue
		}
		r, ok := byVersion[rec.Version]
		if !ok {
			return nil, &HistoryError{Version: rec.Version, Reason: fmt.Sprintf("is %s in the database but has no file in the migrations directory "+
				"(applied from another branch or directory?); bring its file back, or roll it back from where it came", rec.Status)}
		}
		if rec.Checksum != r.Checksum {
			return nil, &HistoryError{Version: rec.Version, Reason: fmt.Sprintf("in the database was applied from a different file than %s "+
				"(checksum %s there, %s here); revisions must not change once applied. Restore the file as it was applied "+
				"(git log -p -- %s shows the edit; e.g. git checkout COMMIT -- %s), then run %q; "+
				"to change the schema, make a new revision instead (edit the schema, then strata apply)",
				r.File, rec.Checksum, r.Checksum, r.File, r.File, RehashCommand)}
		}
	}
	// Applied revisions form a prefix of the history, then at most one
	// partial one, then the pending rest.
	i := 0
	for ; i < len(revs); i++ {
		rec, ok := st.Records[revs[i].Version]
		if !ok || rec.Status != StatusApplied {
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
