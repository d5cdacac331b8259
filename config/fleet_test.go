package config

import (
	"strings"
	"testing"
)

func TestFiles_LoadEnvironment_fleet(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Fleet
	}{
		{"databases with defaults", `
url = "mysql://root@127.0.0.1:3306/"
targets {
  databases = ["tenant_0001", "tenant_0002"]
}`, Fleet{Databases: []string{"tenant_0001", "tenant_0002"}, Parallel: 1, OnError: "stop"}},
		{"every attribute", `
url          = "mysql://root@127.0.0.1:3306/{database}?timeout=5s"
targets {
  matching = "tenant\\_%"
}
parallel     = 8
canary       = ["tenant_0001"]
on_error     = "continue"
max_failures = 3
`, Fleet{Matching: `tenant\_%`, Parallel: 8, Canary: []string{"tenant_0001"}, OnError: "continue", MaxFailures: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "environments/prod.hcl", tt.src)
			env, diags := NewFiles().LoadEnvironment(dir, "prod", fakeEnv(nil))
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			if env.Fleet == nil {
				t.Fatal("no fleet")
			}
			assertEqual(t, *env.Fleet, tt.want)
		})
	}
}

func TestFiles_LoadEnvironment_fleetDiagnostics(t *testing.T) {
	const url = "url = \"mysql://root@h:3306/\"\n"
	tests := []struct {
		name   string
		src    string
		want   []wantDiag
		detail string
	}{
		{"parallel without targets", url + "parallel = 8\n",
			[]wantDiag{{"Attribute without targets", "prod.hcl:2:1"}}, "add a targets block"},
		{"empty targets", url + "targets {\n}\n",
			[]wantDiag{{"Empty targets block", "prod.hcl:2:1"}}, "matching"},
		{"both lists", url + "targets {\n  databases = [\"a\"]\n  matching = \"t_%\"\n}\n",
			[]wantDiag{{"Conflicting attributes", "prod.hcl:4:3"}}, ""},
		{"no databases", url + "targets {\n  databases = []\n}\n",
			[]wantDiag{{"No targets", "prod.hcl:3:15"}}, ""},
		{"bad name", url + "targets {\n  databases = [\"ok\", \"a/b\"]\n}\n",
			[]wantDiag{{"Invalid database name", "prod.hcl:3:22"}}, `"a/b"`},
		{"duplicate name", url + "targets {\n  databases = [\"a\", \"a\"]\n}\n",
			[]wantDiag{{"Duplicate target", "prod.hcl:3:21"}}, ""},
		{"parallel zero", url + "targets {\n  databases = [\"a\"]\n}\nparallel = 0\n",
			[]wantDiag{{"Invalid value", "prod.hcl:5:12"}}, "from 1 to 256"},
		{"parallel not a number", url + "targets {\n  databases = [\"a\"]\n}\nparallel = \"eight\"\n",
			[]wantDiag{{"Incorrect attribute value type", "prod.hcl:5:12"}}, ""},
		{"unknown canary", url + "targets {\n  databases = [\"tenant_0001\"]\n}\ncanary = [\"tenant_001\"]\n",
			[]wantDiag{{"Unknown canary", "prod.hcl:5:11"}}, `Did you mean "tenant_0001"?`},
		{"bad on_error", url + "targets {\n  databases = [\"a\"]\n}\non_error = \"ignore\"\n",
			[]wantDiag{{"Invalid on_error", "prod.hcl:5:12"}}, `"stop"`},
		{"max_failures with stop", url + "targets {\n  databases = [\"a\"]\n}\nmax_failures = 2\n",
			[]wantDiag{{`max_failures without on_error = "continue"`, "prod.hcl:5:1"}}, ""},
		{"url names a database", "url = env(\"PROD_URL\")\ntargets {\n  databases = [\"a\"]\n}\n",
			[]wantDiag{{"Invalid url for targets", "prod.hcl:1:7"}}, "{database}"},
		{"duplicate block", url + "targets {\n  databases = [\"a\"]\n}\ntargets {\n  databases = [\"b\"]\n}\n",
			[]wantDiag{{"Duplicate targets block", "prod.hcl:5:1"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "environments/prod.hcl", tt.src)
			f := NewFiles()
			_, diags := f.LoadEnvironment(dir, "prod", fakeEnv(map[string]string{"PROD_URL": secretURL}))
			checkDiags(t, diags, tt.want)
			if tt.detail != "" && len(diags) > 0 && !strings.Contains(diags[0].Detail, tt.detail) {
				t.Errorf("detail %q does not contain %q", diags[0].Detail, tt.detail)
			}
			var b strings.Builder
			_ = f.WriteDiagnostics(&b, diags, false)
			if strings.Contains(b.String(), "s3cret") {
				t.Errorf("diagnostics leak a secret:\n%s", b.String())
			}
		})
	}
}

func TestEnvironment_TargetURL(t *testing.T) {
	tests := []struct{ url, want string }{
		{"mysql://u:p@h:3306/", "mysql://u:p@h:3306/tenant_7"},
		{"mysql://u:p@h:3306", "mysql://u:p@h:3306/tenant_7"},
		{"mysql://u:p@h:3306/?tls=true", "mysql://u:p@h:3306/tenant_7?tls=true"},
		{"mysql://u:p@h/{database}?timeout=5s", "mysql://u:p@h/tenant_7?timeout=5s"},
		{"sqlite://tenants/{database}.db", "sqlite://tenants/tenant_7.db"},
	}
	for _, tt := range tests {
		got, err := (&Environment{URL: tt.url}).TargetURL("tenant_7")
		if err != nil || got != tt.want {
			t.Errorf("TargetURL(%q) = %q, %v; want %q", tt.url, got, err, tt.want)
		}
	}
	if _, err := (&Environment{URL: "mysql://h/app"}).TargetURL("x"); err == nil {
		t.Error("a url naming a database: want an error")
	}
	got, err := (&Environment{URL: "mysql://u@h:3306/?tls=true"}).ServerURL()
	if err != nil || got != "mysql://u@h:3306/?tls=true" {
		t.Errorf("ServerURL = %q, %v", got, err)
	}
}
