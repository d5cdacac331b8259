package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// Strata's own history tables (the revision package's Table and
// EventTable) in the current schema are never part of a model.
const (
	revisionsTable = "strata_revisions"
	eventsTable    = "strata_revision_events"
)

// userNamespaces is the condition on a namespace n that keeps the schemas
// a user owns: not the system's, not a temporary one, not an extension's.
const userNamespaces = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'`

// notExtension is the condition that object oid of catalog cat is not a
// member of an extension (CREATE EXTENSION made it; the extension owns it).
func notExtension(cat, oid string) string {
	return `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '` + cat + `'::regclass AND e.objid = ` + oid + ` AND e.deptype = 'e')`
}

// inspection is the state of one Inspect: the tables by oid and their
// columns by attnum.
type inspection struct {
	d      *Dialect
	s      *schema.Schema
	tables map[int64]*inspTable
	views  map[int64]*schema.View
	names  map[int64]string // model names of tables, views and sequences by oid
	// matviews are the materialized views' oids.
	matviews map[int64]bool
	// byOID are the objects by "catalog:oid" (pg_type:1234).
	byOID map[string]*schema.Object
	// parts are the partitions of partitioned tables.
	parts []partitionOf
}

type partitionOf struct {
	parent string
	def    schema.PartitionDef
}

type inspTable struct {
	t    *schema.Table
	cols map[int]*schema.Column // by attnum
}

// Inspect reads the schema of the database q is connected to: every
// schema but the system's, in a fixed number of catalog queries.
func (d *Dialect) Inspect(ctx context.Context, q dialect.Querier) (*schema.Schema, error) {
	in := &inspection{d: d, s: &schema.Schema{}, tables: map[int64]*inspTable{}, views: map[int64]*schema.View{}, names: map[int64]string{}, matviews: map[int64]bool{}, byOID: map[string]*schema.Object{}}
	var name string
	if err := dialect.QueryRow(ctx, q, "SELECT current_database()", nil, &name); err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	in.s.Name = name
	for _, step := range []struct {
		what string
		fn   func(context.Context, dialect.Querier) error
	}{
		{"schemas", in.namespaces},
		{"tables", in.relations},
		{"columns", in.columns},
		{"sequences", in.sequences},
		{"constraints", in.constraints},
		{"indexes", in.indexes},
		{"view dependencies", in.viewDeps},
		{"collations", in.collations},
		{"types", in.types},
		{"extensions", in.extensions},
		{"functions", in.functions},
		{"object dependencies", in.objectDeps},
		{"triggers", in.triggers},
		{"comments", in.comments},
	} {
		if err := step.fn(ctx, q); err != nil {
			return nil, fmt.Errorf("inspect %s: %w", step.what, err)
		}
	}
	for _, it := range in.tables {
		in.s.Tables = append(in.s.Tables, it.t)
	}
	for _, p := range in.parts {
		for _, it := range in.tables {
			if it.t.Name == p.parent && it.t.Partition != nil {
				it.t.Partition.Definitions = append(it.t.Partition.Definitions, p.def)
			}
		}
	}
	sort.Slice(in.s.Tables, func(i, j int) bool { return in.s.Tables[i].Name < in.s.Tables[j].Name })
	for _, v := range in.views {
		sort.Strings(v.DependsOn)
		in.s.Views = append(in.s.Views, v)
	}
	sort.Slice(in.s.Views, func(i, j int) bool { return in.s.Views[i].Name < in.s.Views[j].Name })
	return in.s, nil
}

// scan runs a query and calls row for each row with the scan function.
func scan(ctx context.Context, q dialect.Querier, query string, row func(scan func(dest ...any) error) error) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

