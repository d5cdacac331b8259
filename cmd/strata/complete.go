package main

import (
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/stratadb/strata/config"
)

// registerCompletions makes shell completion (strata completion bash|zsh|
// fish|powershell) offer the environments of environments/ for --env and a
// command's own values for --format, on every command of the tree.
func registerCompletions(root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("env", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return config.EnvironmentNames("."), cobra.ShellCompDirectiveNoFileComp
	})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if f := c.Flags().Lookup("format"); f != nil {
			if values := formatValues(f); len(values) > 0 {
				_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

var formatUsage = regexp.MustCompile(`output format: ([a-z, ]+)`)

// formatValues reads the values of a --format flag from its usage, which
// every command words as "output format: text, json or markdown".
func formatValues(f *pflag.Flag) []string {
	m := formatUsage.FindStringSubmatch(f.Usage)
	if m == nil {
		return nil
	}
	var values []string
	for _, part := range strings.Split(strings.ReplaceAll(m[1], " or ", ", "), ",") {
		if v := strings.TrimSpace(part); v != "" {
			values = append(values, v)
		}
	}
	return values
}
