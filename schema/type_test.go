package schema

import "testing"

func TestGenerated_Format(t *testing.T) {
	for _, tc := range []struct {
		g    Generated
		want string
	}{
		{Generated{Expr: "`a` + 1"}, "GENERATED ALWAYS AS (`a` + 1) VIRTUAL"},
		{Generated{Expr: "lower(`s`)", Stored: true}, "GENERATED ALWAYS AS (lower(`s`)) STORED"},
	} {
		if got := tc.g.Format(); got != tc.want {
			t.Errorf("Format() = %q, want %q", got, tc.want)
		}
	}
}
