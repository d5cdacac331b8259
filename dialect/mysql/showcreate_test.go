package mysql

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

func TestParseShowCreateTable(t *testing.T) {
	const stmt = "CREATE TABLE `we``ird, (name)` (\n" +
		"  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT COMMENT 'the id, (primary)',\n" +
		"  `s` varchar(20) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT 'a,b) ''c'' \\\\ \\n' COMMENT 'it''s',\n" +
		"  `e` enum('x,y','it''s',')') NOT NULL DEFAULT ')',\n" +
		"  `g` int(11) GENERATED ALWAYS AS (if(`id` > 0,`id`,-`id`)) STORED INVISIBLE,\n" +
		"  `t` timestamp(3) NULL DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),\n" +
		"  `c` int(11) DEFAULT (1 + 2) CHECK (`c` in (1,2,3)),\n" +
		"  `b` bit(3) DEFAULT b'101',\n" +
		"  PRIMARY KEY (`id`),\n" +
		"  UNIQUE KEY `u` (`s`(10),`e` DESC) USING HASH COMMENT 'k, (c)',\n" +
		"  KEY `k``q` (`g`) IGNORED,\n" +
		"  FULLTEXT KEY `f` (`s`),\n" +
		"  CONSTRAINT `fk` FOREIGN KEY (`id`, `g`) REFERENCES `other`.`p` (`a`, `b`) ON DELETE SET NULL ON UPDATE NO ACTION,\n" +
		"  CONSTRAINT `ck, )` CHECK (`s` <> ')' and `c` > 0)\n" +
		") ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=DYNAMIC STATS_PERSISTENT=0 `PAGE_COMPRESSED`='1' COMMENT='tab, (le) ''x'''\n" +
		" PARTITION BY RANGE (`id`)\n" +
		"SUBPARTITION BY HASH (`g`)\n" +
		"(PARTITION `p0` VALUES LESS THAN (10) COMMENT = 'a, b' ENGINE = InnoDB,\n" +
		" PARTITION `p1` VALUES LESS THAN MAXVALUE ENGINE = InnoDB)"
	got, err := ParseShowCreateTable(stmt)
	if err != nil {
		t.Fatal(err)
	}
	want := &schema.Table{
		Name: "we`ird, (name)",
		Columns: []*schema.Column{
			{Name: "id", Type: schema.Type{Name: "bigint", Args: []int{20}, Unsigned: true}, AutoIncrement: true, Comment: "the id, (primary)"},
			{Name: "s", Type: schema.Type{Name: "varchar", Args: []int{20}}, Null: true, Charset: "latin1", Collate: "latin1_bin",
				Default: `'a,b) ''c'' \\ \n'`, Comment: "it's"},
			{Name: "e", Type: schema.Type{Name: "enum", Values: []string{"x,y", "it's", ")"}}, Default: "')'"},
			{Name: "g", Type: schema.Type{Name: "int", Args: []int{11}}, Null: true, Invisible: true,
				Generated: &schema.Generated{Expr: "if(`id` > 0,`id`,-`id`)", Stored: true}},
			{Name: "t", Type: schema.Type{Name: "timestamp", Args: []int{3}}, Null: true, Default: "current_timestamp(3)", OnUpdate: "current_timestamp(3)"},
			{Name: "c", Type: schema.Type{Name: "int", Args: []int{11}}, Null: true, Default: "(1 + 2)", Check: "`c` in (1,2,3)"},
			{Name: "b", Type: schema.Type{Name: "bit", Args: []int{3}}, Null: true, Default: "b'101'"},
		},
		PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: insParts("id")},
		Indexes: []*schema.Index{
			{Name: "u", Kind: "UNIQUE", Parts: []schema.IndexPart{{Column: "s", Prefix: 10}, {Column: "e", Desc: true}}, Using: "HASH", Comment: "k, (c)"},
			{Name: "k`q", Parts: insParts("g"), Ignored: true},
			{Name: "f", Kind: "FULLTEXT", Parts: insParts("s")},
		},
		ForeignKeys: []*schema.ForeignKey{{Name: "fk", Columns: []string{"id", "g"}, RefTable: "other.p", RefColumns: []string{"a", "b"},
			OnUpdate: "NO ACTION", OnDelete: "SET NULL"}},
		Checks: []*schema.Check{{Name: "ck, )", Expr: "`s` <> ')' and `c` > 0"}},
		Options: schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collate: "utf8mb4_general_ci", RowFormat: "DYNAMIC",
			AutoIncrement: 7, Comment: "tab, (le) 'x'", Extra: "stats_persistent=0 `page_compressed`='1'"},
		Partition: &schema.Partition{Method: "RANGE", Expr: "`id`", SubMethod: "HASH", SubExpr: "`g`", Definitions: []schema.PartitionDef{
			{Name: "p0", Values: "LESS THAN (10)", Comment: "a, b", Engine: "InnoDB"},
			{Name: "p1", Values: "LESS THAN MAXVALUE", Engine: "InnoDB"}}},
	}
	for _, d := range insDiff(want, got) {
		t.Error(d)
	}

	t.Run("executable comments", func(t *testing.T) {
		got, err := ParseShowCreateTable("CREATE TABLE `t` (\n  `a` int NOT NULL /*!80023 INVISIBLE */,\n" +
			"  `b` text /*M!100301 COMPRESSED*/ DEFAULT '/*!x*/',\n  PRIMARY KEY (`a`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci\n" +
			"/*!50100 PARTITION BY HASH (`a`)\nPARTITIONS 4 */")
		if err != nil {
			t.Fatal(err)
		}
		if !got.Columns[0].Invisible || got.Columns[1].Default != "'/*!x*/'" || got.Partition == nil || got.Partition.Count != 4 {
			t.Errorf("got %+v %+v %+v", got.Columns[0], got.Columns[1], got.Partition)
		}
	})
	t.Run("errors", func(t *testing.T) {
		for _, bad := range []string{"", "CREATE VIEW v AS select 1", "CREATE TABLE t", "CREATE TABLE `t` (\n  `a` int(11) DEFAULT 'x\n)"} {
			if _, err := ParseShowCreateTable(bad); err == nil {
				t.Errorf("%q: no error", bad)
			}
		}
	})
}

