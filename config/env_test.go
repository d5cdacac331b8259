package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func fakeEnv(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

const secretURL = "mysql://app:s3cret@127.0.0.1:3306/app"

func TestFiles_LoadEnvironment(t *testing.T) {
	tests := []struct {
		name string
		src  string
		vars map[string]string
		want Environment // Name and File are filled in by the test
	}{
		{"env url and defaults", `url = env("DEV_DATABASE_URL")`,
			map[string]string{"DEV_DATABASE_URL": secretURL},
			Environment{URL: secretURL, URLVar: "DEV_DATABASE_URL", LockTimeout: 10 * time.Second}},
		{"every attribute", `
url          = env("STAGING_DATABASE_URL")
dev_url      = env("STAGING_DEV_URL")
schema       = "schema"
promote_from = "dev"
protected    = true
lock_timeout = "30s"
`, map[string]string{"STAGING_DATABASE_URL": secretURL, "STAGING_DEV_URL": "mysql://root@localhost/scratch"},
			Environment{URL: secretURL, URLVar: "STAGING_DATABASE_URL", DevURL: "mysql://root@localhost/scratch", DevURLVar: "STAGING_DEV_URL",
				Schema: "schema", PromoteFrom: "dev", Protected: true, LockTimeout: 30 * time.Second}},
		{"literal url", `url = "sqlite://local.db"`, nil,
			Environment{URL: "sqlite://local.db", LockTimeout: 10 * time.Second}},
		{"template with env", `url = "mysql://app:${env("PW")}@db/app"`, map[string]string{"PW": "pw"},
			Environment{URL: "mysql://app:pw@db/app", URLVar: "PW", LockTimeout: 10 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, "environments/staging.hcl", tt.src)
			writeFile(t, dir, "environments/dev.hcl", `url = "sqlite://dev.db"`)
			env, diags := NewFiles().LoadEnvironment(dir, "staging", fakeEnv(tt.vars))
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			tt.want.Name, tt.want.File = "staging", path
			if tt.want.DDL == (DDL{}) {
				tt.want.DDL = DefaultDDL() // an environment without a ddl block
			}
			assertEqual(t, *env, tt.want)
		})
	}
}

