package config

import (
	"bytes"
	"encoding/hex"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/stratadb/strata/schema"
)

// WriteSchema renders a model as canonical HCL that LoadSchema reads back
// into the same model. What the dialect implies is left out to keep it
// short: null = false, Default "NULL" on a nullable column, RESTRICT
// foreign key actions, a view's UNDEFINED/DEFINER/NONE, empty strings.
// The schema's own name, charset and collation are not part of the file.
func WriteSchema(s *schema.Schema) []byte { return WriteSchemaWith(s, WriteOptions{}) }

// WriteOptions say what a dialect implies, which the written file leaves
// out.
type WriteOptions struct {
	// ForeignKeyAction is the action of a foreign key that names none:
	// RESTRICT when "" (MySQL), NO ACTION on PostgreSQL.
	ForeignKeyAction string
}

// WriteSchemaWith is WriteSchema leaving out what o says the dialect
// implies.
func WriteSchemaWith(s *schema.Schema, o WriteOptions) []byte {
	if o.ForeignKeyAction == "" {
		o.ForeignKeyAction = schema.ActionRestrict
	}
	// Each top-level block is formatted on its own (alignment never spans
	// blocks), so large schemas are written in parallel.
	var jobs []func(*hclwrite.Body)
	for _, t := range s.Tables {
		jobs = append(jobs, func(b *hclwrite.Body) { writeTable(b.AppendNewBlock("table", []string{t.Name}).Body(), t, o) })
	}
	for _, v := range s.Views {
		jobs = append(jobs, func(b *hclwrite.Body) { writeView(b.AppendNewBlock("view", []string{v.Name}).Body(), v) })
	}
	for _, tr := range s.Triggers {
		jobs = append(jobs, func(b *hclwrite.Body) { writeTrigger(b.AppendNewBlock("trigger", []string{tr.Name}).Body(), tr) })
	}
	for _, r := range s.Routines {
		jobs = append(jobs, func(b *hclwrite.Body) {
			writeRoutine(b.AppendNewBlock(strings.ToLower(r.Kind), []string{r.Name}).Body(), r)
		})
	}
	for _, e := range s.Events {
		jobs = append(jobs, func(b *hclwrite.Body) { writeEvent(b.AppendNewBlock("event", []string{e.Name}).Body(), e) })
	}
	for _, o := range s.Objects {
		jobs = append(jobs, func(b *hclwrite.Body) { writeObject(b.AppendNewBlock("object", []string{o.Kind, o.Name}).Body(), o) })
	}
	out := make([][]byte, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			f := hclwrite.NewEmptyFile()
			job(f.Body())
			out[i] = f.Bytes() // Bytes formats: indentation and alignment
		}()
	}
	wg.Wait()
	return bytes.Join(out, []byte("\n"))
}

func setString(b *hclwrite.Body, name, v string) {
	if v != "" {
		b.SetAttributeValue(name, cty.StringVal(v))
	}
}

func setBool(b *hclwrite.Body, name string, v bool) {
	if v {
		b.SetAttributeValue(name, cty.True)
	}
}

func setInt(b *hclwrite.Body, name string, v int64) {
	if v != 0 {
		b.SetAttributeValue(name, cty.NumberIntVal(v))
	}
}

func setList(b *hclwrite.Body, name string, vs []string) {
	if len(vs) == 0 {
		return
	}
	l := make([]cty.Value, len(vs))
	for i, v := range vs {
		l[i] = cty.StringVal(v)
	}
	b.SetAttributeValue(name, cty.TupleVal(l))
}

// setSQL writes SQL text, as an indented heredoc when it spans lines and a
// heredoc can carry it exactly, else as a quoted string. indent is the
// nesting depth of b (1 inside a top-level block).
func setSQL(b *hclwrite.Body, name, text string, indent int) {
	if text == "" {
		return
	}
	if toks := heredoc(text, indent); toks != nil {
		b.SetAttributeRaw(name, toks)
		return
	}
	b.SetAttributeValue(name, cty.StringVal(text))
}

var heredocDelims = []string{"SQL", "EOT", "END_SQL", "STRATA_SQL"}

