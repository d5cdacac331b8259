package main

import (
	"github.com/spf13/cobra"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionText(t *testing.T) {
	stamped := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/stratadb/strata", Version: "v0.4.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "a45b1ccee4caeabdf006c18749f54b4fcf7c6ff4"},
			{Key: "vcs.time", Value: "2026-12-07T03:10:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	tests := []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"stamped", stamped, true, "strata v0.4.0 (github.com/stratadb/strata)\n" +
			"revision a45b1ccee4caeabdf006c18749f54b4fcf7c6ff4 of 2026-12-07T03:10:00Z, with uncommitted changes\n" +
			"go1.26.8 " + runtime.GOOS + "/" + runtime.GOARCH + "\n"},
		{"devel", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/stratadb/strata", Version: "(devel)"}}, true,
			"strata (devel) (github.com/stratadb/strata)\n" +
				"revision unknown (the build info holds none: build with go build in a git clone)\n" +
				"go1.26.8 " + runtime.GOOS + "/" + runtime.GOARCH + "\n"},
		{"none", nil, false, "strata (unknown version: no build info)\n" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionText(tt.info, tt.ok); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestCLI_Version: --version prints the build info of the binary itself.
func TestCLI_Version(t *testing.T) {
	r := runCLI(t, nil, "--version")
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Err)
	}
	if !strings.HasPrefix(r.Out, "strata ") || !strings.Contains(r.Out, runtime.Version()) {
		t.Errorf("--version printed:\n%s", r.Out)
	}
}

// TestCompletions_format: every --format flag of the tree completes to
// its values (they are read from its usage line).
func TestCompletions_format(t *testing.T) {
	root := newRootCmd(&app{io: &IO{}})
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		if f := c.Flags().Lookup("format"); f != nil {
			n++
			fn, ok := c.GetFlagCompletionFunc("format")
			if !ok {
				t.Errorf("%s --format has no completion", c.CommandPath())
			} else if values, _ := fn(c, nil, ""); len(values) < 2 || values[0] != "text" {
				t.Errorf("%s --format completes to %q", c.CommandPath(), values)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if n < 3 {
		t.Errorf("%d commands with --format, want at least 3 (plan, lint, history)", n)
	}
}
