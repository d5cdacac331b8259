package schema

import (
	"reflect"
	"testing"
)

func TestSchema_Clone(t *testing.T) {
	s := &Schema{
		Tables: []*Table{{
			Name:        "t",
			Columns:     []*Column{{Name: "a", Type: Type{Name: "enum", Values: []string{"x"}}, Generated: &Generated{Expr: "1"}}},
			PrimaryKey:  &Index{Name: "PRIMARY", Parts: []IndexPart{{Column: "a"}}},
			Indexes:     []*Index{{Name: "i", Parts: []IndexPart{{Column: "a"}}}},
			ForeignKeys: []*ForeignKey{{Name: "f", Columns: []string{"a"}, RefColumns: []string{"a"}}},
			Checks:      []*Check{},
			Partition:   &Partition{Method: "LIST", Definitions: []PartitionDef{{Name: "p0"}}},
		}},
		Views:    []*View{{Name: "v", DependsOn: []string{"t"}}},
		Triggers: []*Trigger{{Name: "tr"}},
	}
	c := s.Clone()
	if !reflect.DeepEqual(s, c) {
		t.Fatal("the clone differs from the original")
	}
	c.Tables[0].Columns[0].Type.Values[0] = "y"
	c.Tables[0].Columns[0].Generated.Expr = "2"
	c.Tables[0].PrimaryKey.Parts[0].Column = "b"
	c.Tables[0].Indexes[0].Parts[0].Prefix = 3
	c.Tables[0].ForeignKeys[0].RefColumns[0] = "b"
	c.Tables[0].Partition.Definitions[0].Name = "p1"
	c.Views[0].DependsOn[0] = "u"
	c.Triggers[0].Name = "tr2"
	if s.Tables[0].Columns[0].Type.Values[0] != "x" || s.Tables[0].Columns[0].Generated.Expr != "1" ||
		s.Tables[0].PrimaryKey.Parts[0].Column != "a" || s.Tables[0].Indexes[0].Parts[0].Prefix != 0 ||
		s.Tables[0].ForeignKeys[0].RefColumns[0] != "a" || s.Tables[0].Partition.Definitions[0].Name != "p0" ||
		s.Views[0].DependsOn[0] != "t" || s.Triggers[0].Name != "tr" {
		t.Error("changing the clone changed the original")
	}
	if s.Tables[0].Checks == nil || c.Tables[0].Checks == nil {
		t.Error("an empty slice became nil")
	}
}
