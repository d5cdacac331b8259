package planner

import (
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/sqlite"
	"github.com/stratadb/strata/schema"
)

// fakeRules is a dialect whose diff rules are the opposite of MySQL's
// wherever they can be: a server that renames no keys, changes generated
// columns in place, retypes key columns, ignores column order and whose
// views declare what they read.
type fakeRules struct{ fakeDialect }

func (fakeRules) RenamedForeignKey(fk, from, to string) string {
	return strings.Replace(fk, from, to, 1)
}
func (fakeRules) ReplacesColumn(a, b *schema.Column) bool  { return false }
func (fakeRules) RetypeBreaksForeignKeys() bool            { return false }
func (fakeRules) ColumnOrder() bool                        { return false }
func (fakeRules) ViewDependencies(v *schema.View) []string { return v.DependsOn }

var _ dialect.DiffRules = fakeRules{}

// TestDiffRules shows each diff rule a dialect owns deciding the plan: the
// same two schemas diffed for MySQL, SQLite, a dialect without rules (nil:
// the defaults) and fakeRules.
func TestDiffRules(t *testing.T) {
	parent := func() *schema.Table { return pk(tbl("p", col("id", "int")), "id") }
	child := func(name, fkName string) *schema.Table {
		return fk(pk(tbl(name, col("id", "int"), col("pid", "int")), "id"), fkName, []string{"pid"}, "p", []string{"id"})
	}
	generated := func(stored bool) *schema.Table {
		g := nullable(col("g", "int"))
		g.Generated = &schema.Generated{Expr: "`a` + 1", Stored: stored}
		return idx(pk(tbl("t", col("id", "int"), col("a", "int"), g), "id"), "k_g", schema.IndexPlain, "g")
	}
	viewOn := func(def string, deps ...string) *schema.View {
		return &schema.View{Name: "v", Definition: def, DependsOn: deps}
	}
	tests := []struct {
		name     string
		cur, des *schema.Schema
		// want per dialect: "mysql", "sqlite", "none", "fake".
		want map[string][]string
	}{{
		name: "a renamed table's foreign keys",
		cur:  sch(parent(), child("c", "c_ibfk_1")),
		des: func() *schema.Schema {
			c := child("c2", "c2_ibfk_1")
			c.RenamedFrom = "c"
			return sch(parent(), c)
		}(),
		want: map[string][]string{
			"mysql":  {"rename table c to c2"},
			"sqlite": {"rename table c to c2", "alter table c2: drop fk c_ibfk_1, add fk c2_ibfk_1"},
			"none":   {"rename table c to c2", "alter table c2: drop fk c_ibfk_1, add fk c2_ibfk_1"},
			"fake":   {"rename table c to c2"},
		},
	}, {
		name: "a virtual column made stored",
		cur:  sch(generated(false)),
		des:  sch(generated(true)),
		want: map[string][]string{
			"mysql":  {"alter table t: drop index k_g, drop column g, add column g after a, add index k_g"},
			"sqlite": {"alter table t: drop index k_g, drop column g, add column g after a, add index k_g"},
			"none":   {"alter table t: drop index k_g, drop column g, add column g after a, add index k_g"},
			"fake":   {"alter table t: modify column g [generated]"},
		},
	}, {
		name: "a key column retyped",
		cur:  sch(parent(), child("c", "fk_p")),
		des: func() *schema.Schema {
			c := child("c", "fk_p")
			c.Columns[1].Type.Name = "bigint"
			return sch(parent(), c)
		}(),
		want: map[string][]string{
			"mysql":  {"alter table c: drop fk fk_p", "alter table c: modify column pid [type], add fk fk_p"},
			"sqlite": {"alter table c: drop fk fk_p", "alter table c: modify column pid [type], add fk fk_p"},
			"none":   {"alter table c: drop fk fk_p", "alter table c: modify column pid [type], add fk fk_p"},
			"fake":   {"alter table c: modify column pid [type]"},
		},
	}, {
		name: "columns in another order, one added between",
		cur:  sch(pk(tbl("t", col("id", "int"), col("a", "int"), col("b", "int")), "id")),
		des:  sch(pk(tbl("t", col("id", "int"), col("b", "int"), col("n", "int"), col("a", "int")), "id")),
		want: map[string][]string{
			"mysql":  {"alter table t: modify column b [position] after id, add column n after b"},
			"sqlite": {"alter table t: modify column b [position] after id, add column n after b"},
			"none":   {"alter table t: modify column b [position] after id, add column n after b"},
			"fake":   {"alter table t: add column n"},
		},
	}, {
		name: "a changed view reading a changed table",
		cur: &schema.Schema{Tables: []*schema.Table{pk(tbl("t", col("id", "int"), col("a", "int")), "id")},
			Views: []*schema.View{viewOn("select `t`.`id` AS `id` from `t`")}},
		des: &schema.Schema{Tables: []*schema.Table{pk(tbl("t", col("id", "int")), "id")},
			Views: []*schema.View{viewOn("select id, 1 AS one from t")}},
		want: map[string][]string{
			// MySQL reads the live view's backquoted names, SQLite every
			// name: the view goes before the table changes.
			"mysql":  {"drop view v", "alter table t: drop column a", "add view v"},
			"sqlite": {"drop view v", "alter table t: drop column a", "add view v"},
			// Without DependsOn nothing says the view reads t.
			"none": {"alter table t: drop column a", "modify view v"},
			"fake": {"alter table t: drop column a", "modify view v"},
		},
	}}
	dialects := map[string]dialect.Dialect{"mysql": mysqlRules, "sqlite": sqlite.New(), "none": nil, "fake": fakeRules{}}
	for _, tt := range tests {
		for name, d := range dialects {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				got := describe(Diff(tt.cur, tt.des, d))
				if want := tt.want[name]; strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("Diff:\n got %q\nwant %q", got, want)
				}
				// The undo reads the rules too: diffing back finds the way home.
				back := describe(Reverse(tt.cur, tt.des, d))
				if len(back) == 0 {
					t.Errorf("Reverse found nothing to undo")
				}
			})
		}
	}
}

