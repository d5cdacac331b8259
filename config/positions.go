package config

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// Position is where a schema object is declared.
type Position struct {
	File   string
	Line   int
	Column int
}

// Decl names a declared schema object: Type is table, column, index,
// primary_key, foreign_key, check, view or trigger; Table is the table of a
// column, index, key or check ("" otherwise).
type Decl struct {
	Type  string
	Table string
	Name  string
}

// Declarations returns where the objects of the schema files loaded
// through f are declared: a block's label, or the primary_key attribute's
// name. Files that failed to parse are left out. It reads the files again
// (fast: a loaded file keeps its bytes, not its syntax tree) and is meant
// for tools that point at declarations (lint), not for loading.
func (f *Files) Declarations() map[Decl]Position {
	out := map[Decl]Position{}
	at := func(d Decl, r hcl.Range) {
		if _, seen := out[d]; !seen {
			out[d] = Position{File: r.Filename, Line: r.Start.Line, Column: r.Start.Column}
		}
	}
	names := make([]string, 0, len(f.Files()))
	for name := range f.Files() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		file := f.Files()[name]
		if file == nil || file.Body == nil {
			continue
		}
		if lb, ok := file.Body.(*lazyBody); ok {
			// Read block by block, as LoadSchema did (it succeeded, so
			// every top-level block is a table, view or trigger).
			var blocks []*hcl.Block
			if walkBlocks(lb.src, lb.filename, func(b *hcl.Block, _ navBlock) { blocks = append(blocks, b) }) {
				for _, b := range blocks {
					blockDeclarations(b, at)
				}
				continue
			}
		}
		top, _, _ := file.Body.PartialContent(topSchema)
		if top == nil {
			continue
		}
		for _, b := range top.Blocks {
			blockDeclarations(b, at)
		}
	}
	return out
}

// blockDeclarations records the declarations of one top-level block.
func blockDeclarations(b *hcl.Block, at func(Decl, hcl.Range)) {
	if len(b.Labels) == 0 {
		return
	}
	table := b.Labels[0]
	at(Decl{Type: b.Type, Name: table}, b.LabelRanges[0])
	if b.Type != "table" {
		return
	}
	c, _, _ := b.Body.PartialContent(tableSchema)
	if c == nil {
		return
	}
	if pa := c.Attributes["primary_key"]; pa != nil {
		at(Decl{Type: "primary_key", Table: table, Name: "PRIMARY"}, pa.NameRange)
	}
	for _, nb := range c.Blocks {
		switch {
		case nb.Type == "primary_key":
			at(Decl{Type: "primary_key", Table: table, Name: "PRIMARY"}, nb.DefRange)
		case len(nb.Labels) > 0 && nb.Type != "partition":
			at(Decl{Type: nb.Type, Table: table, Name: nb.Labels[0]}, nb.LabelRanges[0])
		}
	}
}
