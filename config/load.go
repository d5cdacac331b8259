package config

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/stratadb/strata/schema"
)

var (
	topSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "exclude"}}, Blocks: []hcl.BlockHeaderSchema{
		{Type: "table", LabelNames: []string{"name"}},
		{Type: "view", LabelNames: []string{"name"}},
		{Type: "trigger", LabelNames: []string{"name"}},
		{Type: "procedure", LabelNames: []string{"name"}},
		{Type: "function", LabelNames: []string{"name"}},
		{Type: "event", LabelNames: []string{"name"}},
		{Type: "object", LabelNames: []string{"kind", "name"}},
	}}
	tableSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "comment"}, {Name: "engine"}, {Name: "charset"}, {Name: "collate"},
			{Name: "row_format"}, {Name: "auto_increment"}, {Name: "options"},
			{Name: "renamed_from"}, {Name: "primary_key"},
		},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "column", LabelNames: []string{"name"}},
			{Type: "primary_key"},
			{Type: "index", LabelNames: []string{"name"}},
			{Type: "foreign_key", LabelNames: []string{"name"}},
			{Type: "check", LabelNames: []string{"name"}},
			{Type: "partition"},
		},
	}
	columnSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "type", Required: true}, {Name: "null"}, {Name: "default"}, {Name: "on_update"},
		{Name: "auto_increment"}, {Name: "unsigned"}, {Name: "zerofill"}, {Name: "charset"},
		{Name: "collate"}, {Name: "comment"}, {Name: "as"}, {Name: "stored"},
		{Name: "invisible"}, {Name: "check"}, {Name: "renamed_from"}, {Name: "identity"}, {Name: "identity_options"},
	}}
	keyAttrs = []hcl.AttributeSchema{
		{Name: "columns"}, {Name: "prefix"}, {Name: "desc"}, {Name: "using"}, {Name: "comment"},
		{Name: "include"}, {Name: "deferrable"}, {Name: "initially_deferred"},
	}
	pkSchema = &hcl.BodySchema{
		Attributes: append(append([]hcl.AttributeSchema(nil), keyAttrs...), hcl.AttributeSchema{Name: "name"}),
		Blocks:     []hcl.BlockHeaderSchema{{Type: "part"}},
	}
	indexSchema = &hcl.BodySchema{
		Attributes: append(append([]hcl.AttributeSchema(nil), keyAttrs...),
			hcl.AttributeSchema{Name: "unique"}, hcl.AttributeSchema{Name: "fulltext"},
			hcl.AttributeSchema{Name: "spatial"}, hcl.AttributeSchema{Name: "ignored"},
			hcl.AttributeSchema{Name: "renamed_from"}, hcl.AttributeSchema{Name: "where"},
			hcl.AttributeSchema{Name: "constraint"}, hcl.AttributeSchema{Name: "nulls_not_distinct"}, hcl.AttributeSchema{Name: "with"}),
		Blocks: []hcl.BlockHeaderSchema{{Type: "part"}},
	}
	partSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "column"}, {Name: "expr"}, {Name: "prefix"}, {Name: "desc"},
	}}
	fkSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "columns", Required: true}, {Name: "ref_table", Required: true},
		{Name: "ref_columns", Required: true}, {Name: "on_update"}, {Name: "on_delete"},
		{Name: "deferrable"}, {Name: "initially_deferred"}, {Name: "match"},
	}}
	checkSchema     = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "expr", Required: true}, {Name: "no_inherit"}}}
	objectSchema    = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "definition", Required: true}, {Name: "comment"}, {Name: "depends_on"}}}
	partitionSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "by", Required: true}, {Name: "expr"}, {Name: "partitions"},
			{Name: "sub_by"}, {Name: "sub_expr"}, {Name: "subpartitions"},
		},
		Blocks: []hcl.BlockHeaderSchema{{Type: "part", LabelNames: []string{"name"}}},
	}
	partDefSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "values"}, {Name: "comment"}, {Name: "engine"},
	}}
	viewSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "definition", Required: true}, {Name: "algorithm"}, {Name: "security"},
		{Name: "check_option"}, {Name: "depends_on"},
		{Name: "character_set_client"}, {Name: "collation_connection"},
	}}
	triggerSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "on", Required: true}, {Name: "timing", Required: true},
		{Name: "event", Required: true}, {Name: "columns"}, {Name: "body", Required: true}, {Name: "order"},
		{Name: "header"},
		{Name: "character_set_client"}, {Name: "collation_connection"}, {Name: "sql_mode"},
	}}
)