func (in *inspection) namespaces(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT n.nspname FROM pg_namespace n WHERE `+userNamespaces+` AND n.nspname <> 'public'
  AND `+notExtension("pg_namespace", "n.oid")+` ORDER BY n.nspname`, func(sc func(...any) error) error {
		var n string
		if err := sc(&n); err != nil {
			return err
		}
		in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "schema", Name: n, Definition: "CREATE SCHEMA " + identText(n)})
		return nil
	})
}

// relations reads tables, views and materialized views.
func (in *inspection) relations(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence,
  CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
  COALESCE(array_to_string(c.reloptions, ','), ''),
  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
  CASE WHEN c.relispartition THEN (SELECT pn.nspname || '.' || p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid) END,
  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND `+userNamespaces+` AND `+notExtension("pg_class", "c.oid")+`
ORDER BY n.nspname, c.relname`, func(sc func(...any) error) error {
		var (
			oid                         int64
			nsp, name, kind, persist    string
			def, partKey, parent, bound sql.NullString
			opts                        string
		)
		if err := sc(&oid, &nsp, &name, &kind, &persist, &def, &opts, &partKey, &parent, &bound); err != nil {
			return err
		}
		mn := in.d.modelName(nsp, name)
		if nsp == in.d.Schema && (name == revisionsTable || name == eventsTable) {
			return nil
		}
		in.names[oid] = mn
		switch kind {
		case "v":
			v := &schema.View{Name: mn, Definition: strings.TrimSpace(def.String)}
			for _, o := range strings.Split(opts, ",") {
				if k, val, ok := strings.Cut(o, "="); ok && k == "check_option" {
					v.CheckOption = strings.ToUpper(val)
				}
			}
			in.views[oid] = v
		case "m":
			in.matviews[oid] = true
			in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "materialized_view", Name: mn,
				Definition: "CREATE MATERIALIZED VIEW " + identName(mn) + " AS\n" + strings.TrimSpace(def.String)})
		default:
			if nsp == in.d.Schema && (name == revisionsTable || name == eventsTable) {
				return nil
			}
			t := &schema.Table{Name: mn}
			if persist == "u" {
				t.Options.Extra = "unlogged"
			}
			if partKey.Valid {
				method, expr, _ := strings.Cut(partKey.String, " ")
				t.Partition = &schema.Partition{Method: method, Expr: stripParens(expr)}
			}
			if parent.Valid {
				// A partition is a part of its parent's partitioning.
				pn, pt := splitName(parent.String)
				in.parts = append(in.parts, partitionOf{parent: in.d.modelName(pn, pt), def: schema.PartitionDef{Name: mn, Values: bound.String}})
				return nil
			}
			in.tables[oid] = &inspTable{t: t, cols: map[int]*schema.Column{}}
		}
		return nil
	})
}

