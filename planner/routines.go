package planner

import (
	"github.com/stratadb/strata/schema"
)

// routineChanges are the routine and event changes of the first phase
// (drops) and of the last (creates and changes, after every table and view
// they may read).
type routineChanges struct {
	drops, creates []schema.Change
}

// diffRoutines compares stored routines (by kind and name) and events (by
// name). A changed routine is replaced; a changed event is altered.
func (d *differ) diffRoutines() routineChanges {
	var rc routineChanges
	if len(d.cur.Routines)+len(d.des.Routines)+len(d.cur.Events)+len(d.des.Events) == 0 {
		return rc
	}
	key := func(r *schema.Routine) string { return r.Kind + "\x00" + r.Name }
	desR := make(map[string]*schema.Routine, len(d.des.Routines))
	for _, r := range d.des.Routines {
		desR[key(r)] = r
	}
	curR := make(map[string]*schema.Routine, len(d.cur.Routines))
	for _, r := range d.cur.Routines {
		curR[key(r)] = r
		if _, ok := desR[key(r)]; !ok {
			rc.drops = append(rc.drops, &schema.DropRoutine{R: r})
		}
	}
	for _, r := range d.des.Routines {
		c, ok := curR[key(r)]
		switch {
		case !ok:
			rc.creates = append(rc.creates, &schema.AddRoutine{R: r})
		case !RoutineEqual(c, r):
			rc.creates = append(rc.creates, &schema.ModifyRoutine{From: c, To: r})
		}
	}
	desE := make(map[string]*schema.Event, len(d.des.Events))
	for _, e := range d.des.Events {
		desE[e.Name] = e
	}
	curE := make(map[string]*schema.Event, len(d.cur.Events))
	for _, e := range d.cur.Events {
		curE[e.Name] = e
		if _, ok := desE[e.Name]; !ok {
			rc.drops = append(rc.drops, &schema.DropEvent{E: e})
		}
	}
	for _, e := range d.des.Events {
		c, ok := curE[e.Name]
		switch {
		case !ok:
			rc.creates = append(rc.creates, &schema.AddEvent{E: e})
		case !EventEqual(c, e):
			rc.creates = append(rc.creates, &schema.ModifyEvent{From: c, To: e})
		}
	}
	return rc
}

// RoutineEqual compares two routines of the same kind and name, DependsOn
// aside.
func RoutineEqual(a, b *schema.Routine) bool {
	return a.Kind == b.Kind && a.Name == b.Name && a.Params == b.Params && a.Returns == b.Returns &&
		a.Deterministic == b.Deterministic && a.DataAccess == b.DataAccess && a.Security == b.Security &&
		a.Comment == b.Comment && a.Body == b.Body && a.Context == b.Context
}

// EventEqual compares two events, DependsOn aside. An event of b without
// Starts (the desired schema does not say) matches any start: the server
// fills it with the creation time.
func EventEqual(a, b *schema.Event) bool {
	return a.Name == b.Name && a.Every == b.Every && a.At == b.At &&
		(a.Starts == b.Starts || a.Starts == "" || b.Starts == "") && a.Ends == b.Ends &&
		a.Preserve == b.Preserve && a.Status == b.Status && a.Comment == b.Comment && a.Body == b.Body && a.Context == b.Context
}