func heredoc(text string, indent int) hclwrite.Tokens {
	if !strings.Contains(text, "\n") || !hclSafe(text) {
		return nil
	}
	lines := strings.Split(text, "\n")
	flush := false // some non-blank line starts at column 0
	for _, ln := range lines {
		if ln != "" && strings.TrimSpace(ln) == "" {
			return nil // whitespace-only lines do not survive <<- trimming
		}
		if ln != "" && ln[0] != ' ' && ln[0] != '\t' {
			flush = true
		}
	}
	if !flush {
		return nil
	}
	delim := ""
	for _, d := range heredocDelims {
		clash := false
		for _, ln := range lines {
			if strings.TrimSpace(ln) == d {
				clash = true
			}
		}
		if !clash {
			delim = d
			break
		}
	}
	if delim == "" {
		return nil
	}
	pad := strings.Repeat("  ", indent+1)
	var sb strings.Builder
	for _, ln := range lines {
		if ln != "" {
			sb.WriteString(pad)
			ln = strings.ReplaceAll(ln, "${", "$${")
			ln = strings.ReplaceAll(ln, "%{", "%%{")
			sb.WriteString(ln)
		}
		sb.WriteString("\n")
	}
	toks := hclwrite.Tokens{
		{Type: hclsyntax.TokenOHeredoc, Bytes: []byte("<<-" + delim + "\n")},
		{Type: hclsyntax.TokenStringLit, Bytes: []byte(sb.String())},
		{Type: hclsyntax.TokenCHeredoc, Bytes: []byte(strings.Repeat("  ", indent) + delim)},
	}
	// Trust only what reads back exactly.
	if readBack(toks) != text+"\n" {
		return nil
	}
	return toks
}

// hclSafe reports whether text has no characters a heredoc cannot hold
// literally.
func hclSafe(text string) bool {
	for _, r := range text {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r == '\r' || r == 0xfffd {
			return false
		}
	}
	return true
}

func readBack(toks hclwrite.Tokens) string {
	src := append([]byte("x = "), toks.Bytes()...)
	src = append(src, '\n')
	f, d := hclsyntax.ParseConfig(src, "check.hcl", hcl.InitialPos)
	if d.HasErrors() {
		return "\x00"
	}
	attrs, d := f.Body.JustAttributes()
	if d.HasErrors() || attrs["x"] == nil {
		return "\x00"
	}
	v, d := attrs["x"].Expr.Value(nil)
	if d.HasErrors() || v.Type() != cty.String {
		return "\x00"
	}
	return v.AsString()
}

func writeTable(b *hclwrite.Body, t *schema.Table, wo WriteOptions) {
	o := t.Options
	setString(b, "comment", o.Comment)
	setString(b, "engine", o.Engine)
	setString(b, "charset", o.Charset)
	setString(b, "collate", o.Collate)
	setString(b, "row_format", o.RowFormat)
	setInt(b, "auto_increment", o.AutoIncrement)
	setString(b, "options", o.Extra)
	setString(b, "renamed_from", t.RenamedFrom)
	for _, c := range t.Columns {
		writeColumn(b.AppendNewBlock("column", []string{c.Name}).Body(), c)
	}
	if pk := t.PrimaryKey; pk != nil {
		if simpleKey(pk) {
			setList(b, "primary_key", pk.Columns())
		} else {
			pb := b.AppendNewBlock("primary_key", nil).Body()
			if pk.Name != "PRIMARY" {
				setString(pb, "name", pk.Name) // PostgreSQL's constraint name
			}
			writeKey(pb, pk, 2)
		}
	}
	for _, ix := range t.Indexes {
		writeKey(b.AppendNewBlock("index", []string{ix.Name}).Body(), ix, 2)
	}
	for _, fk := range t.ForeignKeys {
		fb := b.AppendNewBlock("foreign_key", []string{fk.Name}).Body()
		setList(fb, "columns", fk.Columns)
		setString(fb, "ref_table", fk.RefTable)
		setList(fb, "ref_columns", fk.RefColumns)
		if fk.OnUpdate != wo.ForeignKeyAction {
			setString(fb, "on_update", fk.OnUpdate)
		}
		if fk.OnDelete != wo.ForeignKeyAction {
			setString(fb, "on_delete", fk.OnDelete)
		}
		setBool(fb, "deferrable", fk.Deferrable)
		setBool(fb, "initially_deferred", fk.InitiallyDeferred)
		setString(fb, "match", fk.Match)
	}
	for _, c := range t.Checks {
		cb := b.AppendNewBlock("check", []string{c.Name}).Body()
		setSQL(cb, "expr", c.Expr, 2)
		setBool(cb, "no_inherit", c.NoInherit)
	}
	if p := t.Partition; p != nil {
		pb := b.AppendNewBlock("partition", nil).Body()
		setString(pb, "by", p.Method)
		setSQL(pb, "expr", p.Expr, 2)
		setInt(pb, "partitions", int64(p.Count))
		setString(pb, "sub_by", p.SubMethod)
		setSQL(pb, "sub_expr", p.SubExpr, 2)
		setInt(pb, "subpartitions", int64(p.SubCount))
		for _, d := range p.Definitions {
			db := pb.AppendNewBlock("part", []string{d.Name}).Body()
			setString(db, "values", d.Values)
			setString(db, "comment", d.Comment)
			setString(db, "engine", d.Engine)
		}
	}
}

