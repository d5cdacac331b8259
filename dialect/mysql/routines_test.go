package mysql

import (
	"context"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

// A function's RETURNS type as written in HCL normalizes to what the server
// renders for it, and events to what information_schema shows.
func TestRoutinesNormalizeAsServer(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	returns := []string{
		"varchar(30)", "VARCHAR(30) CHARSET latin1", "TEXT", "ENUM('a','b c')", "DECIMAL(10,2)",
		"varchar(5) COLLATE utf8mb4_bin", "DATETIME", "char(3) charset utf8", "varbinary(3)",
		"json", "int", "INT UNSIGNED", "bigint", "tinyint(1)", "boolean", "double",
	}
	events := []string{
		"EVERY 1 day", "EVERY '1 4' day_hour STARTS '2030-01-01' ENDS '2031-01-01 10:00:00'", "AT '2035-01-01'",
	}
	desired := &schema.Schema{}
	for i, r := range returns {
		name := "f" + string(rune('a'+i))
		if _, err := db.ExecContext(ctx, "CREATE FUNCTION `"+name+"`() RETURNS "+r+" RETURN NULL"); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		desired.Routines = append(desired.Routines, &schema.Routine{Name: name, Kind: "function", Returns: r, Body: "RETURN NULL;"})
	}
	for i, sched := range events {
		name := "e" + string(rune('a'+i))
		if _, err := db.ExecContext(ctx, "CREATE EVENT `"+name+"` ON SCHEDULE "+sched+" ON COMPLETION PRESERVE DO SELECT 1"); err != nil {
			t.Fatalf("%s: %v", sched, err)
		}
		e := &schema.Event{Name: name, Preserve: true, Body: " SELECT 1 "}
		rest := strings.TrimPrefix(sched, "EVERY ")
		if strings.HasPrefix(sched, "AT ") {
			e.At = strings.TrimPrefix(sched, "AT ")
		} else {
			e.Every, rest, _ = strings.Cut(rest, " STARTS ")
			e.Starts, e.Ends, _ = strings.Cut(rest, " ENDS ")
		}
		desired.Events = append(desired.Events, e)
	}
	d, err := New(ctx, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	live, err := d.Inspect(ctx, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Normalize(desired); err != nil {
		t.Fatal(err)
	}
	for _, w := range desired.Routines {
		got := live.Routine(schema.RoutineFunction, w.Name)
		if got == nil {
			t.Fatalf("function %s not inspected", w.Name)
		}
		if got.Returns != w.Returns || got.Body != w.Body || got.DataAccess != w.DataAccess || got.Security != w.Security {
			t.Errorf("function %s: normalized %+v, server %+v", w.Name, *w, *got)
		}
	}
	for i, w := range desired.Events {
		got := live.Event(w.Name)
		if got == nil {
			t.Fatalf("event %s not inspected", w.Name)
		}
		if w.Starts == "" && w.Every != "" {
			w.Starts = got.Starts // filled in by the server
		}
		if got.Every != w.Every || got.At != w.At || got.Starts != w.Starts || got.Ends != w.Ends ||
			got.Status != w.Status || got.Body != w.Body || got.Preserve != w.Preserve {
			t.Errorf("event %s (%s): normalized %+v, server %+v", w.Name, events[i], *w, *got)
		}
	}
}
