package revision

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormat_dialectHeader(t *testing.T) {
	r := &Revision{Version: "20260101000000", Slug: "init", Created: created, Env: "local", Dialect: "sqlite",
		Up: []Statement{{SQL: "CREATE TABLE t (id int)"}}, Down: []Statement{{SQL: "DROP TABLE t"}}}
	b := Format(r)
	if !strings.Contains(string(b), "\n-- env: local\n-- dialect: sqlite\n") {
		t.Fatalf("header has no dialect line after env:\n%s", b)
	}
	got, err := Parse(r.Name(), b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Dialect != "sqlite" {
		t.Errorf("Parse: Dialect = %q, want sqlite", got.Dialect)
	}
	// A file written before the header named a dialect reads as before.
	path := filepath.Join("testdata", "20261127093000_add_posts_drop_users_name.sql")
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(old), "-- dialect:") {
		t.Fatalf("%s is meant to be a file without a dialect line", path)
	}
	o, err := Parse(path, old)
	if err != nil {
		t.Fatalf("old file: %v", err)
	}
	if o.Dialect != "" || len(o.Up) == 0 {
		t.Errorf("old file: Dialect %q, %d up statements", o.Dialect, len(o.Up))
	}
}

func TestNew_dialect(t *testing.T) {
	r := New(nil, nil, Meta{Slug: "x", Env: "dev", Dialect: "mysql", Created: created})
	if r.Dialect != "mysql" {
		t.Errorf("New: Dialect = %q, want mysql", r.Dialect)
	}
}

func TestCheckDialect(t *testing.T) {
	rev := func(v, d string) *Revision {
		return &Revision{Version: v, Slug: "s", Dialect: d, File: "migrations/" + v + "_s.sql"}
	}
	tests := []struct {
		name     string
		revs     []*Revision
		want     string
		wantFile string // "" when accepted
	}{
		{"empty", nil, "mysql", ""},
		{"all mysql", []*Revision{rev("20260101000000", "mysql"), rev("20260102000000", "mysql")}, "mysql", ""},
		{"old files are the environment's", []*Revision{rev("20260101000000", ""), rev("20260102000000", "sqlite")}, "sqlite", ""},
		{"one sqlite among mysql", []*Revision{rev("20260101000000", "mysql"), rev("20260102000000", "sqlite")}, "mysql", "migrations/20260102000000_s.sql"},
		{"first is named", []*Revision{rev("20260101000000", "sqlite"), rev("20260102000000", "postgres")}, "mysql", "migrations/20260101000000_s.sql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckDialect(tt.revs, tt.want)
			if tt.wantFile == "" {
				if err != nil {
					t.Fatalf("CheckDialect = %v, want nil", err)
				}
				return
			}
			var de *DialectError
			if !errors.As(err, &de) {
				t.Fatalf("CheckDialect = %v, want a *DialectError", err)
			}
			if de.File != tt.wantFile || de.Want != tt.want || de.Has == tt.want {
				t.Errorf("DialectError = %+v, want file %s, want %s", de, tt.wantFile, tt.want)
			}
			msg := err.Error()
			for _, s := range []string{tt.wantFile, de.Has, tt.want} {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q does not name %q", msg, s)
				}
			}
		})
	}
}
