package mysql

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

// nc builds a column the way a user writes it in HCL: type name and
// arguments as given, NOT NULL unless nullable is set later.
func nc(name, typ string, args ...int) *schema.Column {
	return &schema.Column{Name: name, Type: schema.Type{Name: typ, Args: args}}
}

// nset applies changes to a column.
func nset(c *schema.Column, f func(c *schema.Column)) *schema.Column { f(c); return c }

func ntable(name string, cols ...*schema.Column) *schema.Table {
	return &schema.Table{Name: name, Columns: cols}
}

func npk(cols ...string) *schema.Index {
	return &schema.Index{Name: "PRIMARY", Parts: insParts(cols...)}
}

// roundTripCases pair DDL with the model a user would write for it. After
// Normalize (and, for server-only expressions, Canonicalize), the model must
// equal what Inspect reads after running the DDL.
var roundTripCases = []struct {
	name   string
	ddl    string
	model  func() *schema.Table
	server bool // expressions need the Canonicalizer
}{
	{
		name: "ints",
		ddl: "CREATE TABLE ints (id int NOT NULL PRIMARY KEY, a integer NOT NULL, b bool NOT NULL DEFAULT true," +
			" c bigint unsigned NULL, d int zerofill NULL DEFAULT '7', e serial, f tinyint NOT NULL DEFAULT '-3', g int1, h middleint NOT NULL DEFAULT 4.0)",
		model: func() *schema.Table {
			t := ntable("ints",
				nc("id", "int"),
				nc("a", "integer"),
				nset(nc("b", "boolean"), func(c *schema.Column) { c.Default = "TRUE" }),
				nset(nc("c", "bigint"), func(c *schema.Column) { c.Type.Unsigned, c.Null = true, true }),
				nset(nc("d", "int"), func(c *schema.Column) { c.Type.Zerofill, c.Null, c.Default = true, true, "'7'" }),
				nc("e", "serial"),
				nset(nc("f", "tinyint"), func(c *schema.Column) { c.Default = "'-3'" }),
				nset(nc("g", "int1"), func(c *schema.Column) { c.Null = true }),
				nset(nc("h", "middleint"), func(c *schema.Column) { c.Default = "4.0" }),
			)
			t.PrimaryKey = npk("id")
			return t
		},
	},
	{
		name: "numbers",
		ddl: "CREATE TABLE numbers (a dec NOT NULL, b numeric(5) NULL, c fixed(6,2) NOT NULL DEFAULT 1.5, d float(30) NOT NULL," +
			" e real NULL, f double precision NULL DEFAULT 0.1, g float(10) NOT NULL DEFAULT '1.5e3', h bit NULL, i bit(4) NULL DEFAULT 5," +
			" j decimal(8,3) NOT NULL DEFAULT -2, k float(7,2) NULL)",
		model: func() *schema.Table {
			return ntable("numbers",
				nc("a", "dec"),
				nset(nc("b", "numeric", 5), func(c *schema.Column) { c.Null = true }),
				nset(nc("c", "fixed", 6, 2), func(c *schema.Column) { c.Default = "1.5" }),
				nc("d", "float", 30),
				nset(nc("e", "real"), func(c *schema.Column) { c.Null = true }),
				nset(nc("f", "double precision"), func(c *schema.Column) { c.Null, c.Default = true, "0.1" }),
				nset(nc("g", "float", 10), func(c *schema.Column) { c.Default = "'1.5e3'" }),
				nset(nc("h", "bit"), func(c *schema.Column) { c.Null = true }),
				nset(nc("i", "bit", 4), func(c *schema.Column) { c.Null, c.Default = true, "5" }),
				nset(nc("j", "decimal", 8, 3), func(c *schema.Column) { c.Default = "-2" }),
				nset(nc("k", "float", 7, 2), func(c *schema.Column) { c.Null = true }),
			)
		},
	},
	{
		name: "strings",
		ddl: "CREATE TABLE strings (a varchar(191) COLLATE utf8mb4_bin NOT NULL, b char NULL, c nchar(5) NULL, d nvarchar(7) NULL," +
			" e text CHARACTER SET utf8 NULL, f enum('x ','y') NOT NULL DEFAULT 'y', g long varchar NULL, h varchar(10) CHARACTER SET binary NULL," +
			" i text(100) NULL, j varchar(5) NOT NULL DEFAULT 5, k varchar(20) NULL DEFAULT \"it's\", l varchar(10) NULL DEFAULT 0x414243," +
			" m varchar(4) CHARACTER SET latin1 NULL, n set('a','b') NULL DEFAULT 'a,b', o varchar(8) NULL DEFAULT 'a\\\\b\\n'," +
			" p char(3) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL, q varchar(3) NULL DEFAULT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
		model: func() *schema.Table {
			null := func(c *schema.Column) { c.Null = true }
			t := ntable("strings",
				nset(nc("a", "varchar", 191), func(c *schema.Column) { c.Collate = "utf8mb4_bin" }),
				nset(nc("b", "char"), null),
				nset(nc("c", "nchar", 5), null),
				nset(nc("d", "nvarchar", 7), null),
				nset(nc("e", "text"), func(c *schema.Column) { c.Null, c.Charset = true, "utf8" }),
				nset(nc("f", "enum"), func(c *schema.Column) { c.Type.Values, c.Default = []string{"x ", "y"}, "'y'" }),
				nset(nc("g", "long varchar"), null),
				nset(nc("h", "varchar", 10), func(c *schema.Column) { c.Null, c.Charset = true, "binary" }),
				nset(nc("i", "text", 100), null),
				nset(nc("j", "varchar", 5), func(c *schema.Column) { c.Default = "5" }),
				nset(nc("k", "varchar", 20), func(c *schema.Column) { c.Null, c.Default = true, `"it's"` }),
				nset(nc("l", "varchar", 10), func(c *schema.Column) { c.Null, c.Default = true, "0x414243" }),
				nset(nc("m", "varchar", 4), func(c *schema.Column) { c.Null, c.Charset = true, "latin1" }),
				nset(nc("n", "set"), func(c *schema.Column) { c.Null, c.Type.Values, c.Default = true, []string{"a", "b"}, "'a,b'" }),
				nset(nc("o", "varchar", 8), func(c *schema.Column) { c.Null, c.Default = true, `'a\\b\n'` }),
				nset(nc("p", "char", 3), func(c *schema.Column) { c.Null, c.Charset, c.Collate = true, "utf8mb4", "utf8mb4_unicode_ci" }),
				nset(nc("q", "varchar", 3), func(c *schema.Column) { c.Null, c.Default = true, "null" }),
			)
			t.Options.Collate = "utf8mb4_unicode_ci"
			return t
		},
	},
	{
		name: "json",
		ddl:  "CREATE TABLE js (a json NULL, b json NOT NULL DEFAULT '{}') COLLATE utf8mb4_bin",
		model: func() *schema.Table {
			t := ntable("js", nset(nc("a", "json"), func(c *schema.Column) { c.Null = true }),
				nset(nc("b", "JSON"), func(c *schema.Column) { c.Default = "'{}'" }))
			t.Options.Collate = "utf8mb4_bin"
			return t
		},
	},
	{
		name: "times",
		ddl: "CREATE TABLE times (a datetime(0) NULL, b timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP," +
			" c datetime(3) NOT NULL DEFAULT NOW(3) ON UPDATE localtimestamp(3), d date NULL DEFAULT '2020-01-01', e datetime NULL DEFAULT '2020-01-01'," +
			" f year NULL, g timestamp NULL, h time(2) NULL DEFAULT '10:00:00', i timestamp(2) NULL DEFAULT '2020-01-01 10:00:00.5', j datetime NULL DEFAULT (now()))",
		model: func() *schema.Table {
			null := func(c *schema.Column) { c.Null = true }
			return ntable("times",
				nset(nc("a", "datetime", 0), null),
				nset(nc("b", "timestamp"), func(c *schema.Column) { c.Default, c.OnUpdate = "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP" }),
				nset(nc("c", "datetime", 3), func(c *schema.Column) { c.Default, c.OnUpdate = "NOW(3)", "localtimestamp(3)" }),
				nset(nc("d", "date"), func(c *schema.Column) { c.Null, c.Default = true, "'2020-01-01'" }),
				nset(nc("e", "datetime"), func(c *schema.Column) { c.Null, c.Default = true, "'2020-01-01'" }),
				nset(nc("f", "year"), null),
				nset(nc("g", "timestamp"), null),
				nset(nc("h", "time", 2), func(c *schema.Column) { c.Null, c.Default = true, "'10:00:00'" }),
				nset(nc("i", "timestamp", 2), func(c *schema.Column) { c.Null, c.Default = true, "'2020-01-01 10:00:00.5'" }),
				nset(nc("j", "datetime"), func(c *schema.Column) { c.Null, c.Default = true, "(now())" }),
			)
		},
	},
	{
		name: "literal defaults",
		ddl: "CREATE TABLE literals (a year NULL DEFAULT 2020, b year NULL DEFAULT '2021', c date NULL DEFAULT '2020-1-2', d time NULL DEFAULT '1:2:3'," +
			" f set('a','b') NULL DEFAULT 'b,a', g float NULL DEFAULT '0.5', h double NULL DEFAULT -0, i int unsigned NULL DEFAULT '+5'," +
			" j decimal(5,2) NULL DEFAULT 1e1, k bit(2) NULL DEFAULT 0, l char(2) NULL DEFAULT 0x4142, n varbinary(4) NULL DEFAULT 0x00ff," +
			" o blob NULL DEFAULT 'x', p datetime(2) NULL DEFAULT '2020-01-01 10:00:00.129', q varchar(3) NULL DEFAULT 'é', r int NULL DEFAULT 0x10," +
			" s datetime NULL DEFAULT '2020-01-01 1:02:03', u time(1) NULL DEFAULT '-100:00:00', v varchar(3) NULL DEFAULT _latin1'ab'," +
			" w varchar(3) NULL DEFAULT N'cd')",
		model: func() *schema.Table {
			def := func(v string) func(c *schema.Column) { return func(c *schema.Column) { c.Null, c.Default = true, v } }
			return ntable("literals",
				nset(nc("a", "year"), def("2020")), nset(nc("b", "year"), def("'2021'")), nset(nc("c", "date"), def("'2020-1-2'")),
				nset(nc("d", "time"), def("'1:2:3'")),
				nset(nc("f", "set"), func(c *schema.Column) { c.Type.Values, c.Null, c.Default = []string{"a", "b"}, true, "'b,a'" }),
				nset(nc("g", "float"), def("'0.5'")), nset(nc("h", "double"), def("-0")),
				nset(nc("i", "int"), func(c *schema.Column) { c.Type.Unsigned, c.Null, c.Default = true, true, "'+5'" }),
				nset(nc("j", "decimal", 5, 2), def("1e1")), nset(nc("k", "bit", 2), def("0")), nset(nc("l", "char", 2), def("0x4142")),
				nset(nc("n", "varbinary", 4), def("0x00ff")), nset(nc("o", "blob"), def("'x'")),
				nset(nc("p", "datetime", 2), def("'2020-01-01 10:00:00.129'")), nset(nc("q", "varchar", 3), def("'é'")),
				nset(nc("r", "int"), def("0x10")), nset(nc("s", "datetime"), def("'2020-01-01 1:02:03'")),
				nset(nc("u", "time", 1), def("'-100:00:00'")),
				nset(nc("v", "varchar", 3), def("_latin1'ab'")), nset(nc("w", "varchar", 3), def("N'cd'")),
			)
		},
	},
	{
		name: "indexes",
		ddl: "CREATE TABLE indexes (id int NOT NULL, a varchar(100) NOT NULL, b varchar(200) NULL, c text NULL, d int NOT NULL, g point NOT NULL," +
			" h varchar(2000) NULL, e int NULL, PRIMARY KEY (id, d), FULLTEXT KEY ft (c), KEY kb (b(10), d DESC) COMMENT 'prefix'," +
			" KEY kfull (a(100)), SPATIAL KEY sp (g), UNIQUE KEY uh (h), KEY ig (e) IGNORED, UNIQUE KEY ub (b), UNIQUE KEY ua (a) USING BTREE, KEY (e), KEY (e))",
		model: func() *schema.Table {
			null := func(c *schema.Column) { c.Null = true }
			t := ntable("indexes", nc("id", "int"), nc("a", "varchar", 100), nset(nc("b", "varchar", 200), null),
				nset(nc("c", "text"), null), nc("d", "int"), nc("g", "point"), nset(nc("h", "varchar", 2000), null), nset(nc("e", "int"), null))
			t.PrimaryKey = &schema.Index{Parts: insParts("ID", "d")}
			t.Indexes = []*schema.Index{
				{Name: "ft", Kind: "fulltext", Parts: insParts("c")},
				{Name: "kb", Parts: []schema.IndexPart{{Column: "b", Prefix: 10}, {Column: "d", Desc: true}}, Comment: "prefix"},
				{Name: "kfull", Parts: []schema.IndexPart{{Column: "a", Prefix: 100}}},
				{Name: "sp", Kind: "spatial", Parts: insParts("g")},
				{Name: "uh", Kind: "unique", Parts: insParts("h")},
				{Name: "ig", Parts: insParts("e"), Ignored: true},
				{Name: "ub", Kind: "unique", Parts: insParts("b")},
				{Name: "ua", Kind: "unique", Parts: insParts("a"), Using: "btree"},
				{Parts: insParts("e")},
				{Parts: insParts("e")},
			}
			return t
		},
	},
	{
		name: "options",
		ddl: "CREATE TABLE options (a int NULL COMMENT 'launch 🚀', KEY k (a) COMMENT 'é🚀') ENGINE=innodb CHARSET=latin1 ROW_FORMAT=dynamic" +
			" COMMENT 'it''s 🚀' STATS_PERSISTENT=0",
		model: func() *schema.Table {
			t := ntable("options", nset(nc("a", "int"), func(c *schema.Column) { c.Null, c.Comment = true, "launch 🚀" }))
			t.Options = schema.TableOptions{Engine: "innodb", Charset: "latin1", RowFormat: "dynamic", Comment: "it's 🚀", Extra: "STATS_PERSISTENT=0"}
			t.Indexes = []*schema.Index{{Name: "k", Parts: insParts("a"), Comment: "é🚀"}}
			return t
		},
	},
	{
		name: "extra options",
		ddl: "CREATE TABLE extra1 (a int NULL) ENGINE=InnoDB stats_sample_pages=5 checksum=1 max_rows=10 key_block_size=8 row_format=compressed;" +
			"CREATE TABLE extra2 (a int NULL) ENGINE=InnoDB PAGE_COMPRESSED=1 page_compression_level=6",
		model: func() *schema.Table { return nil },
	},
	{
		name: "collate_only",
		ddl:  "CREATE TABLE collate_only (a varchar(3) NULL) COLLATE latin1_bin",
		model: func() *schema.Table {
			t := ntable("collate_only", nset(nc("a", "varchar", 3), func(c *schema.Column) { c.Null = true }))
			t.Options.Collate = "latin1_bin"
			return t
		},
	},
	{
		name: "memory",
		ddl:  "CREATE TABLE mem (a int NOT NULL, b int NOT NULL, KEY ka (a), KEY kb (b) USING BTREE) ENGINE=MEMORY",
		model: func() *schema.Table {
			t := ntable("mem", nc("a", "int"), nc("b", "int"))
			t.Options.Engine = "memory"
			t.Indexes = []*schema.Index{{Name: "ka", Parts: insParts("a")}, {Name: "kb", Parts: insParts("b"), Using: "BTREE"}}
			return t
		},
	},
	{
		name: "fk",
		ddl: "CREATE TABLE fk_parent (id int NOT NULL PRIMARY KEY, x int NOT NULL, UNIQUE KEY ux (x));" +
			"CREATE TABLE fk_child (id int NOT NULL, pid int NULL, x int NULL, PRIMARY KEY (id)," +
			" CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES fk_parent (id) ON DELETE cascade," +
			" CONSTRAINT fk_id FOREIGN KEY (id) REFERENCES fk_parent (id) ON UPDATE no action," +
			" CONSTRAINT fk_x FOREIGN KEY (x) REFERENCES fk_parent (x) ON DELETE SET NULL)",
		model: func() *schema.Table {
			null := func(c *schema.Column) { c.Null = true }
			t := ntable("fk_child", nc("id", "int"), nset(nc("pid", "int"), null), nset(nc("x", "int"), null))
			t.PrimaryKey = npk("id")
			t.ForeignKeys = []*schema.ForeignKey{
				{Name: "fk_x", Columns: []string{"x"}, RefTable: "fk_parent", RefColumns: []string{"x"}, OnDelete: "set null"},
				{Name: "fk_p", Columns: []string{"pid"}, RefTable: "fk_parent", RefColumns: []string{"id"}, OnDelete: "cascade"},
				{Name: "fk_id", Columns: []string{"id"}, RefTable: "fk_parent", RefColumns: []string{"id"}, OnUpdate: "no action"},
			}
			return t
		},
	},
	{
		name: "partitions",
		ddl: "CREATE TABLE p_hash (id int NOT NULL) PARTITION BY HASH (id) PARTITIONS 4;" +
			"CREATE TABLE p_range (id int NOT NULL, d date NOT NULL) PARTITION BY RANGE COLUMNS (d, id) (PARTITION a VALUES LESS THAN ('2020-01-01', 5), PARTITION b VALUES LESS THAN (MAXVALUE, MAXVALUE));" +
			"CREATE TABLE p_rc (d date NOT NULL) PARTITION BY RANGE COLUMNS (d) (PARTITION a VALUES LESS THAN ('2020-01-01'), PARTITION m VALUES LESS THAN (MAXVALUE));" +
			"CREATE TABLE p_list (id int NOT NULL) PARTITION BY LIST (id) (PARTITION a VALUES IN (1, 2, 3) COMMENT 'small', PARTITION z DEFAULT)",
		model: func() *schema.Table {
			return nil // the three tables come from partitionModels
		},
	},
	{
		name: "expressions",
		ddl: "CREATE TABLE exprs (a int NULL, b int AS (a+b2) VIRTUAL, b2 int NULL, c varchar(20) AS (LOWER(s)) PERSISTENT, s varchar(10) NULL," +
			" d int NULL DEFAULT (1+2), e int NULL CHECK (e>0), f varchar(10) NULL DEFAULT (concat('a','b'))," +
			" CONSTRAINT ck CHECK (a>=0 AND a<100), CHECK (d IN (1,2,3)))",
		model: func() *schema.Table {
			null := func(c *schema.Column) { c.Null = true }
			t := ntable("exprs", nset(nc("a", "int"), null),
				nset(nc("b", "int"), func(c *schema.Column) { c.Generated = &schema.Generated{Expr: "a+b2"} }),
				nset(nc("b2", "int"), null),
				nset(nc("c", "varchar", 20), func(c *schema.Column) { c.Generated = &schema.Generated{Expr: "(LOWER(s))", Stored: true} }),
				nset(nc("s", "varchar", 10), null),
				nset(nc("d", "int"), func(c *schema.Column) { c.Null, c.Default = true, "(1+2)" }),
				nset(nc("e", "int"), func(c *schema.Column) { c.Null, c.Check = true, "(e>0)" }),
				nset(nc("f", "varchar", 10), func(c *schema.Column) { c.Null, c.Default = true, "(concat('a','b'))" }),
			)
			t.Checks = []*schema.Check{{Name: "ck", Expr: "(a>=0 AND a<100)"}, {Expr: "d IN (1,2,3)"}}
			return t
		},
		server: true,
	},
}

