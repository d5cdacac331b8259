package schema

// Object kinds, as Without asks about them.
const (
	KindTable   = "table"
	KindView    = "view"
	KindTrigger = "trigger"
	// KindProcedure and KindFunction are a routine's Kind in lower case.
	KindProcedure = "procedure"
	KindFunction  = "function"
	KindEvent     = "event"
)

// Without removes from s the tables, views, triggers, routines and events
// for which drop reports true, with the triggers of every table it removes, and returns
// the removed objects as "kind name" strings in the order s held them.
func (s *Schema) Without(drop func(kind, name string) bool) []string {
	var removed []string
	gone := map[string]bool{}
	s.Tables = without(s.Tables, &removed, func(t *Table) (string, string, bool) {
		gone[t.Name] = drop(KindTable, t.Name)
		return KindTable, t.Name, gone[t.Name]
	})
	s.Views = without(s.Views, &removed, func(v *View) (string, string, bool) {
		return KindView, v.Name, drop(KindView, v.Name)
	})
	s.Triggers = without(s.Triggers, &removed, func(tr *Trigger) (string, string, bool) {
		return KindTrigger, tr.Name, gone[tr.Table] || drop(KindTrigger, tr.Name)
	})
	s.Routines = without(s.Routines, &removed, func(r *Routine) (string, string, bool) {
		kind := KindProcedure
		if r.Kind == RoutineFunction {
			kind = KindFunction
		}
		return kind, r.Name, drop(kind, r.Name)
	})
	s.Events = without(s.Events, &removed, func(e *Event) (string, string, bool) {
		return KindEvent, e.Name, drop(KindEvent, e.Name)
	})
	return removed
}

// without keeps the items whose test says not to drop them, in place, and
// appends "kind name" of each dropped one to removed.
func without[T any](items []T, removed *[]string, test func(T) (kind, name string, drop bool)) []T {
	kept := items[:0]
	for _, it := range items {
		if kind, name, drop := test(it); drop {
			*removed = append(*removed, kind+" "+name)
			continue
		}
		kept = append(kept, it)
	}
	clear(items[len(kept):])
	return kept
}
