package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// fastBlock is a block the fast parser read: the hcl.Block the loader
// reads, with what hclsyntax's block also has.
type fastBlock struct {
	hcl.Block
	open, close hcl.Range // the braces
}

// fastBody is a body the fast parser read. It hands the loader its content
// directly when the schema accepts it as it is (the common case, where
// hclsyntax's Content has nothing to say); for anything else it builds the
// hclsyntax body that hclsyntax would have parsed and asks that, so that
// diagnostics are hclsyntax's own.
type fastBody struct {
	attrs              []hcl.Attribute // in source order
	eqs                []hcl.Range     // the equals sign of each attribute
	blocks             []*fastBlock
	srcRange, endRange hcl.Range
	syntax             *hclsyntax.Body
}

// syntaxBlock returns the hclsyntax block b was read as.
func (b *fastBlock) syntaxBlock() *hclsyntax.Block {
	return &hclsyntax.Block{
		Type:            b.Type,
		Labels:          b.Labels,
		Body:            b.Body.(*fastBody).syntaxBody(),
		TypeRange:       b.TypeRange,
		LabelRanges:     b.LabelRanges,
		OpenBraceRange:  b.open,
		CloseBraceRange: b.close,
	}
}

func (b *fastBlock) rangeAll() hcl.Range { return hcl.RangeBetween(b.TypeRange, b.close) }

// syntaxBody returns (once built, always the same) the hclsyntax body b
// was read as.
func (b *fastBody) syntaxBody() *hclsyntax.Body {
	if b.syntax != nil {
		return b.syntax
	}
	sb := &hclsyntax.Body{
		Attributes: make(hclsyntax.Attributes, len(b.attrs)),
		Blocks:     make(hclsyntax.Blocks, 0, len(b.blocks)),
		SrcRange:   b.srcRange,
		EndRange:   b.endRange,
	}
	for i := range b.attrs {
		a := &b.attrs[i]
		sb.Attributes[a.Name] = &hclsyntax.Attribute{Name: a.Name, Expr: a.Expr.(hclsyntax.Expression), SrcRange: a.Range, NameRange: a.NameRange, EqualsRange: b.eqs[i]}
	}
	for _, blk := range b.blocks {
		sb.Blocks = append(sb.Blocks, blk.syntaxBlock())
	}
	b.syntax = sb
	return sb
}

// plain reports whether Content(s) has nothing to say about b: every
// attribute and block is one s allows, with the right number of labels,
// and every required attribute is there.
func (b *fastBody) plain(s *hcl.BodySchema) bool {
	for i := range b.attrs {
		if !schemaHasAttribute(s, b.attrs[i].Name) {
			return false
		}
	}
	for _, as := range s.Attributes {
		if !as.Required {
			continue
		}
		found := false
		for i := range b.attrs {
			if b.attrs[i].Name == as.Name {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	for _, blk := range b.blocks {
		if !schemaHasBlock(s, blk.Type, len(blk.Labels)) {
			return false
		}
	}
	return true
}

// content is Content(s) for a plain body.
func (b *fastBody) content() *hcl.BodyContent {
	c := &hcl.BodyContent{Attributes: make(hcl.Attributes, len(b.attrs)), MissingItemRange: b.MissingItemRange()}
	for i := range b.attrs {
		c.Attributes[b.attrs[i].Name] = &b.attrs[i]
	}
	if len(b.blocks) > 0 {
		c.Blocks = make(hcl.Blocks, len(b.blocks))
		for i, blk := range b.blocks {
			c.Blocks[i] = &blk.Block
		}
	}
	return c
}

func (b *fastBody) Content(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	return b.syntaxBody().Content(s)
}

func (b *fastBody) PartialContent(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	return b.syntaxBody().PartialContent(s)
}

func (b *fastBody) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	return b.syntaxBody().JustAttributes()
}

// MissingItemRange is hclsyntax's: the start of the body.
func (b *fastBody) MissingItemRange() hcl.Range {
	return hcl.Range{Filename: b.srcRange.Filename, Start: b.srcRange.Start, End: b.srcRange.Start}
}
