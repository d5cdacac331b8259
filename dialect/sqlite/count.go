package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stratadb/strata/dialect"
)

var _ dialect.Counter = (*Dialect)(nil)

// Count runs the data checks against the database q is connected to, one
// result per check in order. SQLite keeps no row estimates, so a table's
// size is probed with a scan bounded by o.MaxRows+1 rows: a check on a
// table with more rows than o.MaxRows is skipped.
func (d *Dialect) Count(ctx context.Context, q dialect.Querier, checks []*dialect.DataCheck, o dialect.CountOptions) ([]dialect.CountResult, error) {
	out := make([]dialect.CountResult, len(checks))
	over := map[string]bool{} // table → more rows than o.MaxRows
	for i, c := range checks {
		if o.MaxRows > 0 {
			big, probed := over[c.Table]
			if !probed {
				var n int64
				query := "SELECT COUNT(*) FROM (SELECT 1 FROM " + quoteIdent(c.Table) + " LIMIT " + strconv.FormatInt(o.MaxRows+1, 10) + ")"
				if err := scanOne(ctx, q, query, &n); err != nil {
					return nil, fmt.Errorf("count rows of %s: %w", quoteIdent(c.Table), err)
				}
				big = n > o.MaxRows
				over[c.Table] = big
			}
			if big {
				out[i].Skipped = fmt.Sprintf("table %s has more than %s rows, the limit", quoteIdent(c.Table), thousands(o.MaxRows))
				continue
			}
		}
		if c.Kind == dialect.CountSize {
			res, err := tableSize(ctx, q, c.Table)
			if err != nil {
				return nil, err
			}
			out[i] = res
			continue
		}
		if c.Kind == dialect.CountMisfits {
			// Only STRICT tables refuse values that do not fit a column's
			// type; others keep every value as it is.
			strict, err := isStrict(ctx, q, c.Table)
			if err != nil {
				return nil, err
			}
			if !strict {
				out[i].Skipped = "SQLite keeps values that do not fit the declared type unchanged (not a STRICT table): nothing fails or is cut"
				continue
			}
		}
		query, why := countQuery(c)
		if query == "" {
			out[i].Skipped = why
			continue
		}
		res, err := dialect.RunCount(ctx, q, query)
		if err != nil {
			return nil, fmt.Errorf("count %s of %s: %w", c.Kind, quoteIdent(c.Table), err)
		}
		out[i] = res
	}
	return out, nil
}

// tableSize counts a table's rows and sums the pages of the table and its
// indexes (dbstat); Bytes stays nil where dbstat is not compiled in.
func tableSize(ctx context.Context, q dialect.Querier, table string) (dialect.CountResult, error) {
	var rows int64
	if err := scanOne(ctx, q, "SELECT COUNT(*) FROM "+quoteIdent(table), &rows); err != nil {
		return dialect.CountResult{}, fmt.Errorf("count rows of %s: %w", quoteIdent(table), err)
	}
	res := dialect.CountResult{Rows: &rows}
	var bytes int64
	err := scanOne(ctx, q, "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = "+quoteString(table)+")", &bytes)
	if err == nil {
		res.Bytes = &bytes
	}
	return res, nil
}

func scanOne(ctx context.Context, q dialect.Querier, query string, dest ...any) error {
	return dialect.QueryRow(ctx, q, query, nil, dest...)
}

// countQuery is the SELECT that counts a check's rows, or "" with the
// reason when no query can count it.
func countQuery(c *dialect.DataCheck) (query, why string) {
	t := quoteIdent(c.Table)
	need := len(c.Columns) > 0
	switch c.Kind {
	case dialect.CountRows:
		return "SELECT COUNT(*) FROM " + t, ""
	case dialect.CountValues:
		if need {
			return "SELECT COUNT(*) FROM " + t + " WHERE " + quoteIdent(c.Columns[0]) + " IS NOT NULL", ""
		}
	case dialect.CountNulls:
		if need {
			return "SELECT COUNT(*) FROM " + t + " WHERE " + joinCols(c.Columns, "", " IS NULL", " OR "), ""
		}
	case dialect.CountDuplicates:
		if slices.Contains(c.Columns, "") {
			return "", "a key on an expression cannot be counted"
		}
		if need {
			// Rows (not groups) sharing their key with another row; a NULL
			// part never collides in a unique index.
			return "SELECT COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM " + t +
				" WHERE " + joinCols(c.Columns, "", " IS NOT NULL", " AND ") +
				" GROUP BY " + joinCols(c.Columns, "", "", ", ") + " HAVING COUNT(*) > 1)", ""
		}
	case dialect.CountOrphans:
		if need && c.RefTable != "" && len(c.RefColumns) == len(c.Columns) {
			var on []string
			for i, col := range c.Columns {
				on = append(on, "p."+quoteIdent(c.RefColumns[i])+" = c."+quoteIdent(col))
			}
			return "SELECT COUNT(*) FROM " + t + " AS c WHERE " + joinCols(c.Columns, "c.", " IS NOT NULL", " AND ") +
				" AND NOT EXISTS (SELECT 1 FROM " + quoteIdent(c.RefTable) + " AS p WHERE " + strings.Join(on, " AND ") + ")", ""
		}
	case dialect.CountMisfits:
		if need {
			pred, why := misfit(quoteIdent(c.Columns[0]), c)
			if pred == "" {
				return "", why
			}
			return "SELECT COUNT(*) FROM " + t + " WHERE " + pred, ""
		}
	case dialect.CountViolations:
		if c.Expr != "" {
			// NOT (NULL) is NULL: an unknown check passes, as CHECK does.
			return "SELECT COUNT(*) FROM " + t + " WHERE NOT (" + c.Expr + ")", ""
		}
	default:
		return "", fmt.Sprintf("unknown data check %q", c.Kind)
	}
	return "", fmt.Sprintf("incomplete %s check on %s", c.Kind, t)
}

func joinCols(cols []string, prefix, suffix, sep string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = prefix + quoteIdent(c) + suffix
	}
	return strings.Join(parts, sep)
}

// isStrict reports whether a table is a STRICT table.
func isStrict(ctx context.Context, q dialect.Querier, table string) (bool, error) {
	var strict int
	err := scanOne(ctx, q, "SELECT COALESCE(MAX(strict), 0) FROM pragma_table_list WHERE schema = 'main' AND name = "+quoteString(table), &strict)
	if err != nil {
		return false, fmt.Errorf("read whether %s is STRICT: %w", quoteIdent(table), err)
	}
	return strict == 1, nil
}

// misfit is a WHERE predicate true for values of col that a STRICT table
// refuses for the target type, or "" with the reason when there is none.
// A STRICT table coerces text and reals into an INTEGER column only when
// that loses nothing.
func misfit(col string, c *dialect.DataCheck) (pred, why string) {
	if c.Charset != "" {
		return "", "SQLite has no character sets"
	}
	if c.To == nil {
		return "", "misfits check without a target type"
	}
	switch strings.ToLower(c.To.Name) {
	case "int", "integer":
		return "(typeof(" + col + ") NOT IN ('integer', 'null') AND CAST(CAST(" + col + " AS INTEGER) AS TEXT) <> CAST(" + col + " AS TEXT))", ""
	case "text", "any":
		return "FALSE", ""
	}
	from := "an unknown type"
	if c.From != nil && c.From.Name != "" {
		from = c.From.Name
	}
	return "", fmt.Sprintf("no counting query for converting %s to %s", from, c.To.Name)
}

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// thousands formats n with comma separators.
func thousands(n int64) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
