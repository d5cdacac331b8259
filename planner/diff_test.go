package planner

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stratadb/strata/schema"
)

// users/posts/comments: a small schema most cases start from.
func baseSchema() *schema.Schema {
	users := pk(tbl("users",
		col("id", "bigint", 20), col("email", "varchar", 100), nullable(col("name", "varchar", 50))), "id")
	idx(users, "users_email_uq", schema.IndexUnique, "email")
	idx(users, "users_name_idx", schema.IndexPlain, "name")
	posts := pk(tbl("posts", col("id", "bigint", 20), col("author_id", "bigint", 20), col("title", "varchar", 200)), "id")
	idx(posts, "posts_author_idx", schema.IndexPlain, "author_id")
	fk(posts, "posts_author_fk", []string{"author_id"}, "users", []string{"id"})
	return sch(users, posts)
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name   string
		cur    *schema.Schema
		mutate func(s *schema.Schema) // turns a clone of cur into desired
		want   []string
	}{
		{
			name:   "identical",
			cur:    baseSchema(),
			mutate: func(s *schema.Schema) {},
		},
		{
			name: "auto increment counter and stray hints ignored",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				s.Tables[0].Options.AutoIncrement = 1000
				s.Tables[0].RenamedFrom = "people"
				s.Tables[0].Columns[1].RenamedFrom = "mail"
			},
		},
		{
			name: "add and drop tables",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				s.Tables = s.Tables[:1]
				s.Tables = append(s.Tables, pk(tbl("audit", col("id", "int", 11)), "id"))
			},
			want: []string{"add table audit", "drop table posts"},
		},
		{
			name: "add column in the middle and first",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				u.Columns = slices.Insert(u.Columns, 2, nullable(col("age", "int", 11)))
				u.Columns = slices.Insert(u.Columns, 0, col("tenant", "int", 11))
			},
			want: []string{"alter table users: add column tenant first, add column age after email"},
		},
		{
			name: "add column at the end",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				s.Tables[0].Columns = append(s.Tables[0].Columns, nullable(col("bio", "text")))
			},
			want: []string{"alter table users: add column bio after name"},
		},
		{
			name: "drop and modify columns",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				u.Columns[1].Type.Args = []int{191}
				u.Columns[2].Null = false
				u.Columns[2].Default = ""
				u.Columns[2].Comment = "display name"
				p := s.Tables[1]
				p.Columns = p.Columns[:2]
			},
			want: []string{
				"alter table users: modify column email [type], modify column name [null default comment]",
				"alter table posts: drop column title",
			},
		},
		{
			name: "rename column keeps data",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				u.Columns[2].Name = "display_name"
				u.Columns[2].RenamedFrom = "name"
				u.Indexes[1].Parts[0].Column = "display_name"
			},
			want: []string{"alter table users: rename column name to display_name"},
		},
		{
			name: "rename and change column",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				u.Columns[2].Name = "display_name"
				u.Columns[2].RenamedFrom = "name"
				u.Columns[2].Type.Args = []int{100}
				u.Indexes[1].Parts[0].Column = "display_name"
			},
			want: []string{"alter table users: modify column name->display_name [type]"},
		},
		{
			name: "rename hint ignored when the old column is still desired",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				c := nullable(col("nick", "varchar", 50))
				c.RenamedFrom = "name"
				u.Columns = append(u.Columns, c)
			},
			want: []string{"alter table users: add column nick after name"},
		},
		{
			name: "reorder moves only what must move",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				u.Columns = []*schema.Column{u.Columns[0], u.Columns[2], u.Columns[1]}
			},
			want: []string{"alter table users: modify column name [position] after id"},
		},
		{
			name: "column follows a table charset change",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				p := s.Tables[1]
				p.Options.Charset, p.Options.Collate = "latin1", "latin1_swedish_ci"
			},
			want: []string{"alter table posts: modify column title [charset], options"},
		},
		{
			name: "explicit column charset that becomes the table default is no change",
			cur: func() *schema.Schema {
				s := baseSchema()
				s.Tables[1].Columns[2].Charset, s.Tables[1].Columns[2].Collate = "latin1", "latin1_swedish_ci"
				return s
			}(),
			mutate: func(s *schema.Schema) {
				p := s.Tables[1]
				p.Options.Charset, p.Options.Collate = "latin1", "latin1_swedish_ci"
				p.Columns[2].Charset, p.Columns[2].Collate = "", ""
			},
			want: []string{"alter table posts: options"},
		},
		{
			name: "virtual to stored is drop and add, with its index",
			cur: func() *schema.Schema {
				s := baseSchema()
				g := nullable(col("lname", "varchar", 50))
				g.Default = ""
				g.Generated = &schema.Generated{Expr: "lcase(`name`)"}
				u := s.Tables[0]
				u.Columns = append(u.Columns, g, nullable(col("bio", "text")))
				idx(u, "users_lname_idx", schema.IndexPlain, "email", "lname")
				return s
			}(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				u.Columns[3].Generated.Stored = true
			},
			want: []string{"alter table users: drop index users_lname_idx, drop column lname, add column lname after name, add index users_lname_idx"},
		},
		{
			name: "generated expression change is a modify",
			cur: func() *schema.Schema {
				s := baseSchema()
				g := nullable(col("lname", "varchar", 50))
				g.Default = ""
				g.Generated = &schema.Generated{Expr: "lcase(`name`)"}
				s.Tables[0].Columns = append(s.Tables[0].Columns, g)
				return s
			}(),
			mutate: func(s *schema.Schema) {
				s.Tables[0].Columns[3].Generated.Expr = "ucase(`name`)"
			},
			want: []string{"alter table users: modify column lname [generated]"},
		},
		{
			name: "rename table then alter it",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				u.Name, u.RenamedFrom = "accounts", "users"
				u.Columns = append(u.Columns, nullable(col("age", "int", 11)))
				s.Tables[1].ForeignKeys[0].RefTable = "accounts"
			},
			want: []string{"rename table users to accounts", "alter table accounts: add column age after name"},
		},
		{
			name: "index changed, renamed by hint and by definition",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				u.Indexes[0].Name, u.Indexes[0].RenamedFrom = "email_uq", "users_email_uq"
				u.Indexes[1].Name = "name_idx"
				p := s.Tables[1]
				p.Indexes[0].Parts = parts("author_id", "title")
			},
			want: []string{
				"alter table users: rename index users_email_uq to email_uq, rename index users_name_idx to name_idx",
				"alter table posts: drop index posts_author_idx, add index posts_author_idx",
			},
		},
		{
			name: "index dropped and added",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				u.Indexes = u.Indexes[:1]
				idx(u, "users_email_name_idx", schema.IndexPlain, "email", "name")
			},
			want: []string{"alter table users: drop index users_name_idx, add index users_email_name_idx"},
		},
		{
			name: "primary key change",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				pk(s.Tables[1], "id", "author_id")
			},
			want: []string{"alter table posts: drop pk, add pk (id,author_id)"},
		},
		{
			name: "foreign key changed is dropped first and re-added",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				s.Tables[1].ForeignKeys[0].OnDelete = schema.ActionCascade
			},
			want: []string{"alter table posts: drop fk posts_author_fk", "alter table posts: add fk posts_author_fk"},
		},
		{
			name: "foreign key columns widened on both sides",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				s.Tables[0].Columns[0].Type.Unsigned = true
				s.Tables[1].Columns[1].Type.Unsigned = true
			},
			want: []string{
				"alter table posts: drop fk posts_author_fk",
				"alter table users: modify column id [type]",
				"alter table posts: modify column author_id [type], add fk posts_author_fk",
			},
		},
		{
			name: "foreign key to a dropped table goes first",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				s.Tables = s.Tables[1:]
				p := s.Tables[0]
				p.ForeignKeys = nil
			},
			want: []string{"alter table posts: drop fk posts_author_fk", "drop table users"},
		},
		{
			name: "checks, options and partitioning",
			cur: func() *schema.Schema {
				s := baseSchema()
				s.Tables[1].Checks = []*schema.Check{{Name: "title_len", Expr: "char_length(`title`) > 0"}, {Name: "old", Expr: "1"}}
				return s
			}(),
			mutate: func(s *schema.Schema) {
				p := s.Tables[1]
				p.Checks = []*schema.Check{{Name: "title_len", Expr: "char_length(`title`) > 2"}}
				p.Options.Comment = "Posts"
				p.Partition = &schema.Partition{Method: "HASH", Expr: "`id`", Count: 4}
			},
			want: []string{"alter table posts: drop check old, drop check title_len, add check title_len, options, partition"},
		},
		{
			name: "new tables in dependency order, self reference kept",
			cur:  sch(),
			mutate: func(s *schema.Schema) {
				c := pk(tbl("comments", col("id", "int", 11), col("post_id", "int", 11), nullable(col("parent_id", "int", 11))), "id")
				fk(c, "c_post", []string{"post_id"}, "posts", []string{"id"})
				fk(c, "c_parent", []string{"parent_id"}, "comments", []string{"id"})
				p := pk(tbl("posts", col("id", "int", 11), col("user_id", "int", 11)), "id")
				fk(p, "p_user", []string{"user_id"}, "users", []string{"id"})
				u := pk(tbl("users", col("id", "int", 11)), "id")
				s.Tables = []*schema.Table{c, p, u}
			},
			want: []string{"add table users", "add table posts fk p_user", "add table comments fk c_post,c_parent"},
		},
		{
			name: "cycle between new tables deferred",
			cur:  sch(),
			mutate: func(s *schema.Schema) {
				a := pk(tbl("a", col("id", "int", 11), col("b_id", "int", 11)), "id")
				fk(a, "a_b", []string{"b_id"}, "b", []string{"id"})
				b := pk(tbl("b", col("id", "int", 11), col("a_id", "int", 11)), "id")
				fk(b, "b_a", []string{"a_id"}, "a", []string{"id"})
				s.Tables = []*schema.Table{a, b}
			},
			want: []string{"add table b", "add table a fk a_b", "alter table b: add fk b_a"},
		},
		{
			name: "drop tables children first, cycles broken",
			cur: func() *schema.Schema {
				a := pk(tbl("a", col("id", "int", 11), col("b_id", "int", 11)), "id")
				fk(a, "a_b", []string{"b_id"}, "b", []string{"id"})
				b := pk(tbl("b", col("id", "int", 11), col("a_id", "int", 11)), "id")
				fk(b, "b_a", []string{"a_id"}, "a", []string{"id"})
				c := pk(tbl("c", col("id", "int", 11), col("a_id", "int", 11)), "id")
				fk(c, "c_a", []string{"a_id"}, "a", []string{"id"})
				return sch(a, b, c)
			}(),
			mutate: func(s *schema.Schema) { s.Tables = nil },
			want:   []string{"alter table b: drop fk b_a", "drop table c", "drop table a", "drop table b"},
		},
		{
			name: "new table referencing a new column of an altered table",
			cur:  baseSchema(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				u.Columns = append(u.Columns, col("uuid", "char", 36))
				idx(u, "users_uuid_uq", schema.IndexUnique, "uuid")
				l := pk(tbl("logins", col("id", "int", 11), col("user_uuid", "char", 36)), "id")
				fk(l, "l_user", []string{"user_uuid"}, "users", []string{"uuid"})
				s.Tables = append(s.Tables, l)
			},
			want: []string{
				"add table logins",
				"alter table users: add column uuid after name, add index users_uuid_uq",
				"alter table logins: add fk l_user",
			},
		},
		{
			name: "views in dependency order",
			cur: func() *schema.Schema {
				s := baseSchema()
				s.Views = []*schema.View{
					{Name: "v_top", Definition: "select `v_base`.`id` AS `id` from `v_base`", DependsOn: nil},
					{Name: "v_base", Definition: "select `users`.`id` AS `id` from `users`"},
					{Name: "v_old", Definition: "select `v_base`.`id` AS `id` from `v_base`"},
				}
				return s
			}(),
			mutate: func(s *schema.Schema) {
				s.Views = []*schema.View{
					{Name: "v_new", Definition: "select `v_mid`.`id` AS `id` from `v_mid`"},
					{Name: "v_mid", Definition: "select `v_base`.`id` AS `id` from `v_base`"},
					s.Views[0],
					{Name: "v_base", Definition: "select `users`.`id` AS `id` from `users` where 1"},
				}
			},
			want: []string{"drop view v_old", "modify view v_base", "add view v_mid", "add view v_new"},
		},
		{
			name: "changed view over an altered table is dropped first",
			cur: func() *schema.Schema {
				s := baseSchema()
				s.Views = []*schema.View{{Name: "v", Definition: "select `users`.`name` AS `name` from `users`"}}
				return s
			}(),
			mutate: func(s *schema.Schema) {
				u := s.Tables[0]
				u.Columns[2].Name, u.Columns[2].RenamedFrom = "nick", "name"
				u.Indexes[1].Parts[0].Column = "nick"
				s.Views[0].Definition = "select `users`.`nick` AS `nick` from `users`"
			},
			want: []string{"drop view v", "alter table users: rename column name to nick", "add view v"},
		},
		{
			name: "triggers replaced, kept through a table rename",
			cur: func() *schema.Schema {
				s := baseSchema()
				s.Triggers = []*schema.Trigger{
					{Name: "t1", Table: "users", Timing: "BEFORE", Event: "INSERT", Body: "SET NEW.name = 'x'", Order: 1},
					{Name: "t2", Table: "posts", Timing: "BEFORE", Event: "INSERT", Body: "SET NEW.title = 'x'", Order: 1},
				}
				return s
			}(),
			mutate: func(s *schema.Schema) {
				s.Tables[0].Name, s.Tables[0].RenamedFrom = "accounts", "users"
				s.Tables[1].ForeignKeys[0].RefTable = "accounts"
				s.Triggers[0].Table = "accounts"
				s.Triggers[1].Body = "SET NEW.title = 'y'"
			},
			want: []string{"drop trigger t2", "rename table users to accounts", "add trigger t2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			des := clone(tt.cur)
			tt.mutate(des)
			curBefore, desBefore := clone(tt.cur), clone(des)
			got := describe(Diff(tt.cur, des, mysqlRules))
			Reverse(tt.cur, des, mysqlRules)
			if !reflect.DeepEqual(tt.cur, curBefore) || !reflect.DeepEqual(des, desBefore) {
				t.Error("Diff or Reverse modified its inputs")
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Diff:\n got %q\nwant %q", got, tt.want)
			}
			checkConverges(t, tt.cur, des)
		})
	}
}

