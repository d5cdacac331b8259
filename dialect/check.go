package dialect

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/stratadb/strata/schema"
)

// DataCheckKind says what a DataCheck counts.
type DataCheckKind string

// Data check kinds; each counts rows of Table.
const (
	// CountRows counts all rows.
	CountRows DataCheckKind = "rows"
	// CountValues counts rows where Columns[0] IS NOT NULL (values a
	// dropped column loses).
	CountValues DataCheckKind = "values"
	// CountNulls counts rows where any of Columns IS NULL.
	CountNulls DataCheckKind = "nulls"
	// CountDuplicates counts rows whose Columns (all non-NULL) equal those
	// of another row.
	CountDuplicates DataCheckKind = "duplicates"
	// CountOrphans counts rows whose Columns (all non-NULL) match no row
	// of RefTable(RefColumns).
	CountOrphans DataCheckKind = "orphans"
	// CountMisfits counts rows whose Columns[0] value does not fit Type
	// unchanged (too long, out of range, not a member, more digits).
	CountMisfits DataCheckKind = "misfits"
	// CountViolations counts rows for which Expr is false.
	CountViolations DataCheckKind = "violations"
	// CountSize reads the table's estimated rows and bytes (data and
	// indexes) from the server's statistics without scanning it, to size
	// a locking change. It is never skipped for MaxRows.
	CountSize DataCheckKind = "size"
)

// DataCheck is a count of live rows that a dialect runs to size a hazard.
type DataCheck struct {
	Kind    DataCheckKind `json:"kind"`
	Table   string        `json:"table"`
	Columns []string      `json:"columns,omitempty"`
	// Prefixes are the prefix lengths of a key's parts (CountDuplicates of
	// a prefix index), 0 for a whole column; nil when no part has one.
	Prefixes   []int    `json:"prefixes,omitempty"`
	RefTable   string   `json:"ref_table,omitempty"`
	RefColumns []string `json:"ref_columns,omitempty"`
	// From and To are the column's type before and after (CountMisfits).
	From *schema.Type `json:"from,omitempty"`
	To   *schema.Type `json:"to,omitempty"`
	// Charset is the target character set of a conversion (CountMisfits
	// with From == To: rows holding characters it cannot represent).
	Charset string `json:"charset,omitempty"`
	Expr    string `json:"expr,omitempty"` // CountViolations
	// Fill is the value the server gives existing rows in a column the
	// change adds NOT NULL without a default (CountRows of its table):
	// each counted row silently gets it. "" for other checks.
	Fill string `json:"fill,omitempty"`
}

// CountOptions bound the counting queries.
type CountOptions struct {
	// MaxRows skips checks on tables whose estimated row count (from the
	// server's statistics) is above it, so that a plan never scans a huge
	// table; 0 means no limit.
	MaxRows int64
}

// CountResult is the outcome of one DataCheck.
type CountResult struct {
	// Rows is the count; nil when the check was skipped. For CountSize it
	// is the server's estimate.
	Rows *int64
	// Bytes is the table's estimated size in bytes, data and indexes
	// (CountSize only); nil otherwise.
	Bytes *int64
	// Skipped says why the check did not run ("table has ~12,000,000 rows,
	// above the limit of 1,000,000"); "" when it ran.
	Skipped string
}

// Counter is implemented by dialects that can run data checks against the
// live database at plan time, to put figures on hazards.
type Counter interface {
	Count(ctx context.Context, q Querier, checks []*DataCheck, o CountOptions) ([]CountResult, error)
}

// RunCount runs the counting query of one check and returns its figure. A
// query the server refuses skips the check with the reason rather than
// failing the plan (a figure is not worth that: a check expression may name
// a column the same plan adds, which the live table lacks); only a
// cancelled ctx is an error.
func RunCount(ctx context.Context, q Querier, query string) (CountResult, error) {
	var n sql.NullInt64
	if err := QueryRow(ctx, q, query, nil, &n); err != nil {
		if ctx.Err() != nil {
			return CountResult{}, err
		}
		return CountResult{Skipped: fmt.Sprintf("the counting query failed: %v", err)}, nil
	}
	rows := n.Int64
	return CountResult{Rows: &rows}, nil
}
