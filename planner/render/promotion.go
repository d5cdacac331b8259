package render

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
)

// Promotion is the plan of an environment that promotes (promote_from):
// the pending revisions it would replay, their hazards sized on its own
// rows, and its drift from the schema its history expects.
type Promotion struct {
	Environment string // "staging"
	Source      string // promote_from: "dev"
	Dir         string // the migrations directory
	// FromHash is the live schema's hash; ToHash the one the history
	// expects once the revisions ran (the last one's to-hash, else the
	// current revision's).
	FromHash, ToHash string
	Revisions        []PromotedRevision
	// Drift is set when the live schema is not the one the history
	// expects: nothing would be replayed until it is resolved.
	Drift *Drift
	// Changes, when known, describe what the revisions change: the plan
	// from the live schema to the desired one, made when the desired
	// schema is exactly the one the revisions lead to. Only its objects
	// and details are shown; the statements are the revisions'.
	Changes *planner.Plan
	// Rules are the hazard rules of the environment's dialect, which word
	// the sentences of counted hazards; nil for standard SQL.
	Rules dialect.HazardRules
	// Gate is what the source environment's history says, when it was
	// read: the pending revisions it has not applied wait (they are not
	// in Revisions).
	Gate *Gate
}

// Gate is the promote_from gate of a promotion.
type Gate struct {
	From    string
	Waiting []Waiting
}

// Waiting is a pending revision the gate holds back, and why.
type Waiting struct {
	Version, Name, Reason string
}

func (g *Gate) holds() bool { return g != nil && len(g.Waiting) > 0 }

func waitsVerb(n int) string {
	if n == 1 {
		return "waits"
	}
	return "wait"
}

// PromotedRevision is one revision a promotion replays.
type PromotedRevision struct {
	Version   string
	Name      string // file name
	PlannedOn string // environment the revision was planned against
	// HandWritten marks a revision a person wrote (strata revision new):
	// it was planned against no environment.
	HandWritten bool
	// Baseline marks the baseline (strata baseline): it creates the
	// whole schema of the environment PlannedOn as it was adopted.
	Baseline   bool
	Author     string
	Created    time.Time
	FromHash   string
	ToHash     string
	Partial    bool // a run stopped part-way: the rest is resumed
	Statements []PromotedStatement
}

// PromotedStatement is a statement of a revision with its hazards, counted
// on the target's rows where the revision names the count.
type PromotedStatement struct {
	SQL     string
	Comment string
	Hazards []planner.Hazard
	// Route is how the statement runs when it copies a table and the
	// environment has an online schema change engine; nil otherwise.
	Route *dialect.Route
	// ObjectType and Object name what the statement changes, when known
	// ("table", "users"), for the JSON hazards.
	ObjectType planner.ObjectKind
	Object     string
}

// Drift is a live schema that is not the one the history expects.
type Drift struct {
	// Revision is the revision whose schema is expected ("" before any).
	Revision string
	// Expected and Live are schema hashes.
	Expected, Live string
	// Plan is what the desired schema (schema.hcl) would change on the
	// live database; nil when there is none to compare with.
	Plan *planner.Plan
	// Note qualifies Plan (e.g. schema.hcl is not the expected schema,
	// so the plan holds more than the drift) or says why there is none.
	Note string
	// Fix says how to get out of the drift, after the plan.
	Fix string
}

// Empty reports whether the promotion has nothing to do and no drift.
func (p *Promotion) Empty() bool { return len(p.Revisions) == 0 && p.Drift == nil }

// Hazards lists every hazard of the revisions in order.
func (p *Promotion) Hazards() []planner.Hazard {
	var out []planner.Hazard
	for _, r := range p.Revisions {
		for _, s := range r.Statements {
			out = append(out, s.Hazards...)
		}
	}
	return out
}

func (p *Promotion) statements() int {
	n := 0
	for _, r := range p.Revisions {
		n += len(r.Statements)
	}
	return n
}

func (p *Promotion) noChanges() string {
	return "No changes. " + p.Environment + " is at the head of " + p.Dir + "."
}

func (p *Promotion) summary() string {
	return "Plan: " + plural(len(p.Revisions), "revision") + " to apply."
}