var (
	fkActions        = []string{schema.ActionRestrict, schema.ActionCascade, schema.ActionSetNull, schema.ActionNoAction, schema.ActionSetDefault}
	partitionMethods = []string{"RANGE", "LIST", "HASH", "KEY", "LINEAR HASH", "LINEAR KEY", "RANGE COLUMNS", "LIST COLUMNS"}
	subMethods       = []string{"HASH", "KEY", "LINEAR HASH", "LINEAR KEY"}
)

// srcInfo remembers where things were declared, for the cross-checks that
// run once every file is read.
type srcInfo struct {
	tables   map[*schema.Table]*tableSrc
	views    map[*schema.View]hcl.Range
	viewDeps map[*schema.View][]hcl.Range
	triggers map[*schema.Trigger]*triggerSrc
	routines map[*schema.Routine]*objectSrc
	events   map[*schema.Event]*objectSrc
	objects  map[*schema.Object]*objectSrc
}

type tableSrc struct {
	label   hcl.Range
	cols    map[*schema.Column]*colSrc
	pk      *keySrc
	indexes map[*schema.Index]*keySrc
	fks     map[*schema.ForeignKey]*fkSrc
	checks  map[*schema.Check]hcl.Range
}

type colSrc struct {
	label, typ, null hcl.Range
	ai               *hcl.Range
}

type keySrc struct {
	label hcl.Range
	parts []hcl.Range // one per part
}

type fkSrc struct {
	label, refTable hcl.Range
	cols, refCols   []hcl.Range
}

type triggerSrc struct{ label, on hcl.Range }

// LoadSchema reads a schema from a .hcl file or from every .hcl file of a
// directory (sorted by name; one schema spans them all). It returns every
// diagnostic of the run at once. The model carries what the files say; the
// dialect normalizes it.
func (f *Files) LoadSchema(path string) (*schema.Schema, hcl.Diagnostics) {
	s := &schema.Schema{}
	paths, err := schemaFiles(path)
	if err != nil {
		return s, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read schema", Detail: err.Error()}}
	}
	// Read every file first: the loaders read the sources concurrently.
	var diags hcl.Diagnostics
	srcs := make(map[string][]byte, len(paths))
	readDiags := make([]hcl.Diagnostics, len(paths))
	for i, p := range paths {
		srcs[p], readDiags[i] = f.readSchemaFile(p)
	}
	ld := newBlockLoader(f, srcs)
	loads := make([]*fileLoad, len(paths))
	for i, p := range paths {
		if readDiags[i] != nil {
			loads[i] = &fileLoad{parseDiags: readDiags[i]}
			continue
		}
		loads[i] = ld.file(p)
	}
	ld.wait()
	for _, fl := range loads {
		diags = append(diags, fl.parseDiags...)
	}
	if diags.HasErrors() {
		// With part of the schema unreadable, cross-checks would only add
		// noise (e.g. references to tables in the broken file).
		return s, diags
	}
	src := &srcInfo{
		tables:   map[*schema.Table]*tableSrc{},
		views:    map[*schema.View]hcl.Range{},
		viewDeps: map[*schema.View][]hcl.Range{},
		triggers: map[*schema.Trigger]*triggerSrc{},
		routines: map[*schema.Routine]*objectSrc{},
		events:   map[*schema.Event]*objectSrc{},
		objects:  map[*schema.Object]*objectSrc{},
	}
	l := &loader{f: f, srcs: srcs}
	var exclude []string
	for _, fl := range loads {
		exclude = append(exclude, l.exclude(fl.exclude)...)
	}
	f.rememberExclude(path, exclude)
	diags = append(diags, l.diags...)
	for _, fl := range loads {
		diags = append(diags, fl.topDiags...)
		for _, r := range fl.results {
			diags = append(diags, r.diags...)
			switch {
			case r.table != nil:
				s.Tables = append(s.Tables, r.table)
				src.tables[r.table] = r.ts
			case r.view != nil:
				s.Views = append(s.Views, r.view)
				src.views[r.view] = r.viewAt
				src.viewDeps[r.view] = r.deps
			case r.trigger != nil:
				s.Triggers = append(s.Triggers, r.trigger)
				src.triggers[r.trigger] = r.trs
			case r.routine != nil:
				s.Routines = append(s.Routines, r.routine)
				src.routines[r.routine] = r.os
			case r.event != nil:
				s.Events = append(s.Events, r.event)
				src.events[r.event] = r.os
			case r.object != nil:
				s.Objects = append(s.Objects, r.object)
				src.objects[r.object] = r.os
			}
		}
	}
	l = &loader{f: f, srcs: srcs, diags: diags}
	l.validate(s, src)
	return s, l.diags
}

