package config

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/stratadb/strata/schema"
)

// Loading a schema reads each file one top-level block at a time (with the
// fast parser, or hclsyntax for a piece it does not read) and hands every
// block to a pool of loaders that turn it into model objects. A block's AST
// is garbage once loaded, so memory stays proportional to the model, not
// to the syntax tree of the whole file (which is ~30 times the file's
// size). The result, diagnostics included, is that of parsing each file
// whole with hclsyntax and loading its blocks in order.

// fileLoad is what reading one file gave.
type fileLoad struct {
	parseDiags hcl.Diagnostics // syntax errors: nothing is loaded then
	topDiags   hcl.Diagnostics // the top-level body's own (unknown blocks...)
	exclude    *hcl.Attribute  // the file's exclude = [...], nil without one
	results    []*blockResult  // per top-level block, in source order
}

// blockResult is one top-level block read into the model.
type blockResult struct {
	table   *schema.Table
	ts      *tableSrc
	view    *schema.View
	viewAt  hcl.Range
	deps    []hcl.Range
	trigger *schema.Trigger
	trs     *triggerSrc
	routine *schema.Routine
	event   *schema.Event
	object  *schema.Object
	os      *objectSrc
	diags   hcl.Diagnostics
}

type blockJob struct {
	b *hcl.Block
	r *blockResult
}

// blockLoader runs the loaders.
type blockLoader struct {
	f    *Files
	srcs map[string][]byte
	jobs chan blockJob
	wg   sync.WaitGroup
}

func newBlockLoader(f *Files, srcs map[string][]byte) *blockLoader {
	ld := &blockLoader{f: f, srcs: srcs, jobs: make(chan blockJob, 64)}
	for range runtime.GOMAXPROCS(0) {
		ld.wg.Add(1)
		go func() {
			defer ld.wg.Done()
			for j := range ld.jobs {
				*j.r = ld.load(j.b)
			}
		}()
	}
	return ld
}

// wait returns once every queued block is loaded.
func (ld *blockLoader) wait() {
	close(ld.jobs)
	ld.wg.Wait()
}

func (ld *blockLoader) queue(fl *fileLoad, b *hcl.Block) {
	r := &blockResult{}
	fl.results = append(fl.results, r)
	ld.jobs <- blockJob{b, r}
}

func (ld *blockLoader) load(b *hcl.Block) blockResult {
	l := &loader{f: ld.f, srcs: ld.srcs}
	var r blockResult
	switch b.Type {
	case "table":
		r.table, r.ts = l.table(b)
	case "view":
		r.view, r.deps = l.view(b)
		r.viewAt = b.LabelRanges[0]
	case "trigger":
		r.trigger, r.trs = l.trigger(b)
	case "procedure", "function":
		r.routine, r.os = l.routine(b)
	case "event":
		r.event, r.os = l.event(b)
	case "object":
		r.object, r.os = l.object(b)
	}
	r.diags = l.diags
	return r
}

// readSchemaFile reads a file for loading, or takes the bytes of one
// loaded before through f.
func (f *Files) readSchemaFile(path string) ([]byte, hcl.Diagnostics) {
	if file := f.parser.Files()[path]; file != nil {
		return file.Bytes, nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Failed to read file",
			Detail: fmt.Sprintf("The file %q could not be read: %v.", path, err)}}
	}
	return src, nil
}

// file reads the top-level blocks of one file and queues them. A file
// parsed before through f is read again from its bytes, unless it was
// registered whole (Add), whose body is used as it is.
func (ld *blockLoader) file(path string) *fileLoad {
	fl := &fileLoad{}
	if cached := ld.f.parser.Files()[path]; cached != nil {
		if _, lazy := cached.Body.(*lazyBody); !lazy {
			ld.content(fl, cached.Body)
			return fl
		}
		ld.stream(fl, path, cached.Bytes, false)
		return fl
	}
	ld.stream(fl, path, ld.srcs[path], true)
	return fl
}

// content queues the blocks of a parsed body.
func (ld *blockLoader) content(fl *fileLoad, body hcl.Body) {
	content, diags := body.Content(topSchema)
	fl.topDiags = diags
	fl.exclude = content.Attributes["exclude"]
	for _, b := range content.Blocks {
		ld.queue(fl, b)
	}
}

