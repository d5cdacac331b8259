package mysql

import (
	"context"
	"fmt"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

func TestDialect_Canonicalize(t *testing.T) {
	db := testdb.New(t)
	d := insDialect(t, db)
	ctx := context.Background()
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	null := func(c *schema.Column) { c.Null = true }
	tb := ntable("canon",
		nset(nc("a", "int"), null),
		nset(nc("b", "int"), func(c *schema.Column) { c.Null = true; c.Check = "b>=0 AND b<100" }),
		nset(nc("s", "varchar", 20), null),
		nset(nc("l", "varchar", 20), func(c *schema.Column) { c.Generated = &schema.Generated{Expr: "LOWER(s)"} }),
		nset(nc("g", "int"), func(c *schema.Column) { c.Generated = &schema.Generated{Expr: "a+b", Stored: true} }),
		nset(nc("d", "int"), func(c *schema.Column) { c.Null, c.Default = true, "(1+2)" }),
		nset(nc("f", "varchar", 10), func(c *schema.Column) { c.Null, c.Default = true, "(CONCAT('a','b'))" }),
		nset(nc("e", "double"), func(c *schema.Column) { c.Null, c.Default = true, "1.5e300" }),
		nset(nc("h", "varchar", 2000), null),
		nset(nc("ft", "text"), null),
	)
	tb.Checks = []*schema.Check{{Name: "ck", Expr: "b>=0 AND b<100"}}
	tb.Indexes = []*schema.Index{
		{Name: "uh", Kind: schema.IndexUnique, Parts: insParts("h")},
		{Name: "fx", Kind: schema.IndexFulltext, Parts: insParts("ft")},
	}
	tb.ForeignKeys = []*schema.ForeignKey{{Name: "fk", Columns: []string{"a"}, RefTable: "nowhere", RefColumns: []string{"id"}}}
	part := ntable("part", nc("id", "int"), nc("d", "date"))
	part.Partition = &schema.Partition{Method: "RANGE", Expr: "YEAR(d)*100+MONTH(d)", SubMethod: "HASH", SubExpr: "id DIV 10", SubCount: 2,
		Definitions: []schema.PartitionDef{{Name: "a", Values: "LESS THAN (202001)"}, {Name: "b", Values: "LESS THAN MAXVALUE"}}}
	compressed := ntable("compressed", nset(nc("a", "int"), func(c *schema.Column) { c.Null, c.Default = true, "(2*3)" }))
	compressed.Options = schema.TableOptions{RowFormat: "COMPRESSED", Extra: "key_block_size=8"}
	archive := ntable("archived", nset(nc("a", "int"), func(c *schema.Column) { c.Null, c.Default = true, "(2*4)" }))
	archive.Options.Engine = "CSV"
	bad := ntable("bad", nset(nc("a", "int"), func(c *schema.Column) { c.Null, c.Default = true, "(no_such_function())" }))
	s := &schema.Schema{Tables: []*schema.Table{tb, part, compressed, archive, bad}}
	if err := d.Normalize(s); err != nil {
		t.Fatal(err)
	}
	if err := d.Canonicalize(ctx, conn, s.Tables); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, got, want string }{
		{"column check", tb.Column("b").Check, "`b` >= 0 and `b` < 100"},
		{"generated LOWER", tb.Column("l").Generated.Expr, "lcase(`s`)"},
		{"generated a+b", tb.Column("g").Generated.Expr, "`a` + `b`"},
		{"default (1+2)", tb.Column("d").Default, "(1 + 2)"},
		{"default concat", tb.Column("f").Default, "concat('a','b')"},
		{"double default", tb.Column("e").Default, "1.5e300"},
		{"nullable default", tb.Column("a").Default, "NULL"},
		{"table check", tb.Check("ck").Expr, "`b` >= 0 and `b` < 100"},
		{"long unique", tb.Index("uh").Using, "HASH"},
		{"refused table unchanged", bad.Columns[0].Default, "(no_such_function())"},
		{"compressed table", compressed.Columns[0].Default, "(2 * 3)"},
		{"engine without temporary tables", archive.Columns[0].Default, "(2 * 4)"},
		{"options kept", compressed.Options.RowFormat + " " + archive.Options.Engine, "COMPRESSED CSV"},
		{"partition expression", part.Partition.Expr, "year(`d`) * 100 + month(`d`)"},
		{"subpartition expression", part.Partition.SubExpr, "`id` DIV 10"},
		{"partition columns unchanged", fmt.Sprint(len(part.Columns)), "2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
	t.Run("no temporary table left", func(t *testing.T) {
		rows, err := conn.QueryContext(ctx, "SHOW TABLES")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			_ = rows.Scan(&n)
			t.Errorf("table %s left behind", n)
		}
		var n int
		if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TEMP_TABLES_INFO").Scan(&n); err == nil && n != 0 {
			t.Errorf("%d temporary tables left", n)
		}
	})
	t.Run("converges with the live table", func(t *testing.T) {
		want := &schema.Table{}
		*want = *tb
		db.Exec(t, "CREATE TABLE nowhere (id int PRIMARY KEY);"+d.CreateTableSQL(tb))
		db.Exec(t, d.CreateTableSQL(part))
		s := insInspect(t, d, db.DB)
		for _, df := range insDiff(s.Table("canon"), tb) {
			t.Error(df)
		}
		for _, df := range insDiff(s.Table("part"), part) {
			t.Error(df)
		}
	})
}
