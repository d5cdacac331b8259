package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// bodyContent is body.Content(s). For a syntax body that holds only what s
// allows, with every required attribute (the common case, where Content
// has nothing to say), it builds the same content without Content's
// bookkeeping maps, which made up a third of loading a large schema; any
// other body goes through Content for its diagnostics.
func bodyContent(body hcl.Body, s *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	if fb, ok := body.(*fastBody); ok {
		if fb.plain(s) {
			return fb.content(), nil
		}
		return fb.syntaxBody().Content(s)
	}
	b, ok := body.(*hclsyntax.Body)
	if !ok || !plainBody(b, s) {
		return body.Content(s)
	}
	c := &hcl.BodyContent{Attributes: make(hcl.Attributes, len(b.Attributes)), MissingItemRange: b.MissingItemRange()}
	attrs := make([]hcl.Attribute, 0, len(b.Attributes)) // AsHCLAttribute, in one allocation
	for name, a := range b.Attributes {
		attrs = append(attrs, hcl.Attribute{Name: a.Name, Expr: a.Expr, Range: a.SrcRange, NameRange: a.NameRange})
		c.Attributes[name] = &attrs[len(attrs)-1]
	}
	if len(b.Blocks) > 0 {
		c.Blocks = make(hcl.Blocks, len(b.Blocks))
		for i, blk := range b.Blocks {
			c.Blocks[i] = blk.AsHCLBlock()
		}
	}
	return c, nil
}

// plainBody reports whether Content(s) of b gives no diagnostics.
func plainBody(b *hclsyntax.Body, s *hcl.BodySchema) bool {
	for name := range b.Attributes {
		if !schemaHasAttribute(s, name) {
			return false
		}
	}
	for _, as := range s.Attributes {
		if as.Required && b.Attributes[as.Name] == nil {
			return false
		}
	}
	for _, blk := range b.Blocks {
		if !schemaHasBlock(s, blk.Type, len(blk.Labels)) {
			return false
		}
	}
	return true
}

// schemaHasAttribute reports whether s allows an attribute called name.
func schemaHasAttribute(s *hcl.BodySchema, name string) bool {
	for _, as := range s.Attributes {
		if as.Name == name {
			return true
		}
	}
	return false
}

// schemaHasBlock reports whether s allows a block of type typ with that
// many labels.
func schemaHasBlock(s *hcl.BodySchema, typ string, labels int) bool {
	for _, bs := range s.Blocks {
		if bs.Type == typ {
			return labels == len(bs.LabelNames)
		}
	}
	return false
}
