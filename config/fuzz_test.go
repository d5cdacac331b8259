package config_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/schema"
)

// The seed corpus of these fuzz tests (testdata/fuzz/<FuzzName>/) holds
// the real schemas of the repository (schema.hcl, the scaffold, the CLI's
// testscript schemas), a schema with every kind of object and some broken
// ones. Without -fuzz they run their seeds as normal tests.

// loadBytes loads src as a schema.hcl in a temporary directory.
func loadBytes(t *testing.T, src []byte) (*schema.Schema, hcl.Diagnostics, *config.Files) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schema.hcl")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	f := config.NewFiles()
	s, diags := f.LoadSchema(path)
	return s, diags, f
}

func diagText(f *config.Files, diags hcl.Diagnostics) string {
	var b strings.Builder
	_ = f.WriteDiagnostics(&b, diags, false)
	return b.String()
}

// FuzzLoadSchema: any bytes load without a panic, into a model or into
// diagnostics that say where.
func FuzzLoadSchema(f *testing.F) {
	f.Add([]byte("table \"t\" {\n  column \"id\" {\n    type = int\n  }\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s, diags, _ := loadBytes(t, src)
		if !diags.HasErrors() && s == nil {
			t.Fatal("no diagnostics and no model")
		}
		for _, d := range diags {
			if strings.TrimSpace(d.Summary) == "" {
				t.Fatalf("a diagnostic without a summary: %+v", d)
			}
		}
	})
}

// implied clears what WriteSchema leaves out because it is implied (see its
// documentation), on a copy.
func implied(s *schema.Schema) *schema.Schema {
	var c schema.Schema
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	c.Name, c.Charset, c.Collate = "", "", ""
	for _, t := range c.Tables {
		for _, col := range t.Columns {
			if col.Null && strings.EqualFold(col.Default, "NULL") {
				col.Default = ""
			}
		}
		for _, fk := range t.ForeignKeys {
			if strings.EqualFold(fk.OnUpdate, schema.ActionRestrict) {
				fk.OnUpdate = ""
			}
			if strings.EqualFold(fk.OnDelete, schema.ActionRestrict) {
				fk.OnDelete = ""
			}
		}
	}
	for _, v := range c.Views {
		if strings.EqualFold(v.Algorithm, "UNDEFINED") {
			v.Algorithm = ""
		}
		if strings.EqualFold(v.Security, "DEFINER") {
			v.Security = ""
		}
		if strings.EqualFold(v.CheckOption, "NONE") {
			v.CheckOption = ""
		}
	}
	return &c
}

func dumpJSON(s *schema.Schema) string {
	b, _ := json.MarshalIndent(s, "", "  ")
	return string(b)
}

// FuzzWriteLoad: a model that loads is written by WriteSchema and loads
// back equal (up to what WriteSchema documents as implied); writing that
// again gives the same bytes.
func FuzzWriteLoad(f *testing.F) {
	f.Add([]byte("table \"t\" {\n  column \"id\" {\n    type = int\n  }\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s1, diags, _ := loadBytes(t, src)
		if diags.HasErrors() {
			return
		}
		out := config.WriteSchema(s1)
		s2, diags, f := loadBytes(t, out)
		if diags.HasErrors() {
			t.Fatalf("written schema does not load:\n%s\nwritten:\n%s", diagText(f, diags), out)
		}
		if a, b := dumpJSON(implied(s1)), dumpJSON(implied(s2)); a != b {
			t.Fatalf("loaded back differently\nfirst:\n%s\nagain:\n%s\nwritten:\n%s", a, b, out)
		}
		if again := config.WriteSchema(s2); string(again) != string(out) {
			t.Fatalf("writing the reloaded model changed the text:\n%s\nthen:\n%s", out, again)
		}
	})
}

// TestLoadSchema_hugeAndDeep: a 20 MB file and 10,000 levels of nesting are
// loaded or refused within seconds and bounded memory, never a hang or a
// crash.
func TestLoadSchema_hugeAndDeep(t *testing.T) {
	table := "table \"t%07d\" {\n  column \"id\" {\n    type = int\n  }\n  column \"name\" {\n    type    = varchar(100)\n    null    = true\n    comment = \"a fairly long comment to make the file big quickly, a fairly long comment\"\n  }\n  primary_key = [\"id\"]\n}\n"
	var huge strings.Builder
	for i := 0; huge.Len() < 20<<20; i++ {
		huge.WriteString(strings.Replace(table, "%07d", strings.Repeat("0", 7-len(itoa(i)))+itoa(i), 1))
	}
	hugeString := "table \"t\" {\n  comment = \"" + strings.Repeat("x", 20<<20) + "\"\n  column \"id\" {\n    type = int\n  }\n}\n"
	cases := []struct {
		name  string
		src   string
		limit time.Duration
	}{
		{"20MB_of_tables", huge.String(), 20 * time.Second},
		{"20MB_string", hugeString, 10 * time.Second},
		{"deep_brackets", "x = " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n", 5 * time.Second},
		{"deep_brackets_unclosed", "table \"t\" {\n  x = " + strings.Repeat("[", 10000) + "\n}\n", 5 * time.Second},
		{"deep_braces", "table \"t\" {\n  x = " + strings.Repeat("{a = ", 10000) + "1" + strings.Repeat("}", 10000) + "\n}\n", 5 * time.Second},
		{"deep_parens_in_type", "table \"t\" {\n  column \"c\" {\n    type = " + strings.Repeat("(", 10000) + "int" + strings.Repeat(")", 10000) + "\n  }\n}\n", 5 * time.Second},
		{"deep_blocks", strings.Repeat("table \"t\" {\n", 10000) + strings.Repeat("}\n", 10000), 5 * time.Second},
		{"deep_heredoc_template", "table \"t\" {\n  comment = \"" + strings.Repeat("${", 10000) + "\"\n}\n", 5 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapInuse
			// Sample the heap while loading: its peak is what a user's
			// machine must hold.
			var peak uint64
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				tick := time.NewTicker(5 * time.Millisecond)
				defer tick.Stop()
				for {
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					peak = max(peak, m.HeapInuse)
					select {
					case <-stop:
						return
					case <-tick.C:
					}
				}
			}()
			start := time.Now()
			done := make(chan struct{})
			var ok bool
			var s *schema.Schema
			var diags string
			go func() {
				defer close(done)
				// Diagnostics are printed too: that is what the CLI does.
				var d hcl.Diagnostics
				var f *config.Files
				s, d, f = loadBytes(t, []byte(c.src))
				ok = !d.HasErrors()
				diags = diagText(f, d)
			}()
			select {
			case <-done:
			case <-time.After(c.limit):
				close(stop)
				<-sampled
				t.Fatalf("loading %d bytes and printing its diagnostics did not finish within %s", len(c.src), c.limit)
			}
			took := time.Since(start)
			close(stop)
			<-sampled
			grew := int64(peak) - int64(base)
			tables := 0
			if s != nil {
				tables = len(s.Tables)
			}
			t.Logf("%d bytes: loaded=%v (%d tables, %d bytes of diagnostics) in %s, heap peak +%d MiB",
				len(c.src), ok, tables, len(diags), took.Round(time.Millisecond), grew>>20)
			// Bounded: a small multiple of the input.
			if limit := int64(60*len(c.src)) + 256<<20; grew > limit {
				t.Errorf("the heap grew by %d MiB for %d bytes of input", grew>>20, len(c.src))
			}
		})
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{digits[i%10]}, b...)
	}
	return string(b)
}
