package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

var _ dialect.Dialect = (*Dialect)(nil)

// revisionsTable and eventsTable are Strata's own history tables (the
// revision package's Table and EventTable); they are never part of a model.
const (
	revisionsTable = "strata_revisions"
	eventsTable    = "strata_revision_events"
)

func historyTable(name string) bool { return name == revisionsTable || name == eventsTable }

// Inspect reads the schema of the connection's current database with a fixed
// number of bulk information_schema queries (one per catalog table, filtered
// on DATABASE()), whatever the number of tables, then one SHOW CREATE per
// table and trigger for the facts information_schema loses (see exact).
//
// q decides how they travel. On a Reader (what the CLI passes) the bulk
// queries run concurrently and the SHOW CREATE statements go out as a few
// batched requests: the number of round trips does not grow with the
// schema. On a *sql.DB the bulk queries run concurrently and every
// statement is a request of its own; on one session (*sql.Conn, *sql.Tx)
// everything runs in turn. The model is the same on every path.
func (d *Dialect) Inspect(ctx context.Context, q dialect.Querier) (*schema.Schema, error) {
	return d.inspect(ctx, q, nil)
}

var _ dialect.TableInspector = (*Dialect)(nil)

// InspectTables is Inspect for the named tables only (those that exist),
// without views and triggers: the same queries, each filtered on the
// names, so that it costs what the tables cost rather than the schema.
func (d *Dialect) InspectTables(ctx context.Context, q dialect.Querier, names []string) (*schema.Schema, error) {
	if names == nil {
		names = []string{}
	}
	return d.inspect(ctx, q, names)
}

// inspect reads the whole schema (only == nil) or the tables named in only.
func (d *Dialect) inspect(ctx context.Context, q dialect.Querier, only []string) (*schema.Schema, error) {
	in := &inspector{d: d, q: q, tables: map[string]*schema.Table{}, tableColl: map[string]string{}, partitioned: map[string]bool{}}
	if only != nil {
		in.onlyArgs = make([]any, 0, len(only))
		for _, name := range only {
			in.onlyArgs = append(in.onlyArgs, name)
		}
	}
	type step struct {
		what string
		fn   func(context.Context) error
	}
	run := func(s step) error {
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("inspect %s: %w", s.what, err)
		}
		return nil
	}
	if err := run(step{"schema", in.schemata}); err != nil {
		return nil, err
	}
	// The other queries fill their own fields of the tables that
	// readTables creates; they read the table map only after gate closes.
	rest := []step{
		{"columns", in.columns},
		{"indexes", in.indexes},
		{"foreign keys", in.foreignKeys},
		{"checks", in.checks},
	}
	if !in.filtered() {
		rest = append(rest, step{"views", in.views}, step{"triggers", in.triggers},
			step{"routines", in.routines}, step{"events", in.events}, step{"privileges", in.readGrants})
	} else if len(in.onlyArgs) == 0 {
		return in.s, nil
	}
	gate := make(chan struct{})
	in.gate = gate
	if db := poolOf(q); db != nil && (db.Stats().MaxOpenConnections == 0 || db.Stats().MaxOpenConnections > len(rest)) {
		// On a pool the queries run on several connections at once: the
		// server materializes them together, opening each table definition
		// once for all, which matters when the schema outgrows its table
		// caches (10,000 tables: 3x faster). Rows are consumed once the
		// table map is complete, so every query needs its own connection:
		// a smaller pool limit would deadlock.
		errs := make([]error, len(rest)+1)
		var wg sync.WaitGroup
		for i, s := range rest {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = run(s)
			}()
		}
		errs[len(rest)] = run(step{"tables", in.readTables})
		close(gate)
		if r, ok := q.(*Reader); ok && errs[len(rest)] == nil {
			// The tables' SHOW CREATE statements need only the table
			// names: they go out while the bulk queries still run, and
			// their text is applied once those are done.
			in.creates = make([]string, len(in.s.Tables))
			in.createFKs = make([][]*schema.ForeignKey, len(in.s.Tables))
			stmts := in.tableStatements()
			wg.Go(func() {
				if err := exactBatched(ctx, r, stmts); err != nil {
					in.createsErr = fmt.Errorf("inspect exact facts: %w", err)
				}
			})
		}
		wg.Wait()
		if err := errors.Join(append(errs, in.createsErr)...); err != nil {
			return nil, err
		}
	} else {
		err := run(step{"tables", in.readTables})
		close(gate)
		if err != nil {
			return nil, err
		}
		for _, s := range rest {
			if err := run(s); err != nil {
				return nil, err
			}
		}
	}
	in.applyChecks()
	in.viewDeps()
	if !in.filtered() {
		in.checkObjectsSeen()
	}
	if d.Flavor == MySQL && !in.filtered() {
		if err := run(step{"view algorithms", in.mysqlViewAlgorithms}); err != nil {
			return nil, err
		}
	}
	if err := run(step{"exact facts", in.exact}); err != nil {
		return nil, err
	}
	// information_schema sorts names case-insensitively; the model orders
	// them by byte, as names are case-sensitive.
	sort.Slice(in.s.Tables, func(i, j int) bool { return in.s.Tables[i].Name < in.s.Tables[j].Name })
	sort.Slice(in.s.Views, func(i, j int) bool { return in.s.Views[i].Name < in.s.Views[j].Name })
	sort.SliceStable(in.s.Triggers, func(i, j int) bool {
		a, b := in.s.Triggers[i], in.s.Triggers[j]
		if a.Table != b.Table {
			return a.Table < b.Table
		}
		return a.Name < b.Name
	})
	for _, t := range in.s.Tables {
		sort.Slice(t.ForeignKeys, func(i, j int) bool { return t.ForeignKeys[i].Name < t.ForeignKeys[j].Name })
		sort.Slice(t.Checks, func(i, j int) bool { return t.Checks[i].Name < t.Checks[j].Name })
	}
	return in.s, nil
}

// poolOf returns the pool behind q when q can run queries on several
// connections at once (a *sql.DB or a Reader), nil for one session.
func poolOf(q dialect.Querier) *sql.DB {
	switch q := q.(type) {
	case *sql.DB:
		return q
	case *Reader:
		return q.db
	}
	return nil
}

