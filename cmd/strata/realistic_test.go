package main

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/testdb"
)

// Issue 2's acceptance on a large realistic schema, on the real MariaDB:
//
//   - TestRealistic_Schema loads version 1 and version 2 of a 111-table
//     application schema from SQL (testdata/realistic/core_v*.sql plus the
//     generated module tables below) and proves round trip (inspect -> HCL
//     -> apply to an empty database -> same SHOW CREATE, no-change plan),
//     fidelity (the hand-written HCL creates what the SQL creates), the
//     upgrade v1 -> v2 with rows in every table (result equals v2 loaded
//     from SQL, no-change plan, every surviving column keeps its rows) and
//     that a destructive apply without --allow-destructive changes nothing.
//   - TestRealistic_Findings reduces each server behaviour the schema ran
//     into to a few tables.
//
// The generated "module" tables of the realistic schema: realModules tables
// named mod_001 ... that a real application grows around its core
// (testdata/realistic/core_*.sql). Each is emitted twice from one
// description: as the SQL its developers would write and as hand-style HCL
// (aliases, omitted widths, sql("CURRENT_TIMESTAMP")), so that the fidelity
// test compares two independent spellings. Version 2 applies the changes a
// release ships; which table gets which change depends on its number:
//
//	i%10==1 column added (AFTER code)         i%10==6 unique index renamed
//	i%10==2 column dropped                    i%10==7 (trigger) kept
//	i%10==3 column widened                    i%10==8 column narrowed (data fits)
//	i%10==4 column renamed (renamed_from)     i%10==9 table renamed (renamed_from)
//	i%10==5 column moved (AFTER id)           i%10==0 auto-named FK renamed, index rebuilt
//	i%20==6 latin1 table converted to utf8mb4 i%24==5 ROW_FORMAT DYNAMIC -> COMPACT
//
// Foreign keys: to accounts (i%5==0, auto-named), to the previous table
// (i%3==0, auto-named), to itself (i%7==0) and in cycles between i and i+1
// (i%11==0). Tables 40 and 73 are dropped in version 2, 91..93 added.
const realModules = 90

// realDropped are the module tables version 2 drops.
var realDropped = map[int]bool{40: true, 73: true}

// realModuleExists says whether module table i exists in version v.
func realModuleExists(i, v int) bool {
	if v == 1 {
		return i >= 1 && i <= realModules
	}
	return i >= 1 && i <= realModules+3 && !realDropped[i]
}

// realModuleName is module table i's name in version v.
func realModuleName(i, v int) string {
	if v == 2 && i%10 == 9 {
		return fmt.Sprintf("mod_%03d_v2", i)
	}
	return fmt.Sprintf("mod_%03d", i)
}

// realIDSigned says whether module table i's id is a signed bigint (else
// int unsigned).
func realIDSigned(i int) bool { return i%2 == 1 }

// realIDType is the SQL and HCL spelling of a column referencing table i's id.
func realIDType(i int) (sqlType string, hcl []string) {
	if realIDSigned(i) {
		return "bigint", []string{"type = bigint"}
	}
	return "int unsigned", []string{"type = int", "unsigned = true"}
}

type realCol struct {
	name string
	sql  string   // the definition after the name
	hcl  []string // the attributes of the column block
}

type realTable struct {
	name    string
	cols    []realCol
	sqlKeys []string // PRIMARY KEY and the rest, SQL
	hclKeys []string // primary_key, index, foreign_key, check blocks, HCL
	sqlOpts string
	hclOpts []string
	after   []string // SQL run after every table exists (cyclic FKs)
}

func (t *realTable) col(name, sqlDef string, hcl ...string) {
	t.cols = append(t.cols, realCol{name, sqlDef, hcl})
}

func (t *realTable) key(sqlDef string, hcl ...string) {
	t.sqlKeys = append(t.sqlKeys, sqlDef)
	t.hclKeys = append(t.hclKeys, hcl...)
}

func (t *realTable) moveAfter(name, after string) {
	var c realCol
	var rest []realCol
	for _, x := range t.cols {
		if x.name == name {
			c = x
			continue
		}
		rest = append(rest, x)
	}
	t.cols = nil
	for _, x := range rest {
		t.cols = append(t.cols, x)
		if x.name == after {
			t.cols = append(t.cols, c)
		}
	}
}

func (t *realTable) SQL() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE `%s` (\n", t.name)
	var lines []string
	for _, c := range t.cols {
		lines = append(lines, fmt.Sprintf("  `%s` %s", c.name, c.sql))
	}
	for _, k := range t.sqlKeys {
		lines = append(lines, "  "+k)
	}
	b.WriteString(strings.Join(lines, ",\n"))
	b.WriteString("\n)")
	if t.sqlOpts != "" {
		b.WriteString(" " + t.sqlOpts)
	}
	b.WriteString(";\n")
	return b.String()
}

func (t *realTable) HCL() string {
	var b strings.Builder
	fmt.Fprintf(&b, "table %q {\n", t.name)
	for _, o := range t.hclOpts {
		b.WriteString("  " + o + "\n")
	}
	for _, c := range t.cols {
		fmt.Fprintf(&b, "  column %q {\n", c.name)
		for _, a := range c.hcl {
			b.WriteString("    " + a + "\n")
		}
		b.WriteString("  }\n")
	}
	for _, k := range t.hclKeys {
		for _, l := range strings.Split(k, "\n") {
			b.WriteString("  " + l + "\n")
		}
	}
	b.WriteString("}\n\n")
	return b.String()
}

func hclBlock(kind, name string, attrs ...string) string {
	return fmt.Sprintf("%s %q {\n  %s\n}", kind, name, strings.Join(attrs, "\n  "))
}

