package config

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/stratadb/strata/schema"
)

// typeInfo is a parsed type plus the attributes a string type can carry.
type typeInfo struct {
	t           schema.Type
	hasUnsigned bool // the string form said unsigned/signed
	hasZerofill bool
}

// parseTypeExpr reads the type attribute: a keyword (bigint), a call
// (varchar(191), enum("a","b")) or a string holding SQL ("int(10) unsigned").
// The expression is never evaluated as a function call.
//
// types is the catalogue of the dialect in use; nil checks no type names,
// only the arguments' shape (numbers, or strings for members).
func parseTypeExpr(expr hcl.Expression, types *schema.Types) (typeInfo, hcl.Diagnostics) {
	if kw := hcl.ExprAsKeyword(expr); kw != "" {
		return checkType(typeInfo{t: schema.Type{Name: strings.ToLower(kw)}}, expr.Range(), types)
	}
	if _, ok := expr.(*hclsyntax.FunctionCallExpr); ok {
		call, diags := hcl.ExprCall(expr)
		if diags.HasErrors() {
			return typeInfo{}, diags
		}
		ti := typeInfo{t: schema.Type{Name: strings.ToLower(call.Name)}}
		var spec schema.TypeSpec
		if types != nil {
			known := false
			if spec, known = types.Lookup(ti.t.Name); !known && !types.Verbatim {
				return typeInfo{}, unknownType(call.Name, call.NameRange, types)
			}
		}
		for i, arg := range call.Arguments {
			v, d := arg.Value(nil)
			if d.HasErrors() {
				return typeInfo{}, d
			}
			if types == nil && i == 0 {
				// Without a catalogue the first argument says what the
				// others are.
				spec.Values = v.Type() == cty.String
			}
			switch {
			case spec.Values && v.Type() == cty.String && v.IsKnown() && !v.IsNull():
				ti.t.Values = append(ti.t.Values, v.AsString())
			case !spec.Values && v.Type() == cty.Number && v.IsKnown() && !v.IsNull():
				n, ok := smallInt(v.AsBigFloat())
				if !ok {
					return typeInfo{}, hcl.Diagnostics{{
						Severity: hcl.DiagError,
						Summary:  "Invalid type argument",
						Detail:   fmt.Sprintf("The arguments of %s must be whole numbers from 0 up.", ti.t.Name),
						Subject:  arg.Range().Ptr(),
					}}
				}
				ti.t.Args = append(ti.t.Args, n)
			default:
				want := "numbers"
				if spec.Values {
					want = "strings (the members)"
				}
				return typeInfo{}, hcl.Diagnostics{{
					Severity: hcl.DiagError,
					Summary:  "Invalid type argument",
					Detail:   fmt.Sprintf("The arguments of %s must be %s.", ti.t.Name, want),
					Subject:  arg.Range().Ptr(),
				}}
			}
		}
		return checkType(ti, expr.Range(), types)
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return typeInfo{}, diags
	}
	if types != nil && types.Verbatim && v.Type() == cty.String && !v.IsNull() && v.IsKnown() {
		text := strings.TrimSpace(v.AsString())
		if text == "" {
			return typeInfo{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid column type", Detail: "The type is empty.", Subject: expr.Range().Ptr()}}
		}
		return typeInfo{t: schema.Type{Name: text}}, nil
	}
	if v.Type() != cty.String || v.IsNull() || !v.IsKnown() {
		return typeInfo{}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid column type",
			Detail:   `A type is a keyword (bigint), a call (varchar(191), enum("a", "b")) or a string of SQL ("int(10) unsigned").`,
			Subject:  expr.Range().Ptr(),
		}}
	}
	ti, err := parseSQLType(v.AsString())
	if err != nil {
		return typeInfo{}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid column type",
			Detail:   fmt.Sprintf("Cannot read %q as a SQL type: %v.", v.AsString(), err),
			Subject:  expr.Range().Ptr(),
		}}
	}
	return checkType(ti, expr.Range(), types)
}

func smallInt(f *big.Float) (int, bool) {
	if !f.IsInt() || f.Sign() < 0 {
		return 0, false
	}
	i, acc := f.Int64()
	if acc != big.Exact || i > 1<<31-1 {
		return 0, false
	}
	return int(i), true
}

// checkType validates a parsed type against the dialect's catalogue; with
// none, every type is taken as written.
func checkType(ti typeInfo, rng hcl.Range, types *schema.Types) (typeInfo, hcl.Diagnostics) {
	if types == nil {
		return ti, nil
	}
	spec, ok := types.Lookup(ti.t.Name)
	if !ok && types.Verbatim {
		return ti, nil // one of the database's own types
	}
	if !ok {
		return ti, unknownType(ti.t.Name, rng, types)
	}
	bad := func(detail string) (typeInfo, hcl.Diagnostics) {
		return ti, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid column type", Detail: detail, Subject: rng.Ptr()}}
	}
	switch {
	case spec.Values && len(ti.t.Values) == 0:
		return bad(fmt.Sprintf(`%s needs its members, e.g. %s("a", "b").`, ti.t.Name, ti.t.Name))
	case spec.Values && len(ti.t.Args) > 0:
		return bad(fmt.Sprintf("%s takes strings (its members), not numbers.", ti.t.Name))
	case !spec.Values && len(ti.t.Values) > 0:
		return bad(fmt.Sprintf("%s takes no string arguments.", ti.t.Name))
	case len(ti.t.Args) < spec.MinArgs:
		return bad(fmt.Sprintf("%s needs a length, e.g. %s(255).", ti.t.Name, ti.t.Name))
	case len(ti.t.Args) > spec.MaxArgs && spec.MaxArgs == 0:
		return bad(fmt.Sprintf("%s takes no arguments.", ti.t.Name))
	case len(ti.t.Args) > spec.MaxArgs:
		return bad(fmt.Sprintf("%s takes at most %d argument(s).", ti.t.Name, spec.MaxArgs))
	case (ti.t.Unsigned || ti.t.Zerofill) && !spec.Numeric:
		return bad(fmt.Sprintf("%s cannot be unsigned or zerofill.", ti.t.Name))
	}
	return ti, nil
}

