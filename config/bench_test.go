package config

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stratadb/strata/schema"
)

// benchSchema is n tables of 12 columns, a primary key, 3 indexes and a
// foreign key on every third table (the shape of the planner benchmarks).
func benchSchema(n int) *schema.Schema {
	s := &schema.Schema{}
	for i := 0; i < n; i++ {
		t := &schema.Table{Name: fmt.Sprintf("t%05d", i), Options: schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collate: "utf8mb4_general_ci"}}
		t.Columns = append(t.Columns, &schema.Column{Name: "id", Type: schema.Type{Name: "bigint", Args: []int{20}, Unsigned: true}, AutoIncrement: true})
		t.Columns = append(t.Columns, &schema.Column{Name: "parent_id", Type: schema.Type{Name: "bigint", Args: []int{20}, Unsigned: true}, Null: true, Default: "NULL"})
		for c := 2; c < 12; c++ {
			t.Columns = append(t.Columns, &schema.Column{Name: fmt.Sprintf("c%d", c), Type: schema.Type{Name: "varchar", Args: []int{100}}, Default: "'x'", Comment: "a column"})
		}
		t.PrimaryKey = &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}}}
		for k := 0; k < 3; k++ {
			t.Indexes = append(t.Indexes, &schema.Index{Name: fmt.Sprintf("i%d", k), Parts: []schema.IndexPart{{Column: fmt.Sprintf("c%d", k+2)}}})
		}
		if i%3 == 2 {
			t.ForeignKeys = append(t.ForeignKeys, &schema.ForeignKey{Name: fmt.Sprintf("fk_%d", i), Columns: []string{"parent_id"},
				RefTable: fmt.Sprintf("t%05d", i-1), RefColumns: []string{"id"}, OnUpdate: "RESTRICT", OnDelete: "CASCADE"})
		}
		s.Tables = append(s.Tables, t)
	}
	return s
}

func BenchmarkFiles_LoadSchema(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "schema.hcl")
			if err := os.WriteFile(path, WriteSchema(benchSchema(n)), 0o644); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, diags := NewFiles().LoadSchema(path); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
		})
	}
}

func BenchmarkWriteSchema(b *testing.B) {
	s := benchSchema(1000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		WriteSchema(s)
	}
}
