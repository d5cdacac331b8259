package mysql

import (
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

func ty(name string, args ...int) schema.Type { return schema.Type{Name: name, Args: args} }

func uty(name string, args ...int) schema.Type {
	return schema.Type{Name: name, Args: args, Unsigned: true}
}

func idx(name string, kind schema.IndexKind, cols ...string) *schema.Index {
	i := &schema.Index{Name: name, Kind: kind}
	for _, c := range cols {
		i.Parts = append(i.Parts, schema.IndexPart{Column: c})
	}
	return i
}

func pk(cols ...string) *schema.Index { return idx("PRIMARY", schema.IndexPlain, cols...) }

var inno = schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collate: "utf8mb4_general_ci"}

// usersTable is a small table the golden tests alter.
func usersTable() *schema.Table {
	return &schema.Table{
		Name: "users",
		Columns: []*schema.Column{
			{Name: "id", Type: uty("bigint", 20), AutoIncrement: true},
			{Name: "email", Type: ty("varchar", 191), Collate: "utf8mb4_bin", Charset: "utf8mb4"},
			{Name: "name", Type: ty("varchar", 100), Null: true, Default: "NULL"},
		},
		PrimaryKey: pk("id"),
		Indexes:    []*schema.Index{idx("email_uq", schema.IndexUnique, "email")},
		Options:    inno,
	}
}

