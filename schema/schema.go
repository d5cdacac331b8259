// Package schema is Strata's model of a database schema: plain values that the
// HCL loader and the dialect inspectors produce and the planner compares.
//
// The model holds facts in the form a server reports them after a dialect has
// normalized them (see dialect.Dialect.Normalize): two models describe the same
// schema exactly when their normalized values are equal. It imports nothing of
// the project.
package schema

// Schema is the tables, views, triggers, stored routines and events of one
// database.
type Schema struct {
	Name     string
	Charset  string // default character set of the database
	Collate  string // default collation of the database
	Tables   []*Table
	Views    []*View
	Triggers []*Trigger
	Routines []*Routine
	Events   []*Event
	// Objects are the objects of kinds only some servers have (PostgreSQL
	// schemas, extensions, types, sequences, functions, ...), each held as
	// the server renders it; see Object.
	Objects []*Object `json:",omitempty"`
	// TriggersHidden, on an inspected schema, says why the user that
	// inspected it may not see every trigger of the database, and what to
	// grant ("" when it sees them all): Triggers holds only those it sees.
	// It is no part of the schema's hash. RoutinesHidden and EventsHidden
	// say the same of Routines and Events.
	TriggersHidden string
	RoutinesHidden string
	EventsHidden   string
}

// Table is a base table.
type Table struct {
	Name        string
	Columns     []*Column
	PrimaryKey  *Index // nil when the table has none
	Indexes     []*Index
	ForeignKeys []*ForeignKey
	Checks      []*Check
	Options     TableOptions
	Partition   *Partition
	// RenamedFrom names the table this one was called before; the planner
	// turns a drop of that table plus a create of this one into a rename.
	RenamedFrom string
}

// TableOptions are the table-level options that Strata manages.
type TableOptions struct {
	Engine    string // InnoDB, MyISAM, ...
	Charset   string
	Collate   string
	Comment   string
	RowFormat string // as declared: DYNAMIC, COMPRESSED, ...; "" when not explicit
	// AutoIncrement is the first value of a new table's counter. It is used
	// when a table is created and never compared: the counter moves with data.
	AutoIncrement int64
	// Extra holds further explicit CREATE options verbatim (e.g.
	// "stats_persistent=0 checksum=1"), lower-cased as the server reports them.
	Extra string
}

// Column is one column of a table.
type Column struct {
	Name string
	Type Type
	Null bool
	// Default is the SQL text after DEFAULT in the server's canonical form:
	// a quoted string ('it''s'), a number (5, 1.50), NULL, a bit literal
	// (b'101') or an expression (current_timestamp(), (1 + 2)).
	// "" means the column has no DEFAULT clause. Whether it is a literal or
	// an expression follows from the text (see the dialect).
	Default string
	// OnUpdate is the SQL text of ON UPDATE (current_timestamp(3)), or "".
	OnUpdate      string
	AutoIncrement bool
	Charset       string
	Collate       string
	Comment       string
	Generated     *Generated // nil for a stored value
	Invisible     bool
	// Check is a column-level CHECK clause (MariaDB keeps these apart from
	// table constraints, named after the column). "" for none.
	Check string
	// RenamedFrom names the column this one was called before.
	RenamedFrom string
	// Identity is a PostgreSQL identity column's generation, IdentityAlways
	// or IdentityByDefault; "" for none.
	Identity string `json:",omitempty"`
	// IdentityOptions are an identity's sequence options that differ from
	// the defaults, as "START WITH 10 INCREMENT BY 5 MAXVALUE 100 CACHE 1
	// CYCLE" in that order; "" for none.
	IdentityOptions string `json:",omitempty"`
}

// Identity generations (PostgreSQL GENERATED ... AS IDENTITY).
const (
	IdentityAlways    = "ALWAYS"
	IdentityByDefault = "BY DEFAULT"
)

// Type is a column's data type.
type Type struct {
	// Name is the lower-case SQL type name: int, bigint, decimal, varchar,
	// enum, datetime, json, point, ...
	Name string
	// Args are the type's numeric parameters as written: varchar(191) has
	// [191], decimal(10,2) has [10 2], datetime(3) has [3]. Nil means none
	// were given; normalization fills in what the server would report.
	Args []int
	// Values are the members of an enum or set, unquoted.
	Values   []string
	Unsigned bool
	Zerofill bool
}

// Generated describes a generated column.
type Generated struct {
	Expr   string // SQL expression without the outer parentheses
	Stored bool   // STORED (PERSISTENT) rather than VIRTUAL
}

// IndexKind says what sort of index an Index is.
type IndexKind string

// Index kinds.
const (
	IndexPlain    IndexKind = ""
	IndexUnique   IndexKind = "UNIQUE"
	IndexFulltext IndexKind = "FULLTEXT"
	IndexSpatial  IndexKind = "SPATIAL"
)

