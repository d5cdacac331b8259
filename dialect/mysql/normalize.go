package mysql

import (
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/stratadb/strata/schema"
)

// Normalize rewrites a model loaded from HCL into the form the server reports
// (see the package documentation of schema and the shared canonical form):
// type aliases and display widths, default literals, charsets and
// collations, engine, primary-key nullability, foreign key actions and the
// index the server creates for a foreign key. It is idempotent. Expressions
// (generated columns, checks, expression defaults) are left for the
// Canonicalizer, which asks the server.
func (d *Dialect) Normalize(s *schema.Schema) error {
	if s.Charset == "" && s.Collate == "" {
		s.Charset, s.Collate = d.Charset, d.Collate
	}
	s.Charset, s.Collate = d.normalizeCharset(s.Charset, s.Collate)
	tables := s.Tables[:0]
	for _, t := range s.Tables {
		if historyTable(t.Name) {
			continue
		}
		if err := d.normalizeTable(s, t); err != nil {
			return fmt.Errorf("normalize table %q: %w", t.Name, err)
		}
		tables = append(tables, t)
	}
	s.Tables = tables
	for _, v := range s.Views {
		normalizeView(v)
		d.normalizeContext(&v.Context, false)
	}
	normalizeTriggers(s.Triggers)
	for _, tr := range s.Triggers {
		if strings.EqualFold(tr.Timing, "INSTEAD OF") {
			return fmt.Errorf("trigger %q: MySQL and MariaDB triggers run BEFORE or AFTER a row change; INSTEAD OF (a trigger on a view) is SQLite's and PostgreSQL's", tr.Name)
		}
		if len(tr.Columns) > 0 {
			return fmt.Errorf("trigger %q: MySQL and MariaDB triggers fire on every UPDATE of a row, not on chosen columns: remove its columns attribute and test the columns in the body (IF NEW.c <=> OLD.c ...)", tr.Name)
		}
		if err := normalizeTriggerHeader(tr); err != nil {
			return err
		}
		d.normalizeContext(&tr.Context, true)
	}
	d.normalizeRoutines(s)
	d.normalizeEvents(s.Events)
	return nil
}

// normalizeCharset resolves a charset/collation pair: either one gives the
// other (collation → its charset; charset → its default collation), utf8 is
// utf8mb3 and names are lower case.
func (d *Dialect) normalizeCharset(cs, coll string) (string, string) {
	cs, coll = strings.ToLower(strings.TrimSpace(cs)), strings.ToLower(strings.TrimSpace(coll))
	if cs == "utf8" {
		cs = "utf8mb3"
	}
	if strings.HasPrefix(coll, "utf8_") {
		coll = "utf8mb3_" + coll[len("utf8_"):]
	}
	if coll == "" && cs != "" {
		coll = d.normalizeDefaultCollation(cs)
	}
	if cs == "" && coll != "" {
		cs = inspectCharsetOf(coll)
	}
	return cs, coll
}

func (d *Dialect) normalizeDefaultCollation(cs string) string {
	if c, ok := d.DefaultCollations[cs]; ok {
		return c
	}
	if c, ok := builtinCollations()[cs]; ok {
		return c
	}
	return cs + "_general_ci"
}

var normalizeEngines = map[string]string{
	"innodb": "InnoDB", "myisam": "MyISAM", "memory": "MEMORY", "heap": "MEMORY", "aria": "Aria",
	"csv": "CSV", "archive": "ARCHIVE", "blackhole": "BLACKHOLE", "merge": "MRG_MyISAM",
	"mrg_myisam": "MRG_MyISAM", "federated": "FEDERATED", "sequence": "SEQUENCE", "rocksdb": "ROCKSDB",
	"spider": "SPIDER", "connect": "CONNECT", "s3": "S3",
}

