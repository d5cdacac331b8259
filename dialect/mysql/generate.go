package mysql

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

var _ dialect.Dialect = (*Dialect)(nil)

// Generate returns the statements that carry out one change, in order.
// Every identifier is quoted with QuoteIdent and every string literal with
// QuoteString; statements have no trailing semicolon.
func (d *Dialect) Generate(c schema.Change, o dialect.GenOptions) ([]dialect.Stmt, error) {
	switch c := c.(type) {
	case *schema.AddTable:
		if c.T == nil {
			return nil, fmt.Errorf("generate add table: no table")
		}
		return stmts(d.CreateTableSQL(c.T)), nil
	case *schema.DropTable:
		if c.T == nil {
			return nil, fmt.Errorf("generate drop table: no table")
		}
		return stmts("DROP TABLE " + QuoteIdent(c.T.Name)), nil
	case *schema.RenameTable:
		return stmts("RENAME TABLE " + QuoteIdent(c.From) + " TO " + QuoteIdent(c.To)), nil
	case *schema.AlterTable:
		return d.alterTable(c, o)
	case *schema.AddView:
		if c.V == nil || c.V.Definition == "" {
			return nil, fmt.Errorf("generate add view: no view definition")
		}
		return stmts(d.underContext(c.V.Context, createViewSQL(c.V, false))...), nil
	case *schema.ModifyView:
		if c.To == nil || c.To.Definition == "" {
			return nil, fmt.Errorf("generate modify view: no view definition")
		}
		return stmts(d.underContext(c.To.Context, createViewSQL(c.To, true))...), nil
	case *schema.DropView:
		if c.V == nil {
			return nil, fmt.Errorf("generate drop view: no view")
		}
		return stmts("DROP VIEW " + QuoteIdent(c.V.Name)), nil
	case *schema.AddTrigger:
		if c.T == nil || c.T.Table == "" || c.T.Timing == "" || c.T.Event == "" || c.T.Body == "" {
			return nil, fmt.Errorf("generate add trigger: table, timing, event and body are required")
		}
		return stmts(d.underContext(c.T.Context, createTriggerSQL(c.T))...), nil
	case *schema.DropTrigger:
		if c.T == nil {
			return nil, fmt.Errorf("generate drop trigger: no trigger")
		}
		return stmts("DROP TRIGGER " + QuoteIdent(c.T.Name)), nil
	case *schema.AddRoutine, *schema.ModifyRoutine, *schema.DropRoutine,
		*schema.AddEvent, *schema.ModifyEvent, *schema.DropEvent:
		return d.generateRoutine(c)
	case nil:
		return nil, fmt.Errorf("generate: nil change")
	default:
		return nil, fmt.Errorf("generate: unsupported change %T", c)
	}
}

func stmts(sql ...string) []dialect.Stmt {
	out := make([]dialect.Stmt, len(sql))
	for i, s := range sql {
		out[i] = dialect.Stmt{SQL: s}
	}
	return out
}