func (d *Drift) sentence(env string) string {
	s := "Drift: the live schema of " + env + " is not the one "
	if d.Revision != "" {
		s += d.Revision + " left"
	} else {
		s += "its history starts from"
	}
	return s + " (expected " + short(d.Expected) + ", live " + short(d.Live) + ")."
}

func (r *PromotedRevision) title() string {
	s := r.Name + " (" + r.origin() + " by " + r.Author + ", " + r.Created.UTC().Format("2006-01-02 15:04 UTC") + ")"
	if r.Partial {
		s += ", partly applied: the rest is resumed"
	}
	return s
}

// origin says where a revision comes from: the environment it was planned
// against, or a person's hand.
func (r *PromotedRevision) origin() string {
	if r.HandWritten {
		return "hand-written"
	}
	if r.Baseline {
		return "baseline of " + r.PlannedOn
	}
	return "planned against " + r.PlannedOn
}

// PromotionText writes a promotion for reviewers: the drift as a plan, then
// each revision with its statements under their hazards, and the summary.
func PromotionText(w io.Writer, p *Promotion, o TextOptions) error {
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw, color: o.Color, rules: p.Rules}
	if p.Empty() {
		if g := p.Gate; g.holds() {
			bw.WriteString("No changes can be applied to " + p.Environment + " now: " + plural(len(g.Waiting), "pending revision") + " " +
				waitsVerb(len(g.Waiting)) + " for " + g.From + " (promote_from):\n")
			for _, wr := range g.Waiting {
				bw.WriteString("  " + wr.Name + " (" + wr.Reason + ")\n")
			}
			return bw.Flush()
		}
		bw.WriteString(t.paint(ansiBold, p.noChanges()) + "\n")
		return bw.Flush()
	}
	if d := p.Drift; d != nil {
		bw.WriteString(t.paint(ansiRed, d.sentence(p.Environment)) + "\n")
		if d.Note != "" {
			bw.WriteString(d.Note + "\n")
		}
		if d.Plan != nil {
			bw.WriteString("\nWhat schema.hcl would change on the live database:\n")
			if err := bw.Flush(); err != nil {
				return err
			}
			if err := Text(bw, d.Plan, o); err != nil {
				return err
			}
		}
		if d.Fix != "" {
			bw.WriteString("\n" + d.Fix + "\n")
		}
		if len(p.Revisions) > 0 {
			bw.WriteString("\nApply refuses these revisions until the drift is resolved:\n")
		}
	}
	if len(p.Revisions) == 0 {
		return bw.Flush()
	}
	if p.Drift == nil {
		bw.WriteString("Strata will apply " + plural(len(p.Revisions), "pending revision") + ":\n")
	}
	for _, r := range p.Revisions {
		bw.WriteString("\n  " + t.paint(ansiBold, "# "+r.title()) + "\n")
		for _, s := range r.Statements {
			for _, h := range s.Hazards {
				bw.WriteString("      " + t.paint(ansiRed, "! "+string(h.Kind)+": "+hazardMessage(h, t.rules)) + "\n")
			}
			if s.Comment != "" {
				bw.WriteString("    -- " + s.Comment + "\n")
			}
			if s.Route != nil {
				bw.WriteString("    -- " + RouteText(s.Route) + "\n")
			}
			bw.WriteString(indent(statementText(s.SQL), "    ") + "\n")
		}
	}
	bw.WriteString("\n" + t.paint(ansiBold, p.summary()) + "\n")
	if g := p.Gate; g.holds() {
		bw.WriteString("\nWaiting for " + g.From + ", not applied by this run (" + plural(len(g.Waiting), "revision") + "):\n")
		for _, wr := range g.Waiting {
			bw.WriteString("  " + wr.Name + " (" + wr.Reason + ")\n")
		}
	}
	return bw.Flush()
}