func TestDialect_Generate(t *testing.T) {
	users := usersTable()
	users2 := usersTable()
	users2.Options.Comment = "Registered"
	d := Default()
	for _, tc := range []struct {
		name   string
		change schema.Change
		online bool
		want   []string
	}{
		{
			name:   "create table",
			change: &schema.AddTable{T: users},
			want: []string{"CREATE TABLE `users` (\n" +
				"  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,\n" +
				"  `email` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,\n" +
				"  `name` varchar(100) NULL DEFAULT NULL,\n" +
				"  PRIMARY KEY (`id`),\n" +
				"  UNIQUE KEY `email_uq` (`email`)\n" +
				") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci"},
		},
		{
			name: "create table with everything",
			change: &schema.AddTable{T: &schema.Table{
				Name: "we`ird",
				Columns: []*schema.Column{
					{Name: "id", Type: ty("int", 11), AutoIncrement: true},
					{Name: "s", Type: ty("varchar", 10), Default: "'it''s'", Comment: "a 'c'\n"},
					{Name: "e", Type: schema.Type{Name: "enum", Values: []string{"a", "it's"}}, Null: true, Default: "'a'"},
					{Name: "ts", Type: ty("timestamp", 3), Default: "current_timestamp(3)", OnUpdate: "current_timestamp(3)"},
					{Name: "x", Type: ty("int", 11), Null: true, Default: "1 + 2", Invisible: true},
					{Name: "g", Type: ty("int", 11), Generated: &schema.Generated{Expr: "`id` + 1", Stored: true}},
					{Name: "v", Type: ty("int", 11), Null: true, Generated: &schema.Generated{Expr: "`id` * 2"}, Check: "`v` > 0"},
					{Name: "p", Type: ty("point"), Null: false},
					{Name: "body", Type: ty("text"), Null: true, Default: "NULL"},
				},
				PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}}, Comment: "pk"},
				Indexes: []*schema.Index{
					{Name: "s_e", Parts: []schema.IndexPart{{Column: "s", Prefix: 5}, {Column: "e", Desc: true}}, Comment: "two", Ignored: true},
					{Name: "h", Kind: schema.IndexUnique, Parts: []schema.IndexPart{{Column: "s"}}, Using: "HASH"},
					idx("ft", schema.IndexFulltext, "body"),
					idx("sp", schema.IndexSpatial, "p"),
				},
				ForeignKeys: []*schema.ForeignKey{{
					Name: "fk", Columns: []string{"x", "g"}, RefTable: "other", RefColumns: []string{"a", "b"},
					OnDelete: "CASCADE", OnUpdate: "RESTRICT",
				}},
				Checks: []*schema.Check{{Name: "c1", Expr: "`id` > 0"}},
				Options: schema.TableOptions{Engine: "InnoDB", Charset: "latin1", Collate: "latin1_bin",
					RowFormat: "DYNAMIC", Comment: "it's", AutoIncrement: 100, Extra: "stats_persistent=0"},
				Partition: &schema.Partition{Method: "RANGE", Expr: "`id`", SubMethod: "HASH", SubExpr: "`id`", SubCount: 2,
					Definitions: []schema.PartitionDef{
						{Name: "p0", Values: "LESS THAN (10)", Comment: "low", Engine: "InnoDB"},
						{Name: "pmax", Values: "LESS THAN MAXVALUE"},
					}},
			}},
			want: []string{"CREATE TABLE `we``ird` (\n" +
				"  `id` int(11) NOT NULL AUTO_INCREMENT,\n" +
				"  `s` varchar(10) NOT NULL DEFAULT 'it''s' COMMENT 'a ''c''\\n',\n" +
				"  `e` enum('a','it''s') NULL DEFAULT 'a',\n" +
				"  `ts` timestamp(3) NOT NULL DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),\n" +
				"  `x` int(11) NULL INVISIBLE DEFAULT (1 + 2),\n" +
				"  `g` int(11) GENERATED ALWAYS AS (`id` + 1) STORED,\n" +
				"  `v` int(11) GENERATED ALWAYS AS (`id` * 2) VIRTUAL CHECK (`v` > 0),\n" +
				"  `p` point NOT NULL,\n" +
				"  `body` text NULL DEFAULT NULL,\n" +
				"  PRIMARY KEY (`id`) COMMENT 'pk',\n" +
				"  KEY `s_e` (`s`(5),`e` DESC) COMMENT 'two' IGNORED,\n" +
				"  UNIQUE KEY `h` (`s`) USING HASH,\n" +
				"  FULLTEXT KEY `ft` (`body`),\n" +
				"  SPATIAL KEY `sp` (`p`),\n" +
				"  CONSTRAINT `fk` FOREIGN KEY (`x`, `g`) REFERENCES `other` (`a`, `b`) ON DELETE CASCADE,\n" +
				"  CONSTRAINT `c1` CHECK (`id` > 0)\n" +
				") ENGINE=InnoDB AUTO_INCREMENT=100 DEFAULT CHARSET=latin1 COLLATE=latin1_bin ROW_FORMAT=DYNAMIC stats_persistent=0 COMMENT='it''s'\n" +
				"PARTITION BY RANGE (`id`)\n" +
				"SUBPARTITION BY HASH (`id`)\n" +
				"SUBPARTITIONS 2\n" +
				"(PARTITION `p0` VALUES LESS THAN (10) COMMENT = 'low' ENGINE = InnoDB,\n" +
				" PARTITION `pmax` VALUES LESS THAN MAXVALUE)"},
		},
		{
			name: "create table partitioned by key",
			change: &schema.AddTable{T: &schema.Table{
				Name:       "k",
				Columns:    []*schema.Column{{Name: "a", Type: ty("int", 11)}},
				PrimaryKey: pk("a"),
				Partition:  &schema.Partition{Method: "LINEAR KEY", Expr: "`a`", Count: 4},
			}},
			want: []string{"CREATE TABLE `k` (\n  `a` int(11) NOT NULL,\n  PRIMARY KEY (`a`)\n)\nPARTITION BY LINEAR KEY (`a`)\nPARTITIONS 4"},
		},
		{
			name:   "drop table",
			change: &schema.DropTable{T: users},
			want:   []string{"DROP TABLE `users`"},
		},
		{
			name:   "rename table",
			change: &schema.RenameTable{From: "old name", To: "new`name"},
			want:   []string{"RENAME TABLE `old name` TO `new``name`"},
		},
		{
			name: "alter columns",
			change: &schema.AlterTable{From: users, To: users, Changes: []schema.TableChange{
				&schema.AddColumn{C: &schema.Column{Name: "age", Type: ty("int", 11), Null: true, Default: "NULL"}, Position: schema.ColumnPosition{After: "email"}},
				&schema.AddColumn{C: &schema.Column{Name: "first", Type: ty("int", 11), Default: "0"}, Position: schema.ColumnPosition{First: true}},
				&schema.DropColumn{C: &schema.Column{Name: "gone"}},
				&schema.ModifyColumn{From: &schema.Column{Name: "name"}, To: &schema.Column{Name: "name", Type: ty("varchar", 200)}, Kind: schema.ChangeType | schema.ChangeNull},
				&schema.ModifyColumn{From: &schema.Column{Name: "nick"}, To: &schema.Column{Name: "nickname", Type: ty("varchar", 20), Null: true, Default: "NULL"}, Kind: schema.ChangePosition, Position: schema.ColumnPosition{After: "id"}},
				&schema.RenameColumn{From: "a", To: "b"},
			}},
			want: []string{"ALTER TABLE `users` ADD COLUMN `age` int(11) NULL DEFAULT NULL AFTER `email`, " +
				"ADD COLUMN `first` int(11) NOT NULL DEFAULT 0 FIRST, DROP COLUMN `gone`, " +
				"MODIFY COLUMN `name` varchar(200) NOT NULL, " +
				"CHANGE COLUMN `nick` `nickname` varchar(20) NULL DEFAULT NULL AFTER `id`, " +
				"RENAME COLUMN `a` TO `b`"},
		},
		{
			name: "alter keys and constraints",
			change: &schema.AlterTable{From: users, To: users, Changes: []schema.TableChange{
				&schema.DropPrimaryKey{I: pk("id")},
				&schema.AddPrimaryKey{I: pk("id", "email")},
				&schema.AddIndex{I: &schema.Index{Name: "n", Parts: []schema.IndexPart{{Column: "name", Prefix: 10, Desc: true}}, Comment: "c"}},
				&schema.AddIndex{I: idx("u", schema.IndexUnique, "name", "email")},
				&schema.DropIndex{I: idx("old", schema.IndexPlain, "x")},
				&schema.RenameIndex{From: "a", To: "b"},
				&schema.AddForeignKey{F: &schema.ForeignKey{Name: "fk1", Columns: []string{"id"}, RefTable: "p", RefColumns: []string{"id"}, OnDelete: "SET NULL", OnUpdate: "NO ACTION"}},
				&schema.DropForeignKey{F: &schema.ForeignKey{Name: "fk0"}},
				&schema.AddCheck{C: &schema.Check{Name: "ck", Expr: "`id` > 0"}},
				&schema.DropCheck{C: &schema.Check{Name: "ck0"}},
			}},
			want: []string{"ALTER TABLE `users` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`,`email`), " +
				"ADD INDEX `n` (`name`(10) DESC) COMMENT 'c', ADD UNIQUE INDEX `u` (`name`,`email`), " +
				"DROP INDEX `old`, RENAME INDEX `a` TO `b`, " +
				"ADD CONSTRAINT `fk1` FOREIGN KEY (`id`) REFERENCES `p` (`id`) ON DELETE SET NULL ON UPDATE NO ACTION, " +
				"DROP FOREIGN KEY `fk0`, ADD CONSTRAINT `ck` CHECK (`id` > 0), DROP CONSTRAINT `ck0`"},
		},
		{
			name: "foreign key re-created under its name is dropped first",
			change: &schema.AlterTable{From: users, To: users, Changes: []schema.TableChange{
				&schema.DropForeignKey{F: &schema.ForeignKey{Name: "fk"}},
				&schema.AddForeignKey{F: &schema.ForeignKey{Name: "fk", Columns: []string{"id"}, RefTable: "p", RefColumns: []string{"id"}, OnDelete: "CASCADE", OnUpdate: "RESTRICT"}},
				&schema.AddColumn{C: &schema.Column{Name: "z", Type: ty("int", 11), Null: true, Default: "NULL"}},
			}},
			want: []string{
				"ALTER TABLE `users` DROP FOREIGN KEY `fk`",
				"ALTER TABLE `users` ADD CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `p` (`id`) ON DELETE CASCADE, ADD COLUMN `z` int(11) NULL DEFAULT NULL",
			},
		},
		{
			name: "alter options",
			change: &schema.AlterTable{From: users, To: users2, Changes: []schema.TableChange{
				&schema.ModifyOptions{
					From: schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collate: "utf8mb4_general_ci", RowFormat: "DYNAMIC", Extra: "stats_persistent=0 checksum=1"},
					To:   schema.TableOptions{Engine: "MyISAM", Charset: "utf8mb4", Collate: "utf8mb4_general_ci", Comment: "it's", Extra: "checksum=1 `page_compressed`='1'"},
				},
			}},
			want: []string{"ALTER TABLE `users` ENGINE=MyISAM, ROW_FORMAT=DEFAULT, STATS_PERSISTENT=DEFAULT, checksum=1, `page_compressed`='1', COMMENT='it''s'"},
		},
		{
			name: "alter charset converts",
			change: &schema.AlterTable{From: users, To: users, Changes: []schema.TableChange{
				&schema.ModifyOptions{From: inno, To: schema.TableOptions{Engine: "InnoDB", Charset: "latin1", Collate: "latin1_swedish_ci"}},
			}},
			want: []string{"ALTER TABLE `users` CONVERT TO CHARACTER SET latin1 COLLATE latin1_swedish_ci, " +
				"MODIFY COLUMN `email` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL"},
		},
		{
			name: "remove partitioning",
			change: &schema.AlterTable{From: users, To: users, Changes: []schema.TableChange{
				&schema.AddColumn{C: &schema.Column{Name: "z", Type: ty("int", 11), Null: true, Default: "NULL"}},
				&schema.ModifyPartition{From: &schema.Partition{Method: "HASH", Expr: "`id`", Count: 2}},
			}},
			want: []string{"ALTER TABLE `users` ADD COLUMN `z` int(11) NULL DEFAULT NULL\nREMOVE PARTITIONING"},
		},
		{
			name: "partition by",
			change: &schema.AlterTable{From: users, To: users, Changes: []schema.TableChange{
				&schema.ModifyPartition{To: &schema.Partition{Method: "LIST COLUMNS", Expr: "`a`,`b`", Definitions: []schema.PartitionDef{
					{Name: "p1", Values: "IN (('a',1),('b',2))"}, {Name: "pd", Values: "DEFAULT"}}}},
			}},
			want: []string{"ALTER TABLE `users`\nPARTITION BY LIST COLUMNS(`a`,`b`)\n(PARTITION `p1` VALUES IN (('a',1),('b',2)),\n PARTITION `pd` DEFAULT)"},
		},
		{
			name:   "online instant add column",
			online: true,
			change: &schema.AlterTable{From: users, To: users, Changes: []schema.TableChange{
				&schema.AddColumn{C: &schema.Column{Name: "z", Type: ty("int", 11), Null: true, Default: "NULL"}, Position: schema.ColumnPosition{First: true}},
				&schema.RenameColumn{From: "name", To: "full_name"},
			}},
			want: []string{"ALTER TABLE `users` ADD COLUMN `z` int(11) NULL DEFAULT NULL FIRST, RENAME COLUMN `name` TO `full_name`, ALGORITHM=INSTANT"},
		},
		{
			name:   "online but not instant",
			online: true,
			change: &schema.AlterTable{From: users, To: users, Changes: []schema.TableChange{
				&schema.AddColumn{C: &schema.Column{Name: "z", Type: ty("int", 11), Null: true, Default: "NULL"}},
				&schema.AddIndex{I: idx("z", schema.IndexPlain, "z")},
			}},
			want: []string{"ALTER TABLE `users` ADD COLUMN `z` int(11) NULL DEFAULT NULL, ADD INDEX `z` (`z`)"},
		},
		{
			name:   "create view",
			change: &schema.AddView{V: &schema.View{Name: "v`1", Definition: "select `a` AS `a` from `t`", CheckOption: "CASCADED"}},
			want:   []string{"CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v``1` AS select `a` AS `a` from `t` WITH CASCADED CHECK OPTION"},
		},
		{
			name:   "replace view",
			change: &schema.ModifyView{To: &schema.View{Name: "v", Definition: "select 1 AS `1`", Algorithm: "merge", Security: "INVOKER", CheckOption: "NONE"}},
			want:   []string{"CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW `v` AS select 1 AS `1`"},
		},
		{
			name:   "drop view",
			change: &schema.DropView{V: &schema.View{Name: "v"}},
			want:   []string{"DROP VIEW `v`"},
		},
		{
			name:   "create trigger",
			change: &schema.AddTrigger{T: &schema.Trigger{Name: "tr", Table: "t t", Timing: "before", Event: "insert", Body: "BEGIN\n  SET NEW.a = 1;\nEND"}},
			want:   []string{"CREATE TRIGGER `tr` BEFORE INSERT ON `t t` FOR EACH ROW BEGIN\n  SET NEW.a = 1;\nEND"},
		},
		{
			name:   "drop trigger",
			change: &schema.DropTrigger{T: &schema.Trigger{Name: "tr"}},
			want:   []string{"DROP TRIGGER `tr`"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.Generate(tc.change, dialect.GenOptions{Online: tc.online})
			if err != nil {
				t.Fatal(err)
			}
			var sqls []string
			for _, s := range got {
				sqls = append(sqls, s.SQL)
				if strings.HasSuffix(strings.TrimSpace(s.SQL), ";") {
					t.Errorf("statement ends with a semicolon: %q", s.SQL)
				}
			}
			if strings.Join(sqls, "\n;\n") != strings.Join(tc.want, "\n;\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(sqls, "\n;\n"), strings.Join(tc.want, "\n;\n"))
			}
		})
	}
}

