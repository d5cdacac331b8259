package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// Hazards returns the hazards of one change on a server with the given
// rules (nil for the shared rules alone, names quoted as standard SQL):
// what it may destroy, what depends on the live rows, what rebuilds the
// table, and what its undo cannot bring back. Changes to a table created
// earlier in the same plan carry no data hazards (the table is empty); see
// Build.
func Hazards(c schema.Change, rules dialect.HazardRules) []Hazard {
	return hazards(c, &planContext{rules: rules})
}

// planContext is what hazards need to know about the rest of the plan and
// the server it is for.
type planContext struct {
	created map[string]bool   // tables created by earlier steps
	live    map[string]string // new table name → live name, for renames
	rules   dialect.HazardRules
}

// liveName is the name a table has in the live database, where data
// checks run.
func (pc *planContext) liveName(name string) string {
	if n, ok := pc.live[name]; ok {
		return n
	}
	return name
}

// qt quotes a name for a hazard message the way the server's SQL would.
func (pc *planContext) qt(name string) string {
	if pc.rules != nil {
		return pc.rules.QuoteName(name)
	}
	return QuoteStandard(name)
}

func (pc *planContext) qc(table, col string) string { return pc.qt(table) + "." + pc.qt(col) }

// narrowing says what converting values from a to b loses on the server;
// without rules nothing is known to be lost.
func (pc *planContext) narrowing(a, b schema.Type) string {
	if pc.rules == nil {
		return ""
	}
	return pc.rules.Narrowing(a, b)
}

func hazards(c schema.Change, pc *planContext) []Hazard {
	var hs hazardList
	switch c := c.(type) {
	case *schema.DropRoutine:
		hs.add(Destructive, "drops %s %s", strings.ToLower(c.R.Kind), pc.qt(c.R.Name))
	case *schema.DropEvent:
		hs.add(Destructive, "drops event %s", pc.qt(c.E.Name))
	case *schema.DropObject:
		// Schemas, types and sequences hold or shape data; functions,
		// triggers and policies are code the undo recreates as it was.
		switch c.O.Kind {
		case "schema", "type", "domain", "sequence", "extension", "materialized_view":
			hs.add(Destructive, "drops %s %s", strings.ReplaceAll(c.O.Kind, "_", " "), c.O.Name)
		}
	case *schema.DropTable:
		hs.addCheck(Destructive, &DataCheck{Kind: CountRows, Table: c.T.Name}, "drops table %s and all its rows", pc.qt(c.T.Name))
		hs.add(Irreversible, "the undo recreates table %s empty: its rows cannot be restored", pc.qt(c.T.Name))
	case *schema.AlterTable:
		if pc.created[c.To.Name] {
			return nil
		}
		lt := dialect.LiveTable{Name: pc.liveName(c.To.Name), Columns: map[string]string{}}
		for _, tc := range c.Changes {
			switch tc := tc.(type) {
			case *schema.RenameColumn:
				lt.Columns[tc.To] = tc.From
			case *schema.ModifyColumn:
				lt.Columns[tc.To.Name] = tc.From.Name
			case *schema.AddColumn:
				lt.Columns[tc.C.Name] = ""
			}
		}
		for _, tc := range c.Changes {
			tableChangeHazards(&hs, pc, c, lt, tc)
		}
		if pc.rules != nil {
			for _, h := range pc.rules.AlterHazards(c, lt) {
				hs.addCheck(h.Kind, h.Check, "%s", h.Message)
			}
		}
		// Most severe first, whichever rules made them.
		slices.SortStableFunc(hs, func(a, b Hazard) int { return severity[a.Kind] - severity[b.Kind] })
		// A rebuild takes as long as the table is big: size it.
		for i := range hs {
			if hs[i].Kind == Locking && hs[i].Check == nil {
				hs[i].Check = &DataCheck{Kind: CountSize, Table: lt.Name}
			}
		}
	}
	return hs
}

// severity orders a change's hazards for a reviewer: lost data first.
var severity = map[HazardKind]int{Destructive: 0, DataDependent: 1, Irreversible: 2, Locking: 3}

type hazardList []Hazard

func (hs *hazardList) add(kind HazardKind, format string, args ...any) {
	hs.addCheck(kind, nil, format, args...)
}

// addCheck adds a hazard sized by a data check (nil for none), once.
func (hs *hazardList) addCheck(kind HazardKind, check *DataCheck, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, h := range *hs {
		if h.Kind == kind && h.Message == msg {
			return
		}
	}
	*hs = append(*hs, Hazard{Kind: kind, Message: msg, Check: check})
}

