package sqlite

import (
	"slices"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// RenamedForeignKey returns fk: SQLite keeps constraint names as written
// when a table is renamed.
func (d *Dialect) RenamedForeignKey(fk, _, _ string) string { return fk }

// ReplacesColumn reports whether a column is dropped and added again
// rather than carried over by a rebuild: between generated and regular,
// or stored and virtual, the rebuild could not copy the column's values
// (a generated column takes none).
func (d *Dialect) ReplacesColumn(a, b *schema.Column) bool { return dialect.ReplacesGenerated(a, b) }

// RetypeBreaksForeignKeys is true, as plans on SQLite have always shown
// it: a retyped column's keys are dropped and added again. SQLite itself
// would not refuse the change (a rebuild recreates every key).
func (d *Dialect) RetypeBreaksForeignKeys() bool { return true }

// ColumnOrder is true: a rebuild puts the columns in the declared order.
func (d *Dialect) ColumnOrder() bool { return true }

// ViewDependencies returns DependsOn and every identifier of the
// definition, bare or quoted in any of SQLite's ways ("t", `t`, [t]): a
// superset is enough. A definition SQLite could not read gives DependsOn
// alone.
func (d *Dialect) ViewDependencies(v *schema.View) []string {
	deps := slices.Clone(v.DependsOn)
	toks, err := tokenize(v.Definition)
	if err != nil {
		return deps
	}
	for _, t := range toks {
		if t.kind == tkIdent || t.kind == tkQIdent {
			deps = append(deps, t.name())
		}
	}
	return deps
}