func TestDialect_Generate_errors(t *testing.T) {
	d := Default()
	for _, tc := range []struct {
		name   string
		change schema.Change
	}{
		{"nil change", nil},
		{"add table without table", &schema.AddTable{}},
		{"alter without from", &schema.AlterTable{To: usersTable()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := d.Generate(tc.change, dialect.GenOptions{}); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestDefaultSQL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"'abc'", "'abc'"},
		{"'it''s'", "'it''s'"},
		{`'a\'b'`, `'a\'b'`},
		{"'a' 'b'", "('a' 'b')"},
		{"'a'||'b'", "('a'||'b')"},
		{"_utf8mb4'x'", "_utf8mb4'x'"},
		{"5", "5"},
		{"-1.50", "-1.50"},
		{"1.5e3", "1.5e3"},
		{"NULL", "NULL"},
		{"b'101'", "b'101'"},
		{"x'4142'", "x'4142'"},
		{"0x41", "0x41"},
		{"current_timestamp()", "current_timestamp()"},
		{"CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"},
		{"current_timestamp(6)", "current_timestamp(6)"},
		{"now()", "now()"},
		{"1 + 2", "(1 + 2)"},
		{"(1 + 2)", "(1 + 2)"},
		{"(1) + (2)", "((1) + (2))"},
		{"concat('a','b')", "(concat('a','b'))"},
		{"curdate()", "(curdate())"},
		{"uuid()", "(uuid())"},
		{"(')')", "(')')"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := defaultSQL(tc.in); got != tc.want {
				t.Errorf("defaultSQL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
