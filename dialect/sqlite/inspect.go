package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// revisionsTable and eventsTable are Strata's own history tables (the
// revision package's Table and EventTable), never part of a model.
const (
	revisionsTable = "strata_revisions"
	eventsTable    = "strata_revision_events"
)

// tableFilter selects the user's base tables in sqlite_schema (alias s).
const tableFilter = `s.type = 'table' AND s.name NOT LIKE 'sqlite\_%' ESCAPE '\'
	AND s.name NOT IN ('` + revisionsTable + `', '` + eventsTable + `') AND s.sql NOT LIKE 'CREATE VIRTUAL%'`

// Inspect reads the schema of the main database of q's connection with
// four bulk queries, whatever the number of tables: sqlite_schema, and
// pragma_table_xinfo, pragma_index_list + pragma_index_xinfo and
// pragma_foreign_key_list joined to it. What the pragmas do not hold
// (CHECKs, generation expressions, constraint names, COLLATE,
// AUTOINCREMENT, view and trigger text) comes from parsing the stored
// CREATE statements.
func (d *Dialect) Inspect(ctx context.Context, q dialect.Querier) (*schema.Schema, error) {
	in := &inspection{s: &schema.Schema{Name: "main"}, tables: map[string]*inspTable{}, indexSQL: map[string]string{}}
	if err := in.objects(ctx, q); err != nil {
		return nil, fmt.Errorf("inspect sqlite_schema: %w", err)
	}
	if err := in.columns(ctx, q); err != nil {
		return nil, fmt.Errorf("inspect columns: %w", err)
	}
	if err := in.indexes(ctx, q); err != nil {
		return nil, fmt.Errorf("inspect indexes: %w", err)
	}
	if err := in.foreignKeys(ctx, q); err != nil {
		return nil, fmt.Errorf("inspect foreign keys: %w", err)
	}
	for _, t := range in.s.Tables {
		if err := normalizeTable(t); err != nil {
			return nil, fmt.Errorf("inspect table %q: %w", t.Name, err)
		}
	}
	alignKeyTypes(in.s)
	return in.s, nil
}

type inspTable struct {
	t   *schema.Table
	def *tableDef
}

type inspection struct {
	s        *schema.Schema
	tables   map[string]*inspTable
	indexSQL map[string]string
}

