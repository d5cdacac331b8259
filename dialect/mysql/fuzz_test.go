package mysql_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/schema"
)

// addConfigCorpus seeds f with config's fuzz corpus (the repository's real
// schemas and some broken ones), so both fuzz the same inputs.
func addConfigCorpus(f *testing.F) {
	files, _ := filepath.Glob("../../config/testdata/fuzz/FuzzLoadSchema/*")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		// go test fuzz v1\n[]byte("...")\n
		_, body, ok := strings.Cut(string(b), "\n")
		body = strings.TrimSpace(body)
		if !ok || !strings.HasPrefix(body, "[]byte(") || !strings.HasSuffix(body, ")") {
			f.Fatalf("%s: not a fuzz corpus file", p)
		}
		src, err := strconv.Unquote(body[len("[]byte(") : len(body)-1])
		if err != nil {
			f.Fatalf("%s: %v", p, err)
		}
		f.Add([]byte(src))
	}
}

func snapshot(t *testing.T, s *schema.Schema) string {
	t.Helper()
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// FuzzNormalize: any schema that loads normalizes without a panic, and
// normalizing twice changes nothing the first time did not (idempotent).
func FuzzNormalize(f *testing.F) {
	addConfigCorpus(f)
	f.Add([]byte("table \"t\" {\n  column \"s\" {\n    type = serial\n  }\n  column \"j\" {\n    type = json\n    null = true\n  }\n}\n"))
	f.Add([]byte("table \"t\" {\n  column \"c\" {\n    type    = decimal(5)\n    default = \"7\"\n  }\n  column \"f\" {\n    type = float(30)\n  }\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		path := filepath.Join(t.TempDir(), "schema.hcl")
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		s, diags := config.NewFiles().LoadSchema(path)
		if diags.HasErrors() {
			return
		}
		d := mysql.Default()
		if err := d.Normalize(s); err != nil {
			return
		}
		once := snapshot(t, s)
		hash := s.Hash()
		if err := d.Normalize(s); err != nil {
			t.Fatalf("the second Normalize failed where the first did not: %v", err)
		}
		if twice := snapshot(t, s); twice != once {
			t.Fatalf("Normalize is not idempotent\nonce:\n%s\ntwice:\n%s", once, twice)
		}
		if s.Hash() != hash {
			t.Fatal("the hash changed on the second Normalize")
		}
	})
}