func partitionModels() []*schema.Table {
	hash := ntable("p_hash", nc("id", "int"))
	hash.Partition = &schema.Partition{Method: "hash", Expr: "id", Count: 4}
	rng := ntable("p_range", nc("id", "int"), nc("d", "date"))
	rng.Partition = &schema.Partition{Method: "range  columns", Expr: "d, id", Definitions: []schema.PartitionDef{
		{Name: "a", Values: "less than ('2020-01-01', 5)"}, {Name: "b", Values: "LESS THAN (maxvalue, MAXVALUE)"}}}
	list := ntable("p_list", nc("id", "int"))
	list.Partition = &schema.Partition{Method: "LIST", Expr: "`id`", Definitions: []schema.PartitionDef{
		{Name: "a", Values: "VALUES IN (1, 2, 3)", Comment: "small"}, {Name: "z", Values: "default", Engine: "innodb"}}}
	rc := ntable("p_rc", nc("d", "date"))
	rc.Partition = &schema.Partition{Method: "RANGE COLUMNS", Expr: "d", Definitions: []schema.PartitionDef{
		{Name: "a", Values: "LESS THAN ('2020-01-01')"}, {Name: "m", Values: "LESS THAN MAXVALUE"}}}
	return []*schema.Table{hash, rng, list, rc}
}