// realModuleTable describes module table i in version v.
func realModuleTable(i, v int) *realTable {
	name := realModuleName(i, v)
	t := &realTable{name: name}
	v2 := v == 2
	if v2 && i%10 == 9 {
		t.hclOpts = append(t.hclOpts, fmt.Sprintf("renamed_from = %q", realModuleName(i, 1)))
	}

	// Table options: charset by i%4, comment on odd tables, explicit
	// row formats on some.
	var opts []string
	latin1 := i%4 == 2 && !(v2 && i%20 == 6)
	switch {
	case i%4 == 1:
		opts = append(opts, "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci")
		t.hclOpts = append(t.hclOpts, `charset = "utf8mb4"`, `collate = "utf8mb4_unicode_ci"`)
	case latin1:
		opts = append(opts, "DEFAULT CHARSET=latin1")
		t.hclOpts = append(t.hclOpts, `charset = "latin1"`)
	case i%4 == 2: // converted in version 2
		opts = append(opts, "DEFAULT CHARSET=utf8mb4")
		t.hclOpts = append(t.hclOpts, `charset = "utf8mb4"`)
	case i%4 == 3:
		opts = append(opts, "DEFAULT CHARSET=utf8")
		t.hclOpts = append(t.hclOpts, `charset = "utf8mb3"`)
	}
	if i%12 == 5 {
		rf := "DYNAMIC"
		if v2 && i%24 == 5 {
			rf = "COMPACT"
		}
		opts = append(opts, "ROW_FORMAT="+rf)
		t.hclOpts = append(t.hclOpts, fmt.Sprintf("row_format = %q", strings.ToLower(rf)))
	}
	if i%2 == 1 {
		opts = append(opts, fmt.Sprintf("COMMENT='module %d: it''s generated'", i))
		t.hclOpts = append(t.hclOpts, fmt.Sprintf("comment = \"module %d: it's generated\"", i))
	}
	t.sqlOpts = strings.Join(opts, " ")

	// Columns.
	if realIDSigned(i) {
		t.col("id", "bigint NOT NULL AUTO_INCREMENT", "type = bigint", "auto_increment = true")
	} else {
		t.col("id", "int(10) unsigned NOT NULL AUTO_INCREMENT", "type = int(10)", "unsigned = true", "auto_increment = true")
	}
	t.col("account_id", "int unsigned NOT NULL", "type = int", "unsigned = true")
	var fkN int // auto-named foreign keys so far
	if i%3 == 0 {
		st, h := realIDType(i - 1)
		t.col("prev_id", st+" DEFAULT NULL", append(h, "null = true")...)
	}
	if i%7 == 0 {
		st, h := realIDType(i)
		t.col("parent_id", st+" DEFAULT NULL COMMENT 'tree'", append(h, "null = true", `comment = "tree"`)...)
	}
	if i%11 == 0 && realModuleExists(i+1, v) {
		st, h := realIDType(i + 1)
		t.col("partner_id", st+" DEFAULT NULL", append(h, "null = true")...)
	}
	if i%11 == 1 && i > 1 && realModuleExists(i-1, v) {
		st, h := realIDType(i - 1)
		t.col("partner_id", st+" DEFAULT NULL", append(h, "null = true")...)
	}
	codeLen := 32 + i%5*8
	if v2 && i%10 == 3 {
		codeLen += 100
	}
	t.col("code", fmt.Sprintf("varchar(%d) NOT NULL", codeLen), fmt.Sprintf("type = varchar(%d)", codeLen))
	if v2 && i%10 == 1 {
		t.col("extra", "varchar(40) DEFAULT NULL", "type = varchar(40)", "null = true")
	}
	if !(v2 && i%10 == 2) {
		label := "label"
		h := []string{"type = varchar(100)", `default = "n/a"`}
		if v2 && i%10 == 4 {
			label = "title"
			h = append(h, `renamed_from = "label"`)
		}
		def := "varchar(100) NOT NULL DEFAULT 'n/a'"
		switch {
		case i%8 == 1:
			def = "varchar(100) COLLATE utf8mb4_bin NOT NULL DEFAULT 'n/a'"
			h = append(h, `collate = "utf8mb4_bin"`)
		case i%8 == 2 && latin1:
			def = "varchar(100) CHARACTER SET utf8mb4 NOT NULL DEFAULT 'n/a'"
			h = append(h, `charset = "utf8mb4"`)
		}
		t.col(label, def, h...)
	}
	if v2 && i%10 == 8 {
		t.col("amount", "decimal(8,2) NOT NULL DEFAULT 0.00", "type = decimal(8,2)", "default = 0")
	} else {
		t.col("amount", "decimal(10,2) NOT NULL DEFAULT 0.00", "type = decimal(10,2)", "default = 0")
	}
	switch i % 3 {
	case 0:
		t.col("qty", "int(5) NOT NULL DEFAULT 1", "type = int(5)", "default = 1")
	case 1:
		t.col("qty", "smallint unsigned NOT NULL DEFAULT '1'", "type = smallint", "unsigned = true", `default = "1"`)
	default:
		t.col("qty", "mediumint NOT NULL DEFAULT 1", "type = mediumint", "default = 1")
	}
	if i%8 == 2 {
		t.cols[len(t.cols)-1].sql += " CHECK (qty >= 0)"
		t.cols[len(t.cols)-1].hcl = append(t.cols[len(t.cols)-1].hcl, `check = "qty >= 0"`)
	}
	t.col("flag", "tinyint(1) NOT NULL DEFAULT 0", "type = bool", "default = false")
	t.col("status", "enum('draft','active','archived') NOT NULL DEFAULT 'draft'",
		`type = enum("draft", "active", "archived")`, `default = "draft"`)
	if i%3 == 1 {
		t.col("tags", "set('red','green','blue') DEFAULT NULL", `type = set("red", "green", "blue")`, "null = true")
	}
	if i%9 == 0 {
		t.col("seq", "int(6) unsigned zerofill NOT NULL DEFAULT 0", "type = int(6)", "zerofill = true", "default = 0")
	}
	t.col("created_at", "timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP",
		"type = timestamp", `default = sql("CURRENT_TIMESTAMP")`)
	t.col("updated_at", "datetime NULL ON UPDATE CURRENT_TIMESTAMP",
		"type = datetime", "null = true", `on_update = sql("now()")`)
	if i%6 == 0 {
		t.col("note", "text", "type = text", "null = true")
	}
	switch i % 4 {
	case 0:
		t.col("code_len", "int AS (char_length(code)) VIRTUAL", "type = int", "null = true", `as = "char_length(code)"`)
	case 1:
		t.col("total", "decimal(12,2) AS (amount * qty) STORED", "type = decimal(12,2)", "null = true",
			`as = "amount * qty"`, "stored = true")
	}
	if v2 && i%10 == 5 {
		t.moveAfter("amount", "id")
	}

	// Keys.
	t.key("PRIMARY KEY (id)", `primary_key = ["id"]`)
	if v2 && i%10 == 6 {
		n := name + "_code_uq"
		t.key(fmt.Sprintf("UNIQUE KEY %s (code)", n), hclBlock("index", n, `columns = ["code"]`, "unique = true"))
	} else {
		t.key("UNIQUE (code)", hclBlock("index", "code", `columns = ["code"]`, "unique = true"))
	}
	if v2 && i%10 == 0 {
		t.key("KEY account_id (account_id, status)", hclBlock("index", "account_id", `columns = ["account_id", "status"]`))
	} else {
		t.key("KEY account_id (account_id)", hclBlock("index", "account_id", `columns = ["account_id"]`))
	}
	if i%10 == 3 && !(v2 && i%10 == 2) {
		t.key("KEY label_prefix (label(10))", hclBlock("index", "label_prefix", `columns = ["label"]`, `prefix = { label = 10 }`))
	}
	if i%6 == 0 {
		t.key("FULLTEXT KEY note_ft (note)", hclBlock("index", "note_ft", `columns = ["note"]`, "fulltext = true"))
	}
	if i%5 == 0 {
		fkN++
		fk := fmt.Sprintf("%s_ibfk_%d", realModuleName(i, 1), fkN)
		if v2 && i%10 == 0 {
			fk = name + "_account_fk"
		}
		cons := ""
		if v2 {
			cons = "CONSTRAINT " + fk + " "
		}
		t.key(cons+"FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE",
			hclBlock("foreign_key", fk, `columns = ["account_id"]`, `ref_table = "accounts"`, `ref_columns = ["id"]`, `on_delete = "CASCADE"`))
	}
	if i%3 == 0 {
		fkN++
		fk := fmt.Sprintf("%s_ibfk_%d", realModuleName(i, 1), fkN)
		cons := ""
		if v2 {
			cons = "CONSTRAINT " + fk + " "
		}
		ref := realModuleName(i-1, v)
		t.key("KEY prev_id (prev_id)", hclBlock("index", "prev_id", `columns = ["prev_id"]`))
		t.key(fmt.Sprintf("%sFOREIGN KEY (prev_id) REFERENCES %s (id) ON DELETE SET NULL", cons, ref),
			hclBlock("foreign_key", fk, `columns = ["prev_id"]`, fmt.Sprintf("ref_table = %q", ref), `ref_columns = ["id"]`, `on_delete = "SET NULL"`))
	}
	if i%7 == 0 {
		fk := name + "_parent_fk"
		t.key(fmt.Sprintf("CONSTRAINT %s FOREIGN KEY (parent_id) REFERENCES %s (id)", fk, name),
			hclBlock("foreign_key", fk, `columns = ["parent_id"]`, fmt.Sprintf("ref_table = %q", name), `ref_columns = ["id"]`))
	}
	if i%11 == 0 && realModuleExists(i+1, v) {
		// The first of a pair: its foreign key to the next table waits
		// until that table exists.
		fk := name + "_partner_fk"
		ref := realModuleName(i+1, v)
		t.hclKeys = append(t.hclKeys, hclBlock("index", fk, `columns = ["partner_id"]`))
		t.hclKeys = append(t.hclKeys, hclBlock("foreign_key", fk, `columns = ["partner_id"]`,
			fmt.Sprintf("ref_table = %q", ref), `ref_columns = ["id"]`, `on_delete = "SET NULL"`))
		t.after = append(t.after, fmt.Sprintf("ALTER TABLE `%s` ADD CONSTRAINT %s FOREIGN KEY (partner_id) REFERENCES `%s` (id) ON DELETE SET NULL;", name, fk, ref))
	}
	if i%11 == 1 && i > 1 && realModuleExists(i-1, v) {
		fk := name + "_partner_fk"
		ref := realModuleName(i-1, v)
		t.key(fmt.Sprintf("CONSTRAINT %s FOREIGN KEY (partner_id) REFERENCES %s (id) ON DELETE SET NULL", fk, ref),
			hclBlock("index", fk, `columns = ["partner_id"]`),
			hclBlock("foreign_key", fk, `columns = ["partner_id"]`, fmt.Sprintf("ref_table = %q", ref), `ref_columns = ["id"]`, `on_delete = "SET NULL"`))
	}
	if i%5 == 1 {
		chk := name + "_amount_chk"
		t.key(fmt.Sprintf("CONSTRAINT %s CHECK (amount >= 0 AND amount < 1000000)", chk),
			hclBlock("check", chk, `expr = "amount >= 0 AND amount < 1000000"`))
	}
	return t
}

