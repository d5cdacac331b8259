package schema

import "testing"

func TestSchema_Hash(t *testing.T) {
	base := func() *Schema {
		return &Schema{Tables: []*Table{
			{
				Name: "a",
				Columns: []*Column{
					{Name: "id", Type: Type{Name: "int", Args: []int{11}}},
					{Name: "x", Type: Type{Name: "varchar", Args: []int{10}}, Null: true, Default: "NULL"},
				},
				Indexes: []*Index{
					{Name: "i1", Parts: []IndexPart{{Column: "x"}}},
					{Name: "i2", Parts: []IndexPart{{Column: "id"}, {Column: "x"}}},
				},
			},
			{Name: "b", Columns: []*Column{{Name: "id", Type: Type{Name: "int"}}}},
		}}
	}
	tests := []struct {
		name   string
		change func(s *Schema)
		same   bool
	}{
		{"identical", func(*Schema) {}, true},
		{"table order", func(s *Schema) { s.Tables[0], s.Tables[1] = s.Tables[1], s.Tables[0] }, true},
		{"index order", func(s *Schema) { ix := s.Tables[0].Indexes; ix[0], ix[1] = ix[1], ix[0] }, true},
		{"renamed_from hint", func(s *Schema) { s.Tables[0].Columns[0].RenamedFrom = "old" }, true},
		{"auto_increment start", func(s *Schema) { s.Tables[0].Options.AutoIncrement = 100 }, true},
		{"database name", func(s *Schema) { s.Name = "other" }, true},
		{"empty slices", func(s *Schema) {
			s.Tables[1].Checks = []*Check{}
			s.Tables[1].ForeignKeys = []*ForeignKey{}
			s.Tables[1].Indexes = []*Index{}
			s.Tables[1].Columns[0].Type.Args = []int{}
		}, true},
		{"column order", func(s *Schema) { c := s.Tables[0].Columns; c[0], c[1] = c[1], c[0] }, false},
		{"column type", func(s *Schema) { s.Tables[0].Columns[1].Type.Args = []int{20} }, false},
		{"default", func(s *Schema) { s.Tables[0].Columns[1].Default = "'x'" }, false},
		{"index part", func(s *Schema) { s.Tables[0].Indexes[0].Parts[0].Prefix = 3 }, false},
		{"extra table", func(s *Schema) { s.Tables = append(s.Tables, &Table{Name: "c"}) }, false},
		{"view", func(s *Schema) { s.Views = []*View{{Name: "v", Definition: "select 1"}} }, false},
	}
	want := base().Hash()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base()
			tt.change(s)
			if got := s.Hash(); (got == want) != tt.same {
				t.Errorf("hash equal = %v, want %v", got == want, tt.same)
			}
		})
	}
}

func TestSchema_Hash_doesNotModify(t *testing.T) {
	s := &Schema{Tables: []*Table{{Name: "t", Indexes: []*Index{{Name: "b"}, {Name: "a"}}}}}
	s.Hash()
	if s.Tables[0].Indexes[0].Name != "b" {
		t.Fatal("Hash reordered the model's indexes")
	}
}
