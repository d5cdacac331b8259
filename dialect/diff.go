package dialect

import "github.com/stratadb/strata/schema"

// DiffRules is implemented by dialects whose server decides how some
// differences between two schemas are carried out, or whether they are
// differences at all. The planner's diff asks them; a dialect without
// DiffRules (or a diff without a dialect) gets the rules each method names
// as the default, which assume nothing of any server.
type DiffRules interface {
	// RenamedForeignKey returns the name foreign key fk of table from has
	// once the table is renamed to to. Some servers rename keys whose
	// names derive from the table's (MySQL's <table>_ibfk_<n>). Default:
	// fk.
	RenamedForeignKey(fk, from, to string) string
	// ReplacesColumn reports whether the server cannot turn column a into
	// b in place, so that the column is dropped and added again, and the
	// indexes on it with it. Default: when it turns between generated and
	// regular, or between stored and virtual.
	ReplacesColumn(a, b *schema.Column) bool
	// RetypeBreaksForeignKeys reports whether the server refuses to change
	// the type or character set of a column on either side of a foreign
	// key, so that such a key is dropped before the change and added
	// again after it. Default: true.
	RetypeBreaksForeignKeys() bool
	// ColumnOrder reports whether the order of a table's columns is part
	// of its definition on this server. When false, a column in another
	// place is no change and new columns go where the server puts them
	// (a server that cannot reorder columns). Default: true.
	ColumnOrder() bool
	// ViewDependencies returns the names of tables and views a view may
	// read: a superset is fine (the planner keeps the names it knows), a
	// missing name lets a view outlive a table it reads. Default:
	// v.DependsOn.
	ViewDependencies(v *schema.View) []string
}

// ViewReplacer is implemented by dialects whose changed views are dropped
// and created again, which their dependent views do not survive (PostgreSQL
// binds a view to the views it reads). ReplacesViews true makes the planner
// recreate the views that read a changed view.
type ViewReplacer interface {
	ReplacesViews() bool
}

// ObjectComparer is implemented by dialects that can tell two definitions
// of a schema.Object that the server would store alike (spelling, case,
// quoting and spacing aside). The planner compares definitions as text
// without one.
type ObjectComparer interface {
	SameObject(a, b *schema.Object) bool
}

// ReplacesGenerated is the default rule of DiffRules.ReplacesColumn: a
// column that turns between generated and regular, or between stored and
// virtual, is dropped and added again.
func ReplacesGenerated(a, b *schema.Column) bool {
	if a.Generated == nil || b.Generated == nil {
		return (a.Generated == nil) != (b.Generated == nil)
	}
	return a.Generated.Stored != b.Generated.Stored
}

// ForeignKeyAliases is implemented by dialects whose servers' tools
// rename foreign keys: pt-online-schema-change re-creates a child table's
// keys on its copy as _fk (and _fk as __fk, __fk as fk). The planner takes
// a live key for the desired one of another name when the dialect says the
// names are aliases and the definitions are equal.
type ForeignKeyAliases interface {
	ForeignKeyAlias(live, desired string) bool
}
