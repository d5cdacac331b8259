package planner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/schema"
)

// fakeDialect turns changes into one descriptive statement each; it is not
// a database, only a stand-in generator.
type fakeDialect struct{ fail bool }

func (fakeDialect) Name() string { return "fake" }
func (fakeDialect) Inspect(context.Context, dialect.Querier) (*schema.Schema, error) {
	return nil, errors.New("fake dialect cannot inspect")
}
func (fakeDialect) Normalize(*schema.Schema) error { return nil }
func (f fakeDialect) Generate(c schema.Change, _ dialect.GenOptions) ([]dialect.Stmt, error) {
	if f.fail {
		return nil, errors.New("boom")
	}
	return []dialect.Stmt{{SQL: describeChange(c) + ";"}}, nil
}

// fakeMySQL is fakeDialect with MySQL's hazard rules, for plans whose
// hazards are under test.
type fakeMySQL struct{ fakeDialect }

var mysqlRules = mysql.Default()

func (fakeMySQL) QuoteName(n string) string         { return mysqlRules.QuoteName(n) }
func (fakeMySQL) Narrowing(a, b schema.Type) string { return mysqlRules.Narrowing(a, b) }
func (fakeMySQL) AlterHazards(at *schema.AlterTable, lt dialect.LiveTable) []dialect.Hazard {
	return mysqlRules.AlterHazards(at, lt)
}

func hazardStrings(hs []Hazard) []string {
	var out []string
	for _, h := range hs {
		out = append(out, string(h.Kind)+": "+h.Message)
	}
	return out
}

func alterOf(from, to *schema.Table, ch ...schema.TableChange) *schema.AlterTable {
	return &schema.AlterTable{From: from, To: to, Changes: ch}
}

