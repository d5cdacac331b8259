package mysql

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

var _ dialect.Counter = (*Dialect)(nil)

// tableStats are the server's statistics of one table.
type tableStats struct {
	rows  int64 // TABLE_ROWS: an estimate for InnoDB
	bytes int64 // DATA_LENGTH + INDEX_LENGTH
}

// Count runs the data checks against the database q is connected to, one
// result per check in order. The tables' estimated sizes come from one
// information_schema query; a check on a table estimated above o.MaxRows
// is skipped so that planning never scans a huge table. CountSize checks
// only read those statistics.
func (d *Dialect) Count(ctx context.Context, q dialect.Querier, checks []*dialect.DataCheck, o dialect.CountOptions) ([]dialect.CountResult, error) {
	out := make([]dialect.CountResult, len(checks))
	if len(checks) == 0 {
		return out, nil
	}
	stats, err := tableStatistics(ctx, q, checks)
	if err != nil {
		return nil, err
	}
	for i, c := range checks {
		st, known := stats[c.Table]
		if c.Kind == dialect.CountSize {
			if known {
				rows, bytes := st.rows, st.bytes
				out[i] = dialect.CountResult{Rows: &rows, Bytes: &bytes}
			} else {
				out[i].Skipped = fmt.Sprintf("no statistics for table %s", QuoteIdent(c.Table))
			}
			continue
		}
		if o.MaxRows > 0 && st.rows > o.MaxRows {
			out[i].Skipped = fmt.Sprintf("table %s has ~%s rows, above the limit of %s",
				QuoteIdent(c.Table), thousands(st.rows), thousands(o.MaxRows))
			continue
		}
		query, why := countQuery(c)
		if query == "" {
			out[i].Skipped = why
			continue
		}
		res, err := dialect.RunCount(ctx, q, query)
		if err != nil {
			return nil, fmt.Errorf("count %s of %s: %w", c.Kind, QuoteIdent(c.Table), err)
		}
		out[i] = res
	}
	return out, nil
}

// tableStatistics reads the estimated rows and bytes of the checks' tables
// in one query.
func tableStatistics(ctx context.Context, q dialect.Querier, checks []*dialect.DataCheck) (map[string]tableStats, error) {
	var names []string
	seen := map[string]bool{}
	for _, c := range checks {
		if !seen[c.Table] {
			seen[c.Table] = true
			names = append(names, QuoteString(c.Table))
		}
	}
	rows, err := q.QueryContext(ctx, "SELECT TABLE_NAME, COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0)"+
		" FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ("+strings.Join(names, ", ")+")")
	if err != nil {
		return nil, fmt.Errorf("read table statistics: %w", err)
	}
	defer rows.Close()
	stats := map[string]tableStats{}
	for rows.Next() {
		var name string
		var st tableStats
		if err := rows.Scan(&name, &st.rows, &st.bytes); err != nil {
			return nil, fmt.Errorf("read table statistics: %w", err)
		}
		// information_schema compares names case-insensitively here; keep
		// only exact matches.
		if seen[name] {
			stats[name] = st
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read table statistics: %w", err)
	}
	return stats, nil
}

// countQuery is the SELECT that counts a check's rows, or "" with the
// reason when no query can count it.
func countQuery(c *dialect.DataCheck) (query, why string) {
	t := QuoteIdent(c.Table)
	need := func(n int) bool { return len(c.Columns) >= n }
	switch c.Kind {
	case dialect.CountRows:
		return "SELECT COUNT(*) FROM " + t, ""
	case dialect.CountValues:
		if !need(1) {
			break
		}
		return "SELECT COUNT(*) FROM " + t + " WHERE " + QuoteIdent(c.Columns[0]) + " IS NOT NULL", ""
	case dialect.CountNulls:
		if !need(1) {
			break
		}
		return "SELECT COUNT(*) FROM " + t + " WHERE " + joinCols(c.Columns, "", " IS NULL", " OR "), ""
	case dialect.CountDuplicates:
		if !need(1) {
			break
		}
		if slices.Contains(c.Columns, "") {
			return "", "a key on an expression cannot be counted"
		}
		// Rows (not groups) that share their key with another row. A unique
		// key allows any number of rows with a NULL part, so those are left
		// out; GROUP BY compares with the columns' collations, as the key
		// will, and on the prefixes of a prefix index.
		return "SELECT COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM " + t +
			" WHERE " + joinCols(c.Columns, "", " IS NOT NULL", " AND ") +
			" GROUP BY " + keyParts(c) + " HAVING COUNT(*) > 1) AS d", ""
	case dialect.CountOrphans:
		if !need(1) || c.RefTable == "" || len(c.RefColumns) != len(c.Columns) {
			break
		}
		// A row with a NULL in the key references nothing and is allowed.
		var on []string
		for i, col := range c.Columns {
			on = append(on, "p."+QuoteIdent(c.RefColumns[i])+" = c."+QuoteIdent(col))
		}
		return "SELECT COUNT(*) FROM " + t + " AS c WHERE " + joinCols(c.Columns, "c.", " IS NOT NULL", " AND ") +
			" AND NOT EXISTS (SELECT 1 FROM " + QuoteIdent(c.RefTable) + " AS p WHERE " + strings.Join(on, " AND ") + ")", ""
	case dialect.CountMisfits:
		if !need(1) {
			break
		}
		pred, why := misfit(QuoteIdent(c.Columns[0]), c)
		if pred == "" {
			return "", why
		}
		return "SELECT COUNT(*) FROM " + t + " WHERE " + pred, ""
	case dialect.CountViolations:
		if c.Expr == "" {
			break
		}
		// NOT (NULL) is NULL, not true: a row where the check is unknown
		// passes it, as the server's CHECK does.
		return "SELECT COUNT(*) FROM " + t + " WHERE NOT (" + c.Expr + ")", ""
	default:
		return "", fmt.Sprintf("unknown data check %q", c.Kind)
	}
	return "", fmt.Sprintf("incomplete %s check on %s", c.Kind, QuoteIdent(c.Table))
}

// keyParts is the GROUP BY list of a duplicates check: columns, or their
// prefixes.
func keyParts(c *dialect.DataCheck) string {
	parts := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		parts[i] = QuoteIdent(col)
		if i < len(c.Prefixes) && c.Prefixes[i] > 0 {
			parts[i] = "LEFT(" + parts[i] + ", " + strconv.Itoa(c.Prefixes[i]) + ")"
		}
	}
	return strings.Join(parts, ", ")
}

