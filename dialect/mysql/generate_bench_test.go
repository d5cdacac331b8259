package mysql

import (
	"fmt"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// BenchmarkDialect_Generate turns the changes of a big plan into SQL: 1,000
// new tables (12 columns, a primary key, 3 indexes, a foreign key on every
// third) and 1,000 ALTERs of three changes each, the Online way the CLI
// asks for them.
func BenchmarkDialect_Generate(b *testing.B) {
	d := Default()
	const n = 1000
	var changes []schema.Change
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("t%05d", i)
		t := tbl(name, nullCol("id", ty("bigint", 20)), nullCol("a", ty("varchar", 100)), intCol("b"),
			nullCol("c", ty("datetime", 3)), nullCol("d", ty("decimal", 10, 2)), nullCol("e", ty("text")),
			nullCol("g", ty("tinyint", 1)), nullCol("h", ty("varchar", 20)), nullCol("i", uty("bigint", 20)),
			nullCol("j", ty("longtext")), nullCol("k", ty("double")), nullCol("l", ty("date")))
		t.Columns[0].Null, t.Columns[0].Default = false, ""
		t.PrimaryKey = pk("id")
		t.Indexes = []*schema.Index{idx("ua", schema.IndexUnique, "a"), idx("kb", "", "b", "c"), idx("ki", "", "i")}
		if i%3 == 2 {
			t.ForeignKeys = []*schema.ForeignKey{{Name: fmt.Sprintf("fk%d", i), Columns: []string{"i"},
				RefTable: fmt.Sprintf("t%05d", i-1), RefColumns: []string{"id"}, OnDelete: "RESTRICT", OnUpdate: "RESTRICT"}}
		}
		changes = append(changes, &schema.AddTable{T: t})

		to := t.Clone()
		to.Name = fmt.Sprintf("u%05d", i)
		from := t.Clone()
		from.Name = to.Name
		added := nullCol("m", ty("int", 11))
		to.Columns = append(to.Columns, added)
		to.Columns[1] = nullCol("a", ty("varchar", 200))
		kc := idx("kc", "", "c")
		to.Indexes = append(to.Indexes, kc)
		changes = append(changes, &schema.AlterTable{From: from, To: to, Changes: []schema.TableChange{
			&schema.AddColumn{C: added},
			&schema.ModifyColumn{From: from.Columns[1], To: to.Columns[1], Kind: schema.ChangeType},
			&schema.AddIndex{I: kc},
		}})
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range changes {
			if _, err := d.Generate(c, dialect.GenOptions{Online: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