// Index is a primary key or a secondary index.
type Index struct {
	Name    string // "PRIMARY" for a primary key
	Kind    IndexKind
	Parts   []IndexPart
	Comment string
	// Using is the declared index method (BTREE, HASH) when it was explicit.
	Using string
	// Ignored is MariaDB's IGNORED (MySQL's INVISIBLE) index.
	Ignored bool
	// RenamedFrom names the index this one was called before.
	RenamedFrom string
	// Where is a partial index's predicate as the server renders it; ""
	// for an index of every row.
	Where string `json:",omitempty"`
	// Include are the non-key columns an index carries (INCLUDE).
	Include []string `json:",omitempty"`
	// Constraint says that a unique index is a UNIQUE constraint (PostgreSQL
	// keeps the two apart); false for a plain unique index.
	Constraint bool `json:",omitempty"`
	// With are an index's storage parameters as the server lists them
	// (fillfactor='70'); "" for none.
	With string `json:",omitempty"`
	// NullsNotDistinct: rows whose key holds NULLs count as equal
	// (PostgreSQL 15's UNIQUE NULLS NOT DISTINCT).
	NullsNotDistinct bool `json:",omitempty"`
	// Deferrable and InitiallyDeferred are a constraint's deferral.
	Deferrable        bool `json:",omitempty"`
	InitiallyDeferred bool `json:",omitempty"`
}

// IndexPart is one column (or expression) of an index.
type IndexPart struct {
	Column string
	Prefix int // prefix length in characters; 0 for the whole column
	Desc   bool
	// Expr is the SQL of a functional key part (MySQL 8); Column is then "".
	Expr string
}

// Referential actions of a foreign key.
const (
	ActionRestrict   = "RESTRICT"
	ActionCascade    = "CASCADE"
	ActionSetNull    = "SET NULL"
	ActionNoAction   = "NO ACTION"
	ActionSetDefault = "SET DEFAULT"
)

// ForeignKey is a foreign key constraint.
type ForeignKey struct {
	Name       string
	Columns    []string
	RefTable   string
	RefColumns []string
	OnUpdate   string // one of the Action constants; normalized to RESTRICT when omitted
	OnDelete   string
	// Deferrable and InitiallyDeferred are the key's deferral (PostgreSQL).
	Deferrable        bool `json:",omitempty"`
	InitiallyDeferred bool `json:",omitempty"`
	// Match is a MATCH FULL key's "FULL"; "" for the default (SIMPLE).
	Match string `json:",omitempty"`
}

// Check is a table-level CHECK constraint.
type Check struct {
	Name string
	Expr string // SQL without the outer parentheses
	// NoInherit is PostgreSQL's NO INHERIT.
	NoInherit bool `json:",omitempty"`
}

// Partition is a table's partitioning.
type Partition struct {
	// Method is RANGE, LIST, HASH, KEY, LINEAR HASH, LINEAR KEY, RANGE COLUMNS
	// or LIST COLUMNS.
	Method string
	// Expr is the partitioning expression or column list as SQL.
	Expr string
	// Count is the number of partitions for HASH and KEY without
	// Definitions; 0 otherwise.
	Count int
	// Definitions are the explicit partitions of RANGE and LIST (and of HASH
	// or KEY when written out).
	Definitions []PartitionDef
	// SubMethod, SubExpr and SubCount describe subpartitioning, if any.
	SubMethod string
	SubExpr   string
	SubCount  int
}

// PartitionDef is one partition of a partitioned table.
type PartitionDef struct {
	Name string
	// Values is the SQL after VALUES: "LESS THAN (2022)", "LESS THAN MAXVALUE",
	// "IN (1,2,3)"; "DEFAULT" for a LIST default partition; "" for HASH/KEY.
	Values  string
	Comment string
	Engine  string
}

// View is a view.
type View struct {
	Name string
	// Definition is the SELECT statement, as the server renders it once
	// normalized.
	Definition  string
	Algorithm   string // UNDEFINED, MERGE, TEMPTABLE
	Security    string // DEFINER, INVOKER
	CheckOption string // NONE, CASCADED, LOCAL
	// DependsOn names the tables and views the definition reads, so that
	// views can be created in dependency order. Filled by the loader or the
	// inspector where known.
	DependsOn []string
	// Context is the session state the view was created under (its SQLMode
	// stays ""): the server renders the definition with it.
	Context CreationContext `json:",omitzero"`
}

// CreationContext is the session state that MariaDB and MySQL keep with a
// view, trigger, stored routine or event from its creation, and render and
// run the object with: the client character set, the connection collation
// and (for all but views) the SQL mode. A field left "" is the server's
// default (its global value), so a schema that never set one stays plain;
// normalization clears a field equal to that default. Objects are created
// under their context (SET NAMES, SET sql_mode) so that the server renders
// them as they were.
type CreationContext struct {
	CharsetClient       string `json:",omitempty"` // character_set_client: utf8mb3, latin1, ...
	CollationConnection string `json:",omitempty"` // collation_connection: latin1_swedish_ci, ...
	SQLMode             string `json:",omitempty"` // sql_mode as the server lists it: STRICT_TRANS_TABLES,...
}

