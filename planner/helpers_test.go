package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stratadb/strata/schema"
)

// Builders for normalized models.

func tbl(name string, cols ...*schema.Column) *schema.Table {
	return &schema.Table{
		Name:    name,
		Columns: cols,
		Options: schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collate: "utf8mb4_general_ci"},
	}
}

// col is a NOT NULL column of the type; args are the type's Args.
func col(name, typ string, args ...int) *schema.Column {
	return &schema.Column{Name: name, Type: schema.Type{Name: typ, Args: args}}
}

func nullable(c *schema.Column) *schema.Column {
	c.Null = true
	c.Default = "NULL"
	return c
}

func pk(t *schema.Table, cols ...string) *schema.Table {
	t.PrimaryKey = &schema.Index{Name: "PRIMARY", Kind: schema.IndexUnique, Parts: parts(cols...)}
	return t
}

func parts(cols ...string) []schema.IndexPart {
	ps := make([]schema.IndexPart, len(cols))
	for i, c := range cols {
		ps[i] = schema.IndexPart{Column: c}
	}
	return ps
}

func idx(t *schema.Table, name string, kind schema.IndexKind, cols ...string) *schema.Table {
	t.Indexes = append(t.Indexes, &schema.Index{Name: name, Kind: kind, Parts: parts(cols...)})
	return t
}

func fk(t *schema.Table, name string, cols []string, ref string, refCols []string) *schema.Table {
	t.ForeignKeys = append(t.ForeignKeys, &schema.ForeignKey{
		Name: name, Columns: cols, RefTable: ref, RefColumns: refCols,
		OnUpdate: schema.ActionRestrict, OnDelete: schema.ActionRestrict,
	})
	return t
}

func sch(tables ...*schema.Table) *schema.Schema {
	return &schema.Schema{Name: "app", Charset: "utf8mb4", Collate: "utf8mb4_general_ci", Tables: tables}
}

// clone deep-copies a schema so that tests can derive a desired model.
func clone(s *schema.Schema) *schema.Schema { return s.Clone() }

func cloneTable(t *schema.Table) *schema.Table { return t.Clone() }

// describe renders changes compactly for assertions.
func describe(chs []schema.Change) []string {
	out := make([]string, 0, len(chs))
	for _, c := range chs {
		out = append(out, describeChange(c))
	}
	return out
}

func describeChange(c schema.Change) string {
	switch c := c.(type) {
	case *schema.AddTable:
		s := "add table " + c.T.Name
		if len(c.T.ForeignKeys) > 0 {
			var n []string
			for _, f := range c.T.ForeignKeys {
				n = append(n, f.Name)
			}
			s += " fk " + strings.Join(n, ",")
		}
		return s
	case *schema.DropTable:
		return "drop table " + c.T.Name
	case *schema.RenameTable:
		return "rename table " + c.From + " to " + c.To
	case *schema.AlterTable:
		var cl []string
		for _, tc := range c.Changes {
			cl = append(cl, describeClause(tc))
		}
		return "alter table " + c.To.Name + ": " + strings.Join(cl, ", ")
	case *schema.AddView:
		return "add view " + c.V.Name
	case *schema.DropView:
		return "drop view " + c.V.Name
	case *schema.ModifyView:
		return "modify view " + c.To.Name
	case *schema.AddTrigger:
		return "add trigger " + c.T.Name
	case *schema.DropTrigger:
		return "drop trigger " + c.T.Name
	}
	return fmt.Sprintf("%T", c)
}

func posString(p schema.ColumnPosition) string {
	if p.After != "" {
		return " after " + p.After
	}
	if p.First {
		return " first"
	}
	return ""
}

var kindNames = []struct {
	k    schema.ColumnChangeKind
	name string
}{
	{schema.ChangeType, "type"}, {schema.ChangeNull, "null"}, {schema.ChangeDefault, "default"},
	{schema.ChangeOnUpdate, "onupdate"}, {schema.ChangeAutoIncrement, "autoinc"},
	{schema.ChangeCharset, "charset"}, {schema.ChangeComment, "comment"},
	{schema.ChangeGenerated, "generated"}, {schema.ChangeInvisible, "invisible"},
	{schema.ChangeCheck, "check"}, {schema.ChangePosition, "position"},
}

