package mysql

import (
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// A changed routine is one step: CREATE OR REPLACE on MariaDB, a drop and a
// create on MySQL, which has no OR REPLACE for routines.
func TestGenerateModifyRoutine(t *testing.T) {
	from := &schema.Routine{Name: "f", Kind: schema.RoutineFunction, Params: "a INT", Returns: "int(11)", DataAccess: "CONTAINS SQL", Security: "DEFINER", Body: "RETURN a"}
	to := *from
	to.Body, to.Deterministic, to.Comment = "RETURN a + 1", true, "it's"
	for _, c := range []struct {
		flavor Flavor
		want   []string
	}{
		{MariaDB, []string{"CREATE OR REPLACE FUNCTION `f`(a INT) RETURNS int(11)\n    DETERMINISTIC\n    COMMENT 'it''s'\nRETURN a + 1"}},
		{MySQL, []string{"DROP FUNCTION `f`", "CREATE FUNCTION `f`(a INT) RETURNS int(11)\n    DETERMINISTIC\n    COMMENT 'it''s'\nRETURN a + 1"}},
	} {
		d := Default()
		d.Flavor = c.flavor
		got, err := d.Generate(&schema.ModifyRoutine{From: from, To: &to}, dialect.GenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var sqls []string
		for _, s := range got {
			sqls = append(sqls, s.SQL)
		}
		if strings.Join(sqls, ";\n") != strings.Join(c.want, ";\n") {
			t.Errorf("%s: got\n%s\nwant\n%s", c.flavor, strings.Join(sqls, ";\n"), strings.Join(c.want, ";\n"))
		}
	}
}

// ALTER EVENT names only what changed; a schedule without STARTS keeps the
// live start out of the statement.
func TestGenerateAlterEvent(t *testing.T) {
	from := &schema.Event{Name: "e", Every: "1 DAY", Starts: "2026-01-01 00:00:00", Status: schema.EventEnabled, Body: "SELECT 1"}
	for _, c := range []struct {
		name string
		edit func(*schema.Event)
		want string
	}{
		{"schedule", func(e *schema.Event) { e.Every, e.Starts = "2 HOUR", "" }, "ALTER EVENT `e` ON SCHEDULE EVERY 2 HOUR"},
		{"to one time", func(e *schema.Event) { e.Every, e.Starts, e.At = "", "", "2035-01-01 00:00:00" }, "ALTER EVENT `e` ON SCHEDULE AT '2035-01-01 00:00:00'"},
		{"status", func(e *schema.Event) { e.Status = schema.EventSlavesideDisabled }, "ALTER EVENT `e` DISABLE ON SLAVE"},
		{"completion and comment", func(e *schema.Event) { e.Preserve, e.Comment = true, "a'b" }, "ALTER EVENT `e` ON COMPLETION PRESERVE COMMENT 'a''b'"},
		{"body", func(e *schema.Event) { e.Body = "BEGIN\n  SELECT ';';\nEND" }, "ALTER EVENT `e` DO BEGIN\n  SELECT ';';\nEND"},
	} {
		to := *from
		c.edit(&to)
		got, err := Default().Generate(&schema.ModifyEvent{From: from, To: &to}, dialect.GenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].SQL != c.want {
			t.Errorf("%s: got %+v, want %q", c.name, got, c.want)
		}
	}
}
