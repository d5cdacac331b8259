package postgres

import (
	"fmt"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// Generate returns the statements that carry out one change. PostgreSQL's
// DDL is transactional: every statement is, and a revision runs in one
// transaction (ApplyTx), except the online forms of changes to a table
// that exists (o.Online, online.go): CONCURRENTLY and VALIDATE run alone.
func (d *Dialect) Generate(c schema.Change, o dialect.GenOptions) ([]dialect.Stmt, error) {
	var sqls []string
	switch c := c.(type) {
	case *schema.AddTable:
		sqls = d.createTable(c.T)
	case *schema.DropTable:
		sqls = []string{"DROP TABLE " + quoteName(c.T.Name)}
	case *schema.RenameTable:
		sqls = d.renameTable(c)
	case *schema.AlterTable:
		if online(c, o) {
			return d.onlineAlter(c)
		}
		var err error
		if sqls, err = d.alterTable(c); err != nil {
			return nil, err
		}
	case *schema.AddView:
		sqls = createView(c.V)
	case *schema.DropView:
		sqls = []string{"DROP VIEW " + quoteName(c.V.Name)}
	case *schema.ModifyView:
		sqls = append([]string{"DROP VIEW " + quoteName(c.From.Name)}, createView(c.To)...)
	case *schema.AddObject:
		sqls = createObject(c.O)
	case *schema.DropObject:
		sqls = []string{dropObject(c.O)}
	case *schema.ModifyObject:
		if stmts, ok := enumAdditionStmts(c.From, c.To); ok {
			return stmts, nil
		}
		sqls = modifyObject(c.From, c.To)
	case *schema.AddTrigger, *schema.DropTrigger:
		return nil, &dialect.UnsupportedError{Kind: "trigger", Name: objectName(c), Dialect: "PostgreSQL",
			Hint: `PostgreSQL triggers call functions: declare the function and the trigger as object "function" and object "trigger" blocks`}
	case *schema.AddRoutine, *schema.ModifyRoutine, *schema.DropRoutine:
		return nil, &dialect.UnsupportedError{Kind: "routine", Name: objectName(c), Dialect: "PostgreSQL",
			Hint: `declare PostgreSQL functions and procedures as object "function" blocks holding their CREATE FUNCTION statement`}
	case *schema.AddEvent, *schema.ModifyEvent, *schema.DropEvent:
		return nil, &dialect.UnsupportedError{Kind: "event", Name: objectName(c), Dialect: "PostgreSQL", Hint: "schedule jobs with pg_cron or outside the database"}
	default:
		return nil, fmt.Errorf("postgres: unsupported change %T", c)
	}
	out := make([]dialect.Stmt, len(sqls))
	for i, s := range sqls {
		out[i] = dialect.Stmt{SQL: s, Transactional: true}
	}
	return out, nil
}

func objectName(c schema.Change) string {
	switch c := c.(type) {
	case *schema.AddTrigger:
		return c.T.Name
	case *schema.DropTrigger:
		return c.T.Name
	case *schema.AddRoutine:
		return c.R.Name
	case *schema.DropRoutine:
		return c.R.Name
	case *schema.ModifyRoutine:
		return c.To.Name
	case *schema.AddEvent:
		return c.E.Name
	case *schema.DropEvent:
		return c.E.Name
	case *schema.ModifyEvent:
		return c.To.Name
	}
	return ""
}

// typeSQL is a column type as SQL: the model keeps format_type's text.
func typeSQL(t schema.Type) string {
	if len(t.Args) == 0 {
		return t.Name
	}
	args := make([]string, len(t.Args))
	for i, a := range t.Args {
		args[i] = fmt.Sprint(a)
	}
	return t.Name + "(" + strings.Join(args, ",") + ")"
}

// storedType is the type a serial column stores.
func storedType(t schema.Type) string {
	switch t.Name {
	case "serial":
		return "integer"
	case "bigserial":
		return "bigint"
	case "smallserial":
		return "smallint"
	}
	return typeSQL(t)
}

func columnDef(c *schema.Column) string {
	var b strings.Builder
	b.WriteString(quoteIdent(c.Name) + " " + typeSQL(c.Type))
	if c.Collate != "" {
		b.WriteString(" COLLATE " + c.Collate)
	}
	if g := c.Generated; g != nil {
		b.WriteString(" GENERATED ALWAYS AS (" + g.Expr + ") STORED")
	}
	if c.Identity != "" {
		b.WriteString(" GENERATED " + c.Identity + " AS IDENTITY")
		if c.IdentityOptions != "" {
			b.WriteString(" (" + c.IdentityOptions + ")")
		}
	}
	if c.Default != "" {
		b.WriteString(" DEFAULT " + c.Default)
	}
	if !c.Null {
		b.WriteString(" NOT NULL")
	}
	return b.String()
}

func (d *Dialect) pkName(t *schema.Table) string {
	if t.PrimaryKey.Name == "PRIMARY" || t.PrimaryKey.Name == "" {
		return ""
	}
	return "CONSTRAINT " + quoteIdent(t.PrimaryKey.Name) + " "
}

func partList(ix *schema.Index) string {
	parts := make([]string, len(ix.Parts))
	for i, p := range ix.Parts {
		switch {
		case p.Column != "":
			parts[i] = quoteIdent(p.Column)
			if p.Desc {
				parts[i] += " DESC"
			}
		default:
			parts[i] = p.Expr
		}
	}
	return strings.Join(parts, ", ")
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}

func deferral(deferrable, deferred bool) string {
	switch {
	case deferred:
		return " DEFERRABLE INITIALLY DEFERRED"
	case deferrable:
		return " DEFERRABLE"
	}
	return ""
}

func uniqueConstraint(ix *schema.Index) string {
	s := "CONSTRAINT " + quoteIdent(ix.Name) + " UNIQUE "
	if ix.NullsNotDistinct {
		s += "NULLS NOT DISTINCT "
	}
	s += "(" + partList(ix) + ")"
	if len(ix.Include) > 0 {
		s += " INCLUDE (" + quoteList(ix.Include) + ")"
	}
	return s + deferral(ix.Deferrable, ix.InitiallyDeferred)
}

func primaryKey(d *Dialect, t *schema.Table) string {
	s := d.pkName(t) + "PRIMARY KEY (" + partList(t.PrimaryKey) + ")"
	if len(t.PrimaryKey.Include) > 0 {
		s += " INCLUDE (" + quoteList(t.PrimaryKey.Include) + ")"
	}
	return s + deferral(t.PrimaryKey.Deferrable, t.PrimaryKey.InitiallyDeferred)
}

func foreignKey(f *schema.ForeignKey) string {
	s := "CONSTRAINT " + quoteIdent(f.Name) + " FOREIGN KEY (" + quoteList(f.Columns) + ") REFERENCES " +
		quoteName(f.RefTable) + " (" + quoteList(f.RefColumns) + ")"
	if f.Match == "FULL" {
		s += " MATCH FULL"
	}
	if f.OnUpdate != "" && f.OnUpdate != schema.ActionNoAction {
		s += " ON UPDATE " + f.OnUpdate
	}
	if f.OnDelete != "" && f.OnDelete != schema.ActionNoAction {
		s += " ON DELETE " + f.OnDelete
	}
	return s + deferral(f.Deferrable, f.InitiallyDeferred)
}

func check(c *schema.Check) string {
	s := "CONSTRAINT " + quoteIdent(c.Name) + " CHECK (" + c.Expr + ")"
	if c.NoInherit {
		s += " NO INHERIT"
	}
	return s
}

func createIndex(table string, ix *schema.Index) string {
	s := "CREATE "
	if ix.Kind == schema.IndexUnique {
		s += "UNIQUE "
	}
	s += "INDEX " + quoteIdent(ix.Name) + " ON " + quoteName(table)
	if ix.Using != "" {
		s += " USING " + strings.ToLower(ix.Using)
	}
	s += " (" + partList(ix) + ")"
	if len(ix.Include) > 0 {
		s += " INCLUDE (" + quoteList(ix.Include) + ")"
	}
	if ix.NullsNotDistinct {
		s += " NULLS NOT DISTINCT"
	}
	if ix.With != "" {
		s += " WITH (" + ix.With + ")"
	}
	if ix.Where != "" {
		s += " WHERE (" + ix.Where + ")"
	}
	return s
}

// indexName is an index's name qualified with its table's schema (an
// index lives in the schema of its table).
func indexName(table, index string) string {
	if s, _ := splitName(table); s != "" {
		return quoteIdent(s) + "." + quoteIdent(index)
	}
	return quoteIdent(index)
}

func (d *Dialect) createTable(t *schema.Table) []string {
	var defs []string
	for _, c := range t.Columns {
		defs = append(defs, columnDef(c))
	}
	if t.PrimaryKey != nil {
		defs = append(defs, primaryKey(d, t))
	}
	var after []string
	for _, ix := range t.Indexes {
		if ix.Constraint {
			defs = append(defs, uniqueConstraint(ix))
		} else {
			after = append(after, createIndex(t.Name, ix))
		}
		if ix.Comment != "" {
			after = append(after, "COMMENT ON INDEX "+indexName(t.Name, ix.Name)+" IS "+quoteString(ix.Comment))
		}
	}
	for _, f := range t.ForeignKeys {
		defs = append(defs, foreignKey(f))
	}
	for _, c := range t.Checks {
		defs = append(defs, check(c))
	}
	kw := "CREATE TABLE "
	if t.Options.Extra == "unlogged" {
		kw = "CREATE UNLOGGED TABLE "
	}
	s := kw + quoteName(t.Name) + " (\n  " + strings.Join(defs, ",\n  ") + "\n)"
	if p := t.Partition; p != nil {
		s += " PARTITION BY " + p.Method + " (" + p.Expr + ")"
	}
	out := []string{s}
	if p := t.Partition; p != nil {
		for _, d := range p.Definitions {
			out = append(out, createPartition(t.Name, d))
		}
	}
	out = append(out, after...)
	if t.Options.Comment != "" {
		out = append(out, "COMMENT ON TABLE "+quoteName(t.Name)+" IS "+quoteString(t.Options.Comment))
	}
	for _, c := range t.Columns {
		if c.Comment != "" {
			out = append(out, "COMMENT ON COLUMN "+quoteName(t.Name)+"."+quoteIdent(c.Name)+" IS "+quoteString(c.Comment))
		}
	}
	return out
}

func createView(v *schema.View) []string {
	def := strings.TrimSuffix(strings.TrimSpace(v.Definition), ";")
	s := "CREATE VIEW " + quoteName(v.Name) + " AS\n" + def
	if v.CheckOption != "" && v.CheckOption != "NONE" {
		s += "\nWITH " + v.CheckOption + " CHECK OPTION"
	}
	return []string{s}
}

func (d *Dialect) alterTable(c *schema.AlterTable) ([]string, error) {
	table := quoteName(c.To.Name)
	var pre, clauses, post []string
	alter := func(s string) { clauses = append(clauses, s) }
	for _, tc := range c.Changes {
		switch tc := tc.(type) {
		case *schema.AddColumn:
			alter("ADD COLUMN " + columnDef(tc.C))
			if tc.C.Comment != "" {
				post = append(post, "COMMENT ON COLUMN "+table+"."+quoteIdent(tc.C.Name)+" IS "+quoteString(tc.C.Comment))
			}
		case *schema.DropColumn:
			alter("DROP COLUMN " + quoteIdent(tc.C.Name))
		case *schema.RenameColumn:
			pre = append(pre, "ALTER TABLE "+table+" RENAME COLUMN "+quoteIdent(tc.From)+" TO "+quoteIdent(tc.To))
		case *schema.ModifyColumn:
			if tc.From.Name != tc.To.Name {
				pre = append(pre, "ALTER TABLE "+table+" RENAME COLUMN "+quoteIdent(tc.From.Name)+" TO "+quoteIdent(tc.To.Name))
			}
			pr, cs, ps, err := modifyColumn(c.To, tc)
			if err != nil {
				return nil, err
			}
			pre = append(pre, pr...)
			clauses = append(clauses, cs...)
			post = append(post, ps...)
		case *schema.AddIndex:
			if tc.I.Constraint {
				alter("ADD " + uniqueConstraint(tc.I))
			} else {
				post = append(post, createIndex(c.To.Name, tc.I))
			}
			if tc.I.Comment != "" {
				post = append(post, "COMMENT ON INDEX "+indexName(c.To.Name, tc.I.Name)+" IS "+quoteString(tc.I.Comment))
			}
		case *schema.DropIndex:
			if tc.I.Constraint {
				alter("DROP CONSTRAINT " + quoteIdent(tc.I.Name))
			} else {
				pre = append(pre, "DROP INDEX "+indexName(c.From.Name, tc.I.Name))
			}
		case *schema.RenameIndex:
			pre = append(pre, "ALTER INDEX "+indexName(c.From.Name, tc.From)+" RENAME TO "+quoteIdent(tc.To))
		case *schema.AddPrimaryKey:
			t := *c.To
			t.PrimaryKey = tc.I
			alter("ADD " + primaryKey(d, &t))
		case *schema.DropPrimaryKey:
			name := tc.I.Name
			if name == "PRIMARY" || name == "" {
				_, tn := splitName(c.From.Name)
				name = tn + "_pkey"
			}
			alter("DROP CONSTRAINT " + quoteIdent(name))
		case *schema.AddForeignKey:
			alter("ADD " + foreignKey(tc.F))
		case *schema.DropForeignKey:
			alter("DROP CONSTRAINT " + quoteIdent(tc.F.Name))
		case *schema.AddCheck:
			alter("ADD " + check(tc.C))
		case *schema.DropCheck:
			alter("DROP CONSTRAINT " + quoteIdent(tc.C.Name))
		case *schema.ModifyOptions:
			if tc.From.Comment != tc.To.Comment {
				post = append(post, "COMMENT ON TABLE "+table+" IS "+commentValue(tc.To.Comment))
			}
			if tc.From.Extra != tc.To.Extra {
				if tc.To.Extra == "unlogged" {
					alter("SET UNLOGGED")
				} else {
					alter("SET LOGGED")
				}
			}
		case *schema.ModifyPartition:
			if s, ok := partitionChanges(c.To.Name, tc.From, tc.To); ok {
				post = append(post, s...)
				break
			}
			return nil, fmt.Errorf("table %s: changing how a table is partitioned needs a new table; create it, copy the rows and swap the names by hand", c.To.Name)
		default:
			return nil, fmt.Errorf("table %s: unsupported change %T", c.To.Name, tc)
		}
	}
	out := pre
	if len(clauses) > 0 {
		out = append(out, "ALTER TABLE "+table+"\n  "+strings.Join(clauses, ",\n  "))
	}
	return append(out, post...), nil
}

// renameTable moves a table to another schema (SET SCHEMA) and renames it
// (RENAME TO), keeping its rows. PostgreSQL 15 moves the table's indexes,
// constraints and owned sequences (serial and identity) along with it,
// and a column default that takes a serial's next value follows the
// sequence; a rename renames none of them. So when the name changes, a
// serial's sequence and a primary key named after the table are renamed
// too, under the names a table created with the new name would give them,
// which is what inspection (and a model of the new name) expects.
func (d *Dialect) renameTable(c *schema.RenameTable) []string {
	fs, fn := splitName(c.From)
	ts, tn := splitName(c.To)
	var out []string
	name := c.From
	if d.schemaOf(fs) != d.schemaOf(ts) {
		out = append(out, "ALTER TABLE "+quoteName(c.From)+" SET SCHEMA "+quoteIdent(d.schemaOf(ts)))
		name = d.modelName(d.schemaOf(ts), fn)
	}
	if fn == tn {
		return out
	}
	out = append(out, "ALTER TABLE "+quoteName(name)+" RENAME TO "+quoteIdent(tn))
	if c.T == nil {
		return out
	}
	for _, col := range c.T.Columns {
		if storedType(col.Type) == typeSQL(col.Type) {
			continue
		}
		from, to := serialName(fn, col.Name), serialName(tn, col.Name)
		if len(from) > maxIdent || len(to) > maxIdent {
			continue // the server truncated (or would truncate) the name: not one inspection reads as a serial's
		}
		out = append(out, "ALTER SEQUENCE "+quoteName(d.modelName(d.schemaOf(ts), from))+" RENAME TO "+quoteIdent(to))
	}
	if pk := c.T.PrimaryKey; pk != nil && (pk.Name == "PRIMARY" || pk.Name == "") {
		out = append(out, "ALTER INDEX "+quoteName(d.modelName(d.schemaOf(ts), fn+"_pkey"))+" RENAME TO "+quoteIdent(tn+"_pkey"))
	}
	return out
}

// maxIdent is the longest identifier PostgreSQL keeps (NAMEDATALEN - 1
// bytes); longer ones are truncated.
const maxIdent = 63

// schemaOf is the schema a model name's schema part names: the current
// schema for "".
func (d *Dialect) schemaOf(nsp string) string {
	if nsp == "" {
		return d.Schema
	}
	return nsp
}

// createPartition creates a partition of table.
func createPartition(table string, d schema.PartitionDef) string {
	return "CREATE TABLE " + quoteName(d.Name) + " PARTITION OF " + quoteName(table) + " " + d.Values
}

// partitionChanges creates and drops partitions when the partitioning
// itself stays; ok is false for any other change (method, key, a
// partition's bounds).
func partitionChanges(table string, from, to *schema.Partition) ([]string, bool) {
	if from == nil || to == nil || from.Method != to.Method || from.Expr != to.Expr {
		return nil, false
	}
	old := map[string]string{}
	for _, d := range from.Definitions {
		old[d.Name] = d.Values
	}
	var out []string
	kept := map[string]bool{}
	for _, d := range to.Definitions {
		v, ok := old[d.Name]
		switch {
		case !ok:
			out = append(out, createPartition(table, d))
		case v != d.Values:
			return nil, false
		}
		kept[d.Name] = true
	}
	for _, d := range from.Definitions {
		if !kept[d.Name] {
			out = append([]string{"DROP TABLE " + quoteName(d.Name)}, out...)
		}
	}
	return out, true
}

func commentValue(s string) string {
	if s == "" {
		return "NULL"
	}
	return quoteString(s)
}

// modifyColumn returns the statements before the ALTER TABLE of a changed
// column, its clauses and the statements after it (comments).
func modifyColumn(t *schema.Table, mc *schema.ModifyColumn) (pre, clauses, post []string, err error) {
	from, to := mc.From, mc.To
	col := quoteIdent(to.Name)
	a := func(s string) { clauses = append(clauses, "ALTER COLUMN "+col+" "+s) }
	if !generatedEqual(from.Generated, to.Generated) {
		switch {
		case to.Generated == nil:
			a("DROP EXPRESSION")
		default:
			return nil, nil, nil, fmt.Errorf("column %s.%s: PostgreSQL cannot change a column into a generated one or change its expression in place; "+
				"add a new generated column and drop this one (renamed_from does not apply)", t.Name, to.Name)
		}
	}
	fromSerial, toSerial := storedType(from.Type) != typeSQL(from.Type), storedType(to.Type) != typeSQL(to.Type)
	if storedType(from.Type) != storedType(to.Type) {
		st := storedType(to.Type)
		u := using(col, storedType(from.Type), st)
		if u != "" && from.Default != "" && !fromSerial && from.Identity == "" {
			// The old default may not cast to the new type: it goes first
			// (and the new one is set after the retype).
			pre = append(pre, "ALTER TABLE "+quoteName(t.Name)+" ALTER COLUMN "+col+" DROP DEFAULT")
			from = &schema.Column{Name: from.Name, Type: from.Type, Null: from.Null, Identity: from.Identity, Comment: from.Comment, Collate: from.Collate}
		}
		a("TYPE " + st + u)
		if fromSerial && toSerial {
			// The serial's sequence counts in the column's type.
			ts, tn := splitName(t.Name)
			seq := serialName(tn, to.Name)
			if ts != "" {
				seq = ts + "." + seq
			}
			post = append(post, "ALTER SEQUENCE "+quoteName(seq)+" AS "+st)
		}
	}
	if fromSerial && !toSerial {
		a("DROP DEFAULT")
	}
	if toSerial && !fromSerial {
		return nil, nil, nil, fmt.Errorf("column %s.%s: an existing column cannot become %s; use an identity column (identity = \"BY DEFAULT\")", t.Name, to.Name, to.Type.Name)
	}
	if from.Identity != to.Identity {
		switch {
		case to.Identity == "":
			a("DROP IDENTITY")
		case from.Identity == "":
			if from.Default != "" {
				a("DROP DEFAULT")
			}
			s := "ADD GENERATED " + to.Identity + " AS IDENTITY"
			if to.IdentityOptions != "" {
				s += " (" + to.IdentityOptions + ")"
			}
			a(s)
		default:
			a("SET GENERATED " + to.Identity)
		}
	}
	if from.Identity != "" && to.Identity != "" && from.IdentityOptions != to.IdentityOptions {
		a(identitySet(storedType(to.Type), to.IdentityOptions))
	}
	if from.Default != to.Default && to.Identity == "" {
		if to.Default == "" {
			if !(fromSerial && !toSerial) {
				a("DROP DEFAULT")
			}
		} else {
			a("SET DEFAULT " + to.Default)
		}
	}
	if from.Null != to.Null {
		if to.Null {
			a("DROP NOT NULL")
		} else {
			a("SET NOT NULL")
		}
	}
	if from.Collate != to.Collate && storedType(from.Type) == storedType(to.Type) {
		c := to.Collate
		if c == "" {
			c = `"default"`
		}
		a("TYPE " + storedType(to.Type) + " COLLATE " + c)
	}
	if from.Comment != to.Comment {
		post = append(post, "COMMENT ON COLUMN "+quoteName(t.Name)+"."+col+" IS "+commentValue(to.Comment))
	}
	return pre, clauses, post, nil
}

// identitySet is the ALTER COLUMN clause that sets every option of an
// identity's sequence to opts, defaults for those opts leaves out.
func identitySet(typ, opts string) string {
	f := strings.Fields(opts)
	val := func(key string) (string, bool) {
		for i := 0; i+1 < len(f); i++ {
			if f[i] == key {
				return f[i+1], true
			}
		}
		return "", false
	}
	inc, _ := val("BY")
	if inc == "" {
		inc = "1"
	}
	neg := strings.HasPrefix(inc, "-")
	lo, hi := typeRange(typ)
	dmin, dmax := "1", fmt.Sprint(hi)
	if neg {
		dmin, dmax = fmt.Sprint(lo), "-1"
	}
	get := func(key, def string) string {
		if v, ok := val(key); ok {
			return v
		}
		return def
	}
	minv, maxv := get("MINVALUE", dmin), get("MAXVALUE", dmax)
	start := minv
	if neg {
		start = maxv
	}
	start = get("WITH", start)
	s := "SET INCREMENT BY " + inc + " SET MINVALUE " + minv + " SET MAXVALUE " + maxv +
		" SET START WITH " + start + " SET CACHE " + get("CACHE", "1")
	if strings.HasSuffix(opts, "CYCLE") {
		s += " SET CYCLE"
	} else {
		s += " SET NO CYCLE"
	}
	return s
}

// using is the USING clause of a type change: none where the server's
// assignment cast applies (it refuses a value that does not fit, where an
// explicit cast to a shorter string or bit type would cut it), else an
// explicit cast (text to integer, which the server will not do unasked).
func using(col, from, to string) string {
	if baseType(from) == baseType(to) || stringType(from) && stringType(to) || numericType(from) && numericType(to) {
		return ""
	}
	if !builtinType(from) || !builtinType(to) {
		// Enums and domains cast to and from text, not to each other.
		return " USING " + col + "::text::" + to
	}
	return " USING " + col + "::" + to
}

// baseType is a type name without its modifiers: "character varying(20)"
// is "character varying", "timestamp(3) with time zone" "timestamp with
// time zone".
func baseType(t string) string {
	for {
		i := strings.IndexByte(t, '(')
		if i < 0 {
			return t
		}
		j := strings.IndexByte(t[i:], ')')
		if j < 0 {
			return t
		}
		t = t[:i] + t[i+j+1:]
	}
}

// builtinType reports whether t is one of PostgreSQL's own types rather
// than the database's (enums, domains: a schema-qualified or unknown name).
func builtinType(t string) bool {
	b := strings.TrimSuffix(baseType(t), "[]")
	if strings.Contains(b, ".") || strings.Contains(b, `"`) {
		return false
	}
	_, ok := postgresTypes[b]
	return ok
}

func stringType(t string) bool {
	switch baseType(t) {
	case "text", "character varying", "character", "bit", "bit varying", "name", "citext":
		return true
	}
	return false
}

func numericType(t string) bool {
	switch baseType(t) {
	case "smallint", "integer", "bigint", "numeric", "real", "double precision":
		return true
	}
	return false
}

func generatedEqual(a, b *schema.Generated) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// createObject is an object's definition, then its comment.
func createObject(o *schema.Object) []string {
	out := splitDefinition(o)
	if o.Comment != "" {
		out = append(out, "COMMENT ON "+commentTarget(o)+" IS "+quoteString(o.Comment))
	}
	return out
}

// splitDefinition is an object's definition as statements: a row_security
// object holds one ALTER TABLE a line; everything else is one statement.
func splitDefinition(o *schema.Object) []string {
	if o.Kind == "row_security" {
		return strings.Split(o.Definition, ";\n")
	}
	if o.Kind == "function" || o.Kind == "procedure" {
		// Bodies are checked when they run: a function may read tables
		// created after it, as pg_dump restores them.
		return []string{"SET LOCAL check_function_bodies = off", o.Definition}
	}
	return []string{o.Definition}
}

// commentTarget is what COMMENT ON names for an object.
func commentTarget(o *schema.Object) string {
	switch o.Kind {
	case "function", "procedure", "schema", "type", "domain", "sequence", "extension", "collation":
		return strings.ToUpper(o.Kind) + " " + objectRef(o)
	case "materialized_view":
		return "MATERIALIZED VIEW " + quoteName(o.Name)
	}
	return strings.ToUpper(o.Kind) + " " + o.Name
}

// objectRef is an object's name as DROP and COMMENT take it.
func objectRef(o *schema.Object) string {
	switch o.Kind {
	case "schema", "extension":
		return quoteIdent(o.Name)
	case "function", "procedure":
		i := strings.IndexByte(o.Name, '(')
		return quoteName(o.Name[:i]) + o.Name[i:]
	case "trigger", "policy", "constraint":
		name, table, _ := strings.Cut(o.Name, " on ")
		return quoteIdent(name) + " ON " + quoteName(table)
	case "materialized_view_index":
		return quoteName(o.Name)
	}
	return quoteName(o.Name)
}

func dropObject(o *schema.Object) string {
	switch o.Kind {
	case "comment":
		return "COMMENT ON " + o.Name + " IS NULL"
	case "sequence_owner":
		return "ALTER SEQUENCE " + quoteName(o.Name) + " OWNED BY NONE"
	case "row_security":
		var out []string
		for _, s := range strings.Split(o.Definition, ";\n") {
			s = strings.Replace(s, " ENABLE ROW LEVEL SECURITY", " DISABLE ROW LEVEL SECURITY", 1)
			s = strings.Replace(s, " FORCE ROW LEVEL SECURITY", " NO FORCE ROW LEVEL SECURITY", 1)
			out = append(out, s)
		}
		return strings.Join(out, ";\n")
	case "materialized_view":
		return "DROP MATERIALIZED VIEW " + quoteName(o.Name)
	case "constraint":
		name, table, _ := strings.Cut(o.Name, " on ")
		return "ALTER TABLE " + quoteName(table) + " DROP CONSTRAINT " + quoteIdent(name)
	case "materialized_view_index":
		return "DROP INDEX " + quoteName(o.Name)
	}
	return "DROP " + strings.ToUpper(o.Kind) + " " + objectRef(o)
}

// modifyObject changes an object in place where PostgreSQL can: a comment
// or policy is replaced, a function replaced (CREATE OR REPLACE), an enum
// gains its new values; anything else is dropped and created again.
func modifyObject(from, to *schema.Object) []string {
	if from.Definition == to.Definition {
		return []string{"COMMENT ON " + commentTarget(to) + " IS " + commentValue(to.Comment)}
	}
	switch to.Kind {
	case "comment", "sequence_owner":
		return createObject(to)
	case "function", "procedure":
		// CREATE OR REPLACE keeps the function's identity but cannot change
		// what it returns.
		if strings.HasPrefix(to.Definition, "CREATE OR REPLACE ") && returnsClause(from.Definition) == returnsClause(to.Definition) {
			return createObject(to)
		}
		if strings.HasPrefix(to.Definition, "CREATE OR REPLACE ") {
			return append([]string{dropObject(from)}, createObject(to)...)
		}
	case "row_security":
		return append([]string{dropObject(from)}, createObject(to)...)
	}
	return append([]string{dropObject(from)}, createObject(to)...)
}

// returnsClause is the RETURNS line of a function's definition, as
// pg_get_functiondef writes it (canonical for comparison).
func returnsClause(def string) string {
	for _, l := range strings.Split(def, "\n") {
		if t := strings.TrimSpace(l); strings.HasPrefix(strings.ToUpper(t), "RETURNS ") {
			return canonicalSQL(t)
		}
	}
	return ""
}

// enumAdditions returns ALTER TYPE ... ADD VALUE statements when the enum
// of to is that of from with values added (in any places); ok is false
// for any other change. Each runs alone, committed before the statements
// after it: the server refuses a value added in the same transaction
// ("unsafe use of new value"), and a plan adding a value usually uses it
// (a default, a check, a data migration). IF NOT EXISTS lets a run that
// died after one committed run it again.
func enumAdditions(from, to string) ([]string, bool) {
	fv, ok1 := enumValues(from)
	tv, ok2 := enumValues(to)
	if !ok1 || !ok2 {
		return nil, false
	}
	head := to[:strings.Index(to, " AS ENUM")]
	name := strings.TrimPrefix(head, "CREATE TYPE ")
	var out []string
	j := 0
	for i, v := range tv {
		if j < len(fv) && fv[j] == v {
			j++
			continue
		}
		s := "ALTER TYPE " + name + " ADD VALUE IF NOT EXISTS " + v
		if i+1 < len(tv) && j < len(fv) {
			s += " BEFORE " + fv[j]
		}
		out = append(out, s)
	}
	if j != len(fv) {
		return nil, false // a value was removed or reordered
	}
	return out, true
}

// enumAdditionStmts are the statements of a type changed only by values
// added to its enum, each running alone (see enumAdditions); ok is false
// for any other change of an object.
func enumAdditionStmts(from, to *schema.Object) (stmts []dialect.Stmt, ok bool) {
	if to.Kind != "type" || from.Definition == to.Definition {
		return nil, false
	}
	add, ok := enumAdditions(from.Definition, to.Definition)
	for _, s := range add {
		stmts = append(stmts, dialect.Stmt{SQL: s})
	}
	return stmts, ok
}

func enumValues(def string) ([]string, bool) {
	_, rest, ok := strings.Cut(def, " AS ENUM (")
	if !ok {
		return nil, false
	}
	return splitList(strings.TrimSuffix(rest, ")")), true
}
