package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// Hash returns a fingerprint of the schema's normalized content: equal for
// two schemas that the planner would find no change between. Object order
// that carries no meaning (tables, indexes, keys, checks, views, triggers)
// does not change it; column order does. Names of the database and
// RenamedFrom hints are left out, as is each table's AutoIncrement start.
func (s *Schema) Hash() string {
	c := s.canonical()
	b, err := json.Marshal(c)
	if err != nil {
		// The model is plain data; Marshal cannot fail on it.
		panic("schema: hash: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

type canonicalSchema struct {
	Tables   []Table
	Views    []View
	Triggers []Trigger
}

func (s *Schema) canonical() canonicalSchema {
	var c canonicalSchema
	for _, t := range s.Tables {
		ct := *t
		ct.RenamedFrom = ""
		ct.Options.AutoIncrement = 0
		ct.Columns = make([]*Column, len(t.Columns))
		for i, col := range t.Columns {
			cc := *col
			cc.RenamedFrom = ""
			cc.Type.Args = nilIfEmpty(cc.Type.Args)
			cc.Type.Values = nilIfEmpty(cc.Type.Values)
			ct.Columns[i] = &cc
		}
		ct.Indexes = nil
		for _, idx := range t.Indexes {
			ci := *idx
			ci.RenamedFrom = ""
			ct.Indexes = append(ct.Indexes, &ci)
		}
		slices.SortFunc(ct.Indexes, func(a, b *Index) int { return strings.Compare(a.Name, b.Name) })
		ct.ForeignKeys = nilIfEmpty(slices.Clone(t.ForeignKeys))
		slices.SortFunc(ct.ForeignKeys, func(a, b *ForeignKey) int { return strings.Compare(a.Name, b.Name) })
		ct.Checks = nilIfEmpty(slices.Clone(t.Checks))
		slices.SortFunc(ct.Checks, func(a, b *Check) int { return strings.Compare(a.Name, b.Name) })
		if t.Partition != nil {
			p := *t.Partition
			p.Definitions = nilIfEmpty(p.Definitions)
			ct.Partition = &p
		}
		c.Tables = append(c.Tables, ct)
	}
	slices.SortFunc(c.Tables, func(a, b Table) int { return strings.Compare(a.Name, b.Name) })
	for _, v := range s.Views {
		cv := *v
		cv.DependsOn = nil
		c.Views = append(c.Views, cv)
	}
	slices.SortFunc(c.Views, func(a, b View) int { return strings.Compare(a.Name, b.Name) })
	for _, t := range s.Triggers {
		c.Triggers = append(c.Triggers, *t)
	}
	slices.SortFunc(c.Triggers, func(a, b Trigger) int { return strings.Compare(a.Table+"\x00"+a.Name, b.Table+"\x00"+b.Name) })
	return c
}

// nilIfEmpty makes an empty slice nil, so that a model loaded with [] and
// one inspected with nil hash the same.
func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}