// TestParseShowCreateTable_Server parses the server's own SHOW CREATE TABLE
// of every table the inspection tests create and compares it with Inspect:
// both must describe each table the same way (index USING aside, which
// only SHOW CREATE TABLE keeps when explicit).
func TestParseShowCreateTable_Server(t *testing.T) {
	var ddl []string
	for _, tc := range roundTripCases {
		ddl = append(ddl, tc.ddl)
	}
	for _, script := range []string{inspectDDL, strings.Join(ddl, ";")} {
		sctCompareServer(t, script)
	}
}

func sctCompareServer(t *testing.T, script string) {
	db := testdb.New(t)
	db.Exec(t, script)
	d := insDialect(t, db)
	s := insInspect(t, d, db.DB)
	for _, live := range s.Tables {
		t.Run(live.Name, func(t *testing.T) {
			var name, stmt string
			if err := queryRow(context.Background(), db.DB, "SHOW CREATE TABLE "+sctQuoteIdent(live.Name), &name, &stmt); err != nil {
				t.Fatal(err)
			}
			got, err := ParseShowCreateTable(stmt)
			if err != nil {
				t.Fatal(err)
			}
			sort.Slice(got.Checks, func(i, j int) bool { return got.Checks[i].Name < got.Checks[j].Name })
			for i, idx := range got.Indexes {
				if i < len(live.Indexes) {
					idx.Using = live.Indexes[i].Using
				}
			}
			for _, df := range insDiff(live, got) {
				t.Error(df)
			}
		})
	}
}
