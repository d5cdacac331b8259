package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// fastParser reads the plain subset of HCL that schemas are written in
// (what WriteSchema writes: blocks with quoted labels, attributes whose
// values are quoted strings without templates, numbers, bools,
// keywords, calls and lists, line comments) one top-level block at a time,
// into blocks that hold exactly what hclsyntax.ParseConfig's AST holds (see
// fastBody; the expressions are hclsyntax's own). It is several times
// faster than hclsyntax's lexer and parser, which allocate a token slice
// for the whole file first, and it lets the loader drop each block's AST
// once read. Anything else (heredocs, escapes other than \" \\ \n \r \t,
// templates, operators, objects, block comments, non-ASCII text, CR, any
// syntax error) stops it: the caller parses the rest with hclsyntax, so the
// AST and diagnostics are always hclsyntax's own.
type fastParser struct {
	src       []byte
	filename  string
	off       int
	line      int
	lineStart int // offset of the current line's first byte
	// mark is where the last call of next began, which is where a caller
	// goes on with hclsyntax when that call stopped.
	mark hcl.Pos
	// attrs collects the attributes of the bodies being read (nested
	// bodies above their parents'), so that each body gets them in one
	// allocation of the right size.
	attrs []hcl.Attribute
	eqs   []hcl.Range // the equals sign of each of attrs
	// Schemas repeat the same names and values (column, type, "id",
	// "utf8mb4", 20) thousands of times: short ones are shared.
	strs map[string]string
	vals map[string]cty.Value // string and number literals
}

// Only short texts are shared, and not more of them than a schema
// plausibly repeats (table names are all different).
const (
	maxInternLen  = 32
	maxInternSize = 8192
)

// intern returns b as a string, shared with the earlier equal ones.
func (p *fastParser) intern(b []byte) string {
	if len(b) > maxInternLen {
		return string(b)
	}
	if s, ok := p.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(p.strs) < maxInternSize {
		p.strs[s] = s
	}
	return s
}

// literal returns the value of a string (quote, text, quote) or number
// literal whose source is b, shared with earlier equal ones (cty values
// are immutable).
func (p *fastParser) literal(b []byte, value func(text string) cty.Value) cty.Value {
	if v, ok := p.vals[string(b)]; ok {
		return v
	}
	v := value(string(b))
	if len(b) <= maxInternLen && len(p.vals) < maxInternSize {
		p.vals[string(b)] = v
	}
	return v
}

// errUnsupported stops the fast parser; the caller falls back to hclsyntax.
type errUnsupported struct{}

func newFastParser(src []byte, filename string) *fastParser {
	return &fastParser{src: src, filename: filename, line: 1, strs: map[string]string{}, vals: map[string]cty.Value{}}
}

// tryNext is next that reports a stop as ok == false instead of
// panicking.
func (p *fastParser) tryNext() (b *fastBlock, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, stop := r.(errUnsupported); !stop {
				panic(r)
			}
			ok = false
		}
	}()
	return p.next(), true
}

// resetTo makes the parser go on at pos, the start of a line.
func (p *fastParser) resetTo(pos hcl.Pos) {
	p.off, p.line, p.lineStart = pos.Byte, pos.Line, pos.Byte-pos.Column+1
}

func (p *fastParser) pos() hcl.Pos {
	return hcl.Pos{Line: p.line, Column: p.off - p.lineStart + 1, Byte: p.off}
}

func (p *fastParser) bail() { panic(errUnsupported{}) }

// rangeFrom is the range from start to the current position.
func (p *fastParser) rangeFrom(start hcl.Pos) hcl.Range {
	return hcl.Range{Filename: p.filename, Start: start, End: p.pos()}
}

// token reads n bytes (none of them a newline) and returns their range.
func (p *fastParser) token(n int) hcl.Range {
	start := p.pos()
	p.off += n
	return p.rangeFrom(start)
}

func (p *fastParser) peekByte() byte {
	if p.off < len(p.src) {
		return p.src[p.off]
	}
	return 0
}

func (p *fastParser) skipSpaces() {
	for p.off < len(p.src) && (p.src[p.off] == ' ' || p.src[p.off] == '\t') {
		p.off++
	}
}

func (p *fastParser) newline() {
	p.off++
	p.line++
	p.lineStart = p.off
}

