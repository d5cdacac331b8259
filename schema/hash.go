package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
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
	// The bytes are json.Marshal(c)'s, written a table at a time: the
	// whole document (and Marshal's copy of it) was the peak of a plan's
	// memory (10,000 tables: ~100 MiB).
	h := sha256.New()
	h.Write([]byte(`{"Tables":`))
	writeList(h, c.Tables)
	h.Write([]byte(`,"Views":`))
	writeList(h, c.Views)
	h.Write([]byte(`,"Triggers":`))
	writeList(h, c.Triggers)
	// Routines and events only when there are any, so that the hash of a
	// schema without them is what it was before Strata managed them.
	if len(c.Routines) > 0 {
		h.Write([]byte(`,"Routines":`))
		writeList(h, c.Routines)
	}
	if len(c.Events) > 0 {
		h.Write([]byte(`,"Events":`))
		writeList(h, c.Events)
	}
	if len(c.Objects) > 0 {
		h.Write([]byte(`,"Objects":`))
		writeList(h, c.Objects)
	}
	h.Write([]byte(`}`))
	return hex.EncodeToString(h.Sum(nil))
}

// writeList writes l as json.Marshal does inside a struct.
func writeList[E any](w io.Writer, l []E) {
	if l == nil {
		w.Write([]byte("null"))
		return
	}
	w.Write([]byte("["))
	for i := range l {
		if i > 0 {
			w.Write([]byte(","))
		}
		b, err := json.Marshal(&l[i])
		if err != nil {
			panic("schema: hash: " + err.Error())
		}
		w.Write(b)
	}
	w.Write([]byte("]"))
}

type canonicalSchema struct {
	Tables   []Table
	Views    []View
	Triggers []Trigger
	Routines []Routine
	Events   []Event
	Objects  []Object
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
	for _, r := range s.Routines {
		cr := *r
		cr.DependsOn = nil
		c.Routines = append(c.Routines, cr)
	}
	slices.SortFunc(c.Routines, func(a, b Routine) int { return strings.Compare(a.Kind+"\x00"+a.Name, b.Kind+"\x00"+b.Name) })
	for _, e := range s.Events {
		ce := *e
		ce.DependsOn = nil
		// The server fills STARTS with the creation time, which differs
		// from one environment to the next.
		ce.Starts = ""
		c.Events = append(c.Events, ce)
	}
	slices.SortFunc(c.Events, func(a, b Event) int { return strings.Compare(a.Name, b.Name) })
	for _, o := range s.Objects {
		co := *o
		co.DependsOn = nil
		c.Objects = append(c.Objects, co)
	}
	slices.SortFunc(c.Objects, func(a, b Object) int { return strings.Compare(a.Key(), b.Key()) })
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