func (in *inspection) objects(ctx context.Context, q dialect.Querier) error {
	rows, err := q.QueryContext(ctx, `SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_schema
		WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var typ, name, tbl, text string
		if err := rows.Scan(&typ, &name, &tbl, &text); err != nil {
			return err
		}
		if tbl == revisionsTable || tbl == eventsTable {
			continue
		}
		switch typ {
		case "table":
			def, err := parseCreateTable(text)
			if err != nil {
				return fmt.Errorf("parse table %q: %w", name, err)
			}
			if def.virtual {
				continue
			}
			t := &schema.Table{Name: name}
			var extra []string
			if def.withoutRowid {
				extra = append(extra, "without rowid")
			}
			if def.strict {
				extra = append(extra, "strict")
			}
			t.Options.Extra = strings.Join(extra, " ")
			for n, c := range def.checks {
				cname := c.name
				if cname == "" {
					cname = checkName(name, n)
				}
				t.Checks = append(t.Checks, &schema.Check{Name: cname, Expr: stripParens(c.expr)})
			}
			in.tables[name] = &inspTable{t: t, def: def}
			in.s.Tables = append(in.s.Tables, t)
		case "index":
			in.indexSQL[name] = text
		case "view":
			def, err := parseCreateView(text)
			if err != nil {
				return fmt.Errorf("parse view %q: %w", name, err)
			}
			in.s.Views = append(in.s.Views, &schema.View{Name: name, Definition: def})
		case "trigger":
			def, err := parseCreateTrigger(text)
			if err != nil {
				return fmt.Errorf("parse trigger %q: %w", name, err)
			}
			in.s.Triggers = append(in.s.Triggers, &schema.Trigger{
				Name: name, Table: tbl, Timing: def.timing, Event: def.event, Columns: def.columns, Body: def.body,
			})
		}
	}
	return rows.Err()
}

func (in *inspection) columns(ctx context.Context, q dialect.Querier) error {
	rows, err := q.QueryContext(ctx, `SELECT s.name, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
		FROM sqlite_schema s, pragma_table_xinfo(s.name) c
		WHERE `+tableFilter+` ORDER BY s.name, c.cid`)
	if err != nil {
		return err
	}
	defer rows.Close()
	pks := map[string][]int{} // table → pk positions by column index
	for rows.Next() {
		var tbl, name, typ string
		var notNull bool
		var dflt sql.NullString
		var pk, hidden int
		if err := rows.Scan(&tbl, &name, &typ, &notNull, &dflt, &pk, &hidden); err != nil {
			return err
		}
		it := in.tables[tbl]
		if it == nil || hidden == 1 {
			continue
		}
		c := &schema.Column{Name: name, Type: parseType(typ), Null: !notNull}
		if cd := it.def.column(name); cd != nil {
			c.Collate = cd.collate
			c.AutoIncrement = cd.autoinc
			switch len(cd.checks) {
			case 0:
			case 1:
				c.Check = stripParens(cd.checks[0])
			default:
				parts := make([]string, len(cd.checks))
				for i, ch := range cd.checks {
					parts[i] = "(" + stripParens(ch) + ")"
				}
				c.Check = strings.Join(parts, " AND ")
			}
			if hidden == 2 || hidden == 3 {
				c.Generated = &schema.Generated{Expr: stripParens(cd.genExpr), Stored: hidden == 3}
			}
		}
		if dflt.Valid && c.Generated == nil {
			c.Default = canonicalDefault(dflt.String, affinity(c.Type.Name), true)
		}
		it.t.Columns = append(it.t.Columns, c)
		pks[tbl] = append(pks[tbl], pk)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for tbl, pos := range pks {
		t := in.tables[tbl].t
		var parts []schema.IndexPart
		for n := 1; ; n++ {
			i := slices.Index(pos, n)
			if i < 0 {
				break
			}
			parts = append(parts, schema.IndexPart{Column: t.Columns[i].Name})
		}
		if len(parts) == 0 {
			continue
		}
		t.PrimaryKey = &schema.Index{Name: "PRIMARY", Parts: parts}
		// The rowid alias and the keys of WITHOUT ROWID tables are never
		// NULL whether or not the column says NOT NULL.
		if len(parts) == 1 || strings.Contains(t.Options.Extra, "without rowid") {
			if c := t.Column(parts[0].Column); len(parts) > 1 || c.Type.Name == "integer" {
				for _, p := range parts {
					t.Column(p.Column).Null = false
				}
			}
		}
	}
	return nil
}

// parseType splits a declared type such as "decimal(10,2)" into the model's
// name and arguments.
func parseType(typ string) schema.Type {
	name, args, ok := strings.Cut(typ, "(")
	if !ok {
		return schema.Type{Name: canonicalTypeName(typ)}
	}
	inner, rest, ok := strings.Cut(args, ")")
	if !ok || strings.TrimSpace(rest) != "" {
		return schema.Type{Name: canonicalTypeName(typ)}
	}
	var t schema.Type
	for _, a := range strings.Split(inner, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(a))
		if err != nil {
			return schema.Type{Name: canonicalTypeName(typ)}
		}
		t.Args = append(t.Args, n)
	}
	t.Name = canonicalTypeName(name)
	return t
}

func (in *inspection) indexes(ctx context.Context, q dialect.Querier) error {
	rows, err := q.QueryContext(ctx, `SELECT s.name, il.name, il."unique", il.origin, ix.cid, ix.name, ix."desc"
		FROM sqlite_schema s, pragma_index_list(s.name) il, pragma_index_xinfo(il.name) ix
		WHERE `+tableFilter+` AND il.origin <> 'pk' AND ix.key = 1
		ORDER BY s.name, il.name, ix.seqno`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur *schema.Index
	var curTable string
	var def *indexDef
	for rows.Next() {
		var tbl, name, origin string
		var unique, desc bool
		var cid int
		var col sql.NullString
		if err := rows.Scan(&tbl, &name, &unique, &origin, &cid, &col, &desc); err != nil {
			return err
		}
		it := in.tables[tbl]
		if it == nil {
			continue
		}
		if cur == nil || cur.Name != name || curTable != tbl {
			cur = &schema.Index{Name: name}
			curTable = tbl
			if unique {
				cur.Kind = schema.IndexUnique
			}
			def = nil
			if text := in.indexSQL[name]; text != "" {
				if def, err = parseCreateIndex(text); err != nil {
					return fmt.Errorf("parse index %q: %w", name, err)
				}
			}
			it.t.Indexes = append(it.t.Indexes, cur)
		}
		part := schema.IndexPart{Desc: desc}
		switch {
		case cid >= 0 && col.Valid:
			part.Column = col.String
		case cid == -1:
			part.Column = "rowid"
		default:
			if n := len(cur.Parts); def != nil && n < len(def.parts) {
				part.Expr = def.parts[n].expr
			}
		}
		cur.Parts = append(cur.Parts, part)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// SQLite numbers the indexes of inline UNIQUE constraints by position,
	// and a rebuild that leaves one out renumbers the rest: name them by
	// their columns instead, so that the name survives rebuilds. Generate
	// writes them back inline and never refers to them by name.
	for _, it := range in.tables {
		seen := map[string]bool{}
		for _, i := range it.t.Indexes {
			if !strings.HasPrefix(i.Name, autoindexPrefix) {
				continue
			}
			name := autoindexPrefix + it.t.Name + "_" + strings.Join(i.Columns(), "_")
			for n := 2; seen[name]; n++ {
				name = autoindexPrefix + it.t.Name + "_" + strings.Join(i.Columns(), "_") + "_" + strconv.Itoa(n)
			}
			seen[name] = true
			i.Name = name
		}
		slices.SortFunc(it.t.Indexes, func(a, b *schema.Index) int { return strings.Compare(a.Name, b.Name) })
	}
	return nil
}

func (in *inspection) foreignKeys(ctx context.Context, q dialect.Querier) error {
	rows, err := q.QueryContext(ctx, `SELECT s.name, f.id, f."table", f."from", f."to", f.on_update, f.on_delete
		FROM sqlite_schema s, pragma_foreign_key_list(s.name) f
		WHERE `+tableFilter+` ORDER BY s.name, f.id, f.seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	type fkRows struct {
		fk    *schema.ForeignKey
		noRef bool
	}
	byTable := map[string][]*fkRows{}
	var order []string
	for rows.Next() {
		var tbl, ref, from, onUpd, onDel string
		var id int
		var to sql.NullString
		if err := rows.Scan(&tbl, &id, &ref, &from, &to, &onUpd, &onDel); err != nil {
			return err
		}
		list := byTable[tbl]
		if len(list) == 0 {
			order = append(order, tbl)
		}
		if len(list) <= id {
			for len(list) <= id {
				list = append(list, nil)
			}
		}
		if list[id] == nil {
			list[id] = &fkRows{fk: &schema.ForeignKey{RefTable: ref, OnUpdate: onUpd, OnDelete: onDel}}
		}
		list[id].fk.Columns = append(list[id].fk.Columns, from)
		if to.Valid {
			list[id].fk.RefColumns = append(list[id].fk.RefColumns, to.String)
		} else {
			list[id].noRef = true
		}
		byTable[tbl] = list
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, tbl := range order {
		it := in.tables[tbl]
		if it == nil {
			continue
		}
		used := make([]bool, len(it.def.fks))
		type placed struct {
			pos int
			fk  *schema.ForeignKey
		}
		var all []placed
		for _, r := range byTable[tbl] {
			if r == nil {
				continue
			}
			f := r.fk
			if r.noRef {
				// REFERENCES parent without columns means its primary key.
				f.RefColumns = nil
				if p := in.tables[f.RefTable]; p != nil && p.t.PrimaryKey != nil {
					f.RefColumns = p.t.PrimaryKey.Columns()
				}
			}
			pos := len(it.def.fks) + len(all)
			for n, fd := range it.def.fks {
				if !used[n] && strings.EqualFold(fd.refTable, f.RefTable) && equalFold(fd.columns, f.Columns) {
					used[n] = true
					pos = n
					f.Name = fd.name
					break
				}
			}
			all = append(all, placed{pos, f})
		}
		slices.SortStableFunc(all, func(a, b placed) int { return a.pos - b.pos })
		for _, p := range all {
			it.t.ForeignKeys = append(it.t.ForeignKeys, p.fk)
		}
	}
	return nil
}

func equalFold(a, b []string) bool {
	return slices.EqualFunc(a, b, strings.EqualFold)
}
