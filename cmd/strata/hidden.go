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
// tells that one exists) gets a model without them. Compared as it is,
// that model would report the schema's triggers missing: a plan that wants
// triggers refuses, and so do drift and status when the live schema is not
// the revision's, each naming the privilege. Where the model matches, the
// hidden triggers cannot have changed what was recorded (a revision's hash
// covers its triggers), and a warning says that a trigger added by hand
// would not show.

// noteHidden warns, once per run, that the user may not see every trigger.
func (t *target) noteHidden(s *schema.Schema) {
	if s.TriggersHidden == "" || t.exclude == nil || t.exclude.warn == nil || t.hiddenWarned {
		return
	}
	t.hiddenWarned = true
	fmt.Fprintf(t.exclude.warn, "warning: %s; until then a trigger added by hand does not show.\n", s.TriggersHidden)
}

// triggersSeen refuses to plan the desired schema's triggers against a
// model in which the user may not see them.
func triggersSeen(live, desired *schema.Schema) error {
	if live.TriggersHidden == "" || len(desired.Triggers) == 0 {
		return nil
	}
	return fmt.Errorf("cannot compare the schema's %s with the database's: %s", plural(len(desired.Triggers), "trigger"), live.TriggersHidden)
}

// driftSeen refuses to call a live schema drifted when it differs from the
// revision's (hash want) and the user may not see every trigger: the
// difference may be only those.
func driftSeen(t *target, live *schema.Schema, hash, want string) error {
	if live.TriggersHidden == "" || hash == want {
		return nil
	}
	return fmt.Errorf("cannot tell whether %s has drifted: its live schema differs from the revision's, and %s", t.Name, live.TriggersHidden)
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