// CreateTableSQL renders the CREATE TABLE statement of t, laid out like
// SHOW CREATE TABLE: one column, key or constraint a line.
func (d *Dialect) CreateTableSQL(t *schema.Table) string {
	var lines []string
	for _, c := range t.Columns {
		lines = append(lines, d.columnDefSQL(c))
	}
	if t.PrimaryKey != nil {
		lines = append(lines, d.primaryKeySQL(t.PrimaryKey))
	}
	for _, i := range t.Indexes {
		lines = append(lines, d.indexDefSQL(i, "KEY"))
	}
	for _, f := range t.ForeignKeys {
		lines = append(lines, foreignKeySQL(f))
	}
	for _, c := range t.Checks {
		lines = append(lines, checkSQL(c))
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	b.WriteString(QuoteIdent(t.Name))
	b.WriteString(" (\n  ")
	b.WriteString(strings.Join(lines, ",\n  "))
	b.WriteString("\n)")
	if opts := tableOptionsSQL(t.Options, true); len(opts) > 0 {
		b.WriteByte(' ')
		b.WriteString(strings.Join(opts, " "))
	}
	if t.Partition != nil {
		b.WriteByte('\n')
		b.WriteString(partitionSQL(t.Partition))
	}
	return b.String()
}

// columnDefSQL renders a column definition in SHOW CREATE TABLE's order of
// attributes.
func (d *Dialect) columnDefSQL(c *schema.Column) string {
	var b strings.Builder
	b.WriteString(QuoteIdent(c.Name))
	b.WriteByte(' ')
	b.WriteString(ColumnTypeSQL(c.Type))
	if c.Charset != "" {
		b.WriteString(" CHARACTER SET " + c.Charset)
	}
	if c.Collate != "" {
		b.WriteString(" COLLATE " + c.Collate)
	}
	if c.Generated != nil {
		b.WriteString(" " + c.Generated.Format())
	} else if c.Null {
		// MariaDB rejects NULL and NOT NULL on generated columns. NULL is
		// explicit because a bare timestamp would be NOT NULL on servers
		// with explicit_defaults_for_timestamp=0.
		b.WriteString(" NULL")
	} else {
		b.WriteString(" NOT NULL")
	}
	if c.Invisible {
		b.WriteString(" INVISIBLE")
	}
	if c.Default != "" && c.Generated == nil {
		def := defaultSQL(c.Default)
		if d.Flavor == MySQL && blobLike(c.Type.Name) && def == c.Default && !strings.EqualFold(def, "NULL") && !isWrapped(def) {
			// MySQL 8 takes only expression defaults on BLOB, TEXT, JSON
			// and spatial columns: DEFAULT ('x').
			def = "(" + def + ")"
		}
		b.WriteString(" DEFAULT " + def)
	}
	if c.OnUpdate != "" {
		b.WriteString(" ON UPDATE " + c.OnUpdate)
	}
	if c.AutoIncrement {
		b.WriteString(" AUTO_INCREMENT")
	}
	if c.Comment != "" {
		b.WriteString(" COMMENT " + QuoteString(c.Comment))
	}
	if c.Check != "" {
		b.WriteString(" CHECK (" + c.Check + ")")
	}
	return b.String()
}

// blobLike reports whether a type takes only expression defaults on MySQL.
func blobLike(name string) bool {
	switch name {
	case "json", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
		"multipolygon", "geometrycollection":
		return true
	}
	return strings.HasSuffix(name, "text") || strings.HasSuffix(name, "blob")
}

var (
	numberLit    = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`)
	hexBitLit    = regexp.MustCompile(`^([xX]'[0-9a-fA-F]*'|[bB]'[01]*'|0x[0-9a-fA-F]+|0b[01]+)$`)
	introducer   = regexp.MustCompile(`^(_[A-Za-z0-9]+|[nN])'`)
	timestampFun = regexp.MustCompile(`(?i)^(current_timestamp|now|localtime|localtimestamp)(\(\s*\d*\s*\))?$`)
)

// defaultSQL renders the text after DEFAULT: literals and the
// current_timestamp family verbatim, any other expression in parentheses
// (which both MariaDB and MySQL 8 accept) unless it is already wrapped.
func defaultSQL(s string) string {
	if isLiteral(s) || timestampFun.MatchString(s) || isWrapped(s) {
		return s
	}
	return "(" + s + ")"
}

// isLiteral reports whether s is one SQL literal: a quoted string (with an
// optional charset introducer), a number, NULL, TRUE/FALSE, or a hex or bit
// literal.
func isLiteral(s string) bool {
	switch strings.ToUpper(s) {
	case "NULL", "TRUE", "FALSE":
		return true
	}
	if numberLit.MatchString(s) || hexBitLit.MatchString(s) {
		return true
	}
	if m := introducer.FindString(s); m != "" {
		s = s[len(m)-1:]
	}
	if len(s) < 2 || s[0] != '\'' {
		return false
	}
	end := quotedEnd(s, 0)
	return end == len(s)-1
}

// quotedEnd returns the index of the quote that closes the string literal
// opening at s[i], or -1 when it is not closed. Quotes are doubled or
// backslash-escaped inside.
func quotedEnd(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j
		}
	}
	return -1
}

// isWrapped reports whether s is one parenthesized expression: its first
// parenthesis closes at its last character.
func isWrapped(s string) bool {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return false
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'', '"', '`':
			end := quotedEnd(s, i)
			if end < 0 {
				return false
			}
			i = end
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i == len(s)-1
			}
		}
	}
	return false
}

func indexPartsSQL(parts []schema.IndexPart) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		var s string
		if p.Expr != "" && p.Column == "" {
			s = "(" + p.Expr + ")"
		} else {
			s = QuoteIdent(p.Column)
			if p.Prefix > 0 {
				s += "(" + strconv.Itoa(p.Prefix) + ")"
			}
		}
		if p.Desc {
			s += " DESC"
		}
		out[i] = s
	}
	return "(" + strings.Join(out, ",") + ")"
}

func (d *Dialect) indexOptionsSQL(i *schema.Index) string {
	var b strings.Builder
	if i.Using != "" {
		b.WriteString(" USING " + strings.ToUpper(i.Using))
	}
	if i.Comment != "" {
		b.WriteString(" COMMENT " + QuoteString(i.Comment))
	}
	if i.Ignored {
		if d.Flavor == MySQL {
			b.WriteString(" INVISIBLE") // MySQL's name for an ignored index
		} else {
			b.WriteString(" IGNORED")
		}
	}
	return b.String()
}

func (d *Dialect) primaryKeySQL(i *schema.Index) string {
	return "PRIMARY KEY " + indexPartsSQL(i.Parts) + d.indexOptionsSQL(i)
}

// indexDefSQL renders a secondary index; word is KEY (CREATE TABLE) or
// INDEX (ALTER TABLE ADD).
func (d *Dialect) indexDefSQL(i *schema.Index, word string) string {
	var b strings.Builder
	if i.Kind != schema.IndexPlain {
		b.WriteString(string(i.Kind) + " ")
	}
	b.WriteString(word + " ")
	if i.Name != "" {
		b.WriteString(QuoteIdent(i.Name) + " ")
	}
	b.WriteString(indexPartsSQL(i.Parts))
	b.WriteString(d.indexOptionsSQL(i))
	return b.String()
}

func foreignKeySQL(f *schema.ForeignKey) string {
	var b strings.Builder
	if f.Name != "" {
		b.WriteString("CONSTRAINT " + QuoteIdent(f.Name) + " ")
	}
	b.WriteString("FOREIGN KEY (" + quoteIdents(f.Columns, ", ") + ") REFERENCES " +
		QuoteIdent(f.RefTable) + " (" + quoteIdents(f.RefColumns, ", ") + ")")
	// RESTRICT is the default: leaving it out matches SHOW CREATE TABLE.
	if a := strings.ToUpper(f.OnDelete); a != "" && a != schema.ActionRestrict {
		b.WriteString(" ON DELETE " + a)
	}
	if a := strings.ToUpper(f.OnUpdate); a != "" && a != schema.ActionRestrict {
		b.WriteString(" ON UPDATE " + a)
	}
	return b.String()
}