// TestDialect_NormalizeRoundTrip is the convergence property for code
// normalization: the model a user writes for some DDL, normalized, equals
// what the server reports for that DDL.
func TestDialect_NormalizeRoundTrip(t *testing.T) {
	db := testdb.New(t)
	var ddl []string
	for _, tc := range roundTripCases {
		ddl = append(ddl, tc.ddl)
	}
	db.Exec(t, strings.Join(ddl, ";"))
	d := insDialect(t, db)
	live := insInspect(t, d, db.DB)
	ctx := context.Background()
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	for _, tc := range roundTripCases {
		t.Run(tc.name, func(t *testing.T) {
			var models []*schema.Table
			switch tc.name {
			case "partitions":
				models = partitionModels()
			case "extra options":
				e1 := ntable("extra1", nset(nc("a", "int"), func(c *schema.Column) { c.Null = true }))
				e1.Options = schema.TableOptions{RowFormat: "Compressed", Extra: "KEY_BLOCK_SIZE = 8 checksum=1 max_rows=10 stats_sample_pages=5"}
				e2 := ntable("extra2", nset(nc("a", "int"), func(c *schema.Column) { c.Null = true }))
				e2.Options = schema.TableOptions{Extra: "page_compressed='1' `PAGE_COMPRESSION_LEVEL`=6"}
				models = []*schema.Table{e1, e2}
			default:
				models = []*schema.Table{tc.model()}
			}
			for _, m := range models {
				s := &schema.Schema{Tables: []*schema.Table{m}}
				if err := d.Normalize(s); err != nil {
					t.Fatal(err)
				}
				again := cloneTable(m)
				if err := d.Normalize(&schema.Schema{Tables: []*schema.Table{again}}); err != nil {
					t.Fatal(err)
				}
				if diffs := insDiff(m, again); len(diffs) > 0 {
					t.Errorf("Normalize is not idempotent for %s: %v", m.Name, diffs)
				}
				want := live.Table(m.Name)
				if want == nil {
					t.Fatalf("table %s not inspected", m.Name)
				}
				want.Options.AutoIncrement = 0
				diffs := insDiff(want, m)
				if tc.server {
					if len(diffs) == 0 {
						t.Errorf("%s: expected expressions only the server can canonicalize", m.Name)
					}
					if err := d.Canonicalize(ctx, conn, []*schema.Table{m}); err != nil {
						t.Fatal(err)
					}
					diffs = insDiff(want, m)
				}
				for _, df := range diffs {
					t.Errorf("%s%s", m.Name, df)
				}
			}
		})
	}
}