type inspector struct {
	d *Dialect
	q dialect.Querier
	// onlyArgs, when not nil, names the only tables read (see tablesIn).
	onlyArgs  []any
	s         *schema.Schema
	tables    map[string]*schema.Table
	tableColl map[string]string // table name → TABLE_COLLATION
	// partitioned names the tables whose CREATE_OPTIONS say "partitioned".
	partitioned map[string]bool
	// lossy names the tables with a binary default that information_schema
	// shows with '?' for bytes that are not UTF-8.
	lossy map[string]bool
	// gate is closed once the table map is complete; queries that look
	// tables up wait for it before reading rows.
	gate <-chan struct{}
	// checks are the CHECK_CONSTRAINTS rows, applied once columns are read.
	pendingChecks []inspectCheck
	// creates holds, per table of s.Tables (in their order when read), the
	// SHOW CREATE TABLE text exact applies; createsErr is the error of
	// reading them ahead.
	creates    []string
	createsErr error
	// user is CURRENT_USER() as GRANT names it ('app'@'%'); triggerGrant
	// and objectGrant what SHOW GRANTS says of triggers, routines and
	// events, grantsUnknown why it could not be read (see privileges.go).
	user          string
	triggerGrant  triggerGrant
	objectGrant   objectGrant
	grantsUnknown string
	// createFKs holds, per table of s.Tables, the foreign keys its SHOW
	// CREATE TABLE lists, and unruled names the tables with a foreign key
	// that REFERENTIAL_CONSTRAINTS did not show (see exactForeignKeys).
	createFKs [][]*schema.ForeignKey
	unruled   map[string]bool
}

type inspectCheck struct {
	t                   *schema.Table
	name, level, clause string
}

// query runs one bulk query and calls row for every row, after the table
// map is complete; dest are the destinations row reads.
func (in *inspector) query(ctx context.Context, query string, dest []any, row func() error) error {
	return in.queryGated(ctx, in.gate, query, dest, row)
}