// columns reads every column with its default. A default holds no column
// references, so pg_get_expr renders it without its table (relation 0):
// opening each table to name its columns was most of this query's time on
// big schemas. Generated columns, which do refer to columns, still name it.
func (in *inspection) columns(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
  pg_get_expr(d.adbin, CASE WHEN a.attgenerated <> '' THEN d.adrelid ELSE 0 END), a.attidentity, a.attgenerated,
  CASE WHEN a.attcollation <> t.typcollation THEN (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
       ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
       FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END,
  COALESCE(ds.description, '')
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_description ds ON ds.objoid = a.attrelid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND `+userNamespaces+`
ORDER BY a.attrelid, a.attnum`, func(sc func(...any) error) error {
		var (
			rel                 int64
			num                 int
			name, typ           string
			notNull             bool
			def, collate        sql.NullString
			identity, generated string
			comment             string
		)
		if err := sc(&rel, &num, &name, &typ, &notNull, &def, &identity, &generated, &collate, &comment); err != nil {
			return err
		}
		it := in.tables[rel]
		if it == nil {
			return nil
		}
		c := &schema.Column{Name: name, Type: schema.Type{Name: typ}, Null: !notNull, Comment: comment, Collate: collate.String}
		switch identity {
		case "a":
			c.Identity = schema.IdentityAlways
		case "d":
			c.Identity = schema.IdentityByDefault
		}
		if generated == "s" {
			c.Generated = &schema.Generated{Expr: def.String, Stored: true}
		} else if def.Valid {
			c.Default = def.String
		}
		it.t.Columns = append(it.t.Columns, c)
		it.cols[num] = c
		return nil
	})
}

// serialTypes are the column types of a serial pseudo-type's sequence.
var serialTypes = map[string]string{"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}

// sequences reads sequences. One owned by a column whose default takes its
// next value, named and set as serial makes it, turns the column into a
// serial; an identity column's sequence belongs to the column; any other
// is an object of its own.
func (in *inspection) sequences(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT s.oid, n.nspname, s.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin, q.seqmax,
  q.seqcache, q.seqcycle, dep.refobjid, dep.refobjsubid, dep.deptype,
  CASE q.seqtypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647 ELSE 9223372036854775807 END
FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace JOIN pg_sequence q ON q.seqrelid = s.oid
LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = s.oid AND dep.refclassid = 'pg_class'::regclass
  AND dep.deptype IN ('a', 'i')
WHERE s.relkind = 'S' AND `+userNamespaces+` AND `+notExtension("pg_class", "s.oid")+`
ORDER BY n.nspname, s.relname`, func(sc func(...any) error) error {
		var (
			oid                                   int64
			nsp, name, typ                        string
			start, inc, minv, maxv, cache, typMax int64
			cycle                                 bool
			ownerRel, ownerCol                    sql.NullInt64
			deptype                               sql.NullString
		)
		if err := sc(&oid, &nsp, &name, &typ, &start, &inc, &minv, &maxv, &cache, &cycle, &ownerRel, &ownerCol, &deptype, &typMax); err != nil {
			return err
		}
		mn := in.d.modelName(nsp, name)
		in.names[oid] = mn
		var owner *inspTable
		var col *schema.Column
		if ownerRel.Valid {
			owner = in.tables[ownerRel.Int64]
			if owner != nil {
				col = owner.cols[int(ownerCol.Int64)]
			}
		}
		if deptype.String == "i" {
			// An identity column's own: its options that are not the
			// defaults belong to the column.
			if col != nil {
				col.IdentityOptions = identityOptions(typ, start, inc, minv, maxv, cache, cycle)
			}
			return nil
		}
		plain := start == 1 && inc == 1 && minv == 1 && maxv == typMax && cache == 1 && !cycle
		if col != nil && plain {
			_, tname := splitName(owner.t.Name)
			tnsp, _ := splitName(in.d.qualified(owner.t.Name))
			if serial, ok := serialTypes[typ]; ok && col.Type.Name == typ && tnsp == nsp && name == serialName(tname, col.Name) &&
				col.Default == "nextval("+quoteString(sequenceRef(in.d, mn))+"::regclass)" {
				col.Type.Name, col.Default = serial, ""
				return nil
			}
		}
		def := "CREATE SEQUENCE " + identName(mn)
		if typ != "bigint" {
			def += " AS " + typ
		}
		def += fmt.Sprintf(" START WITH %d INCREMENT BY %d MINVALUE %d MAXVALUE %d CACHE %d", start, inc, minv, maxv, cache)
		if cycle {
			def += " CYCLE"
		}
		in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "sequence", Name: mn, Definition: def})
		if col != nil {
			in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "sequence_owner", Name: mn,
				Definition: "ALTER SEQUENCE " + identName(mn) + " OWNED BY " + identName(owner.t.Name) + "." + identText(col.Name)})
		}
		return nil
	})
}

// serialName is the name PostgreSQL gives a serial column's sequence
// (when short enough not to be truncated).
func serialName(table, column string) string { return table + "_" + column + "_seq" }

// sequenceRef is how pg_get_expr writes a sequence's name in
// nextval('...'::regclass): bare when it is on the search path, quoted
// where it must be.
func sequenceRef(d *Dialect, name string) string {
	s, o := splitName(name)
	if s == "" {
		return identText(o)
	}
	return identText(s) + "." + identText(o)
}