// cloneTable deep-copies a table.
func cloneTable(t *schema.Table) *schema.Table { return t.Clone() }

func TestDialect_Normalize(t *testing.T) {
	mysql8 := &Dialect{Flavor: MySQL, Version: Version{8, 0, 36}, Charset: "utf8mb4", Collate: "utf8mb4_0900_ai_ci",
		Engine: "InnoDB", DefaultCollations: map[string]string{"utf8mb4": "utf8mb4_0900_ai_ci", "latin1": "latin1_swedish_ci"}}
	cases := []struct {
		name string
		d    *Dialect
		in   *schema.Column
		want *schema.Column
	}{
		{"int width", Default(), nc("a", "int"), nc("a", "int", 11)},
		{"unsigned width", Default(), nset(nc("a", "smallint"), func(c *schema.Column) { c.Type.Unsigned = true }),
			nset(nc("a", "smallint", 5), func(c *schema.Column) { c.Type.Unsigned = true })},
		{"zerofill implies unsigned", Default(), nset(nc("a", "mediumint"), func(c *schema.Column) { c.Type.Zerofill = true }),
			nset(nc("a", "mediumint", 8), func(c *schema.Column) { c.Type.Zerofill, c.Type.Unsigned = true, true })},
		{"mysql8 drops widths", mysql8, nc("a", "int", 11), nc("a", "int")},
		{"mysql8 keeps tinyint(1)", mysql8, nc("a", "bool"), nc("a", "tinyint", 1)},
		{"mysql8 json", mysql8, nc("a", "json"), nc("a", "json")},
		{"mariadb json", Default(), nset(nc("a", "json"), func(c *schema.Column) { c.Null = true }),
			nset(nc("a", "longtext"), func(c *schema.Column) {
				c.Null, c.Default, c.Charset, c.Collate, c.Check = true, "NULL", "utf8mb4", "utf8mb4_bin", "json_valid(`a`)"
			})},
		{"nullable default NULL", Default(), nset(nc("a", "text"), func(c *schema.Column) { c.Null = true }),
			nset(nc("a", "text"), func(c *schema.Column) { c.Null, c.Default = true, "NULL" })},
		{"auto_increment no default", Default(), nset(nc("a", "bigint"), func(c *schema.Column) { c.Null, c.AutoIncrement = true, true }),
			nset(nc("a", "bigint", 20), func(c *schema.Column) { c.Null, c.AutoIncrement = true, true })},
		{"generated nullable, no default", Default(), nset(nc("a", "int"), func(c *schema.Column) { c.Generated = &schema.Generated{Expr: "(b + 1)"} }),
			nset(nc("a", "int", 11), func(c *schema.Column) { c.Null, c.Generated = true, &schema.Generated{Expr: "b + 1"} })},
		{"decimal scale", Default(), nset(nc("a", "numeric", 6, 3), func(c *schema.Column) { c.Default = "'1.5'" }),
			nset(nc("a", "decimal", 6, 3), func(c *schema.Column) { c.Default = "1.500" })},
		{"bit number", Default(), nset(nc("a", "bit", 8), func(c *schema.Column) { c.Default = "10" }),
			nset(nc("a", "bit", 8), func(c *schema.Column) { c.Default = "b'1010'" })},
		{"quoted string escapes", Default(), nset(nc("a", "varchar", 9), func(c *schema.Column) { c.Default = `'it\'s'` }),
			nset(nc("a", "varchar", 9), func(c *schema.Column) { c.Default = `'it''s'` })},
		{"time function", Default(), nset(nc("a", "timestamp", 6), func(c *schema.Column) { c.Default, c.OnUpdate = "(NOW(6))", "current_timestamp(6)" }),
			nset(nc("a", "timestamp", 6), func(c *schema.Column) { c.Default, c.OnUpdate = "current_timestamp(6)", "current_timestamp(6)" })},
		{"expression left for the server", Default(), nset(nc("a", "int"), func(c *schema.Column) { c.Default = "(a+1)" }),
			nset(nc("a", "int", 11), func(c *schema.Column) { c.Default = "(a+1)" })},
		{"enum trailing spaces", Default(), nset(nc("a", "enum"), func(c *schema.Column) { c.Type.Values = []string{"a ", " b  "} }),
			nset(nc("a", "enum"), func(c *schema.Column) { c.Type.Values = []string{"a", " b"} })},
		{"charset binary", Default(), nset(nc("a", "char", 4), func(c *schema.Column) { c.Charset = "binary" }), nc("a", "binary", 4)},
		{"text(n)", Default(), nc("a", "text", 20000), nc("a", "mediumtext")},
		{"utf8 alias", Default(), nset(nc("a", "varchar", 3), func(c *schema.Column) { c.Collate = "utf8_bin" }),
			nset(nc("a", "varchar", 3), func(c *schema.Column) { c.Charset, c.Collate = "utf8mb3", "utf8mb3_bin" })},
		{"non-string charset dropped", Default(), nset(nc("a", "int"), func(c *schema.Column) { c.Charset = "latin1" }), nc("a", "int", 11)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &schema.Schema{Tables: []*schema.Table{ntable("t", tc.in)}}
			if err := tc.d.Normalize(s); err != nil {
				t.Fatal(err)
			}
			for _, df := range insDiff(tc.want, s.Tables[0].Columns[0]) {
				t.Error(df)
			}
		})
	}
}

