package main

import (
	"context"
	"encoding/json"
	"fmt"

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
