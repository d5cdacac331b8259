package sqlite

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// rebuildPrefix names the new table of a rebuild until it takes the old
// table's name.
const rebuildPrefix = "_strata_new_"

// autoindexPrefix starts the names SQLite gives the indexes of inline
// UNIQUE constraints; such an index can only change with its table.
const autoindexPrefix = "sqlite_autoindex_"

// Generate returns the statements that carry out one change. Every
// statement is transactional: run them through ApplyTx.
func (d *Dialect) Generate(c schema.Change, o dialect.GenOptions) ([]dialect.Stmt, error) {
	var sqls []string
	var comment string
	switch c := c.(type) {
	case *schema.AddTable:
		sqls = createTable(c.T, c.T.Name)
		sqls = append(sqls, createIndexes(c.T)...)
		if n := c.T.Options.AutoIncrement; n > 1 && hasAutoIncrement(c.T) {
			// The counter of an AUTOINCREMENT table lives in sqlite_sequence,
			// which SQLite creates with the first such table.
			sqls = append(sqls, fmt.Sprintf("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %d)",
				sqliteQuote(c.T.Name), n-1))
		}
	case *schema.DropTable:
		sqls = []string{"DROP TABLE " + quoteIdent(c.T.Name)}
	case *schema.RenameTable:
		sqls = []string{"ALTER TABLE " + quoteIdent(c.From) + " RENAME TO " + quoteIdent(c.To)}
	case *schema.AlterTable:
		if c.From == nil || c.To == nil {
			return nil, fmt.Errorf("alter table: From and To must be set")
		}
		if simple, ok := simpleAlter(c); ok {
			sqls = simple
			break
		}
		sqls = d.rebuild(c)
		comment = "rebuilds " + quoteIdent(c.To.Name) + ": new table, copy rows, drop old, rename"
		if d.triggers == nil {
			comment += "; triggers on the table are dropped with it (no target triggers known)"
		}
	case *schema.AddView:
		sqls = []string{createView(c.V)}
	case *schema.DropView:
		sqls = []string{"DROP VIEW IF EXISTS " + quoteIdent(c.V.Name)}
	case *schema.ModifyView:
		sqls = []string{"DROP VIEW IF EXISTS " + quoteIdent(c.From.Name), createView(c.To)}
	case *schema.AddTrigger:
		sqls = []string{createTrigger(c.T)}
	case *schema.DropTrigger:
		sqls = []string{"DROP TRIGGER IF EXISTS " + quoteIdent(c.T.Name)}
	default:
		return nil, fmt.Errorf("sqlite: unsupported change %T", c)
	}
	stmts := make([]dialect.Stmt, len(sqls))
	for i, s := range sqls {
		stmts[i] = dialect.Stmt{SQL: s, Transactional: true}
	}
	if comment != "" && len(stmts) > 0 {
		stmts[0].Comment = comment
	}
	return stmts, nil
}

// Rebuilds reports whether Generate carries out the change by rebuilding
// the table (which drops and recreates its indexes and triggers).
func (d *Dialect) Rebuilds(c *schema.AlterTable) bool {
	_, ok := simpleAlter(c)
	return !ok
}

func hasAutoIncrement(t *schema.Table) bool {
	for _, c := range t.Columns {
		if c.AutoIncrement {
			return true
		}
	}
	return false
}

func createView(v *schema.View) string {
	return "CREATE VIEW " + quoteIdent(v.Name) + " AS " + v.Definition
}

func createTrigger(t *schema.Trigger) string {
	timing := t.Timing
	if timing == "" {
		timing = "BEFORE"
	}
	return "CREATE TRIGGER IF NOT EXISTS " + quoteIdent(t.Name) + " " + timing + " " + eventClause(t) +
		" ON " + quoteIdent(t.Table) + " FOR EACH ROW " + t.Body
}

func typeSQL(t schema.Type) string {
	s := t.Name
	if len(t.Args) > 0 {
		args := make([]string, len(t.Args))
		for i, a := range t.Args {
			args[i] = strconv.Itoa(a)
		}
		s += "(" + strings.Join(args, ",") + ")"
	}
	return s
}

// defaultSQL renders a model default as SQLite writes it: string literals
// lose the model's backslash escapes.
func defaultSQL(def string) string {
	if len(def) >= 2 && def[0] == '\'' {
		if v, ok := schema.UnquoteString(def); ok {
			return sqliteQuote(v)
		}
	}
	return def
}