func TestDialect_NormalizeTable(t *testing.T) {
	t.Run("table defaults", func(t *testing.T) {
		s := &schema.Schema{Tables: []*schema.Table{ntable("t", nc("a", "int"))}}
		if err := Default().Normalize(s); err != nil {
			t.Fatal(err)
		}
		want := schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collate: "utf8mb4_general_ci"}
		if got := s.Tables[0].Options; got != want {
			t.Errorf("options %+v, want %+v", got, want)
		}
	})
	t.Run("implicit foreign key index", func(t *testing.T) {
		tb := ntable("t", nc("id", "int"), nc("p", "int"), nc("q", "int"))
		tb.PrimaryKey = npk("id")
		tb.Indexes = []*schema.Index{{Name: "kq", Parts: insParts("q", "p")}}
		tb.ForeignKeys = []*schema.ForeignKey{
			{Name: "fp", Columns: []string{"p"}, RefTable: "x", RefColumns: []string{"id"}},
			{Name: "fq", Columns: []string{"q"}, RefTable: "x", RefColumns: []string{"id"}},
			{Name: "fid", Columns: []string{"id"}, RefTable: "x", RefColumns: []string{"id"}},
		}
		if err := Default().Normalize(&schema.Schema{Tables: []*schema.Table{tb}}); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, i := range tb.Indexes {
			names = append(names, i.Name)
		}
		if !reflect.DeepEqual(names, []string{"kq", "fp"}) {
			t.Errorf("indexes %v, want [kq fp]", names)
		}
		if fk := tb.ForeignKeys[0]; fk.Name != "fid" || fk.OnUpdate != "RESTRICT" || fk.OnDelete != "RESTRICT" {
			t.Errorf("first foreign key %+v", fk)
		}
	})
	t.Run("unknown index column", func(t *testing.T) {
		tb := ntable("t", nc("id", "int"))
		tb.Indexes = []*schema.Index{{Name: "k", Parts: insParts("nope")}}
		err := Default().Normalize(&schema.Schema{Tables: []*schema.Table{tb}})
		if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), `table "t"`) {
			t.Errorf("error %v, want one naming table t and column nope", err)
		}
	})
	t.Run("server refusals", func(t *testing.T) {
		cases := []struct {
			name, want string
			c          *schema.Column
		}{
			{"varchar without length", `column "a": varchar needs a length`, nc("a", "varchar")},
			{"enum duplicate", `column "a": enum has the value "X" twice`,
				nset(nc("a", "enum"), func(c *schema.Column) { c.Type.Values = []string{"x ", "X"} })},
			{"auto_increment text", `column "a": AUTO_INCREMENT needs an integer type, not text`,
				nset(nc("a", "text"), func(c *schema.Column) { c.AutoIncrement = true })},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				err := Default().Normalize(&schema.Schema{Tables: []*schema.Table{ntable("t", tc.c)}})
				if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), `table "t"`) {
					t.Errorf("error %v, want %q in table t", err, tc.want)
				}
			})
		}
		ok := nset(nc("a", "enum"), func(c *schema.Column) { c.Type.Values = []string{"x", "X"}; c.Collate = "utf8mb4_bin" })
		if err := Default().Normalize(&schema.Schema{Tables: []*schema.Table{ntable("t", ok)}}); err != nil {
			t.Errorf("case-sensitive enum: %v", err)
		}
	})
	t.Run("views and triggers", func(t *testing.T) {
		s := &schema.Schema{
			Views: []*schema.View{{Name: "v", Definition: " select 1; ", CheckOption: "with check option"}},
			Triggers: []*schema.Trigger{
				{Name: "a", Table: "t", Timing: "before", Event: "insert", Body: "SET NEW.a = 1;\n"},
				{Name: "b", Table: "t", Timing: "BEFORE", Event: "INSERT", Body: "SET NEW.b = 1"},
			},
		}
		if err := Default().Normalize(s); err != nil {
			t.Fatal(err)
		}
		wantV := &schema.View{Name: "v", Definition: "select 1", Algorithm: "UNDEFINED", Security: "DEFINER", CheckOption: "CASCADED"}
		for _, df := range insDiff(wantV, s.Views[0]) {
			t.Error(df)
		}
		if tr := s.Triggers[0]; !strings.EqualFold(tr.Timing, "BEFORE") || !strings.EqualFold(tr.Event, "INSERT") || tr.Body != "SET NEW.a = 1" || tr.Order != 1 {
			t.Errorf("trigger a %+v", tr)
		}
		if s.Triggers[1].Order != 2 {
			t.Errorf("trigger b order %d, want 2", s.Triggers[1].Order)
		}
	})
}