func TestHazards(t *testing.T) {
	users := baseSchema().Tables[0]
	withCol := func(c *schema.Column) *schema.Column { return c }
	str := func(name string, n int, charset string) *schema.Column {
		c := col(name, "varchar", n)
		c.Charset = charset
		return c
	}
	enum := func(vals ...string) *schema.Column {
		c := col("status", "enum")
		c.Type.Values = vals
		return c
	}
	modify := func(from, to *schema.Column, kind schema.ColumnChangeKind) schema.Change {
		return alterOf(users, users, &schema.ModifyColumn{From: from, To: to, Kind: kind})
	}
	tests := []struct {
		name string
		c    schema.Change
		want []string // substrings, one per hazard, in order
	}{
		{"drop table", &schema.DropTable{T: users}, []string{
			"destructive: drops table `users` and all its rows",
			"irreversible: the undo recreates table `users` empty"}},
		{"add table", &schema.AddTable{T: users}, nil},
		{"rename table", &schema.RenameTable{From: "a", To: "b"}, nil},
		{"drop column", alterOf(users, users, &schema.DropColumn{C: users.Columns[2]}), []string{
			"destructive: drops column `users`.`name` and its values",
			"irreversible: the undo re-adds column `users`.`name` empty"}},
		{"add nullable column", alterOf(users, users, &schema.AddColumn{C: nullable(col("age", "int", 11))}), nil},
		{"add stored generated column", alterOf(users, users, &schema.AddColumn{C: withCol(&schema.Column{
			Name: "g", Type: schema.Type{Name: "int", Args: []int{11}}, Generated: &schema.Generated{Expr: "1", Stored: true}})}),
			[]string{"locking: adding stored generated column `users`.`g` copies table `users`"}},
		{"varchar shortened", modify(col("email", "varchar", 191), col("email", "varchar", 100), schema.ChangeType), []string{
			"destructive: may truncate values of `users`.`email`: shorter length (varchar(191) → varchar(100))",
			"data-dependent: fails (strict mode) or truncates if values of `users`.`email` do not fit varchar(100)",
			"irreversible: the undo cannot restore values of `users`.`email`",
			"locking: changing the type of `users`.`email` (varchar(191) → varchar(100)) copies table"}},
		{"varchar widened in place", modify(col("email", "varchar", 10), col("email", "varchar", 50), schema.ChangeType), nil},
		{"varchar widened beyond 255 bytes", modify(col("email", "varchar", 100), col("email", "varchar", 191), schema.ChangeType), nil},
		{"varchar widened past 255 bytes", modify(col("email", "varchar", 50), col("email", "varchar", 64), schema.ChangeType), []string{
			"locking: changing the type of `users`.`email` (varchar(50) → varchar(64)) copies table `users`"}},
		{"int widened", modify(col("id", "int", 11), col("id", "bigint", 20), schema.ChangeType), []string{
			"locking: changing the type of `users`.`id` (int(11) → bigint(20)) copies table"}},
		{"int display width", modify(col("id", "int", 11), col("id", "int", 5), schema.ChangeType), nil},
		{"int narrowed", modify(col("id", "bigint", 20), col("id", "int", 11), schema.ChangeType), []string{
			"destructive: may truncate values of `users`.`id`: smaller integer type", "data-dependent:", "irreversible:", "locking:"}},
		{"signed to unsigned", modify(col("id", "int", 11), &schema.Column{Name: "id", Type: schema.Type{Name: "int", Args: []int{10}, Unsigned: true}}, schema.ChangeType), []string{
			"destructive: may truncate values of `users`.`id`: negative values do not fit an unsigned type", "data-dependent:", "irreversible:", "locking:"}},
		{"decimal precision down", modify(col("p", "decimal", 10, 2), col("p", "decimal", 8, 2), schema.ChangeType), []string{
			"destructive: may truncate values of `users`.`p`: decimal precision or scale down", "data-dependent:", "irreversible:", "locking:"}},
		{"enum value removed", modify(enum("a", "b", "c"), enum("a", "c"), schema.ChangeType), []string{
			"destructive: may truncate values of `users`.`status`: values 'b' no longer allowed", "data-dependent:", "irreversible:", "locking:"}},
		{"enum value appended", modify(enum("a", "b"), enum("a", "b", "c"), schema.ChangeType), nil},
		{"enum value inserted", modify(enum("a", "b"), enum("a", "x", "b"), schema.ChangeType), []string{"locking:"}},
		{"text to varchar", modify(col("bio", "text"), col("bio", "varchar", 255), schema.ChangeType), []string{
			"destructive: may truncate values of `users`.`bio`: text to varchar truncates long values", "data-dependent:", "irreversible:", "locking:"}},
		{"charset to latin1", modify(str("email", 100, ""), str("email", 100, "latin1"), schema.ChangeCharset), []string{
			"destructive: characters of `users`.`email` that latin1 cannot hold are lost (utf8mb4 → latin1)",
			"data-dependent:", "irreversible:",
			"locking: converting `users`.`email` from utf8mb4 to latin1 copies table `users`"}},
		{"charset to utf8mb4", modify(str("email", 100, "utf8mb3"), str("email", 100, ""), schema.ChangeCharset), []string{
			"locking: converting `users`.`email` from utf8mb3 to utf8mb4 copies table `users`"}},
		{"collation only", modify(func() *schema.Column { c := str("email", 100, "utf8mb4"); c.Collate = "utf8mb4_bin"; return c }(), str("email", 100, ""), schema.ChangeCharset), nil},
		{"null to not null", modify(nullable(col("name", "varchar", 50)), col("name", "varchar", 50), schema.ChangeNull|schema.ChangeDefault), []string{
			"data-dependent: fails if `users`.`name` holds NULL values (NULL → NOT NULL)",
			"locking: making `users`.`name` NOT NULL rebuilds table `users`"}},
		{"new unique index", alterOf(users, users, &schema.AddIndex{I: &schema.Index{Name: "u", Kind: schema.IndexUnique, Parts: parts("email")}}), []string{
			"data-dependent: fails if `users` has duplicate values in (email) for unique index `u`"}},
		{"unique index on a new NULL column", alterOf(users, users,
			&schema.AddColumn{C: nullable(col("code", "char", 8))},
			&schema.AddIndex{I: &schema.Index{Name: "u", Kind: schema.IndexUnique, Parts: parts("code")}}), nil},
		{"unique index on a new column with a default", alterOf(users, users,
			&schema.AddColumn{C: func() *schema.Column { c := col("code", "char", 8); c.Default = "'x'"; return c }()},
			&schema.AddIndex{I: &schema.Index{Name: "u", Kind: schema.IndexUnique, Parts: parts("code")}}), []string{"data-dependent: fails if `users` has duplicate values in (code)"}},
		{"foreign key on a new NULL column", alterOf(users, users,
			&schema.AddColumn{C: nullable(col("ref", "int", 11))},
			&schema.AddForeignKey{F: &schema.ForeignKey{Name: "f", Columns: []string{"ref"}, RefTable: "x", RefColumns: []string{"id"}}}), []string{"locking:"}},
		{"plain index", alterOf(users, users, &schema.AddIndex{I: &schema.Index{Name: "i", Parts: parts("email")}}), nil},
		{"primary key change", alterOf(users, users, &schema.DropPrimaryKey{I: users.PrimaryKey}, &schema.AddPrimaryKey{I: &schema.Index{Name: "PRIMARY", Parts: parts("id", "email")}}), []string{
			"data-dependent: fails if `users` has duplicate values in (id, email) for the primary key",
			"locking: changing the primary key rebuilds table `users`"}},
		{"new foreign key", alterOf(users, users, &schema.AddForeignKey{F: &schema.ForeignKey{Name: "f", Columns: []string{"id"}, RefTable: "x", RefColumns: []string{"id"}}}), []string{
			"data-dependent: fails if rows of `users` reference missing rows of `x` (foreign key `f`)", "locking:"}},
		{"new check", alterOf(users, users, &schema.AddCheck{C: &schema.Check{Name: "c", Expr: "1"}}), []string{
			"data-dependent: fails if rows of `users` violate check `c`", "locking: adding check `c` copies table `users`"}},
		{"engine change", alterOf(users, users, &schema.ModifyOptions{From: schema.TableOptions{Engine: "InnoDB"}, To: schema.TableOptions{Engine: "Aria"}}), []string{
			"locking: changing the engine of `users` from InnoDB to Aria copies the table"}},
		{"comment change", alterOf(users, users, &schema.ModifyOptions{To: schema.TableOptions{Comment: "x"}}), nil},
		{"range partitioning", alterOf(users, users, &schema.ModifyPartition{To: &schema.Partition{Method: "RANGE", Expr: "`id`"}}), []string{
			"data-dependent: fails if rows of `users` fall outside the new partitions", "locking: repartitioning `users` copies all its rows"}},
		{"drop view", &schema.DropView{V: &schema.View{Name: "v"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hazardStrings(Hazards(tt.c, mysql.Default()))
			if len(got) != len(tt.want) {
				t.Fatalf("hazards:\n%s\nwant %d: %q", strings.Join(got, "\n"), len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) && !strings.Contains(got[i], w) {
					t.Errorf("hazard %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

// richChange is a schema pair with every kind of change for Build tests.
func richPair() (cur, des *schema.Schema) {
	cur = baseSchema()
	audit := pk(tbl("audit", col("id", "int", 11), nullable(col("msg", "text"))), "id")
	cur.Tables = append(cur.Tables, audit)
	des = clone(cur)
	u := des.Tables[0]
	u.Columns = slices.Insert(u.Columns, 2, nullable(col("age", "int", 11)))
	u.Columns[1].Type.Args = []int{191}
	u.Indexes = u.Indexes[:1]
	p := des.Tables[1]
	p.Name, p.RenamedFrom = "articles", "posts"
	des.Tables = des.Tables[:2]
	tags := pk(tbl("tags", col("id", "int", 11), col("name", "varchar", 50)), "id")
	des.Tables = append(des.Tables, tags)
	des.Views = []*schema.View{{Name: "v_users", Definition: "select `users`.`id` AS `id` from `users`", Algorithm: "UNDEFINED", Security: "DEFINER", CheckOption: "NONE"}}
	return cur, des
}

func TestBuild(t *testing.T) {
	cur, des := richPair()
	chs := Diff(cur, des, mysqlRules)
	p, err := Build(cur, des, chs, fakeDialect{}, dialect.GenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.FromHash != cur.Hash() || p.ToHash != des.Hash() {
		t.Error("hashes not from the schemas")
	}
	if len(p.Steps) != len(chs) {
		t.Fatalf("%d steps for %d changes", len(p.Steps), len(chs))
	}
	var sqls []string
	for _, s := range p.Statements() {
		sqls = append(sqls, s.SQL)
	}
	want := []string{
		"rename table posts to articles;",
		"add table tags;",
		"alter table users: drop index users_name_idx, modify column email [type], add column age after email;",
		"drop table audit;",
		"add view v_users;",
	}
	if !slices.Equal(sqls, want) {
		t.Errorf("statements:\n%s\nwant\n%s", strings.Join(sqls, "\n"), strings.Join(want, "\n"))
	}
	if !p.HasHazard(Destructive) || !p.HasHazard(Irreversible) || p.HasHazard(DataDependent) {
		t.Errorf("hazards: %q", hazardStrings(p.Hazards()))
	}
	if got, want := p.Summary(), (Summary{Add: 2, Change: 2, Destroy: 1}); got != want {
		t.Errorf("Summary = %+v, want %+v", got, want)
	}
	if got := p.Summary().String(); got != "Plan: 2 to add, 2 to change, 1 to destroy." {
		t.Errorf("Summary.String = %q", got)
	}

	t.Run("generate error names the object", func(t *testing.T) {
		_, err := Build(cur, des, chs, fakeDialect{fail: true}, dialect.GenOptions{})
		if err == nil || !strings.Contains(err.Error(), `table "articles"`) || !strings.Contains(err.Error(), "boom") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("nil dialect gives no statements", func(t *testing.T) {
		p, err := Build(cur, des, chs, nil, dialect.GenOptions{})
		if err != nil || len(p.Statements()) != 0 || len(p.Steps) != len(chs) {
			t.Errorf("p = %+v, err = %v", p, err)
		}
	})
	t.Run("no hazards on tables created by the plan", func(t *testing.T) {
		cur := sch()
		des := clone(sch())
		a := pk(tbl("a", col("id", "int", 11), col("b_id", "int", 11)), "id")
		fk(a, "a_b", []string{"b_id"}, "b", []string{"id"})
		b := pk(tbl("b", col("id", "int", 11), col("a_id", "int", 11)), "id")
		fk(b, "b_a", []string{"a_id"}, "a", []string{"id"})
		des.Tables = []*schema.Table{a, b}
		p, err := Build(cur, des, Diff(cur, des, mysqlRules), fakeDialect{}, dialect.GenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Steps) != 3 || len(p.Hazards()) != 0 {
			t.Errorf("steps %d, hazards %q", len(p.Steps), hazardStrings(p.Hazards()))
		}
		if got := p.Summary(); got != (Summary{Add: 2}) {
			t.Errorf("Summary = %+v", got)
		}
	})
}

func TestPlan_Summary(t *testing.T) {
	tr := &schema.Trigger{Name: "tr", Table: "t"}
	v := &schema.View{Name: "v"}
	tests := []struct {
		name string
		chs  []schema.Change
		want Summary
	}{
		{"empty", nil, Summary{}},
		{"rename and alter is one change", []schema.Change{
			&schema.RenameTable{From: "a", To: "b"},
			alterOf(tbl("b"), tbl("b"), &schema.DropColumn{C: col("x", "int")}),
		}, Summary{Change: 1}},
		{"early foreign key drop before a rename counts once", []schema.Change{
			alterOf(tbl("a"), tbl("a"), &schema.DropForeignKey{F: &schema.ForeignKey{Name: "f"}}),
			&schema.RenameTable{From: "a", To: "b"},
			alterOf(tbl("b"), tbl("b"), &schema.AddForeignKey{F: &schema.ForeignKey{Name: "f"}}),
		}, Summary{Change: 1}},
		{"deferred key of a new table is part of the add", []schema.Change{
			&schema.AddTable{T: tbl("a")},
			alterOf(tbl("a"), tbl("a"), &schema.AddForeignKey{F: &schema.ForeignKey{Name: "f"}}),
		}, Summary{Add: 1}},
		{"early key drop of a dropped table is part of the destroy", []schema.Change{
			alterOf(tbl("a"), tbl("a"), &schema.DropForeignKey{F: &schema.ForeignKey{Name: "f"}}),
			&schema.DropTable{T: tbl("a")},
		}, Summary{Destroy: 1}},
		{"replaced trigger and view are changes", []schema.Change{
			&schema.DropTrigger{T: tr}, &schema.DropView{V: v}, &schema.AddView{V: v}, &schema.AddTrigger{T: tr},
		}, Summary{Change: 2}},
		{"views and triggers", []schema.Change{
			&schema.AddView{V: &schema.View{Name: "v1"}}, &schema.ModifyView{From: v, To: v},
			&schema.DropTrigger{T: &schema.Trigger{Name: "t9"}},
		}, Summary{Add: 1, Change: 1, Destroy: 1}},
		{"table and view of the same name are two objects", []schema.Change{
			&schema.AddTable{T: tbl("x")}, &schema.AddView{V: &schema.View{Name: "x"}},
		}, Summary{Add: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Build(sch(), sch(), tt.chs, nil, dialect.GenOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Summary(); got != tt.want {
				t.Errorf("Summary = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestBuildReverse(t *testing.T) {
	cur, des := richPair()
	des.Tables[0].Columns[1].Type.Args = []int{50} // narrow email instead
	p, err := BuildReverse(cur, des, fakeMySQL{}, dialect.GenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.FromHash != des.Hash() || p.ToHash != cur.Hash() {
		t.Error("reverse hashes not swapped")
	}
	var sqls []string
	for _, s := range p.Statements() {
		sqls = append(sqls, s.SQL)
	}
	want := []string{
		"drop view v_users;",
		"rename table articles to posts;",
		"add table audit;",
		"alter table users: drop column age, modify column email [type], add index users_name_idx;",
		"drop table tags;",
	}
	if !slices.Equal(sqls, want) {
		t.Errorf("statements:\n%s\nwant\n%s", strings.Join(sqls, "\n"), strings.Join(want, "\n"))
	}
	all := strings.Join(hazardStrings(p.Hazards()), "\n")
	for _, w := range []string{
		"irreversible: recreates table `audit` without the rows the up side dropped",
		"irreversible: cannot restore values of `users`.`email` truncated by the up side",
		"destructive: drops column `users`.`age` and its values",
		"destructive: drops table `tags` and all its rows",
	} {
		if !strings.Contains(all, w) {
			t.Errorf("missing hazard %q in\n%s", w, all)
		}
	}

}

func TestBuild_DataChecks(t *testing.T) {
	cur := baseSchema()
	des := clone(cur)
	u := des.Tables[0]
	u.Name, u.RenamedFrom = "accounts", "users"
	u.Columns[2].Name, u.Columns[2].RenamedFrom = "nick", "name"
	u.Columns[2].Null, u.Columns[2].Default = false, ""
	u.Indexes[1].Parts[0].Column = "nick"
	u.Indexes[1].Kind = schema.IndexUnique
	u.Columns[1].Type.Args = []int{50}
	p := des.Tables[1]
	p.ForeignKeys[0].RefTable = "accounts"
	p.Columns = append(p.Columns, nullable(col("tag_id", "int", 11)), col("team_id", "int", 11))
	fk(p, "posts_tag_fk", []string{"tag_id"}, "tags", []string{"id"})
	fk(p, "posts_team_fk", []string{"team_id"}, "accounts", []string{"id"})
	des.Tables = append(des.Tables, pk(tbl("tags", col("id", "int", 11)), "id"))
	cur.Tables = append(cur.Tables, pk(tbl("old", col("id", "int", 11)), "id"))

	plan, err := Build(cur, des, Diff(cur, des, mysqlRules), fakeMySQL{}, dialect.GenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range plan.DataChecks() {
		c := h.Check
		s := string(c.Kind) + " " + c.Table + "(" + strings.Join(c.Columns, ",") + ")"
		if c.RefTable != "" {
			s += " → " + c.RefTable + "(" + strings.Join(c.RefColumns, ",") + ")"
		}
		if c.To != nil {
			s += " to " + FormatType(*c.To)
		}
		got = append(got, string(h.Kind)+": "+s)
	}
	// Checks run on the live schema: old table and column names. Keys on
	// new columns or to new tables have nothing to count; a new NOT NULL
	// column without a default counts the rows that get its fill. Locking hazards
	// are sized by the live table's statistics.
	want := []string{
		"destructive: misfits users(email) to varchar(50)",
		"data-dependent: nulls users(name)",
		"data-dependent: duplicates users(name)",
		"data-dependent: misfits users(email) to varchar(50)",
		"locking: size users()",
		"locking: size users()",
		"data-dependent: rows posts(team_id)",
		"locking: size posts()",
		"locking: size posts()",
		"destructive: rows old()",
	}
	if !slices.Equal(got, want) {
		t.Errorf("data checks:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestHazards_Checks(t *testing.T) {
	users := pk(tbl("users", col("id", "int", 11), col("email", "varchar", 191), col("name", "varchar", 50)), "id")
	prefixed := &schema.Index{Name: "email_uq", Kind: schema.IndexUnique, Parts: []schema.IndexPart{{Column: "email", Prefix: 10}, {Column: "name"}}}
	whole := &schema.Index{Name: "name_uq", Kind: schema.IndexUnique, Parts: []schema.IndexPart{{Column: "name"}}}
	tests := []struct {
		name string
		c    schema.Change
		want []string // kind, check kind, table, prefixes of each hazard with a check
	}{
		{"unique prefix index counts duplicates on the prefixes", alterOf(users, users, &schema.AddIndex{I: prefixed}),
			[]string{"data-dependent duplicates users [10 0]"}},
		{"whole-column unique index", alterOf(users, users, &schema.AddIndex{I: whole}),
			[]string{"data-dependent duplicates users []"}},
		{"locking hazards are sized", alterOf(users, users, &schema.DropPrimaryKey{I: users.PrimaryKey}),
			[]string{"locking size users []"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, h := range Hazards(tt.c, mysql.Default()) {
				if h.Check != nil {
					got = append(got, fmt.Sprintf("%s %s %s %v", h.Kind, h.Check.Kind, h.Check.Table, h.Check.Prefixes))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("checks %q, want %q", got, tt.want)
			}
		})
	}
}
