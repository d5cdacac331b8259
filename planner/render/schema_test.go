package render

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The JSON rendering validates against the documented JSON Schema
// (plan.schema.json), for a rich plan and an empty one, and so do the
// plans of promoting environments.
func TestJSON_matchesSchema(t *testing.T) {
	f, err := os.Open("plan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("plan.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("plan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, golden := range []string{"testdata/json.golden", "testdata/json-empty.golden",
		"testdata/promotion-json.golden", "testdata/promotion-json-drift.golden", "testdata/promotion-json-empty.golden", "testdata/promotion-json-held.golden"} {
		t.Run(golden, func(t *testing.T) {
			b, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(v); err != nil {
				t.Errorf("%s does not validate: %v", golden, err)
			}
		})
	}
	t.Run("a broken document fails", func(t *testing.T) {
		var v any
		if err := json.Unmarshal([]byte(`{"format_version": "1", "changes": [{"action": "explode"}]}`), &v); err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err == nil {
			t.Error("an invalid plan validated")
		}
	})
}