// tableChangeHazards adds the hazards every server shares: a drop loses its
// values, and a new key, check or NOT NULL fails on rows that violate it.
func tableChangeHazards(hs *hazardList, pc *planContext, at *schema.AlterTable, lt dialect.LiveTable, tc schema.TableChange) {
	t := at.To.Name
	switch c := tc.(type) {
	case *schema.DropColumn:
		if c.C.Generated != nil {
			break // computed values: nothing is lost
		}
		hs.addCheck(Destructive, &DataCheck{Kind: CountValues, Table: lt.Name, Columns: []string{c.C.Name}},
			"drops column %s and its values", pc.qc(t, c.C.Name))
		hs.add(Irreversible, "the undo re-adds column %s empty: its values cannot be restored", pc.qc(t, c.C.Name))
	case *schema.AddColumn:
		for _, o := range at.Changes {
			if d, ok := o.(*schema.DropColumn); ok && d.C.Name == c.C.Name && d.C.Generated != nil && c.C.Generated == nil {
				hs.add(Destructive, "%s becomes a regular column: the values its expression computed are not kept", pc.qc(t, c.C.Name))
			}
		}
	case *schema.ModifyColumn:
		col := pc.qc(t, c.To.Name)
		from, to := c.From, c.To
		if c.Kind.Is(schema.ChangeNull) && from.Null && !to.Null {
			hs.addCheck(DataDependent, &DataCheck{Kind: CountNulls, Table: lt.Name, Columns: []string{from.Name}},
				"fails if %s holds NULL values (NULL → NOT NULL)", col)
		}
		if c.Kind.Is(schema.ChangeGenerated) && from.Generated == nil && to.Generated != nil {
			hs.add(Destructive, "replaces the stored values of %s by its expression", col)
			hs.add(Irreversible, "the undo cannot restore the values of %s replaced by its expression", col)
		}
		if c.Kind.Is(schema.ChangeCheck) && to.Check != "" {
			hs.addCheck(DataDependent, &DataCheck{Kind: CountViolations, Table: lt.Name, Expr: to.Check},
				"fails if rows of %s violate the check of %s", pc.qt(t), col)
		}
	case *schema.AddPrimaryKey:
		hs.addCheck(DataDependent, lt.Check(CountDuplicates, c.I.Columns()),
			"fails if %s has duplicate values in (%s) for the primary key", pc.qt(t), strings.Join(c.I.Columns(), ", "))
	case *schema.AddIndex:
		if c.I.Kind == schema.IndexUnique && !newAllNull(at, c.I.Columns()) {
			hs.addCheck(DataDependent, withPrefixes(lt.Check(CountDuplicates, c.I.Columns()), c.I), "fails if %s has duplicate values in (%s) for unique index %s",
				pc.qt(t), strings.Join(c.I.Columns(), ", "), pc.qt(c.I.Name))
		}
	case *schema.AddForeignKey:
		if newAllNull(at, c.F.Columns) {
			break // NULL references nothing: no row can violate the key
		}
		var check *DataCheck
		if !pc.created[c.F.RefTable] {
			if check = lt.Check(CountOrphans, c.F.Columns); check != nil {
				check.RefTable, check.RefColumns = pc.liveName(c.F.RefTable), c.F.RefColumns
			}
		}
		hs.addCheck(DataDependent, check, "fails if rows of %s reference missing rows of %s (foreign key %s)",
			pc.qt(t), pc.qt(c.F.RefTable), pc.qt(c.F.Name))
	case *schema.AddCheck:
		hs.addCheck(DataDependent, &DataCheck{Kind: CountViolations, Table: lt.Name, Expr: c.C.Expr},
			"fails if rows of %s violate check %s", pc.qt(t), pc.qt(c.C.Name))
	}
}

// newAllNull reports whether every column of cols is added by the alter as
// a nullable column that starts out NULL in every row.
func newAllNull(at *schema.AlterTable, cols []string) bool {
	if len(cols) == 0 {
		return false
	}
	added := map[string]*schema.Column{}
	for _, tc := range at.Changes {
		if a, ok := tc.(*schema.AddColumn); ok {
			added[a.C.Name] = a.C
		}
	}
	for _, n := range cols {
		c := added[n]
		if c == nil || !c.Null || (c.Default != "" && c.Default != "NULL") || c.Generated != nil || c.AutoIncrement {
			return false
		}
	}
	return true
}

// withPrefixes adds the prefix lengths of a prefix index to its
// duplicates check: rows collide on the prefixes, not the whole values.
func withPrefixes(c *DataCheck, i *schema.Index) *DataCheck {
	if c == nil {
		return nil
	}
	for _, p := range i.Parts {
		if p.Prefix > 0 {
			c.Prefixes = make([]int, len(i.Parts))
			for n, p := range i.Parts {
				c.Prefixes[n] = p.Prefix
			}
			break
		}
	}
	return c
}
