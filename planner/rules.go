package planner

import (
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// diffRulesOf is d's diff rules, or the defaults dialect.DiffRules
// documents when d has none (or is nil: a diff without a server).
func diffRulesOf(d dialect.Dialect) dialect.DiffRules {
	if r, ok := d.(dialect.DiffRules); ok {
		return r
	}
	return defaultDiffRules{}
}

// defaultDiffRules assume nothing of a server: keys keep their names, a
// column is replaced only where no server could change it in place, keys
// are re-added around a retype, column order counts, and a view reads
// what it declares.
type defaultDiffRules struct{}

func (defaultDiffRules) RenamedForeignKey(fk, _, _ string) string { return fk }
func (defaultDiffRules) ReplacesColumn(a, b *schema.Column) bool {
	return dialect.ReplacesGenerated(a, b)
}
func (defaultDiffRules) RetypeBreaksForeignKeys() bool            { return true }
func (defaultDiffRules) ColumnOrder() bool                        { return true }
func (defaultDiffRules) ViewDependencies(v *schema.View) []string { return v.DependsOn }