func describeClause(tc schema.TableChange) string {
	switch c := tc.(type) {
	case *schema.AddColumn:
		return "add column " + c.C.Name + posString(c.Position)
	case *schema.DropColumn:
		return "drop column " + c.C.Name
	case *schema.ModifyColumn:
		var ks []string
		for _, k := range kindNames {
			if c.Kind.Is(k.k) {
				ks = append(ks, k.name)
			}
		}
		name := c.To.Name
		if c.From.Name != c.To.Name {
			name = c.From.Name + "->" + c.To.Name
		}
		return "modify column " + name + " [" + strings.Join(ks, " ") + "]" + posString(c.Position)
	case *schema.RenameColumn:
		return "rename column " + c.From + " to " + c.To
	case *schema.AddIndex:
		return "add index " + c.I.Name
	case *schema.DropIndex:
		return "drop index " + c.I.Name
	case *schema.RenameIndex:
		return "rename index " + c.From + " to " + c.To
	case *schema.AddPrimaryKey:
		return "add pk (" + strings.Join(c.I.Columns(), ",") + ")"
	case *schema.DropPrimaryKey:
		return "drop pk"
	case *schema.AddForeignKey:
		return "add fk " + c.F.Name
	case *schema.DropForeignKey:
		return "drop fk " + c.F.Name
	case *schema.AddCheck:
		return "add check " + c.C.Name
	case *schema.DropCheck:
		return "drop check " + c.C.Name
	case *schema.ModifyOptions:
		return "options"
	case *schema.ModifyPartition:
		return "partition"
	}
	return fmt.Sprintf("%T", tc)
}