// identText quotes an identifier as quote_ident does: only when needed.
func identText(s string) string {
	if s == "" {
		return `""`
	}
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || i > 0 && (r >= '0' && r <= '9' || r == '$')) {
			return quoteIdent(s)
		}
	}
	if reserved[s] {
		return quoteIdent(s)
	}
	return s
}

// reserved are the key words quote_ident quotes (reserved and
// type-function-name key words of PostgreSQL 15).
var reserved = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`all analyse analyze and any array as asc asymmetric both case cast check collate column
constraint create current_catalog current_date current_role current_time current_timestamp current_user default
deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect
into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references
returning select session_user some symmetric table then to trailing true union unique user using variadic when
where window with authorization binary collation concurrently cross current_schema freeze full ilike inner is
isnull join left like natural notnull outer overlaps right similar tablesample verbose`) {
		m[w] = true
	}
	return m
}()

func (in *inspection) constraints(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT co.conrelid, co.conname, co.contype, pg_get_constraintdef(co.oid), COALESCE(co.conkey::int[]::text, ''),
  co.confrelid, COALESCE(co.confkey::int[]::text, ''), co.confupdtype, co.confdeltype, co.confmatchtype,
  co.condeferrable, co.condeferred, co.connoinherit
FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND `+userNamespaces+` AND co.conparentid = 0
ORDER BY co.conrelid, co.conname`, func(sc func(...any) error) error {
		var (
			rel, ref                        int64
			name, typ, def, keys, refKeys   string
			upd, del, match                 string
			deferrable, deferred, noInherit bool
		)
		if err := sc(&rel, &name, &typ, &def, &keys, &ref, &refKeys, &upd, &del, &match, &deferrable, &deferred, &noInherit); err != nil {
			return err
		}
		it := in.tables[rel]
		if it == nil {
			return nil
		}
		cols := it.names(keys)
		switch typ {
		case "p", "u":
			ix := &schema.Index{Name: name, Deferrable: deferrable, InitiallyDeferred: deferred,
				NullsNotDistinct: strings.Contains(def, " NULLS NOT DISTINCT ")}
			for _, c := range cols {
				ix.Parts = append(ix.Parts, schema.IndexPart{Column: c})
			}
			if _, inc, ok := strings.Cut(def, " INCLUDE ("); ok {
				ix.Include = splitList(strings.TrimSuffix(cutClauses(inc), ")"))
				for i, c := range ix.Include {
					ix.Include[i] = unquoteIdent(c)
				}
			}
			if typ == "p" {
				_, tname := splitName(it.t.Name)
				if name == tname+"_pkey" {
					ix.Name = "PRIMARY"
				}
				it.t.PrimaryKey = ix
				return nil
			}
			ix.Kind, ix.Constraint = schema.IndexUnique, true
			it.t.Indexes = append(it.t.Indexes, ix)
		case "f":
			fk := &schema.ForeignKey{Name: name, Columns: cols, OnUpdate: action(upd), OnDelete: action(del),
				Deferrable: deferrable, InitiallyDeferred: deferred}
			if match == "f" {
				fk.Match = "FULL"
			}
			if rt := in.tables[ref]; rt != nil {
				fk.RefTable, fk.RefColumns = rt.t.Name, rt.names(refKeys)
			} else {
				return nil // a table Strata does not see (another extension's)
			}
			it.t.ForeignKeys = append(it.t.ForeignKeys, fk)
		case "x":
			// Exclusion constraints are objects after their table.
			in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "constraint", Name: name + " on " + it.t.Name,
				Definition: "ALTER TABLE " + identName(it.t.Name) + " ADD CONSTRAINT " + identText(name) + " " + def})
		case "c":
			expr := strings.TrimPrefix(def, "CHECK ")
			expr = strings.TrimSuffix(expr, " NO INHERIT")
			expr = strings.TrimSuffix(expr, " NOT VALID")
			it.t.Checks = append(it.t.Checks, &schema.Check{Name: name, Expr: stripParens(expr), NoInherit: noInherit})
		}
		return nil
	})
}

// cutClauses cuts what follows a parenthesized list that starts s: the
// text up to and including its closing parenthesis.
func cutClauses(s string) string {
	depth := 1
	inStr := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inStr:
			if c == '\'' {
				inStr = false
			}
		case c == '\'':
			inStr = true
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return s[:i+1]
			}
		}
	}
	return s
}

func action(c string) string {
	switch c {
	case "r":
		return schema.ActionRestrict
	case "c":
		return schema.ActionCascade
	case "n":
		return schema.ActionSetNull
	case "d":
		return schema.ActionSetDefault
	}
	return schema.ActionNoAction
}

// names maps a "{1,3}" attnum array to the table's column names.
func (it *inspTable) names(arr string) []string {
	arr = strings.Trim(arr, "{}")
	if arr == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(arr, ",") {
		n, _ := strconv.Atoi(p)
		if c := it.cols[n]; c != nil {
			out = append(out, c.Name)
		}
	}
	return out
}

func (in *inspection) indexes(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT i.indrelid, ic.relname, i.indisunique, pg_get_indexdef(i.indexrelid), i.indnkeyatts,
  COALESCE(ds.description, '')
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
LEFT JOIN pg_description ds ON ds.objoid = i.indexrelid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND `+userNamespaces+`
  AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x'))
  AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
ORDER BY i.indrelid, ic.relname`, func(sc func(...any) error) error {
		var (
			rel       int64
			name, def string
			unique    bool
			nkey      int
			comment   string
		)
		if err := sc(&rel, &name, &unique, &def, &nkey, &comment); err != nil {
			return err
		}
		ix, err := parseIndexDef(name, def)
		if err != nil {
			return err
		}
		ix.Comment = comment
		if unique {
			ix.Kind = schema.IndexUnique
		}
		if it := in.tables[rel]; it != nil {
			it.t.Indexes = append(it.t.Indexes, ix)
			return nil
		}
		if mv := in.names[rel]; mv != "" && in.matviews[rel] {
			// An index on a materialized view is an object after it.
			in.s.Objects = append(in.s.Objects, &schema.Object{Kind: "materialized_view_index", Name: in.d.modelName(nspOf(def), name), Definition: def})
		}
		return nil
	})
}

