package mysql

import (
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

func TestTypeNarrowing(t *testing.T) {
	ty := func(name string, args ...int) schema.Type { return schema.Type{Name: name, Args: args} }
	tests := []struct {
		name  string
		a, b  schema.Type
		lossy bool
	}{
		{"int to bigint", ty("int", 11), ty("bigint", 20), false},
		{"bigint to int", ty("bigint", 20), ty("int", 11), true},
		{"int to decimal(12,2)", ty("int", 11), ty("decimal", 12, 2), false},
		{"int to decimal(10,2)", ty("int", 11), ty("decimal", 10, 2), true},
		{"decimal scale up", ty("decimal", 10, 2), ty("decimal", 12, 4), false},
		{"decimal scale down", ty("decimal", 10, 2), ty("decimal", 10, 1), true},
		{"float to double", ty("float"), ty("double"), false},
		{"double to float", ty("double"), ty("float"), true},
		{"char to varchar", ty("char", 10), ty("varchar", 10), false},
		{"varchar to text", ty("varchar", 200), ty("text"), false},
		{"varchar to tinytext", ty("varchar", 200), ty("tinytext"), true},
		{"text to mediumtext", ty("text"), ty("mediumtext"), false},
		{"longtext to text", ty("longtext"), ty("text"), true},
		{"blob to varbinary", ty("blob"), ty("varbinary", 10), true},
		{"varbinary to blob", ty("varbinary", 10), ty("blob"), false},
		{"datetime(6) to datetime(3)", ty("datetime", 6), ty("datetime", 3), true},
		{"datetime to datetime(3)", ty("datetime"), ty("datetime", 3), false},
		{"datetime to date", ty("datetime"), ty("date"), true},
		{"date to datetime", ty("date"), ty("datetime"), false},
		{"datetime to timestamp", ty("datetime"), ty("timestamp"), true},
		{"bit(8) to bit(4)", ty("bit", 8), ty("bit", 4), true},
		{"int to varchar(5)", ty("int", 11), ty("varchar", 5), true},
		{"int to varchar(20)", ty("int", 11), ty("varchar", 20), false},
		{"varchar to int", ty("varchar", 20), ty("int", 11), true},
		{"json longtext same", ty("longtext"), ty("longtext"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TypeNarrowing(tt.a, tt.b); (got != "") != tt.lossy {
				t.Errorf("TypeNarrowing(%s, %s) = %q, lossy want %v", ColumnTypeSQL(tt.a), ColumnTypeSQL(tt.b), got, tt.lossy)
			}
		})
	}
}

// TestAddNotNullWithoutDefault: a NOT NULL column added without a default
// gives existing rows the type's implicit value (checked on MariaDB 10.11:
// ALTER TABLE fills them without a warning, strict mode or not), counted on
// the table's rows; a default, NULL, a generated or auto-increment column
// give no such hazard.
func TestAddNotNullWithoutDefault(t *testing.T) {
	ty := func(name string, args ...int) schema.Type { return schema.Type{Name: name, Args: args} }
	tests := []struct {
		name string
		col  schema.Column
		fill string // "" for no hazard
	}{
		{"varchar", schema.Column{Type: ty("varchar", 20)}, "''"},
		{"text", schema.Column{Type: ty("text")}, "''"},
		{"json", schema.Column{Type: ty("json")}, "''"},
		{"int", schema.Column{Type: ty("int", 11)}, "0"},
		{"decimal", schema.Column{Type: ty("decimal", 5, 2)}, "0"},
		{"date", schema.Column{Type: ty("date")}, "'0000-00-00'"},
		{"datetime", schema.Column{Type: ty("datetime")}, "'0000-00-00 00:00:00'"},
		{"timestamp", schema.Column{Type: ty("timestamp")}, "'0000-00-00 00:00:00'"},
		{"time", schema.Column{Type: ty("time")}, "'00:00:00'"},
		{"enum takes its first member", schema.Column{Type: schema.Type{Name: "enum", Values: []string{"new", "old"}}}, "'new'"},
		{"binary", schema.Column{Type: ty("binary", 2)}, "zero bytes"},
		{"with a default", schema.Column{Type: ty("varchar", 20), Default: "'x'"}, ""},
		{"nullable", schema.Column{Type: ty("varchar", 20), Null: true}, ""},
		{"generated", schema.Column{Type: ty("int", 11), Generated: &schema.Generated{Expr: "id * 2"}}, ""},
		{"auto-increment", schema.Column{Type: ty("bigint", 20), AutoIncrement: true}, ""},
	}
	d := &Dialect{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			col := tt.col
			col.Name = "c"
			from := &schema.Table{Name: "t", Columns: []*schema.Column{{Name: "id", Type: ty("int", 11)}}}
			to := &schema.Table{Name: "t", Columns: []*schema.Column{from.Columns[0], &col}}
			at := &schema.AlterTable{From: from, To: to, Changes: []schema.TableChange{&schema.AddColumn{C: &col}}}
			var got []dialect.Hazard
			for _, h := range d.AlterHazards(at, dialect.LiveTable{Name: "t_live"}) {
				if h.Kind == dialect.DataDependent {
					got = append(got, h)
				}
			}
			if tt.fill == "" {
				if len(got) != 0 {
					t.Errorf("hazards %+v, want none", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("hazards %+v, want one", got)
			}
			h := got[0]
			want := "existing rows of `t` get " + tt.fill + " in new NOT NULL column `t`.`c`, which has no default"
			if !strings.HasPrefix(h.Message, want) || !strings.Contains(h.Message, "hand-written revision") {
				t.Errorf("message %q, want it to start %q and name a hand-written revision", h.Message, want)
			}
			if c := h.Check; c == nil || c.Kind != dialect.CountRows || c.Table != "t_live" || c.Fill != tt.fill || len(c.Columns) != 1 || c.Columns[0] != "c" {
				t.Errorf("check %+v, want the rows of t_live, filling c with %s", h.Check, tt.fill)
			}
		})
	}
}