// apply simulates a MariaDB server running the changes on a copy of s, with
// foreign_key_checks=1 rules for table creation, drops and key additions,
// and MariaDB's sequential column placement within one ALTER TABLE. It
// returns the resulting model (as the server would report it) or the first
// error a server would raise.
func apply(s *schema.Schema, chs []schema.Change) (*schema.Schema, error) {
	s = clone(s)
	find := func(name string) (int, *schema.Table) {
		for i, t := range s.Tables {
			if t.Name == name {
				return i, t
			}
		}
		return -1, nil
	}
	referenced := func(name string) string {
		for _, t := range s.Tables {
			if t.Name == name {
				continue
			}
			for _, f := range t.ForeignKeys {
				if f.RefTable == name {
					return t.Name + "." + f.Name
				}
			}
		}
		return ""
	}
	checkFK := func(t *schema.Table, f *schema.ForeignKey) error {
		ref := t
		if f.RefTable != t.Name {
			_, ref = find(f.RefTable)
		}
		if ref == nil {
			return fmt.Errorf("fk %s of %s: referenced table %s missing", f.Name, t.Name, f.RefTable)
		}
		for _, c := range f.RefColumns {
			if ref.Column(c) == nil {
				return fmt.Errorf("fk %s of %s: referenced column %s.%s missing", f.Name, t.Name, f.RefTable, c)
			}
		}
		for i, c := range f.Columns {
			cc := t.Column(c)
			if cc == nil {
				return fmt.Errorf("fk %s of %s: column %s missing", f.Name, t.Name, c)
			}
			rc := ref.Column(f.RefColumns[i])
			if cc.Type.Name != rc.Type.Name || cc.Type.Unsigned != rc.Type.Unsigned {
				return fmt.Errorf("fk %s of %s: %s and %s.%s have incompatible types", f.Name, t.Name, c, ref.Name, rc.Name)
			}
		}
		return nil
	}
	for _, ch := range chs {
		switch c := ch.(type) {
		case *schema.AddTable:
			if _, t := find(c.T.Name); t != nil {
				return nil, fmt.Errorf("add table %s: exists", c.T.Name)
			}
			nt := cloneTable(c.T)
			s.Tables = append(s.Tables, nt)
			for _, f := range nt.ForeignKeys {
				if err := checkFK(nt, f); err != nil {
					return nil, fmt.Errorf("add table: %w", err)
				}
			}
		case *schema.DropTable:
			i, t := find(c.T.Name)
			if t == nil {
				return nil, fmt.Errorf("drop table %s: missing", c.T.Name)
			}
			if r := referenced(c.T.Name); r != "" {
				return nil, fmt.Errorf("drop table %s: referenced by %s", c.T.Name, r)
			}
			s.Tables = slices.Delete(s.Tables, i, i+1)
		case *schema.RenameTable:
			_, t := find(c.From)
			if t == nil {
				return nil, fmt.Errorf("rename table %s: missing", c.From)
			}
			if _, o := find(c.To); o != nil {
				return nil, fmt.Errorf("rename table to %s: exists", c.To)
			}
			t.Name = c.To
			for _, o := range s.Tables {
				for _, f := range o.ForeignKeys {
					if f.RefTable == c.From {
						f.RefTable = c.To
					}
				}
			}
			for _, tr := range s.Triggers {
				if tr.Table == c.From {
					tr.Table = c.To
				}
			}
		case *schema.AlterTable:
			_, t := find(c.To.Name)
			if t == nil {
				return nil, fmt.Errorf("alter table %s: missing", c.To.Name)
			}
			if err := applyAlter(s, t, c, checkFK); err != nil {
				return nil, fmt.Errorf("alter table %s: %w", c.To.Name, err)
			}
		case *schema.AddView:
			if s.View(c.V.Name) != nil {
				return nil, fmt.Errorf("add view %s: exists", c.V.Name)
			}
			v := *c.V
			s.Views = append(s.Views, &v)
		case *schema.DropView:
			i := slices.IndexFunc(s.Views, func(v *schema.View) bool { return v.Name == c.V.Name })
			if i < 0 {
				return nil, fmt.Errorf("drop view %s: missing", c.V.Name)
			}
			s.Views = slices.Delete(s.Views, i, i+1)
		case *schema.ModifyView:
			v := s.View(c.From.Name)
			if v == nil {
				return nil, fmt.Errorf("modify view %s: missing", c.From.Name)
			}
			*v = *c.To
		case *schema.AddTrigger:
			for _, t := range s.Triggers {
				if t.Name == c.T.Name {
					return nil, fmt.Errorf("add trigger %s: exists", c.T.Name)
				}
			}
			if _, t := find(c.T.Table); t == nil {
				return nil, fmt.Errorf("add trigger %s: table %s missing", c.T.Name, c.T.Table)
			}
			tr := *c.T
			s.Triggers = append(s.Triggers, &tr)
		case *schema.DropTrigger:
			i := slices.IndexFunc(s.Triggers, func(t *schema.Trigger) bool { return t.Name == c.T.Name })
			if i < 0 {
				return nil, fmt.Errorf("drop trigger %s: missing", c.T.Name)
			}
			s.Triggers = slices.Delete(s.Triggers, i, i+1)
		default:
			return nil, fmt.Errorf("unknown change %T", ch)
		}
	}
	return s, nil
}

func colIndex(t *schema.Table, name string) int {
	return slices.IndexFunc(t.Columns, func(c *schema.Column) bool { return c.Name == name })
}

func place(t *schema.Table, c *schema.Column, p schema.ColumnPosition) error {
	switch {
	case p.After != "":
		i := colIndex(t, p.After)
		if i < 0 {
			return fmt.Errorf("column %s: AFTER unknown column %s", c.Name, p.After)
		}
		t.Columns = slices.Insert(t.Columns, i+1, c)
	case p.First:
		t.Columns = slices.Insert(t.Columns, 0, c)
	default:
		t.Columns = append(t.Columns, c)
	}
	return nil
}