// TestBuild_serverColumnOrder shows a plan's hashes on a server that does
// not order columns: ToHash is the hash of the schema the server will have,
// kept columns where they are and new ones last, not the desired schema's;
// its undo starts from there.
func TestBuild_serverColumnOrder(t *testing.T) {
	cur := sch(pk(tbl("t", col("id", "int"), col("a", "int"), col("b", "int")), "id"), pk(tbl("u", col("id", "int")), "id"))
	des := sch(pk(tbl("t", col("id", "int"), col("b", "int"), col("n", "int"), col("a", "int")), "id"), pk(tbl("u", col("id", "int")), "id"))
	for _, tt := range []struct {
		name string
		d    dialect.Dialect
		// live is the table's columns after the plan.
		live []string
	}{
		{"ordered (mysql)", mysqlRules, []string{"id", "b", "n", "a"}},
		{"unordered", fakeRules{}, []string{"id", "a", "b", "n"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Build(cur, des, Diff(cur, des, tt.d), tt.d, dialect.GenOptions{})
			if err != nil {
				t.Fatal(err)
			}
			live, err := apply(cur, changesOf(p))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range live.Table("t").Columns {
				names = append(names, c.Name)
			}
			if strings.Join(names, ",") != strings.Join(tt.live, ",") {
				t.Fatalf("columns after the plan %q, want %q", names, tt.live)
			}
			if p.ToHash != hashNil(live) {
				t.Errorf("ToHash is not the hash of the schema the plan leaves")
			}
			down, err := BuildReverse(cur, des, tt.d, dialect.GenOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if down.FromHash != p.ToHash {
				t.Errorf("the undo does not start from the schema the plan leaves")
			}
			back, err := apply(live, changesOf(down))
			if err != nil {
				t.Fatal(err)
			}
			if down.ToHash != hashNil(back) || back.Hash() != cur.Hash() {
				t.Errorf("the undo's ToHash is not the hash of the schema it leaves, or that is not the first one")
			}
		})
	}
}

func changesOf(p *Plan) []schema.Change {
	var chs []schema.Change
	for _, s := range p.Steps {
		chs = append(chs, s.Change)
	}
	return chs
}