// PromotionSQL writes the statements a promotion runs, revision by
// revision under a comment naming it, hazards as comments. A drift's
// statements are written as comments: apply does not run them.
func PromotionSQL(w io.Writer, p *Promotion) error {
	bw := bufio.NewWriter(w)
	if p.Empty() {
		if p.Gate.holds() {
			bw.WriteString("-- No changes can be applied to " + p.Environment + " now.\n")
			sqlWaiting(bw, p.Gate)
			return bw.Flush()
		}
		bw.WriteString("-- " + p.noChanges() + "\n")
		return bw.Flush()
	}
	if d := p.Drift; d != nil {
		bw.WriteString("-- " + d.sentence(p.Environment) + "\n")
		if d.Note != "" {
			bw.WriteString("-- " + oneLine(d.Note) + "\n")
		}
		if d.Plan != nil && !d.Plan.Empty() {
			bw.WriteString("-- What schema.hcl would change on the live database (not run by apply):\n")
			for _, s := range d.Plan.Steps {
				for _, h := range s.Hazards {
					bw.WriteString("--   " + string(h.Kind) + ": " + oneLine(hazardMessage(h, d.Plan.Rules)) + "\n")
				}
				for _, st := range s.Statements {
					bw.WriteString("--   " + strings.ReplaceAll(statementText(st.SQL), "\n", "\n--   ") + "\n")
				}
			}
		}
		if d.Fix != "" {
			bw.WriteString("-- " + oneLine(d.Fix) + "\n")
		}
		if len(p.Revisions) > 0 {
			bw.WriteString("-- Apply refuses the revisions below until the drift is resolved.\n")
		}
		bw.WriteString("\n")
	}
	if len(p.Revisions) == 0 {
		return bw.Flush()
	}
	bw.WriteString("-- " + p.summary() + "\n")
	bw.WriteString("-- From schema " + p.FromHash + "\n-- to schema   " + p.ToHash + "\n")
	for _, r := range p.Revisions {
		bw.WriteString("\n-- " + oneLine(r.title()) + "\n")
		for _, s := range r.Statements {
			for _, h := range s.Hazards {
				bw.WriteString("-- " + string(h.Kind) + ": " + oneLine(hazardMessage(h, p.Rules)) + "\n")
			}
			if s.Comment != "" {
				bw.WriteString("-- " + oneLine(s.Comment) + "\n")
			}
			if s.Route != nil {
				bw.WriteString("-- " + oneLine(RouteText(s.Route)) + "\n")
			}
			bw.WriteString(statementText(s.SQL) + "\n")
		}
	}
	sqlWaiting(bw, p.Gate)
	return bw.Flush()
}

// sqlWaiting lists the revisions a gate holds back as SQL comments.
func sqlWaiting(bw *bufio.Writer, g *Gate) {
	if !g.holds() {
		return
	}
	bw.WriteString("-- Waiting for " + g.From + ", not applied by apply:\n")
	for _, wr := range g.Waiting {
		bw.WriteString("--   " + oneLine(wr.Name+" ("+wr.Reason+")") + "\n")
	}
}

// mdWaiting lists the revisions a gate holds back.
func mdWaiting(bw *bufio.Writer, g *Gate) {
	if !g.holds() {
		return
	}
	bw.WriteString("#### ⏸️ Waiting for " + mdText(g.From) + "\n\n")
	bw.WriteString(plural(len(g.Waiting), "pending revision") + " " + waitsVerb(len(g.Waiting)) + " for " + mdText(g.From) + " (promote_from) and would not be applied:\n\n")
	for _, wr := range g.Waiting {
		bw.WriteString("- " + mdSpan(wr.Name) + ": " + mdText(wr.Reason) + "\n")
	}
}

