package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
)

// defaultMaxCountRows is --max-count-rows: checks on tables estimated above
// it are not counted, so that a plan never scans a huge table.
const defaultMaxCountRows = 1_000_000

// countHazards runs the data checks the plan's hazards name against the
// live database and puts the figures on the hazards (Rows, Bytes, or
// Skipped with the reason). Equal checks run once. A dialect that cannot
// count leaves the hazards as they are.
func countHazards(ctx context.Context, t *target, p *planner.Plan, maxRows int64) error {
	if p == nil {
		return nil
	}
	return countChecks(ctx, t, p.DataChecks(), maxRows)
}

// countChecks is countHazards for a list of hazards that name a check.
func countChecks(ctx context.Context, t *target, hazards []*planner.Hazard, maxRows int64) error {
	counter, ok := t.Dialect.(dialect.Counter)
	if !ok || len(hazards) == 0 {
		return nil
	}
	var checks []*dialect.DataCheck
	index := map[string]int{} // check as JSON → position in checks
	of := make([]int, len(hazards))
	for i, h := range hazards {
		key, err := json.Marshal(h.Check)
		if err != nil {
			return fmt.Errorf("count hazards: %w", err)
		}
		j, seen := index[string(key)]
		if !seen {
			j = len(checks)
			index[string(key)] = j
			checks = append(checks, h.Check)
		}
		of[i] = j
	}
	results, err := counter.Count(ctx, t.Conn, checks, dialect.CountOptions{MaxRows: maxRows})
	if err != nil {
		return fmt.Errorf("count rows for the plan's hazards in %s: %w", t.Redacted, err)
	}
	if len(results) != len(checks) {
		return fmt.Errorf("count rows for the plan's hazards: %d results for %d checks", len(results), len(checks))
	}
	for i, h := range hazards {
		r := results[of[i]]
		h.Rows, h.Bytes, h.Skipped = r.Rows, r.Bytes, r.Skipped
	}
	return nil
}

// hazardFails reports whether a data-dependent hazard's live count shows
// that its change would fail (rows with NULLs, duplicates, orphans, values
// that do not fit, violations): running it would stop part-way.
func hazardFails(h planner.Hazard) bool {
	return h.Kind == planner.DataDependent && h.Check != nil && h.Rows != nil && *h.Rows > 0 &&
		h.Check.Kind != planner.CountRows && h.Check.Kind != planner.CountSize
}

// hazardRules are d's hazard rules, which word hazard sentences; nil for a
// dialect without them.
func hazardRules(d dialect.Dialect) dialect.HazardRules {
	r, _ := d.(dialect.HazardRules)
	return r
}

// quoterOf quotes names in messages as d's SQL does; nil (standard SQL)
// for a dialect without hazard rules.
func quoterOf(d dialect.Dialect) func(string) string {
	if r := hazardRules(d); r != nil {
		return r.QuoteName
	}
	return nil
}

// quoteName quotes a name for a message as d's SQL does.
func quoteName(d dialect.Dialect, name string) string {
	if q := quoterOf(d); q != nil {
		return q(name)
	}
	return planner.QuoteStandard(name)
}

// fixHint says, for a plan whose live counts show it will fail, how to fix
// the rows so that every environment gets the fix before the change: a
// hand-written revision, which apply runs first (it is pending) and
// promotion replays before the change's own revision. Each failing hazard
// gets a starting point for its SQL. "" when nothing fails; on an ad hoc
// --url target (no history) it says to fix the rows by hand.
func fixHint(p *planner.Plan, env string) string {
	var sqls []string
	seen := map[string]bool{}
	for _, s := range p.Steps {
		for _, h := range s.Hazards {
			if !hazardFails(h) {
				continue
			}
			if q := fixSQL(h.Check, p.Quote); q != "" && !seen[q] {
				seen[q] = true
				sqls = append(sqls, q)
			}
		}
	}
	if len(sqls) == 0 {
		return ""
	}
	var b strings.Builder
	if env == "" {
		b.WriteString("Fix those rows first, then plan again; for example:\n")
	} else {
		fmt.Fprintf(&b, "Fix those rows with a hand-written revision, so that every environment gets the fix before the change: "+
			"apply runs it first, and promotion replays it before the change's revision.\n"+
			"  strata revision new --name fix_rows --up fix.sql   # fix.sql: the UPDATE or DELETE that fixes them\n"+
			"  strata apply --env %s                            # runs the fix, then plans the schema again\n"+
			"For example (edit the values to what your data needs):\n", env)
	}
	for _, q := range sqls {
		b.WriteString("  " + q + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// fixSQL is a starting point for the statement that fixes the rows a
// failing check counts, quoted as the plan quotes names.
func fixSQL(c *planner.DataCheck, q func(string) string) string {
	if c == nil || c.Table == "" {
		return ""
	}
	t := q(c.Table)
	cols := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		if col == "" {
			return "" // a key part on an expression
		}
		cols[i] = q(col)
	}
	switch c.Kind {
	case planner.CountNulls:
		var ss []string
		for _, col := range cols {
			ss = append(ss, "UPDATE "+t+" SET "+col+" = <value> WHERE "+col+" IS NULL;")
		}
		return strings.Join(ss, "\n  ")
	case planner.CountDuplicates:
		if len(cols) == 0 {
			return ""
		}
		list := strings.Join(cols, ", ")
		return "-- rows sharing (" + list + "): SELECT " + list + ", COUNT(*) FROM " + t + " GROUP BY " + list + " HAVING COUNT(*) > 1;\n" +
			"  -- then UPDATE or DELETE all but one row of each group"
	case planner.CountOrphans:
		if len(cols) == 0 || len(cols) != len(c.RefColumns) {
			return ""
		}
		var match, notNull []string
		for i, col := range cols {
			match = append(match, "p."+q(c.RefColumns[i])+" = "+t+"."+col)
			notNull = append(notNull, t+"."+col+" IS NOT NULL")
		}
		return "DELETE FROM " + t + " WHERE " + strings.Join(notNull, " AND ") + " AND NOT EXISTS (SELECT 1 FROM " + q(c.RefTable) +
			" p WHERE " + strings.Join(match, " AND ") + ");   -- or UPDATE them to reference existing rows"
	case planner.CountMisfits:
		if len(cols) == 0 || c.To == nil {
			return ""
		}
		return "UPDATE " + t + " SET " + cols[0] + " = <a value that fits " + planner.FormatType(*c.To) + "> WHERE <" + cols[0] + " does not fit>;"
	case planner.CountViolations:
		if c.Expr == "" {
			return ""
		}
		return "UPDATE " + t + " SET <columns> = <values> WHERE NOT (" + c.Expr + ");"
	}
	return ""
}