// sqlFuncLike matches strings that are almost surely meant as SQL
// (CURRENT_TIMESTAMP, now(3)), not as a string literal.
var sqlFuncLike = regexp.MustCompile(`(?i)^\s*(current_timestamp|now|localtimestamp|localtime|current_date|curdate|current_time|curtime|utc_timestamp|uuid|null)\s*(\(\s*\d*\s*\))?\s*$`)

func isEmptyList(expr hcl.Expression) bool {
	exprs, d := hcl.ExprList(expr)
	return !d.HasErrors() && len(exprs) == 0
}

// schemaFiles lists the files of a schema path.
func schemaFiles(path string) ([]string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%s does not exist; pass --schema or create it (strata init writes an example)", path)
		}
		return nil, err
	}
	if !fi.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".hcl") {
			paths = append(paths, filepath.Join(path, e.Name()))
		}
	}
	sort.Strings(paths)
	if len(paths) == 0 {
		return nil, fmt.Errorf("directory %s holds no .hcl files", path)
	}
	return paths, nil
}

func (l *loader) table(b *hcl.Block) (*schema.Table, *tableSrc) {
	t := &schema.Table{Name: b.Labels[0]}
	ts := &tableSrc{
		label:   b.LabelRanges[0],
		cols:    map[*schema.Column]*colSrc{},
		indexes: map[*schema.Index]*keySrc{},
		fks:     map[*schema.ForeignKey]*fkSrc{},
		checks:  map[*schema.Check]hcl.Range{},
	}
	c, d := bodyContent(b.Body, tableSchema)
	l.add(d...)
	a := c.Attributes
	t.Options.Comment = l.str(a["comment"])
	t.Options.Engine = l.str(a["engine"])
	t.Options.Charset = l.str(a["charset"])
	t.Options.Collate = l.str(a["collate"])
	t.Options.RowFormat = strings.ToUpper(l.str(a["row_format"]))
	t.Options.AutoIncrement = l.integer(a["auto_increment"], 1, math.MaxInt64)
	t.Options.Extra = l.str(a["options"])
	t.RenamedFrom = l.str(a["renamed_from"])
	if pa := a["primary_key"]; pa != nil {
		cols, rngs := l.strList(pa)
		t.PrimaryKey = &schema.Index{Name: "PRIMARY"}
		for _, col := range cols {
			t.PrimaryKey.Parts = append(t.PrimaryKey.Parts, schema.IndexPart{Column: col})
		}
		ts.pk = &keySrc{label: pa.NameRange, parts: rngs}
		if isEmptyList(pa.Expr) {
			l.errorf(pa.Expr.Range(), "Empty primary key", "A primary key needs at least one column.")
		}
	}
	for _, blk := range c.Blocks {
		switch blk.Type {
		case "column":
			col, cs := l.column(blk)
			t.Columns = append(t.Columns, col)
			ts.cols[col] = cs
		case "primary_key":
			if t.PrimaryKey != nil {
				l.errorf(blk.DefRange, "Duplicate primary key",
					"Table %q already has a primary key at %s; a table has one, as an attribute or a block.", t.Name, ts.pk.label)
				continue
			}
			t.PrimaryKey, ts.pk = l.key(blk, "PRIMARY", pkSchema)

		case "index":
			ix, ks := l.key(blk, blk.Labels[0], indexSchema)
			t.Indexes = append(t.Indexes, ix)
			ts.indexes[ix] = ks
		case "foreign_key":
			fk, fs := l.foreignKey(blk)
			t.ForeignKeys = append(t.ForeignKeys, fk)
			ts.fks[fk] = fs
		case "check":
			cc, d := bodyContent(blk.Body, checkSchema)
			l.add(d...)
			ck := &schema.Check{Name: blk.Labels[0], Expr: l.sqlText(cc.Attributes["expr"]), NoInherit: l.boolean(cc.Attributes["no_inherit"])}
			t.Checks = append(t.Checks, ck)
			ts.checks[ck] = blk.LabelRanges[0]
		case "partition":
			if t.Partition != nil {
				l.errorf(blk.DefRange, "Duplicate partition block", "Table %q has more than one partition block.", t.Name)
				continue
			}
			t.Partition = l.partition(blk)
		}
	}
	return t, ts
}

