package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/stratadb/strata/schema"
)

// validate runs the checks that need the whole schema: duplicate names and
// references between tables, columns, keys, views and triggers.
func (l *loader) validate(s *schema.Schema, src *srcInfo) {
	objects := make(map[string]hcl.Range, len(s.Tables)+len(s.Views)) // tables and views share a namespace
	dup := func(kind, name string, rng hcl.Range, seen map[string]hcl.Range, fold bool) {
		key := name
		if fold {
			key = strings.ToLower(name)
		}
		if prev, ok := seen[key]; ok {
			l.errorf(rng, "Duplicate "+kind, "%s %q was already declared at %s.", capitalize(kind), name, prev)
			return
		}
		seen[key] = rng
	}
	for _, t := range s.Tables {
		dup("table", t.Name, src.tables[t].label, objects, false)
	}
	for _, v := range s.Views {
		dup("view", v.Name, src.views[v], objects, false)
	}
	triggers := map[string]hcl.Range{}
	for _, tr := range s.Triggers {
		dup("trigger", tr.Name, src.triggers[tr].label, triggers, false)
	}
	// Procedures and functions have a namespace each.
	routines := map[string]map[string]hcl.Range{schema.RoutineProcedure: {}, schema.RoutineFunction: {}}
	for _, r := range s.Routines {
		dup(strings.ToLower(r.Kind), r.Name, src.routines[r].label, routines[r.Kind], true)
	}
	events := map[string]hcl.Range{}
	for _, e := range s.Events {
		dup("event", e.Name, src.events[e].label, events, true)
	}
	fkNames := map[string]hcl.Range{} // InnoDB constraint names are per database
	// byName finds a table as s.Table does (the first of a name), without
	// a scan of every table per foreign key.
	byName := make(map[string]*schema.Table, len(s.Tables))
	for _, t := range s.Tables {
		if _, seen := byName[t.Name]; !seen {
			byName[t.Name] = t
		}
	}
	for _, t := range s.Tables {
		ts := src.tables[t]
		l.validateTable(s, byName, t, ts, dup)
		if l.f.Types != nil && l.f.Types.TableConstraintNames {
			continue
		}
		for _, fk := range t.ForeignKeys {
			dup("foreign key", fk.Name, ts.fks[fk].label, fkNames, true)
		}
	}
	for _, tr := range s.Triggers {
		if strings.EqualFold(tr.Timing, "INSTEAD OF") {
			if tr.Table != "" && s.View(tr.Table) == nil {
				l.unknown(src.triggers[tr].on, "Unknown view", fmt.Sprintf("INSTEAD OF trigger %q is on view %q, which is not declared.", tr.Name, tr.Table), tr.Table, viewNames(s))
			}
			continue
		}
		if tr.Table != "" && s.Table(tr.Table) == nil {
			l.unknown(src.triggers[tr].on, "Unknown table", fmt.Sprintf("Trigger %q is on table %q, which is not declared.", tr.Name, tr.Table), tr.Table, tableNames(s))
		}
	}
	checkDeps := func(kind, name string, deps []string, at *objectSrc) {
		for i, dep := range deps {
			if s.Table(dep) == nil && s.View(dep) == nil {
				l.unknown(at.deps[i], "Unknown table or view", fmt.Sprintf("%s %q depends on %q, which is not declared.", capitalize(kind), name, dep), dep, append(tableNames(s), viewNames(s)...))
			}
		}
	}
	for _, r := range s.Routines {
		checkDeps(strings.ToLower(r.Kind), r.Name, r.DependsOn, src.routines[r])
	}
	for _, e := range s.Events {
		checkDeps("event", e.Name, e.DependsOn, src.events[e])
	}
	for _, v := range s.Views {
		for i, dep := range v.DependsOn {
			if s.Table(dep) == nil && s.View(dep) == nil {
				l.unknown(src.viewDeps[v][i], "Unknown table or view", fmt.Sprintf("View %q depends on %q, which is not declared.", v.Name, dep), dep, append(tableNames(s), viewNames(s)...))
			}
		}
	}
}