// realModuleExtras are the views and triggers over module tables (the
// views' HCL is in testdata/realistic/views*_v*.hcl).
func realModuleExtras(v int) (sqlText, hclText string) {
	var s, h strings.Builder
	for i := 15; i <= realModules; i += 15 {
		if !realModuleExists(i, v) {
			continue
		}
		tn, vn := realModuleName(i, v), fmt.Sprintf("mod_%03d_active", i)
		fmt.Fprintf(&s, "CREATE VIEW `%s` AS SELECT id, code, amount FROM `%s` WHERE status = 'active';\n", vn, tn)
	}
	// A view on the views above.
	fmt.Fprintf(&s, "CREATE VIEW mod_active_totals AS SELECT 'm15' AS m, sum(amount) AS amount FROM mod_015_active UNION ALL SELECT 'm30', sum(amount) FROM mod_030_active;\n")
	for i := 7; i <= realModules; i += 10 {
		if !realModuleExists(i, v) {
			continue
		}
		tn, tr := realModuleName(i, v), fmt.Sprintf("mod_%03d_bi", i)
		fmt.Fprintf(&s, "CREATE TRIGGER `%s` BEFORE INSERT ON `%s` FOR EACH ROW SET NEW.code = upper(NEW.code);\n", tr, tn)
		fmt.Fprintf(&h, "trigger %q {\n  on     = %q\n  timing = \"BEFORE\"\n  event  = \"INSERT\"\n  body   = \"SET NEW.code = upper(NEW.code)\"\n}\n\n", tr, tn)
	}
	// Stored routines and events: one of each kept, changed in version 2,
	// one dropped and one added.
	fmt.Fprintf(&s, "CREATE PROCEDURE mod_recount(IN m INT, OUT n INT) READS SQL DATA COMMENT 'rows past m' SELECT COUNT(*) INTO n FROM %s WHERE id > m;\n", realModuleName(1, v))
	fmt.Fprintf(&h, "procedure \"mod_recount\" {\n  parameters  = \"IN m INT, OUT n INT\"\n  data_access = \"READS SQL DATA\"\n  comment     = \"rows past m\"\n  body        = \"SELECT COUNT(*) INTO n FROM %s WHERE id > m\"\n}\n\n", realModuleName(1, v))
	codeBody := map[int]string{1: "RETURN upper(c)", 2: "RETURN upper(trim(c))"}[v]
	fmt.Fprintf(&s, "CREATE FUNCTION mod_code(c VARCHAR(40)) RETURNS VARCHAR(40) DETERMINISTIC NO SQL %s;\n", codeBody)
	fmt.Fprintf(&h, "function \"mod_code\" {\n  parameters    = \"c VARCHAR(40)\"\n  returns       = \"VARCHAR(40)\"\n  deterministic = true\n  data_access   = \"NO SQL\"\n  body          = %q\n}\n\n", codeBody)
	if v == 1 {
		s.WriteString("CREATE EVENT mod_purge ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DO DELETE FROM mod_log WHERE created_at < now() - INTERVAL 30 DAY;\n")
		h.WriteString("event \"mod_purge\" {\n  every  = \"1 DAY\"\n  starts = \"2030-01-01 00:00:00\"\n  body   = \"DELETE FROM mod_log WHERE created_at < now() - INTERVAL 30 DAY\"\n}\n\n")
		s.WriteString("CREATE PROCEDURE mod_old() SELECT 1;\n")
		h.WriteString("procedure \"mod_old\" {\n  body = \"SELECT 1\"\n}\n\n")
	} else {
		s.WriteString("CREATE EVENT mod_purge ON SCHEDULE EVERY 12 HOUR STARTS '2030-01-01 00:00:00' COMMENT 'twice a day' DO DELETE FROM mod_log WHERE created_at < now() - INTERVAL 7 DAY;\n")
		h.WriteString("event \"mod_purge\" {\n  every   = \"12 HOUR\"\n  starts  = \"2030-01-01 00:00:00\"\n  comment = \"twice a day\"\n  body    = \"DELETE FROM mod_log WHERE created_at < now() - INTERVAL 7 DAY\"\n}\n\n")
		s.WriteString("CREATE EVENT mod_report ON SCHEDULE AT '2035-01-01 00:00:00' ON COMPLETION PRESERVE DISABLE DO CALL mod_recount(0, @n);\n")
		h.WriteString("event \"mod_report\" {\n  at       = \"2035-01-01 00:00:00\"\n  preserve = true\n  status   = \"DISABLE\"\n  body     = \"CALL mod_recount(0, @n)\"\n}\n\n")
	}
	return s.String(), h.String()
}