func checkSQL(c *schema.Check) string {
	s := "CHECK (" + c.Expr + ")"
	if c.Name != "" {
		s = "CONSTRAINT " + QuoteIdent(c.Name) + " " + s
	}
	return s
}

// tableOptionsSQL renders table options in SHOW CREATE TABLE's order.
// AUTO_INCREMENT is only part of a CREATE.
func tableOptionsSQL(o schema.TableOptions, create bool) []string {
	var opts []string
	if o.Engine != "" {
		opts = append(opts, "ENGINE="+o.Engine)
	}
	if create && o.AutoIncrement > 1 {
		opts = append(opts, "AUTO_INCREMENT="+strconv.FormatInt(o.AutoIncrement, 10))
	}
	if o.Charset != "" {
		opts = append(opts, "DEFAULT CHARSET="+o.Charset)
	}
	if o.Collate != "" {
		opts = append(opts, "COLLATE="+o.Collate)
	}
	if o.RowFormat != "" {
		opts = append(opts, "ROW_FORMAT="+strings.ToUpper(o.RowFormat))
	}
	for _, kv := range strings.Fields(o.Extra) {
		opts = append(opts, extraOptionSQL(kv))
	}
	if o.Comment != "" {
		opts = append(opts, "COMMENT="+QuoteString(o.Comment))
	}
	return opts
}

// partitionSQL renders a PARTITION BY clause.
func partitionSQL(p *schema.Partition) string {
	var b strings.Builder
	b.WriteString("PARTITION BY " + partitionMethodSQL(p.Method, p.Expr))
	if p.Count > 0 && len(p.Definitions) == 0 {
		b.WriteString("\nPARTITIONS " + strconv.Itoa(p.Count))
	}
	if p.SubMethod != "" {
		b.WriteString("\nSUBPARTITION BY " + partitionMethodSQL(p.SubMethod, p.SubExpr))
		if p.SubCount > 0 {
			b.WriteString("\nSUBPARTITIONS " + strconv.Itoa(p.SubCount))
		}
	}
	if len(p.Definitions) > 0 {
		defs := make([]string, len(p.Definitions))
		for i, def := range p.Definitions {
			s := "PARTITION " + QuoteIdent(def.Name)
			switch v := strings.TrimSpace(def.Values); {
			case v == "":
			case strings.EqualFold(v, "DEFAULT"):
				s += " DEFAULT"
			default:
				s += " VALUES " + v
			}
			if def.Comment != "" {
				s += " COMMENT = " + QuoteString(def.Comment)
			}
			if def.Engine != "" {
				s += " ENGINE = " + def.Engine
			}
			defs[i] = s
		}
		b.WriteString("\n(" + strings.Join(defs, ",\n ") + ")")
	}
	return b.String()
}

func partitionMethodSQL(method, expr string) string {
	m := strings.ToUpper(strings.Join(strings.Fields(method), " "))
	if strings.HasSuffix(m, " COLUMNS") {
		return m + "(" + expr + ")"
	}
	return m + " (" + expr + ")"
}

func createViewSQL(v *schema.View, replace bool) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if replace {
		b.WriteString("OR REPLACE ")
	}
	b.WriteString("ALGORITHM=" + orDefault(strings.ToUpper(v.Algorithm), "UNDEFINED"))
	b.WriteString(" SQL SECURITY " + orDefault(strings.ToUpper(v.Security), "DEFINER"))
	b.WriteString(" VIEW " + QuoteIdent(v.Name) + " AS " + v.Definition)
	switch co := strings.ToUpper(v.CheckOption); co {
	case "", "NONE":
	default:
		b.WriteString(" WITH " + co + " CHECK OPTION")
	}
	return b.String()
}

