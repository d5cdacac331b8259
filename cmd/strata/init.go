package main

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// scaffold holds the files `strata init` writes. The repository's own
// schema.hcl and environments/ are the same files (a test keeps them so).
//
//go:embed scaffold
var scaffold embed.FS

func newInitCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create schema.hcl, environments/ and migrations/ for a new project",
		Long: `Create an example schema.hcl, environments local (SQLite, no server needed),
dev, staging and prod (MySQL URLs from variables; staging and prod promote),
and an empty migrations/ directory. Existing files are never overwritten.`,
		Example: "  strata init\n  strata init myproject",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return a.init(dir)
		},
	}
}

func (a *app) init(dir string) error {
	var files []string
	err := fs.WalkDir(scaffold, "scaffold", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, strings.TrimPrefix(path, "scaffold/"))
		}
		return err
	})
	if err != nil {
		return err
	}
	var existing []string
	for _, f := range append(files, "migrations") {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			existing = append(existing, f)
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if len(existing) > 0 {
		return fmt.Errorf("not overwriting %s in %s: init writes a new project; move them away or run it in an empty directory",
			strings.Join(existing, ", "), dir)
	}
	for _, f := range files {
		b, err := scaffold.ReadFile("scaffold/" + f)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "migrations"), 0o755); err != nil {
		return err
	}
	w := a.io.Out
	fmt.Fprintf(w, "Created a Strata project in %s:\n", dir)
	for _, f := range append(files, "migrations/") {
		fmt.Fprintf(w, "  %s\n", f)
	}
	fmt.Fprint(w, `
Next, try it on the embedded SQLite database (no server needed):
  strata plan  --env local
  strata apply --env local

Then point dev at MySQL or MariaDB:
  export DEV_DATABASE_URL='mysql://user:password@127.0.0.1:3306/app'
  strata plan  --env dev
`)
	return nil
}
