package planner

import (
	"fmt"
	"slices"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// Build turns ordered changes into a plan: the statements of each change
// from the dialect (one Generate call per change) and its hazards. FromHash
// and ToHash are current.Hash() and desired.Hash() (the same hash when there
// are no changes). A nil dialect gives
// steps without statements (for rendering a diff without a server).
func Build(current, desired *schema.Schema, changes []schema.Change, d dialect.Dialect, o dialect.GenOptions) (*Plan, error) {
	return build(current, desired, changes, d, o, d != nil)
}

// Describe is Build without statements: the steps of changes with their
// hazards as d's rules word them, for showing a difference that is not
// going to run (d may be nil).
func Describe(current, desired *schema.Schema, changes []schema.Change, d dialect.Dialect) *Plan {
	p, _ := build(current, desired, changes, d, dialect.GenOptions{}, false)
	return p
}

func build(current, desired *schema.Schema, changes []schema.Change, d dialect.Dialect, o dialect.GenOptions, generate bool) (*Plan, error) {
	p := &Plan{}
	rules := rulesOf(d)
	p.Rules = rules
	_, p.Transactional = d.(dialect.TxApplier)
	if len(changes) == 0 {
		// Nothing to change: the desired schema is the live one as far as
		// the plan is concerned, and hashing 10,000 tables twice is not free.
		p.FromHash = hashOf(current)
		p.ToHash = p.FromHash
	} else {
		done := make(chan struct{})
		go func() {
			defer close(done)
			p.ToHash = hashOf(serverOrder(current, desired, diffRulesOf(d)))
		}()
		p.FromHash = hashOf(current)
		<-done
	}
	pc := &planContext{created: map[string]bool{}, live: map[string]string{}, rules: rules}
	o.NewTables = map[string]bool{}
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.RenameTable:
			pc.live[c.To] = c.From
		case *schema.AddTable:
			o.NewTables[c.T.Name] = true
		}
	}
	for _, c := range changes {
		if a, ok := c.(*schema.AddTable); ok {
			pc.created[a.T.Name] = true
		}
		s := &Step{Change: c, Hazards: hazards(c, pc)}
		if generate {
			stmts, err := d.Generate(c, o)
			if err != nil {
				k, name := ObjectOf(c)
				return nil, fmt.Errorf("generate SQL for %s %q: %w", k, name, err)
			}
			s.Statements = stmts
		}
		p.Steps = append(p.Steps, s)
	}
	return p, nil
}

// BuildReverse builds the down side of Diff(current, desired): the plan that
// takes desired back to current (Reverse's changes). Besides each change's
// own hazards, steps that recreate what the up side destroyed are marked
// Irreversible: a table or column comes back empty, narrowed values stay
// truncated.
func BuildReverse(current, desired *schema.Schema, d dialect.Dialect, o dialect.GenOptions) (*Plan, error) {
	// The undo starts from the live schema the up side leaves, which is
	// desired but for the order of columns on some servers.
	up := serverOrder(current, desired, diffRulesOf(d))
	p, err := Build(up, current, Reverse(current, desired, d), d, o)
	if err != nil {
		return nil, err
	}
	pc := &planContext{rules: rulesOf(d)}
	for _, s := range p.Steps {
		var hs hazardList = s.Hazards
		switch c := s.Change.(type) {
		case *schema.AddTable:
			hs.add(Irreversible, "recreates table %s without the rows the up side dropped", pc.qt(c.T.Name))
		case *schema.AlterTable:
			for _, tc := range c.Changes {
				switch tc := tc.(type) {
				case *schema.AddColumn:
					hs.add(Irreversible, "re-adds column %s without the values the up side dropped", pc.qc(c.To.Name, tc.C.Name))
				case *schema.ModifyColumn:
					if tc.Kind.Is(schema.ChangeType) && pc.narrowing(tc.To.Type, tc.From.Type) != "" {
						hs.add(Irreversible, "cannot restore values of %s truncated by the up side", pc.qc(c.To.Name, tc.To.Name))
					}
				}
			}
		}
		s.Hazards = hs
	}
	return p, nil
}

