package mysql

import "testing"

func TestLeftover(t *testing.T) {
	d := &Dialect{}
	for _, c := range []struct{ kind, name, tool string }{
		{"table", "_users_new", toolPTOSC},
		{"table", "_users_old", toolPTOSC},
		{"table", "__users_old", toolPTOSC},
		{"table", "_users_gho", toolGhost},
		{"table", "_users_ghc", toolGhost},
		{"table", "_users_del", toolGhost},
		{"trigger", "pt_osc_app_users_ins", toolPTOSC},
		{"table", "users_new", ""},
		{"table", "_new", ""},
		{"table", "users", ""},
		{"view", "_users_new", ""},
		{"trigger", "users_ins", ""},
	} {
		tool, ok := d.Leftover(c.kind, c.name)
		if tool != c.tool || ok != (c.tool != "") {
			t.Errorf("Leftover(%s %s) = %q, %v; want %q", c.kind, c.name, tool, ok, c.tool)
		}
	}
}
