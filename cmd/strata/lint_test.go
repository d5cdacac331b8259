package main

import (
	"slices"
	"testing"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/lint"
)

// The environment loader validates rule names of lint blocks without
// importing package lint: its list must be lint's.
func TestLintRuleNames(t *testing.T) {
	if got, want := config.LintRuleNames(), lint.RuleNames(); !slices.Equal(got, want) {
		t.Errorf("config.LintRuleNames() = %q, want lint.RuleNames() %q", got, want)
	}
}