func columnSQL(t *schema.Table, c *schema.Column) string {
	var b strings.Builder
	b.WriteString(quoteIdent(c.Name))
	if ts := typeSQL(c.Type); ts != "" {
		b.WriteString(" " + ts)
	}
	if !c.Null {
		b.WriteString(" NOT NULL")
	}
	if c.AutoIncrement {
		b.WriteString(" PRIMARY KEY AUTOINCREMENT")
	}
	if c.Default != "" {
		b.WriteString(" DEFAULT " + defaultSQL(c.Default))
	}
	if c.Collate != "" {
		b.WriteString(" COLLATE " + c.Collate)
	}
	if c.Generated != nil {
		b.WriteString(" " + c.Generated.Format())
	}
	if c.Check != "" {
		b.WriteString(" CHECK (" + c.Check + ")")
	}
	return b.String()
}

func identList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}

func fkSQL(f *schema.ForeignKey) string {
	s := "CONSTRAINT " + quoteIdent(f.Name) + " FOREIGN KEY (" + identList(f.Columns) + ") REFERENCES " +
		quoteIdent(f.RefTable)
	if len(f.RefColumns) > 0 {
		s += " (" + identList(f.RefColumns) + ")"
	}
	if f.OnUpdate != "" {
		s += " ON UPDATE " + f.OnUpdate
	}
	if f.OnDelete != "" {
		s += " ON DELETE " + f.OnDelete
	}
	return s
}

// createTable returns CREATE TABLE for t under the given name (the table's
// own, or a rebuild's temporary one).
func createTable(t *schema.Table, name string) []string {
	var items []string
	autoPK := false
	for _, c := range t.Columns {
		items = append(items, columnSQL(t, c))
		autoPK = autoPK || c.AutoIncrement
	}
	if t.PrimaryKey != nil && len(t.PrimaryKey.Parts) > 0 && !autoPK {
		items = append(items, "PRIMARY KEY ("+identList(t.PrimaryKey.Columns())+")")
	}
	for _, i := range t.Indexes {
		if strings.HasPrefix(i.Name, autoindexPrefix) {
			items = append(items, "UNIQUE ("+identList(i.Columns())+")")
		}
	}
	for _, c := range t.Checks {
		items = append(items, "CONSTRAINT "+quoteIdent(c.Name)+" CHECK ("+c.Expr+")")
	}
	for _, f := range t.ForeignKeys {
		items = append(items, fkSQL(f))
	}
	s := "CREATE TABLE " + quoteIdent(name) + " (\n  " + strings.Join(items, ",\n  ") + "\n)"
	var opts []string
	if strings.Contains(t.Options.Extra, "without rowid") {
		opts = append(opts, "WITHOUT ROWID")
	}
	if strings.Contains(t.Options.Extra, "strict") {
		opts = append(opts, "STRICT")
	}
	if len(opts) > 0 {
		s += " " + strings.Join(opts, ", ")
	}
	return []string{s}
}

func createIndex(table string, i *schema.Index) string {
	s := "CREATE "
	if i.Kind == schema.IndexUnique {
		s += "UNIQUE "
	}
	parts := make([]string, len(i.Parts))
	for n, p := range i.Parts {
		if p.Expr != "" {
			parts[n] = "(" + p.Expr + ")"
		} else {
			parts[n] = quoteIdent(p.Column)
		}
		if p.Desc {
			parts[n] += " DESC"
		}
	}
	return s + "INDEX " + quoteIdent(i.Name) + " ON " + quoteIdent(table) + " (" + strings.Join(parts, ", ") + ")"
}

func createIndexes(t *schema.Table) []string {
	var out []string
	for _, i := range t.Indexes {
		if !strings.HasPrefix(i.Name, autoindexPrefix) {
			out = append(out, createIndex(t.Name, i))
		}
	}
	return out
}