// serverOrder is desired with its columns where a server that does not
// order columns (DiffRules.ColumnOrder false) will have them once the plan
// ran: the columns a table keeps in their current order, then the ones
// added (and replaced) in desired order. ToHash is that schema's hash, so
// that it is the live schema's after the plan. desired itself when the
// server orders columns, or no table needs another order.
func serverOrder(current, desired *schema.Schema, rules dialect.DiffRules) *schema.Schema {
	if rules.ColumnOrder() || current == nil || desired == nil {
		return desired
	}
	d := newDiffer(current, desired, rules)
	d.matchTables()
	var out *schema.Schema
	var at map[*schema.Table]int // desired table → its index
	for _, p := range d.pairs {
		m := matchColumns(p.from, p.to)
		kept := make([]columnPair, 0, len(m.pairs))
		var added []*schema.Column
		for _, cp := range m.pairs {
			if cp.from == nil || rules.ReplacesColumn(cp.from, cp.to) {
				added = append(added, cp.to)
			} else {
				kept = append(kept, cp)
			}
		}
		slices.SortStableFunc(kept, func(a, b columnPair) int { return a.fromPos - b.fromPos })
		cols := make([]*schema.Column, 0, len(p.to.Columns))
		for _, cp := range kept {
			cols = append(cols, cp.to)
		}
		cols = append(cols, added...)
		if slices.Equal(cols, p.to.Columns) {
			continue
		}
		if out == nil {
			c := *desired
			c.Tables = slices.Clone(desired.Tables)
			out = &c
			at = make(map[*schema.Table]int, len(desired.Tables))
			for i, t := range desired.Tables {
				at[t] = i
			}
		}
		t := *p.to
		t.Columns = cols
		out.Tables[at[p.to]] = &t
	}
	if out == nil {
		return desired
	}
	return out
}

// rulesOf is the hazard rules of d's server; nil when d has none (or is
// nil: a diff rendered without a server).
func rulesOf(d dialect.Dialect) dialect.HazardRules {
	r, _ := d.(dialect.HazardRules)
	return r
}

func hashOf(s *schema.Schema) string {
	if s == nil {
		s = &schema.Schema{}
	}
	return s.Hash()
}

// ObjectKind is the kind of schema object a change is about.
type ObjectKind string

// Object kinds.
const (
	ObjectTable     ObjectKind = "table"
	ObjectView      ObjectKind = "view"
	ObjectTrigger   ObjectKind = "trigger"
	ObjectProcedure ObjectKind = "procedure"
	ObjectFunction  ObjectKind = "function"
	ObjectEvent     ObjectKind = "event"
)

// ObjectOf returns the kind and name of the object a change is about; for
// a rename, the new name.
func ObjectOf(c schema.Change) (ObjectKind, string) {
	switch c := c.(type) {
	case *schema.AddTable:
		return ObjectTable, c.T.Name
	case *schema.DropTable:
		return ObjectTable, c.T.Name
	case *schema.RenameTable:
		return ObjectTable, c.To
	case *schema.AlterTable:
		return ObjectTable, c.To.Name
	case *schema.AddView:
		return ObjectView, c.V.Name
	case *schema.DropView:
		return ObjectView, c.V.Name
	case *schema.ModifyView:
		return ObjectView, c.To.Name
	case *schema.AddTrigger:
		return ObjectTrigger, c.T.Name
	case *schema.DropTrigger:
		return ObjectTrigger, c.T.Name
	case *schema.AddRoutine:
		return routineObject(c.R)
	case *schema.DropRoutine:
		return routineObject(c.R)
	case *schema.ModifyRoutine:
		return routineObject(c.To)
	case *schema.AddEvent:
		return ObjectEvent, c.E.Name
	case *schema.DropEvent:
		return ObjectEvent, c.E.Name
	case *schema.ModifyEvent:
		return ObjectEvent, c.To.Name
	case *schema.AddObject:
		return ObjectKind(c.O.Kind), c.O.Name
	case *schema.DropObject:
		return ObjectKind(c.O.Kind), c.O.Name
	case *schema.ModifyObject:
		return ObjectKind(c.To.Kind), c.To.Name
	}
	return "", ""
}