// endOfLine consumes what may follow an item on its line: spaces, then a
// newline or a line comment (which includes its newline). It reports
// whether it found one; at the end of input it returns atEOF.
func (p *fastParser) endOfLine() (ok, atEOF bool) {
	p.skipSpaces()
	if p.off >= len(p.src) {
		return true, true
	}
	switch c := p.src[p.off]; {
	case c == '\n':
		p.newline()
		return true, false
	case c == '#', c == '/' && p.off+1 < len(p.src) && p.src[p.off+1] == '/':
		return p.lineComment(), false
	}
	return false, false
}

// lineComment consumes a comment up to and including its newline. A
// comment that ends the file without a newline is left to hclsyntax.
func (p *fastParser) lineComment() bool {
	for p.off < len(p.src) {
		c := p.src[p.off]
		if c == '\n' {
			p.newline()
			return true
		}
		if c == '\r' || c >= 0x80 {
			p.bail()
		}
		p.off++
	}
	p.bail()
	return false
}

// skipBlankLines consumes whitespace, newlines and line comments between
// body items.
func (p *fastParser) skipBlankLines() {
	for {
		p.skipSpaces()
		if p.off >= len(p.src) {
			return
		}
		switch c := p.src[p.off]; {
		case c == '\n':
			p.newline()
		case c == '#', c == '/' && p.off+1 < len(p.src) && p.src[p.off+1] == '/':
			p.lineComment()
		default:
			return
		}
	}
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentByte(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '-'
}

func (p *fastParser) ident() (string, hcl.Range) {
	start := p.off
	if start >= len(p.src) || !isIdentStart(p.src[start]) {
		p.bail()
	}
	end := start + 1
	for end < len(p.src) && isIdentByte(p.src[end]) {
		end++
	}
	if end < len(p.src) && p.src[end] >= 0x80 {
		p.bail() // an identifier may go on in Unicode
	}
	return p.intern(p.src[start:end]), p.token(end - start)
}

// quoted reads a string without template sequences whose escapes, if any,
// are the simple ones (\" \\ \n \r \t); it returns the text, the range of
// the source text (between the quotes) and the range of the whole literal.
// PostgreSQL schemas need the escapes: the server quotes names ("C").
func (p *fastParser) quoted() (string, hcl.Range, hcl.Range) {
	open := p.token(1)
	start := p.off
	end := start
	escaped := false
	for ; end < len(p.src); end++ {
		c := p.src[end]
		if c == '"' {
			break
		}
		if c == '\\' {
			if end+1 >= len(p.src) || !simpleEscape(p.src[end+1]) {
				p.bail()
			}
			escaped = true
			end++
			continue
		}
		if c < 0x20 || c >= 0x80 || c == '$' || c == '%' || c == 0x7f {
			p.bail()
		}
	}
	if end >= len(p.src) {
		p.bail()
	}
	text := p.token(end - start)
	close := p.token(1)
	if escaped {
		return unescape(p.src[start:end]), text, hcl.RangeBetween(open, close)
	}
	return p.intern(p.src[start:end]), text, hcl.RangeBetween(open, close)
}

// simpleEscape reports whether c after a backslash is an escape quoted
// reads: one that stands for one character.
func simpleEscape(c byte) bool {
	return c == '"' || c == '\\' || c == 'n' || c == 'r' || c == 't'
}

// unescape returns the text of b, whose escapes are all simple ones.
func unescape(b []byte) string {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			out = append(out, b[i])
			continue
		}
		i++
		switch b[i] {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		default:
			out = append(out, b[i])
		}
	}
	return string(out)
}

// next returns the next top-level block, or nil at the end of the input.
// It panics with errUnsupported when the input leaves the subset; the
// caller recovers and goes on from where next was called.
func (p *fastParser) next() *fastBlock {
	p.mark = p.pos()
	p.skipBlankLines()
	if p.off >= len(p.src) {
		return nil
	}
	b := p.block()
	if ok, _ := p.endOfLine(); !ok {
		p.bail()
	}
	return b
}

