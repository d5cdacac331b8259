package config

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/stratadb/strata/schema"
)

// Files keeps the bytes of every file parsed through it, so that
// diagnostics can be rendered with their source lines.
type Files struct {
	parser *hclparse.Parser
	// Width wraps diagnostic details at this many columns; 0 does not wrap.
	Width uint
	// Types is the column type catalogue of the dialect the schema is
	// for; type names are checked against it. nil checks no names.
	Types *schema.Types
	// excludes are the exclude patterns of the schemas loaded, by path.
	excludes map[string][]string
}

// NewFiles returns an empty file set.
func NewFiles() *Files {
	return &Files{parser: hclparse.NewParser()}
}

// lookupType returns the spec of a type name in f.Types.
func (f *Files) lookupType(name string) (schema.TypeSpec, bool) {
	if f.Types == nil {
		return schema.TypeSpec{}, false
	}
	return f.Types.Lookup(name)
}

// Files returns every parsed file by name.
func (f *Files) Files() map[string]*hcl.File {
	return f.parser.Files()
}

// Add parses src as the file filename and keeps it for diagnostics (for
// sources that do not come from disk, e.g. `strata fmt` of stdin). It
// returns the syntax errors, if any.
func (f *Files) Add(filename string, src []byte) (*hcl.File, hcl.Diagnostics) {
	return f.parser.ParseHCL(src, filename)
}

// WriteDiagnostics renders diagnostics the way Terraform does:
//
//	Error: <summary>
//
//	  on schema.hcl line 12, in table "users":
//	  12:   column ...
//
//	<detail>
func (f *Files) WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, color bool) error {
	// A broken file can produce thousands of diagnostics, each printing its
	// source line: show the first ones, which are the ones to fix first.
	const shown = 20
	if len(diags) > shown {
		defer fmt.Fprintf(w, "... and %d more problems not shown: fix the ones above first.\n", len(diags)-shown)
		diags = diags[:shown]
	}
	for _, d := range diags {
		var buf bytes.Buffer
		if err := hcl.NewDiagnosticTextWriter(&buf, f.parser.Files(), f.Width, color).WriteDiagnostic(d); err != nil {
			return err
		}
		text := buf.String()
		if d.Subject != nil {
			// hcl writes "on FILE line N"; editors and CI annotations want
			// the column too, as FILE:LINE:COL.
			s := d.Subject
			text = strings.Replace(text,
				fmt.Sprintf("on %s line %d", s.Filename, s.Start.Line),
				fmt.Sprintf("on %s:%d:%d", s.Filename, s.Start.Line, s.Start.Column), 1)
		}
		// The source line of a diagnostic in an environment file may hold
		// a literal URL, password and all: never print it.
		if _, err := io.WriteString(w, maskSourceLines(text)); err != nil {
			return err
		}
	}
	return nil
}

// source returns the text of rng from its file, or "" if the file is unknown.
func (f *Files) source(rng hcl.Range) string {
	file := f.parser.Files()[rng.Filename]
	if file == nil {
		return ""
	}
	return sourceText(file.Bytes, rng)
}

func sourceText(src []byte, rng hcl.Range) string {
	if rng.End.Byte > len(src) || rng.Start.Byte < 0 || rng.Start.Byte > rng.End.Byte {
		return ""
	}
	return string(src[rng.Start.Byte:rng.End.Byte])
}

// DiagnosticJSON is one diagnostic in machine-readable form.
type DiagnosticJSON struct {
	Severity string `json:"severity"` // "error" or "warning"
	Summary  string `json:"summary"`
	Detail   string `json:"detail,omitempty"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	// Pos is "file:line:col", for editors and CI annotations.
	Pos string `json:"pos,omitempty"`
}

// DiagnosticsJSON converts diagnostics for --format json output.
func DiagnosticsJSON(diags hcl.Diagnostics) []DiagnosticJSON {
	out := make([]DiagnosticJSON, 0, len(diags))
	for _, d := range diags {
		j := DiagnosticJSON{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			j.Severity = "warning"
		}
		if s := d.Subject; s != nil {
			j.File, j.Line, j.Column = s.Filename, s.Start.Line, s.Start.Column
			j.Pos = fmt.Sprintf("%s:%d:%d", s.Filename, s.Start.Line, s.Start.Column)
		}
		out = append(out, j)
	}
	return out
}