func (d *Dialect) normalizeTable(s *schema.Schema, t *schema.Table) error {
	o := &t.Options
	if o.Engine == "" {
		o.Engine = d.Engine
		if o.Engine == "" {
			o.Engine = "InnoDB"
		}
	}
	if e, ok := normalizeEngines[strings.ToLower(o.Engine)]; ok {
		o.Engine = e
	}
	if o.Charset == "" && o.Collate == "" {
		o.Charset, o.Collate = s.Charset, s.Collate
	}
	o.Charset, o.Collate = d.normalizeCharset(o.Charset, o.Collate)
	o.RowFormat = strings.ToUpper(strings.TrimSpace(o.RowFormat))
	if o.RowFormat == "DEFAULT" {
		o.RowFormat = ""
	}
	if o.Engine == "Aria" && !strings.Contains(strings.ToLower(o.Extra), "page_checksum") {
		// An Aria table has page checksums unless declared otherwise, and
		// SHOW CREATE TABLE says so (MariaDB 10.11).
		o.Extra = strings.TrimSpace(o.Extra + " page_checksum=1")
	}
	o.Extra = normalizeExtra(o.Extra)
	o.Comment = normalizeComment(o.Comment)

	seen := map[string]bool{}
	for _, c := range t.Columns {
		key := strings.ToLower(c.Name)
		if seen[key] {
			return fmt.Errorf("duplicate column %q", c.Name)
		}
		seen[key] = true
	}
	// Index and key parts name columns case-insensitively, as the server
	// does; the model uses the column's own spelling.
	colName := func(n string) (string, error) {
		if c := t.Column(n); c != nil {
			return c.Name, nil
		}
		for _, c := range t.Columns {
			if strings.EqualFold(c.Name, n) {
				return c.Name, nil
			}
		}
		return "", fmt.Errorf("unknown column %q", n)
	}

	if pk := t.PrimaryKey; pk != nil {
		pk.Name, pk.Kind = "PRIMARY", schema.IndexPlain
		for i := range pk.Parts {
			if pk.Parts[i].Column == "" {
				continue
			}
			n, err := colName(pk.Parts[i].Column)
			if err != nil {
				return fmt.Errorf("primary key: %w", err)
			}
			pk.Parts[i].Column = n
			t.Column(n).Null = false
		}
	}
	for _, c := range t.Columns {
		if err := d.normalizeColumn(t, c); err != nil {
			return fmt.Errorf("column %q: %w", c.Name, err)
		}
	}
	used := map[string]bool{}
	for _, idx := range t.Indexes {
		used[idx.Name] = true
	}
	for _, idx := range t.Indexes {
		for i := range idx.Parts {
			if idx.Parts[i].Column == "" {
				continue
			}
			n, err := colName(idx.Parts[i].Column)
			if err != nil {
				return fmt.Errorf("index %q: %w", idx.Name, err)
			}
			idx.Parts[i].Column = n
		}
		if idx.Name == "" && len(idx.Parts) > 0 {
			idx.Name = normalizeFreeName(used, idx.Parts[0].Column)
			used[idx.Name] = true
		}
	}
	for i, fk := range t.ForeignKeys {
		for j, c := range fk.Columns {
			n, err := colName(c)
			if err != nil {
				return fmt.Errorf("foreign key %q: %w", fk.Name, err)
			}
			fk.Columns[j] = n
		}
		if len(fk.RefColumns) != len(fk.Columns) {
			return fmt.Errorf("foreign key %q: %d columns reference %d columns", fk.Name, len(fk.Columns), len(fk.RefColumns))
		}
		if fk.Name == "" {
			fk.Name = fmt.Sprintf("%s_ibfk_%d", t.Name, i+1)
		}
		fk.OnUpdate = normalizeAction(fk.OnUpdate)
		fk.OnDelete = normalizeAction(fk.OnDelete)
	}
	for _, idx := range t.Indexes {
		d.normalizeIndex(t, idx)
	}
	if t.PrimaryKey != nil {
		d.normalizeIndex(t, t.PrimaryKey)
	}
	// The server creates an index for a foreign key that no index covers,
	// in the order the keys are declared (by name, once normalized).
	sort.SliceStable(t.ForeignKeys, func(i, j int) bool { return t.ForeignKeys[i].Name < t.ForeignKeys[j].Name })
	for _, fk := range t.ForeignKeys {
		if normalizeCovered(t, fk.Columns) {
			continue
		}
		idx := &schema.Index{Name: fk.Name}
		for _, c := range fk.Columns {
			idx.Parts = append(idx.Parts, schema.IndexPart{Column: c})
		}
		t.Indexes = append(t.Indexes, idx)
	}
	normalizeSortIndexes(t)
	n := 0
	for _, ck := range t.Checks {
		ck.Expr = normalizeStripParens(strings.TrimSpace(ck.Expr))
		if ck.Name == "" {
			// The server's names for unnamed checks: lowest free CONSTRAINT_N.
			for {
				n++
				name := fmt.Sprintf("CONSTRAINT_%d", n)
				if t.Check(name) == nil {
					ck.Name = name
					break
				}
			}
		}
	}
	sort.SliceStable(t.Checks, func(i, j int) bool { return t.Checks[i].Name < t.Checks[j].Name })
	if t.Partition != nil {
		normalizePartition(t.Partition, o.Engine)
	}
	return nil
}

func normalizeFreeName(used map[string]bool, base string) string {
	if !used[base] {
		return base
	}
	for i := 2; ; i++ {
		n := base + "_" + strconv.Itoa(i)
		if !used[n] {
			return n
		}
	}
}

// normalizeCovered reports whether an index (primary key included) has cols
// as its leftmost columns, whole, in order.
func normalizeCovered(t *schema.Table, cols []string) bool {
	check := func(idx *schema.Index) bool {
		if idx == nil || idx.Kind == schema.IndexFulltext || idx.Kind == schema.IndexSpatial || len(idx.Parts) < len(cols) {
			return false
		}
		for i, c := range cols {
			p := idx.Parts[i]
			if !strings.EqualFold(p.Column, c) || p.Prefix != 0 {
				return false
			}
		}
		return true
	}
	if check(t.PrimaryKey) {
		return true
	}
	for _, idx := range t.Indexes {
		if check(idx) {
			return true
		}
	}
	return false
}

