package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
)

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

// A view or trigger in the server's default context hashes as it did
// before the model had a context, so recorded revision hashes stay valid;
// a context of its own changes the hash.
func TestSchema_Hash_creationContext(t *testing.T) {
	s := &Schema{
		Views:    []*View{{Name: "v", Definition: "select 1 AS `1`"}},
		Triggers: []*Trigger{{Name: "tr", Table: "t", Timing: "BEFORE", Event: "INSERT", Body: "SET @a = 1", Order: 1}},
	}
	// The JSON of the model as it was before Context existed.
	type oldView struct {
		Name, Definition, Algorithm, Security, CheckOption string
		DependsOn                                          []string
	}
	type oldTrigger struct {
		Name, Table, Timing, Event, Body string
		Order                            int
	}
	h := sha256.New()
	b1, _ := json.Marshal(oldView{Name: "v", Definition: "select 1 AS `1`"})
	b2, _ := json.Marshal(oldTrigger{Name: "tr", Table: "t", Timing: "BEFORE", Event: "INSERT", Body: "SET @a = 1", Order: 1})
	h.Write([]byte(`{"Tables":null,"Views":[` + string(b1) + `],"Triggers":[` + string(b2) + `]}`))
	if got, want := s.Hash(), hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("default context changed the hash: %s, was %s", got, want)
	}
	for name, change := range map[string]func(s *Schema){
		"view charset":    func(s *Schema) { s.Views[0].Context.CharsetClient = "latin1" },
		"trigger mode":    func(s *Schema) { s.Triggers[0].Context.SQLMode = "ANSI_QUOTES" },
		"trigger collate": func(s *Schema) { s.Triggers[0].Context.CollationConnection = "utf8mb3_bin" },
	} {
		c := s.Clone()
		change(c)
		if c.Hash() == s.Hash() {
			t.Errorf("%s: a context of its own did not change the hash", name)
		}
	}
}