// createTriggerSQL renders CREATE TRIGGER. A new trigger is ordered after
// the table's existing ones with the same timing and event, so the planner
// creates triggers in Order; the Change does not name the neighbours that
// FOLLOWS/PRECEDES would need.
func createTriggerSQL(t *schema.Trigger) string {
	// Timing and event keep their spelling: the server shows the statement
	// back as written, so this reproduces an inspected trigger exactly.
	if t.Header != "" {
		// The header as written: the server shows it back.
		return "CREATE " + t.Header + t.Body
	}
	return "CREATE " + triggerHeaderCanonical(t) + t.Body
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// alterTable renders one ALTER TABLE with every clause of a in order. It
// splits off a first statement only where MariaDB rejects the combination
// (see the Comment of that statement).
func (d *Dialect) alterTable(a *schema.AlterTable, o dialect.GenOptions) ([]dialect.Stmt, error) {
	if a.From == nil || a.To == nil {
		return nil, fmt.Errorf("generate alter table: From and To are required")
	}
	name := QuoteIdent(a.To.Name)
	var (
		pre      []string // clauses that must run in an earlier statement
		clauses  []string
		post     []string // clauses that must run in a later statement
		partTail string   // PARTITION BY / REMOVE PARTITIONING: no comma before it
		notes    []string
		regen    = map[string]bool{} // To names of columns dropped and added again
	)
	// Dropping and re-adding a foreign key of the same name in one ALTER
	// fails on MariaDB (errno 121, duplicate key on write).
	addedFK := map[string]bool{}
	for _, ch := range a.Changes {
		if c, ok := ch.(*schema.AddForeignKey); ok && c.F != nil {
			addedFK[c.F.Name] = true
		}
	}
	for _, ch := range a.Changes {
		if !clauseComplete(ch) {
			return nil, fmt.Errorf("generate alter table %q: incomplete clause %T", a.To.Name, ch)
		}
	}
	conv := d.charsetConversion(a)
	for _, ch := range a.Changes {
		switch c := ch.(type) {
		case *schema.AddColumn:
			clauses = append(clauses, "ADD COLUMN "+d.columnDefSQL(c.C)+positionSQL(c.Position))
		case *schema.DropColumn:
			clauses = append(clauses, "DROP COLUMN "+QuoteIdent(c.C.Name))
		case *schema.ModifyColumn:
			if generationChanges(c.From, c.To) {
				// MariaDB cannot MODIFY a column between regular, VIRTUAL
				// and STORED (error 1907): drop it and add it again at its
				// place. Its indexes are restored below.
				clauses = append(clauses, "DROP COLUMN "+QuoteIdent(c.From.Name),
					"ADD COLUMN "+d.columnDefSQL(c.To)+positionSQL(positionIn(a.To, c.To.Name)))
				regen[c.To.Name] = true
				note := "column " + QuoteIdent(c.To.Name) + " is dropped and added again: MariaDB cannot change whether a column is generated, or how, in place"
				if c.From.Generated != nil && c.To.Generated == nil {
					note += "; it starts with its default, not the computed values"
				}
				notes = append(notes, note)
				continue
			}
			pos := c.Position
			if c.Kind.Is(schema.ChangePosition) && pos == (schema.ColumnPosition{}) {
				pos = positionIn(a.To, c.To.Name)
			}
			clauses = append(clauses, d.modifyColumnSQL(c.From.Name, c.To, pos))
		case *schema.RenameColumn:
			if col, ok := conv.modify[c.To]; ok {
				// The charset change restates this column: CHANGE renames
				// it in the same clause.
				clauses = append(clauses, d.modifyColumnSQL(c.From, col, schema.ColumnPosition{}))
				delete(conv.modify, c.To)
				continue
			}
			clauses = append(clauses, "RENAME COLUMN "+QuoteIdent(c.From)+" TO "+QuoteIdent(c.To))
		case *schema.AddIndex:
			clauses = append(clauses, "ADD "+d.indexDefSQL(c.I, "INDEX"))
		case *schema.DropIndex:
			clauses = append(clauses, "DROP INDEX "+QuoteIdent(c.I.Name))
		case *schema.RenameIndex:
			clauses = append(clauses, "RENAME INDEX "+QuoteIdent(c.From)+" TO "+QuoteIdent(c.To))
		case *schema.AddPrimaryKey:
			clauses = append(clauses, "ADD "+d.primaryKeySQL(c.I))
		case *schema.DropPrimaryKey:
			clauses = append(clauses, "DROP PRIMARY KEY")
		case *schema.AddForeignKey:
			clauses = append(clauses, "ADD "+foreignKeySQL(c.F))
		case *schema.DropForeignKey:
			s := "DROP FOREIGN KEY " + QuoteIdent(c.F.Name)
			if addedFK[c.F.Name] {
				pre = append(pre, s)
			} else {
				clauses = append(clauses, s)
			}
		case *schema.AddCheck:
			clauses = append(clauses, "ADD "+checkSQL(c.C))
		case *schema.DropCheck:
			if d.Flavor == MySQL {
				// DROP CONSTRAINT needs MySQL 8.0.19; DROP CHECK has been
				// there since checks (8.0.16).
				clauses = append(clauses, "DROP CHECK "+QuoteIdent(c.C.Name))
			} else {
				clauses = append(clauses, "DROP CONSTRAINT "+QuoteIdent(c.C.Name))
			}
		case *schema.ModifyOptions:
			opts, resets := modifyOptionsSQL(c.From, c.To)
			clauses = append(clauses, opts...)
			post = append(post, resets...)
			if conv.clause != "" {
				clauses = append(clauses, conv.clause)
			}
		case *schema.ModifyPartition:
			if c.To == nil {
				partTail = "REMOVE PARTITIONING"
			} else {
				partTail = partitionSQL(c.To)
			}
		default:
			return nil, fmt.Errorf("generate alter table %q: unsupported clause %T", a.To.Name, c)
		}
	}
	clauses = append(clauses, d.restoreIndexes(a, regen)...)
	if pin := d.pinFKIndexes(a); len(pin) > 0 {
		if len(pre) > 0 {
			pre = append(pre, pin...)
		} else {
			clauses = append(clauses, pin...)
		}
	}
	// Text columns whose charset follows the table's are restated so that
	// their data is converted (see charsetConversion).
	for _, col := range a.To.Columns {
		if _, ok := conv.modify[col.Name]; ok {
			clauses = append(clauses, d.modifyColumnSQL(col.Name, col, schema.ColumnPosition{}))
		}
	}
	if o.Online && len(clauses) > 0 && len(pre) == 0 && partTail == "" {
		// The note tells the reviewer what WithoutInstant does when the
		// server refuses the clause after all.
		switch {
		case d.instant(a):
			clauses = append(clauses, "ALGORITHM=INSTANT")
			notes = append(notes, "reruns without ALGORITHM=INSTANT if the server refuses it (then possibly as a table copy)")
		case d.inplaceNoLock(a):
			clauses = append(clauses, "ALGORITHM=INPLACE, LOCK=NONE")
			notes = append(notes, "reruns without ALGORITHM and LOCK if the server refuses LOCK=NONE (then it may block writes)")
		}
	}
	var out []dialect.Stmt
	if len(pre) > 0 {
		out = append(out, dialect.Stmt{
			SQL:     "ALTER TABLE " + name + " " + strings.Join(pre, ", "),
			Comment: "foreign keys re-created under the same name are dropped first: MariaDB rejects drop and add of one name in a single ALTER TABLE",
		})
	}
	if len(clauses) > 0 || partTail != "" {
		s := "ALTER TABLE " + name
		if len(clauses) > 0 {
			s += " " + strings.Join(clauses, ", ")
		}
		if partTail != "" {
			s += "\n" + partTail
		}
		st := dialect.Stmt{SQL: s, Comment: strings.Join(notes, "; ")}
		if why := d.blocksWrites(a); o.Online && why != "" && partTail == "" {
			st.Copy = &dialect.TableCopy{Table: a.To.Name, Clauses: strings.Join(clauses, ", "), Why: why, Renames: renamesColumn(a)}
		}
		out = append(out, st)
	}
	if len(post) > 0 {
		out = append(out, dialect.Stmt{
			SQL:     "ALTER TABLE " + name + " " + strings.Join(post, ", "),
			Comment: "options of the old engine are reset after the engine change: MariaDB keeps them when both are in one ALTER TABLE",
		})
	}
	return out, nil
}

// renamesColumn reports whether a renames a column.
func renamesColumn(a *schema.AlterTable) bool {
	for _, ch := range a.Changes {
		switch c := ch.(type) {
		case *schema.RenameColumn:
			return true
		case *schema.ModifyColumn:
			if c.From.Name != c.To.Name {
				return true
			}
		}
	}
	return false
}

// generationChanges reports whether a column changes between regular,
// VIRTUAL and STORED.
func generationChanges(from, to *schema.Column) bool {
	if (from.Generated == nil) != (to.Generated == nil) {
		return true
	}
	return from.Generated != nil && from.Generated.Stored != to.Generated.Stored
}

// restoreIndexes re-creates the indexes of To that include a column dropped
// and added again (dropping a column takes it out of its indexes), unless a
// clause of a already adds them.
func (d *Dialect) restoreIndexes(a *schema.AlterTable, regen map[string]bool) []string {
	if len(regen) == 0 {
		return nil
	}
	added := map[string]bool{}
	for _, ch := range a.Changes {
		if c, ok := ch.(*schema.AddIndex); ok {
			added[c.I.Name] = true
		}
	}
	var out []string
	for _, i := range a.To.Indexes {
		if added[i.Name] || a.From.Index(i.Name) == nil || !usesAny(i, regen) {
			continue
		}
		out = append(out, "DROP INDEX "+QuoteIdent(i.Name), "ADD "+d.indexDefSQL(i, "INDEX"))
	}
	return out
}

func usesAny(i *schema.Index, cols map[string]bool) bool {
	for _, p := range i.Parts {
		if cols[p.Column] {
			return true
		}
	}
	return false
}

// pinFKIndexes re-creates, explicitly, the existing indexes that may have
// been created automatically for a foreign key and that the server would
// otherwise drop later. MariaDB silently drops an automatically created
// foreign key index when an ALTER adds another index that covers it, and
// replaces it by one named after the constraint when a foreign key on its
// columns is added again, even in a later ALTER after its own foreign key
// was dropped (verified on 10.11); an index created by ADD INDEX is kept.
// Inspection cannot tell the two apart, so an index is pinned, at the cost
// of rebuilding it, when it serves a foreign key and a covers it with a new
// index or foreign key, or when a drops its foreign key and keeps it.
func (d *Dialect) pinFKIndexes(a *schema.AlterTable) []string {
	touched := map[string]bool{}
	var covers [][]string  // leading columns of what a adds
	var unbound [][]string // columns of the foreign keys a drops
	for _, ch := range a.Changes {
		switch c := ch.(type) {
		case *schema.DropForeignKey:
			cols := c.F.Columns
			if f := a.From.ForeignKey(c.F.Name); len(cols) == 0 && f != nil {
				cols = f.Columns
			}
			unbound = append(unbound, cols)
		case *schema.AddIndex:
			touched[c.I.Name] = true
			covers = append(covers, partColumns(c.I))
		case *schema.DropIndex:
			touched[c.I.Name] = true
		case *schema.RenameIndex:
			touched[c.From], touched[c.To] = true, true
		case *schema.AddPrimaryKey:
			covers = append(covers, partColumns(c.I))
		case *schema.AddForeignKey:
			covers = append(covers, c.F.Columns)
		}
	}
	if len(covers) == 0 && len(unbound) == 0 {
		return nil
	}
	var out []string
	for _, i := range a.From.Indexes {
		cols := partColumns(i)
		if touched[i.Name] || a.To.Index(i.Name) == nil || len(cols) != len(i.Parts) || i.Kind != schema.IndexPlain {
			continue
		}
		isFKIndex := false
		for _, f := range a.From.ForeignKeys {
			isFKIndex = isFKIndex || slices.Equal(f.Columns, cols)
		}
		covered := false
		for _, c := range covers {
			covered = covered || len(c) >= len(cols) && slices.Equal(c[:len(cols)], cols)
		}
		kept := false
		for _, c := range unbound {
			kept = kept || slices.Equal(c, cols)
		}
		if isFKIndex && (covered || kept) {
			out = append(out, "DROP INDEX "+QuoteIdent(i.Name), "ADD "+d.indexDefSQL(a.To.Index(i.Name), "INDEX"))
		}
	}
	return out
}

// partColumns returns the whole-column parts of an index, in order, up to
// the first expression or prefix part.
func partColumns(i *schema.Index) []string {
	var cols []string
	for _, p := range i.Parts {
		if p.Column == "" || p.Prefix > 0 {
			break
		}
		cols = append(cols, p.Column)
	}
	return cols
}

// clauseComplete reports whether a clause has the values it needs, so that
// a planner bug comes back as an error rather than a panic.
func clauseComplete(ch schema.TableChange) bool {
	switch c := ch.(type) {
	case *schema.AddColumn:
		return c.C != nil
	case *schema.DropColumn:
		return c.C != nil
	case *schema.ModifyColumn:
		return c.From != nil && c.To != nil
	case *schema.AddIndex:
		return c.I != nil
	case *schema.DropIndex:
		return c.I != nil
	case *schema.AddPrimaryKey:
		return c.I != nil
	case *schema.AddForeignKey:
		return c.F != nil
	case *schema.DropForeignKey:
		return c.F != nil
	case *schema.AddCheck:
		return c.C != nil
	case *schema.DropCheck:
		return c.C != nil
	case nil:
		return false
	}
	return true
}

func positionSQL(p schema.ColumnPosition) string {
	switch {
	case p.After != "":
		return " AFTER " + QuoteIdent(p.After)
	case p.First:
		return " FIRST"
	}
	return ""
}

// positionIn returns where column name sits in t: FIRST or AFTER its
// predecessor. MODIFY has no "at the end": that is AFTER the last column.
func positionIn(t *schema.Table, name string) schema.ColumnPosition {
	for i, c := range t.Columns {
		if c.Name == name {
			if i == 0 {
				return schema.ColumnPosition{First: true}
			}
			return schema.ColumnPosition{After: t.Columns[i-1].Name}
		}
	}
	return schema.ColumnPosition{}
}

func (d *Dialect) modifyColumnSQL(from string, to *schema.Column, pos schema.ColumnPosition) string {
	if from != to.Name {
		return "CHANGE COLUMN " + QuoteIdent(from) + " " + d.columnDefSQL(to) + positionSQL(pos)
	}
	return "MODIFY COLUMN " + d.columnDefSQL(to) + positionSQL(pos)
}

// conversion is what a change of the table's charset or collation needs.
type conversion struct {
	clause string                    // DEFAULT CHARSET=x COLLATE=y, "" for none
	modify map[string]*schema.Column // To columns to restate, by name
}

// textTypes are the types that have a character set.
var textTypes = map[string]bool{
	"char": true, "varchar": true, "tinytext": true, "text": true, "mediumtext": true,
	"longtext": true, "enum": true, "set": true,
}

// charsetConversion plans a change of the table's default charset or
// collation. In the model a column without its own charset follows the
// table's, so the change means converting those columns' data too. CONVERT
// TO CHARACTER SET is not used: it turns TEXT types into larger ones when the
// new charset is wider (latin1 text → utf8mb4 mediumtext) and overrides the
// explicit collation of columns restated in the same ALTER (json's
// utf8mb4_bin). Instead the table default changes and every text column
// whose effective charset or collation changes is restated with its target
// definition; a restated column without its own charset takes the new table
// default (verified on MariaDB 10.11), and its data is converted.
func (d *Dialect) charsetConversion(a *schema.AlterTable) conversion {
	var mo *schema.ModifyOptions
	for _, ch := range a.Changes {
		if c, ok := ch.(*schema.ModifyOptions); ok {
			mo = c
		}
	}
	if mo == nil || mo.To.Charset == "" ||
		strings.EqualFold(mo.From.Charset, mo.To.Charset) && strings.EqualFold(mo.From.Collate, mo.To.Collate) {
		return conversion{}
	}
	conv := conversion{clause: "DEFAULT CHARSET=" + mo.To.Charset, modify: map[string]*schema.Column{}}
	if mo.To.Collate != "" {
		conv.clause += " COLLATE=" + mo.To.Collate
	}
	covered := map[string]bool{}
	fromName := map[string]string{} // To name → From name
	for _, ch := range a.Changes {
		switch c := ch.(type) {
		case *schema.AddColumn:
			covered[c.C.Name] = true
		case *schema.ModifyColumn:
			covered[c.To.Name] = true
		case *schema.RenameColumn:
			fromName[c.To] = c.From
		}
	}
	fromT := *a.From
	fromT.Options = mo.From
	toT := *a.To
	toT.Options = mo.To
	for _, col := range a.To.Columns {
		if covered[col.Name] || !textTypes[col.Type.Name] {
			continue
		}
		if old := a.From.Column(orDefault(fromName[col.Name], col.Name)); old != nil &&
			d.columnCharset(&fromT, old) == d.columnCharset(&toT, col) &&
			d.columnCollate(&fromT, old) == d.columnCollate(&toT, col) {
			continue
		}
		conv.modify[col.Name] = col
	}
	return conv
}

// extraResets says how to take an explicit table option back to its default
// where "=DEFAULT" is not accepted (MariaDB 10.11: CHECKSUM=DEFAULT is a
// syntax error).
var extraResets = map[string]string{
	"checksum": "0", "table_checksum": "0", "delay_key_write": "0", "key_block_size": "0",
	"max_rows": "0", "min_rows": "0", "avg_row_length": "0",
}

// modifyOptionsSQL renders the option clauses of an ALTER TABLE. The
// charset is handled by charsetConversion.
//
// Resets of options the new table does not have go into resets when the
// engine changes too: MariaDB 10.11 keeps e.g. Aria's PAGE_CHECKSUM=1 through
// ENGINE=InnoDB, PAGE_CHECKSUM=DEFAULT in one statement, but drops it from a
// second one.
func modifyOptionsSQL(from, to schema.TableOptions) (out, resets []string) {
	engineChanges := to.Engine != "" && !strings.EqualFold(from.Engine, to.Engine)
	if engineChanges {
		out = append(out, "ENGINE="+to.Engine)
	}
	if !strings.EqualFold(from.RowFormat, to.RowFormat) {
		out = append(out, "ROW_FORMAT="+orDefault(strings.ToUpper(to.RowFormat), "DEFAULT"))
	}
	if from.Extra != to.Extra {
		want := map[string]bool{}
		var set []string
		for _, kv := range strings.Fields(to.Extra) {
			want[optionKey(kv)] = true
			set = append(set, extraOptionSQL(kv))
		}
		for _, kv := range strings.Fields(from.Extra) {
			k := optionKey(kv)
			if want[k] {
				continue
			}
			reset := strings.ToUpper(k) + "=" + orDefault(extraResets[k], "DEFAULT")
			if engineChanges {
				resets = append(resets, reset)
			} else {
				out = append(out, reset)
			}
		}
		out = append(out, set...)
	}
	if from.Comment != to.Comment {
		out = append(out, "COMMENT="+QuoteString(to.Comment))
	}
	return out, resets
}

// extraOptionSQL upper-cases the name of a "key=value" table option. The
// model keeps options lower-cased; MariaDB prints engine-defined options
// (`PAGE_COMPRESSED`='1') with the case they were created with, and upper
// case is how they are documented and usually written.
func extraOptionSQL(kv string) string {
	k, v, ok := strings.Cut(kv, "=")
	if !ok {
		return kv
	}
	return strings.ToUpper(k) + "=" + v
}

// optionKey returns the lower-case option name of "key=value" or
// "`KEY`='value'".
func optionKey(kv string) string {
	k, _, _ := strings.Cut(kv, "=")
	return strings.ToLower(strings.Trim(k, "`"))
}

// charsetBytes is the maximum bytes per character of common charsets, for
// deciding whether a varchar widening keeps its length-byte count.
var charsetBytes = map[string]int{
	"utf8mb4": 4, "utf8mb3": 3, "utf8": 3, "latin1": 1, "ascii": 1, "binary": 1,
	"latin2": 1, "cp1250": 1, "cp1251": 1, "cp1252": 1, "ucs2": 2, "utf16": 4, "utf32": 4,
}

// instant reports whether every clause of a can run with ALGORITHM=INSTANT
// on this server. It is deliberately conservative: a false "no" only costs
// the ALGORITHM clause, a false "yes" fails the statement. The cases follow
// the DDL behaviour measured on MariaDB 10.11 (notes, section 11) and the
// MySQL 8.0 online DDL documentation.
func (d *Dialect) instant(a *schema.AlterTable) bool {
	mariadb := d.Flavor == MariaDB
	switch {
	case mariadb && !d.Version.AtLeast(10, 4, 0):
		return false
	case !mariadb && !d.Version.AtLeast(8, 0, 29):
		return false
	}
	if a.From.Options.Engine != "" && !strings.EqualFold(a.From.Options.Engine, "InnoDB") {
		return false
	}
	indexed := map[string]bool{}
	fulltext := false
	for _, i := range append([]*schema.Index{a.From.PrimaryKey}, a.From.Indexes...) {
		if i == nil {
			continue
		}
		fulltext = fulltext || i.Kind == schema.IndexFulltext
		for _, p := range i.Parts {
			indexed[p.Column] = true
		}
	}
	fkCol := map[string]bool{}
	for _, f := range a.From.ForeignKeys {
		for _, c := range f.Columns {
			fkCol[c] = true
		}
	}
	// Column changes on tables with a FULLTEXT index, compressed rows or
	// partitions rebuild the table on MariaDB (or were not measured).
	plainTable := !fulltext && a.From.Partition == nil &&
		!strings.EqualFold(a.From.Options.RowFormat, "COMPRESSED")
	// MariaDB adds and drops virtual columns instantly only when the ALTER
	// does nothing else ("cannot be combined with other ALTER TABLE
	// actions", error 1846).
	virtual := 0
	for _, ch := range a.Changes {
		switch c := ch.(type) {
		case *schema.AddColumn:
			if isVirtual(c.C) {
				virtual++
			}
		case *schema.DropColumn:
			if isVirtual(c.C) {
				virtual++
			}
		}
	}
	if virtual > 0 && virtual < len(a.Changes) {
		return false
	}
	for _, ch := range a.Changes {
		switch c := ch.(type) {
		case *schema.AddColumn:
			col := c.C
			if !plainTable || col.AutoIncrement || col.Check != "" ||
				col.Generated != nil && col.Generated.Stored || !mariadb && col.Generated != nil {
				return false
			}
			if col.Default != "" && !isLiteral(col.Default) && !timestampFun.MatchString(col.Default) {
				return false // an expression default (uuid()) is computed per row
			}
		case *schema.DropColumn:
			if !plainTable || indexed[c.C.Name] || fkCol[c.C.Name] ||
				c.C.Generated != nil && c.C.Generated.Stored {
				return false
			}
		case *schema.RenameColumn:
			if !mariadb && indexed[c.From] || fkCol[c.From] {
				return false
			}
		case *schema.ModifyColumn:
			if !mariadb || !plainTable || !d.instantModify(a, c, indexed[c.From.Name], fkCol[c.From.Name]) {
				return false
			}
		case *schema.RenameIndex, *schema.DropCheck:
			if !mariadb {
				return false
			}
		case *schema.ModifyOptions:
			// Only the comment is metadata; engine, row format, charset
			// (CONVERT TO) and other options rebuild the table.
			f, t := c.From, c.To
			f.Comment, t.Comment = "", ""
			f.AutoIncrement, t.AutoIncrement = 0, 0
			if !mariadb || f != t {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// inplaceNoLock reports whether every clause of a builds or drops a
// secondary index, which InnoDB does in place while rows stay writable
// (LOCK=NONE). Asking for it makes the server refuse rather than quietly
// lock the table; full-text and spatial indexes (LOCK=SHARED at best) and
// MariaDB's hash-backed long unique keys (a hidden column, a copy) are
// left to the server's choice.
func (d *Dialect) inplaceNoLock(a *schema.AlterTable) bool {
	if a.From.Options.Engine != "" && !strings.EqualFold(a.From.Options.Engine, "InnoDB") || a.From.Partition != nil {
		return false
	}
	for _, ch := range a.Changes {
		switch c := ch.(type) {
		case *schema.AddIndex:
			if c.I.Kind == schema.IndexFulltext || c.I.Kind == schema.IndexSpatial || c.I.Using == "HASH" {
				return false
			}
			for _, p := range c.I.Parts {
				col := a.To.Column(p.Column)
				if p.Expr != "" || col != nil && c.I.Kind == schema.IndexUnique && normalizeIsLob(col.Type.Name) && p.Prefix == 0 {
					return false
				}
			}
		case *schema.DropIndex, *schema.RenameIndex, *schema.DropForeignKey:
		default:
			return false
		}
	}
	return true
}

// instantModify reports whether a MODIFY/CHANGE COLUMN is instant on
// MariaDB: renames, position, default, comment and visibility changes, and
// the type changes that keep the stored format (enum/set members appended,
// varchar widened within its length-byte count, integer display width).
func (d *Dialect) instantModify(a *schema.AlterTable, c *schema.ModifyColumn, indexed, fk bool) bool {
	const metadata = schema.ChangeDefault | schema.ChangeComment | schema.ChangePosition | schema.ChangeInvisible
	from, to := c.From, c.To
	if fk && from.Name != to.Name {
		return false
	}
	// Restating a column CHECK (json's json_valid included) counts as a
	// type change on MariaDB 10.11 (error 1846), even when it is unchanged.
	if from.Generated != nil || to.Generated != nil || from.AutoIncrement || to.AutoIncrement ||
		from.Check != "" || to.Check != "" {
		return false
	}
	if c.Kind&^(metadata|schema.ChangeType) != 0 {
		return false
	}
	// Everything but the type and metadata must be unchanged, whatever Kind
	// says, because MODIFY restates the whole column.
	if from.Null != to.Null || from.OnUpdate != to.OnUpdate || from.Check != to.Check ||
		d.columnCharset(a.From, from) != d.columnCharset(a.To, to) ||
		d.columnCollate(a.From, from) != d.columnCollate(a.To, to) {
		return false
	}
	if to.Default != "" && !isLiteral(to.Default) && !timestampFun.MatchString(to.Default) {
		return false
	}
	if sameType(from.Type, to.Type) {
		return true
	}
	if indexed {
		return false
	}
	ft, tt := from.Type, to.Type
	if ft.Name != tt.Name || ft.Unsigned != tt.Unsigned || ft.Zerofill != tt.Zerofill {
		return false
	}
	switch ft.Name {
	case "enum", "set":
		if len(tt.Values) <= len(ft.Values) || len(tt.Values) > 255 || ft.Name == "set" && len(tt.Values) > 8 {
			return false
		}
		for i, v := range ft.Values {
			if tt.Values[i] != v {
				return false
			}
		}
		return true
	case "varchar", "varbinary":
		if len(ft.Args) != 1 || len(tt.Args) != 1 || tt.Args[0] < ft.Args[0] {
			return false
		}
		n := 1
		if ft.Name == "varchar" {
			n = charsetBytes[d.columnCharset(a.To, to)]
			if n == 0 {
				return false
			}
		}
		oldB, newB := ft.Args[0]*n, tt.Args[0]*n
		return oldB <= 127 || newB <= 255
	case "tinyint", "smallint", "mediumint", "int", "bigint":
		return !ft.Zerofill // the width only matters for display
	}
	return false
}

func isVirtual(c *schema.Column) bool { return c.Generated != nil && !c.Generated.Stored }

func sameType(a, b schema.Type) bool {
	if a.Name != b.Name || a.Unsigned != b.Unsigned || a.Zerofill != b.Zerofill ||
		len(a.Args) != len(b.Args) || len(a.Values) != len(b.Values) {
		return false
	}
	for i := range a.Args {
		if a.Args[i] != b.Args[i] {
			return false
		}
	}
	for i := range a.Values {
		if a.Values[i] != b.Values[i] {
			return false
		}
	}
	return true
}

// columnCharset is the charset a column ends up with: its own, else the
// table's, else the database's.
func (d *Dialect) columnCharset(t *schema.Table, c *schema.Column) string {
	return strings.ToLower(orDefault(c.Charset, orDefault(t.Options.Charset, d.Charset)))
}

func (d *Dialect) columnCollate(t *schema.Table, c *schema.Column) string {
	if c.Collate != "" {
		return strings.ToLower(c.Collate)
	}
	if c.Charset != "" {
		return strings.ToLower(d.DefaultCollations[strings.ToLower(c.Charset)])
	}
	return strings.ToLower(orDefault(t.Options.Collate, d.Collate))
}