// block reads `type "label" ... {` NEWLINE body `}`.
func (p *fastParser) block() *fastBlock {
	typ, typeRange := p.ident()
	b := &fastBlock{Block: hcl.Block{Type: typ, TypeRange: typeRange}}
	for {
		p.skipSpaces()
		switch p.peekByte() {
		case '"':
			label, _, rng := p.quoted()
			b.Labels = append(b.Labels, label)
			b.LabelRanges = append(b.LabelRanges, rng)
			continue
		case '{':
			b.open = p.token(1)
		default:
			p.bail()
		}
		break
	}
	b.DefRange = typeRange
	if len(b.LabelRanges) > 0 {
		b.DefRange = hcl.RangeBetween(typeRange, b.LabelRanges[len(b.LabelRanges)-1])
	}
	// A body must start on a new line (single-line blocks are left to
	// hclsyntax).
	if ok, atEOF := p.endOfLine(); !ok || atEOF {
		p.bail()
	}
	var body *fastBody
	body, b.close = p.body(b.open)
	b.Body = body
	return b
}

// body reads body items up to and including the closing brace, whose
// range it returns.
func (p *fastParser) body(open hcl.Range) (*fastBody, hcl.Range) {
	body := &fastBody{}
	first := len(p.attrs)
	for {
		p.skipBlankLines()
		if p.off >= len(p.src) {
			p.bail()
		}
		if p.src[p.off] == '}' {
			end := p.token(1)
			body.srcRange = hcl.RangeBetween(open, end)
			body.endRange = hcl.Range{Filename: p.filename, Start: end.End, End: end.End}
			n := len(p.attrs) - first
			body.attrs = make([]hcl.Attribute, n)
			copy(body.attrs, p.attrs[first:])
			body.eqs = make([]hcl.Range, n)
			copy(body.eqs, p.eqs[first:])
			p.attrs, p.eqs = p.attrs[:first], p.eqs[:first]
			return body, end
		}
		name, nameRange := p.ident()
		p.skipSpaces()
		switch p.peekByte() {
		case '=':
			for i := first; i < len(p.attrs); i++ {
				if p.attrs[i].Name == name {
					p.bail() // hclsyntax reports it
				}
			}
			eq := p.token(1)
			p.skipSpaces()
			expr := p.expr(false)
			if ok, atEOF := p.endOfLine(); !ok || atEOF {
				p.bail()
			}
			p.attrs = append(p.attrs, hcl.Attribute{
				Name:      name,
				Expr:      expr,
				Range:     hcl.RangeBetween(nameRange, expr.Range()),
				NameRange: nameRange,
			})
			p.eqs = append(p.eqs, eq)
		case '"', '{':
			p.off = nameRange.Start.Byte // re-read the type as the block's
			blk := p.block()
			if ok, atEOF := p.endOfLine(); !ok || atEOF {
				p.bail()
			}
			body.blocks = append(body.blocks, blk)
		default:
			p.bail()
		}
	}
}

// skipInside skips spaces and newlines inside brackets and parentheses,
// where hclsyntax ignores newlines; comments there are left to hclsyntax.
func (p *fastParser) skipInside() {
	for p.off < len(p.src) {
		switch p.src[p.off] {
		case ' ', '\t':
			p.off++
		case '\n':
			p.newline()
		default:
			return
		}
	}
}

// expr reads one expression term and checks that nothing that would make
// it part of a larger expression (operators, traversals) follows.
func (p *fastParser) expr(inside bool) hclsyntax.Expression {
	e := p.term()
	if inside {
		p.skipInside()
	} else {
		p.skipSpaces()
	}
	if p.off < len(p.src) {
		switch c := p.src[p.off]; {
		case c == '\n', c == '#', c == ',', c == ')', c == ']':
		case c == '/' && p.off+1 < len(p.src) && p.src[p.off+1] == '/':
		default:
			p.bail()
		}
	}
	return e
}

