package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

// modelDiff lists the differences between two values field by field, with
// their paths (Columns[2].Default: "NULL" != "”"). Empty means equal.
func insDiff(want, got any) []string {
	var out []string
	insDiffValue("", reflect.ValueOf(want), reflect.ValueOf(got), &out)
	return out
}

func insDiffValue(path string, a, b reflect.Value, out *[]string) {
	if !a.IsValid() || !b.IsValid() {
		if a.IsValid() != b.IsValid() {
			*out = append(*out, fmt.Sprintf("%s: want %v, got %v", path, a, b))
		}
		return
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				*out = append(*out, fmt.Sprintf("%s: want %s, got %s", path, insDiffShow(a), insDiffShow(b)))
			}
			return
		}
		insDiffValue(path, a.Elem(), b.Elem(), out)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			insDiffValue(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i), out)
		}
	case reflect.Slice:
		if a.Len() != b.Len() {
			*out = append(*out, fmt.Sprintf("%s: want %d elements %s, got %d %s", path, a.Len(), insDiffShow(a), b.Len(), insDiffShow(b)))
			return
		}
		for i := 0; i < a.Len(); i++ {
			insDiffValue(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i), out)
		}
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			*out = append(*out, fmt.Sprintf("%s: want %#v, got %#v", path, a.Interface(), b.Interface()))
		}
	}
}

