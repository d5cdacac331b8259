package config

import (
	"strings"
	"testing"

	"github.com/stratadb/strata/schema"
)

func TestWriteSchema_routinesAndEvents(t *testing.T) {
	s := &schema.Schema{
		Routines: []*schema.Routine{
			{Name: "archive", Kind: schema.RoutineProcedure, Params: "IN days INT, OUT moved INT, INOUT  n DECIMAL(10,2)",
				DataAccess: "MODIFIES SQL DATA", Security: "INVOKER", Comment: "it's; here",
				Body: "BEGIN\n  -- a comment; with ${x}\n  SELECT 'a;b' INTO moved;\n  BEGIN\n    SET n = n + days;\n  END;\nEND"},
			{Name: "archive", Kind: schema.RoutineFunction, Params: "a INT", Returns: "int(11)", Deterministic: true,
				Body: "RETURN a * 2"}, // the defaults are left out, and the dialect fills them in
		},
		Events: []*schema.Event{
			{Name: "purge", Every: "'1 4' DAY_HOUR", Starts: "2030-01-01 00:00:00", Ends: "2031-01-01 00:00:00",
				Preserve: true, Status: schema.EventSlavesideDisabled, Comment: "c", Body: "DELETE FROM t WHERE note = 'x;y'"},
			{Name: "once", At: "2035-01-01 00:00:00", Status: schema.EventDisabled, Body: "BEGIN\n  SELECT 1;\nEND"},
			{Name: "plain", Every: "1 DAY", Status: schema.EventEnabled, Body: "SELECT 1"},
		},
	}
	out := roundTrip(t, s)
	for _, want := range []string{
		"procedure \"archive\" {\n", "function \"archive\" {\n", "  body   = <<-SQL\n    BEGIN\n      SELECT 1;\n    END\n  SQL\n",
		"  status   = \"DISABLE ON SLAVE\"\n", "  every = \"1 DAY\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("written HCL lacks %q:\n%s", want, out)
		}
	}
}

func TestLoadSchema_routineMistakes(t *testing.T) {
	src := `event "both" {
  every = "1 DAY"
  at    = "2035-01-01 00:00:00"
  body  = "SELECT 1"
}

event "none" {
  body = "SELECT 1"
}

procedure "p" {
  body = "SELECT 1"
}

procedure "P" {
  body = "SELECT 2"
}

function "p" {
  returns     = "int"
  data_access = "WRITES"
  body        = "RETURN 1"
  depends_on  = ["nope"]
}
`
	f := NewFiles()
	_, diags := f.LoadSchema(writeFile(t, t.TempDir(), "schema.hcl", src))
	var b strings.Builder
	_ = f.WriteDiagnostics(&b, diags, false)
	got := b.String()
	for _, want := range []string{
		"schema.hcl:3", "Conflicting schedule", // both every and at
		"Missing schedule", // neither
		"Duplicate procedure", "Procedure \"P\" was already declared",
		"\"WRITES\" is not a valid data_access",
		"Function \"p\" depends on \"nope\"",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, `function "p" was already`) || strings.Contains(got, `Function "p" was already`) {
		t.Errorf("a function and a procedure may share a name:\n%s", got)
	}
}