func (p *fastParser) term() hclsyntax.Expression {
	if p.off >= len(p.src) {
		p.bail()
	}
	switch c := p.src[p.off]; {
	case c == '"':
		s, text, rng := p.quoted()
		if s == "" {
			// hclsyntax gives an empty string an empty part just after
			// the closing quote.
			text = hcl.Range{Filename: p.filename, Start: rng.End, End: rng.End}
		}
		// The key includes the quotes: numbers share the map.
		n := &stringExpr{lit: hclsyntax.LiteralValueExpr{Val: p.literal(p.src[rng.Start.Byte:rng.End.Byte], func(string) cty.Value { return cty.StringVal(s) }), SrcRange: text}}
		n.parts[0] = &n.lit
		n.t = hclsyntax.TemplateExpr{Parts: n.parts[:], SrcRange: rng}
		return &n.t
	case c >= '0' && c <= '9':
		return p.number()
	case c == '-':
		minus := p.token(1)
		if p.off >= len(p.src) || p.src[p.off] < '0' || p.src[p.off] > '9' {
			p.bail()
		}
		n := p.number()
		return &hclsyntax.UnaryOpExpr{Op: hclsyntax.OpNegate, Val: n, SrcRange: hcl.RangeBetween(minus, n.SrcRange), SymbolRange: minus}
	case c == '[':
		open := p.token(1)
		t := &hclsyntax.TupleConsExpr{OpenRange: open}
		for {
			p.skipInside()
			if p.peekByte() == ']' {
				break
			}
			if len(t.Exprs) == 0 && p.off+3 < len(p.src) && string(p.src[p.off:p.off+3]) == "for" && !isIdentByte(p.src[p.off+3]) {
				p.bail() // a for expression
			}
			t.Exprs = append(t.Exprs, p.expr(true))
			if p.peekByte() == ',' {
				p.off++
				continue
			}
			if p.peekByte() != ']' {
				p.bail()
			}
		}
		t.SrcRange = hcl.RangeBetween(open, p.token(1))
		return t
	case isIdentStart(c):
		name, rng := p.ident()
		save := p.off
		p.skipSpaces()
		if p.peekByte() == '(' {
			return p.call(name, rng)
		}
		if p.peekByte() == ':' {
			p.bail() // a namespaced call
		}
		p.off = save
		switch name {
		case "true":
			return &hclsyntax.LiteralValueExpr{Val: cty.True, SrcRange: rng}
		case "false":
			return &hclsyntax.LiteralValueExpr{Val: cty.False, SrcRange: rng}
		case "null":
			return &hclsyntax.LiteralValueExpr{Val: cty.NullVal(cty.DynamicPseudoType), SrcRange: rng}
		}
		return &hclsyntax.ScopeTraversalExpr{
			Traversal: hcl.Traversal{hcl.TraverseRoot{Name: name, SrcRange: rng}},
			SrcRange:  rng,
		}
	}
	p.bail()
	return nil
}

// stringExpr is the nodes of a quoted string, allocated at once.
type stringExpr struct {
	t     hclsyntax.TemplateExpr
	lit   hclsyntax.LiteralValueExpr
	parts [1]hclsyntax.Expression
}

func (p *fastParser) call(name string, nameRange hcl.Range) hclsyntax.Expression {
	f := &hclsyntax.FunctionCallExpr{Name: name, NameRange: nameRange, OpenParenRange: p.token(1)}
	for {
		p.skipInside()
		if p.peekByte() == ')' {
			break
		}
		f.Args = append(f.Args, p.expr(true))
		if p.peekByte() == ',' {
			p.off++
			continue
		}
		if p.peekByte() != ')' {
			p.bail()
		}
	}
	f.CloseParenRange = p.token(1)
	return f
}

// number reads digits, an optional fraction and an optional exponent, as
// hclsyntax's lexer does.
func (p *fastParser) number() *hclsyntax.LiteralValueExpr {
	digits := func(i int) int {
		for i < len(p.src) && p.src[i] >= '0' && p.src[i] <= '9' {
			i++
		}
		return i
	}
	start := p.off
	end := digits(start)
	if end+1 < len(p.src) && p.src[end] == '.' && p.src[end+1] >= '0' && p.src[end+1] <= '9' {
		end = digits(end + 1)
	}
	if end < len(p.src) && (p.src[end] == 'e' || p.src[end] == 'E') {
		p.bail()
	}
	if end < len(p.src) && (isIdentByte(p.src[end]) || p.src[end] == '.') {
		p.bail()
	}
	v := p.literal(p.src[start:end], func(text string) cty.Value {
		v, err := cty.ParseNumberVal(text)
		if err != nil {
			p.bail() // digits always parse; before anything is kept
		}
		return v
	})
	return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: p.token(end - start)}
}
