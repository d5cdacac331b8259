package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// fastBlocks reads src with the fast parser until it ends or stops; stopped
// reports a stop.
func fastBlocks(src []byte) (blocks []*hclsyntax.Block, stopped bool) {
	p := newFastParser(src, "s.hcl")
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(errUnsupported); !ok {
				panic(r)
			}
			stopped = true
		}
	}()
	for b := p.next(); b != nil; b = p.next() {
		blocks = append(blocks, b)
	}
	return blocks, false
}

func TestFastParser_next(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		stops     bool
	}{
		{"generated schema", string(WriteSchema(benchSchema(30))), false},
		{"literals", `table "t" {
  a = "x"
  b = ""
  c = 12
  d = 1.50
  e = -3
  f = true
  g = false
  h = null
  i = bigint
  j = varchar(191)
  k = enum("a", "b",)
  l = decimal( 10 , 2 )
  m = []
  n = ["a", "b"]
  o = [
    "a",
    "b",
  ]
  p = now()
  q = sql("CURRENT_TIMESTAMP(3)")
  r = [[1], [2, 3]]
  s_t-u = "it's {x} [y]"
  _v = x_y-z
}
`, false},
		{"comments and blank lines", "# top\n\n// more\ntable \"t\" { # open\n\n  # inside\n  column \"a\" {\n    type = int # trailing\n    null = true // trailing\n  }\n\n}\n# end\n", false},
		{"no final newline", "view \"v\" {\n  definition = \"select 1\"\n}", false},
		{"nested and unlabeled blocks", "table \"t\" {\n  primary_key {\n    part {\n      column = \"a\"\n    }\n  }\n  partition {\n    by = \"RANGE\"\n    part \"p0\" {\n      values = \"LESS THAN (10)\"\n    }\n  }\n}\n", false},
		{"tabs", "table \"t\" {\n\tcolumn \"a\" {\n\t\ttype\t= int\n\t}\n}\n", false},
		{"heredoc", "view \"v\" {\n  definition = <<SQL\nselect 1\nSQL\n}\n", true},
		{"escape", "table \"t\" {\n  comment = \"a\\\"b\"\n}\n", true},
		{"template", "table \"t\" {\n  comment = \"${x}\"\n}\n", true},
		{"operator", "table \"t\" {\n  a = 1 + 2\n}\n", true},
		{"object", "table \"t\" {\n  prefix = { a = 1 }\n}\n", true},
		{"block comment", "/* x */\ntable \"t\" {\n}\n", true},
		{"single-line block", "table \"t\" { a = 1 }\n", true},
		{"unicode", "table \"tä\" {\n}\n", true},
		{"crlf", "table \"t\" {\r\n}\r\n", true},
		{"duplicate attribute", "table \"t\" {\n  a = 1\n  a = 2\n}\n", true},
		{"syntax error", "table \"t\" {\n  a = = 1\n}\n", true},
		{"unclosed", "table \"t\" {\n  a = 1\n", true},
		{"exponent", "table \"t\" {\n  a = 1e3\n}\n", true},
		{"traversal", "table \"t\" {\n  a = b.c\n}\n", true},
		{"for", "table \"t\" {\n  a = [for x in y : x]\n}\n", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, stopped := fastBlocks([]byte(tt.src))
			if stopped != tt.stops {
				t.Fatalf("stopped = %v, want %v", stopped, tt.stops)
			}
			want, diags := hclsyntax.ParseConfig([]byte(tt.src), "s.hcl", hcl.InitialPos)
			if !stopped && diags.HasErrors() {
				t.Fatalf("read past a syntax error: %v", diags)
			}
			wb := want.Body.(*hclsyntax.Body).Blocks
			if len(got) > len(wb) {
				t.Fatalf("%d blocks, hclsyntax has %d", len(got), len(wb))
			}
			if !stopped && len(got) != len(wb) {
				t.Fatalf("%d blocks, want %d", len(got), len(wb))
			}
			for i := range got {
				if !reflect.DeepEqual(got[i], wb[i]) {
					t.Errorf("block %d differs from hclsyntax's:\n got  %#v\n want %#v", i, got[i], wb[i])
					compareBodies(t, got[i].Body, wb[i].Body)
				}
			}
		})
	}
}

// compareBodies names the first differing item, for failure messages.
func compareBodies(t *testing.T, got, want *hclsyntax.Body) {
	t.Helper()
	if got.SrcRange != want.SrcRange || got.EndRange != want.EndRange {
		t.Errorf("body ranges %v %v, want %v %v", got.SrcRange, got.EndRange, want.SrcRange, want.EndRange)
	}
	for name, a := range want.Attributes {
		if !reflect.DeepEqual(got.Attributes[name], a) {
			t.Errorf("attribute %s:\n got  %#v\n want %#v", name, got.Attributes[name], a)
			if g := got.Attributes[name]; g != nil {
				t.Errorf("expr:\n got  %#v\n want %#v", g.Expr, a.Expr)
			}
		}
	}
	for i, b := range want.Blocks {
		if i < len(got.Blocks) && !reflect.DeepEqual(got.Blocks[i], b) {
			t.Errorf("block %s %v: ranges %v %v %v, want %v %v %v", b.Type, b.Labels,
				got.Blocks[i].TypeRange, got.Blocks[i].OpenBraceRange, got.Blocks[i].CloseBraceRange,
				b.TypeRange, b.OpenBraceRange, b.CloseBraceRange)
			compareBodies(t, got.Blocks[i].Body, b.Body)
		}
	}
}

// TestFastParser_seeds checks the fast parser against hclsyntax on the
// fuzz seed corpus (the repository's real schemas and broken ones).
func TestFastParser_seeds(t *testing.T) {
	paths, _ := filepath.Glob("testdata/fuzz/*/*")
	if len(paths) == 0 {
		t.Skip("no seed corpus")
	}
	for _, path := range paths {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			src := seedBytes(string(raw))
			if src == nil {
				t.Skip("not a []byte seed")
			}
			got, _ := fastBlocks(src)
			want, _ := hclsyntax.ParseConfig(src, "s.hcl", hcl.InitialPos)
			wb := want.Body.(*hclsyntax.Body).Blocks
			for i := range got {
				if i >= len(wb) || !reflect.DeepEqual(got[i], wb[i]) {
					t.Fatalf("block %d differs from hclsyntax's", i)
				}
			}
		})
	}
}

// seedBytes decodes a "go test fuzz v1" file holding one []byte.
func seedBytes(raw string) []byte {
	lines := strings.SplitN(raw, "\n", 2)
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "go test fuzz v1") {
		return nil
	}
	v := strings.TrimSpace(lines[1])
	if !strings.HasPrefix(v, "[]byte(") || !strings.HasSuffix(v, ")") {
		return nil
	}
	s, err := strconv.Unquote(v[len("[]byte(") : len(v)-1])
	if err != nil {
		return nil
	}
	return []byte(s)
}
