package mysql

import (
	"testing"

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
