package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The repository's example files are the ones `strata init` writes, so the
// README's quick start and a new project start from the same schema.
func TestScaffold_matchesRepositoryExample(t *testing.T) {
	for _, f := range []string{"schema.hcl", "environments/local.hcl", "environments/dev.hcl", "environments/staging.hcl", "environments/prod.hcl"} {
		t.Run(f, func(t *testing.T) {
			embedded, err := scaffold.ReadFile("scaffold/" + f)
			if err != nil {
				t.Fatal(err)
			}
			repo, err := os.ReadFile(filepath.Join("..", "..", f))
			if err != nil {
				t.Fatal(err)
			}
			if string(embedded) != string(repo) {
				t.Errorf("cmd/strata/scaffold/%s differs from the repository's %s: keep them the same", f, f)
			}
		})
	}
}

func TestInit_refusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	if res := runCLI(t, nil, "init", dir); res.Code != 0 {
		t.Fatalf("init: exit %d: %s", res.Code, res.Err)
	}
	if _, err := os.Stat(filepath.Join(dir, "migrations")); err != nil {
		t.Errorf("init made no migrations/: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "schema.hcl"), []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, nil, "init", dir)
	if res.Code != 1 {
		t.Fatalf("second init: exit %d, want 1", res.Code)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "schema.hcl"))
	if string(b) != "# mine\n" {
		t.Errorf("init overwrote schema.hcl")
	}
}
