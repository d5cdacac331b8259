package mysql

import (
	"regexp"

	"github.com/stratadb/strata/schema"
)

// The names online schema change tools give their copies of table t:
// pt-online-schema-change builds _t_new and swaps the original to _t_old
// (more leading underscores when those names are taken), with triggers
// pt_osc_<db>_<t>_ins/upd/del on the original; gh-ost builds _t_gho, logs
// to _t_ghc and leaves the original as _t_del after the cut-over.
var (
	ptOSCTable   = regexp.MustCompile(`^_+.+_(new|old)$`)
	ptOSCTrigger = regexp.MustCompile(`^pt_osc_.+_(ins|upd|del)$`)
	ghostTable   = regexp.MustCompile(`^_+.+_(gho|ghc|del)$`)
)

const (
	toolPTOSC = "pt-online-schema-change"
	toolGhost = "gh-ost"
)

// Leftover reports whether the object is a copy or trigger of
// pt-online-schema-change or gh-ost.
func (d *Dialect) Leftover(kind, name string) (string, bool) {
	switch kind {
	case schema.KindTable:
		switch {
		case ghostTable.MatchString(name):
			return toolGhost, true
		case ptOSCTable.MatchString(name):
			return toolPTOSC, true
		}
	case schema.KindTrigger:
		if ptOSCTrigger.MatchString(name) {
			return toolPTOSC, true
		}
	}
	return "", false
}