// routineObject is a routine's kind and name: procedures and functions
// have a namespace each.
func routineObject(r *schema.Routine) (ObjectKind, string) {
	if r.Kind == schema.RoutineFunction {
		return ObjectFunction, r.Name
	}
	return ObjectProcedure, r.Name
}

// Action is what a plan does to one object.
type Action string

// Actions, in Terraform's terms.
const (
	ActionCreate Action = "create"
	ActionUpdate Action = "update"
	ActionDelete Action = "delete"
)

// ActionOf returns the action of a single change.
func ActionOf(c schema.Change) Action {
	switch c.(type) {
	case *schema.AddTable, *schema.AddView, *schema.AddTrigger, *schema.AddRoutine, *schema.AddEvent, *schema.AddObject:
		return ActionCreate
	case *schema.DropTable, *schema.DropView, *schema.DropTrigger, *schema.DropRoutine, *schema.DropEvent, *schema.DropObject:
		return ActionDelete
	}
	return ActionUpdate
}

// Object is one schema object a plan touches, with the steps that touch it.
type Object struct {
	Kind   ObjectKind
	Name   string // the name after the plan (a renamed table's new name)
	Action Action
	Steps  []*Step
}

// Objects groups the plan's steps by the object they touch, in order of
// first appearance. A table renamed and altered, or whose foreign keys are
// dropped first or added last, is one object; an object dropped and
// recreated under the same name (a replaced view or trigger) is an update;
// steps on a table created or dropped by the plan do not make it an update.
func (p *Plan) Objects() []*Object {
	// Steps before a rename use the old name: map them to the new one.
	renamed := map[string]string{}
	for _, s := range p.Steps {
		if r, ok := s.Change.(*schema.RenameTable); ok {
			renamed[r.From] = r.To
		}
	}
	type key struct {
		kind ObjectKind
		name string
	}
	idx := map[key]*Object{}
	var out []*Object
	seenRename := map[string]bool{}
	for _, s := range p.Steps {
		kind, name := ObjectOf(s.Change)
		if kind == ObjectTable {
			if n, ok := renamed[name]; ok && !seenRename[name] {
				name = n
			}
			if r, ok := s.Change.(*schema.RenameTable); ok {
				seenRename[r.From] = true
			}
		}
		k := key{kind, name}
		o := idx[k]
		a := ActionOf(s.Change)
		if o == nil {
			o = &Object{Kind: kind, Name: name, Action: a}
			idx[k] = o
			out = append(out, o)
		} else {
			o.Action = mergeAction(o.Action, a)
		}
		o.Steps = append(o.Steps, s)
	}
	return out
}

func mergeAction(a, b Action) Action {
	switch {
	case a == b:
		return a
	case a == ActionDelete && b == ActionCreate, a == ActionCreate && b == ActionDelete:
		return ActionUpdate // replaced
	case a == ActionUpdate:
		return b
	}
	return a
}

// Summary is the count of objects (tables, views, triggers) a plan adds,
// changes and destroys.
type Summary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Destroy int `json:"destroy"`
}

// String returns "Plan: 1 to add, 2 to change, 0 to destroy."
func (s Summary) String() string {
	return fmt.Sprintf("Plan: %d to add, %d to change, %d to destroy.", s.Add, s.Change, s.Destroy)
}

// Summary counts the plan's objects by action, with Terraform's semantics:
// an altered or renamed table is one change.
func (p *Plan) Summary() Summary {
	var s Summary
	for _, o := range p.Objects() {
		switch o.Action {
		case ActionCreate:
			s.Add++
		case ActionUpdate:
			s.Change++
		case ActionDelete:
			s.Destroy++
		}
	}
	return s
}

// Hazards returns every hazard of the plan in step order.
func (p *Plan) Hazards() []Hazard {
	var all []Hazard
	for _, s := range p.Steps {
		all = append(all, s.Hazards...)
	}
	return all
}