func insDiffShow(v reflect.Value) string {
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.Slice {
		var parts []string
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			if e.Kind() == reflect.Pointer && !e.IsNil() {
				e = e.Elem()
			}
			if e.Kind() == reflect.Struct && e.NumField() > 0 && e.Field(0).Kind() == reflect.String {
				parts = append(parts, e.Field(0).String())
			} else {
				parts = append(parts, fmt.Sprintf("%+v", e.Interface()))
			}
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprintf("%+v", v.Interface())
}

// newDialect reads the test server's facts.
func insDialect(t *testing.T, db *testdb.DB) *Dialect {
	t.Helper()
	d, err := New(context.Background(), db.DB)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func insInspect(t *testing.T, d *Dialect, q dialect.Querier) *schema.Schema {
	t.Helper()
	s, err := d.Inspect(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// col builds a column for expected models.
func insCol(name, typ string, args ...int) *schema.Column {
	return &schema.Column{Name: name, Type: schema.Type{Name: typ, Args: args}}
}

func insNull(name, typ string, args ...int) *schema.Column {
	c := insCol(name, typ, args...)
	c.Null, c.Default = true, "NULL"
	return c
}

func insWith(c *schema.Column, f func(c *schema.Column)) *schema.Column { f(c); return c }

func insParts(cols ...string) []schema.IndexPart {
	ps := make([]schema.IndexPart, len(cols))
	for i, c := range cols {
		ps[i].Column = c
	}
	return ps
}

func insOpts() schema.TableOptions {
	return schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collate: "utf8mb4_general_ci"}
}

const inspectDDL = "CREATE TABLE ints (" +
	"a int, b int unsigned NOT NULL, c tinyint(1) DEFAULT 1, d bigint(20) unsigned zerofill, e smallint DEFAULT -1," +
	" f mediumint, g bool NOT NULL DEFAULT true, h int(5), id int NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)" +
	") AUTO_INCREMENT=50;" +
	"CREATE TABLE nums (a decimal, b decimal(5,2) DEFAULT 1.5, c float DEFAULT 1.5e3, d double DEFAULT 0.1, e float(30)," +
	" f double(10,2), g bit, h bit(3) DEFAULT b'101', i decimal(6,2) NOT NULL DEFAULT '7', j real);" +
	"CREATE TABLE strs (a varchar(10) DEFAULT 'it''s', b char, c text, d varchar(20) CHARACTER SET latin1 COLLATE latin1_bin," +
	" e varchar(10) COLLATE utf8mb4_bin DEFAULT 'NULL', f varchar(10) CHARACTER SET utf8mb4 DEFAULT 'a\\\\b'," +
	" g enum('a','b c','it''s','x,y','back\\\\slash','\"dq\"') DEFAULT 'b c', h set('r','w','x') DEFAULT 'r,w'," +
	" i varchar(5) DEFAULT '', j varbinary(8), k binary, l blob, m text CHARACTER SET utf8, n varchar(9) DEFAULT 'new\\nline'," +
	" o longtext NOT NULL, p varchar(3) DEFAULT 5) COMMENT 'strings';" +
	"CREATE TABLE times (a datetime, b datetime(3) DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)," +
	" c timestamp, d timestamp NOT NULL DEFAULT now() ON UPDATE now(), e date DEFAULT (curdate()), f time(2), g year," +
	" h datetime DEFAULT '2020-01-01');" +
	"CREATE TABLE exprs (a int, b int AS (a+1), c int AS (a*2) PERSISTENT, d varchar(20) AS (LOWER(x)) INVISIBLE," +
	" x varchar(10) INVISIBLE DEFAULT 'X', e int DEFAULT (1+2), f int CHECK (f > 0), j json, k json NOT NULL DEFAULT '{}'," +
	" CONSTRAINT pos CHECK (a >= 0 AND a < 100), CHECK (e <> 4)) ENGINE=MyISAM CHARSET=latin1 ROW_FORMAT=FIXED STATS_PERSISTENT=0 CHECKSUM=1;" +
	"CREATE TABLE idx (id int NOT NULL, a varchar(100) NOT NULL, b varchar(200), c text, d int, e int, g point NOT NULL," +
	" h varchar(2000), PRIMARY KEY (id, d)," +
	" UNIQUE KEY ua (a), KEY kb (b(10), d DESC) COMMENT 'prefix', KEY kfull (a(100)), FULLTEXT KEY ft (c)," +
	" SPATIAL KEY sp (g), UNIQUE KEY uh (h), KEY ig (e) IGNORED, UNIQUE KEY ub (b));" +
	"CREATE TABLE parent (id int PRIMARY KEY, x int, y int, UNIQUE KEY xy (x, y));" +
	"CREATE TABLE child (id int PRIMARY KEY, pid int, x int, y int," +
	" CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES parent (id) ON DELETE CASCADE," +
	" CONSTRAINT fk_xy FOREIGN KEY (x, y) REFERENCES parent (x, y) ON UPDATE NO ACTION ON DELETE SET NULL);" +
	"CREATE TABLE parts_range (id int, d date) PARTITION BY RANGE (year(d)) (PARTITION p1 VALUES LESS THAN (2022) COMMENT 'c', PARTITION p2 VALUES LESS THAN MAXVALUE);" +
	"CREATE TABLE parts_hash (id int) PARTITION BY HASH (id) PARTITIONS 3;" +
	"CREATE TABLE parts_list (id int, s varchar(5)) PARTITION BY LIST COLUMNS (id, s) (PARTITION a VALUES IN ((1,'x'),(2,'y')), PARTITION pd DEFAULT);" +
	"CREATE TABLE parts_sub (id int, d date) PARTITION BY RANGE (id) SUBPARTITION BY KEY (d) SUBPARTITIONS 2 (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN (20));" +
	"CREATE TABLE parts_key (id int PRIMARY KEY) PARTITION BY LINEAR KEY (id) (PARTITION a, PARTITION b);" +
	"CREATE TABLE strata_revisions (version varchar(14) PRIMARY KEY);" +
	"CREATE ALGORITHM=MERGE VIEW v1 AS SELECT a, b AS bb FROM ints WHERE a > 1;" +
	"CREATE SQL SECURITY INVOKER VIEW v2 AS SELECT a FROM v1 WITH LOCAL CHECK OPTION;" +
	"CREATE VIEW v3 AS SELECT 'v1.`x`' AS s, count(*) AS n FROM ints;" +
	"CREATE VIEW v4 AS SELECT c.id, p.x FROM child c JOIN parent p ON c.pid = p.id;" +
	"CREATE TRIGGER t1 BEFORE INSERT ON ints FOR EACH ROW SET NEW.a = 1;" +
	"CREATE TRIGGER t2 BEFORE INSERT ON ints FOR EACH ROW FOLLOWS t1 BEGIN\n  SET NEW.e = 2; -- two\nEND;" +
	"CREATE TRIGGER t3 AFTER DELETE ON child FOR EACH ROW DELETE FROM parent WHERE id = OLD.pid"

func TestDialect_Inspect(t *testing.T) {
	db := testdb.New(t)
	db.Exec(t, inspectDDL)
	d := insDialect(t, db)
	s := insInspect(t, d, db.DB)

	unsigned := func(c *schema.Column) { c.Type.Unsigned = true }
	def := func(v string) func(c *schema.Column) { return func(c *schema.Column) { c.Default = v } }
	latin1 := insOpts()
	latin1.Charset, latin1.Collate = "latin1", "latin1_swedish_ci"
	latin1.Engine, latin1.RowFormat, latin1.Extra = "MyISAM", "FIXED", "stats_persistent=0 checksum=1"

	want := []*schema.Table{
		{Name: "child", Columns: []*schema.Column{
			insCol("id", "int", 11), insNull("pid", "int", 11), insNull("x", "int", 11), insNull("y", "int", 11)},
			PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: insParts("id")},
			Indexes:    []*schema.Index{{Name: "fk_p", Parts: insParts("pid")}, {Name: "fk_xy", Parts: insParts("x", "y")}},
			ForeignKeys: []*schema.ForeignKey{
				{Name: "fk_p", Columns: []string{"pid"}, RefTable: "parent", RefColumns: []string{"id"}, OnUpdate: "RESTRICT", OnDelete: "CASCADE"},
				{Name: "fk_xy", Columns: []string{"x", "y"}, RefTable: "parent", RefColumns: []string{"x", "y"}, OnUpdate: "NO ACTION", OnDelete: "SET NULL"},
			},
			Options: insOpts()},
		{Name: "exprs", Columns: []*schema.Column{
			insNull("a", "int", 11),
			insWith(insCol("b", "int", 11), func(c *schema.Column) { c.Null, c.Generated = true, &schema.Generated{Expr: "`a` + 1"} }),
			insWith(insCol("c", "int", 11), func(c *schema.Column) {
				c.Null, c.Generated = true, &schema.Generated{Expr: "`a` * 2", Stored: true}
			}),
			insWith(insCol("d", "varchar", 20), func(c *schema.Column) {
				c.Null, c.Invisible, c.Generated = true, true, &schema.Generated{Expr: "lcase(`x`)"}
			}),
			insWith(insNull("x", "varchar", 10), func(c *schema.Column) { c.Invisible, c.Default = true, "'X'" }),
			insWith(insNull("e", "int", 11), def("(1 + 2)")),
			insWith(insNull("f", "int", 11), func(c *schema.Column) { c.Check = "`f` > 0" }),
			insWith(insNull("j", "longtext"), func(c *schema.Column) {
				c.Charset, c.Collate, c.Check = "utf8mb4", "utf8mb4_bin", "json_valid(`j`)"
			}),
			insWith(insCol("k", "longtext"), func(c *schema.Column) {
				c.Charset, c.Collate, c.Check, c.Default = "utf8mb4", "utf8mb4_bin", "json_valid(`k`)", "'{}'"
			}),
		},
			Checks:  []*schema.Check{{Name: "CONSTRAINT_1", Expr: "`e` <> 4"}, {Name: "pos", Expr: "`a` >= 0 and `a` < 100"}},
			Options: latin1},
		{Name: "idx", Columns: []*schema.Column{
			insCol("id", "int", 11), insCol("a", "varchar", 100), insNull("b", "varchar", 200), insNull("c", "text"),
			insCol("d", "int", 11), insNull("e", "int", 11), insCol("g", "point"), insNull("h", "varchar", 2000)},
			PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: insParts("id", "d")},
			Indexes: []*schema.Index{
				{Name: "ua", Kind: "UNIQUE", Parts: insParts("a")},
				{Name: "ub", Kind: "UNIQUE", Parts: insParts("b")},
				{Name: "uh", Kind: "UNIQUE", Parts: insParts("h"), Using: "HASH"},
				{Name: "kb", Parts: []schema.IndexPart{{Column: "b", Prefix: 10}, {Column: "d", Desc: true}}, Comment: "prefix"},
				{Name: "kfull", Parts: insParts("a")},
				{Name: "sp", Kind: "SPATIAL", Parts: insParts("g")},
				{Name: "ig", Parts: insParts("e"), Ignored: true},
				{Name: "ft", Kind: "FULLTEXT", Parts: insParts("c")},
			},
			Options: insOpts()},
		{Name: "ints", Columns: []*schema.Column{
			insNull("a", "int", 11), insWith(insCol("b", "int", 10), unsigned), insWith(insNull("c", "tinyint", 1), def("1")),
			insWith(insNull("d", "bigint", 20), func(c *schema.Column) { c.Type.Unsigned, c.Type.Zerofill = true, true }),
			insWith(insNull("e", "smallint", 6), def("-1")), insNull("f", "mediumint", 9),
			insWith(insCol("g", "tinyint", 1), def("1")), insNull("h", "int", 5),
			insWith(insCol("id", "int", 11), func(c *schema.Column) { c.AutoIncrement = true }),
		},
			PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: insParts("id")},
			Options:    func() schema.TableOptions { o := insOpts(); o.AutoIncrement = 50; return o }()},
		{Name: "nums", Columns: []*schema.Column{
			insNull("a", "decimal", 10, 0), insWith(insNull("b", "decimal", 5, 2), def("1.50")), insWith(insNull("c", "float"), def("1500")),
			insWith(insNull("d", "double"), def("0.1")), insNull("e", "double"), insNull("f", "double", 10, 2), insNull("g", "bit", 1),
			insWith(insNull("h", "bit", 3), def("b'101'")), insWith(insCol("i", "decimal", 6, 2), def("7.00")), insNull("j", "double"),
		}, Options: insOpts()},
		{Name: "parent", Columns: []*schema.Column{insCol("id", "int", 11), insNull("x", "int", 11), insNull("y", "int", 11)},
			PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: insParts("id")},
			Indexes:    []*schema.Index{{Name: "xy", Kind: "UNIQUE", Parts: insParts("x", "y")}},
			Options:    insOpts()},
		{Name: "parts_hash", Columns: []*schema.Column{insNull("id", "int", 11)}, Options: insOpts(),
			Partition: &schema.Partition{Method: "HASH", Expr: "`id`", Count: 3}},
		{Name: "parts_key", Columns: []*schema.Column{insCol("id", "int", 11)}, Options: insOpts(),
			PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: insParts("id")},
			Partition: &schema.Partition{Method: "LINEAR KEY", Expr: "`id`", Definitions: []schema.PartitionDef{
				{Name: "a", Engine: "InnoDB"}, {Name: "b", Engine: "InnoDB"}}}},
		{Name: "parts_list", Columns: []*schema.Column{insNull("id", "int", 11), insNull("s", "varchar", 5)}, Options: insOpts(),
			Partition: &schema.Partition{Method: "LIST COLUMNS", Expr: "`id`,`s`", Definitions: []schema.PartitionDef{
				{Name: "a", Values: "IN ((1,'x'),(2,'y'))", Engine: "InnoDB"}, {Name: "pd", Values: "DEFAULT", Engine: "InnoDB"}}}},
		{Name: "parts_range", Columns: []*schema.Column{insNull("id", "int", 11), insNull("d", "date")}, Options: insOpts(),
			Partition: &schema.Partition{Method: "RANGE", Expr: "year(`d`)", Definitions: []schema.PartitionDef{
				{Name: "p1", Values: "LESS THAN (2022)", Comment: "c", Engine: "InnoDB"},
				{Name: "p2", Values: "LESS THAN MAXVALUE", Engine: "InnoDB"}}}},
		{Name: "parts_sub", Columns: []*schema.Column{insNull("id", "int", 11), insNull("d", "date")}, Options: insOpts(),
			Partition: &schema.Partition{Method: "RANGE", Expr: "`id`", SubMethod: "KEY", SubExpr: "`d`", SubCount: 2,
				Definitions: []schema.PartitionDef{
					{Name: "p0", Values: "LESS THAN (10)", Engine: "InnoDB"},
					{Name: "p1", Values: "LESS THAN (20)", Engine: "InnoDB"}}}},
		{Name: "strs", Columns: []*schema.Column{
			insWith(insNull("a", "varchar", 10), def("'it''s'")), insNull("b", "char", 1), insNull("c", "text"),
			insWith(insNull("d", "varchar", 20), func(c *schema.Column) { c.Charset, c.Collate = "latin1", "latin1_bin" }),
			insWith(insNull("e", "varchar", 10), func(c *schema.Column) { c.Charset, c.Collate, c.Default = "utf8mb4", "utf8mb4_bin", "'NULL'" }),
			insWith(insNull("f", "varchar", 10), def(`'a\\b'`)),
			insWith(insNull("g", "enum"), func(c *schema.Column) {
				c.Type.Values, c.Default = []string{"a", "b c", "it's", "x,y", `back\slash`, `"dq"`}, "'b c'"
			}),
			insWith(insNull("h", "set"), func(c *schema.Column) { c.Type.Values, c.Default = []string{"r", "w", "x"}, "'r,w'" }),
			insWith(insNull("i", "varchar", 5), def("''")), insNull("j", "varbinary", 8), insNull("k", "binary", 1), insNull("l", "blob"),
			insWith(insNull("m", "text"), func(c *schema.Column) { c.Charset, c.Collate = "utf8mb3", "utf8mb3_general_ci" }),
			insWith(insNull("n", "varchar", 9), def(`'new\nline'`)), insCol("o", "longtext"), insWith(insNull("p", "varchar", 3), def("'5'")),
		}, Options: func() schema.TableOptions { o := insOpts(); o.Comment = "strings"; return o }()},
		{Name: "times", Columns: []*schema.Column{
			insNull("a", "datetime"),
			insWith(insNull("b", "datetime", 3), func(c *schema.Column) { c.Default, c.OnUpdate = "current_timestamp(3)", "current_timestamp(3)" }),
			insNull("c", "timestamp"),
			insWith(insCol("d", "timestamp"), func(c *schema.Column) { c.Default, c.OnUpdate = "current_timestamp()", "current_timestamp()" }),
			insWith(insNull("e", "date"), def("curdate()")), insNull("f", "time", 2), insNull("g", "year", 4),
			insWith(insNull("h", "datetime"), def("'2020-01-01 00:00:00'")),
		}, Options: insOpts()},
	}
	if len(s.Tables) != len(want) {
		var names []string
		for _, tb := range s.Tables {
			names = append(names, tb.Name)
		}
		t.Fatalf("tables: got %v, want %d tables", names, len(want))
	}
	for i, w := range want {
		t.Run(w.Name, func(t *testing.T) {
			for _, d := range insDiff(w, s.Tables[i]) {
				t.Error(d)
			}
		})
	}
	t.Run("schema", func(t *testing.T) {
		if s.Name != db.Name || s.Charset != "utf8mb4" || s.Collate != "utf8mb4_general_ci" {
			t.Errorf("schema facts: %q %q %q", s.Name, s.Charset, s.Collate)
		}
	})
	t.Run("views", func(t *testing.T) {
		wantViews := []*schema.View{
			{Name: "v1", Definition: "select `ints`.`a` AS `a`,`ints`.`b` AS `bb` from `ints` where `ints`.`a` > 1",
				Algorithm: "MERGE", Security: "DEFINER", CheckOption: "NONE", DependsOn: []string{"ints"}},
			{Name: "v2", Definition: "select `v1`.`a` AS `a` from `v1`", Algorithm: "UNDEFINED", Security: "INVOKER", CheckOption: "LOCAL",
				DependsOn: []string{"v1"}},
			{Name: "v3", Definition: "select 'v1.`x`' AS `s`,count(0) AS `n` from `ints`", Algorithm: "UNDEFINED", Security: "DEFINER", CheckOption: "NONE",
				DependsOn: []string{"ints"}},
			{Name: "v4", Definition: "select `c`.`id` AS `id`,`p`.`x` AS `x` from (`child` `c` join `parent` `p` on(`c`.`pid` = `p`.`id`))",
				Algorithm: "UNDEFINED", Security: "DEFINER", CheckOption: "NONE", DependsOn: []string{"child", "parent"}},
		}
		for _, d := range insDiff(wantViews, s.Views) {
			t.Error(d)
		}
	})
	t.Run("triggers", func(t *testing.T) {
		wantTriggers := []*schema.Trigger{
			// Headers as written, FOLLOWS taken out by the server.
			{Name: "t3", Table: "child", Timing: "AFTER", Event: "DELETE", Body: "DELETE FROM parent WHERE id = OLD.pid", Order: 1,
				Header: "TRIGGER t3 AFTER DELETE ON child FOR EACH ROW "},
			{Name: "t1", Table: "ints", Timing: "BEFORE", Event: "INSERT", Body: "SET NEW.a = 1", Order: 1,
				Header: "TRIGGER t1 BEFORE INSERT ON ints FOR EACH ROW "},
			{Name: "t2", Table: "ints", Timing: "BEFORE", Event: "INSERT", Body: "BEGIN\n  SET NEW.e = 2; -- two\nEND", Order: 2,
				Header: "TRIGGER t2 BEFORE INSERT ON ints FOR EACH ROW "},
		}
		for _, d := range insDiff(wantTriggers, s.Triggers) {
			t.Error(d)
		}
	})
}