// PromotionMarkdown writes a promotion as a pull-request comment: the
// drift, the hazards counted on the target first, a table of the revisions
// and their SQL in a collapsed block.
func PromotionMarkdown(w io.Writer, p *Promotion) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("### Strata plan: " + mdText(p.Environment) + "\n\n")
	if p.Empty() {
		if p.Gate.holds() {
			bw.WriteString("No changes can be applied to " + mdText(p.Environment) + " now.\n\n")
			mdWaiting(bw, p.Gate)
			return bw.Flush()
		}
		bw.WriteString(mdText(p.noChanges()) + "\n")
		return bw.Flush()
	}
	if d := p.Drift; d != nil {
		bw.WriteString("#### ❗ Drift\n\n" + mdText(d.sentence(p.Environment)) + "\n\n")
		if d.Note != "" {
			bw.WriteString(mdText(d.Note) + "\n\n")
		}
		if d.Plan != nil {
			bw.WriteString("What `schema.hcl` would change on the live database:\n\n")
			markdownBody(bw, d.Plan, "#####")
			bw.WriteString("\n")
		}
		if d.Fix != "" {
			bw.WriteString(mdText(d.Fix) + "\n\n")
		}
		if len(p.Revisions) > 0 {
			bw.WriteString("Apply refuses the revisions below until the drift is resolved.\n\n")
		}
	}
	if len(p.Revisions) == 0 {
		mdWaiting(bw, p.Gate)
		return bw.Flush()
	}
	sized := "sized on " + p.Environment + "'s rows"
	if p.Source != "" {
		bw.WriteString("**" + p.summary() + "** Promoted from " + mdText(p.Source) + "; hazards " + mdText(sized) + ".\n\n")
	} else {
		bw.WriteString("**" + p.summary() + "** Hazards " + mdText(sized) + ".\n\n")
	}
	if hs := p.Hazards(); len(hs) > 0 {
		bw.WriteString("#### ⚠️ Hazards\n\n")
		for _, r := range p.Revisions {
			for _, s := range r.Statements {
				for _, h := range s.Hazards {
					where := mdSpan(r.Name)
					if s.Object != "" {
						where += ", " + string(s.ObjectType) + " " + mdSpan(s.Object)
					}
					bw.WriteString("- **" + string(h.Kind) + "** (" + where + "): " + mdText(hazardMessage(h, p.Rules)) + "\n")
				}
			}
		}
		bw.WriteString("\n")
	}
	if c := p.Changes; c != nil && !c.Empty() {
		bw.WriteString("#### Changes\n\n" + mdText(strings.TrimPrefix(c.Summary().String(), "Plan: ")) + "\n\n")
		mdObjects(bw, c)
		bw.WriteString("\n")
	}
	bw.WriteString("#### Revisions\n\n| Revision | Planned against | Author | Statements |\n| --- | --- | --- | ---: |\n")
	for _, r := range p.Revisions {
		name := mdSpan(r.Name)
		if r.Partial {
			name += " (partly applied)"
		}
		bw.WriteString("| " + name + " | " + mdText(strings.TrimPrefix(r.origin(), "planned against ")) + " | " + mdText(r.Author) + " | " + strconv.Itoa(len(r.Statements)) + " |\n")
	}
	if n := p.statements(); n > 0 {
		bw.WriteString("\n<details><summary>SQL (" + plural(n, "statement") + ")</summary>\n\n```sql\n")
		for i, r := range p.Revisions {
			if i > 0 {
				bw.WriteString("\n")
			}
			bw.WriteString("-- " + oneLine(r.Name) + "\n")
			for _, s := range r.Statements {
				if s.Comment != "" {
					bw.WriteString("-- " + oneLine(s.Comment) + "\n")
				}
				if s.Route != nil {
					bw.WriteString("-- " + oneLine(RouteText(s.Route)) + "\n")
				}
				bw.WriteString(strings.ReplaceAll(statementText(s.SQL), "```", "` ` `") + "\n")
			}
		}
		bw.WriteString("```\n\n</details>\n")
	}
	if p.Gate.holds() {
		bw.WriteString("\n")
		mdWaiting(bw, p.Gate)
	}
	return bw.Flush()
}

type jsonPromotion struct {
	jsonPlan
	Environment string            `json:"environment"`
	PromoteFrom string            `json:"promote_from,omitempty"`
	Pending     []jsonRevision    `json:"pending_revisions"`
	Drift       *jsonPromoteDrift `json:"drift"`
	Gate        *jsonGate         `json:"gate,omitempty"`
}

type jsonGate struct {
	PromoteFrom string        `json:"promote_from"`
	Waiting     []jsonWaiting `json:"waiting_revisions"`
}

type jsonWaiting struct {
	Version string `json:"version"`
	Name    string `json:"name"`
	Reason  string `json:"reason"`
}