func joinCols(cols []string, prefix, suffix, sep string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = prefix + QuoteIdent(c) + suffix
	}
	return strings.Join(parts, sep)
}

// Ranges of the integer types.
var intRanges = map[string][2]string{
	"tinyint":   {"-128", "127"},
	"smallint":  {"-32768", "32767"},
	"mediumint": {"-8388608", "8388607"},
	"int":       {"-2147483648", "2147483647"},
	"bigint":    {"-9223372036854775808", "9223372036854775807"},
}

var unsignedMax = map[string]string{
	"tinyint": "255", "smallint": "65535", "mediumint": "16777215", "int": "4294967295", "bigint": "18446744073709551615",
}

// Byte capacity of the text and blob types.
var lobBytes = map[string]int64{
	"tinytext": 255, "text": 65535, "mediumtext": 16777215, "longtext": 4294967295,
	"tinyblob": 255, "blob": 65535, "mediumblob": 16777215, "longblob": 4294967295,
}

func isNumeric(name string) bool {
	_, isInt := intRanges[name]
	return isInt || name == "decimal" || name == "float" || name == "double" || name == "bit" || name == "year"
}

// misfit is a WHERE predicate true for the values of col that do not fit
// the check's target type (or charset) unchanged, or "" with the reason
// when there is none.
func misfit(col string, c *dialect.DataCheck) (pred, why string) {
	if c.To == nil {
		return "", "misfits check without a target type"
	}
	to := *c.To
	var from schema.Type
	if c.From != nil {
		from = *c.From
	}
	if c.Charset != "" {
		// Characters the target charset cannot hold come back as '?' after
		// a round trip; compare byte for byte in a charset holding both.
		cs := c.Charset
		if cs == "utf8" {
			cs = "utf8mb3"
		}
		if !safeWord(cs) {
			return "", fmt.Sprintf("unknown character set %q", c.Charset)
		}
		return "CONVERT(CONVERT(" + col + " USING " + cs + ") USING utf8mb4) COLLATE utf8mb4_bin <> CONVERT(" + col +
			" USING utf8mb4) COLLATE utf8mb4_bin", ""
	}
	n := 0
	if len(to.Args) > 0 {
		n = to.Args[0]
	}
	var conds []string
	switch {
	case intRanges[to.Name] != [2]string{}:
		lo, hi := intRanges[to.Name][0], intRanges[to.Name][1]
		if to.Unsigned {
			lo, hi = "0", unsignedMax[to.Name]
		}
		v := col
		if !isNumeric(from.Name) {
			// Text must be an integer to convert unchanged.
			conds = append(conds, "NOT ("+col+" REGEXP '^[[:space:]]*[-+]?[0-9]+[[:space:]]*$')")
			v = "CAST(" + col + " AS DECIMAL(65,0))"
		} else if from.Name == "decimal" || from.Name == "float" || from.Name == "double" {
			conds = append(conds, col+" <> ROUND("+col+")")
		}
		conds = append(conds, v+" < "+lo, v+" > "+hi)
	case to.Name == "decimal":
		p, s := 10, 0
		if len(to.Args) > 0 {
			p = to.Args[0]
		}
		if len(to.Args) > 1 {
			s = to.Args[1]
		}
		v := col
		if !isNumeric(from.Name) {
			conds = append(conds, "NOT ("+col+" REGEXP '^[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)[[:space:]]*$')")
			v = "CAST(" + col + " AS DECIMAL(65,30))"
		}
		conds = append(conds, v+" <> ROUND("+v+", "+strconv.Itoa(s)+")",
			"ABS("+v+") >= 1"+strings.Repeat("0", p-s))
		if to.Unsigned {
			conds = append(conds, v+" < 0")
		}
	case to.Name == "char" || to.Name == "varchar":
		conds = append(conds, "CHAR_LENGTH("+col+") > "+strconv.Itoa(n))
	case to.Name == "binary" || to.Name == "varbinary":
		conds = append(conds, "LENGTH("+col+") > "+strconv.Itoa(n))
	case lobBytes[to.Name] > 0:
		conds = append(conds, "LENGTH("+col+") > "+strconv.FormatInt(lobBytes[to.Name], 10))
	case to.Name == "enum" && (from.Name == "set" || from.Name == "enum" || !isNumeric(from.Name)):
		if len(to.Values) == 0 {
			return "", "enum without members"
		}
		members := make([]string, len(to.Values))
		for i, v := range to.Values {
			members[i] = QuoteString(v)
		}
		conds = append(conds, col+" NOT IN ("+strings.Join(members, ", ")+")")
	case to.Name == "set" && from.Name == "set":
		for _, v := range from.Values {
			if !contains(to.Values, v) {
				conds = append(conds, "FIND_IN_SET("+QuoteString(v)+", "+col+") > 0")
			}
		}
		if len(conds) == 0 {
			return "FALSE", ""
		}
	case (to.Name == "datetime" || to.Name == "timestamp" || to.Name == "time") &&
		(from.Name == "datetime" || from.Name == "timestamp" || from.Name == "time"):
		// Fractional seconds beyond the new precision are cut.
		if n < 6 {
			conds = append(conds, "MOD(MICROSECOND("+col+"), "+"1"+strings.Repeat("0", 6-n)+") <> 0")
		}
		if to.Name == "timestamp" && from.Name != "timestamp" {
			conds = append(conds, col+" < '1970-01-01 00:00:01'", col+" > '2038-01-19 03:14:07'")
		}
	case to.Name == "date" && (from.Name == "datetime" || from.Name == "timestamp"):
		conds = append(conds, "TIME("+col+") <> '00:00:00'")
	case to.Name == "bit":
		conds = append(conds, "CAST("+col+" AS UNSIGNED) >= POW(2, "+strconv.Itoa(max(n, 1))+")")
	case to.Name == "year":
		conds = append(conds, "NOT ("+col+" BETWEEN 1901 AND 2155 OR "+col+" = 0)")
	default:
		return "", fmt.Sprintf("no counting query for converting %s to %s", typeName(from), typeName(to))
	}
	return "(" + strings.Join(conds, " OR ") + ")", ""
}

func contains(vs []string, v string) bool {
	for _, w := range vs {
		if w == v {
			return true
		}
	}
	return false
}

func typeName(t schema.Type) string {
	if t.Name == "" {
		return "an unknown type"
	}
	return t.Name
}

// safeWord reports whether s is a plain word (a charset name) that can be
// put in SQL unquoted.
func safeWord(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