func unknownType(name string, rng hcl.Range, types *schema.Types) hcl.Diagnostics {
	detail := fmt.Sprintf("%q is not a %s column type.", name, types.Dialect)
	if s := suggest(strings.ToLower(name), types.Names()); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown column type", Detail: detail, Subject: rng.Ptr()}}
}

// suggest returns the candidate closest to s, if it is close enough to be a
// likely typo.
func suggest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := levenshtein(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// parseSQLType reads a SQL column type such as "int(10) unsigned zerofill",
// "enum('a','b c')" or "double precision".
func parseSQLType(s string) (typeInfo, error) {
	var ti typeInfo
	p := &sqlTypeScanner{s: s}
	var words []string
	for {
		p.skipSpace()
		w := p.word()
		if w == "" {
			break
		}
		lw := strings.ToLower(w)
		if lw == "unsigned" || lw == "signed" || lw == "zerofill" {
			p.pos -= len(w)
			break
		}
		words = append(words, lw)
	}
	if len(words) == 0 {
		return ti, fmt.Errorf("no type name")
	}
	ti.t.Name = strings.Join(words, " ")
	p.skipSpace()
	if p.peek() == '(' {
		p.pos++
		for {
			p.skipSpace()
			switch c := p.peek(); {
			case c == '\'' || c == '"':
				v, err := p.quoted()
				if err != nil {
					return ti, err
				}
				ti.t.Values = append(ti.t.Values, v)
			case c >= '0' && c <= '9':
				start := p.pos
				for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
					p.pos++
				}
				n, err := strconv.Atoi(p.s[start:p.pos])
				if err != nil {
					return ti, fmt.Errorf("bad number %q", p.s[start:p.pos])
				}
				ti.t.Args = append(ti.t.Args, n)
			default:
				return ti, fmt.Errorf("unexpected %q in the argument list", string(rune(c)))
			}
			p.skipSpace()
			if p.peek() == ',' {
				p.pos++
				continue
			}
			if p.peek() == ')' {
				p.pos++
				break
			}
			return ti, fmt.Errorf("missing ')'")
		}
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.s) {
			break
		}
		w := strings.ToLower(p.word())
		switch w {
		case "unsigned":
			ti.t.Unsigned, ti.hasUnsigned = true, true
		case "signed":
			ti.hasUnsigned = true
		case "zerofill":
			ti.t.Zerofill, ti.hasZerofill = true, true
		case "":
			return ti, fmt.Errorf("unexpected %q", p.s[p.pos:])
		default:
			return ti, fmt.Errorf("unexpected %q (only unsigned, signed and zerofill may follow the type; use the column's attributes for the rest)", w)
		}
	}
	return ti, nil
}

type sqlTypeScanner struct {
	s   string
	pos int
}

func (p *sqlTypeScanner) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *sqlTypeScanner) skipSpace() {
	for p.pos < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *sqlTypeScanner) word() string {
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' && p.pos > start {
			p.pos++
			continue
		}
		break
	}
	return p.s[start:p.pos]
}

// quoted reads a SQL string literal: doubled quotes and backslash escapes.
func (p *sqlTypeScanner) quoted() (string, error) {
	q := p.s[p.pos]
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == q && p.pos+1 < len(p.s) && p.s[p.pos+1] == q:
			b.WriteByte(q)
			p.pos += 2
		case c == q:
			p.pos++
			return b.String(), nil
		case c == '\\' && p.pos+1 < len(p.s):
			b.WriteString(unescapeSQLChar(p.s[p.pos+1]))
			p.pos += 2
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", fmt.Errorf("unterminated string")
}

func unescapeSQLChar(c byte) string {
	switch c {
	case 'n':
		return "\n"
	case 'r':
		return "\r"
	case 't':
		return "\t"
	case '0':
		return "\x00"
	case 'b':
		return "\b"
	case 'Z':
		return "\x1a"
	}
	return string(c)
}

// quoteSQL renders s as the model's string literal.
func quoteSQL(s string) string { return schema.QuoteString(s) }

// unquoteSQL is the inverse of quoteSQL; ok is false when text is not
// exactly what quoteSQL would produce for some string.
func unquoteSQL(text string) (string, bool) {
	s, ok := schema.UnquoteString(text)
	if !ok || quoteSQL(s) != text {
		return "", false
	}
	return s, true
}