func renameColRefs(s *schema.Schema, t *schema.Table, from, to string) {
	for _, x := range append(slices.Clone(t.Indexes), t.PrimaryKey) {
		if x == nil {
			continue
		}
		for i := range x.Parts {
			if x.Parts[i].Column == from {
				x.Parts[i].Column = to
			}
		}
	}
	for _, f := range t.ForeignKeys {
		for i := range f.Columns {
			if f.Columns[i] == from {
				f.Columns[i] = to
			}
		}
	}
	for _, o := range s.Tables {
		for _, f := range o.ForeignKeys {
			if f.RefTable != t.Name {
				continue
			}
			for i := range f.RefColumns {
				if f.RefColumns[i] == from {
					f.RefColumns[i] = to
				}
			}
		}
	}
}

// fkUses reports a foreign key of t, or referencing t, that uses column c
// (errors 1828/1832/1833).
func fkUses(s *schema.Schema, t *schema.Table, c string) error {
	for _, f := range t.ForeignKeys {
		if slices.Contains(f.Columns, c) {
			return fmt.Errorf("column %s used in foreign key %s", c, f.Name)
		}
	}
	for _, o := range s.Tables {
		for _, f := range o.ForeignKeys {
			if f.RefTable == t.Name && slices.Contains(f.RefColumns, c) {
				return fmt.Errorf("column %s used in foreign key %s of %s", c, f.Name, o.Name)
			}
		}
	}
	return nil
}