func (l *loader) column(b *hcl.Block) (*schema.Column, *colSrc) {
	col := &schema.Column{Name: b.Labels[0]}
	cs := &colSrc{label: b.LabelRanges[0], typ: b.DefRange, null: b.DefRange}
	c, d := bodyContent(b.Body, columnSchema)
	l.add(d...)
	a := c.Attributes
	if ta := a["type"]; ta != nil {
		cs.typ = ta.Expr.Range()
		ti, d := parseTypeExpr(ta.Expr, l.f.Types)
		l.add(d...)
		if !d.HasErrors() {
			col.Type = ti.t // an invalid type stays empty: no follow-up errors
		}
		for _, flag := range []struct {
			name string
			has  bool
			val  *bool
		}{{"unsigned", ti.hasUnsigned, &col.Type.Unsigned}, {"zerofill", ti.hasZerofill, &col.Type.Zerofill}} {
			fa := a[flag.name]
			if fa == nil {
				continue
			}
			v := l.boolean(fa)
			if flag.has && v != *flag.val {
				l.errorf(fa.Range, "Conflicting attributes",
					"%s = %t contradicts the type %q; say it in one place.", flag.name, v, l.source(ta.Expr.Range()))
				continue
			}
			*flag.val = v
			if spec, known := l.f.lookupType(col.Type.Name); v && !d.HasErrors() && known && !spec.Numeric {
				l.errorf(fa.Range, "Invalid column type", "%s cannot be %s.", col.Type.Name, flag.name)
			}
		}
	}
	if na := a["null"]; na != nil {
		cs.null = na.Range
		col.Null = l.boolean(na)
	}
	col.Default = l.defaultText(a["default"])
	col.OnUpdate = l.defaultText(a["on_update"])
	for _, n := range []string{"default", "on_update"} {
		da := a[n]
		if da == nil {
			continue
		}
		if v, d := exprValue(da.Expr); !d.HasErrors() && v.Type() == cty.String && !v.IsNull() && sqlFuncLike.MatchString(v.AsString()) {
			s := v.AsString()
			l.errorf(da.Expr.Range(), "String where SQL was meant",
				"%s = %q is the string literal '%s'; for the SQL function write %s = sql(%q).", n, s, s, n, s)
		}
	}
	if aa := a["auto_increment"]; aa != nil {
		col.AutoIncrement = l.boolean(aa)
		if col.AutoIncrement {
			cs.ai = aa.Range.Ptr()
		}
	}
	col.Charset = l.str(a["charset"])
	col.Collate = l.str(a["collate"])
	col.Comment = l.str(a["comment"])
	col.Invisible = l.boolean(a["invisible"])
	col.Check = l.sqlText(a["check"])
	col.RenamedFrom = l.str(a["renamed_from"])
	col.Identity = l.enum(a["identity"], schema.IdentityAlways, schema.IdentityByDefault)
	col.IdentityOptions = strings.ToUpper(strings.Join(strings.Fields(l.str(a["identity_options"])), " "))
	if as := a["as"]; as != nil {
		col.Generated = &schema.Generated{Expr: l.sqlText(as), Stored: l.boolean(a["stored"])}
		for _, other := range []string{"default", "auto_increment", "on_update"} {
			if oa := a[other]; oa != nil {
				l.errorf(oa.Range, "Conflicting attributes",
					"Column %q is generated (as = ...); a generated column cannot have %s.", col.Name, other)
			}
		}
	} else if sa := a["stored"]; sa != nil {
		l.errorf(sa.Range, "Conflicting attributes",
			"stored applies to generated columns only; add as = \"<expression>\" or remove stored.")
	}
	if col.AutoIncrement && a["default"] != nil {
		l.errorf(a["default"].Range, "Conflicting attributes",
			"Column %q is auto_increment; it cannot have a default as well.", col.Name)
	}
	return col, cs
}

