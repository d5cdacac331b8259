package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
)

func newFmtCmd(a *app) *cobra.Command {
	var check bool
	cmd := &cobra.Command{
		Use:   "fmt [PATH...]",
		Short: "Rewrite HCL files in the canonical format",
		Long: `Rewrite .hcl files in the canonical layout. Without arguments, formats the
schema (--schema, else ./schema.hcl) and environments/*.hcl.`,
		Example: `  strata fmt
  strata fmt --check   # exit 1 and list the files that need formatting`,
		RunE: func(cmd *cobra.Command, args []string) error {
			paths := args
			if len(paths) == 0 {
				paths = []string{a.schemaPath(nil), environmentsDir}
			}
			var files []string
			for _, p := range paths {
				found, err := hclFiles(p, len(args) > 0)
				if err != nil {
					return err
				}
				files = append(files, found...)
			}
			var unformatted []string
			for _, f := range files {
				changed, err := formatFile(a, f, check)
				if err != nil {
					return err
				}
				if changed {
					unformatted = append(unformatted, f)
					fmt.Fprintln(a.io.Out, f)
				}
			}
			if check && len(unformatted) > 0 {
				return &exitCodeError{code: exitError, msg: fmt.Sprintf("%s not formatted: run 'strata fmt'", plural(len(unformatted), "file"))}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "only list files that are not formatted; exit 1 if any")
	return cmd
}

// hclFiles lists the .hcl files at path (a file or a directory). A missing
// default path is not an error.
func hclFiles(path string, explicit bool) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) && !explicit {
			return nil, nil
		}
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	matches, err := filepath.Glob(filepath.Join(path, "*.hcl"))
	sort.Strings(matches)
	return matches, err
}

func formatFile(a *app, path string, checkOnly bool) (bool, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	files := config.NewFiles()
	out, diags := files.Format(src, path)
	if diags.HasErrors() {
		files.WriteDiagnostics(a.io.Err, diags, a.io.Color())
		return false, errSilent
	}
	if bytes.Equal(src, out) {
		return false, nil
	}
	if checkOnly {
		return true, nil
	}
	return true, os.WriteFile(path, out, 0o644)
}
