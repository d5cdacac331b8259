package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/stratadb/strata/schema"
)

// fastBlocks reads src with the fast parser until it ends or stops; stopped
// reports a stop.
func fastBlocks(src []byte) (blocks []*hclsyntax.Block, stopped bool) {
	fast, stopped := fastRead(src)
	for _, b := range fast {
		blocks = append(blocks, b.syntaxBlock())
	}
	return blocks, stopped
}

func fastRead(src []byte) (blocks []*fastBlock, stopped bool) {
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
		{"simple escapes", "table \"t\\\"s\" {\n  comment = \"a\\\"b\"\n  collate = \"\\\"C\\\"\"\n  d = \"\\\\ \\n \\r \\t\"\n  e = [\"x\\\"\", sql(\"'\\\\'\")]\n}\n", false},
		{"unicode escape", "table \"t\" {\n  comment = \"\\u00e4\"\n}\n", true},
		{"escaped template", "table \"t\" {\n  comment = \"$${x}\"\n}\n", true},
		{"backslash at the end", "table \"t\" {\n  comment = \"a\\", true},
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

// referenceLoad loads one file the way LoadSchema did before it read files
// block by block: hclsyntax parses the whole file, then its blocks are
// loaded in order.
func referenceLoad(path string, src []byte) (*schema.Schema, hcl.Diagnostics) {
	f := NewFiles()
	l := &loader{f: f}
	s := &schema.Schema{}
	file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	f.parser.AddFile(path, file)
	if diags.HasErrors() {
		return s, diags
	}
	l.add(diags...)
	src2 := &srcInfo{
		tables:   map[*schema.Table]*tableSrc{},
		views:    map[*schema.View]hcl.Range{},
		viewDeps: map[*schema.View][]hcl.Range{},
		triggers: map[*schema.Trigger]*triggerSrc{},
	}
	content, d := file.Body.Content(topSchema)
	l.add(d...)
	for _, b := range content.Blocks {
		switch b.Type {
		case "table":
			t, ts := l.table(b)
			s.Tables = append(s.Tables, t)
			src2.tables[t] = ts
		case "view":
			v, deps := l.view(b)
			s.Views = append(s.Views, v)
			src2.views[v] = b.LabelRanges[0]
			src2.viewDeps[v] = deps
		case "trigger":
			tr, trs := l.trigger(b)
			s.Triggers = append(s.Triggers, tr)
			src2.triggers[tr] = trs
		}
	}
	l.validate(s, src2)
	return s, l.diags
}

// diagKey is what a user sees of a diagnostic.
type diagKey struct {
	Severity         hcl.DiagnosticSeverity
	Summary, Detail  string
	Subject, Context string
}

func diagKeys(diags hcl.Diagnostics) []diagKey {
	var out []diagKey
	for _, d := range diags {
		k := diagKey{Severity: d.Severity, Summary: d.Summary, Detail: d.Detail}
		if d.Subject != nil {
			k.Subject = fmt.Sprintf("%#v", *d.Subject)
		}
		if d.Context != nil {
			k.Context = fmt.Sprintf("%#v", *d.Context)
		}
		out = append(out, k)
	}
	return out
}

// TestFiles_LoadSchema_sameAsWholeParse loads sources that the fast parser
// reads, partly reads or cannot read, valid and broken, and compares the
// model, the diagnostics and their rendering with a whole-file hclsyntax
// load.
func TestFiles_LoadSchema_sameAsWholeParse(t *testing.T) {
	gen := string(WriteSchema(benchSchema(40)))
	heredocView := "view \"v\" {\n  definition = <<SQL\nselect 1\ntable \"not_a_block\" {\n}\nSQL\n}\n"
	cases := map[string]string{
		"generated":              gen,
		"big":                    bigSource(),
		"heredoc in the middle":  gen[:len(gen)/2] + strings.SplitN(gen[len(gen)/2:], "\ntable ", 2)[0] + "\n" + heredocView + "table " + strings.SplitN(gen[len(gen)/2:], "\ntable ", 2)[1],
		"semantic error":         strings.Replace(gen, "type           = bigint(20)", "type           = bigitn(20)", 3),
		"unknown attribute":      strings.Replace(gen, "unsigned = true", "unsinged = true", 2),
		"syntax error at end":    gen + "table \"broken\" {\n  column \"a\" {\n    type = = int\n  }\n}\n",
		"syntax error after doc": gen + heredocView + "table \"broken\" {\n  x = [\n}\n",
		"top-level attribute":    gen + "x = 1\n",
		"unknown top-level":      gen + "tabel \"x\" {\n}\n" + heredocView,
		"two labels":             heredocView + "table \"a\" \"b\" {\n}\n" + gen,
		"missing label":          gen + "view {\n  definition = \"select 1\"\n}\n",
		"unterminated comment":   gen + "/* open\n",
		"comment at end":         gen + "# the end",
		"escapes and templates":  "table \"t\" {\n  comment = \"a\\\"b\"\n  column \"a\" {\n    type = int\n    default = \"$${x}\"\n  }\n}\n" + gen,
		"dangling fk":            strings.Replace(gen, "ref_table   = \"t00001\"", "ref_table   = \"t0001\"", 1),
		"heredoc of block lines": gen + "view \"w\" {\n  definition = <<SQL\n" + strings.Repeat("table \"x\" {\n}\n", 50) + "SQL\n}\n" + gen[:200] + "\n}\n}\n",
		"crlf":                   strings.ReplaceAll(gen[:strings.Index(gen, "\ntable \"t00005\"")+1], "\n", "\r\n"),
		"unicode comment":        "# größe\n" + gen,
	}
	paths, _ := filepath.Glob("testdata/fuzz/FuzzLoadSchema/*")
	for _, p := range paths {
		raw, _ := os.ReadFile(p)
		if src := seedBytes(string(raw)); src != nil {
			cases["seed "+filepath.Base(p)] = string(src)
		}
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "schema.hcl")
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			wantS, wantD := referenceLoad(path, []byte(src))
			f := NewFiles()
			gotS, gotD := f.LoadSchema(path)
			// Only a syntax error or a wrong top-level item make it parse
			// the whole file.
			whole, syntax := hclsyntax.ParseConfig([]byte(src), path, hcl.InitialPos)
			_, top := whole.Body.Content(topSchema)
			wantStream := !syntax.HasErrors() && len(top) == 0
			if _, streamed := f.Files()[path].Body.(*lazyBody); streamed != wantStream {
				t.Errorf("read block by block: %v, want %v", streamed, wantStream)
			}
			if !reflect.DeepEqual(diagKeys(gotD), diagKeys(wantD)) {
				t.Fatalf("diagnostics:\n got  %v\n want %v", gotD, wantD)
			}
			if !gotD.HasErrors() && !reflect.DeepEqual(gotS, wantS) {
				t.Fatalf("models differ")
			}
			ref := NewFiles()
			ref.parser.AddFile(path, mustParse(t, path, []byte(src)))
			var got, want strings.Builder
			// (hcl renders each diagnostic by scanning its file: a few do.)
			_ = f.WriteDiagnostics(&got, gotD[:min(len(gotD), 10)], false)
			_ = ref.WriteDiagnostics(&want, wantD[:min(len(wantD), 10)], false)
			if got.String() != want.String() {
				t.Errorf("rendered diagnostics:\n got  %s\n want %s", got.String(), want.String())
			}
			// A second load through the same Files (the CLI reloads) gives
			// the same again (after a syntax error, as before, the second
			// load reads the broken syntax tree).
			if syntax.HasErrors() {
				return
			}
			againS, againD := f.LoadSchema(path)
			if !reflect.DeepEqual(diagKeys(againD), diagKeys(gotD)) || !reflect.DeepEqual(againS, gotS) {
				t.Errorf("a second load differs")
			}
		})
	}
}

