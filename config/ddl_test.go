package config

import (
	"testing"
	"time"
)

func TestFiles_LoadEnvironment_ddl(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want DDL
	}{
		{"no block: safe on a busy database", "", DDL{Online: true, LockTimeout: 3 * time.Second, LockRetries: 5}},
		{"plain DDL", "ddl {\n  online = false\n}\n", DDL{Online: false, LockTimeout: 3 * time.Second, LockRetries: 5}},
		{"every setting", "ddl {\n  online       = true\n  lock_timeout = \"500ms\"\n  lock_retries = 0\n}\n",
			DDL{Online: true, LockTimeout: 500 * time.Millisecond, LockRetries: 0}},
		{"beside the run lock's timeout", "lock_timeout = \"1m\"\nddl {\n  lock_timeout = \"10s\"\n}\n",
			DDL{Online: true, LockTimeout: 10 * time.Second, LockRetries: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "environments/prod.hcl", "url = \"x\"\n"+tt.src)
			env, diags := NewFiles().LoadEnvironment(dir, "prod", fakeEnv(nil))
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			assertEqual(t, env.DDL, tt.want)
		})
	}
	t.Run("the run lock's timeout stays its own", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, "environments/prod.hcl", "url = \"x\"\nlock_timeout = \"1m\"\nddl {\n  lock_timeout = \"10s\"\n}\n")
		env, diags := NewFiles().LoadEnvironment(dir, "prod", fakeEnv(nil))
		if len(diags) > 0 {
			t.Fatal(diags)
		}
		if env.LockTimeout != time.Minute {
			t.Errorf("LockTimeout = %v, want 1m (the ddl block's is %v)", env.LockTimeout, env.DDL.LockTimeout)
		}
	})
}

func TestFiles_LoadEnvironment_ddlDiagnostics(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []wantDiag
		detail string
	}{
		{"online not a bool", "ddl {\n  online = \"yes\"\n}\n",
			[]wantDiag{{"Incorrect attribute value type", "prod.hcl:3:12"}}, ""},
		{"bad duration", "ddl {\n  lock_timeout = \"3 seconds\"\n}\n",
			[]wantDiag{{"Invalid ddl lock_timeout", "prod.hcl:3:18"}}, `a duration such as "3s"`},
		{"zero waits for ever", "ddl {\n  lock_timeout = \"0s\"\n}\n",
			[]wantDiag{{"Invalid ddl lock_timeout", "prod.hcl:3:18"}}, "wait for ever"},
		{"negative retries", "ddl {\n  lock_retries = -1\n}\n",
			[]wantDiag{{"Invalid value", "prod.hcl:3:18"}}, "from 0 to 100"},
		{"fractional retries", "ddl {\n  lock_retries = 2.5\n}\n",
			[]wantDiag{{"Invalid value", "prod.hcl:3:18"}}, ""},
		{"unknown attribute", "ddl {\n  concurrently = true\n}\n",
			[]wantDiag{{"Unsupported argument", "prod.hcl:3:3"}}, ""},
		{"twice", "ddl {\n}\nddl {\n}\n",
			[]wantDiag{{"Duplicate ddl block", "prod.hcl:4:1"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkEnvDiags(t, tt.src, tt.want, tt.detail) })
	}
}
