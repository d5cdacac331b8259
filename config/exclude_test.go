package config

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSchemaExclude(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.hcl", "exclude = [\"alembic_version\", \"legacy_*\"]\n\ntable \"t\" {\n  column \"id\" {\n    type = int\n  }\n}\n")
	write("b.hcl", "table \"u\" {\n  column \"id\" {\n    type = int\n  }\n}\n")
	write("c.hcl", "exclude = [\"*.tmp_*\"]\n")
	want := []string{"alembic_version", "legacy_*", "*.tmp_*"}

	// Read on its own (inspect, promotion: no schema load).
	got, diags := NewFiles().SchemaExclude(dir)
	if diags.HasErrors() || !slices.Equal(got, want) {
		t.Fatalf("SchemaExclude = %q, %v; want %q", got, diags, want)
	}
	// Read by LoadSchema, which takes the attribute and keeps loading.
	f := NewFiles()
	s, diags := f.LoadSchema(dir)
	if diags.HasErrors() {
		t.Fatalf("LoadSchema: %v", diags)
	}
	if len(s.Tables) != 2 {
		t.Fatalf("tables = %d, want 2", len(s.Tables))
	}
	if got, _ := f.SchemaExclude(dir); !slices.Equal(got, want) {
		t.Fatalf("after LoadSchema: %q, want %q", got, want)
	}
	// A missing schema excludes nothing.
	if got, diags := NewFiles().SchemaExclude(filepath.Join(dir, "none.hcl")); got != nil || diags != nil {
		t.Fatalf("missing schema: %q, %v", got, diags)
	}
}

func TestExcludeDiagnostics(t *testing.T) {
	path := filepath.Join(t.TempDir(), "schema.hcl")
	src := "exclude = [\"ok_*\", \"bad[\", \"\", 5]\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags := NewFiles().LoadSchema(path)
	var at []int
	for _, d := range diags {
		if d.Subject != nil {
			at = append(at, d.Subject.Start.Column)
		}
	}
	// "bad[" at column 20, "" at 28; 5 converts to the string "5", a valid pattern.
	if !slices.Equal(at, []int{20, 28}) {
		t.Fatalf("diagnostic columns = %v, want [20 28]; %v", at, diags)
	}
}

func TestExcluded(t *testing.T) {
	pats := []string{"alembic_version", "legacy_*", "*.tmp_*"}
	for name, want := range map[string]bool{
		"alembic_version": true, "legacy_orders": true, "a.tmp_1": true,
		"alembic_version2": false, "users": false, "tmp_x": false,
	} {
		if got := Excluded(pats, name); got != want {
			t.Errorf("Excluded(%q) = %v, want %v", name, got, want)
		}
	}
}
