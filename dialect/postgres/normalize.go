package postgres

import (
	"strconv"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// typeAliases map the names a schema may write to format_type's.
var typeAliases = map[string]string{
	"int": "integer", "int4": "integer", "int2": "smallint", "int8": "bigint",
	"serial4": "serial", "serial8": "bigserial", "serial2": "smallserial",
	"float4": "real", "float8": "double precision", "float": "double precision",
	"bool": "boolean", "varchar": "character varying", "char": "character", "bpchar": "character",
	"decimal": "numeric", "timestamptz": "timestamp with time zone", "timetz": "time with time zone",
	"varbit": "bit varying",
}

// canonicalType rewrites a desired type as format_type renders it.
func canonicalType(t schema.Type) schema.Type {
	name := strings.ToLower(strings.TrimSpace(t.Name))
	args := t.Args
	if len(args) == 0 {
		// A verbatim string: "varchar(20)", "timestamp(3)".
		if i := strings.IndexByte(name, '('); i > 0 && strings.HasSuffix(name, ")") && !strings.Contains(name, " ") {
			var ok = true
			var parsed []int
			for _, a := range strings.Split(name[i+1:len(name)-1], ",") {
				n, err := strconv.Atoi(strings.TrimSpace(a))
				if err != nil {
					ok = false
					break
				}
				parsed = append(parsed, n)
			}
			if ok {
				name, args = name[:i], parsed
			}
		}
	}
	if a, ok := typeAliases[name]; ok {
		name = a
	}
	switch {
	case name == "timestamp" || name == "time":
		if len(args) > 0 {
			return schema.Type{Name: name + "(" + strconv.Itoa(args[0]) + ") without time zone"}
		}
		return schema.Type{Name: name + " without time zone"}
	case name == "timestamp with time zone" || name == "time with time zone":
		if len(args) > 0 {
			w := strings.Fields(name)[0]
			return schema.Type{Name: w + "(" + strconv.Itoa(args[0]) + ") with time zone"}
		}
	case name == "character" && len(args) == 0:
		return schema.Type{Name: "character(1)"}
	case name == "bit" && len(args) == 0:
		return schema.Type{Name: "bit(1)"}
	}
	if len(args) > 0 {
		return schema.Type{Name: typeSQL(schema.Type{Name: name, Args: args})}
	}
	if t.Name != strings.ToLower(t.Name) && strings.ContainsAny(t.Name, `".`) {
		return schema.Type{Name: strings.TrimSpace(t.Name)} // a quoted user type keeps its case
	}
	return schema.Type{Name: name}
}

// Normalize rewrites a desired model into the form Inspect reports.
func (d *Dialect) Normalize(s *schema.Schema) error {
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			c.Type = canonicalType(c.Type)
			if c.Null && c.Default == "NULL" {
				c.Default = ""
			}
			if c.Generated != nil {
				c.Generated.Stored = true
			}
		}
		t.RenamedFrom = d.bare(t.RenamedFrom)
		_, tn := splitName(t.Name)
		if pk := t.PrimaryKey; pk != nil {
			if pk.Name == tn+"_pkey" || pk.Name == "" {
				pk.Name = "PRIMARY"
			}
			for _, p := range pk.Parts {
				if c := t.Column(p.Column); c != nil {
					c.Null = false // a primary key's columns are NOT NULL
				}
			}
		}
		for _, ix := range t.Indexes {
			if ix.Using == "BTREE" {
				ix.Using = ""
			}
			if ix.Constraint {
				ix.Kind = schema.IndexUnique
			}
		}
		for _, f := range t.ForeignKeys {
			if f.OnUpdate == "" {
				f.OnUpdate = schema.ActionNoAction
			}
			if f.OnDelete == "" {
				f.OnDelete = schema.ActionNoAction
			}
		}
	}
	for _, v := range s.Views {
		if v.CheckOption == "NONE" {
			v.CheckOption = ""
		}
		v.Algorithm, v.Security = "", ""
	}
	return nil
}

// bare is a model name as inspection names it: without the schema when
// that is the current one (public.users is users).
func (d *Dialect) bare(name string) string {
	if s, o := splitName(name); s == d.Schema {
		return o
	}
	return name
}

