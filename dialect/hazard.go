package dialect

import "github.com/stratadb/strata/schema"

// HazardKind classifies what can go wrong with a change.
type HazardKind string

// Hazard kinds.
const (
	// Destructive changes lose data: dropped tables, columns, rows.
	Destructive HazardKind = "destructive"
	// DataDependent changes may fail or truncate depending on existing rows:
	// NOT NULL without default, narrowing, a new unique key, foreign key or check.
	DataDependent HazardKind = "data-dependent"
	// Locking changes rebuild or copy the table.
	Locking HazardKind = "locking"
	// Irreversible changes cannot be undone with their data.
	Irreversible HazardKind = "irreversible"
)

// Hazard is one risk of a change, with the reason in words.
type Hazard struct {
	Kind    HazardKind `json:"kind"`
	Message string     `json:"message"`
	// Check names the count of live rows that sizes the hazard (rows a
	// drop loses, NULLs that block NOT NULL, duplicates that block a unique
	// key, ...); nil when none applies. The planner never runs it: a
	// dialect does at plan time and sets Rows.
	Check *DataCheck `json:"check,omitempty"`
	// Rows is Check's result; nil while not counted. For a CountSize
	// check it is the server's estimate of the table's rows.
	Rows *int64 `json:"rows,omitempty"`
	// Bytes is the table's estimated size, data and indexes (CountSize
	// checks of locking hazards); nil when unknown.
	Bytes *int64 `json:"bytes,omitempty"`
	// Skipped says why Check was not counted ("table has ~12,000,000
	// rows, above the limit of 1,000,000"); "" when it was or was not tried.
	Skipped string `json:"skipped,omitempty"`
}

// HazardRules is implemented by dialects that know what a change risks on
// their server beyond what every server shares. The planner owns the shared
// rules (a drop loses its rows, a new key or check fails on rows that
// violate it); the dialect owns the rest: what narrowing a type or
// converting a character set does to stored values, which changes copy or
// lock the table, and how names are quoted in the messages.
type HazardRules interface {
	// QuoteName quotes an identifier for a hazard message.
	QuoteName(name string) string
	// AlterHazards returns the server's hazards of an altered table's
	// changes; data checks run on the live names lt gives.
	AlterHazards(at *schema.AlterTable, lt LiveTable) []Hazard
	// Narrowing says what converting stored values of type a to type b
	// loses on this server, or "" when every value is kept (the undo of a
	// narrowing cannot bring back what it cut).
	Narrowing(a, b schema.Type) string
}

// MisfitWording is implemented by dialects (with HazardRules) whose server
// may do otherwise than refuse a change when stored values do not fit the
// column's new type or character set (MySQL outside strict mode cuts
// them). Misfit begins the sentence of such a change counted on the live
// rows: "will fail (strict mode) or truncate"; lossyCharset is true for a
// conversion to a character set that cannot hold some characters. Without
// it the sentence begins "will fail".
type MisfitWording interface {
	Misfit(lossyCharset bool) string
}

// LiveTable names an altered table and its columns as the live database
// has them, where data checks run (a plan may rename both).
type LiveTable struct {
	Name string
	// Columns maps a column's new name to its live one, "" for a column
	// the same alter adds; a column not in the map keeps its name.
	Columns map[string]string
}

// Check is a data check of kind on the live names of cols; nil when a
// column is new in this alter (it holds no data yet).
func (lt LiveTable) Check(kind DataCheckKind, cols []string) *DataCheck {
	live := make([]string, len(cols))
	for i, n := range cols {
		l, mapped := lt.Columns[n]
		switch {
		case !mapped:
			live[i] = n
		case l == "":
			return nil
		default:
			live[i] = l
		}
	}
	return &DataCheck{Kind: kind, Table: lt.Name, Columns: live}
}