// key reads a primary_key or index block.
func (l *loader) key(b *hcl.Block, name string, bs *hcl.BodySchema) (*schema.Index, *keySrc) {
	ix := &schema.Index{Name: name}
	ks := &keySrc{label: b.DefRange}
	if len(b.LabelRanges) > 0 {
		ks.label = b.LabelRanges[0]
	}
	c, d := bodyContent(b.Body, bs)
	l.add(d...)
	a := c.Attributes
	if n := l.str(a["name"]); n != "" {
		ix.Name = n // a primary key's constraint name (PostgreSQL)
	}
	cols, rngs := l.strList(a["columns"])
	for _, col := range cols {
		ix.Parts = append(ix.Parts, schema.IndexPart{Column: col})
	}
	ks.parts = rngs
	if len(c.Blocks) > 0 {
		for _, other := range []string{"columns", "prefix", "desc"} {
			if oa := a[other]; oa != nil {
				l.errorf(oa.Range, "Conflicting attributes",
					"Use either part blocks or columns/prefix/desc, not both.")
			}
		}
		for _, pb := range c.Blocks {
			pc, d := bodyContent(pb.Body, partSchema)
			l.add(d...)
			p := schema.IndexPart{
				Column: l.str(pc.Attributes["column"]),
				Expr:   l.sqlText(pc.Attributes["expr"]),
				Prefix: int(l.integer(pc.Attributes["prefix"], 0, 65535)),
				Desc:   l.boolean(pc.Attributes["desc"]),
			}
			rng := pb.DefRange
			if ca := pc.Attributes["column"]; ca != nil {
				rng = ca.Expr.Range()
			}
			if (p.Column == "") == (p.Expr == "") {
				l.errorf(pb.DefRange, "Invalid key part", "A part needs exactly one of column or expr.")
			}
			ix.Parts = append(ix.Parts, p)
			ks.parts = append(ks.parts, rng)
		}
	} else if a["columns"] == nil {
		l.errorf(b.Body.MissingItemRange(), "Missing required argument",
			"The argument \"columns\" is required, but no definition was found.")
	} else if isEmptyList(a["columns"].Expr) {
		l.errorf(a["columns"].Expr.Range(), "Empty key", "A key needs at least one column.")
	}
	if pa := a["prefix"]; pa != nil {
		pairs, d := hcl.ExprMap(pa.Expr)
		if d.HasErrors() {
			l.errorf(pa.Expr.Range(), "Incorrect attribute value type",
				"prefix must be an object of column = length, e.g. { name = 10 }.")
		}
		for _, kv := range pairs {
			colName := hcl.ExprAsKeyword(kv.Key)
			if colName == "" {
				k, d := kv.Key.Value(nil)
				l.add(d...)
				if d.HasErrors() || k.Type() != cty.String || k.IsNull() {
					l.errorf(kv.Key.Range(), "Invalid prefix", "prefix keys are column names.")
					continue
				}
				colName = k.AsString()
			}
			n := l.integer(&hcl.Attribute{Name: "prefix", Expr: kv.Value, Range: kv.Value.Range()}, 1, 65535)
			found := false
			for i := range ix.Parts {
				if ix.Parts[i].Column == colName {
					ix.Parts[i].Prefix, found = int(n), true
				}
			}
			if !found {
				l.errorf(kv.Key.Range(), "Unknown key column", "%q is not one of the key's columns; prefix lengths are for the listed columns.", colName)
			}
		}
	}
	if da := a["desc"]; da != nil {
		names, rngs := l.strList(da)
		for i, n := range names {
			found := false
			for j := range ix.Parts {
				if ix.Parts[j].Column == n {
					ix.Parts[j].Desc, found = true, true
				}
			}
			if !found {
				l.errorf(rngs[i], "Unknown key column", "%q is not one of the key's columns; desc lists columns of the key.", n)
			}
		}
	}
	methods := []string{"BTREE", "HASH", "RTREE"}
	if l.f.Types != nil && l.f.Types.IndexMethods != nil {
		methods = l.f.Types.IndexMethods
	}
	ix.Using = l.enum(a["using"], methods...)
	ix.Comment = l.str(a["comment"])
	ix.Where = l.sqlText(a["where"])
	ix.Include, _ = l.strList(a["include"])
	ix.Constraint = l.boolean(a["constraint"])
	ix.NullsNotDistinct = l.boolean(a["nulls_not_distinct"])
	ix.With = l.str(a["with"])
	ix.Deferrable = l.boolean(a["deferrable"])
	ix.InitiallyDeferred = l.boolean(a["initially_deferred"])
	ix.Ignored = l.boolean(a["ignored"])
	ix.RenamedFrom = l.str(a["renamed_from"])
	var kinds []*hcl.Attribute
	for _, k := range []struct {
		attr string
		kind schema.IndexKind
	}{{"unique", schema.IndexUnique}, {"fulltext", schema.IndexFulltext}, {"spatial", schema.IndexSpatial}} {
		if ka := a[k.attr]; ka != nil && l.boolean(ka) {
			kinds = append(kinds, ka)
			ix.Kind = k.kind
		}
	}
	if len(kinds) > 1 {
		l.errorf(kinds[1].Range, "Conflicting attributes",
			"An index is at most one of unique, fulltext and spatial.")
	}
	return ix, ks
}