// AlterHazards: a partition that goes takes its rows with it.
func (d *Dialect) AlterHazards(at *schema.AlterTable, lt dialect.LiveTable) []dialect.Hazard {
	var hs []dialect.Hazard
	for _, tc := range at.Changes {
		mp, ok := tc.(*schema.ModifyPartition)
		if !ok || mp.From == nil {
			continue
		}
		kept := map[string]bool{}
		if mp.To != nil {
			for _, p := range mp.To.Definitions {
				kept[p.Name] = true
			}
		}
		for _, p := range mp.From.Definitions {
			if !kept[p.Name] {
				hs = append(hs, dialect.Hazard{Kind: dialect.Destructive,
					Message: "drops partition " + quoteName(p.Name) + " of " + quoteName(at.To.Name) + " and all its rows",
					Check:   &dialect.DataCheck{Kind: dialect.CountRows, Table: p.Name}})
			}
		}
	}
	return hs
}

// Narrowing says what converting values of type a to b loses: PostgreSQL
// refuses a value that does not fit instead of cutting it, so a narrowing
// fails on such rows rather than losing data.
// Only roundings are silent: fewer decimal places, an integer from a
// fractional type, fewer fractional seconds.
func (d *Dialect) Narrowing(a, b schema.Type) string {
	from, to := storedType(a), storedType(b)
	fb, tb := baseType(from), baseType(to)
	switch {
	case (fb == "numeric" || fb == "real" || fb == "double precision") && (tb == "smallint" || tb == "integer" || tb == "bigint"):
		return "rounds fractional values to whole numbers"
	case fb == "numeric" && tb == "numeric" && scale(from) > scale(to):
		return "rounds values to fewer decimal places"
	case fb == "double precision" && tb == "real":
		return "keeps about 6 significant digits of each value"
	case (strings.HasPrefix(fb, "timestamp") || strings.HasPrefix(fb, "time")) && fb == tb && precision(from) > precision(to):
		return "rounds fractional seconds to fewer digits"
	}
	return ""
}

// scale is numeric(p,s)'s s: 0 for numeric(p), unbounded (1000) for numeric.
func scale(t string) int {
	i := strings.IndexByte(t, '(')
	if i < 0 {
		return 1000
	}
	args := strings.Split(strings.Trim(t[i:], "()"), ",")
	if len(args) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(args[1]))
	return n
}

// precision is the fractional-seconds digits of a time type (6 when not
// given).
func precision(t string) int {
	i := strings.IndexByte(t, '(')
	if i < 0 {
		return 6
	}
	n, _ := strconv.Atoi(strings.Trim(t[i:strings.IndexByte(t, ')')], "("))
	return n
}

var _ dialect.DiffRules = (*Dialect)(nil)

// RenamedForeignKey: PostgreSQL keeps a key's name when its table is
// renamed.
func (d *Dialect) RenamedForeignKey(fk, from, to string) string { return fk }

// ReplacesColumn: PostgreSQL 15 cannot make a column generated or change a
// generation expression in place (it can only DROP EXPRESSION, which
// ModifyColumn does).
func (d *Dialect) ReplacesColumn(a, b *schema.Column) bool {
	return b.Generated != nil && !generatedEqual(a.Generated, b.Generated)
}

// RetypeBreaksForeignKeys: PostgreSQL changes the type of a column under a
// foreign key and checks the key again.
func (d *Dialect) RetypeBreaksForeignKeys() bool { return false }

// ColumnOrder: PostgreSQL cannot reorder columns; new ones go last.
func (d *Dialect) ColumnOrder() bool { return false }

var _ dialect.ViewReplacer = (*Dialect)(nil)

// ReplacesViews: a changed view is dropped and created again (CREATE OR
// REPLACE cannot drop or retype its columns), so views that read it are
// recreated too.
func (d *Dialect) ReplacesViews() bool { return true }

// ViewDependencies are the tables and views pg_depend says a view reads.
func (d *Dialect) ViewDependencies(v *schema.View) []string { return v.DependsOn }

var _ dialect.ForeignKeyDefaults = (*Dialect)(nil)

// DefaultForeignKeyAction is NO ACTION, PostgreSQL's default.
func (d *Dialect) DefaultForeignKeyAction() string { return schema.ActionNoAction }