func normalizeAction(a string) string {
	a = strings.ToUpper(strings.Join(strings.Fields(a), " "))
	if a == "" {
		return schema.ActionRestrict
	}
	return a
}

// normalizeSortIndexes orders secondary indexes as the server keeps them:
// UNIQUE keys first (all columns NOT NULL before nullable, whole columns
// before prefixes, long HASH uniques last), then plain and SPATIAL keys,
// then FULLTEXT, each class in declaration order.
func normalizeSortIndexes(t *schema.Table) {
	class := func(idx *schema.Index) int {
		switch idx.Kind {
		case schema.IndexUnique:
			if idx.Using == "HASH" {
				return 4
			}
			c := 0
			for _, p := range idx.Parts {
				if col := t.Column(p.Column); col == nil || col.Null {
					c |= 2
				}
				if p.Prefix > 0 {
					c |= 1
				}
			}
			return c
		case schema.IndexFulltext:
			return 6
		}
		return 5
	}
	sort.SliceStable(t.Indexes, func(i, j int) bool { return class(t.Indexes[i]) < class(t.Indexes[j]) })
}

func (d *Dialect) normalizeIndex(t *schema.Table, idx *schema.Index) {
	idx.Kind = schema.IndexKind(strings.ToUpper(string(idx.Kind)))
	idx.Comment = normalizeComment(idx.Comment)
	idx.Using = strings.ToUpper(strings.TrimSpace(idx.Using))
	for i := range idx.Parts {
		p := &idx.Parts[i]
		col := t.Column(p.Column)
		switch {
		case idx.Kind == schema.IndexSpatial:
			p.Prefix = 0
		case col != nil && p.Prefix > 0 && len(col.Type.Args) > 0 && p.Prefix >= col.Type.Args[0] &&
			(col.Type.Name == "char" || col.Type.Name == "varchar" || col.Type.Name == "binary" || col.Type.Name == "varbinary"):
			// A prefix covering the whole column is the column.
			p.Prefix = 0
		}
		if idx.Kind == schema.IndexFulltext || idx.Kind == schema.IndexSpatial {
			p.Desc = false
		}
		p.Expr = normalizeStripParens(strings.TrimSpace(p.Expr))
	}
	if idx.Name == "PRIMARY" {
		// SHOW CREATE TABLE keeps a declared method: it stays as written.
		return
	}
	switch {
	case idx.Kind == schema.IndexFulltext || idx.Kind == schema.IndexSpatial:
		idx.Using = ""
	case t.Options.Engine == "MEMORY":
		// MEMORY keys are HASH unless declared BTREE, and SHOW CREATE
		// TABLE shows USING only where it was written (as on every
		// engine): "" and HASH differ only in that text, kept as declared.
	case idx.Kind == schema.IndexUnique && normalizeLongKey(t, idx):
		// Too long for a B-tree: MariaDB keeps a hash of the values.
		idx.Using = "HASH"
	default:
		// information_schema reports BTREE whatever was declared, but
		// SHOW CREATE TABLE keeps a declared method, and so does the model.
	}
}

// normalizeLongKey reports whether a key is longer than InnoDB's 3072-byte
// limit or has a whole BLOB/TEXT column, so that MariaDB makes it a long
// unique (USING HASH).
func normalizeLongKey(t *schema.Table, idx *schema.Index) bool {
	total := 0
	for _, p := range idx.Parts {
		col := t.Column(p.Column)
		if col == nil {
			continue
		}
		name := col.Type.Name
		if strings.HasSuffix(name, "text") || strings.HasSuffix(name, "blob") {
			if p.Prefix == 0 {
				return true
			}
		}
		mb := 1
		if normalizeIsString(name) {
			cs := col.Charset
			if cs == "" {
				cs = t.Options.Charset
			}
			mb = normalizeMaxLen(cs)
		}
		n := 8
		if len(col.Type.Args) > 0 {
			n = col.Type.Args[0]
		}
		if p.Prefix > 0 {
			n = p.Prefix
		}
		switch name {
		case "char", "varchar", "binary", "varbinary", "tinytext", "text", "mediumtext", "longtext",
			"tinyblob", "blob", "mediumblob", "longblob":
			total += n * mb
		default:
			total += 8
		}
	}
	return total > 3072
}

// normalizeMaxLen is the most bytes a character of the charset takes.
func normalizeMaxLen(cs string) int {
	switch cs {
	case "utf8mb4", "utf16", "utf16le", "utf32", "gb18030":
		return 4
	case "utf8mb3", "utf8", "ujis", "eucjpms":
		return 3
	case "ucs2", "big5", "gbk", "sjis", "cp932", "euckr", "gb2312":
		return 2
	}
	return 1
}

var normalizeIntWidths = map[string][2]int{
	"tinyint": {4, 3}, "smallint": {6, 5}, "mediumint": {9, 8}, "int": {11, 10}, "bigint": {20, 20},
}

