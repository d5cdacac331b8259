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
	keptT := s.Tables[:0]
	for _, t := range s.Tables {
		if drop(KindTable, t.Name) {
			gone[t.Name] = true
			removed = append(removed, KindTable+" "+t.Name)
			continue
		}
		keptT = append(keptT, t)
	}
	clear(s.Tables[len(keptT):])
	s.Tables = keptT
	keptV := s.Views[:0]
	for _, v := range s.Views {
		if drop(KindView, v.Name) {
			removed = append(removed, KindView+" "+v.Name)
			continue
		}
		keptV = append(keptV, v)
	}
	clear(s.Views[len(keptV):])
	s.Views = keptV
	keptTr := s.Triggers[:0]
	for _, tr := range s.Triggers {
		if gone[tr.Table] || drop(KindTrigger, tr.Name) {
			removed = append(removed, KindTrigger+" "+tr.Name)
			continue
		}
		keptTr = append(keptTr, tr)
	}
	clear(s.Triggers[len(keptTr):])
	s.Triggers = keptTr
	keptR := s.Routines[:0]
	for _, r := range s.Routines {
		kind := KindProcedure
		if r.Kind == RoutineFunction {
			kind = KindFunction
		}
		if drop(kind, r.Name) {
			removed = append(removed, kind+" "+r.Name)
			continue
		}
		keptR = append(keptR, r)
	}
	clear(s.Routines[len(keptR):])
	s.Routines = keptR
	keptE := s.Events[:0]
	for _, e := range s.Events {
		if drop(KindEvent, e.Name) {
			removed = append(removed, KindEvent+" "+e.Name)
			continue
		}
		keptE = append(keptE, e)
	}
	clear(s.Events[len(keptE):])
	s.Events = keptE
	return removed
}