func (l *loader) validateTable(s *schema.Schema, byName map[string]*schema.Table, t *schema.Table, ts *tableSrc, dup func(kind, name string, rng hcl.Range, seen map[string]hcl.Range, fold bool)) {
	// Column and index names are case-insensitive in MySQL.
	cols := make(map[string]hcl.Range, len(t.Columns))
	caseSensitive := l.f.Types != nil && l.f.Types.TableConstraintNames // PostgreSQL keeps "Name" and name apart
	for _, c := range t.Columns {
		dup("column", c.Name, ts.cols[c].label, cols, !caseSensitive)
	}
	if len(t.Columns) == 0 && !(l.f.Types != nil && l.f.Types.TableConstraintNames) {
		l.errorf(ts.label, "Table without columns", "Table %q declares no columns; a table needs at least one column block.", t.Name)
	}
	indexes := make(map[string]hcl.Range, len(t.Indexes))
	for _, ix := range t.Indexes {
		if strings.EqualFold(ix.Name, "PRIMARY") {
			l.errorf(ts.indexes[ix].label, "Reserved index name", "PRIMARY is the primary key's name; declare it with primary_key.")
			continue
		}
		dup("index", ix.Name, ts.indexes[ix].label, indexes, true)
	}
	checks := map[string]hcl.Range{}
	for _, c := range t.Checks {
		dup("check", c.Name, ts.checks[c], checks, true)
	}
	checkParts := func(ix *schema.Index, ks *keySrc) {
		for i, p := range ix.Parts {
			if p.Column == "" || t.Column(p.Column) != nil || i >= len(ks.parts) {
				continue
			}
			l.unknown(ks.parts[i], "Unknown column", fmt.Sprintf("Table %q has no column %q.", t.Name, p.Column), p.Column, columnNames(t))
		}
	}
	if t.PrimaryKey != nil {
		checkParts(t.PrimaryKey, ts.pk)
		for i, p := range t.PrimaryKey.Parts {
			if c := t.Column(p.Column); c != nil && c.Null && i < len(ts.pk.parts) {
				l.errorf(ts.cols[c].null, "Nullable primary key column",
					"Column %q is part of the primary key of %q, so it cannot be null = true.", c.Name, t.Name)
			}
		}
	}
	for _, ix := range t.Indexes {
		checkParts(ix, ts.indexes[ix])
	}
	var ai []*schema.Column
	for _, c := range t.Columns {
		if c.AutoIncrement {
			ai = append(ai, c)
		}
	}
	if len(ai) > 1 {
		l.errorf(*ts.cols[ai[1]].ai, "Conflicting attributes",
			"Table %q has more than one auto_increment column (%q and %q); a table has at most one.", t.Name, ai[0].Name, ai[1].Name)
	}
	if len(ai) == 1 && !leadsKey(t, ai[0].Name) {
		l.errorf(*ts.cols[ai[0]].ai, "Auto-increment column not indexed",
			"Column %q is auto_increment, so it must be the first column of the primary key or of an index.", ai[0].Name)
	}
	for _, fk := range t.ForeignKeys {
		fs := ts.fks[fk]
		for i, c := range fk.Columns {
			if t.Column(c) == nil {
				l.unknown(fs.cols[i], "Unknown column", fmt.Sprintf("Table %q has no column %q.", t.Name, c), c, columnNames(t))
			}
		}
		if fk.RefTable == "" {
			continue
		}
		rt := byName[fk.RefTable]
		if rt == nil {
			l.unknown(fs.refTable, "Unknown table", fmt.Sprintf("Foreign key %q references table %q, which is not declared.", fk.Name, fk.RefTable), fk.RefTable, tableNames(s))
			continue
		}
		for i, rc := range fk.RefColumns {
			ref := rt.Column(rc)
			if ref == nil {
				l.unknown(fs.refCols[i], "Unknown column", fmt.Sprintf("Table %q has no column %q.", rt.Name, rc), rc, columnNames(rt))
				continue
			}
			if i >= len(fk.Columns) {
				continue
			}
			col := t.Column(fk.Columns[i])
			if col == nil || col.Type.Name == "" || ref.Type.Name == "" {
				continue
			}
			if !(l.f.Types != nil && l.f.Types.TableConstraintNames) && !fkCompatible(col.Type, ref.Type) {
				l.errorf(fs.cols[i], "Foreign key type mismatch",
					"Column %q.%q is %s but the referenced column %q.%q is %s; the columns of a foreign key must have the same type (integers: same size and sign).",
					t.Name, col.Name, typeString(col.Type), rt.Name, ref.Name, typeString(ref.Type))
			}
		}
	}
}