func mustParse(t *testing.T, path string, src []byte) *hcl.File {
	t.Helper()
	f, _ := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	return f
}

// TestFiles_LoadSchema_added: a file registered with Add is loaded from its
// parsed body, as before, not read again.
func TestFiles_LoadSchema_added(t *testing.T) {
	path := filepath.Join(t.TempDir(), "schema.hcl")
	if err := os.WriteFile(path, []byte("table \"on_disk\" {\n  column \"a\" {\n    type = int\n  }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := NewFiles()
	if _, diags := f.Add(path, []byte("table \"added\" {\n  column \"a\" {\n    type = int\n  }\n}\n")); diags.HasErrors() {
		t.Fatal(diags)
	}
	s, diags := f.LoadSchema(path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(s.Tables) != 1 || s.Tables[0].Name != "added" {
		t.Errorf("tables %v, want the added file's", s.Tables)
	}
}

// FuzzLoadSchemaSame: loading block by block gives exactly what a whole
// hclsyntax parse gives, for any input.
func FuzzLoadSchemaSame(f *testing.F) {
	f.Add([]byte(WriteSchema(benchSchema(3))))
	f.Add([]byte("table \"t\" {\n  column \"a\" {\n    type = int\n    default = -1.5\n  }\n  index \"i\" {\n    columns = [\"a\"]\n    prefix = { a = 3 }\n  }\n}\nview \"v\" {\n  definition = <<SQL\nselect 1\nSQL\n}\n"))
	paths, _ := filepath.Glob("testdata/fuzz/FuzzLoadSchema/*")
	for _, p := range paths {
		raw, _ := os.ReadFile(p)
		if src := seedBytes(string(raw)); src != nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		path := filepath.Join(t.TempDir(), "schema.hcl")
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		wantS, wantD := referenceLoad(path, src)
		gotS, gotD := NewFiles().LoadSchema(path)
		// hcl reports unsupported arguments in map order: compare the
		// diagnostics as sets.
		if !reflect.DeepEqual(sortedKeys(gotD), sortedKeys(wantD)) {
			t.Fatalf("diagnostics:\n got  %v\n want %v", gotD, wantD)
		}
		if !gotD.HasErrors() && !reflect.DeepEqual(gotS, wantS) {
			t.Fatalf("models differ")
		}
	})
}

func sortedKeys(diags hcl.Diagnostics) []diagKey {
	keys := diagKeys(diags)
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	return keys
}

// TestFiles_Declarations_blockByBlock: declarations of a file loaded block
// by block are those of its whole syntax tree.
func TestFiles_Declarations_blockByBlock(t *testing.T) {
	src := string(WriteSchema(benchSchema(30))) + "view \"v\" {\n  definition = <<SQL\nselect 1\nSQL\n}\n" +
		"table \"p\" {\n  column \"a\" {\n    type = int\n  }\n  primary_key {\n    columns = [\"a\"]\n  }\n  check \"c\" {\n    expr = \"a > 0\"\n  }\n}\n"
	path := filepath.Join(t.TempDir(), "schema.hcl")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f := NewFiles()
	if _, diags := f.LoadSchema(path); diags.HasErrors() {
		t.Fatal(diags)
	}
	if _, lazy := f.Files()[path].Body.(*lazyBody); !lazy {
		t.Fatal("not loaded block by block")
	}
	ref := NewFiles()
	ref.parser.AddFile(path, mustParse(t, path, []byte(src)))
	got, want := f.Declarations(), ref.Declarations()
	if len(want) < 30*17 || !reflect.DeepEqual(got, want) {
		t.Errorf("%d declarations, want %d (equal: %v)", len(got), len(want), reflect.DeepEqual(got, want))
	}
}