// realModules returns the module tables of version v as SQL (tables in
// creation order, then the cyclic foreign keys, views and triggers) and HCL.
func realModuleSchema(v int) (sqlText, hclText string) {
	var s, h, after strings.Builder
	for i := 1; i <= realModules+3; i++ {
		if !realModuleExists(i, v) {
			continue
		}
		t := realModuleTable(i, v)
		s.WriteString(t.SQL())
		h.WriteString(t.HCL())
		for _, a := range t.after {
			after.WriteString(a + "\n")
		}
	}
	s.WriteString(after.String())
	xs, xh := realModuleExtras(v)
	return s.String() + xs, h.String() + xh
}

// realModuleRows fills version 1's module tables: rows per table, every
// foreign key pointing at an existing row.
func realModuleRows(rows int) string {
	var b strings.Builder
	for i := 1; i <= realModules; i++ {
		cols := []string{"id", "account_id", "code", "label", "amount", "qty", "flag", "status", "created_at"}
		vals := []string{
			"seq",
			"1 + seq % 20",
			fmt.Sprintf("concat('m%d-', seq)", i),
			"concat('Étiquette ', seq)",
			"seq * 7.25",
			"seq % 50",
			"seq % 2",
			"elt(1 + seq % 3, 'draft', 'active', 'archived')",
			"'2024-01-01 10:00:00' + INTERVAL seq HOUR",
		}
		if i%3 == 0 {
			cols, vals = append(cols, "prev_id"), append(vals, "seq")
		}
		if i%3 == 1 {
			cols, vals = append(cols, "tags"), append(vals, "elt(1 + seq % 3, 'red', 'green,blue', NULL)")
		}
		if i%9 == 0 {
			cols, vals = append(cols, "seq"), append(vals, "seq * 3")
		}
		if i%6 == 0 {
			cols, vals = append(cols, "note"), append(vals, "concat('note number ', seq, ' with some words')")
		}
		fmt.Fprintf(&b, "INSERT INTO `%s` (%s) SELECT %s FROM seq_1_to_%d;\n",
			realModuleName(i, 1), strings.Join(cols, ", "), strings.Join(vals, ", "), rows)
	}
	// Parents and partners once every row exists.
	for i := 7; i <= realModules; i += 7 {
		fmt.Fprintf(&b, "UPDATE `%s` SET parent_id = id - 1 WHERE id > 1;\n", realModuleName(i, 1))
	}
	for i := 11; i < realModules; i += 11 {
		fmt.Fprintf(&b, "UPDATE `%s` SET partner_id = id;\n", realModuleName(i, 1))
		fmt.Fprintf(&b, "UPDATE `%s` SET partner_id = id;\n", realModuleName(i+1, 1))
	}
	return b.String()
}

const realModuleRowCount = 40

// realisticSQL is version v of the whole schema as SQL, in creation order.
func realisticSQL(t *testing.T, v int) string {
	core := readFile(t, fmt.Sprintf("testdata/realistic/core_v%d.sql", v))
	mods, _ := realModuleSchema(v)
	return core + "\n" + mods
}