// parseIndexDef reads pg_get_indexdef's
// CREATE [UNIQUE] INDEX name ON [ONLY] table USING method (parts) [INCLUDE (cols)] [WITH (...)] [WHERE pred].
func parseIndexDef(name, def string) (*schema.Index, error) {
	ix := &schema.Index{Name: name}
	_, rest, ok := strings.Cut(def, " USING ")
	if !ok {
		return nil, fmt.Errorf("index %s: unexpected definition %q", name, def)
	}
	method, rest, _ := strings.Cut(rest, " ")
	if method != "btree" {
		ix.Using = strings.ToUpper(method)
	}
	if !strings.HasPrefix(rest, "(") {
		return nil, fmt.Errorf("index %s: unexpected definition %q", name, def)
	}
	list := cutClauses(rest[1:])
	rest = strings.TrimSpace(rest[1+len(list):])
	for _, p := range splitList(strings.TrimSuffix(list, ")")) {
		switch {
		case isIdent(p):
			ix.Parts = append(ix.Parts, schema.IndexPart{Column: unquoteIdent(p)})
		case strings.HasSuffix(p, " DESC") && isIdent(strings.TrimSuffix(p, " DESC")):
			ix.Parts = append(ix.Parts, schema.IndexPart{Column: unquoteIdent(strings.TrimSuffix(p, " DESC")), Desc: true})
		default:
			ix.Parts = append(ix.Parts, schema.IndexPart{Expr: p})
		}
	}
	if r, ok := strings.CutPrefix(rest, "INCLUDE ("); ok {
		inc := cutClauses(r)
		for _, c := range splitList(strings.TrimSuffix(inc, ")")) {
			ix.Include = append(ix.Include, unquoteIdent(c))
		}
		rest = strings.TrimSpace(r[len(inc):])
	}
	if r, ok := strings.CutPrefix(rest, "NULLS NOT DISTINCT"); ok {
		ix.NullsNotDistinct = true
		rest = strings.TrimSpace(r)
	}
	if r, ok := strings.CutPrefix(rest, "WITH ("); ok {
		w := cutClauses(r)
		ix.With = strings.TrimSuffix(w, ")")
		rest = strings.TrimSpace(r[len(w):])
	}
	if r, ok := strings.CutPrefix(rest, "WHERE "); ok {
		ix.Where = stripParens(r)
	}
	return ix, nil
}