// stream reads src block by block. Pieces the fast parser does not read
// are parsed by hclsyntax, from a block's start up to a later line that
// opens a top-level block, where both parsers are between blocks. Anything
// wrong (a syntax error, an unknown top-level item) falls back to parsing
// the whole file as before, so that diagnostics are exactly hclsyntax's.
func (ld *blockLoader) stream(fl *fileLoad, path string, src []byte, register bool) {
	var nav []navBlock
	ok := walkBlocks(src, path, func(b *hcl.Block, n navBlock) {
		nav = append(nav, n)
		ld.queue(fl, b)
	})
	if !ok {
		fl.results = nil
		ld.whole(fl, path, src, register)
		return
	}
	if register {
		ld.f.parser.AddFile(path, &hcl.File{Body: &lazyBody{src: src, filename: path}, Bytes: src, Nav: navigation{nav}})
	}
}

// walkBlocks reads the top-level blocks of src one at a time, fast where
// it can, and hands each to fn. It returns false, having handed fn only
// some, when the file needs a whole parse (a syntax error or a top-level
// item that is not a table, view or trigger block).
func walkBlocks(src []byte, path string, fn func(*hcl.Block, navBlock)) bool {
	p := newFastParser(src, path)
	for {
		b, ok := p.tryNext()
		if ok && b == nil {
			return true
		}
		if ok && isTop(b.Type, b.Labels) {
			fn(&b.Block, navBlock{rng: b.rangeAll(), def: b.DefRange, typ: b.Type, labels: b.Labels})
			continue
		}
		blocks, end, ok := slowPiece(src, path, p.mark)
		if !ok {
			return false
		}
		for _, b := range blocks {
			fn(b.AsHCLBlock(), navBlockOf(b))
		}
		if end.Byte >= len(src) {
			return true
		}
		p.resetTo(end)
	}
}

// whole parses and queues a file as a whole.
func (ld *blockLoader) whole(fl *fileLoad, path string, src []byte, register bool) {
	file, diags := parseHCL(src, path)
	if register {
		ld.f.parser.AddFile(path, file)
	}
	fl.parseDiags = diags
	if diags.HasErrors() {
		return
	}
	ld.content(fl, file.Body)
}

// isTop reports whether a top-level block is one topSchema takes as it is.
func isTop(typ string, labels []string) bool {
	if typ == "object" {
		return len(labels) == 2
	}
	return len(labels) == 1 && (typ == "table" || typ == "view" || typ == "trigger" ||
		typ == "procedure" || typ == "function" || typ == "event")
}

// slowPiece parses src from start (between top-level blocks) with hclsyntax
// up to the first line opening a top-level block at which the piece parses
// cleanly, and returns its blocks and end. ok is false when the rest of
// the file has a syntax error or the piece holds anything but table, view
// and trigger blocks.
func slowPiece(src []byte, path string, start hcl.Pos) (hclsyntax.Blocks, hcl.Pos, bool) {
	from := start.Byte
	for {
		end := nextBlockLine(src, from)
		file, diags := hclsyntax.ParseConfig(src[start.Byte:end], path, start)
		if len(diags) == 0 {
			body := file.Body.(*hclsyntax.Body)
			if len(body.Attributes) > 0 {
				return nil, hcl.Pos{}, false
			}
			for _, b := range body.Blocks {
				if !isTop(b.Type, b.Labels) {
					return nil, hcl.Pos{}, false
				}
			}
			line := start.Line + bytes.Count(src[start.Byte:end], []byte{'\n'})
			return body.Blocks, hcl.Pos{Line: line, Column: 1, Byte: end}, true
		}
		if end >= len(src) {
			return nil, hcl.Pos{}, false
		}
		// Grow the piece at least twofold: a long heredoc or comment must
		// not make this quadratic.
		from = max(end, start.Byte+2*(end-start.Byte))
	}
}

// nextBlockLine returns the offset of the first line after offset from
// that opens a top-level block, or len(src).
func nextBlockLine(src []byte, from int) int {
	for off := from; off < len(src); {
		nl := bytes.IndexByte(src[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
		if opensBlock(src[off:]) {
			return off
		}
	}
	return len(src)
}

// lazyBody is the body of a file read block by block: hclsyntax parses it
// again when something asks for it (Declarations, for lint), so that a
// loaded schema does not keep its syntax tree.
type lazyBody struct {
	src      []byte
	filename string
	once     sync.Once
	body     hcl.Body
}

func (b *lazyBody) get() hcl.Body {
	b.once.Do(func() {
		file, _ := parseHCL(b.src, b.filename)
		b.body = file.Body
	})
	return b.body
}

func (b *lazyBody) Content(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	return b.get().Content(s)
}

func (b *lazyBody) PartialContent(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	return b.get().PartialContent(s)
}

func (b *lazyBody) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	return b.get().JustAttributes()
}

func (b *lazyBody) MissingItemRange() hcl.Range { return b.get().MissingItemRange() }
