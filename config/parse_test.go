package config

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// bigSource is a schema large enough to be parsed in pieces, with heredocs
// and comments whose lines look like block headers.
func bigSource() string {
	var b strings.Builder
	b.WriteString("# schema\n")
	b.Write(WriteSchema(benchSchema(400)))
	b.WriteString("\nview \"tricky\" {\n  definition = <<SQL\nselect 1\ntable \"not_a_block\" {\n}\nSQL\n}\n")
	b.WriteString("/*\ntable \"commented\" {\n}\n*/\n")
	b.Write(WriteSchema(benchSchema(400)))
	return b.String()
}

func TestParseHCL_splitEqualsWhole(t *testing.T) {
	src := []byte(strings.Replace(bigSource(), "t00", "u00", 400)) // distinct names not needed for parsing
	if len(src) < splitParseMin || len(blockCuts(src, len(src)/8)) < 2 {
		t.Fatalf("source of %d bytes is not split", len(src))
	}
	split, diags := parseHCL(src, "big.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	whole, _ := hclsyntax.ParseConfig(src, "big.hcl", hcl.InitialPos)
	if _, ok := split.Nav.(navigation); !ok {
		t.Fatal("the file was not parsed in pieces")
	}
	sb, wb := split.Body.(*hclsyntax.Body), whole.Body.(*hclsyntax.Body)
	if len(sb.Blocks) != len(wb.Blocks) {
		t.Fatalf("%d blocks, want %d", len(sb.Blocks), len(wb.Blocks))
	}
	for i := range wb.Blocks {
		s, w := sb.Blocks[i], wb.Blocks[i]
		if !reflect.DeepEqual(s.Labels, w.Labels) || s.Range() != w.Range() || s.DefRange() != w.DefRange() {
			t.Fatalf("block %d: %v %v, want %v %v", i, s.Labels, s.Range(), w.Labels, w.Range())
		}
		for name, a := range w.Body.Attributes {
			if sa := s.Body.Attributes[name]; sa == nil || sa.SrcRange != a.SrcRange {
				t.Fatalf("block %d attribute %s differs", i, name)
			}
		}
	}
	for _, off := range []int{0, len(src) / 3, len(src) / 2, len(src) - 10} {
		if got, want := split.Nav.(navigation).ContextString(off), whole.Nav.(interface{ ContextString(int) string }).ContextString(off); got != want {
			t.Errorf("context at %d = %q, want %q", off, got, want)
		}
	}
}

func TestParseHCL_fallbackOnSyntaxError(t *testing.T) {
	src := bigSource() + "table \"broken\" {\n  column \"a\" {\n    type = = int\n  }\n}\n"
	f, diags := parseHCL([]byte(src), "big.hcl")
	if !diags.HasErrors() {
		t.Fatal("want a syntax error")
	}
	if _, split := f.Nav.(navigation); split {
		t.Error("a file with errors must come from a whole parse")
	}
	line := strings.Count(src, "\n") - 2
	if diags[0].Subject == nil || diags[0].Subject.Start.Line != line {
		t.Errorf("error at %v, want line %d", diags[0].Subject, line)
	}
}

func TestFiles_LoadSchema_bigFileDiagnostics(t *testing.T) {
	// A semantic error far into a large file keeps its exact position and
	// context.
	src := string(WriteSchema(benchSchema(600)))
	i := strings.Index(src, "table \"t00500\"")
	src = src[:i] + strings.Replace(src[i:], "type           = bigint(20)", "type           = bigitn(20)", 1)
	line := strings.Count(src[:i], "\n") + 6 // type of the first column
	f := mysqlFiles()
	_, diags := f.LoadSchema(writeFile(t, t.TempDir(), "schema.hcl", src))
	checkDiags(t, diags, []wantDiag{{"Unknown column type", "schema.hcl:" + strconv.Itoa(line) + ":22"}})
	var b strings.Builder
	_ = f.WriteDiagnostics(&b, diags, false)
	if !strings.Contains(b.String(), `in table "t00500"`) {
		t.Errorf("no block context:\n%s", b.String())
	}
	if _, split := f.Files()[diags[0].Subject.Filename].Nav.(navigation); !split {
		t.Error("the file was not parsed in pieces")
	}
}