// realisticHCL is version v of the whole schema as hand-style HCL; its
// views as written (written) or as the server renders them.
func realisticHCL(t *testing.T, v int, written bool) string {
	core := readFile(t, fmt.Sprintf("testdata/realistic/core_v%d.hcl", v))
	_, mods := realModuleSchema(v)
	views := fmt.Sprintf("testdata/realistic/views_v%d.hcl", v)
	if written {
		views = fmt.Sprintf("testdata/realistic/views_written_v%d.hcl", v)
	}
	return core + "\n" + mods + readFile(t, views)
}

// realisticRows fills version 1.
func realisticRows(t *testing.T) string {
	return readFile(t, "testdata/realistic/rows_v1.sql") + realModuleRows(realModuleRowCount)
}

// realLoad creates a database holding version v from SQL (and v1's rows).
func realLoad(t *testing.T, v int, rows bool) *testdb.DB {
	t.Helper()
	db := testdb.New(t)
	stmts := realisticSQL(t, v)
	if rows {
		stmts += realisticRows(t)
	}
	if err := mariadbClient(db.Name, stmts); err != nil {
		t.Fatalf("load version %d into %s: %v", v, db.Name, err)
	}
	return db
}

func realWrite(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// realApply applies the HCL file to db and fails the test unless it exits
// with want.
func realApply(t *testing.T, db *testdb.DB, hcl string, want int, extra ...string) cliResult {
	t.Helper()
	args := append([]string{"apply", "--url", db.URL, "--schema", hcl, "--dir", t.TempDir(), "--auto-approve"}, extra...)
	res := runCLI(t, nil, args...)
	if res.Code != want {
		t.Fatalf("strata %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), res.Code, want, realTail(res.Out, 60), res.Err)
	}
	return res
}

// realNoChanges requires a no-change plan of hcl against db.
func realNoChanges(t *testing.T, db *testdb.DB, hcl string) {
	t.Helper()
	res := runCLI(t, nil, "plan", "--url", db.URL, "--schema", hcl, "--dir", t.TempDir(), "--detailed-exitcode")
	if res.Code != 0 {
		t.Errorf("plan after apply is not empty (exit %d):\n%s%s", res.Code, realTail(res.Out, 80), res.Err)
	}
}

func realTail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("... (%d lines)", len(lines))}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// realSame compares two databases: SHOW CREATE of every object
// (compareDumps, which tolerates key order) and, strictly, the column order
// of every table, which compareDumps' line-set fallback would not see.
func realSame(t *testing.T, admin *sql.DB, got, want string) {
	t.Helper()
	g, err := dumpSchema(admin, got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := dumpSchema(admin, want)
	if err != nil {
		t.Fatal(err)
	}
	// compareDumps stops at the first difference; report them all.
	keys := map[string]bool{}
	for k := range g {
		keys[k] = true
	}
	for k := range w {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var diffs []string
	for _, k := range names {
		gk, wk := map[string]string{}, map[string]string{}
		if v, ok := g[k]; ok {
			gk[k] = v
		}
		if v, ok := w[k]; ok {
			wk[k] = v
		}
		if d := compareDumps(gk, wk); d != "" {
			diffs = append(diffs, d)
		}
	}
	if len(diffs) > 0 {
		t.Errorf("%s does not equal %s in %d objects:\n%s", got, want, len(diffs), strings.Join(diffs, "\n"))
	}
	gc, wc := realColumnOrder(t, admin, got), realColumnOrder(t, admin, want)
	for tbl, cols := range wc {
		if gc[tbl] != cols {
			t.Errorf("table %s: columns in %s are (%s), want (%s)", tbl, got, gc[tbl], cols)
		}
	}
}

func realColumnOrder(t *testing.T, admin *sql.DB, db string) map[string]string {
	t.Helper()
	rows, err := admin.Query("SELECT table_name, group_concat(column_name ORDER BY ordinal_position SEPARATOR ',') FROM information_schema.columns WHERE table_schema = ? GROUP BY table_name", db)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var tbl, cols string
		if err := rows.Scan(&tbl, &cols); err != nil {
			t.Fatal(err)
		}
		out[tbl] = cols
	}
	return out
}

// realStats counts the objects of db, for the report.
func realStats(t *testing.T, admin *sql.DB, db string) (tables, columns, views, triggers, fks int, rows int64) {
	t.Helper()
	q := func(query string, dst any) {
		if err := admin.QueryRow(query, db).Scan(dst); err != nil {
			t.Fatal(err)
		}
	}
	q("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'", &tables)
	q("SELECT count(*) FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name) WHERE c.table_schema = ? AND t.table_type = 'BASE TABLE'", &columns)
	q("SELECT count(*) FROM information_schema.views WHERE table_schema = ?", &views)
	q("SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = ?", &triggers)
	q("SELECT count(*) FROM information_schema.referential_constraints WHERE constraint_schema = ?", &fks)
	for tbl := range realColumnOrder(t, admin, db) {
		var n int64
		if err := admin.QueryRow(fmt.Sprintf("SELECT count(*) FROM `%s`.`%s`", db, tbl)).Scan(&n); err == nil {
			rows += n
		}
	}
	return
}

// realSums hashes every column of every base table of db, keyed by the
// table's primary key (or by keys[table] when given, so that a key changed
// by the upgrade still pairs the same rows): sums[table][column] is a hash
// of the sorted (key, value) pairs, so a lost, added or changed row shows.
// It returns the primary keys it found too.
func realSums(t *testing.T, admin *sql.DB, db string, keys map[string][]string) (map[string]map[string]string, map[string][]string) {
	t.Helper()
	pk := map[string][]string{}
	rows, err := admin.Query("SELECT table_name, column_name FROM information_schema.statistics WHERE table_schema = ? AND index_name = 'PRIMARY' ORDER BY table_name, seq_in_index", db)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var tbl, col string
		if err := rows.Scan(&tbl, &col); err != nil {
			t.Fatal(err)
		}
		pk[tbl] = append(pk[tbl], col)
	}
	rows.Close()
	out := map[string]map[string]string{}
	for tbl, cols := range realColumnOrder(t, admin, db) {
		if len(pk[tbl]) == 0 {
			continue // views
		}
		key := pk[tbl]
		if k, ok := keys[tbl]; ok {
			key = k
		}
		names := strings.Split(cols, ",")
		r, err := admin.Query(fmt.Sprintf("SELECT `%s`, `%s` FROM `%s`.`%s`", strings.Join(key, "`, `"), strings.Join(names, "`, `"), db, tbl))
		if err != nil {
			t.Fatalf("checksum %s: %v", tbl, err)
		}
		n := len(key) + len(names)
		vals := make([]sql.RawBytes, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		perCol := make([][]string, len(names))
		for r.Next() {
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var rowKey strings.Builder
			for _, v := range vals[:len(key)] {
				fmt.Fprintf(&rowKey, "%q|", string(v))
			}
			for i, v := range vals[len(key):] {
				cell := "NULL"
				if v != nil {
					cell = fmt.Sprintf("%q", string(v))
				}
				perCol[i] = append(perCol[i], rowKey.String()+cell)
			}
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		r.Close()
		out[tbl] = map[string]string{}
		for i, c := range names {
			sort.Strings(perCol[i])
			h := sha256.Sum256([]byte(strings.Join(perCol[i], "\n")))
			out[tbl][c] = fmt.Sprintf("%d rows %x", len(perCol[i]), h[:8])
		}
	}
	return out, pk
}

// realV2Name maps a version 1 table and column to its version 2 name;
// "" when version 2 drops it.
func realV2Name(tbl, col string) (string, string) {
	switch {
	case tbl == "legacy_tmp":
		return "", ""
	case tbl == "blog_posts":
		tbl = "articles"
	case tbl == "users" && col == "name":
		col = "full_name"
	case tbl == "users" && col == "age":
		col = "age_years"
	case tbl == "order_items" && col == "unit_price":
		col = "price_each"
	case tbl == "post_comments" && col == "post_id":
		col = "article_id"
	case tbl == "legacy_notes" && col == "tag":
		col = "label"
	case tbl == "users" && col == "fax":
		col = ""
	case strings.HasPrefix(tbl, "mod_"):
		var i int
		fmt.Sscanf(tbl, "mod_%d", &i)
		if realDropped[i] {
			return "", ""
		}
		tbl = realModuleName(i, 2)
		switch {
		case col == "label" && i%10 == 2:
			col = ""
		case col == "label" && i%10 == 4:
			col = "title"
		}
	}
	return tbl, col
}

func TestRealistic_Schema(t *testing.T) {
	admin := testdb.Server(t)
	start := time.Now()
	a := realLoad(t, 1, false)
	w := realLoad(t, 2, false)
	tables, columns, views, triggers, fks, _ := realStats(t, admin, a.Name)
	t.Logf("version 1: %d tables, %d columns, %d foreign keys, %d views, %d triggers (loaded with v2 in %v)",
		tables, columns, fks, views, triggers, time.Since(start).Round(time.Millisecond))
	t2, c2, v2, tr2, fk2, _ := realStats(t, admin, w.Name)
	t.Logf("version 2: %d tables, %d columns, %d foreign keys, %d views, %d triggers", t2, c2, fk2, v2, tr2)
	if tables < 100 {
		t.Fatalf("the realistic schema has %d tables, want 100+", tables)
	}
	hcl1 := realWrite(t, "v1.hcl", realisticHCL(t, 1, false))
	hcl2 := realWrite(t, "v2.hcl", realisticHCL(t, 2, false))

	// Round trip: inspect the SQL-made database, apply that HCL to an
	// empty one, require the same schema and a no-change plan.
	for _, c := range []struct {
		name string
		src  *testdb.DB
	}{{"round_trip_v1", a}, {"round_trip_v2", w}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			res := runCLI(t, nil, "inspect", "--url", c.src.URL)
			if res.Code != 0 {
				t.Fatalf("inspect: exit %d: %s", res.Code, res.Err)
			}
			hcl := realWrite(t, "inspected.hcl", res.Out)
			b := testdb.New(t)
			realApply(t, b, hcl, 0)
			realSame(t, admin, b.Name, c.src.Name)
			realNoChanges(t, b, hcl)
			t.Logf("inspect, apply to empty, compare, plan: %v", time.Since(start).Round(time.Millisecond))
		})
	}

	// Fidelity: the hand-written HCL creates what the SQL creates.
	for _, c := range []struct {
		name string
		hcl  string
		want *testdb.DB
	}{{"fidelity_v1", hcl1, a}, {"fidelity_v2", hcl2, w}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			db := testdb.New(t)
			realApply(t, db, c.hcl, 0)
			realSame(t, admin, db.Name, c.want.Name)
			realNoChanges(t, db, c.hcl)
			t.Logf("apply hand-written HCL to empty, compare, plan: %v", time.Since(start).Round(time.Millisecond))
		})
	}

	// Views as developers write them: the server stores them re-rendered,
	// and a plan must still come back empty after apply.
	t.Run("views_as_written", func(t *testing.T) {
		t.Parallel()
		hcl := realWrite(t, "v1.hcl", realisticHCL(t, 1, true))
		db := testdb.New(t)
		realApply(t, db, hcl, 0)
		realSame(t, admin, db.Name, a.Name)
		realNoChanges(t, db, hcl)
	})

	// Fidelity of the canonical layout: the inspected HCL after strata fmt
	// still creates the same schema.
	t.Run("fidelity_fmt", func(t *testing.T) {
		t.Parallel()
		res := runCLI(t, nil, "inspect", "--url", a.URL)
		if res.Code != 0 {
			t.Fatalf("inspect: exit %d: %s", res.Code, res.Err)
		}
		// Shuffle the layout a little so fmt has work to do.
		messy := strings.ReplaceAll(res.Out, "  type", "      type")
		hcl := realWrite(t, "schema.hcl", messy)
		if res := runCLI(t, nil, "fmt", hcl); res.Code != 0 {
			t.Fatalf("fmt: exit %d: %s%s", res.Code, res.Out, res.Err)
		}
		if got := readFile(t, hcl); got != res.Out {
			t.Errorf("fmt did not restore the canonical layout of the inspected HCL")
		}
		db := testdb.New(t)
		realApply(t, db, hcl, 0)
		realSame(t, admin, db.Name, a.Name)
	})

	// Upgrade v1 (with rows) to v2 by applying v2's HCL.
	t.Run("upgrade", func(t *testing.T) {
		t.Parallel()
		u := realLoad(t, 1, true)
		_, _, _, _, _, nrows := realStats(t, admin, u.Name)
		before, pk := realSums(t, admin, u.Name, nil)
		start := time.Now()
		res := realApply(t, u, hcl2, 0, "--allow-destructive")
		applied := time.Since(start)
		realSame(t, admin, u.Name, w.Name)
		realNoChanges(t, u, hcl2)
		// Pair rows by version 1's primary key, under version 2's names.
		keys := map[string][]string{}
		for tbl, cols := range pk {
			t2, _ := realV2Name(tbl, "")
			for _, c := range cols {
				if _, c2 := realV2Name(tbl, c); t2 != "" && c2 != "" {
					keys[t2] = append(keys[t2], c2)
				}
			}
		}
		after, _ := realSums(t, admin, u.Name, keys)
		realCompareSums(t, before, after)
		// The columns the release touched must not pass vacuously.
		for _, c := range []struct{ t1, c1, why string }{
			{"blog_posts", "title", "table renamed to articles"},
			{"users", "name", "column renamed to full_name"},
			{"users", "country", "column moved after id"},
			{"users", "age", "column in a check renamed to age_years"},
			{"order_items", "unit_price", "column in a stored generated column renamed to price_each"},
			{"order_items", "line_total", "stored generated column over a renamed column"},
			{"post_comments", "post_id", "foreign key column renamed to article_id"},
			{"legacy_notes", "tag", "char(8) renamed to label varchar(16), latin1 to utf8mb4"},
			{"products", "name", "varchar(100) widened to 255"},
			{"products", "sku", "varchar(64) narrowed to 32"},
			{"products", "price", "decimal(8,2) widened to (12,2)"},
			{"products", "barcode", "latin1 column converted"},
			{"order_items", "qty", "smallint widened to int"},
			{"legacy_notes", "title", "latin1 table converted to utf8mb4"},
			{"audit_log", "payload", "MyISAM to Aria"},
			{"stats_daily", "visits", "Aria to InnoDB"},
			{"search_cache", "query", "InnoDB to Aria"},
			{"kv_store", "v", "partitioned InnoDB to MyISAM"},
			{"sessions", "data", "COMPACT to DYNAMIC"},
			{"mod_004", "label", "column renamed to title"},
			{"mod_009", "code", "table renamed to mod_009_v2"},
			{"mod_005", "amount", "column moved after id"},
			{"mod_013", "code", "varchar widened"},
			{"mod_008", "amount", "decimal(10,2) narrowed to (8,2)"},
			{"mod_026", "label", "latin1 table converted to utf8mb4"},
		} {
			t2, c2 := realV2Name(c.t1, c.c1)
			var n int
			fmt.Sscanf(before[c.t1][c.c1], "%d", &n)
			if n == 0 {
				t.Errorf("%s.%s (%s) had no rows before the upgrade", c.t1, c.c1, c.why)
			} else if after[t2][c2] == before[c.t1][c.c1] {
				t.Logf("kept: %d rows of %s.%s -> %s.%s (%s)", n, c.t1, c.c1, t2, c2, c.why)
			}
		}
		t.Logf("upgrade of %d rows: apply %v (%s)", nrows, applied.Round(time.Millisecond), realSummary(res.Out))
	})

	// A destructive plan without --allow-destructive changes nothing.
	t.Run("destructive_refused", func(t *testing.T) {
		t.Parallel()
		d := realLoad(t, 1, true)
		schemaBefore, err := dumpSchema(admin, d.Name)
		if err != nil {
			t.Fatal(err)
		}
		orderBefore := realColumnOrder(t, admin, d.Name)
		before, _ := realSums(t, admin, d.Name, nil)
		res := realApply(t, d, hcl2, 1)
		if !strings.Contains(strings.ToLower(res.Out+res.Err), "destructive") {
			t.Errorf("the refusal does not say why:\n%s%s", realTail(res.Out, 20), res.Err)
		}
		schemaAfter, err := dumpSchema(admin, d.Name)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range schemaBefore {
			if schemaAfter[k] != v {
				t.Errorf("%s changed although the apply was refused:\n--- before\n%s\n--- after\n%s", k, v, schemaAfter[k])
			}
		}
		for k := range schemaAfter {
			if _, ok := schemaBefore[k]; !ok {
				t.Errorf("%s appeared although the apply was refused", k)
			}
		}
		if got := realColumnOrder(t, admin, d.Name); !reflect.DeepEqual(got, orderBefore) {
			t.Errorf("column order changed although the apply was refused")
		}
		after, _ := realSums(t, admin, d.Name, nil)
		if !reflect.DeepEqual(before, after) {
			for tbl, cols := range before {
				for c, h := range cols {
					if after[tbl][c] != h {
						t.Errorf("rows of %s.%s changed although the apply was refused: %s -> %s", tbl, c, h, after[tbl][c])
					}
				}
			}
		}
	})
}