// simpleKey reports whether a primary key is just columns, written as
// primary_key = [...].
func simpleKey(k *schema.Index) bool {
	if k.Comment != "" || k.Using != "" || k.Ignored || k.RenamedFrom != "" || k.Kind != schema.IndexPlain || len(k.Parts) == 0 ||
		len(k.Include) > 0 || k.Deferrable || k.Name != "PRIMARY" && k.Name != "" {
		return false
	}
	for _, p := range k.Parts {
		if p.Prefix != 0 || p.Desc || p.Expr != "" {
			return false
		}
	}
	return true
}

func writeKey(b *hclwrite.Body, k *schema.Index, indent int) {
	exprParts := false
	for _, p := range k.Parts {
		if p.Expr != "" || p.Column == "" {
			exprParts = true
		}
	}
	if !exprParts {
		setList(b, "columns", k.Columns())
	}
	switch k.Kind {
	case schema.IndexUnique:
		setBool(b, "unique", true)
	case schema.IndexFulltext:
		setBool(b, "fulltext", true)
	case schema.IndexSpatial:
		setBool(b, "spatial", true)
	}
	if !exprParts {
		var prefix []hclwrite.ObjectAttrTokens
		var desc []string
		for _, p := range k.Parts {
			if p.Prefix != 0 {
				prefix = append(prefix, hclwrite.ObjectAttrTokens{
					Name:  objectKey(p.Column),
					Value: hclwrite.TokensForValue(cty.NumberIntVal(int64(p.Prefix))),
				})
			}
			if p.Desc {
				desc = append(desc, p.Column)
			}
		}
		if len(prefix) > 0 {
			b.SetAttributeRaw("prefix", inlineObject(prefix))
		}
		setList(b, "desc", desc)
	}
	setString(b, "using", k.Using)
	setString(b, "comment", k.Comment)
	setBool(b, "ignored", k.Ignored)
	setString(b, "renamed_from", k.RenamedFrom)
	setBool(b, "constraint", k.Constraint)
	setBool(b, "nulls_not_distinct", k.NullsNotDistinct)
	setString(b, "with", k.With)
	setBool(b, "deferrable", k.Deferrable)
	setBool(b, "initially_deferred", k.InitiallyDeferred)
	setList(b, "include", k.Include)
	setSQL(b, "where", k.Where, indent)
	if exprParts {
		for _, p := range k.Parts {
			pb := b.AppendNewBlock("part", nil).Body()
			setString(pb, "column", p.Column)
			setSQL(pb, "expr", p.Expr, indent+1)
			setInt(pb, "prefix", int64(p.Prefix))
			setBool(pb, "desc", p.Desc)
		}
	}
}

// inlineObject writes { a = 1, b = 2 } on one line.
func inlineObject(attrs []hclwrite.ObjectAttrTokens) hclwrite.Tokens {
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrace, Bytes: []byte("{")}}
	for i, a := range attrs {
		if i > 0 {
			toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")})
		}
		toks = append(toks, a.Name...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte("=")})
		toks = append(toks, a.Value...)
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte("}")})
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// objectKey writes an object key: bare when it is an identifier that is
// not an HCL keyword, quoted otherwise.
func objectKey(name string) hclwrite.Tokens {
	if identRe.MatchString(name) && name != "true" && name != "false" && name != "null" {
		return hclwrite.TokensForIdentifier(name)
	}
	return hclwrite.TokensForValue(cty.StringVal(name))
}

var numberRe = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

func writeColumn(b *hclwrite.Body, c *schema.Column) {
	b.SetAttributeRaw("type", typeTokens(c.Type))
	setBool(b, "unsigned", c.Type.Unsigned)
	setBool(b, "zerofill", c.Type.Zerofill)
	setBool(b, "null", c.Null)
	if !(c.Null && c.Default == "NULL") {
		setDefault(b, "default", c.Default)
	}
	setDefault(b, "on_update", c.OnUpdate)
	setBool(b, "auto_increment", c.AutoIncrement)
	setString(b, "charset", c.Charset)
	setString(b, "collate", c.Collate)
	if g := c.Generated; g != nil {
		setSQL(b, "as", g.Expr, 2)
		if g.Expr == "" {
			b.SetAttributeValue("as", cty.StringVal(""))
		}
		setBool(b, "stored", g.Stored)
	}
	setBool(b, "invisible", c.Invisible)
	setSQL(b, "check", c.Check, 2)
	setString(b, "comment", c.Comment)
	setString(b, "renamed_from", c.RenamedFrom)
	setString(b, "identity", c.Identity)
	setString(b, "identity_options", c.IdentityOptions)
}