// SQLModeEmpty is CreationContext.SQLMode for an object created under the
// empty sql_mode where the default is not empty ("" means the default).
const SQLModeEmpty = "''"

// IsZero reports whether c is the server's default context in every field.
func (c CreationContext) IsZero() bool { return c == CreationContext{} }

// Trigger is a trigger on a table.
type Trigger struct {
	Name   string
	Table  string
	Timing string // BEFORE, AFTER
	Event  string // INSERT, UPDATE, DELETE
	// Columns are the columns of an UPDATE OF trigger (SQLite, PostgreSQL):
	// it fires only when one of them is updated. Empty: any update.
	Columns []string `json:",omitempty"`
	// Body is the trigger's statement verbatim (BEGIN ... END or a single
	// statement).
	Body string
	// Order is the trigger's position among the table's triggers with the
	// same timing and event, from 1. Zero means unspecified.
	Order int
	// Header is the text of the trigger's CREATE statement from TRIGGER up
	// to the body as written ("TRIGGER t BEFORE DELETE ON x\nFOR EACH ROW "),
	// which the server shows back; "" when it is the one the dialect
	// writes itself.
	Header string `json:",omitempty"`
	// Context is the session state the trigger was created under.
	Context CreationContext `json:",omitzero"`
}

// Routine kinds.
const (
	RoutineProcedure = "PROCEDURE"
	RoutineFunction  = "FUNCTION"
)

// Routine is a stored procedure or function. Procedures and functions have
// separate namespaces: a procedure and a function may share a name.
type Routine struct {
	Name string
	Kind string // RoutineProcedure or RoutineFunction
	// Params is the parameter list as written between the parentheses
	// ("IN a INT, OUT b varchar(10)"): the server keeps that text and shows
	// it back verbatim.
	Params string
	// Returns is a function's return type as the server renders it
	// ("int(11)", "varchar(30) CHARSET utf8mb4 COLLATE utf8mb4_general_ci");
	// "" for a procedure.
	Returns       string
	Deterministic bool
	// DataAccess is CONTAINS SQL (the default), NO SQL, READS SQL DATA or
	// MODIFIES SQL DATA.
	DataAccess string
	Security   string // DEFINER (the default) or INVOKER
	Comment    string
	// Body is the routine's statement as written (BEGIN ... END, RETURN
	// ..., or a single statement), without a trailing delimiter.
	Body string
	// DependsOn names the tables and views the body reads, so that the
	// routine is created after them. Not compared.
	DependsOn []string
	// Context is the session state the routine was created under.
	Context CreationContext `json:",omitzero"`
}

// Event statuses, as the server reports them.
const (
	EventEnabled           = "ENABLED"
	EventDisabled          = "DISABLED"
	EventSlavesideDisabled = "SLAVESIDE_DISABLED"
)

// Event is a scheduled event.
type Event struct {
	Name string
	// Every is a recurring event's interval as SQL after EVERY ("1 DAY",
	// "'1 4' DAY_HOUR"); "" for a one-time event.
	Every string
	// At is a one-time event's time ('YYYY-MM-DD HH:MM:SS'); "" for a
	// recurring event.
	At string
	// Starts and Ends bound a recurring event ('YYYY-MM-DD HH:MM:SS'). The
	// server fills Starts with the creation time when it is not given: an
	// empty desired Starts matches any.
	Starts, Ends string
	Preserve     bool   // ON COMPLETION PRESERVE
	Status       string // EventEnabled, EventDisabled or EventSlavesideDisabled
	Comment      string
	// Body is the event's statement as written, without a trailing
	// delimiter.
	Body string
	// DependsOn names the tables and views the body reads. Not compared.
	DependsOn []string
	// Context is the session state the event was created under.
	Context CreationContext `json:",omitzero"`
}

// Object is a schema object of a kind that only some dialects have, modelled
// as what the server renders for it, so that the planner can compare,
// create and drop it without knowing the kind. On PostgreSQL the kinds are
// schema, extension, type (enum, composite, range), domain, sequence,
// function, procedure, trigger, policy, materialized_view and comment; the
// dialect says which order they are created in and how each is dropped or
// changed.
type Object struct {
	// Kind is the object's kind, as above.
	Kind string
	// Name identifies the object among those of its kind: qualified by its
	// schema where the dialect has schemas (app.status), with the argument
	// types of a function (public.total(integer, text)), or as "name on
	// table" for a trigger or policy.
	Name string
	// Definition is the statement that creates the object, as the dialect
	// renders it (CREATE TYPE app.status AS ENUM ('new', 'done')).
	Definition string
	// Comment is the object's COMMENT; "" for none.
	Comment string `json:",omitempty"`
	// DependsOn names what the object needs to exist first ("table app.t",
	// "function public.f()"); filled where known, never compared.
	DependsOn []string `json:",omitempty"`
}

// Key is the object's identity: its kind and name.
func (o *Object) Key() string { return o.Kind + " " + o.Name }