// splitList splits a comma-separated SQL list at its top level.
func splitList(s string) []string {
	var out []string
	depth, start := 0, 0
	inStr, inIdent := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr:
			if c == '\'' {
				inStr = false
			}
		case inIdent:
			if c == '"' {
				inIdent = false
			}
		case c == '\'':
			inStr = true
		case c == '"':
			inIdent = true
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

// isIdent reports whether s is one identifier, quoted or not.
func isIdent(s string) bool {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return !strings.Contains(strings.ReplaceAll(s[1:len(s)-1], `""`, ""), `"`)
	}
	return s != "" && identText(s) == s
}

func unquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}

// stripParens removes one pair of parentheses around the whole of s.
func stripParens(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "(") && cutClauses(s[1:]) == s[1:] && strings.HasSuffix(s, ")") {
		return s[1 : len(s)-1]
	}
	return s
}

// viewDeps fills each view's DependsOn with the tables and views its
// query reads, so that views are created after them.
func (in *inspection) viewDeps(ctx context.Context, q dialect.Querier) error {
	return scan(ctx, q, `SELECT DISTINCT r.ev_class, d.refobjid
FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND d.refobjid <> r.ev_class AND `+userNamespaces+`
ORDER BY 1, 2`, func(sc func(...any) error) error {
		var v, ref int64
		if err := sc(&v, &ref); err != nil {
			return err
		}
		if _, table := in.tables[ref]; !table && in.views[ref] == nil {
			return nil // a materialized view or sequence: not a table or view of the model
		}
		if view := in.views[v]; view != nil && in.names[ref] != "" {
			view.DependsOn = append(view.DependsOn, in.names[ref])
		}
		return nil
	})
}

// typeRange is the range of an integer type of a sequence.
func typeRange(typ string) (lo, hi int64) {
	switch typ {
	case "smallint":
		return -32768, 32767
	case "integer":
		return -2147483648, 2147483647
	}
	return -9223372036854775808, 9223372036854775807
}

// identityOptions renders the sequence options that differ from what
// PostgreSQL picks for an identity of type typ with increment inc.
func identityOptions(typ string, start, inc, minv, maxv, cache int64, cycle bool) string {
	lo, hi := typeRange(typ)
	dmin, dmax := int64(1), hi
	if inc < 0 {
		dmin, dmax = lo, -1
	}
	dstart := dmin
	if inc < 0 {
		dstart = dmax
	}
	var o []string
	if start != dstart {
		o = append(o, fmt.Sprintf("START WITH %d", start))
	}
	if inc != 1 {
		o = append(o, fmt.Sprintf("INCREMENT BY %d", inc))
	}
	if minv != dmin {
		o = append(o, fmt.Sprintf("MINVALUE %d", minv))
	}
	if maxv != dmax {
		o = append(o, fmt.Sprintf("MAXVALUE %d", maxv))
	}
	if cache != 1 {
		o = append(o, fmt.Sprintf("CACHE %d", cache))
	}
	if cycle {
		o = append(o, "CYCLE")
	}
	return strings.Join(o, " ")
}