// leadsKey reports whether column is the first part of some key of t.
func leadsKey(t *schema.Table, column string) bool {
	if t.PrimaryKey != nil && len(t.PrimaryKey.Parts) > 0 && t.PrimaryKey.Parts[0].Column == column {
		return true
	}
	for _, ix := range t.Indexes {
		if len(ix.Parts) > 0 && ix.Parts[0].Column == column {
			return true
		}
	}
	return false
}

// unknown reports a reference to a name that does not exist, with a
// suggestion when one is close.
func (l *loader) unknown(rng hcl.Range, summary, detail, name string, candidates []string) {
	if s := suggestName(name, candidates); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	}
	l.errorf(rng, summary, "%s", detail)
}

func suggestName(name string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, name) {
			return c
		}
	}
	return suggest(name, candidates)
}

func columnNames(t *schema.Table) []string {
	var n []string
	for _, c := range t.Columns {
		n = append(n, c.Name)
	}
	return n
}

func tableNames(s *schema.Schema) []string {
	var n []string
	for _, t := range s.Tables {
		n = append(n, t.Name)
	}
	return n
}

func viewNames(s *schema.Schema) []string {
	var n []string
	for _, v := range s.Views {
		n = append(n, v.Name)
	}
	return n
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// baseType resolves the aliases that matter for comparing key columns.
func baseType(t schema.Type) schema.Type {
	alias := map[string]string{
		"integer": "int", "int4": "int", "int1": "tinyint", "int2": "smallint",
		"int3": "mediumint", "middleint": "mediumint", "int8": "bigint",
		"bool": "tinyint", "boolean": "tinyint",
		"dec": "decimal", "numeric": "decimal", "fixed": "decimal",
		"real": "double", "double precision": "double", "float8": "double", "float4": "float",
		"character": "char", "nchar": "char", "national char": "char", "national character": "char",
		"nvarchar": "varchar", "national varchar": "varchar", "character varying": "varchar",
		"char varying": "varchar", "national character varying": "varchar", "nchar varchar": "varchar",
		"varchar2": "varchar",
	}
	if n, ok := alias[t.Name]; ok {
		t.Name = n
	}
	if t.Name == "serial" {
		t.Name, t.Unsigned = "bigint", true
	}
	if t.Zerofill {
		t.Unsigned = true
	}
	return t
}

// fkCompatible reports whether a foreign key column of type a can reference
// a column of type b (InnoDB: same integer size and sign, same decimal
// precision, strings of the same family).
func fkCompatible(a, b schema.Type) bool {
	a, b = baseType(a), baseType(b)
	family := func(n string) string {
		switch n {
		case "char", "varchar":
			return "string"
		case "binary", "varbinary":
			return "bytes"
		}
		return n
	}
	if family(a.Name) != family(b.Name) {
		return false
	}
	switch a.Name {
	case "tinyint", "smallint", "mediumint", "int", "bigint":
		return a.Unsigned == b.Unsigned
	case "decimal":
		return slices.Equal(decimalArgs(a.Args), decimalArgs(b.Args)) && a.Unsigned == b.Unsigned
	}
	return true
}

func decimalArgs(args []int) []int {
	switch len(args) {
	case 0:
		return []int{10, 0}
	case 1:
		return []int{args[0], 0}
	}
	return args
}

// typeString renders a type as SQL for messages.
func typeString(t schema.Type) string {
	var b strings.Builder
	b.WriteString(t.Name)
	if len(t.Args) > 0 || len(t.Values) > 0 {
		var parts []string
		for _, a := range t.Args {
			parts = append(parts, fmt.Sprint(a))
		}
		for _, v := range t.Values {
			parts = append(parts, quoteSQL(v))
		}
		b.WriteString("(" + strings.Join(parts, ",") + ")")
	}
	if t.Unsigned {
		b.WriteString(" unsigned")
	}
	if t.Zerofill {
		b.WriteString(" zerofill")
	}
	return b.String()
}
