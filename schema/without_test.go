package schema

import (
	"slices"
	"testing"
)

func TestWithoutRoutinesAndEvents(t *testing.T) {
	s := &Schema{
		Routines: []*Routine{{Name: "p", Kind: RoutineProcedure}, {Name: "p", Kind: RoutineFunction}, {Name: "keep", Kind: RoutineProcedure}},
		Events:   []*Event{{Name: "tmp_e"}, {Name: "e"}},
	}
	removed := s.Without(func(kind, name string) bool {
		return (kind == KindFunction && name == "p") || (kind == KindEvent && name == "tmp_e")
	})
	if want := []string{"function p", "event tmp_e"}; !slices.Equal(removed, want) {
		t.Errorf("removed %v, want %v", removed, want)
	}
	if len(s.Routines) != 2 || s.Routine(RoutineProcedure, "p") == nil || s.Routine(RoutineFunction, "p") != nil {
		t.Errorf("routines left: %+v", s.Routines)
	}
	if len(s.Events) != 1 || s.Events[0].Name != "e" {
		t.Errorf("events left: %+v", s.Events)
	}
}