func (l *loader) foreignKey(b *hcl.Block) (*schema.ForeignKey, *fkSrc) {
	fk := &schema.ForeignKey{Name: b.Labels[0]}
	fs := &fkSrc{label: b.LabelRanges[0], refTable: b.DefRange}
	c, d := bodyContent(b.Body, fkSchema)
	l.add(d...)
	a := c.Attributes
	fk.Columns, fs.cols = l.strList(a["columns"])
	fk.RefTable = l.str(a["ref_table"])
	if ra := a["ref_table"]; ra != nil {
		fs.refTable = ra.Expr.Range()
	}
	fk.RefColumns, fs.refCols = l.strList(a["ref_columns"])
	fk.OnUpdate = l.enum(a["on_update"], fkActions...)
	fk.OnDelete = l.enum(a["on_delete"], fkActions...)
	fk.Deferrable = l.boolean(a["deferrable"])
	fk.InitiallyDeferred = l.boolean(a["initially_deferred"])
	fk.Match = l.enum(a["match"], "FULL")
	if a["columns"] != nil && a["ref_columns"] != nil && len(fk.Columns) != len(fk.RefColumns) {
		l.errorf(a["ref_columns"].Expr.Range(), "Foreign key column count mismatch",
			"Foreign key %q has %d column(s) but references %d.", fk.Name, len(fk.Columns), len(fk.RefColumns))
	}
	return fk, fs
}

func (l *loader) partition(b *hcl.Block) *schema.Partition {
	p := &schema.Partition{}
	c, d := bodyContent(b.Body, partitionSchema)
	l.add(d...)
	a := c.Attributes
	p.Method = l.enum(a["by"], partitionMethods...)
	p.Expr = l.sqlText(a["expr"])
	p.Count = int(l.integer(a["partitions"], 1, 8192))
	p.SubMethod = l.enum(a["sub_by"], subMethods...)
	p.SubExpr = l.sqlText(a["sub_expr"])
	p.SubCount = int(l.integer(a["subpartitions"], 1, 8192))
	for _, pb := range c.Blocks {
		pc, d := bodyContent(pb.Body, partDefSchema)
		l.add(d...)
		def := schema.PartitionDef{
			Name:    pb.Labels[0],
			Values:  l.str(pc.Attributes["values"]),
			Comment: l.str(pc.Attributes["comment"]),
			Engine:  l.str(pc.Attributes["engine"]),
		}
		switch {
		case (strings.HasPrefix(p.Method, "RANGE") || strings.HasPrefix(p.Method, "LIST")) && def.Values == "":
			l.errorf(pb.DefRange, "Missing partition values",
				"Partition %q of a %s partitioning needs values, e.g. values = \"LESS THAN (2022)\" or \"IN (1,2)\".", def.Name, p.Method)
		case strings.Contains(p.Method, "HASH") || strings.HasSuffix(p.Method, "KEY"):
			if def.Values != "" && !(l.f.Types != nil && l.f.Types.TableConstraintNames) { // PostgreSQL: FOR VALUES WITH (modulus ...)
				l.errorf(pc.Attributes["values"].Range, "Conflicting attributes",
					"Partitions of a %s partitioning take no values.", p.Method)
			}
		}
		p.Definitions = append(p.Definitions, def)
	}
	if pa := a["partitions"]; pa != nil {
		switch {
		case len(p.Definitions) > 0:
			l.errorf(pa.Range, "Conflicting attributes", "Give either partitions = N or part blocks, not both.")
		case p.Method != "" && !strings.Contains(p.Method, "HASH") && !strings.HasSuffix(p.Method, "KEY"):
			l.errorf(pa.Range, "Conflicting attributes", "partitions = N applies to HASH and KEY partitioning; %s needs part blocks.", p.Method)
		}
	}
	// PostgreSQL's partitions are tables of their own, created later.
	pgParts := l.f.Types != nil && l.f.Types.TableConstraintNames
	if (strings.HasPrefix(p.Method, "RANGE") || strings.HasPrefix(p.Method, "LIST")) && len(p.Definitions) == 0 && a["by"] != nil && !pgParts {
		l.errorf(a["by"].Range, "Missing partitions", "%s partitioning needs part blocks.", p.Method)
	}
	if a["sub_by"] == nil {
		for _, n := range []string{"sub_expr", "subpartitions"} {
			if sa := a[n]; sa != nil {
				l.errorf(sa.Range, "Conflicting attributes", "%s needs sub_by.", n)
			}
		}
	}
	return p
}