type jsonRevision struct {
	Version     string        `json:"version"`
	Name        string        `json:"name"`
	FromHash    string        `json:"from_hash"`
	ToHash      string        `json:"to_hash"`
	PlannedOn   string        `json:"planned_on"`
	HandWritten bool          `json:"hand_written,omitempty"`
	Baseline    bool          `json:"baseline,omitempty"`
	Author      string        `json:"author"`
	Created     string        `json:"created"`
	Partial     bool          `json:"partial,omitempty"`
	Statements  []jsonRevStmt `json:"statements"`
}

type jsonRevStmt struct {
	SQL     string           `json:"sql"`
	Comment string           `json:"comment,omitempty"`
	Hazards []planner.Hazard `json:"hazards"`
	Route   *dialect.Route   `json:"route,omitempty"`
}

type jsonPromoteDrift struct {
	Revision string    `json:"revision,omitempty"`
	Expected string    `json:"expected_hash"`
	Live     string    `json:"live_hash"`
	Note     string    `json:"note,omitempty"`
	Fix      string    `json:"fix,omitempty"`
	Plan     *jsonPlan `json:"plan"`
}

// PromotionJSON writes a promotion as the plan document (format_version
// "1", json.md): hazards and statements are the revisions', in order;
// pending_revisions, drift, environment and promote_from are added.
func PromotionJSON(w io.Writer, p *Promotion) error {
	doc := jsonPromotion{
		jsonPlan:    planDocument(nil),
		Environment: p.Environment,
		PromoteFrom: p.Source,
		Pending:     []jsonRevision{},
	}
	doc.FromHash, doc.ToHash, doc.Empty = p.FromHash, p.ToHash, p.Empty()
	if c := p.Changes; c != nil && !c.Empty() {
		// What changes, object by object; the statements are the
		// revisions' (below), not the plan's.
		cd := planDocument(c)
		doc.Summary, doc.Changes = cd.Summary, cd.Changes
		for i := range doc.Changes {
			doc.Changes[i].Statements = []jsonStmt{}
		}
	}
	for _, r := range p.Revisions {
		jr := jsonRevision{Version: r.Version, Name: r.Name, FromHash: r.FromHash, ToHash: r.ToHash, PlannedOn: r.PlannedOn, HandWritten: r.HandWritten, Baseline: r.Baseline,
			Author: r.Author, Created: r.Created.UTC().Format(time.RFC3339), Partial: r.Partial, Statements: []jsonRevStmt{}}
		for _, s := range r.Statements {
			hz := s.Hazards
			if hz == nil {
				hz = []planner.Hazard{}
			}
			jr.Statements = append(jr.Statements, jsonRevStmt{SQL: s.SQL, Comment: s.Comment, Hazards: hz, Route: s.Route})
			doc.Statements = append(doc.Statements, jsonStmt{SQL: s.SQL, Comment: s.Comment, Route: s.Route})
			kind := s.ObjectType
			if kind == "" {
				kind = planner.ObjectTable
			}
			for _, h := range s.Hazards {
				name := s.Object
				if h.Check != nil {
					name = h.Check.Table
				}
				doc.Hazards = append(doc.Hazards, jsonHazard{Kind: h.Kind, Message: h.Message, ObjectType: string(kind), Name: name,
					Check: h.Check, Rows: h.Rows, Bytes: h.Bytes, Skipped: h.Skipped})
			}
		}
		doc.Pending = append(doc.Pending, jr)
	}
	if g := p.Gate; g != nil {
		doc.Gate = &jsonGate{PromoteFrom: g.From, Waiting: []jsonWaiting{}}
		for _, wr := range g.Waiting {
			doc.Gate.Waiting = append(doc.Gate.Waiting, jsonWaiting(wr))
		}
	}
	if d := p.Drift; d != nil {
		doc.Drift = &jsonPromoteDrift{Revision: d.Revision, Expected: d.Expected, Live: d.Live, Note: d.Note, Fix: d.Fix}
		if d.Plan != nil {
			pd := planDocument(d.Plan)
			doc.Drift.Plan = &pd
		}
	}
	return writeJSON(w, doc)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