// insCountingQuerier counts the queries a dialect issues: bulk queries in
// n, per-object SHOW CREATE statements in shows.
type insCountingQuerier struct {
	q     dialect.Querier
	n     atomic.Int64
	shows atomic.Int64
}

func (c *insCountingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if strings.HasPrefix(query, "SHOW CREATE ") {
		c.shows.Add(1)
	} else {
		c.n.Add(1)
	}
	return c.q.QueryContext(ctx, query, args...)
}

func (c *insCountingQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	return c.q.ExecContext(ctx, query, args...)
}

// Inspection reads everything with a fixed number of bulk queries, plus
// one SHOW CREATE per table and trigger for the facts only those show (a
// declared index method, a trigger's spelling).
func TestDialect_InspectQueryCount(t *testing.T) {
	counts := map[int]int64{}
	for _, n := range []int{10, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			db := testdb.New(t)
			var b strings.Builder
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "CREATE TABLE t%03d (id int PRIMARY KEY, a varchar(20) NOT NULL, b int, c json, KEY kb (b), UNIQUE KEY ua (a), CHECK (b > 0));", i)
				if i > 0 && i%3 == 0 {
					fmt.Fprintf(&b, "ALTER TABLE t%03d ADD CONSTRAINT fk%d FOREIGN KEY (b) REFERENCES t000 (id);", i, i)
				}
			}
			b.WriteString("CREATE VIEW v AS SELECT id FROM t001; CREATE TRIGGER tr BEFORE INSERT ON t001 FOR EACH ROW SET NEW.b = 1")
			db.Exec(t, b.String())
			d := insDialect(t, db)
			cq := &insCountingQuerier{q: db.DB}
			s := insInspect(t, d, cq)
			if len(s.Tables) != n {
				t.Fatalf("got %d tables, want %d", len(s.Tables), n)
			}
			if got := len(s.Tables[n-1].ForeignKeys); (n-1)%3 == 0 && got != 1 {
				t.Errorf("last table has %d foreign keys", got)
			}
			counts[n] = cq.n.Load()
			if got, want := cq.shows.Load(), int64(n+1); got != want {
				t.Errorf("%d SHOW CREATE statements, want one per table and trigger (%d)", got, want)
			}
		})
	}
	if counts[10] != counts[200] || counts[10] == 0 {
		t.Errorf("query count depends on table count: %v", counts)
	}
}