// setDefault writes SQL default text so that LoadSchema gives it back: a
// string literal as an HCL string, a number as its token, the rest as sql().
func setDefault(b *hclwrite.Body, name, text string) {
	if text == "" {
		return
	}
	if s, ok := unquoteSQL(text); ok && hclSafeString(s) && !sqlFuncLike.MatchString(s) {
		b.SetAttributeValue(name, cty.StringVal(s))
		return
	} else if ok && !hclSafeString(s) {
		// Bytes that are not valid (NFC) UTF-8, e.g. a binary default:
		// HCL strings cannot hold them, a hex literal can.
		b.SetAttributeRaw(name, hclwrite.TokensForFunctionCall("sql", hclwrite.TokensForValue(cty.StringVal("0x"+hex.EncodeToString([]byte(s))))))
		return
	}
	if numberRe.MatchString(text) {
		var toks hclwrite.Tokens
		num := text
		if strings.HasPrefix(num, "-") {
			toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenMinus, Bytes: []byte("-")})
			num = num[1:]
		}
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenNumberLit, Bytes: []byte(num)})
		b.SetAttributeRaw(name, toks)
		return
	}
	b.SetAttributeRaw(name, hclwrite.TokensForFunctionCall("sql", hclwrite.TokensForValue(cty.StringVal(text))))
}

// hclSafeString reports whether s survives a trip through an HCL quoted
// string (which normalizes to NFC and must be valid UTF-8).
func hclSafeString(s string) bool {
	return utf8.ValidString(s) && cty.StringVal(s).AsString() == s
}

func typeTokens(t schema.Type) hclwrite.Tokens {
	if !identRe.MatchString(t.Name) || strings.Contains(t.Name, "-") {
		s := t.Name
		if len(t.Args) > 0 {
			s = typeString(schema.Type{Name: t.Name, Args: t.Args})
		}
		return hclwrite.TokensForValue(cty.StringVal(s))
	}
	if len(t.Values) > 0 {
		args := make([]hclwrite.Tokens, len(t.Values))
		for i, v := range t.Values {
			args[i] = hclwrite.TokensForValue(cty.StringVal(v))
		}
		return hclwrite.TokensForFunctionCall(t.Name, args...)
	}
	if len(t.Args) > 0 {
		args := make([]hclwrite.Tokens, len(t.Args))
		for i, a := range t.Args {
			args[i] = hclwrite.TokensForValue(cty.NumberIntVal(int64(a)))
		}
		return hclwrite.TokensForFunctionCall(t.Name, args...)
	}
	return hclwrite.TokensForIdentifier(t.Name)
}

func writeView(b *hclwrite.Body, v *schema.View) {
	setSQL(b, "definition", v.Definition, 1)
	if v.Algorithm != "UNDEFINED" {
		setString(b, "algorithm", v.Algorithm)
	}
	if v.Security != "DEFINER" {
		setString(b, "security", v.Security)
	}
	if v.CheckOption != "NONE" {
		setString(b, "check_option", v.CheckOption)
	}
	setList(b, "depends_on", v.DependsOn)
	writeContext(b, v.Context)
}

// writeContext writes a creation context's fields that are not the
// server's default.
func writeContext(b *hclwrite.Body, c schema.CreationContext) {
	setString(b, "character_set_client", c.CharsetClient)
	setString(b, "collation_connection", c.CollationConnection)
	if c.SQLMode == schema.SQLModeEmpty {
		b.SetAttributeValue("sql_mode", cty.StringVal(""))
	} else {
		setString(b, "sql_mode", c.SQLMode)
	}
}

func writeTrigger(b *hclwrite.Body, t *schema.Trigger) {
	setString(b, "on", t.Table)
	setString(b, "timing", t.Timing)
	setString(b, "event", t.Event)
	setList(b, "columns", t.Columns)
	setSQL(b, "body", t.Body, 1)
	setInt(b, "order", int64(t.Order))
	setString(b, "header", t.Header)
	writeContext(b, t.Context)
}

// Format rewrites HCL source canonically (hclwrite.Format: indentation,
// alignment, spacing), changing nothing that carries meaning. A syntax error
// is returned as diagnostics and src is left alone.
func Format(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	_, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	return hclwrite.Format(src), diags
}

// Format is like the package's Format but keeps src, so that
// WriteDiagnostics can show the source lines of a syntax error.
func (f *Files) Format(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	if _, diags := f.Add(filename, src); diags.HasErrors() {
		return nil, diags
	}
	return Format(src, filename)
}
