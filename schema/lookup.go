package schema

// Table returns the table named name, or nil.
func (s *Schema) Table(name string) *Table {
	for _, t := range s.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// View returns the view named name, or nil.
func (s *Schema) View(name string) *View {
	for _, v := range s.Views {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// Column returns the column named name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Index returns the secondary index named name, or nil.
func (t *Table) Index(name string) *Index {
	for _, i := range t.Indexes {
		if i.Name == name {
			return i
		}
	}
	return nil
}

// ForeignKey returns the foreign key named name, or nil.
func (t *Table) ForeignKey(name string) *ForeignKey {
	for _, f := range t.ForeignKeys {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Check returns the check constraint named name, or nil.
func (t *Table) Check(name string) *Check {
	for _, c := range t.Checks {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Columns returns the column names of the index's parts (expression parts
// give "").
func (i *Index) Columns() []string {
	names := make([]string, len(i.Parts))
	for n, p := range i.Parts {
		names[n] = p.Column
	}
	return names
}

// Routine returns the routine of the kind (RoutineProcedure or
// RoutineFunction) named name, or nil.
func (s *Schema) Routine(kind, name string) *Routine {
	for _, r := range s.Routines {
		if r.Kind == kind && r.Name == name {
			return r
		}
	}
	return nil
}

// Event returns the event named name, or nil.
func (s *Schema) Event(name string) *Event {
	for _, e := range s.Events {
		if e.Name == name {
			return e
		}
	}
	return nil
}