var normalizeTypeAliases = map[string]string{
	"integer": "int", "int4": "int", "int1": "tinyint", "int2": "smallint", "int3": "mediumint",
	"middleint": "mediumint", "int8": "bigint", "dec": "decimal", "numeric": "decimal", "fixed": "decimal",
	"real": "double", "double precision": "double", "float8": "double", "float4": "float",
	"character": "char", "char varying": "varchar", "character varying": "varchar",
	"long varchar": "mediumtext", "long": "mediumtext", "long varbinary": "mediumblob",
	"bool": "tinyint", "boolean": "tinyint",
}

// normalizeIsString reports whether the type has a character set.
func normalizeIsString(name string) bool { return schema.Type{Name: name}.HasCharset() }

// normalizeIsNumeric reports whether the type is a number (defaults unquoted).
func normalizeIsNumeric(name string) bool {
	switch name {
	case "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double":
		return true
	}
	return false
}

func (d *Dialect) normalizeType(t *schema.Table, c *schema.Column) {
	typ := &c.Type
	name := strings.ToLower(strings.Join(strings.Fields(typ.Name), " "))
	switch name {
	case "bool", "boolean":
		typ.Args = []int{1}
	case "nchar", "national char", "national character":
		name = "char"
		c.Charset, c.Collate = "utf8mb3", ""
	case "nvarchar", "national varchar", "national char varying", "national character varying", "nchar varchar", "nchar varying":
		name = "varchar"
		c.Charset, c.Collate = "utf8mb3", ""
	case "serial":
		name = "bigint"
		typ.Unsigned, typ.Args = true, nil
		c.Null, c.AutoIncrement = false, true
		if t.Index(c.Name) == nil {
			t.Indexes = append(t.Indexes, &schema.Index{Name: c.Name, Kind: schema.IndexUnique,
				Parts: []schema.IndexPart{{Column: c.Name}}})
		}
	case "float":
		if len(typ.Args) == 1 {
			if typ.Args[0] > 24 {
				name = "double"
			}
			typ.Args = nil
		}
	case "json":
		if d.Flavor != MySQL {
			name = "longtext"
			c.Charset, c.Collate = "utf8mb4", "utf8mb4_bin"
			if c.Check == "" {
				c.Check = "json_valid(" + sctQuoteIdent(c.Name) + ")"
			}
		}
	}
	if a, ok := normalizeTypeAliases[name]; ok {
		name = a
	}
	if typ.Zerofill {
		typ.Unsigned = true
	}
	if strings.EqualFold(c.Charset, "binary") {
		// A binary charset makes the binary type.
		switch name {
		case "char":
			name = "binary"
		case "varchar":
			name = "varbinary"
		case "tinytext", "text", "mediumtext", "longtext":
			name = strings.TrimSuffix(name, "text") + "blob"
		}
		c.Charset, c.Collate = "", ""
	}
	switch name {
	case "tinyint", "smallint", "mediumint", "int", "bigint":
		w := normalizeIntWidths[name]
		if typ.Args == nil {
			if typ.Unsigned {
				typ.Args = []int{w[1]}
			} else {
				typ.Args = []int{w[0]}
			}
		}
		if d.Flavor == MySQL && d.Version.AtLeast(8, 0, 19) && !typ.Zerofill &&
			!(name == "tinyint" && len(typ.Args) == 1 && typ.Args[0] == 1) {
			typ.Args = nil
		}
	case "decimal":
		switch len(typ.Args) {
		case 0:
			typ.Args = []int{10, 0}
		case 1:
			typ.Args = append(typ.Args, 0)
		}
	case "bit", "char", "binary":
		if typ.Args == nil {
			typ.Args = []int{1}
		}
	case "year":
		if typ.Args == nil && !(d.Flavor == MySQL && d.Version.AtLeast(8, 0, 19)) {
			typ.Args = []int{4}
		}
	case "datetime", "time", "timestamp":
		if len(typ.Args) == 1 && typ.Args[0] == 0 {
			typ.Args = nil
		}
	case "text", "blob":
		// TEXT(n)/BLOB(n) pick the smallest type that holds n characters.
		if len(typ.Args) == 1 {
			n := typ.Args[0]
			if name == "text" {
				cs := c.Charset
				if cs == "" {
					cs = t.Options.Charset
				}
				n *= normalizeMaxLen(strings.ToLower(cs))
			}
			kind := name
			switch {
			case n < 1<<8:
				name = "tiny" + kind
			case n < 1<<16:
				name = kind
			case n < 1<<24:
				name = "medium" + kind
			default:
				name = "long" + kind
			}
			typ.Args = nil
		}
	}
	typ.Name = name
	if typ.Values != nil {
		for i, v := range typ.Values {
			typ.Values[i] = strings.TrimRight(v, " ")
		}
	}
}

