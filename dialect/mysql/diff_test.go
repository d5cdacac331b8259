package mysql

import (
	"slices"
	"testing"

	"github.com/stratadb/strata/schema"
)

func TestRenamedForeignKey(t *testing.T) {
	d := Default()
	for _, tc := range []struct{ fk, from, to, want string }{
		{"c_ibfk_1", "c", "c2", "c2_ibfk_1"},
		{"c_ibfk_x", "c", "c2", "c2_ibfk_x"},
		{"c_ibfk_1", "c", "c", "c_ibfk_1"},
		{"my_fk", "c", "c2", "my_fk"},
		{"cc_ibfk_1", "c", "c2", "cc_ibfk_1"},
	} {
		if got := d.RenamedForeignKey(tc.fk, tc.from, tc.to); got != tc.want {
			t.Errorf("RenamedForeignKey(%q, %q, %q) = %q, want %q", tc.fk, tc.from, tc.to, got, tc.want)
		}
	}
}

func TestViewDependencies(t *testing.T) {
	d := Default()
	for _, tc := range []struct {
		name, def string
		dependsOn []string
		want      []string
	}{
		{"server rendering", "select `t`.`id` AS `id` from `t` join `u`", nil, []string{"t", "id", "id", "t", "u"}},
		{"doubled backquote", "select 1 from `a``b`", nil, []string{"a`b"}},
		{"declared first", "select 1 from `t`", []string{"base"}, []string{"base", "t"}},
		{"bare names are not read", "select id from t", []string{"t"}, []string{"t"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &schema.View{Name: "v", Definition: tc.def, DependsOn: tc.dependsOn}
			got := d.ViewDependencies(v)
			if !slices.Equal(got, tc.want) {
				t.Errorf("ViewDependencies(%q) = %q, want %q", tc.def, got, tc.want)
			}
			if !slices.Equal(v.DependsOn, tc.dependsOn) {
				t.Errorf("DependsOn changed to %q", v.DependsOn)
			}
		})
	}
}