// simpleAlter returns the statements for an AlterTable that SQLite's own
// ALTER TABLE (and CREATE/DROP INDEX) can do, or false when the table must
// be rebuilt.
func simpleAlter(c *schema.AlterTable) ([]string, bool) {
	var dropIdx, renames, dropCols, addCols, addIdx []string
	order := c.From.Columns
	names := make([]string, len(order))
	for i, col := range order {
		names[i] = col.Name
	}
	for _, ch := range c.Changes {
		switch ch := ch.(type) {
		case *schema.DropIndex:
			if strings.HasPrefix(ch.I.Name, autoindexPrefix) {
				return nil, false
			}
			dropIdx = append(dropIdx, "DROP INDEX "+quoteIdent(ch.I.Name))
		case *schema.AddIndex:
			if strings.HasPrefix(ch.I.Name, autoindexPrefix) {
				return nil, false
			}
			addIdx = append(addIdx, createIndex(c.To.Name, ch.I))
		case *schema.RenameIndex:
			to := c.To.Index(ch.To)
			if to == nil || strings.HasPrefix(ch.From, autoindexPrefix) || strings.HasPrefix(ch.To, autoindexPrefix) {
				return nil, false
			}
			dropIdx = append(dropIdx, "DROP INDEX "+quoteIdent(ch.From))
			addIdx = append(addIdx, createIndex(c.To.Name, to))
		case *schema.RenameColumn:
			i := slices.Index(names, ch.From)
			if i < 0 || expressionsMention(c.From, ch.From) {
				return nil, false
			}
			names[i] = ch.To
			renames = append(renames, "ALTER TABLE "+quoteIdent(c.From.Name)+" RENAME COLUMN "+
				quoteIdent(ch.From)+" TO "+quoteIdent(ch.To))
		case *schema.DropColumn:
			if !canDropColumn(c, ch.C.Name) {
				return nil, false
			}
			i := slices.Index(names, ch.C.Name)
			if i < 0 {
				return nil, false
			}
			names = slices.Delete(names, i, i+1)
			dropCols = append(dropCols, "ALTER TABLE "+quoteIdent(c.From.Name)+" DROP COLUMN "+quoteIdent(ch.C.Name))
		case *schema.AddColumn:
			if !canAddColumn(c.To, ch.C) {
				return nil, false
			}
			addCols = append(addCols, "ALTER TABLE "+quoteIdent(c.From.Name)+" ADD COLUMN "+columnSQL(c.To, ch.C))
			names = append(names, ch.C.Name)
		default:
			return nil, false
		}
	}
	// ADD COLUMN appends: anything but the target order needs a rebuild.
	want := make([]string, len(c.To.Columns))
	for i, col := range c.To.Columns {
		want[i] = col.Name
	}
	if !slices.Equal(names, want) || c.From.Name != c.To.Name {
		return nil, false
	}
	var out []string
	out = append(out, dropIdx...)
	out = append(out, renames...)
	out = append(out, dropCols...)
	out = append(out, addCols...)
	out = append(out, addIdx...)
	return out, true
}

// canDropColumn reports whether ALTER TABLE DROP COLUMN works: SQLite
// refuses columns of the primary key, of UNIQUE constraints, of indexes,
// of foreign keys, and columns that checks or generated columns use.
func canDropColumn(c *schema.AlterTable, col string) bool {
	from := c.From
	if inPrimaryKey(from, col) {
		return false
	}
	for _, i := range from.Indexes {
		uses := slices.Contains(i.Columns(), col)
		for _, p := range i.Parts {
			uses = uses || p.Expr != "" && mentions(p.Expr, col)
		}
		// An index on the column is fine when this change drops it first;
		// an inline UNIQUE constraint only goes with a rebuild.
		if uses && (strings.HasPrefix(i.Name, autoindexPrefix) || !dropsIndex(c, i.Name)) {
			return false
		}
	}
	for _, f := range from.ForeignKeys {
		if slices.Contains(f.Columns, col) {
			return false
		}
	}
	for _, ch := range from.Checks {
		if mentions(ch.Expr, col) {
			return false
		}
	}
	for _, oc := range from.Columns {
		if oc.Name != col && (mentions(oc.Check, col) || oc.Generated != nil && mentions(oc.Generated.Expr, col)) {
			return false
		}
	}
	return true
}

// expressionsMention reports whether a check, generated column or index
// expression of t uses col. RENAME COLUMN rewrites such text in SQLite's
// own spelling, which would no longer match the model's; a rebuild writes
// the target's text instead.
func expressionsMention(t *schema.Table, col string) bool {
	for _, ch := range t.Checks {
		if mentions(ch.Expr, col) {
			return true
		}
	}
	for _, c := range t.Columns {
		if mentions(c.Check, col) || c.Generated != nil && mentions(c.Generated.Expr, col) {
			return true
		}
	}
	for _, i := range t.Indexes {
		for _, p := range i.Parts {
			if mentions(p.Expr, col) {
				return true
			}
		}
	}
	return false
}

func dropsIndex(c *schema.AlterTable, name string) bool {
	for _, ch := range c.Changes {
		if d, ok := ch.(*schema.DropIndex); ok && d.I.Name == name {
			return true
		}
		if r, ok := ch.(*schema.RenameIndex); ok && r.From == name {
			return true
		}
	}
	return false
}

