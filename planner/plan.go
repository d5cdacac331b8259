// Package planner diffs two schema models into ordered, typed changes and
// turns them into a plan: statements from a dialect, each change tagged with
// its hazards. The planner never opens a connection.
package planner

import (
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// Hazards and their kinds live in package dialect, whose rules make most
// of them (see dialect.HazardRules); the planner adds the shared ones.
type (
	Hazard     = dialect.Hazard
	HazardKind = dialect.HazardKind
)

// Hazard kinds (see dialect).
const (
	Destructive   = dialect.Destructive
	DataDependent = dialect.DataDependent
	Locking       = dialect.Locking
	Irreversible  = dialect.Irreversible
)

// DataCheck and its kinds live in package dialect, which runs them (see
// dialect.Counter); the planner names them.
type (
	DataCheck     = dialect.DataCheck
	DataCheckKind = dialect.DataCheckKind
)

// Data check kinds (see dialect).
const (
	CountRows       = dialect.CountRows
	CountValues     = dialect.CountValues
	CountNulls      = dialect.CountNulls
	CountDuplicates = dialect.CountDuplicates
	CountOrphans    = dialect.CountOrphans
	CountMisfits    = dialect.CountMisfits
	CountViolations = dialect.CountViolations
	CountSize       = dialect.CountSize
)

// DataChecks returns the hazards of the plan that name a data check, for a
// dialect to count and fill in Rows.
func (p *Plan) DataChecks() []*Hazard {
	var out []*Hazard
	for _, s := range p.Steps {
		for i := range s.Hazards {
			if s.Hazards[i].Check != nil {
				out = append(out, &s.Hazards[i])
			}
		}
	}
	return out
}

// Step is one change of a plan with the statements that carry it out.
type Step struct {
	Change     schema.Change
	Statements []dialect.Stmt
	Hazards    []Hazard
}

// Plan is an ordered list of steps taking a database from one schema to
// another.
type Plan struct {
	Steps []*Step
	// FromHash and ToHash are schema.Schema.Hash of the live schema the plan
	// was made against and of the desired schema.
	FromHash string
	ToHash   string
	// Rules are the hazard rules of the server the plan was made for,
	// which also word its messages; nil for a plan made without them.
	Rules dialect.HazardRules
	// Transactional is set when the server runs the plan in a transaction
	// (its dialect is a dialect.TxApplier).
	Transactional bool
}

// Quote quotes a name for a message about the plan: the dialect's way,
// or the SQL standard's for a plan made without a dialect's rules.
func (p *Plan) Quote(name string) string {
	if p != nil && p.Rules != nil {
		return p.Rules.QuoteName(name)
	}
	return QuoteStandard(name)
}

// QuoteStandard quotes a name as standard SQL does: "name", with inner
// double quotes doubled. Messages without a dialect use it.
func QuoteStandard(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Steps) == 0 }

// Statements returns all statements of the plan in order.
func (p *Plan) Statements() []dialect.Stmt {
	var all []dialect.Stmt
	for _, s := range p.Steps {
		all = append(all, s.Statements...)
	}
	return all
}

// RunsAlone reports whether st runs on its own, outside the transaction
// the plan runs in: a statement the server refuses inside one
// (PostgreSQL's CREATE INDEX CONCURRENTLY). A plan for a server whose DDL
// is not transactional (MySQL) has no transaction to be outside of.
func (p *Plan) RunsAlone(st dialect.Stmt) bool {
	return p.Transactional && !st.Transactional
}

// HasHazard reports whether any step carries a hazard of the kind.
func (p *Plan) HasHazard(kind HazardKind) bool {
	for _, s := range p.Steps {
		for _, h := range s.Hazards {
			if h.Kind == kind {
				return true
			}
		}
	}
	return false
}