func (d *Dialect) normalizeColumn(t *schema.Table, c *schema.Column) error {
	d.normalizeType(t, c)
	c.Comment = normalizeComment(c.Comment)
	if normalizeIsString(c.Type.Name) {
		cs, coll := c.Charset, c.Collate
		if cs == "" && coll == "" {
			cs, coll = t.Options.Charset, t.Options.Collate
		}
		cs, coll = d.normalizeCharset(cs, coll)
		if coll == t.Options.Collate {
			cs, coll = "", ""
		}
		c.Charset, c.Collate = cs, coll
	} else {
		c.Charset, c.Collate = "", ""
	}
	if err := normalizeCheckColumn(t, c); err != nil {
		return err
	}
	c.Check = normalizeStripParens(strings.TrimSpace(c.Check))
	if c.Generated != nil {
		c.Generated.Expr = normalizeStripParens(strings.TrimSpace(c.Generated.Expr))
		if c.Default != "" {
			return fmt.Errorf("a generated column cannot have a default")
		}
		if d.Flavor != MySQL {
			// MariaDB generated columns are always nullable.
			c.Null = true
		}
	}
	c.OnUpdate = normalizeTimeFunc(strings.TrimSpace(c.OnUpdate))
	switch {
	case c.Generated != nil || c.AutoIncrement:
		c.Default = ""
	case strings.TrimSpace(c.Default) == "":
		c.Default = ""
		if c.Null {
			c.Default = "NULL"
		}
	default:
		c.Default = normalizeDefault(c, strings.TrimSpace(c.Default))
	}
	return nil
}

var normalizeTimeFuncRE = regexp.MustCompile(`(?i)^(?:current_timestamp|now|localtime|localtimestamp)\s*(?:\(\s*(\d*)\s*\))?$`)

// normalizeTimeFunc turns CURRENT_TIMESTAMP, now(), localtimestamp, NOW(6)
// (also in parentheses) into current_timestamp() / current_timestamp(6);
// anything else is returned unchanged.
func normalizeTimeFunc(s string) string {
	inner := normalizeStripParens(s)
	m := normalizeTimeFuncRE.FindStringSubmatch(inner)
	if m == nil {
		return s
	}
	if m[1] == "" || m[1] == "0" {
		return "current_timestamp()"
	}
	return "current_timestamp(" + m[1] + ")"
}

