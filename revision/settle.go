package revision

import (
	"context"
	"fmt"
	"maps"
	"slices"
)

// EventSettle is a person's word on a statement a run died during that
// Strata could not settle itself (an *OpaqueError or *UncertainError): it
// took effect, or it did not. Its note says which statement and what.
const EventSettle = "settle"

// Settled is what Settle recorded.
type Settled struct {
	Index      int // 0-based, of the direction's statements
	Line       int // in the revision's file; 0 when unknown
	Statement  string
	TookEffect bool
	// Next is the number of statements done now: a sequential resume goes
	// on at statement Next+1.
	Next int
}

// Settle records, for the revision r whose run rec records, whether the
// statement that run died during took effect, as a person found by hand:
// tookEffect counts it done, so the resume goes on after it; otherwise the
// resume runs it again. It refuses a record with nothing to settle. The
// caller holds the lock, so that no run is going on: a live run's
// statement looks the same as a dead one's.
func Settle(ctx context.Context, st *Store, r *Revision, rec *Record, tookEffect bool) (*Settled, error) {
	if rec.Status != StatusPartial {
		return nil, fmt.Errorf("revision %s is %s: no run of it stopped part-way, nothing to settle", r.Version, rec.Status)
	}
	ss := r.Up
	if rec.Direction == Down {
		ss = r.Down
	}
	state, err := st.Steps(ctx, r.Version)
	if err != nil {
		return nil, err
	}
	i := -1
	switch {
	case state != nil:
		// A parallel run: one statement left running at a time is settled.
		running := slices.Sorted(maps.Keys(state.Running))
		if len(running) > 0 {
			i = running[0]
		}
	case rec.Running >= 0 && rec.Running == rec.Done:
		i = rec.Running
	}
	if i < 0 || i >= len(ss) {
		return nil, fmt.Errorf("revision %s stopped after %d of %d statements with none left running: nothing to settle; %s resumes it",
			r.Version, rec.Done, rec.Total, resumeCommand(rec.Direction))
	}
	s := &Settled{Index: i, Line: ss[i].Line, Statement: ss[i].SQL, TookEffect: tookEffect}
	if state != nil {
		delete(state.Running, i)
		if tookEffect {
			state.Done = append(state.Done, i)
		}
		s.Next = len(state.Done)
		if err := st.SaveSteps(ctx, r.Version, state, s.Next); err != nil {
			return nil, err
		}
	} else {
		s.Next = rec.Done
		if tookEffect {
			s.Next++
		}
		if err := st.Progress(ctx, r.Version, s.Next); err != nil {
			return nil, err
		}
	}
	what := "did not take effect: it runs again"
	if tookEffect {
		what = "took effect: it is done"
	}
	at := ""
	if s.Line > 0 {
		at = fmt.Sprintf(" (%s line %d)", r.File, s.Line)
	}
	note := fmt.Sprintf("%s statement %d%s settled by hand: it %s; %s", dirWord(rec.Direction), i+1, at, what, firstLine(s.Statement))
	if err := st.RecordEvent(ctx, r.Version, EventSettle, note); err != nil {
		return nil, err
	}
	return s, nil
}

func dirWord(direction string) string {
	if direction == Down {
		return "down"
	}
	return "up"
}

func resumeCommand(direction string) string {
	if direction == Down {
		return "strata rollback"
	}
	return "strata apply"
}