// checkConverges applies Diff's changes with the simulator and checks that
// the result is the desired schema and that diffing again finds nothing;
// then the same for Reverse.
func checkConverges(t *testing.T, cur, des *schema.Schema) {
	t.Helper()
	chs := Diff(cur, des, mysqlRules)
	res, err := apply(cur, chs)
	if err != nil {
		t.Fatalf("applying Diff: %v\nchanges: %q", err, describe(chs))
	}
	if hashNil(res) != hashNil(des) {
		t.Fatalf("applying Diff does not give the desired schema\nchanges: %q\nagain: %q", describe(chs), describe(Diff(res, des, mysqlRules)))
	}
	if again := Diff(res, des, mysqlRules); len(again) > 0 {
		t.Fatalf("Diff after apply not empty: %q", describe(again))
	}
	back := Reverse(cur, des, mysqlRules)
	undone, err := apply(res, back)
	if err != nil {
		t.Fatalf("applying Reverse: %v\nchanges: %q", err, describe(back))
	}
	if hashNil(undone) != hashNil(cur) {
		t.Fatalf("applying Reverse does not give the current schema\nchanges: %q\nagain: %q", describe(back), describe(Diff(undone, cur, mysqlRules)))
	}
}

// hashNil is Hash with empty slices treated as nil (schema.Hash tells them
// apart; the simulator's deletes leave empty slices).
func hashNil(s *schema.Schema) string {
	c := clone(s)
	for _, t := range c.Tables {
		if len(t.Indexes) == 0 {
			t.Indexes = nil
		}
		if len(t.ForeignKeys) == 0 {
			t.ForeignKeys = nil
		}
		if len(t.Checks) == 0 {
			t.Checks = nil
		}
	}
	if len(c.Views) == 0 {
		c.Views = nil
	}
	if len(c.Triggers) == 0 {
		c.Triggers = nil
	}
	return c.Hash()
}

