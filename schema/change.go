package schema

import "slices"

// Change is one typed difference between two schemas, as the planner finds it
// and a dialect turns it into SQL. The set of changes is closed: only this
// package defines them.
type Change interface {
	change()
}

// Table-level changes.
type (
	// AddTable creates a table. ForeignKeys lists the keys to create with
	// it; keys the planner defers (cycles) come later as an AlterTable.
	AddTable struct {
		T *Table
	}
	// DropTable drops a table and its rows.
	DropTable struct {
		T *Table
	}
	// RenameTable renames a table, keeping its rows; on a server with
	// schemas it may also move the table to another schema (app.t to
	// archive.t). T is the table as it is before the rename, where the
	// planner knows it (nil otherwise): what a server names after its
	// table (a serial's sequence, a primary key) is renamed with it.
	RenameTable struct {
		From, To string
		T        *Table
	}
	// AlterTable is every change to one existing table, run as one ALTER
	// TABLE. From and To are the table before and after the whole change.
	AlterTable struct {
		From, To *Table
		Changes  []TableChange
	}
)

// View and trigger changes.
type (
	AddView     struct{ V *View }
	DropView    struct{ V *View }
	ModifyView  struct{ From, To *View }
	AddTrigger  struct{ T *Trigger }
	DropTrigger struct{ T *Trigger }
)

// Routine and event changes. A changed routine is replaced (ModifyRoutine:
// CREATE OR REPLACE where the server has it, else a drop and a create); a
// changed event is altered in place.
type (
	AddRoutine    struct{ R *Routine }
	DropRoutine   struct{ R *Routine }
	ModifyRoutine struct{ From, To *Routine }
	AddEvent      struct{ E *Event }
	DropEvent     struct{ E *Event }
	ModifyEvent   struct{ From, To *Event }
)

func (*AddRoutine) change()    {}
func (*DropRoutine) change()   {}
func (*ModifyRoutine) change() {}
func (*AddEvent) change()      {}
func (*DropEvent) change()     {}
func (*ModifyEvent) change()   {}

func (*AddTable) change()    {}
func (*DropTable) change()   {}
func (*RenameTable) change() {}
func (*AlterTable) change()  {}
func (*AddView) change()     {}
func (*DropView) change()    {}
func (*ModifyView) change()  {}
func (*AddTrigger) change()  {}
func (*DropTrigger) change() {}

// TableChange is one clause of an AlterTable.
type TableChange interface {
	tableChange()
}

// ColumnPosition places a column: after the named column, or first when After
// is "" and First is set. The zero value means "at the end" / "unchanged".
type ColumnPosition struct {
	First bool
	After string
}

// ColumnChangeKind says what about a column changed, as a bit set.
type ColumnChangeKind uint

// Column change kinds.
const (
	ChangeType ColumnChangeKind = 1 << iota
	ChangeNull
	ChangeDefault
	ChangeOnUpdate
	ChangeAutoIncrement
	ChangeCharset
	ChangeComment
	ChangeGenerated
	ChangeInvisible
	ChangeCheck
	ChangePosition
)

// Is reports whether k includes every kind in of.
func (k ColumnChangeKind) Is(of ColumnChangeKind) bool { return k&of == of }

// Clauses of an AlterTable.
type (
	AddColumn struct {
		C        *Column
		Position ColumnPosition
	}
	DropColumn struct {
		C *Column
	}
	// ModifyColumn changes a column in place; From.Name differs from To.Name
	// when the column is also renamed.
	ModifyColumn struct {
		From, To *Column
		Kind     ColumnChangeKind
		Position ColumnPosition // set when Kind has ChangePosition
	}
	// RenameColumn renames a column and changes nothing else.
	RenameColumn struct {
		From, To string
	}
	AddIndex    struct{ I *Index }
	DropIndex   struct{ I *Index }
	RenameIndex struct{ From, To string }
	// AddPrimaryKey and DropPrimaryKey change the primary key.
	AddPrimaryKey  struct{ I *Index }
	DropPrimaryKey struct{ I *Index }
	AddForeignKey  struct{ F *ForeignKey }
	DropForeignKey struct{ F *ForeignKey }
	AddCheck       struct{ C *Check }
	DropCheck      struct{ C *Check }
	// ModifyOptions changes table options (engine, charset, comment, ...).
	ModifyOptions struct{ From, To TableOptions }
	// ModifyPartition replaces the partitioning (To nil removes it).
	ModifyPartition struct{ From, To *Partition }
)

func (*AddColumn) tableChange()       {}
func (*DropColumn) tableChange()      {}
func (*ModifyColumn) tableChange()    {}
func (*RenameColumn) tableChange()    {}
func (*AddIndex) tableChange()        {}
func (*DropIndex) tableChange()       {}
func (*RenameIndex) tableChange()     {}
func (*AddPrimaryKey) tableChange()   {}
func (*DropPrimaryKey) tableChange()  {}
func (*AddForeignKey) tableChange()   {}
func (*DropForeignKey) tableChange()  {}
func (*AddCheck) tableChange()        {}
func (*DropCheck) tableChange()       {}
func (*ModifyOptions) tableChange()   {}
func (*ModifyPartition) tableChange() {}

// Changes of dialect-specific objects (see Object). A changed object is
// ModifyObject; the dialect alters it in place where its server can (an enum
// gaining a value, a function replaced) and drops and recreates it otherwise.
type (
	AddObject    struct{ O *Object }
	DropObject   struct{ O *Object }
	ModifyObject struct{ From, To *Object }
)

func (*AddObject) change()    {}
func (*DropObject) change()   {}
func (*ModifyObject) change() {}

// objectKinds are the kinds of Object in the order they are created: the
// first ones before tables (what columns, defaults and checks use), the
// rest after tables and views (what reads or hangs off them). Drops go in
// the reverse order.
var objectKinds = []string{
	"schema", "extension", "collation", "type", "domain", "sequence", "function", "procedure", "aggregate", "operator",
	// after tables and views:
	"sequence_owner", "constraint", "materialized_view", "materialized_view_index", "trigger", "policy", "row_security", "comment",
}

// ObjectRank is the position of kind in the creation order; an unknown kind
// goes last.
func ObjectRank(kind string) int {
	for i, k := range objectKinds {
		if k == kind {
			return i
		}
	}
	return len(objectKinds)
}

// ObjectKinds returns the kinds of Object, in creation order.
func ObjectKinds() []string { return slices.Clone(objectKinds) }

// BeforeTables reports whether objects of kind are created before tables.
func BeforeTables(kind string) bool { return ObjectRank(kind) < ObjectRank("sequence_owner") }