// normalizeStripParens removes parentheses enclosing the whole expression:
// "((a + b))" → "a + b", but not "(a) + (b)".
func normalizeStripParens(s string) string {
	for len(s) >= 2 && s[0] == '(' && sctGroupLen(s) == len(s) {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

var (
	normalizeNumberRE     = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)
	normalizeHexRE        = regexp.MustCompile(`^(?:0x([0-9A-Fa-f]+)|[xX]'([0-9A-Fa-f]*)')$`)
	normalizeIntroducerRE = regexp.MustCompile(`^(?:_[A-Za-z0-9]+\s*|[nN])'`)
	normalizeBitRE        = regexp.MustCompile(`^[bB]'([01]*)'$`)
	normalizeTemporalRE   = regexp.MustCompile(`^(?:(\d{4})-(\d{1,2})-(\d{1,2}))?(?:(?:^|[ T])(-?\d{1,3}):(\d{1,2}):(\d{1,2})(?:\.(\d*))?)?$`)
)

// normalizeDefault brings a DEFAULT text into the server's COLUMN_DEFAULT
// form for the column's type where code can tell it exactly; expressions are
// left as written for the Canonicalizer.
func normalizeDefault(c *schema.Column, def string) string {
	if strings.EqualFold(def, "NULL") {
		return "NULL"
	}
	if f := normalizeTimeFunc(def); f != def {
		return f
	}
	// A parenthesized literal is stored as the literal.
	if inner := normalizeStripParens(def); inner != def {
		if out := normalizeDefault(c, inner); normalizeIsLiteral(out) {
			return out
		}
		return def
	}
	name := c.Type.Name
	// A character set introducer (_utf8mb4'x', N'x') is not stored, except
	// that TEXT and BLOB columns keep a _charset one: their defaults are
	// stored as expressions (verified on MariaDB 10.11).
	if m := normalizeIntroducerRE.FindStringSubmatch(def); m != nil {
		if strings.HasPrefix(def, "_") && normalizeIsLob(name) {
			return def
		}
		def = def[len(m[0])-1:]
	}
	// The literal's value, when def is one.
	var val string
	isStr := false
	switch {
	case def[0] == '\'' || def[0] == '"':
		v, n, err := sctUnquoteString(def)
		if err != nil || n != len(def) {
			return def
		}
		val, isStr = v, true
	case normalizeHexRE.MatchString(def) && name != "bit":
		m := normalizeHexRE.FindStringSubmatch(def)
		h := m[1] + m[2]
		if normalizeIsNumeric(name) && m[1] != "" {
			// 0x10 is a number in a numeric context.
			n, ok := new(big.Int).SetString(h, 16)
			if ok {
				return n.String()
			}
		}
		if len(h)%2 == 1 {
			h = "0" + h
		}
		var b strings.Builder
		for i := 0; i+1 < len(h); i += 2 {
			x, _ := strconv.ParseUint(h[i:i+2], 16, 8)
			b.WriteByte(byte(x))
		}
		val, isStr = b.String(), true
	case strings.EqualFold(def, "true"):
		val = "1"
	case strings.EqualFold(def, "false"):
		val = "0"
	case normalizeNumberRE.MatchString(def):
		val = def
	case normalizeBitRE.MatchString(def):
		if name == "bit" {
			m := normalizeBitRE.FindStringSubmatch(def)
			v := strings.TrimLeft(m[1], "0")
			if v == "" {
				v = "0"
			}
			return "b'" + v + "'"
		}
		return def
	default:
		return def
	}
	switch {
	case normalizeIsNumeric(name):
		if !normalizeNumberRE.MatchString(strings.TrimSpace(val)) {
			if isStr {
				return QuoteString(val)
			}
			return def
		}
		n := normalizeNumber(c.Type, strings.TrimSpace(val))
		if c.Type.Zerofill && len(c.Type.Args) > 0 && !strings.HasPrefix(n, "-") && len(n) < c.Type.Args[0] {
			// ZEROFILL defaults are stored padded to the display width.
			n = strings.Repeat("0", c.Type.Args[0]-len(n)) + n
		}
		return n
	case name == "bit":
		n, ok := new(big.Int).SetString(strings.TrimSpace(val), 10)
		if !ok || isStr {
			return def
		}
		return "b'" + n.Text(2) + "'"
	case name == "datetime" || name == "timestamp" || name == "date" || name == "time":
		fsp := 0
		if len(c.Type.Args) > 0 {
			fsp = c.Type.Args[0]
		}
		if v, ok := normalizeTemporal(name, fsp, val); ok {
			return QuoteString(v)
		}
		if !isStr {
			return def
		}
	case name == "year":
		if normalizeNumberRE.MatchString(strings.TrimSpace(val)) {
			return normalizeNumber(schema.Type{Name: "int"}, strings.TrimSpace(val))
		}
	case name == "set":
		return QuoteString(normalizeSetValue(c.Type.Values, val))
	}
	return QuoteString(val)
}

// normalizeIsLiteral reports whether a default text is a plain literal (or
// NULL or a timestamp function), which the server stores without
// parentheses.
func normalizeIsLiteral(s string) bool {
	if s == "" {
		return false
	}
	switch {
	case s == "NULL", strings.HasPrefix(s, "current_timestamp("), s[0] == '\'',
		normalizeNumberRE.MatchString(s), normalizeBitRE.MatchString(s):
		return true
	}
	return false
}

// normalizeNumber formats a numeric literal as the server stores it for the
// type: integers plain, decimals with their scale, floats shortest.
func normalizeNumber(t schema.Type, v string) string {
	switch t.Name {
	case "decimal":
		scale := 0
		if len(t.Args) > 1 {
			scale = t.Args[1]
		}
		r, ok := new(big.Rat).SetString(v)
		if !ok {
			return v
		}
		return r.FloatString(scale)
	case "float", "double":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return v
		}
		if f == 0 {
			return "0"
		}
		if f >= 1e15 || f <= -1e15 || (f < 1e-4 && f > -1e-4) {
			return v
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	r, ok := new(big.Rat).SetString(v)
	if !ok {
		return v
	}
	if r.IsInt() {
		return r.Num().String()
	}
	// The server rounds a fractional default for an integer column.
	return r.FloatString(0)
}

func normalizeView(v *schema.View) {
	v.Definition = strings.TrimSpace(v.Definition)
	for strings.HasSuffix(v.Definition, ";") {
		v.Definition = strings.TrimSpace(strings.TrimSuffix(v.Definition, ";"))
	}
	v.Algorithm = strings.ToUpper(strings.TrimSpace(v.Algorithm))
	if v.Algorithm == "" {
		v.Algorithm = "UNDEFINED"
	}
	v.Security = strings.ToUpper(strings.TrimSpace(v.Security))
	if v.Security == "" {
		v.Security = "DEFINER"
	}
	v.CheckOption = strings.ToUpper(strings.TrimSpace(v.CheckOption))
	switch v.CheckOption {
	case "":
		v.CheckOption = "NONE"
	case "CHECK OPTION", "WITH CHECK OPTION":
		v.CheckOption = "CASCADED"
	}
}

func normalizeTriggers(ts []*schema.Trigger) {
	next := map[string]int{}
	for _, tr := range ts {
		// Timing and event keep their spelling (the server shows the
		// statement back as written); comparisons ignore case.
		tr.Timing = strings.TrimSpace(tr.Timing)
		tr.Event = strings.TrimSpace(tr.Event)
		tr.Body = strings.TrimSpace(tr.Body)
		for strings.HasSuffix(tr.Body, ";") {
			tr.Body = strings.TrimSpace(strings.TrimSuffix(tr.Body, ";"))
		}
		key := tr.Table + "\x00" + strings.ToUpper(tr.Timing) + "\x00" + strings.ToUpper(tr.Event)
		if tr.Order == 0 {
			tr.Order = next[key] + 1
		}
		if tr.Order > next[key] {
			next[key] = tr.Order
		}
	}
}

func normalizePartition(p *schema.Partition, engine string) {
	p.Method = strings.ToUpper(strings.Join(strings.Fields(p.Method), " "))
	p.SubMethod = strings.ToUpper(strings.Join(strings.Fields(p.SubMethod), " "))
	p.Expr = normalizePartitionExpr(p.Expr)
	p.SubExpr = normalizePartitionExpr(p.SubExpr)
	for i := range p.Definitions {
		def := &p.Definitions[i]
		if def.Engine == "" {
			def.Engine = engine
		} else if e, ok := normalizeEngines[strings.ToLower(def.Engine)]; ok {
			def.Engine = e
		}
		def.Comment = normalizeComment(def.Comment)
		def.Values = normalizePartitionValues(def.Values, strings.HasSuffix(p.Method, "COLUMNS"))
	}
}

var normalizeIdentRE = regexp.MustCompile("^(?:`[^`]+`|[A-Za-z0-9_$]+)$")

// normalizePartitionExpr backquotes a plain column list ("a, b" →
// "`a`,`b`"), as the server prints it; expressions are left as written.
func normalizePartitionExpr(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	parts := sctSplitTop(s)
	for i, p := range parts {
		if !normalizeIdentRE.MatchString(p) {
			return s
		}
		if p[0] != '`' {
			parts[i] = sctQuoteIdent(p)
		}
	}
	return strings.Join(parts, ",")
}

// normalizePartitionValues writes VALUES clauses as the server prints them:
// "LESS THAN (2022)", "LESS THAN MAXVALUE", "IN (1,2,3)", "DEFAULT"; with
// COLUMNS partitioning MAXVALUE stays in its list: "LESS THAN (MAXVALUE)".
func normalizePartitionValues(v string, columns bool) string {
	v = strings.TrimSpace(v)
	up := strings.ToUpper(v)
	up = strings.TrimSpace(strings.TrimPrefix(up, "VALUES"))
	switch {
	case up == "" || up == "DEFAULT":
		return up
	case strings.HasPrefix(up, "LESS THAN"):
		rest := strings.TrimSpace(v[strings.Index(strings.ToUpper(v), "THAN")+4:])
		if strings.EqualFold(normalizeStripParens(rest), "MAXVALUE") {
			if columns {
				return "LESS THAN (MAXVALUE)"
			}
			return "LESS THAN MAXVALUE"
		}
		return "LESS THAN " + normalizeMaxvalue(normalizeCompact(rest))
	case strings.HasPrefix(up, "IN"):
		rest := strings.TrimSpace(v[strings.Index(strings.ToUpper(v), "IN")+2:])
		return "IN " + normalizeCompact(rest)
	}
	return v
}

// normalizeCompact removes white space outside string literals: "(1, 2)" →
// "(1,2)".
func normalizeCompact(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			_, n, err := sctUnquoteString(s[i:])
			if err != nil {
				b.WriteString(s[i:])
				return b.String()
			}
			b.WriteString(s[i : i+n])
			i += n - 1
		case c == ' ' || c == '\t' || c == '\n':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// normalizeMaxvalue upper-cases MAXVALUE in a compacted value list.
func normalizeMaxvalue(s string) string {
	if !strings.Contains(strings.ToUpper(s), "MAXVALUE") {
		return s
	}
	parts := sctSplitTop(normalizeStripParens(s))
	for i, p := range parts {
		if strings.EqualFold(p, "MAXVALUE") {
			parts[i] = "MAXVALUE"
		}
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// normalizeCheckColumn reports column definitions the server refuses and
// code can tell: a missing length, AUTO_INCREMENT on a type that cannot
// count, members of an enum or set that collide once trailing spaces go
// (and, with a case-insensitive collation, case).
func normalizeCheckColumn(t *schema.Table, c *schema.Column) error {
	switch c.Type.Name {
	case "varchar", "varbinary":
		if len(c.Type.Args) == 0 {
			return fmt.Errorf("%s needs a length, e.g. %s(255)", c.Type.Name, c.Type.Name)
		}
	case "enum", "set":
		coll := c.Collate
		if coll == "" {
			coll = t.Options.Collate
		}
		ci := strings.HasSuffix(coll, "_ci")
		seen := map[string]bool{}
		for _, v := range c.Type.Values {
			k := v
			if ci {
				k = strings.ToLower(v)
			}
			if seen[k] {
				return fmt.Errorf("%s has the value %q twice", c.Type.Name, v)
			}
			seen[k] = true
		}
	case "":
		return fmt.Errorf("no type")
	}
	if c.AutoIncrement {
		switch {
		case c.Generated != nil:
			return fmt.Errorf("a generated column cannot be AUTO_INCREMENT")
		case !normalizeIsNumeric(c.Type.Name) || c.Type.Name == "decimal":
			return fmt.Errorf("AUTO_INCREMENT needs an integer type, not %s", c.Type.Name)
		}
	}
	return nil
}

// normalizeTemporal writes a date/time literal as the server stores it for
// the type: zero-padded fields, DATETIME/TIMESTAMP with a time, fractional
// seconds cut (not rounded) or padded to the type's precision.
func normalizeTemporal(name string, fsp int, v string) (string, bool) {
	m := normalizeTemporalRE.FindStringSubmatch(v)
	if m == nil || v == "" {
		return "", false
	}
	hasDate, hasTime := m[1] != "", m[4] != ""
	pad := func(s string, n int) string {
		if len(s) < n {
			return strings.Repeat("0", n-len(s)) + s
		}
		return s
	}
	clock := func() string {
		h := m[4]
		neg := strings.HasPrefix(h, "-")
		h = pad(strings.TrimPrefix(h, "-"), 2)
		if neg {
			h = "-" + h
		}
		t := h + ":" + pad(m[5], 2) + ":" + pad(m[6], 2)
		if fsp > 0 {
			frac := m[7]
			if len(frac) > fsp {
				frac = frac[:fsp]
			}
			t += "." + frac + strings.Repeat("0", fsp-len(frac))
		}
		return t
	}
	date := func() string { return m[1] + "-" + pad(m[2], 2) + "-" + pad(m[3], 2) }
	switch name {
	case "date":
		if !hasDate || hasTime {
			return "", false
		}
		return date(), true
	case "time":
		if hasDate || !hasTime {
			return "", false
		}
		return clock(), true
	}
	if !hasDate {
		return "", false
	}
	if !hasTime {
		m[4], m[5], m[6] = "0", "0", "0"
	}
	return date() + " " + clock(), true
}

// normalizeSetValue orders the members of a SET default as the type
// declares them, each once: 'b,a' is stored as 'a,b'.
func normalizeSetValue(members []string, v string) string {
	if v == "" {
		return v
	}
	have := map[string]bool{}
	for _, p := range strings.Split(v, ",") {
		have[strings.ToLower(p)] = true
	}
	var out []string
	for _, m := range members {
		if have[strings.ToLower(m)] {
			out = append(out, m)
			delete(have, strings.ToLower(m))
		}
	}
	if len(have) > 0 {
		// An unknown member: the server will refuse it; keep the text.
		return v
	}
	return strings.Join(out, ",")
}

// normalizeExtraOrder is the order in which the server lists the standard
// table options in CREATE_OPTIONS (MariaDB 10.11); engine-defined options
// (`page_compressed`='1') follow in the order given.
var normalizeExtraOrder = map[string]int{
	"min_rows": 1, "max_rows": 2, "avg_row_length": 3, "pack_keys": 4, "stats_persistent": 5,
	"stats_auto_recalc": 6, "stats_sample_pages": 7, "checksum": 8, "page_checksum": 9,
	"delay_key_write": 10, "key_block_size": 11, "transactional": 12,
}

// normalizeExtra writes extra table options as CREATE_OPTIONS shows them,
// lower-cased: "stats_persistent=0 checksum=1 `page_compressed`='1'".
func normalizeExtra(extra string) string {
	opts := inspectSplitOptions(strings.Join(strings.Fields(extra), " "))
	// "key = value" written with spaces: join the pieces again.
	var joined []string
	for i := 0; i < len(opts); i++ {
		o := opts[i]
		if i+2 < len(opts) && opts[i+1] == "=" {
			o, i = o+"="+opts[i+2], i+2
		} else if i+1 < len(opts) && strings.HasSuffix(o, "=") {
			o, i = o+opts[i+1], i+1
		} else if i+1 < len(opts) && strings.HasPrefix(opts[i+1], "=") {
			o, i = o+opts[i+1], i+1
		}
		joined = append(joined, strings.ToLower(o))
	}
	type opt struct {
		text string
		rank int
	}
	var out []opt
	for _, o := range joined {
		key, val, _ := strings.Cut(o, "=")
		key = strings.Trim(key, "`")
		if r, ok := normalizeExtraOrder[key]; ok {
			out = append(out, opt{key + "=" + strings.Trim(val, "'\""), r})
			continue
		}
		if strings.HasPrefix(val, "'") || strings.HasPrefix(val, "\"") {
			if v, _, err := sctUnquoteString(val); err == nil {
				val = v
			}
		}
		out = append(out, opt{"`" + key + "`=" + QuoteString(val), 100})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].rank < out[j].rank })
	texts := make([]string, len(out))
	for i, o := range out {
		texts[i] = o.text
	}
	return strings.Join(texts, " ")
}

// normalizeComment writes characters outside the Basic Multilingual Plane
// (emoji) as '?': the server keeps comments in utf8mb3 and stores them so.
func normalizeComment(s string) string {
	for _, r := range s {
		if r > 0xFFFF {
			return strings.Map(func(r rune) rune {
				if r > 0xFFFF {
					return '?'
				}
				return r
			}, s)
		}
	}
	return s
}

// normalizeIsLob reports whether a type is of the TEXT or BLOB family.
func normalizeIsLob(name string) bool {
	switch name {
	case "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob", "json":
		return true
	}
	return false
}
