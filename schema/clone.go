package schema

import "slices"

// Clone returns a deep copy of the schema, so that one copy can be
// normalized or changed without touching the other. Nil and empty slices
// stay as they are.
func (s *Schema) Clone() *Schema {
	c := *s
	c.Tables = slices.Clone(s.Tables)
	for i, t := range s.Tables {
		c.Tables[i] = t.Clone()
	}
	c.Views = slices.Clone(s.Views)
	for i, v := range s.Views {
		cv := *v
		cv.DependsOn = slices.Clone(v.DependsOn)
		c.Views[i] = &cv
	}
	c.Triggers = slices.Clone(s.Triggers)
	for i, t := range s.Triggers {
		ct := *t
		c.Triggers[i] = &ct
	}
	c.Routines = slices.Clone(s.Routines)
	for i, r := range s.Routines {
		cr := *r
		cr.DependsOn = slices.Clone(r.DependsOn)
		c.Routines[i] = &cr
	}
	c.Events = slices.Clone(s.Events)
	for i, e := range s.Events {
		ce := *e
		ce.DependsOn = slices.Clone(e.DependsOn)
		c.Events[i] = &ce
	}
	c.Objects = slices.Clone(s.Objects)
	for i, o := range s.Objects {
		co := *o
		co.DependsOn = slices.Clone(o.DependsOn)
		c.Objects[i] = &co
	}
	return &c
}

// Clone returns a deep copy of the table.
func (t *Table) Clone() *Table {
	c := *t
	c.Columns = slices.Clone(t.Columns)
	for i, col := range t.Columns {
		cc := *col
		cc.Type.Args = slices.Clone(col.Type.Args)
		cc.Type.Values = slices.Clone(col.Type.Values)
		if col.Generated != nil {
			g := *col.Generated
			cc.Generated = &g
		}
		c.Columns[i] = &cc
	}
	c.PrimaryKey = t.PrimaryKey.clone()
	c.Indexes = slices.Clone(t.Indexes)
	for i, x := range t.Indexes {
		c.Indexes[i] = x.clone()
	}
	c.ForeignKeys = slices.Clone(t.ForeignKeys)
	for i, f := range t.ForeignKeys {
		cf := *f
		cf.Columns = slices.Clone(f.Columns)
		cf.RefColumns = slices.Clone(f.RefColumns)
		c.ForeignKeys[i] = &cf
	}
	c.Checks = slices.Clone(t.Checks)
	for i, k := range t.Checks {
		ck := *k
		c.Checks[i] = &ck
	}
	if t.Partition != nil {
		p := *t.Partition
		p.Definitions = slices.Clone(t.Partition.Definitions)
		c.Partition = &p
	}
	return &c
}

func (i *Index) clone() *Index {
	if i == nil {
		return nil
	}
	c := *i
	c.Parts = slices.Clone(i.Parts)
	c.Include = slices.Clone(i.Include)
	return &c
}
