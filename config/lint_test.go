package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFiles_LoadEnvironment_lint(t *testing.T) {
	tests := []struct {
		name  string
		block string
		want  map[string]string
		diag  string // in the diagnostics; "" for none
	}{
		{"overrides", `lint {
  no_primary_key = "warning"
  float_money    = "OFF"
}`, map[string]string{"no_primary_key": "warning", "float_money": "off"}, ""},
		{"empty block", `lint {}`, map[string]string{}, ""},
		{"unknown rule with a suggestion", `lint {
  no_primary_keys = "error"
}`, nil, `Unknown lint rule; There is no lint rule "no_primary_keys". Did you mean "no_primary_key"?`},
		{"unknown rule", `lint {
  tabs = "error"
}`, nil, "Rules: no_primary_key, "},
		{"invalid severity", `lint {
  float_money = "fatal"
}`, nil, `Invalid lint severity; The severity of float_money must be "error", "warning" or "off"; got "fatal".`},
		{"two blocks", "lint {}\nlint {}", nil, "Duplicate lint block"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "environments/dev.hcl", "url = \"sqlite://x.db\"\n"+tt.block+"\n")
			env, diags := NewFiles().LoadEnvironment(dir, "dev", fakeEnv(nil))
			if tt.diag != "" {
				if !strings.Contains(diags.Error(), tt.diag) {
					t.Fatalf("diagnostics %q lack %q", diags.Error(), tt.diag)
				}
				return
			}
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			assertEqual(t, env.Lint, tt.want)
		})
	}
}

func TestFiles_Declarations(t *testing.T) {
	dir := t.TempDir()
	src := `table "users" {
  column "id" {
    type = int
  }
  primary_key = ["id"]
  index "users_id_idx" {
    columns = ["id"]
  }
  foreign_key "users_self_fk" {
    columns     = ["id"]
    ref_table   = "users"
    ref_columns = ["id"]
  }
}

view "v" {
  definition = "select 1"
}
`
	path := filepath.Join(dir, "schema.hcl")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f := NewFiles()
	if _, diags := f.LoadSchema(path); diags.HasErrors() {
		t.Fatal(diags)
	}
	got := f.Declarations()
	tests := []struct {
		decl      Decl
		line, col int
	}{
		{Decl{Type: "table", Name: "users"}, 1, 7},
		{Decl{Type: "column", Table: "users", Name: "id"}, 2, 10},
		{Decl{Type: "primary_key", Table: "users", Name: "PRIMARY"}, 5, 3},
		{Decl{Type: "index", Table: "users", Name: "users_id_idx"}, 6, 9},
		{Decl{Type: "foreign_key", Table: "users", Name: "users_self_fk"}, 9, 15},
		{Decl{Type: "view", Name: "v"}, 16, 6},
	}
	for _, tt := range tests {
		t.Run(tt.decl.Type, func(t *testing.T) {
			p, ok := got[tt.decl]
			if !ok || p.File != path || p.Line != tt.line || p.Column != tt.col {
				t.Errorf("%+v at %+v (found %v), want line %d col %d", tt.decl, p, ok, tt.line, tt.col)
			}
		})
	}
}
