package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMaskSecrets(t *testing.T) {
	tests := []struct{ in, want string }{
		{`url = "mysql://u:secret@h/db" protected = true`, `url = "mysql://u:***@h/db" protected = true`},
		{`mariadb://app:p%40ss@127.0.0.1:3306/app?tls=true`, `mariadb://app:***@127.0.0.1:3306/app?tls=true`},
		{`postgres://u:raw@pass@h:5432/db`, `postgres://u:***@h:5432/db`},
		{`url = "mysql://u:a\"b@h/db"`, `url = "mysql://u:***@h/db"`},
		{`url = "mysql://u:secret@h/db"` + "\n" + `dev_url = "mysql://v:other@h/d"`, `url = "mysql://u:***@h/db"` + "\n" + `dev_url = "mysql://v:***@h/d"`},
		{`url = "app:secret@tcp(127.0.0.1:3306)/app"`, `url = "app:***@tcp(127.0.0.1:3306)/app"`},
		// A highlighted range inside the URL (colour codes) hides nothing.
		{"mysql://u:se\x1b[1;4mcr\x1b[0met@h/db", "mysql://u:***@h/db"},
		// No password, nothing to hide.
		{`url = "mysql://root@127.0.0.1:3306/app"`, `url = "mysql://root@127.0.0.1:3306/app"`},
		{`sqlite://app.db`, `sqlite://app.db`},
		{`host:3306 and a@b`, `host:3306 and a@b`},
	}
	for _, tt := range tests {
		if got := MaskSecrets(tt.in); got != tt.want {
			t.Errorf("MaskSecrets(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFiles_WriteDiagnostics_masksURL: a syntax error on a line holding a
// literal URL prints the line without its password, with and without colour.
func TestFiles_WriteDiagnostics_masksURL(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "environments"), 0o755); err != nil {
		t.Fatal(err)
	}
	srcs := map[string]string{
		"syntax": "url = \"mysql://u:S3cr3t@h/db\" protected = true\n",
		// The subject range is the string itself: highlighted in colour.
		"type": "url = \"mysql://u:S3cr3t@h/db\"\nprotected = \"mysql://u:S3cr3t@h/db\"\n",
	}
	for name, src := range srcs {
		if err := os.WriteFile(filepath.Join(dir, "environments", name+".hcl"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, color := range []bool{false, true} {
			f := NewFiles()
			_, diags := f.LoadEnvironment(dir, name, func(string) (string, bool) { return "", false })
			if !diags.HasErrors() {
				t.Fatalf("%s: no error", name)
			}
			var b bytes.Buffer
			if err := f.WriteDiagnostics(&b, diags, color); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.Contains(out, "S3cr3t") {
				t.Errorf("%s (color %v): the password shows:\n%s", name, color, out)
			}
			if !strings.Contains(out, "u:***@h/db") {
				t.Errorf("%s (color %v): the masked URL is not shown:\n%s", name, color, out)
			}
		}
	}
}

// TestFiles_WriteDiagnostics_exampleKept: the example URL in a detail is
// shown as written; only source lines are masked.
func TestFiles_WriteDiagnostics_exampleKept(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dev.hcl"), []byte("url = env(\"DEV_URL\")\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := NewFiles()
	_, diags := f.LoadEnvironment(dir, "dev", func(string) (string, bool) { return "", false })
	var b bytes.Buffer
	if err := f.WriteDiagnostics(&b, diags, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "mysql://user:pass@host:3306/db") {
		t.Errorf("the example URL is not shown as written:\n%s", b.String())
	}
}