// TestDialect_NormalizeInspectedCorpus checks that inspected models are
// canonical: Normalize leaves them unchanged, for the desired schema of
// every case of the conformance corpus the server accepts.
func TestDialect_NormalizeInspectedCorpus(t *testing.T) {
	dir := os.Getenv("STRATA_CONFORMANCE_DIR")
	if dir == "" {
		t.Skip("STRATA_CONFORMANCE_DIR is not set")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yml"))
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
			continue
		}
		m := doc.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			var c map[string]any
			if err := m.Content[i+1].Decode(&c); err != nil {
				continue
			}
			ddl, _ := c["desired"].(string)
			if ddl == "" || strings.Contains(ddl, "DELIMITER") {
				continue
			}
			name := strings.TrimSuffix(filepath.Base(f), ".yml") + "/" + m.Content[i].Value
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				db := testdb.New(t)
				if _, err := db.DB.ExecContext(context.Background(), ddl); err != nil {
					t.Skip(err)
				}
				d := insDialect(t, db)
				live := insInspect(t, d, db.DB)
				again := insInspect(t, d, db.DB)
				if err := d.Normalize(again); err != nil {
					t.Fatal(err)
				}
				for _, df := range insDiff(live, again) {
					t.Error(df)
				}
			})
		}
	}
}

