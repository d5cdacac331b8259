package config

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// loader collects diagnostics while it reads attribute values.
type loader struct {
	f *Files
	// srcs, when set, holds the source of every file by name: loaders
	// that run concurrently read it instead of f.
	srcs  map[string][]byte
	diags hcl.Diagnostics
}

// source returns the text of rng, or "" if its file is unknown.
func (l *loader) source(rng hcl.Range) string {
	if l.srcs == nil {
		return l.f.source(rng)
	}
	return sourceText(l.srcs[rng.Filename], rng)
}

func (l *loader) add(d ...*hcl.Diagnostic) { l.diags = append(l.diags, d...) }

func (l *loader) errorf(rng hcl.Range, summary, format string, args ...any) {
	l.add(&hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  rng.Ptr(),
	})
}

// value evaluates an attribute without variables or functions and converts
// it to want. ok is false for a missing or null attribute or an error (which
// is recorded).
func (l *loader) value(a *hcl.Attribute, want cty.Type) (cty.Value, bool) {
	if a == nil {
		return cty.NilVal, false
	}
	v, d := exprValue(a.Expr)
	l.add(d...)
	if d.HasErrors() || v.IsNull() {
		return cty.NilVal, false
	}
	if !v.IsWhollyKnown() {
		l.errorf(a.Expr.Range(), "Invalid value", "The value of %q must be known without evaluation.", a.Name)
		return cty.NilVal, false
	}
	cv, err := convert.Convert(v, want)
	if err != nil {
		l.errorf(a.Expr.Range(), "Incorrect attribute value type",
			"Inappropriate value for attribute %q: %s required.", a.Name, want.FriendlyName())
		return cty.NilVal, false
	}
	return cv, true
}

// exprValue is expr.Value(nil), short-cut for the plainest expressions: a
// quoted string without templates (whose value is its one literal part)
// and a literal.
func exprValue(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	switch e := expr.(type) {
	case *hclsyntax.TemplateExpr:
		if len(e.Parts) == 1 {
			if lit, ok := e.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
				return lit.Val, nil
			}
		}
	case *hclsyntax.LiteralValueExpr:
		return e.Val, nil
	}
	return expr.Value(nil)
}

func (l *loader) str(a *hcl.Attribute) string {
	v, ok := l.value(a, cty.String)
	if !ok {
		return ""
	}
	return v.AsString()
}

// sqlText reads an attribute holding SQL (a definition, a body, an
// expression). A heredoc always ends in a newline that is not part of the
// SQL: it is dropped.
func (l *loader) sqlText(a *hcl.Attribute) string {
	s := l.str(a)
	if a != nil && isHeredoc(l.source(a.Expr.Range())) {
		s = strings.TrimSuffix(s, "\n")
		s = strings.TrimSuffix(s, "\r")
	}
	return s
}

func isHeredoc(src string) bool { return strings.HasPrefix(src, "<<") }

func (l *loader) boolean(a *hcl.Attribute) bool {
	v, ok := l.value(a, cty.Bool)
	return ok && v.True()
}

// integer reads a whole number in [lo, hi].
func (l *loader) integer(a *hcl.Attribute, lo, hi int64) int64 {
	v, ok := l.value(a, cty.Number)
	if !ok {
		return 0
	}
	i, acc := v.AsBigFloat().Int64()
	if !v.AsBigFloat().IsInt() || acc != big.Exact || i < lo || i > hi {
		l.errorf(a.Expr.Range(), "Invalid value", "%q must be a whole number from %d to %d.", a.Name, lo, hi)
		return 0
	}
	return i
}

// strList reads a list of strings and the range of each element.
func (l *loader) strList(a *hcl.Attribute) ([]string, []hcl.Range) {
	if a == nil {
		return nil, nil
	}
	exprs, d := hcl.ExprList(a.Expr)
	if d.HasErrors() {
		l.errorf(a.Expr.Range(), "Incorrect attribute value type",
			"Inappropriate value for attribute %q: a list of strings is required, e.g. [\"a\", \"b\"].", a.Name)
		return nil, nil
	}
	var out []string
	var rngs []hcl.Range
	for _, e := range exprs {
		v, d := e.Value(nil)
		l.add(d...)
		if d.HasErrors() {
			continue
		}
		cv, err := convert.Convert(v, cty.String)
		if err != nil || cv.IsNull() || !cv.IsKnown() {
			l.errorf(e.Range(), "Incorrect attribute value type", "The elements of %q must be strings.", a.Name)
			continue
		}
		out = append(out, cv.AsString())
		rngs = append(rngs, e.Range())
	}
	return out, rngs
}

// enum reads a string that must be one of allowed (case-insensitive, runs of
// spaces collapsed) and returns it upper-case.
func (l *loader) enum(a *hcl.Attribute, allowed ...string) string {
	s := l.str(a)
	if s == "" {
		return ""
	}
	u := strings.ToUpper(strings.Join(strings.Fields(s), " "))
	for _, v := range allowed {
		if u == v {
			return u
		}
	}
	l.errorf(a.Expr.Range(), "Invalid value", "%q is not a valid %s; use one of %s.", s, a.Name, quoteList(allowed))
	return ""
}

// spelledEnum is enum that returns the value as written (trimmed) rather
// than upper-cased.
func (l *loader) spelledEnum(a *hcl.Attribute, allowed ...string) string {
	if l.enum(a, allowed...) == "" {
		return ""
	}
	return strings.TrimSpace(l.str(a))
}

func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// defaultText reads a default or on_update value as SQL text: a string
// becomes a quoted literal, a number its source text, a bool 1 or 0 and
// sql("...") its argument verbatim.
func (l *loader) defaultText(a *hcl.Attribute) string {
	if a == nil {
		return ""
	}
	switch e := a.Expr.(type) {
	case *hclsyntax.FunctionCallExpr:
		if e.Name != "sql" {
			l.errorf(e.NameRange, "Call to unknown function",
				"There is no function named %q; only sql(\"...\") is allowed here, for SQL text used verbatim.", e.Name)
			return ""
		}
		if len(e.Args) != 1 || e.ExpandFinal {
			l.errorf(e.Range(), "Invalid sql() call", `sql() takes one string: the SQL text, e.g. sql("CURRENT_TIMESTAMP").`)
			return ""
		}
		s := l.sqlText(&hcl.Attribute{Name: "sql", Expr: e.Args[0], Range: e.Args[0].Range()})
		if strings.TrimSpace(s) == "" {
			l.errorf(e.Range(), "Invalid sql() call", "sql() needs non-empty SQL text.")
		}
		return s
	case *hclsyntax.LiteralValueExpr:
		if e.Val.Type() == cty.Number {
			return l.source(e.Range())
		}
	case *hclsyntax.UnaryOpExpr:
		if lit, ok := e.Val.(*hclsyntax.LiteralValueExpr); ok && e.Op == hclsyntax.OpNegate && lit.Val.Type() == cty.Number {
			return "-" + l.source(lit.Range())
		}
	}
	v, d := exprValue(a.Expr)
	l.add(d...)
	if d.HasErrors() || v.IsNull() {
		return ""
	}
	switch v.Type() {
	case cty.String:
		return quoteSQL(v.AsString())
	case cty.Bool:
		if v.True() {
			return "1"
		}
		return "0"
	case cty.Number:
		return v.AsBigFloat().Text('f', -1)
	}
	l.errorf(a.Expr.Range(), "Invalid default", `%q must be a string, a number, a bool or sql("...").`, a.Name)
	return ""
}
