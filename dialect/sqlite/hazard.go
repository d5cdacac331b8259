package sqlite

import (
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// QuoteName quotes a name for a hazard message, as SQLite's SQL would.
func (d *Dialect) QuoteName(name string) string { return quoteIdent(name) }

// Narrowing is always "": Strata's SQLite tables are not STRICT, and such
// a table keeps every value as it was stored whatever the declared type,
// so narrowing a type neither fails nor cuts anything.
func (d *Dialect) Narrowing(a, b schema.Type) string { return "" }

// AlterHazards names the table rebuild: a change ALTER TABLE cannot make
// copies every row into a new table while holding the database's write
// lock.
func (d *Dialect) AlterHazards(at *schema.AlterTable, lt dialect.LiveTable) []dialect.Hazard {
	if !d.Rebuilds(at) {
		return nil
	}
	return []dialect.Hazard{{
		Kind:    dialect.Locking,
		Message: "rebuilds table " + quoteIdent(at.To.Name) + ": copies its rows into a new table, holding the database's write lock",
	}}
}