// BenchmarkDialect_Normalize normalizes 1,000 and 10,000 user-written
// tables (12 columns, a primary key, 3 indexes, a foreign key on every third).
func BenchmarkDialect_Normalize(b *testing.B) {
	build := func(n int) *schema.Schema {
		s := &schema.Schema{}
		for i := 0; i < n; i++ {
			null := func(c *schema.Column) { c.Null = true }
			t := ntable(fmt.Sprintf("t%05d", i),
				nset(nc("id", "bigint"), func(c *schema.Column) { c.Type.Unsigned, c.AutoIncrement = true, true }),
				nc("a", "varchar", 100), nset(nc("b", "int"), null),
				nset(nc("c", "datetime", 3), func(c *schema.Column) { c.Default = "CURRENT_TIMESTAMP(3)" }),
				nset(nc("d", "decimal", 10, 2), func(c *schema.Column) { c.Null, c.Default = true, "0" }),
				nset(nc("e", "text"), null),
				nset(nc("f", "enum"), func(c *schema.Column) { c.Type.Values, c.Null, c.Default = []string{"x", "y"}, true, "'x'" }),
				nset(nc("g", "bool"), func(c *schema.Column) { c.Default = "0" }),
				nset(nc("h", "varchar", 20), func(c *schema.Column) { c.Null, c.Collate = true, "utf8mb4_bin" }),
				nset(nc("i", "bigint"), func(c *schema.Column) { c.Type.Unsigned, c.Null = true, true }),
				nset(nc("j", "json"), null), nset(nc("k", "double"), null))
			t.PrimaryKey = npk("id")
			t.Indexes = []*schema.Index{{Name: "ua", Kind: "UNIQUE", Parts: insParts("a")}, {Name: "kb", Parts: insParts("b", "c")}, {Name: "ki", Parts: insParts("i")}}
			if i%3 == 2 {
				t.ForeignKeys = []*schema.ForeignKey{{Name: fmt.Sprintf("fk%d", i), Columns: []string{"i"}, RefTable: fmt.Sprintf("t%05d", i-1), RefColumns: []string{"id"}}}
			}
			s.Tables = append(s.Tables, t)
		}
		return s
	}
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s := build(n)
				b.StartTimer()
				if err := Default().Normalize(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDialect_NormalizeGenerateRoundTrip is convergence through the
// generator: each user model, normalized and canonicalized, created with
// CreateTableSQL, inspects back equal to itself.
func TestDialect_NormalizeGenerateRoundTrip(t *testing.T) {
	db := testdb.New(t)
	d := insDialect(t, db)
	ctx := context.Background()
	db.Exec(t, "CREATE TABLE fk_parent (id int NOT NULL PRIMARY KEY, x int NOT NULL, UNIQUE KEY ux (x))")
	var all []*schema.Table
	for _, tc := range roundTripCases {
		switch tc.name {
		case "partitions":
			all = append(all, partitionModels()...)
		case "extra options":
		default:
			all = append(all, tc.model())
		}
	}
	s := &schema.Schema{Tables: all}
	if err := d.Normalize(s); err != nil {
		t.Fatal(err)
	}
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := d.Canonicalize(ctx, conn, s.Tables); err != nil {
		t.Fatal(err)
	}
	for _, m := range s.Tables {
		db.Exec(t, d.CreateTableSQL(m))
	}
	live := insInspect(t, d, db.DB)
	for _, m := range s.Tables {
		t.Run(m.Name, func(t *testing.T) {
			for _, df := range insDiff(live.Table(m.Name), m) {
				t.Error(df)
			}
		})
	}
}

// MySQL and MariaDB triggers fire BEFORE or AFTER any change of a row:
// a trigger limited to columns or run INSTEAD OF a view's change is
// another dialect's, refused by name rather than sent to the server.
func TestNormalize_triggerOtherDialects(t *testing.T) {
	tests := []struct {
		name string
		tr   schema.Trigger
		want string
	}{
		{"update of", schema.Trigger{Name: "touch", Table: "t", Timing: "AFTER", Event: "UPDATE", Columns: []string{"a"}, Body: "SET @x = 1"},
			`trigger "touch": MySQL and MariaDB triggers fire on every UPDATE`},
		{"instead of", schema.Trigger{Name: "v_upd", Table: "t", Timing: "INSTEAD OF", Event: "UPDATE", Body: "SET @x = 1"},
			`trigger "v_upd": MySQL and MariaDB triggers run BEFORE or AFTER`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := tt.tr
			s := &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{{Name: "a", Type: schema.Type{Name: "int"}}}}},
				Triggers: []*schema.Trigger{&tr}}
			err := Default().Normalize(s)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Normalize: got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