// realCompareSums requires every surviving column of version 1 to hold the
// same rows in version 2, under its new table and column name.
func realCompareSums(t *testing.T, before, after map[string]map[string]string) {
	t.Helper()
	var cols, rowsChecked int
	for tbl, bc := range before {
		for col, h := range bc {
			t2, c2 := realV2Name(tbl, col)
			if t2 == "" || c2 == "" {
				continue // dropped in version 2
			}
			cols++
			got, ok := after[t2][c2]
			switch {
			case !ok:
				t.Errorf("%s.%s (was %s.%s) is missing after the upgrade", t2, c2, tbl, col)
			case got != h:
				t.Errorf("rows of %s.%s (was %s.%s) changed: %s -> %s", t2, c2, tbl, col, h, got)
			default:
				var n int
				fmt.Sscanf(h, "%d", &n)
				rowsChecked += n
			}
		}
	}
	t.Logf("row checksums: %d surviving columns, %d (row, column) values compared", cols, rowsChecked)
}

// realSummary is the last non-empty line of apply's output.
func realSummary(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// TestRealistic_Findings holds, each in a few tables, the server behaviours
// the realistic schema ran into, so a fix can be checked in a second: from
// before (SQL), apply desired (HCL) and require the database to equal
// desired loaded from SQL, and a no-change plan.
func TestRealistic_Findings(t *testing.T) {
	admin := testdb.Server(t)
	cases := []struct {
		name            string
		before, desired string // SQL
		hcl             string // desired as HCL; "" = strata inspect of desired
	}{
		{
			// CREATE_OPTIONS says transactional=1 for every Aria table,
			// SHOW CREATE TABLE prints TRANSACTIONAL=1 only when declared.
			name:    "aria_table_created",
			desired: "CREATE TABLE s (d date NOT NULL, PRIMARY KEY (d)) ENGINE=Aria;",
			hcl:     "table \"s\" {\n  engine = \"Aria\"\n  column \"d\" {\n    type = date\n  }\n  primary_key = [\"d\"]\n}\n",
		},
		{
			// ALTER TABLE ... ENGINE=InnoDB keeps the Aria table's
			// PAGE_CHECKSUM=1, even with PAGE_CHECKSUM=DEFAULT in the same
			// statement; a second ALTER removes it.
			name:    "aria_to_innodb",
			before:  "CREATE TABLE s (d date NOT NULL, PRIMARY KEY (d)) ENGINE=Aria;",
			desired: "CREATE TABLE s (d date NOT NULL, PRIMARY KEY (d)) ENGINE=InnoDB;",
			hcl:     "table \"s\" {\n  engine = \"InnoDB\"\n  column \"d\" {\n    type = date\n  }\n  primary_key = [\"d\"]\n}\n",
		},
		{
			name:    "myisam_to_aria",
			before:  "CREATE TABLE s (d date NOT NULL, PRIMARY KEY (d)) ENGINE=MyISAM;",
			desired: "CREATE TABLE s (d date NOT NULL, PRIMARY KEY (d)) ENGINE=Aria;",
			hcl:     "table \"s\" {\n  engine = \"Aria\"\n  column \"d\" {\n    type = date\n  }\n  primary_key = [\"d\"]\n}\n",
		},
		{
			// RENAME TABLE c TO c2 renames the foreign keys named
			// c_ibfk_* to c2_ibfk_*.
			name: "table_renamed_with_auto_named_fk",
			before: "CREATE TABLE p (id int NOT NULL, PRIMARY KEY (id));\n" +
				"CREATE TABLE c (id int NOT NULL, p int DEFAULT NULL, PRIMARY KEY (id), KEY p (p), FOREIGN KEY (p) REFERENCES p (id));",
			desired: "CREATE TABLE p (id int NOT NULL, PRIMARY KEY (id));\n" +
				"CREATE TABLE c2 (id int NOT NULL, p int DEFAULT NULL, PRIMARY KEY (id), KEY p (p), CONSTRAINT c_ibfk_1 FOREIGN KEY (p) REFERENCES p (id));",
			hcl: "table \"p\" {\n  column \"id\" {\n    type = int\n  }\n  primary_key = [\"id\"]\n}\n" +
				"table \"c2\" {\n  renamed_from = \"c\"\n  column \"id\" {\n    type = int\n  }\n  column \"p\" {\n    type = int\n    null = true\n  }\n  primary_key = [\"id\"]\n" +
				"  index \"p\" {\n    columns = [\"p\"]\n  }\n  foreign_key \"c_ibfk_1\" {\n    columns = [\"p\"]\n    ref_table = \"p\"\n    ref_columns = [\"id\"]\n  }\n}\n",
		},
		{
			// The same rename with the foreign key named as the server
			// will name it: the plan drops c_ibfk_1 after the rename
			// has renamed it, and apply fails half-way (error 1091).
			name: "table_renamed_auto_named_fk_follows",
			before: "CREATE TABLE p (id int NOT NULL, PRIMARY KEY (id));\n" +
				"CREATE TABLE c (id int NOT NULL, p int DEFAULT NULL, PRIMARY KEY (id), KEY p (p), FOREIGN KEY (p) REFERENCES p (id));",
			desired: "CREATE TABLE p (id int NOT NULL, PRIMARY KEY (id));\n" +
				"CREATE TABLE c2 (id int NOT NULL, p int DEFAULT NULL, PRIMARY KEY (id), KEY p (p), CONSTRAINT c2_ibfk_1 FOREIGN KEY (p) REFERENCES p (id));",
			hcl: "table \"p\" {\n  column \"id\" {\n    type = int\n  }\n  primary_key = [\"id\"]\n}\n" +
				"table \"c2\" {\n  renamed_from = \"c\"\n  column \"id\" {\n    type = int\n  }\n  column \"p\" {\n    type = int\n    null = true\n  }\n  primary_key = [\"id\"]\n" +
				"  index \"p\" {\n    columns = [\"p\"]\n  }\n  foreign_key \"c2_ibfk_1\" {\n    columns = [\"p\"]\n    ref_table = \"p\"\n    ref_columns = [\"id\"]\n  }\n}\n",
		},
		{
			// A binary default that is not UTF-8 (0x00ff) must survive
			// inspect -> HCL -> apply; today inspect writes the raw byte,
			// which reads back as U+FFFD.
			name:    "binary_default_round_trip",
			desired: "CREATE TABLE b (id int NOT NULL, vb varbinary(16) DEFAULT 0x00ff, PRIMARY KEY (id));",
		},
		{
			// The server stores a view re-rendered; the definition as
			// written must not plan a change after apply.
			name:    "view_as_written",
			desired: "CREATE TABLE t (id int NOT NULL, a int DEFAULT NULL, PRIMARY KEY (id));\nCREATE VIEW v AS SELECT id, a FROM t WHERE a > 1;",
			hcl: "table \"t\" {\n  column \"id\" {\n    type = int\n  }\n  column \"a\" {\n    type = int\n    null = true\n  }\n  primary_key = [\"id\"]\n}\n" +
				"view \"v\" {\n  definition = \"SELECT id, a FROM t WHERE a > 1\"\n}\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db, want := testdb.New(t), testdb.New(t)
			if err := mariadbClient(db.Name, c.before); err != nil {
				t.Fatal(err)
			}
			if err := mariadbClient(want.Name, c.desired); err != nil {
				t.Fatal(err)
			}
			text := c.hcl
			if text == "" {
				res := runCLI(t, nil, "inspect", "--url", want.URL)
				if res.Code != 0 {
					t.Fatalf("inspect: exit %d: %s", res.Code, res.Err)
				}
				text = res.Out
			}
			hcl := realWrite(t, "schema.hcl", text)
			realApply(t, db, hcl, 0, "--allow-destructive")
			realSame(t, admin, db.Name, want.Name)
			realNoChanges(t, db, hcl)
		})
	}
}
