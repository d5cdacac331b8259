package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// A user that may not see every trigger (MariaDB hides them from a user
// without TRIGGER, INSERT, UPDATE or DELETE on their table, and nothing else
// tells that one exists), every stored routine (without EXECUTE or another
// routine privilege, but for its own) or every event (without EVENT) gets a
// model without them. Compared as it is, that model would report the
// schema's objects of that kind missing: a plan that wants some refuses,
// and so do drift and status when the live schema is not the revision's,
// each naming the privilege. Where the model matches, the hidden objects
// cannot have changed what was recorded (a revision's hash covers them),
// and a warning says that one added by hand would not show.

// unseenKind is a kind of object the user may not see all of.
type unseenKind struct {
	kind string // "trigger"
	why  string // the schema's TriggersHidden
	n    int    // how many of them the desired schema has
}

// unseen lists the kinds of objects s, an inspected schema, may lack;
// desired (or nil) counts those it has.
func unseen(s, desired *schema.Schema) []unseenKind {
	var ks []unseenKind
	add := func(kind, why string, n int) {
		if why != "" {
			ks = append(ks, unseenKind{kind, why, n})
		}
	}
	if desired == nil {
		desired = &schema.Schema{}
	}
	add("trigger", s.TriggersHidden, len(desired.Triggers))
	add("stored routine", s.RoutinesHidden, len(desired.Routines))
	add("event", s.EventsHidden, len(desired.Events))
	return ks
}

// noteHidden warns, once per run, of each kind of object the user may not
// see all of.
func (t *target) noteHidden(s *schema.Schema) {
	if t.exclude == nil || t.exclude.warn == nil || t.hiddenWarned {
		return
	}
	ks := unseen(s, nil)
	if len(ks) == 0 {
		return
	}
	t.hiddenWarned = true
	for _, k := range ks {
		a := "a"
		if strings.HasPrefix(k.kind, "e") {
			a = "an"
		}
		fmt.Fprintf(t.exclude.warn, "warning: %s; until then %s %s added by hand does not show.\n", k.why, a, k.kind)
	}
}

// triggersSeen refuses to plan the desired schema's triggers, routines or
// events against a model in which the user may not see them.
func triggersSeen(live, desired *schema.Schema) error {
	var errs []string
	for _, k := range unseen(live, desired) {
		if k.n > 0 {
			errs = append(errs, fmt.Sprintf("cannot compare the schema's %s with the database's: %s", plural(k.n, k.kind), k.why))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errors.New(strings.Join(errs, "\n"))
}

// driftSeen refuses to call a live schema drifted when it differs from the
// revision's (hash want) and the user may not see every trigger, routine
// or event: the difference may be only those.
func driftSeen(t *target, live *schema.Schema, hash, want string) error {
	ks := unseen(live, nil)
	if len(ks) == 0 || hash == want {
		return nil
	}
	whys := make([]string, len(ks))
	for i, k := range ks {
		whys[i] = k.why
	}
	return fmt.Errorf("cannot tell whether %s has drifted: its live schema differs from the revision's, and %s", t.Name, strings.Join(whys, "; and "))
}

// warnNotPermitted warns of a canonicalization the user's privileges
// stopped (the plan then shows those changes as written) and reports
// whether err was one.
func (t *target) warnNotPermitted(err error) bool {
	if !errors.Is(err, dialect.ErrNotPermitted) {
		return false
	}
	if t.exclude != nil && t.exclude.warn != nil {
		fmt.Fprintf(t.exclude.warn, "warning: %s.\n", strings.TrimPrefix(err.Error(), dialect.ErrNotPermitted.Error()+": "))
	}
	return true
}
