package config

import (
	"strings"
	"testing"
)

func TestFiles_LoadEnvironment_onlineSchemaChange(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want OnlineSchemaChange // Pos is not compared
	}{
		{"pt-osc", `online_schema_change {
  engine   = "pt-osc"
  min_size = "1GiB"
  args     = ["--max-load", "Threads_running=50"]
}`, OnlineSchemaChange{Engine: "pt-osc", MinSize: 1 << 30, Args: []string{"--max-load", "Threads_running=50"}}},
		{"gh-ost, no min_size", `online_schema_change { engine = "gh-ost" }`, OnlineSchemaChange{Engine: "gh-ost"}},
		{"decimal unit", `online_schema_change {
  engine = "pt-osc"
  min_size = "500 MB"
}`, OnlineSchemaChange{Engine: "pt-osc", MinSize: 500e6}},
		{"command", `online_schema_change {
  command  = "my-osc --db {SCHEMA} --table {TABLE} --alter {CLAUSES} --defaults {DEFAULTS_FILE}"
  min_size = "0"
}`, OnlineSchemaChange{Engine: "command", Command: "my-osc --db {SCHEMA} --table {TABLE} --alter {CLAUSES} --defaults {DEFAULTS_FILE}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "environments/prod.hcl", "url = \"x\"\n"+tt.src+"\n")
			env, diags := NewFiles().LoadEnvironment(dir, "prod", fakeEnv(nil))
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			got := env.OnlineSchemaChange
			if got == nil {
				t.Fatal("no online_schema_change read")
			}
			if got.Pos.Line != 2 || got.Pos.Column != 1 {
				t.Errorf("Pos = %v, want line 2 column 1", got.Pos)
			}
			got.Pos = Pos{}
			assertEqual(t, *got, tt.want)
		})
	}
}

func TestFiles_LoadEnvironment_onlineSchemaChangeDiagnostics(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []wantDiag
		detail string
	}{
		{"unknown engine", "online_schema_change {\n  engine = \"pt-oscc\"\n}\n",
			[]wantDiag{{"Unknown online schema change engine", "prod.hcl:3:12"}}, `Did you mean "pt-osc"?`},
		{"unknown engine far off", "online_schema_change {\n  engine = \"liquibase\"\n}\n",
			[]wantDiag{{"Unknown online schema change engine", "prod.hcl:3:12"}}, `use "pt-osc" or "gh-ost"`},
		{"bad size", "online_schema_change {\n  engine = \"pt-osc\"\n  min_size = \"big\"\n}\n",
			[]wantDiag{{"Invalid min_size", "prod.hcl:4:14"}}, `"big" is not a number followed by a unit`},
		{"bad unit", "online_schema_change {\n  engine = \"pt-osc\"\n  min_size = \"1 GiBs\"\n}\n",
			[]wantDiag{{"Invalid min_size", "prod.hcl:4:14"}}, `unknown unit "GiBs"`},
		{"unknown placeholder", "online_schema_change {\n  command = \"osc {TABLE} {CLAUSE}\"\n}\n",
			[]wantDiag{{"Unknown placeholder", "prod.hcl:3:26"}}, "Did you mean {CLAUSES}?"},
		{"command without table", "online_schema_change {\n  command = \"osc {CLAUSES}\"\n}\n",
			[]wantDiag{{"Command without its table", "prod.hcl:3:13"}}, ""},
		{"engine and command", "online_schema_change {\n  engine = \"pt-osc\"\n  command = \"x {DDL}\"\n}\n",
			[]wantDiag{{"Both engine and command", "prod.hcl:4:3"}}, ""},
		{"neither", "online_schema_change {\n  min_size = \"1GiB\"\n}\n",
			[]wantDiag{{"No online schema change engine", "prod.hcl:2:1"}}, ""},
		{"unknown attribute", "online_schema_change {\n  engine = \"pt-osc\"\n  minsize = \"1GiB\"\n}\n",
			[]wantDiag{{"Unsupported argument", "prod.hcl:4:3"}}, ""},
		{"twice", "online_schema_change {\n  engine = \"pt-osc\"\n}\nonline_schema_change {\n  engine = \"pt-osc\"\n}\n",
			[]wantDiag{{"Duplicate online_schema_change block", "prod.hcl:5:1"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkEnvDiags(t, tt.src, tt.want, tt.detail) })
	}
}

// checkEnvDiags loads environments/prod.hcl made of a url and src, and
// checks its diagnostics against want and the first one's detail against
// detail ("" for any).
func checkEnvDiags(t *testing.T, src string, want []wantDiag, detail string) {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "environments/prod.hcl", "url = \"x\"\n"+src)
	_, diags := NewFiles().LoadEnvironment(dir, "prod", fakeEnv(nil))
	checkDiags(t, diags, want)
	if detail != "" && len(diags) > 0 && !strings.Contains(diags[0].Detail, detail) {
		t.Errorf("detail %q does not contain %q", diags[0].Detail, detail)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "1024": 1024, "1KiB": 1024, "1 kib": 1024, "1.5GiB": 3 << 29, "10MB": 10e6, "2T": 2 << 40, "7B": 7,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "GiB", "-1", "1 GiB 2", "1XB"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) has no error", in)
		}
	}
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1 << 30: "1 GiB", 3 << 29: "1.5 GiB", 211 << 20: "211 MiB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