func applyAlter(s *schema.Schema, t *schema.Table, at *schema.AlterTable, checkFK func(*schema.Table, *schema.ForeignKey) error) error {
	var addFKs []*schema.ForeignKey
	touchedCols := map[string]bool{}
	for _, tc := range at.Changes {
		switch c := tc.(type) {
		case *schema.AddColumn:
			touchedCols[c.C.Name] = true
		case *schema.ModifyColumn:
			touchedCols[c.To.Name] = true
		}
	}
	for _, tc := range at.Changes {
		switch c := tc.(type) {
		case *schema.AddColumn:
			if colIndex(t, c.C.Name) >= 0 {
				return fmt.Errorf("add column %s: exists", c.C.Name)
			}
			cc := *c.C
			if err := place(t, &cc, c.Position); err != nil {
				return err
			}
		case *schema.DropColumn:
			i := colIndex(t, c.C.Name)
			if i < 0 {
				return fmt.Errorf("drop column %s: missing", c.C.Name)
			}
			if err := fkUses(s, t, c.C.Name); err != nil {
				return fmt.Errorf("drop column: %w", err)
			}
			// The server takes the column out of its indexes and drops
			// the indexes left empty.
			var kept []*schema.Index
			for _, x := range t.Indexes {
				x.Parts = slices.DeleteFunc(x.Parts, func(p schema.IndexPart) bool { return p.Column == c.C.Name })
				if len(x.Parts) > 0 {
					kept = append(kept, x)
				}
			}
			t.Indexes = kept
			if pk := t.PrimaryKey; pk != nil {
				pk.Parts = slices.DeleteFunc(pk.Parts, func(p schema.IndexPart) bool { return p.Column == c.C.Name })
				if len(pk.Parts) == 0 {
					t.PrimaryKey = nil
				}
			}
			t.Columns = slices.Delete(t.Columns, i, i+1)
		case *schema.ModifyColumn:
			i := colIndex(t, c.From.Name)
			if i < 0 {
				return fmt.Errorf("modify column %s: missing", c.From.Name)
			}
			if c.Kind&(schema.ChangeType|schema.ChangeCharset) != 0 {
				if err := fkUses(s, t, c.From.Name); err != nil {
					return fmt.Errorf("modify column: %w", err)
				}
			}
			cc := *c.To
			if c.Kind.Is(schema.ChangePosition) {
				t.Columns = slices.Delete(t.Columns, i, i+1)
				if err := place(t, &cc, c.Position); err != nil {
					return err
				}
			} else {
				t.Columns[i] = &cc
			}
			if c.From.Name != c.To.Name {
				renameColRefs(s, t, c.From.Name, c.To.Name)
			}
		case *schema.RenameColumn:
			i := colIndex(t, c.From)
			if i < 0 {
				return fmt.Errorf("rename column %s: missing", c.From)
			}
			cc := *t.Columns[i]
			cc.Name = c.To
			t.Columns[i] = &cc
			renameColRefs(s, t, c.From, c.To)
		case *schema.AddIndex:
			if t.Index(c.I.Name) != nil {
				return fmt.Errorf("add index %s: exists", c.I.Name)
			}
			x := *c.I
			x.Parts = slices.Clone(x.Parts)
			t.Indexes = append(t.Indexes, &x)
		case *schema.DropIndex:
			i := slices.IndexFunc(t.Indexes, func(x *schema.Index) bool { return x.Name == c.I.Name })
			if i < 0 {
				return fmt.Errorf("drop index %s: missing", c.I.Name)
			}
			t.Indexes = slices.Delete(t.Indexes, i, i+1)
		case *schema.RenameIndex:
			x := t.Index(c.From)
			if x == nil || t.Index(c.To) != nil {
				return fmt.Errorf("rename index %s to %s: bad names", c.From, c.To)
			}
			x.Name = c.To
		case *schema.AddPrimaryKey:
			if t.PrimaryKey != nil {
				return fmt.Errorf("add primary key: exists")
			}
			x := *c.I
			x.Parts = slices.Clone(x.Parts)
			t.PrimaryKey = &x
		case *schema.DropPrimaryKey:
			if t.PrimaryKey == nil {
				return fmt.Errorf("drop primary key: missing")
			}
			t.PrimaryKey = nil
		case *schema.AddForeignKey:
			if t.ForeignKey(c.F.Name) != nil {
				return fmt.Errorf("add fk %s: exists", c.F.Name)
			}
			f := *c.F
			f.Columns = slices.Clone(f.Columns)
			f.RefColumns = slices.Clone(f.RefColumns)
			t.ForeignKeys = append(t.ForeignKeys, &f)
			addFKs = append(addFKs, &f)
		case *schema.DropForeignKey:
			i := slices.IndexFunc(t.ForeignKeys, func(f *schema.ForeignKey) bool { return f.Name == c.F.Name })
			if i < 0 {
				return fmt.Errorf("drop fk %s: missing", c.F.Name)
			}
			t.ForeignKeys = slices.Delete(t.ForeignKeys, i, i+1)
		case *schema.AddCheck:
			if t.Check(c.C.Name) != nil {
				return fmt.Errorf("add check %s: exists", c.C.Name)
			}
			k := *c.C
			t.Checks = append(t.Checks, &k)
		case *schema.DropCheck:
			i := slices.IndexFunc(t.Checks, func(k *schema.Check) bool { return k.Name == c.C.Name })
			if i < 0 {
				return fmt.Errorf("drop check %s: missing", c.C.Name)
			}
			t.Checks = slices.Delete(t.Checks, i, i+1)
		case *schema.ModifyOptions:
			// A new table default keeps the charset of existing columns
			// (now explicit); columns added or restated in this ALTER
			// follow the new default.
			for i, col := range t.Columns {
				if col.Charset == "" && col.Type.HasCharset() && !touchedCols[col.Name] {
					cc := *col
					cc.Charset, cc.Collate = t.Options.Charset, t.Options.Collate
					t.Columns[i] = &cc
				}
			}
			ai := t.Options.AutoIncrement
			t.Options = c.To
			t.Options.AutoIncrement = ai
		case *schema.ModifyPartition:
			t.Partition = c.To
		default:
			return fmt.Errorf("unknown clause %T", tc)
		}
	}
	// The server reports a column charset only when it differs from the
	// table's.
	for i, c := range t.Columns {
		if c.Charset == t.Options.Charset && c.Collate == t.Options.Collate && c.Charset != "" {
			cc := *c
			cc.Charset, cc.Collate = "", ""
			t.Columns[i] = &cc
		}
	}
	for _, f := range addFKs {
		if err := checkFK(t, f); err != nil {
			return err
		}
	}
	return nil
}