func TestFiles_LoadEnvironment_diagnostics(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		vars   map[string]string
		want   []wantDiag
		detail string
	}{
		{"unset variable", "protected = true\nurl = env(\"DEV_DATABASE_URL\")\n", nil,
			[]wantDiag{{"Environment variable not set", "staging.hcl:2:7"}},
			"DEV_DATABASE_URL is not set; export it, e.g. export DEV_DATABASE_URL='mysql://user:pass@host:3306/db'"},
		{"empty variable", "url = env(\"X\")\n", map[string]string{"X": ""},
			[]wantDiag{{"Environment variable empty", "staging.hcl:1:7"}}, "X is set but empty"},
		{"both unset", "url = env(\"A\")\ndev_url = env(\"B\")\n", nil,
			[]wantDiag{{"Environment variable not set", "staging.hcl:1:7"}, {"Environment variable not set", "staging.hcl:2:11"}}, "A is not set"},
		{"missing url", "protected = true\n", nil,
			[]wantDiag{{"Missing required argument", "staging.hcl:1:1"}}, ""},
		{"unknown attribute", "url = \"x\"\nprotect = true\n", nil,
			[]wantDiag{{"Unsupported argument", "staging.hcl:2:1"}}, `Did you mean "protected"?`},
		{"unknown function", "url = getenv(\"X\")\n", nil,
			[]wantDiag{{"Call to unknown function", "staging.hcl:1:7"}}, ""},
		{"env without args", "url = env()\n", nil,
			[]wantDiag{{"Invalid env() call", "staging.hcl:1:7"}}, ""},
		{"bad lock_timeout", "url = \"x\"\nlock_timeout = \"ten seconds\"\n", nil,
			[]wantDiag{{"Invalid lock_timeout", "staging.hcl:2:16"}}, ""},
		{"promote from itself", "url = \"x\"\npromote_from = \"staging\"\n", nil,
			[]wantDiag{{"Invalid promote_from", "staging.hcl:2:16"}}, ""},
		{"promote from nowhere", "url = \"x\"\npromote_from = \"nowhere\"\n", nil,
			[]wantDiag{{"Unknown promote_from environment", "staging.hcl:2:16"}}, filepath.Join("environments", "nowhere.hcl") + ". Environments: dev, prod."},
		{"promote from a typo", "url = \"x\"\n\npromote_from   = \"prd\"\n", nil,
			[]wantDiag{{"Unknown promote_from environment", "staging.hcl:3:18"}}, `Did you mean "prod"?`},
		{"syntax error", "url = \n", nil,
			[]wantDiag{{"Invalid expression", "staging.hcl:1:7"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "environments/staging.hcl", tt.src)
			writeFile(t, dir, "environments/dev.hcl", "url = \"x\"\n")
			writeFile(t, dir, "environments/prod.hcl", "url = \"x\"\n")
			vars := map[string]string{"IRRELEVANT": secretURL}
			for k, v := range tt.vars {
				vars[k] = v
			}
			f := NewFiles()
			_, diags := f.LoadEnvironment(dir, "staging", fakeEnv(vars))
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

func TestFiles_LoadEnvironment_secretNeverInDiagnostics(t *testing.T) {
	// A variable holding something that is not a string-able URL still must
	// not show up: break the template after env() has resolved.
	dir := t.TempDir()
	writeFile(t, dir, "environments/prod.hcl", "url = env(\"PROD_URL\")\nlock_timeout = env(\"PROD_URL\")\n")
	f := NewFiles()
	_, diags := f.LoadEnvironment(dir, "prod", fakeEnv(map[string]string{"PROD_URL": secretURL}))
	var b strings.Builder
	_ = f.WriteDiagnostics(&b, diags, false)
	if !diags.HasErrors() {
		t.Fatal("want an error for a lock_timeout that is not a duration")
	}
	if strings.Contains(b.String(), "s3cret") {
		t.Errorf("diagnostics leak a secret:\n%s", b.String())
	}
}

func TestFiles_LoadEnvironment_missing(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "environments/dev.hcl", "url = \"x\"\n")
	writeFile(t, dir, "environments/prod.hcl", "url = \"x\"\n")
	_, diags := NewFiles().LoadEnvironment(dir, "staging", fakeEnv(nil))
	if !diags.HasErrors() {
		t.Fatal("want an error")
	}
	d := diags[0]
	if d.Summary != `Unknown environment "staging"` {
		t.Errorf("summary = %q", d.Summary)
	}
	for _, want := range []string{filepath.Join(dir, "environments", "staging.hcl"), "Environments: dev, prod."} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("detail %q lacks %q", d.Detail, want)
		}
	}
	t.Run("none exist", func(t *testing.T) {
		_, diags := NewFiles().LoadEnvironment(t.TempDir(), "dev", fakeEnv(nil))
		if !diags.HasErrors() || !strings.Contains(diags[0].Detail, "strata init") {
			t.Fatalf("diags = %v", diags)
		}
	})
	t.Run("path in name", func(t *testing.T) {
		_, diags := NewFiles().LoadEnvironment(dir, "../dev", fakeEnv(nil))
		if !diags.HasErrors() || diags[0].Summary != "Invalid environment name" {
			t.Fatalf("diags = %v", diags)
		}
	})
}

func TestEnvironmentNames(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"prod.hcl", "dev.hcl", "notes.md"} {
		writeFile(t, dir, "environments/"+n, "")
	}
	assertEqual(t, EnvironmentNames(dir), []string{"dev", "prod"})
}

func TestFiles_LoadEnvironment_dirIsEnvironments(t *testing.T) {
	// The CLI may pass the environments directory itself.
	dir := t.TempDir()
	path := writeFile(t, dir, "environments/dev.hcl", "url = \"sqlite://x.db\"\n")
	env, diags := NewFiles().LoadEnvironment(filepath.Join(dir, "environments"), "dev", fakeEnv(nil))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if env.File != path || env.URL != "sqlite://x.db" {
		t.Errorf("env = %+v", env)
	}
	assertEqual(t, EnvironmentNames(filepath.Join(dir, "environments")), []string{"dev"})
}