// pt-online-schema-change re-creates a child table's foreign keys on its
// copy as _fk (and _fk as __fk, __fk as fk): on MySQL a live key that
// differs from the desired one only so is the same key, and a real change
// still shows.
func TestDiff_ptOSCForeignKeyNames(t *testing.T) {
	for _, tc := range []struct {
		live string
		edit func(fk *schema.ForeignKey)
		want []string
	}{
		{"_posts_author_fk", nil, nil},
		{"__posts_author_fk", nil, nil},
		{"_posts_author_fk", func(fk *schema.ForeignKey) { fk.OnDelete = schema.ActionCascade },
			[]string{"alter table posts: drop fk _posts_author_fk, add fk posts_author_fk"}},
		{"posts_author_fk2", nil, []string{"alter table posts: drop fk posts_author_fk2, add fk posts_author_fk"}},
	} {
		t.Run(tc.live, func(t *testing.T) {
			des := baseSchema()
			cur := clone(des)
			cur.Tables[1].ForeignKeys[0].Name = tc.live
			if tc.edit != nil {
				tc.edit(cur.Tables[1].ForeignKeys[0])
			}
			if got := describe(Diff(cur, des, mysqlRules)); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Diff:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
	// Without the dialect's word, names are names.
	des := baseSchema()
	cur := clone(des)
	cur.Tables[1].ForeignKeys[0].Name = "_posts_author_fk"
	if got := describe(Diff(cur, des, nil)); len(got) == 0 {
		t.Error("a dialect without foreign key aliases took _posts_author_fk for posts_author_fk")
	}
}
