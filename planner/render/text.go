package render

import (
	"bufio"
	"io"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

// TextOptions tune the text rendering.
type TextOptions struct {
	// Color adds ANSI colours: green +, yellow ~, red -, bold headers and
	// red hazards. Off, the output holds no escape codes.
	Color bool
}

// NoChanges is the text of an empty plan.
const NoChanges = "No changes. Your database matches the desired schema."

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

type textWriter struct {
	w     *bufio.Writer
	color bool
	rules dialect.HazardRules // words hazard sentences
}

func (t *textWriter) paint(code, s string) string {
	if !t.color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) sym(s string) string {
	switch s {
	case "+":
		return t.paint(ansiGreen, s)
	case "-":
		return t.paint(ansiRed, s)
	case "~", "-/+":
		return t.paint(ansiYellow, s)
	}
	return s
}

// Text writes the plan for reviewers, Terraform-style: one block per table,
// view or trigger with its changes and hazards, the summary line and the
// SQL to run.
func Text(w io.Writer, p *planner.Plan, o TextOptions) error {
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw, color: o.Color, rules: planRules(p)}
	if p == nil || p.Empty() {
		bw.WriteString(t.paint(ansiBold, NoChanges) + "\n")
		return bw.Flush()
	}
	bw.WriteString("Strata will perform the following actions:\n\n")
	for _, obj := range p.Objects() {
		t.object(obj)
	}
	bw.WriteString(t.paint(ansiBold, p.Summary().String()) + "\n")
	if stmts := p.Statements(); len(stmts) > 0 {
		bw.WriteString("\nSQL to run:\n")
		for _, s := range stmts {
			for _, n := range statementNotes(p, s) {
				bw.WriteString("  -- " + n + "\n")
			}
			bw.WriteString(indent(statementText(s.SQL), "  ") + "\n")
		}
	}
	return bw.Flush()
}

// statementText ends a statement with a semicolon.
func statementText(sql string) string {
	sql = strings.TrimRight(sql, " \n\t")
	if !strings.HasSuffix(sql, ";") {
		sql += ";"
	}
	return sql
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// verb, symbol and rename of an object as the text header shows them.
func objectHeader(obj *planner.Object) (verb, sym, renamedFrom string) {
	replaced := false
	var created, deleted bool
	for _, s := range obj.Steps {
		switch planner.ActionOf(s.Change) {
		case planner.ActionCreate:
			created = true
		case planner.ActionDelete:
			deleted = true
		}
		if r, ok := s.Change.(*schema.RenameTable); ok {
			renamedFrom = r.From
		}
	}
	replaced = created && deleted && obj.Action == planner.ActionUpdate
	switch {
	case replaced:
		return "replaced", "-/+", renamedFrom
	case obj.Action == planner.ActionCreate:
		return "created", "+", renamedFrom
	case obj.Action == planner.ActionDelete:
		return "destroyed", "-", renamedFrom
	}
	return "changed", "~", renamedFrom
}

func detailSym(action string) string {
	switch action {
	case detailAdd:
		return "+"
	case detailDrop:
		return "-"
	}
	return "~"
}

func detailText(d Detail) string {
	switch d.Action {
	case detailAdd:
		return d.To
	case detailDrop:
		return d.From
	}
	return d.Summary
}

func detailLabel(d Detail) string {
	l := objectWord(d.ObjectType)
	if d.Name != "" {
		l += " " + quoteName(d.Name)
	}
	return l
}

func (t *textWriter) object(obj *planner.Object) {
	w := t.w
	verb, sym, from := objectHeader(obj)
	head := "# " + string(obj.Kind) + " " + quoteName(obj.Name) + " will be " + verb
	if from != "" {
		head += " (renamed from " + quoteName(from) + ")"
	}
	w.WriteString("  " + t.paint(ansiBold, head) + "\n")
	ds := objectDetails(obj)
	title := string(obj.Kind) + " " + quoteName(obj.Name)
	if len(ds) == 0 {
		w.WriteString("  " + t.sym(sym) + " " + title + "\n")
	} else {
		w.WriteString("  " + t.sym(sym) + " " + title + " {\n")
		width := 0
		for _, d := range ds {
			width = max(width, len([]rune(detailLabel(d))))
		}
		for _, d := range ds {
			label := detailLabel(d)
			pad := strings.Repeat(" ", width-len([]rune(label)))
			text := detailText(d)
			// Continuation lines of multi-line text (trigger bodies, view
			// definitions) line up under the first.
			cont := "\n" + strings.Repeat(" ", 6+2+width+1)
			w.WriteString("      " + t.sym(detailSym(d.Action)) + " " + label + pad + " " +
				strings.ReplaceAll(text, "\n", cont) + "\n")
		}
		w.WriteString("    }\n")
	}
	for _, s := range obj.Steps {
		for _, h := range s.Hazards {
			w.WriteString("      " + t.paint(ansiRed, "! "+string(h.Kind)+": "+hazardMessage(h, t.rules)) + "\n")
		}
	}
	w.WriteString("\n")
}
