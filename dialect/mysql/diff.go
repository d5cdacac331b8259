package mysql

import (
	"slices"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// RenamedForeignKey is the name a foreign key has after RENAME TABLE
// from → to: MariaDB and MySQL rename keys called <from>_ibfk_* (the
// names they generate) to <to>_ibfk_*, and leave other names alone.
func (d *Dialect) RenamedForeignKey(fk, from, to string) string {
	if from == to {
		return fk
	}
	if rest, ok := strings.CutPrefix(fk, from+"_ibfk_"); ok {
		return to + "_ibfk_" + rest
	}
	return fk
}

// ReplacesColumn reports whether a column must be dropped and added
// again: MariaDB (error 1907) and MySQL cannot modify a column between
// stored and virtual, or between generated and regular.
func (d *Dialect) ReplacesColumn(a, b *schema.Column) bool { return dialect.ReplacesGenerated(a, b) }

// RetypeBreaksForeignKeys is true: InnoDB refuses to change the type or
// character set of a column on either side of a foreign key (MariaDB
// errors 1832 on the child, 1833 on the parent), so the key is dropped
// first and added again after.
func (d *Dialect) RetypeBreaksForeignKeys() bool { return true }

// ColumnOrder is true: a column's place is part of the table (FIRST,
// AFTER), and the server can move a column.
func (d *Dialect) ColumnOrder() bool { return true }

// ViewDependencies returns DependsOn and every backquoted identifier of
// the definition: the server renders every reference quoted (`t`.`a`,
// from `t`), and a superset is enough.
func (d *Dialect) ViewDependencies(v *schema.View) []string {
	deps := slices.Clone(v.DependsOn)
	s := v.Definition
	for i := 0; i < len(s); i++ {
		if s[i] != '`' {
			continue
		}
		var name []byte
		j := i + 1
		for ; j < len(s); j++ {
			if s[j] == '`' {
				if j+1 < len(s) && s[j+1] == '`' {
					name = append(name, '`')
					j++
					continue
				}
				break
			}
			name = append(name, s[j])
		}
		deps = append(deps, string(name))
		i = j
	}
	return deps
}

// ForeignKeyAlias reports whether the live foreign key name is the desired
// one as pt-online-schema-change leaves it: it re-creates a child table's
// keys on its copy as _fk, _fk as __fk and __fk as fk, so names that
// differ only in leading underscores are one key (as Skeema treats them).
func (d *Dialect) ForeignKeyAlias(live, desired string) bool {
	return live != desired && strings.TrimLeft(live, "_") == strings.TrimLeft(desired, "_")
}