// BenchmarkDialect_Inspect inspects schemas of 100 and 1,000 tables (12
// columns, a primary key and 3 indexes each, a foreign key on every third)
// and, for comparison, runs the raw information_schema queries alone.
// STRATA_BENCH_10K=1 adds 10,000 tables.
func BenchmarkDialect_Inspect(b *testing.B) {
	sizes := []int{100, 1000}
	if os.Getenv("STRATA_BENCH_10K") == "1" {
		sizes = append(sizes, 10000)
	}
	for _, n := range sizes {
		db := testdb.New(b)
		var sb strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&sb, "CREATE TABLE t%05d (id bigint unsigned NOT NULL AUTO_INCREMENT, a varchar(100) NOT NULL, b int DEFAULT NULL,"+
				" c datetime(3) NOT NULL DEFAULT current_timestamp(3), d decimal(10,2) DEFAULT 0.00, e text, f enum('x','y') DEFAULT 'x',"+
				" g tinyint(1) NOT NULL DEFAULT 0, h varchar(20) COLLATE utf8mb4_bin, i bigint unsigned, j json, k double,"+
				" PRIMARY KEY (id), UNIQUE KEY ua (a), KEY kb (b, c), KEY ki (i));", i)
			if i%3 == 2 {
				fmt.Fprintf(&sb, "ALTER TABLE t%05d ADD CONSTRAINT fk%d FOREIGN KEY (i) REFERENCES t%05d (id);", i, i, i-1)
			}
			if i%500 == 499 {
				db.Exec(b, sb.String())
				sb.Reset()
			}
		}
		if sb.Len() > 0 {
			db.Exec(b, sb.String())
		}
		d, err := New(context.Background(), db.DB)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			for b.Loop() {
				s, err := d.Inspect(context.Background(), db.DB)
				if err != nil || len(s.Tables) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("one-connection/tables=%d", n), func(b *testing.B) {
			conn, err := db.DB.Conn(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			for b.Loop() {
				s, err := d.Inspect(context.Background(), conn)
				if err != nil || len(s.Tables) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("raw-queries/tables=%d", n), func(b *testing.B) {
			queries := []string{
				"SELECT * FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
				"SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()",
				"SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()",
				"SELECT * FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE()",
				"SELECT * FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
				"SELECT * FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
			}
			for b.Loop() {
				for _, q := range queries {
					rows, err := db.DB.Query(q)
					if err != nil {
						b.Fatal(err)
					}
					for rows.Next() {
					}
					rows.Close()
				}
			}
		})
	}
}

func TestInspectUnqualify(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"columns and tables", "select `db`.`t`.`a` AS `a` from `db`.`t`", "select `t`.`a` AS `a` from `t`"},
		{"string literal kept", "select '`db`.x' AS `s` from `db`.`t`", "select '`db`.x' AS `s` from `t`"},
		{"other database kept", "select `x`.`a` AS `a` from `other`.`x`", "select `x`.`a` AS `a` from `other`.`x`"},
		{"similar name kept", "select 1 AS `1` from `db2`.`t`", "select 1 AS `1` from `db2`.`t`"},
		{"backtick in name", "select 1 AS `1` from `db`.`a``b`", "select 1 AS `1` from `a``b`"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := inspectUnqualify(tc.in, "`db`."); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInspectParseColumnType(t *testing.T) {
	cases := []struct {
		in   string
		want schema.Type
	}{
		{"int(10) unsigned zerofill", schema.Type{Name: "int", Args: []int{10}, Unsigned: true, Zerofill: true}},
		{"decimal(10,2)", schema.Type{Name: "decimal", Args: []int{10, 2}}},
		{"enum('a','it''s','x,y','back\\\\slash',')')", schema.Type{Name: "enum", Values: []string{"a", "it's", "x,y", `back\slash`, ")"}}},
		{"set('')", schema.Type{Name: "set", Values: []string{""}}},
		{"point", schema.Type{Name: "point"}},
		{"DOUBLE", schema.Type{Name: "double"}},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := inspectParseColumnType(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range insDiff(tc.want, got) {
				t.Error(d)
			}
		})
	}
	for _, bad := range []string{"int(x)", "enum('a'", "varchar(10"} {
		if _, err := inspectParseColumnType(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestDialect_InspectTrickyNames(t *testing.T) {
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE `we``ird, (name)` (`a b` int NOT NULL, `Ü` varchar(5) COMMENT 'it''s\na \\\\ comment', PRIMARY KEY (`a b`));"+
		"CREATE TABLE `p``q` (`a b` int NOT NULL PRIMARY KEY) PARTITION BY KEY () PARTITIONS 2;"+
		"CREATE TABLE `Upper` (`id` int NOT NULL PRIMARY KEY, `ref` int, CONSTRAINT `fk ``x``` FOREIGN KEY (`ref`) REFERENCES `we``ird, (name)` (`a b`));"+
		"CREATE TABLE `upper` (`id` int);"+
		"CREATE VIEW `v``1` AS SELECT `a b` FROM `we``ird, (name)`")
	d := insDialect(t, db)
	s := insInspect(t, d, db.DB)
	want := []*schema.Table{
		{Name: "Upper", Columns: []*schema.Column{insCol("id", "int", 11), insNull("ref", "int", 11)},
			PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: insParts("id")},
			Indexes:    []*schema.Index{{Name: "fk `x`", Parts: insParts("ref")}},
			ForeignKeys: []*schema.ForeignKey{{Name: "fk `x`", Columns: []string{"ref"}, RefTable: "we`ird, (name)", RefColumns: []string{"a b"},
				OnUpdate: "RESTRICT", OnDelete: "RESTRICT"}},
			Options: insOpts()},
		{Name: "p`q", Columns: []*schema.Column{insCol("a b", "int", 11)},
			PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: insParts("a b")},
			Options:    insOpts(),
			Partition:  &schema.Partition{Method: "KEY", Count: 2}},
		{Name: "upper", Columns: []*schema.Column{insNull("id", "int", 11)}, Options: insOpts()},
		{Name: "we`ird, (name)", Columns: []*schema.Column{insCol("a b", "int", 11),
			insWith(insNull("Ü", "varchar", 5), func(c *schema.Column) { c.Comment = "it's\na \\ comment" })},
			PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: insParts("a b")},
			Options:    insOpts()},
	}
	for _, df := range insDiff(want, s.Tables) {
		t.Error(df)
	}
	if len(s.Views) != 1 || s.Views[0].Name != "v`1" || s.Views[0].Definition != "select `we``ird, (name)`.`a b` AS `a b` from `we``ird, (name)`" ||
		!reflect.DeepEqual(s.Views[0].DependsOn, []string{"we`ird, (name)"}) {
		t.Errorf("views %+v", s.Views[0])
	}
}