// queryGated is query that waits for gate (if not nil) instead.
func (in *inspector) queryGated(ctx context.Context, gate <-chan struct{}, query string, dest []any, row func() error) error {
	var args []any
	if strings.Contains(query, "?") {
		// The only placeholders of these queries are tablesIn's.
		args = in.onlyArgs
	}
	rows, err := in.q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := row(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

func (in *inspector) schemata(ctx context.Context) error {
	in.s = &schema.Schema{}
	var name, cs, coll, user sql.NullString
	found := false
	err := in.queryGated(ctx, nil, `SELECT DATABASE(), DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME, CURRENT_USER()
FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()`, []any{&name, &cs, &coll, &user}, func() error {
		found = true
		return nil
	})
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("the connection has no current database (DATABASE() is NULL): name one in the URL")
	}
	in.s.Name, in.s.Charset, in.s.Collate = name.String, cs.String, coll.String
	in.user = grantsAccount(user.String)
	return nil
}

// filtered reports whether only some tables are read.
func (in *inspector) filtered() bool { return in.onlyArgs != nil }

// tablesIn is the condition that keeps the rows of the tables read, for
// column col: none when the whole schema is read.
func (in *inspector) tablesIn(col string) string {
	if !in.filtered() {
		return ""
	}
	return " AND " + col + " IN (?" + strings.Repeat(", ?", len(in.onlyArgs)-1) + ")"
}

// table returns the table a row belongs to, or nil for rows of tables that
// are not modelled (strata_revisions, views). The map lookup with a
// converted []byte key does not allocate.
func (in *inspector) table(name sql.RawBytes) *schema.Table {
	return in.tables[string(name)]
}

func (in *inspector) readTables(ctx context.Context) error {
	var (
		name                           string
		engine, coll, options, comment sql.NullString
		autoInc                        sql.NullInt64
	)
	return in.queryGated(ctx, nil, `SELECT TABLE_NAME, ENGINE, TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT, AUTO_INCREMENT
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'`+in.tablesIn("TABLE_NAME")+`
ORDER BY TABLE_NAME`, []any{&name, &engine, &coll, &options, &comment, &autoInc}, func() error {
		if historyTable(name) {
			return nil
		}
		t := &schema.Table{Name: name}
		t.Options.Engine = engine.String
		t.Options.Collate = coll.String
		t.Options.Charset = inspectCharsetOf(coll.String)
		t.Options.Comment = comment.String
		if autoInc.Valid && autoInc.Int64 > 1 {
			t.Options.AutoIncrement = autoInc.Int64
		}
		var extra []string
		for _, opt := range inspectSplitOptions(options.String) {
			low := strings.ToLower(opt)
			switch {
			case low == "partitioned":
				in.partitioned[name] = true
			case strings.HasPrefix(low, "row_format="):
				t.Options.RowFormat = strings.ToUpper(opt[len("row_format="):])
			default:
				extra = append(extra, low)
			}
		}
		t.Options.Extra = strings.Join(extra, " ")
		in.tables[name] = t
		in.tableColl[name] = coll.String
		in.s.Tables = append(in.s.Tables, t)
		return nil
	})
}

// inspectSplitOptions splits CREATE_OPTIONS on spaces outside quotes:
// "row_format=COMPRESSED `PAGE_COMPRESSED`='1'".
func inspectSplitOptions(s string) []string {
	var out []string
	start, quote := -1, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '`' || c == '"':
			quote = c
			if start < 0 {
				start = i
			}
		case c == ' ':
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// inspectCharsetOf returns the character set a collation belongs to: the
// part before the first underscore (utf8mb4_bin → utf8mb4), binary → binary.
func inspectCharsetOf(collation string) string {
	if i := strings.IndexByte(collation, '_'); i > 0 {
		return collation[:i]
	}
	return collation
}

// interner shares equal short strings: a large schema repeats the same
// column names, types, comments, collations and defaults thousands of
// times, and the inspected model keeps them all.
type interner map[string]string

const (
	internMaxLen  = 64
	internMaxSize = 8192
)

func (m interner) bytes(b []byte) string {
	if len(b) > internMaxLen {
		return string(b)
	}
	if s, ok := m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(m) < internMaxSize {
		m[s] = s
	}
	return s
}

func (m interner) str(s string) string {
	if len(s) > internMaxLen {
		return s
	}
	if shared, ok := m[s]; ok {
		return shared
	}
	if len(m) < internMaxSize {
		m[s] = s
	}
	return s
}

func (in *inspector) columns(ctx context.Context) error {
	var (
		// NOT NULL columns are read as bytes, and kept as shared strings.
		tname, name, nullable, ctype, extra, comment sql.RawBytes
		def, cs, coll, genExpr                       sql.NullString
	)
	mariadb := in.d.Flavor != MySQL
	strs := interner{}
	return in.query(ctx, `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_DEFAULT, IS_NULLABLE, COLUMN_TYPE,
CHARACTER_SET_NAME, COLLATION_NAME, EXTRA, COLUMN_COMMENT, GENERATION_EXPRESSION
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE()`+in.tablesIn("TABLE_NAME")+`
ORDER BY TABLE_NAME, ORDINAL_POSITION`,
		[]any{&tname, &name, &def, &nullable, &ctype, &cs, &coll, &extra, &comment, &genExpr}, func() error {
			t := in.table(tname)
			if t == nil {
				return nil
			}
			typ, err := inspectParseColumnType(string(ctype))
			if err != nil {
				return fmt.Errorf("table %q column %q: %w", t.Name, name, err)
			}
			typ.Name = strs.str(typ.Name)
			c := &schema.Column{Name: strs.bytes(name), Type: typ, Null: string(nullable) == "YES", Comment: strs.bytes(comment)}
			if coll.Valid && coll.String != in.tableColl[t.Name] {
				c.Collate = strs.str(coll.String)
				c.Charset = strs.str(cs.String)
				if c.Charset == "" {
					c.Charset = strs.str(inspectCharsetOf(coll.String))
				}
			}
			inspectExtra(c, strs.bytes(extra))
			if c.Generated != nil {
				c.Generated.Expr = genExpr.String
			}
			switch {
			case c.Generated != nil || c.AutoIncrement:
				// The server reports the string NULL for generated
				// columns, but they take no DEFAULT clause.
			case !def.Valid:
				if !mariadb && c.Null {
					// MySQL reports SQL NULL for DEFAULT NULL too.
					c.Default = "NULL"
				}
			case mariadb:
				c.Default = strs.str(def.String)
				if strings.IndexByte(c.Default, '?') >= 0 && inspectIsBinary(c.Type.Name) {
					if in.lossy == nil {
						in.lossy = map[string]bool{}
					}
					in.lossy[t.Name] = true
				}
			default:
				c.Default = strs.str(inspectMySQLDefault(c, def.String, string(extra)))
			}
			t.Columns = append(t.Columns, c)
			return nil
		})
}

// inspectExtra reads COLUMNS.EXTRA: "auto_increment", "on update
// current_timestamp(3)", "VIRTUAL GENERATED, INVISIBLE", "STORED GENERATED".
func inspectExtra(c *schema.Column, extra string) {
	for _, part := range strings.Split(extra, ",") {
		part = strings.TrimSpace(part)
		low := strings.ToLower(part)
		switch {
		case low == "":
		case low == "auto_increment":
			c.AutoIncrement = true
		case low == "invisible":
			c.Invisible = true
		case low == "virtual generated":
			c.Generated = &schema.Generated{}
		case low == "stored generated":
			c.Generated = &schema.Generated{Stored: true}
		default:
			// MySQL: "DEFAULT_GENERATED on update CURRENT_TIMESTAMP".
			if i := strings.Index(low, "on update "); i >= 0 {
				c.OnUpdate = normalizeTimeFunc(strings.TrimSpace(part[i+len("on update "):]))
			}
		}
	}
}

// inspectMySQLDefault turns MySQL's COLUMN_DEFAULT (unquoted literals,
// expressions flagged DEFAULT_GENERATED in EXTRA) into the canonical text.
func inspectMySQLDefault(c *schema.Column, def, extra string) string {
	if strings.Contains(strings.ToUpper(extra), "DEFAULT_GENERATED") {
		if f := normalizeTimeFunc(def); f != def {
			return f
		}
		return "(" + def + ")"
	}
	switch {
	case normalizeIsNumeric(c.Type.Name):
		return def
	case c.Type.Name == "bit":
		return def
	}
	return QuoteString(def)
}

// inspectParseColumnType parses COLUMN_TYPE (or a SHOW CREATE TABLE type):
// "int(10) unsigned zerofill", "decimal(10,2)", "enum('a','it”s')",
// "varchar(191)", "double", "point".
func inspectParseColumnType(s string) (schema.Type, error) {
	var t schema.Type
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] != '(' && s[i] != ' ' {
		i++
	}
	t.Name = strings.ToLower(s[:i])
	rest := s[i:]
	if strings.HasPrefix(rest, "(") {
		if t.Name == "enum" || t.Name == "set" {
			vals, n, err := inspectParseValues(rest)
			if err != nil {
				return t, fmt.Errorf("type %q: %w", s, err)
			}
			t.Values = vals
			rest = rest[n:]
		} else {
			end := strings.IndexByte(rest, ')')
			if end < 0 {
				return t, fmt.Errorf("type %q: unbalanced parenthesis", s)
			}
			for _, a := range strings.Split(rest[1:end], ",") {
				n, err := strconv.Atoi(strings.TrimSpace(a))
				if err != nil {
					return t, fmt.Errorf("type %q: bad argument %q", s, a)
				}
				t.Args = append(t.Args, n)
			}
			rest = rest[end+1:]
		}
	}
	for _, w := range strings.Fields(strings.ToLower(rest)) {
		switch w {
		case "unsigned":
			t.Unsigned = true
		case "zerofill":
			t.Zerofill = true
			t.Unsigned = true
		}
	}
	return t, nil
}

// inspectParseValues parses an enum/set member list starting at "(":
// ('a','it”s','x,y','back\\slash'). It returns the unquoted values and the
// number of bytes consumed.
func inspectParseValues(s string) ([]string, int, error) {
	if !strings.HasPrefix(s, "(") {
		return nil, 0, fmt.Errorf("no value list")
	}
	vals := []string{}
	i := 1
	for i < len(s) {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i < len(s) && s[i] == ')' {
			return vals, i + 1, nil
		}
		if i >= len(s) || (s[i] != '\'' && s[i] != '"') {
			return nil, 0, fmt.Errorf("value list: expected a quoted string at %d", i)
		}
		v, n, err := sctUnquoteString(s[i:])
		if err != nil {
			return nil, 0, err
		}
		vals = append(vals, v)
		i += n
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i < len(s) && s[i] == ',' {
			i++
		}
	}
	return nil, 0, fmt.Errorf("value list: missing )")
}

func (in *inspector) indexes(ctx context.Context) error {
	var (
		// NOT NULL columns are read as bytes, and kept as shared strings.
		tname, iname, column, itype, comment sql.RawBytes
		nonUnique, seq                       int
		collation, ignored                   sql.NullString
		subPart                              sql.NullInt64
	)
	strs := interner{}
	// Per table, the index currently being filled: STATISTICS lists an
	// index's parts together, in SEQ_IN_INDEX order, and indexes in the
	// server's key order, which the model keeps.
	byName := map[*schema.Table]map[string]*schema.Index{}
	// MySQL 8 has invisible indexes and functional key parts (COLUMN_NAME
	// NULL, EXPRESSION set); MariaDB has IGNORED and no EXPRESSION.
	ignoredCol, exprCol := "IGNORED", "''"
	if in.d.Flavor == MySQL {
		ignoredCol, exprCol = "IF(IS_VISIBLE = 'NO', 'YES', 'NO')", "COALESCE(EXPRESSION, '')"
	}
	var expr string
	return in.query(ctx, `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COALESCE(COLUMN_NAME, ''), COLLATION,
SUB_PART, INDEX_TYPE, INDEX_COMMENT, `+ignoredCol+`, `+exprCol+`
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = DATABASE()`+in.tablesIn("TABLE_NAME"),
		[]any{&tname, &iname, &nonUnique, &seq, &column, &collation, &subPart, &itype, &comment, &ignored, &expr}, func() error {
			t := in.table(tname)
			if t == nil {
				return nil
			}
			m := byName[t]
			if m == nil {
				m = map[string]*schema.Index{}
				byName[t] = m
			}
			idx := m[string(iname)]
			if idx == nil {
				itype := strs.bytes(itype)
				idx = &schema.Index{Name: strs.bytes(iname), Comment: strs.bytes(comment), Ignored: ignored.String == "YES"}
				switch {
				case idx.Name == "PRIMARY":
				case itype == "FULLTEXT":
					idx.Kind = schema.IndexFulltext
				case itype == "SPATIAL":
					idx.Kind = schema.IndexSpatial
				case nonUnique == 0:
					idx.Kind = schema.IndexUnique
				}
				// A long unique key is a HASH that SHOW CREATE TABLE shows
				// whether declared or not. MEMORY keys are HASH unless
				// declared otherwise, and SHOW CREATE TABLE shows USING
				// only where it was written: exactTable reads it there.
				if itype == "HASH" && t.Options.Engine != "MEMORY" {
					idx.Using = "HASH"
				}
				m[idx.Name] = idx
				if idx.Name == "PRIMARY" {
					t.PrimaryKey = idx
				} else {
					t.Indexes = append(t.Indexes, idx)
				}
			}
			p := schema.IndexPart{Column: strs.bytes(column), Desc: collation.String == "D", Expr: normalizeStripParens(expr)}
			if subPart.Valid && idx.Kind != schema.IndexSpatial {
				p.Prefix = int(subPart.Int64)
			}
			for len(idx.Parts) < seq {
				idx.Parts = append(idx.Parts, schema.IndexPart{})
			}
			idx.Parts[seq-1] = p
			return nil
		})
}

// foreignKeys reads REFERENTIAL_CONSTRAINTS (actions) and KEY_COLUMN_USAGE
// (columns) as two queries: joining them in the server costs more than both
// together on large schemas (MariaDB materializes each side per row group).
func (in *inspector) foreignKeys(ctx context.Context) error {
	type rules struct{ update, delete string }
	var (
		tname                    sql.RawBytes
		name, update, deleteRule string
	)
	actions := map[string]map[string]rules{}
	err := in.query(ctx, `SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE
FROM information_schema.REFERENTIAL_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = DATABASE()`+in.tablesIn("TABLE_NAME"), []any{&tname, &name, &update, &deleteRule}, func() error {
		t := in.table(tname)
		if t == nil {
			return nil
		}
		m := actions[t.Name]
		if m == nil {
			m = map[string]rules{}
			actions[t.Name] = m
		}
		m[name] = rules{update, deleteRule}
		return nil
	})
	if err != nil {
		return err
	}
	var column, refSchema, refTable, refColumn string
	type fkKey struct {
		t    *schema.Table
		name string
	}
	fks := map[fkKey]*schema.ForeignKey{}
	return in.query(ctx, `SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL`+in.tablesIn("TABLE_NAME")+`
ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
		[]any{&tname, &name, &column, &refSchema, &refTable, &refColumn}, func() error {
			t := in.table(tname)
			if t == nil {
				return nil
			}
			cur := fks[fkKey{t, name}]
			if cur == nil {
				r, ok := actions[t.Name][name]
				if !ok {
					// Hidden from this user: exactForeignKeys takes the
					// key from SHOW CREATE TABLE instead.
					r = rules{schema.ActionRestrict, schema.ActionRestrict}
					if in.unruled == nil {
						in.unruled = map[string]bool{}
					}
					in.unruled[t.Name] = true
				}
				cur = &schema.ForeignKey{Name: name, RefTable: refTable, OnUpdate: r.update, OnDelete: r.delete}
				if refSchema != in.s.Name {
					// A key into another database keeps its qualifier.
					cur.RefTable = refSchema + "." + refTable
				}
				t.ForeignKeys = append(t.ForeignKeys, cur)
				fks[fkKey{t, name}] = cur
			}
			cur.Columns = append(cur.Columns, column)
			cur.RefColumns = append(cur.RefColumns, refColumn)
			return nil
		})
}

func (in *inspector) checks(ctx context.Context) error {
	if in.d.Flavor == MySQL {
		return in.mysqlChecks(ctx)
	}
	var (
		tname              sql.RawBytes
		name, level, claus string
	)
	return in.query(ctx, `SELECT TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = DATABASE()`+in.tablesIn("TABLE_NAME"),
		[]any{&tname, &name, &level, &claus}, func() error {
			if t := in.table(tname); t != nil {
				in.pendingChecks = append(in.pendingChecks, inspectCheck{t, name, level, claus})
			}
			return nil
		})
}

// applyChecks puts column-level checks (MariaDB's, named after their
// column; json columns have one) on their column and the rest on the table.
func (in *inspector) applyChecks() {
	for _, ck := range in.pendingChecks {
		if ck.level == "Column" {
			if c := ck.t.Column(ck.name); c != nil {
				c.Check = ck.clause
				continue
			}
		}
		ck.t.Checks = append(ck.t.Checks, &schema.Check{Name: ck.name, Expr: ck.clause})
	}
}

// mysqlChecks reads MySQL 8's checks, whose CHECK_CONSTRAINTS has no table
// name: TABLE_CONSTRAINTS supplies it. MySQL wraps clauses in parentheses.
func (in *inspector) mysqlChecks(ctx context.Context) error {
	var (
		tname       sql.RawBytes
		name, claus string
	)
	return in.query(ctx, `SELECT t.TABLE_NAME, c.CONSTRAINT_NAME, c.CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS c
JOIN information_schema.TABLE_CONSTRAINTS t
  ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND t.CONSTRAINT_TYPE = 'CHECK'
WHERE c.CONSTRAINT_SCHEMA = DATABASE()`+in.tablesIn("t.TABLE_NAME"),
		[]any{&tname, &name, &claus}, func() error {
			t := in.table(tname)
			if t == nil {
				return nil
			}
			in.pendingChecks = append(in.pendingChecks, inspectCheck{t: t, name: name, level: "Table", clause: normalizeStripParens(claus)})
			return nil
		})
}

// views reads VIEWS. MariaDB 10.11 reports ALGORITHM there (older servers
// do not; they would need SHOW CREATE VIEW per view).
func (in *inspector) views(ctx context.Context) error {
	var name, def, check, security, algorithm, cs, coll string
	prefix := sctQuoteIdent(in.s.Name) + "."
	algorithmCol := "ALGORITHM"
	if in.d.Flavor == MySQL {
		// MySQL's VIEWS has no ALGORITHM: mysqlViewAlgorithms reads it.
		algorithmCol = "''"
	}
	var hidden []string
	err := in.query(ctx, `SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE, `+algorithmCol+`,
CHARACTER_SET_CLIENT, COLLATION_CONNECTION
FROM information_schema.VIEWS
WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME`,
		[]any{&name, &def, &check, &security, &algorithm, &cs, &coll}, func() error {
			if def == "" {
				// No view is empty: the server hides its body (see
				// privileges.go), and a model without it would differ.
				hidden = append(hidden, sctQuoteIdent(name))
				return nil
			}
			v := &schema.View{
				Name:        name,
				Definition:  inspectUnqualify(def, prefix),
				Algorithm:   strings.ToUpper(algorithm),
				Security:    strings.ToUpper(security),
				CheckOption: strings.ToUpper(check),
				Context:     schema.CreationContext{CharsetClient: cs, CollationConnection: coll},
			}
			in.d.normalizeContext(&v.Context, false)
			in.s.Views = append(in.s.Views, v)
			return nil
		})
	if err != nil || len(hidden) == 0 {
		return err
	}
	db := sctQuoteIdent(in.s.Name)
	return fmt.Errorf("user %s cannot read the definition of view %s in %s: the server shows a view's body only to users with the SHOW VIEW privilege; "+
		"grant it (GRANT SHOW VIEW ON %s.* TO %s: it lets the user read view definitions, nothing more) or connect as a user that has it",
		in.user, strings.Join(hidden, ", "), db, db, in.user)
}

// checkObjectsSeen records in the model the kinds of objects the user's
// grants may not show all of (see readGrants), with what to grant.
func (in *inspector) checkObjectsSeen() {
	db := sctQuoteIdent(in.s.Name)
	hidden := func(what, why, grant string) string {
		if in.grantsUnknown != "" {
			why = in.grantsUnknown
		}
		return fmt.Sprintf("user %s may not see the %s of %s: %s; grant it (%s) or connect as a user that has it", in.user, what, db, why, grant)
	}
	names := make([]string, len(in.s.Tables))
	for i, t := range in.s.Tables {
		names[i] = t.Name
	}
	if in.grantsUnknown != "" || !in.triggerGrant.sees(names) {
		why := "its grants (SHOW GRANTS) hold no privilege that shows them: the server shows a table's triggers only to users with the TRIGGER privilege on it"
		if in.d.Flavor != MySQL {
			why += " (or INSERT, UPDATE or DELETE)"
		}
		in.s.TriggersHidden = hidden("triggers", why, fmt.Sprintf("GRANT TRIGGER ON %s.* TO %s", db, in.user))
	}
	if in.grantsUnknown != "" || !in.objectGrant.routineRows {
		why, grant := "its grants (SHOW GRANTS) hold no privilege that shows them: the server shows a stored routine only to its definer and to users that may read mysql.proc",
			fmt.Sprintf("GRANT SELECT ON mysql.proc TO %s: it lets the user read the routines of every database, nothing more", in.user)
		if in.d.Flavor == MySQL {
			why = "its grants (SHOW GRANTS) hold no privilege that shows them: the server shows a stored routine only to its definer and to users with SHOW_ROUTINE"
			grant = fmt.Sprintf("GRANT SHOW_ROUTINE ON *.* TO %s", in.user)
		}
		in.s.RoutinesHidden = hidden("stored routines", why, grant)
	}
	if in.grantsUnknown != "" || !in.objectGrant.events {
		in.s.EventsHidden = hidden("events",
			"its grants (SHOW GRANTS) hold no privilege that shows them: the server shows events only to users with the EVENT privilege on their database",
			fmt.Sprintf("GRANT EVENT ON %s.* TO %s: it also lets the user create, change and drop events", db, in.user))
	}
}

// inspectUnqualify removes the database's own qualifier (`db`.) from a view
// definition outside string literals, as SHOW CREATE VIEW does for the
// current database.
func inspectUnqualify(def, prefix string) string {
	if !strings.Contains(def, prefix) {
		return def
	}
	var b strings.Builder
	b.Grow(len(def))
	for i := 0; i < len(def); {
		c := def[i]
		switch {
		case c == '\'' || c == '"':
			_, n, err := sctUnquoteString(def[i:])
			if err != nil {
				b.WriteString(def[i:])
				return b.String()
			}
			b.WriteString(def[i : i+n])
			i += n
		case c == '`':
			if strings.HasPrefix(def[i:], prefix) {
				i += len(prefix)
				continue
			}
			n := sctIdentLen(def[i:])
			b.WriteString(def[i : i+n])
			i += n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func (in *inspector) triggers(ctx context.Context) error {
	var (
		name, event, table, body, timing string
		mode, cs, coll                   string
		order                            int
	)
	return in.query(ctx, `SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_ORDER, ACTION_STATEMENT, ACTION_TIMING,
SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION
FROM information_schema.TRIGGERS
WHERE TRIGGER_SCHEMA = DATABASE()
ORDER BY EVENT_OBJECT_TABLE, TRIGGER_NAME`,
		[]any{&name, &event, &table, &order, &body, &timing, &mode, &cs, &coll}, func() error {
			if historyTable(table) {
				return nil
			}
			tr := &schema.Trigger{
				Name: name, Table: table, Timing: timing, Event: event,
				Body: body, Order: order,
				Context: schema.CreationContext{CharsetClient: cs, CollationConnection: coll, SQLMode: mode},
			}
			if mode == "" {
				tr.Context.SQLMode = schema.SQLModeEmpty
			}
			in.d.normalizeContext(&tr.Context, true)
			in.s.Triggers = append(in.s.Triggers, tr)
			return nil
		})
}

// inspectIsBinary reports whether a type holds bytes rather than text.
func inspectIsBinary(name string) bool {
	switch name {
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return true
	}
	return false
}

// exact reads what information_schema loses from SHOW CREATE TABLE and
// SHOW CREATE TRIGGER, one statement per object: an index method declared
// with USING (information_schema reports BTREE either way), the partition
// clause of partitioned tables (LIST DEFAULT partitions, the exact
// expression text), binary defaults with bytes that are not UTF-8
// (information_schema prints them as '?'), Aria's table options, foreign
// keys whose actions information_schema hides from the user (see
// exactForeignKeys), and the spelling of a trigger's timing and event, which
// the server shows back as written. On a Reader the statements go out as a few batched requests,
// whatever the number of objects; on a *sql.DB they run one request each on
// a few connections at once; on one session, one after the other.
func (in *inspector) exact(ctx context.Context) error {
	var stmts []exactStatement
	if in.creates == nil {
		in.creates = make([]string, len(in.s.Tables))
		in.createFKs = make([][]*schema.ForeignKey, len(in.s.Tables))
		stmts = in.tableStatements()
	}
	stmts = append(stmts, in.triggerStatements()...)
	stmts = append(stmts, in.routineStatements()...)
	if err := in.runExact(ctx, stmts); err != nil {
		return err
	}
	for i, fks := range in.createFKs {
		in.exactForeignKeys(in.s.Tables[i], fks)
	}
	for i, create := range in.creates {
		if create != "" {
			if err := in.exactTable(in.s.Tables[i], create); err != nil {
				return fmt.Errorf("table %q: %w", in.s.Tables[i].Name, err)
			}
		}
	}
	return nil
}

// runExact runs the statements of the exact pass the way q allows.
func (in *inspector) runExact(ctx context.Context, stmts []exactStatement) error {
	if len(stmts) == 0 {
		return nil
	}
	if r, ok := in.q.(*Reader); ok {
		return exactBatched(ctx, r, stmts)
	}
	db, pool := in.q.(*sql.DB)
	if !pool || len(stmts) < 16 {
		for _, s := range stmts {
			if err := s.run(ctx, in.q); err != nil {
				return err
			}
		}
		return nil
	}
	next := make(chan exactStatement)
	errs := make([]error, exactWorkers)
	var wg sync.WaitGroup
	for w := range exactWorkers {
		wg.Go(func() {
			conn, err := db.Conn(ctx)
			if err != nil {
				errs[w] = err
				for range next {
				}
				return
			}
			defer conn.Close()
			for s := range next {
				if errs[w] == nil {
					errs[w] = s.run(ctx, conn)
				}
			}
		})
	}
	for _, s := range stmts {
		next <- s
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

const (
	// exactWorkers is how many connections the exact pass uses on a pool,
	// and so how many requests it sends on a Reader. Measured on 1,000
	// tables: one statement a request on one connection 46-90 ms, all in
	// one request 28 ms, in four requests on four connections 21 ms.
	exactWorkers = 4
	// exactRequestBytes caps the SQL text of one batched request, far
	// below max_allowed_packet (16 MiB by default), so that no schema is
	// too large for it: at some 30 bytes a statement a request holds some
	// 30,000 of them, and a larger schema takes more requests.
	exactRequestBytes = 1 << 20
)

// exactStatement is one SHOW CREATE statement of the exact pass and what
// reads its result set. Each object has one statement, and each statement
// writes only its own object, so statements need no lock between them.
type exactStatement struct {
	kind, name string // the object errors name: table "t", trigger "tr"
	sql        string
	read       func(rows *sql.Rows) error
}

// object names the statement's object: table "t".
func (s exactStatement) object() string {
	return fmt.Sprintf("%s %q", s.kind, s.name)
}

// fail names the statement's object in err.
func (s exactStatement) fail(err error) error {
	return fmt.Errorf("%s: %w", s.object(), err)
}

// run sends the statement as a request of its own.
func (s exactStatement) run(ctx context.Context, q dialect.Querier) error {
	rows, err := q.QueryContext(ctx, s.sql)
	if err != nil {
		return s.fail(err)
	}
	defer rows.Close()
	if err := s.read(rows); err != nil {
		return s.fail(err)
	}
	if err := rows.Close(); err != nil {
		return s.fail(err)
	}
	return nil
}

// tableStatements lists a SHOW CREATE TABLE per table. Each keeps the
// text of its table in in.creates when it may hold a fact exactTable takes
// (the rest is dropped at once, to hold little memory), and the table's
// foreign keys in in.createFKs: it runs before the columns are known, and
// exact applies it after.
func (in *inspector) tableStatements() []exactStatement {
	stmts := make([]exactStatement, 0, len(in.s.Tables))
	for i, t := range in.s.Tables {
		q := "SHOW CREATE TABLE " + sctQuoteIdent(t.Name)
		partitioned := in.partitioned[t.Name]
		stmts = append(stmts, exactStatement{
			kind: "table",
			name: t.Name,
			sql:  q,
			read: func(rows *sql.Rows) error {
				var name, create string
				if err := exactScanRow(rows, q, &name, &create); err != nil {
					return err
				}
				if partitioned || t.Options.Engine == "Aria" || strings.Contains(create, " USING ") ||
					strings.Contains(create, "binary") || strings.Contains(create, "blob") {
					in.creates[i] = create
				}
				if strings.Contains(create, " FOREIGN KEY ") {
					fks, err := sctForeignKeys(create)
					if err != nil {
						return err
					}
					in.createFKs[i] = fks
				}
				return nil
			},
		})
	}
	return stmts
}

// triggerStatements lists a SHOW CREATE TRIGGER per trigger.
func (in *inspector) triggerStatements() []exactStatement {
	stmts := make([]exactStatement, 0, len(in.s.Triggers))
	for _, tr := range in.s.Triggers {
		stmts = append(stmts, exactStatement{
			kind: "trigger",
			name: tr.Name,
			sql:  "SHOW CREATE TRIGGER " + sctQuoteIdent(tr.Name),
			read: func(rows *sql.Rows) error { return exactTrigger(rows, tr, in.s.Name) },
		})
	}
	return stmts
}

// exactScanRow scans the first row of the current result set into dest;
// no row is an error naming the query.
func exactScanRow(rows *sql.Rows, query string, dest ...any) error {
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return fmt.Errorf("no rows from %q: %w", query, sql.ErrNoRows)
	}
	return rows.Scan(dest...)
}

// exactBatched sends the statements as one request per worker, each on its
// own connection (more if a worker's statements exceed exactRequestBytes),
// so that the number of round trips does not grow with the schema.
func exactBatched(ctx context.Context, r *Reader, stmts []exactStatement) error {
	perWorker := exactBatches(stmts, exactWorkers, exactRequestBytes)
	errs := make([]error, len(perWorker))
	var wg sync.WaitGroup
	for w, batches := range perWorker {
		wg.Go(func() {
			for _, batch := range batches {
				if errs[w] = exactSendBatch(ctx, r, batch); errs[w] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// exactBatches splits stmts into at most workers runs of consecutive
// statements of (nearly) equal length, and each run into batches whose SQL
// text, joined with ";\n", stays within maxBytes (a single statement
// larger than that is a batch of its own).
func exactBatches(stmts []exactStatement, workers, maxBytes int) [][][]exactStatement {
	workers = min(workers, len(stmts))
	out := make([][][]exactStatement, 0, workers)
	for w := range workers {
		run := stmts[w*len(stmts)/workers : (w+1)*len(stmts)/workers]
		var batches [][]exactStatement
		start, size := 0, 0
		for i, s := range run {
			if i > start && size+len(";\n")+len(s.sql) > maxBytes {
				batches = append(batches, run[start:i])
				start, size = i, 0
			}
			if i > start {
				size += len(";\n")
			}
			size += len(s.sql)
		}
		out = append(out, append(batches, run[start:]))
	}
	return out
}

// exactSendBatch sends a batch as one request and reads its result sets in
// order. The server stops at a statement that fails, and the driver reports
// that failure when its result set is asked for: the error names the
// statement's object, as one request per statement would.
func exactSendBatch(ctx context.Context, r *Reader, batch []exactStatement) error {
	var text strings.Builder
	for i, s := range batch {
		if i > 0 {
			text.WriteString(";\n")
		}
		text.WriteString(s.sql)
	}
	rows, err := r.send(ctx, len(batch), text.String())
	if err != nil {
		return batch[0].fail(err)
	}
	defer rows.Close()
	for i, s := range batch {
		if i > 0 && !rows.NextResultSet() {
			err := rows.Err()
			if err == nil {
				err = fmt.Errorf("the server sent %d results for %d statements", i, len(batch))
			}
			return s.fail(err)
		}
		if err := s.read(rows); err != nil {
			return s.fail(err)
		}
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("%s to %s: %w", batch[0].object(), batch[len(batch)-1].object(), err)
	}
	return nil
}

// exactForeignKeys puts the foreign keys of t's SHOW CREATE TABLE (fks) in
// place of those information_schema showed when these are not all of them.
//
// MariaDB 10.11 shows the rows of REFERENTIAL_CONSTRAINTS (a key's ON
// DELETE/ON UPDATE) and TABLE_CONSTRAINTS only to a user with a privilege on
// the table other than SELECT: a SELECT-only user (a CI plan job, a drift
// monitor) gets no row, while KEY_COLUMN_USAGE (the columns) and SHOW CREATE
// TABLE show it every key. Read from information_schema alone, every key
// with an action would be RESTRICT for that user and differ from what root
// reads. Checking costs nothing on the path that works: the SHOW CREATE
// TABLE text is read anyway, its foreign keys are parsed only for the
// tables that have some, and they replace the model's only where a key had
// no REFERENTIAL_CONSTRAINTS row or the counts differ.
func (in *inspector) exactForeignKeys(t *schema.Table, fks []*schema.ForeignKey) {
	if !in.unruled[t.Name] && len(fks) == len(t.ForeignKeys) {
		return
	}
	t.ForeignKeys = fks
}

// sctForeignKeys parses the foreign keys of a SHOW CREATE TABLE text
// ("CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `p` (`id`) ON DELETE
// CASCADE"), and only those definitions. A key into another database keeps
// its qualifier, as information_schema's does.
func sctForeignKeys(create string) ([]*schema.ForeignKey, error) {
	p := &sctParser{s: create}
	if !p.word("CREATE") || !p.word("TABLE") {
		return nil, fmt.Errorf("show create table: not a CREATE TABLE statement")
	}
	if _, ok := p.ident(); !ok {
		return nil, fmt.Errorf("show create table: missing table name")
	}
	body, ok := p.group()
	if !ok {
		return nil, fmt.Errorf("show create table: missing definition list")
	}
	t := &schema.Table{}
	for _, def := range sctSplitTop(body[1 : len(body)-1]) {
		def = strings.TrimSpace(def)
		if !strings.HasPrefix(def, "CONSTRAINT ") || !strings.Contains(def, " FOREIGN KEY ") {
			continue
		}
		if err := sctDefinition(t, def); err != nil {
			return nil, err
		}
	}
	return t.ForeignKeys, nil
}

// exactTable takes from a table's SHOW CREATE TABLE what information_schema
// lost (see exact).
func (in *inspector) exactTable(t *schema.Table, create string) error {
	name := t.Name
	if strings.Contains(create, " USING ") {
		inspectIndexMethods(t, create)
	}
	// Aria's CREATE_OPTIONS report transactional=1 whether declared or not
	// and leave out its default page_checksum=1, both unlike SHOW CREATE
	// TABLE: take its options from there.
	aria := t.Options.Engine == "Aria"
	if !in.partitioned[name] && !in.lossy[name] && !aria {
		return nil
	}
	st, err := ParseShowCreateTable(create)
	if err != nil {
		return err
	}
	if in.partitioned[name] {
		t.Partition = st.Partition
	}
	if aria {
		t.Options.Extra = normalizeExtra(st.Options.Extra)
	}
	if in.lossy[name] {
		for _, sc := range st.Columns {
			if c := t.Column(sc.Name); c != nil && inspectIsBinary(c.Type.Name) && c.Default != "" {
				c.Default = sc.Default
			}
		}
	}
	return nil
}

// inspectIndexMethods sets the Using of the keys whose SHOW CREATE TABLE
// line declares one ("  KEY `k` (`a`) USING BTREE,").
func inspectIndexMethods(t *schema.Table, create string) {
	for _, line := range strings.Split(create, "\n") {
		line = strings.TrimSpace(line)
		method := ""
		switch {
		case strings.Contains(line, " USING BTREE"):
			method = "BTREE"
		case strings.Contains(line, " USING HASH"):
			method = "HASH"
		default:
			continue
		}
		if strings.HasPrefix(line, "PRIMARY KEY ") {
			if t.PrimaryKey != nil {
				t.PrimaryKey.Using = method
			}
			continue
		}
		rest := line
		for _, kw := range []string{"UNIQUE ", "FULLTEXT ", "SPATIAL "} {
			rest = strings.TrimPrefix(rest, kw)
		}
		rest, ok := strings.CutPrefix(rest, "KEY ")
		if !ok {
			continue // a column or constraint line that mentions USING
		}
		name, _, ok := inspectReadIdent(rest)
		if !ok {
			continue
		}
		if idx := t.Index(name); idx != nil {
			idx.Using = method
		}
	}
}

// inspectReadIdent reads a backquoted identifier at the start of s and
// returns it and the rest of s.
func inspectReadIdent(s string) (string, string, bool) {
	if !strings.HasPrefix(s, "`") {
		return "", s, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '`' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '`' {
			b.WriteByte('`')
			i++
			continue
		}
		return b.String(), s[i+1:], true
	}
	return "", s, false
}

// exactTrigger reads the spelling of a trigger's timing and event and its
// header from its original statement ("CREATE DEFINER=... TRIGGER `t`
// after insert ON ...") in the current result set of a SHOW CREATE
// TRIGGER of a trigger of database db. No row leaves the trigger as
// information_schema reported it.
func exactTrigger(rows *sql.Rows, tr *schema.Trigger, db string) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	if !rows.Next() {
		return rows.Err()
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return err
	}
	for i, c := range cols {
		if c == "SQL Original Statement" {
			if timing, event, ok := inspectTriggerSpelling(vals[i].String); ok &&
				strings.EqualFold(timing, tr.Timing) && strings.EqualFold(event, tr.Event) {
				tr.Timing, tr.Event = timing, event
			}
			if h := triggerHeaderInspect(vals[i].String, tr.Body, db); h != triggerHeaderCanonical(tr) {
				tr.Header = h
			}
		}
	}
	return nil
}

// inspectTriggerSpelling finds the timing and event words after the trigger
// name in a CREATE TRIGGER statement, as written.
func inspectTriggerSpelling(stmt string) (timing, event string, ok bool) {
	upper := strings.ToUpper(stmt)
	i := strings.Index(upper, "TRIGGER")
	if i < 0 {
		return "", "", false
	}
	rest := strings.TrimLeft(stmt[i+len("TRIGGER"):], " \t\r\n")
	// Skip the (possibly qualified, possibly quoted) name.
	for {
		if strings.HasPrefix(rest, "`") {
			_, r, ok := inspectReadIdent(rest)
			if !ok {
				return "", "", false
			}
			rest = r
		} else {
			j := strings.IndexAny(rest, " \t\r\n.")
			if j < 0 {
				return "", "", false
			}
			rest = rest[j:]
		}
		if !strings.HasPrefix(rest, ".") {
			break
		}
		rest = rest[1:]
	}
	words := strings.Fields(rest)
	if len(words) < 2 {
		return "", "", false
	}
	return words[0], words[1], true
}

// viewDeps fills each view's DependsOn with the tables and views of this
// database its definition reads: the server renders every reference
// qualified (`t`.`a`, from `t`, join `v`), so backticked names followed by
// a dot or after FROM/JOIN that name a table or view are dependencies.
func (in *inspector) viewDeps() {
	if len(in.s.Views) == 0 {
		return
	}
	known := map[string]bool{}
	for _, v := range in.s.Views {
		known[v.Name] = true
	}
	for _, v := range in.s.Views {
		seen := map[string]bool{}
		def := v.Definition
		for i := 0; i < len(def); {
			c := def[i]
			switch {
			case c == '\'' || c == '"':
				_, n, err := sctUnquoteString(def[i:])
				if err != nil {
					i = len(def)
					continue
				}
				i += n
			case c == '`':
				n := sctIdentLen(def[i:])
				name := strings.ReplaceAll(def[i+1:i+n-1], "``", "`")
				before := strings.ToLower(strings.TrimRight(def[:i], " ("))
				qualifier := i+n < len(def) && def[i+n] == '.'
				source := strings.HasSuffix(before, "from") || strings.HasSuffix(before, "join")
				if (qualifier || source) && name != v.Name && !seen[name] && (known[name] || in.tables[name] != nil) {
					seen[name] = true
					v.DependsOn = append(v.DependsOn, name)
				}
				i += n
			default:
				i++
			}
		}
		sort.Strings(v.DependsOn)
	}
}

// mysqlViewAlgorithms reads each view's ALGORITHM from SHOW CREATE VIEW on
// MySQL, whose information_schema.VIEWS lacks it: one query per view,
// acceptable since views are few.
func (in *inspector) mysqlViewAlgorithms(ctx context.Context) error {
	for _, v := range in.s.Views {
		var name, create, cs, coll string
		if err := queryRow(ctx, in.q, "SHOW CREATE VIEW "+sctQuoteIdent(v.Name), &name, &create, &cs, &coll); err != nil {
			return fmt.Errorf("view %q: %w", v.Name, err)
		}
		v.Algorithm = "UNDEFINED"
		if i := strings.Index(create, "ALGORITHM="); i >= 0 {
			rest := create[i+len("ALGORITHM="):]
			if j := strings.IndexByte(rest, ' '); j > 0 {
				v.Algorithm = strings.ToUpper(rest[:j])
			}
		}
	}
	return nil
}
