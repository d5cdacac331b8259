package config

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// splitParseMin is the size from which a file is parsed in pieces.
const splitParseMin = 128 << 10

// parseHCL parses one file. HCL's lexer dominates the cost of loading a
// large schema, so a large file is cut before its top-level blocks and the
// pieces are parsed in parallel, each with its true start position. A cut
// inside a block, string, heredoc or comment leaves its piece unbalanced, a
// syntax error; any error falls back to parsing the file whole, so the
// result and its diagnostics are always those of a plain parse.
func parseHCL(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	if len(src) < splitParseMin {
		return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	cuts := blockCuts(src, len(src)/(4*runtime.GOMAXPROCS(0))+1)
	if len(cuts) < 2 {
		return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	files := make([]*hcl.File, len(cuts))
	failed := make([]bool, len(cuts))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, c := range cuts {
		end := len(src)
		if i+1 < len(cuts) {
			end = cuts[i+1].Byte
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			f, diags := hclsyntax.ParseConfig(src[c.Byte:end], filename, c)
			files[i], failed[i] = f, diags.HasErrors()
		}()
	}
	wg.Wait()
	merged := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
	for i, f := range files {
		b, ok := f.Body.(*hclsyntax.Body)
		if failed[i] || !ok {
			return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
		}
		for name, a := range b.Attributes {
			if _, dup := merged.Attributes[name]; dup {
				return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
			}
			merged.Attributes[name] = a
		}
		merged.Blocks = append(merged.Blocks, b.Blocks...)
		if i == 0 {
			merged.SrcRange = b.SrcRange
		}
		merged.SrcRange = hcl.RangeBetween(merged.SrcRange, b.SrcRange)
		merged.EndRange = b.EndRange
	}
	return &hcl.File{Body: merged, Bytes: src, Nav: newNavigation(merged.Blocks)}, nil
}

// blockCuts returns the start positions of pieces of at least minSize
// bytes, each beginning at a line that opens a top-level block.
func blockCuts(src []byte, minSize int) []hcl.Pos {
	cuts := []hcl.Pos{hcl.InitialPos}
	line := 1
	for off := 0; off < len(src); {
		nl := bytes.IndexByte(src[off:], '\n')
		if off-cuts[len(cuts)-1].Byte >= minSize && opensBlock(src[off:]) {
			cuts = append(cuts, hcl.Pos{Line: line, Column: 1, Byte: off})
		}
		if nl < 0 {
			break
		}
		off += nl + 1
		line++
	}
	return cuts
}

func opensBlock(b []byte) bool {
	for _, kw := range []string{"table ", "view ", "trigger "} {
		if bytes.HasPrefix(b, []byte(kw)) {
			return true
		}
	}
	return false
}

// navigation gives diagnostics their context ("in table "users"") for a
// file parsed in pieces or read block by block, as hclsyntax does for a
// whole file. It keeps only the top-level blocks' headers and ranges, not
// their bodies.
type navigation struct{ blocks []navBlock }

type navBlock struct {
	rng, def hcl.Range
	typ      string
	labels   []string
}

func navBlockOf(b *hclsyntax.Block) navBlock {
	return navBlock{rng: b.Range(), def: b.DefRange(), typ: b.Type, labels: b.Labels}
}

func newNavigation(blocks hclsyntax.Blocks) navigation {
	n := navigation{blocks: make([]navBlock, len(blocks))}
	for i, b := range blocks {
		n.blocks[i] = navBlockOf(b)
	}
	return n
}

func (n navigation) block(offset int) *navBlock {
	bl := n.blocks
	lo, hi := 0, len(bl)
	for lo < hi { // blocks are in source order
		mid := (lo + hi) / 2
		if bl[mid].rng.End.Byte <= offset {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(bl) && bl[lo].rng.ContainsOffset(offset) {
		return &bl[lo]
	}
	return nil
}

// ContextString implements the interface hcl's diagnostic writer uses.
func (n navigation) ContextString(offset int) string {
	b := n.block(offset)
	if b == nil {
		return ""
	}
	s := b.typ
	for _, l := range b.labels {
		s += fmt.Sprintf(" %q", l)
	}
	return s
}

// ContextDefRange implements the interface hcl uses to find the block
// header around an offset.
func (n navigation) ContextDefRange(offset int) hcl.Range {
	if b := n.block(offset); b != nil {
		return b.def
	}
	return hcl.Range{}
}
