package lint

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Summary is the closing line of the text and markdown output:
// "2 errors, 1 warning." or "No problems found.".
func Summary(fs []Finding) string {
	e, w := Counts(fs)
	if e == 0 && w == 0 {
		return "No problems found."
	}
	return plural(e, "error") + ", " + plural(w, "warning") + "."
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// WriteText writes one line per finding, compiler style, then the summary:
//
//	schema.hcl:12:3: error: table `logs` has no primary key: ... [no_primary_key]
//
// A finding without a position starts with its object instead.
func WriteText(w io.Writer, fs []Finding) error {
	bw := bufio.NewWriter(w)
	for _, f := range fs {
		where := f.ObjectText()
		if f.Pos != nil {
			where = f.Pos.String()
		}
		fmt.Fprintf(bw, "%s: %s: %s [%s]\n", where, f.Severity, f.Message, f.Rule)
	}
	if len(fs) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString(Summary(fs) + "\n")
	return bw.Flush()
}

// FormatVersion is the version of the JSON document.
const FormatVersion = "1"

type jsonDoc struct {
	FormatVersion string    `json:"format_version"`
	Errors        int       `json:"errors"`
	Warnings      int       `json:"warnings"`
	Findings      []Finding `json:"findings"`
}

// WriteJSON writes {"format_version", "errors", "warnings", "findings"};
// each finding has rule, severity, object {type, table?, name}, message
// and position {file, line, column} when known. findings is never null.
func WriteJSON(w io.Writer, fs []Finding) error {
	e, wn := Counts(fs)
	doc := jsonDoc{FormatVersion: FormatVersion, Errors: e, Warnings: wn, Findings: fs}
	if doc.Findings == nil {
		doc.Findings = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// WriteMarkdown writes a table of findings for a pull-request comment.
func WriteMarkdown(w io.Writer, fs []Finding) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("### Strata lint\n\n")
	if len(fs) > 0 {
		bw.WriteString("| | rule | object | message | location |\n| --- | --- | --- | --- | --- |\n")
		for _, f := range fs {
			icon := "⚠️"
			if f.Severity == Error {
				icon = "❌"
			}
			loc := ""
			if f.Pos != nil {
				loc = mdCode(f.Pos.String())
			}
			fmt.Fprintf(bw, "| %s %s | `%s` | %s | %s | %s |\n", icon, f.Severity, f.Rule, mdCode(f.ObjectText()), mdCell(f.Message), loc)
		}
		bw.WriteString("\n")
	}
	bw.WriteString("**" + Summary(fs) + "**\n")
	return bw.Flush()
}

// mdCell escapes text for a table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// mdCode wraps text holding backticks in a code span that shows them.
func mdCode(s string) string {
	s = mdCell(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