func (l *loader) view(b *hcl.Block) (*schema.View, []hcl.Range) {
	v := &schema.View{Name: b.Labels[0]}
	c, d := bodyContent(b.Body, viewSchema)
	l.add(d...)
	a := c.Attributes
	v.Definition = l.sqlText(a["definition"])
	v.Algorithm = l.enum(a["algorithm"], "UNDEFINED", "MERGE", "TEMPTABLE")
	v.Security = l.enum(a["security"], "DEFINER", "INVOKER")
	v.CheckOption = l.enum(a["check_option"], "NONE", "CASCADED", "LOCAL")
	deps, rngs := l.strList(a["depends_on"])
	v.DependsOn = deps
	v.Context = l.creationContext(a)
	return v, rngs
}

func (l *loader) trigger(b *hcl.Block) (*schema.Trigger, *triggerSrc) {
	tr := &schema.Trigger{Name: b.Labels[0]}
	ts := &triggerSrc{label: b.LabelRanges[0], on: b.DefRange}
	c, d := bodyContent(b.Body, triggerSchema)
	l.add(d...)
	a := c.Attributes
	tr.Table = l.str(a["on"])
	if oa := a["on"]; oa != nil {
		ts.on = oa.Expr.Range()
	}
	// Timing and event keep the user's spelling: the server shows a
	// trigger's statement back as written.
	tr.Timing = l.spelledEnum(a["timing"], "BEFORE", "AFTER", "INSTEAD OF")
	tr.Event = l.spelledEnum(a["event"], "INSERT", "UPDATE", "DELETE")
	if ca := a["columns"]; ca != nil {
		tr.Columns, _ = l.strList(ca)
		if tr.Event != "" && !strings.EqualFold(tr.Event, "UPDATE") {
			l.errorf(ca.Expr.Range(), "Columns need an UPDATE trigger",
				"Trigger %q fires on %s; only an UPDATE trigger can be limited to columns (UPDATE OF). Remove columns or set event = \"UPDATE\".", tr.Name, tr.Event)
		}
	}
	tr.Body = l.sqlText(a["body"])
	tr.Order = int(l.integer(a["order"], 1, 1000))
	// The statement's text from TRIGGER to the body, as written (the
	// dialect checks that it says what the block says).
	tr.Header = l.str(a["header"])
	tr.Context = l.creationContext(a)
	return tr, ts
}

// creationContext reads the session state a view or trigger is created
// under; what is left out is the server's default. sql_mode = "" is the
// empty sql_mode, which is not the default.
func (l *loader) creationContext(a hcl.Attributes) schema.CreationContext {
	c := schema.CreationContext{
		CharsetClient:       l.str(a["character_set_client"]),
		CollationConnection: l.str(a["collation_connection"]),
	}
	if ma := a["sql_mode"]; ma != nil {
		if c.SQLMode = l.str(ma); c.SQLMode == "" {
			c.SQLMode = schema.SQLModeEmpty
		}
	}
	return c
}