// mentions reports whether expr has an identifier token equal to col.
func mentions(expr, col string) bool {
	if expr == "" {
		return false
	}
	toks, err := tokenize(expr)
	if err != nil {
		return true
	}
	for _, t := range toks {
		if (t.kind == tkIdent || t.kind == tkQIdent) && strings.EqualFold(t.name(), col) {
			return true
		}
	}
	return false
}

// canAddColumn reports whether ALTER TABLE ADD COLUMN accepts the column.
func canAddColumn(to *schema.Table, c *schema.Column) bool {
	if inPrimaryKey(to, c.Name) || c.AutoIncrement {
		return false
	}
	if c.Generated != nil && c.Generated.Stored {
		return false
	}
	// Non-constant defaults (CURRENT_TIMESTAMP, expressions) are refused.
	if strings.HasPrefix(c.Default, "(") || strings.HasPrefix(c.Default, "CURRENT_") {
		return false
	}
	if !c.Null && c.Default == "" {
		return false
	}
	for _, f := range to.ForeignKeys {
		if slices.Contains(f.Columns, c.Name) {
			return false
		}
	}
	for _, i := range to.Indexes {
		if strings.HasPrefix(i.Name, autoindexPrefix) && slices.Contains(i.Columns(), c.Name) {
			return false
		}
	}
	for _, ch := range to.Checks {
		if mentions(ch.Expr, c.Name) {
			return false
		}
	}
	return true
}

// rebuild is SQLite's 12-step procedure for schema changes ALTER TABLE
// cannot make (https://www.sqlite.org/lang_altertable.html#otheralter):
// create the new table, copy the rows, drop the old table, rename the new
// one, recreate indexes and triggers. ApplyTx supplies the rest: foreign
// keys off, one transaction, foreign_key_check before commit.
func (d *Dialect) rebuild(c *schema.AlterTable) []string {
	to := c.To
	tmp := rebuildPrefix + to.Name
	// No-ops inside ApplyTx's transaction (which turns enforcement off
	// around it), but they keep DROP TABLE from cascading into child rows
	// should the statements ever run one by one.
	out := []string{"PRAGMA foreign_keys = OFF"}
	out = append(out, createTable(to, tmp)...)
	// Where each new column's rows come from in the old table.
	src := map[string]string{}
	added := map[string]bool{}
	for _, ch := range c.Changes {
		switch ch := ch.(type) {
		case *schema.RenameColumn:
			src[ch.To] = ch.From
		case *schema.ModifyColumn:
			src[ch.To.Name] = ch.From.Name
		case *schema.AddColumn:
			added[ch.C.Name] = true
		}
	}
	var dst, sel []string
	for _, col := range to.Columns {
		if col.Generated != nil || added[col.Name] {
			continue
		}
		from, ok := src[col.Name]
		if !ok {
			from = col.Name
		}
		old := c.From.Column(from)
		if old == nil {
			continue
		}
		dst = append(dst, quoteIdent(col.Name))
		expr := quoteIdent(old.Name)
		if old.Null && !col.Null && col.Default != "" {
			// Rows that had NULL take the default, as they would on insert.
			expr = "COALESCE(" + expr + ", " + defaultSQL(col.Default) + ")"
		}
		sel = append(sel, expr)
	}
	if len(dst) > 0 {
		out = append(out, "INSERT INTO "+quoteIdent(tmp)+" ("+strings.Join(dst, ", ")+") SELECT "+
			strings.Join(sel, ", ")+" FROM "+quoteIdent(c.From.Name))
	}
	if hasAutoIncrement(c.From) && hasAutoIncrement(to) {
		// Keep the AUTOINCREMENT counter: it may be past the highest id
		// copied (deleted rows), and ids must not be handed out twice.
		out = append(out,
			"DELETE FROM sqlite_sequence WHERE name = "+sqliteQuote(tmp),
			"INSERT INTO sqlite_sequence (name, seq) SELECT "+sqliteQuote(tmp)+", seq FROM sqlite_sequence WHERE name = "+
				sqliteQuote(c.From.Name))
	}
	out = append(out,
		"DROP TABLE "+quoteIdent(c.From.Name),
		// Views that read the table would make a checked rename fail while
		// the old table is gone; the legacy rename leaves them alone, and
		// they see the new table once it has the name.
		"PRAGMA legacy_alter_table = ON",
		"ALTER TABLE "+quoteIdent(tmp)+" RENAME TO "+quoteIdent(to.Name),
		"PRAGMA legacy_alter_table = OFF",
	)
	out = append(out, createIndexes(to)...)
	for _, tr := range d.triggers[to.Name] {
		out = append(out, createTrigger(tr))
	}
	return append(out, "PRAGMA foreign_keys = ON")
}
