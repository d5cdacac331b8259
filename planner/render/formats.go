package render

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
)

// SQL writes the plan's statements, each ending with a semicolon, after a
// comment header with the summary; each step's hazards precede its
// statements as comments. An empty plan writes a single comment.
func SQL(w io.Writer, p *planner.Plan) error {
	bw := bufio.NewWriter(w)
	if p == nil || p.Empty() {
		bw.WriteString("-- " + NoChanges + "\n")
		return bw.Flush()
	}
	bw.WriteString("-- " + p.Summary().String() + "\n")
	bw.WriteString("-- From schema " + p.FromHash + "\n-- to schema   " + p.ToHash + "\n")
	for _, s := range p.Steps {
		if len(s.Statements) == 0 {
			continue
		}
		bw.WriteString("\n")
		for _, h := range s.Hazards {
			bw.WriteString("-- " + string(h.Kind) + ": " + oneLine(hazardMessage(h, planRules(p))) + "\n")
		}
		for _, st := range s.Statements {
			for _, n := range statementNotes(p, st) {
				bw.WriteString("-- " + oneLine(n) + "\n")
			}
			bw.WriteString(statementText(st.SQL) + "\n")
		}
	}
	return bw.Flush()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// HazardMessage is a hazard's message with its live figure, as the text,
// sql and markdown renderings show it (see hazardMessage), the sentence
// saying why it fails worded by the rules of its dialect (planner.Plan.Rules;
// nil: names quoted as standard SQL, and the server refuses what does not
// fit).
func HazardMessage(h planner.Hazard, rules dialect.HazardRules) string {
	return hazardMessage(h, rules)
}

func planRules(p *planner.Plan) dialect.HazardRules {
	if p == nil {
		return nil
	}
	return p.Rules
}

// hazardMessage is the hazard's message with the live figure when a
// dialect counted it: "(1,234 rows)"; a table's estimated size for a
// locking change: "(~1,234 rows, 12.5 MiB)"; why it was not counted. A
// data-dependent hazard with rows to blame says that the change will fail
// and why, before the planner's condition.
func hazardMessage(h planner.Hazard, rules dialect.HazardRules) string {
	if h.Rows == nil {
		if h.Skipped != "" {
			return h.Message + " (not counted: " + h.Skipped + ")"
		}
		return h.Message
	}
	if h.Check != nil && h.Check.Kind == planner.CountSize {
		fig := "~" + rowCount(*h.Rows)
		if h.Bytes != nil {
			fig += ", " + byteSize(*h.Bytes)
		}
		return h.Message + " (" + fig + ")"
	}
	if c := h.Check; h.Kind == planner.DataDependent && *h.Rows > 0 && c != nil && c.Kind == planner.CountRows && c.Fill != "" && len(c.Columns) == 1 {
		// The change succeeds, but every existing row gets a value no one chose.
		existing := "existing rows get "
		if *h.Rows == 1 {
			existing = "existing row gets "
		}
		qn := planner.QuoteStandard
		if rules != nil {
			qn = rules.QuoteName
		}
		return thousands(*h.Rows) + " " + existing + c.Fill + " in " + qn(c.Table) + "." + qn(c.Columns[0]) + " (" + h.Message + ")"
	}
	if h.Kind == planner.DataDependent && *h.Rows > 0 && h.Check != nil {
		if why := failure(h.Check, *h.Rows, rules); why != "" {
			return why + " (" + h.Message + ")"
		}
	}
	return h.Message + " (" + rowCount(*h.Rows) + ")"
}

func rowCount(n int64) string {
	if n == 1 {
		return "1 row"
	}
	return thousands(n) + " rows"
}

// failure says in words why a data-dependent change will fail on n rows:
// "will fail: 3 rows of `users` have NULL in `phone`", worded by rules.
func failure(c *planner.DataCheck, n int64, rules dialect.HazardRules) string {
	qn := planner.QuoteStandard
	misfit := func(bool) string { return "will fail" }
	if rules != nil {
		qn = rules.QuoteName
		if w, ok := rules.(dialect.MisfitWording); ok {
			misfit = w.Misfit
		}
	}
	rows := rowCount(n) + " of " + qn(c.Table)
	have, share, reference, violate := "have", "share their", "reference", "violate"
	if n == 1 {
		have, share, reference, violate = "has", "shares its", "references", "violates"
	}
	cols := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		cols[i] = qn(col)
	}
	switch c.Kind {
	case planner.CountNulls:
		return "will fail: " + rows + " " + have + " NULL in " + strings.Join(cols, " or ")
	case planner.CountDuplicates:
		// Dialects count rows in duplicate groups, not groups.
		return "will fail: " + rows + " " + share + " values in (" + strings.Join(cols, ", ") + ") with another row"
	case planner.CountOrphans:
		return "will fail: " + rows + " " + reference + " missing rows of " + qn(c.RefTable)
	case planner.CountMisfits:
		if len(cols) == 0 {
			break
		}
		if c.Charset != "" {
			return misfit(true) + ": " + rows + " " + have + " characters in " + cols[0] + " that " + c.Charset + " cannot hold"
		}
		if c.To != nil {
			return misfit(false) + ": " + rows + " " + have + " values in " + cols[0] + " that do not fit " + planner.FormatType(*c.To)
		}
	case planner.CountViolations:
		return "will fail: " + rows + " " + violate + " " + c.Expr
	}
	return ""
}

// byteSize formats a size in bytes with a binary unit: 512 B, 1.5 KiB,
// 12.0 MiB.
func byteSize(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	v := float64(n)
	for _, unit := range []string{"KiB", "MiB", "GiB", "TiB"} {
		v /= 1024
		if v < 1024 || unit == "TiB" {
			return strconv.FormatFloat(v, 'f', 1, 64) + " " + unit
		}
	}
	return ""
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// FormatVersion is the version of the JSON document; see json.md.
const FormatVersion = "1"

type jsonPlan struct {
	FormatVersion string          `json:"format_version"`
	FromHash      string          `json:"from_hash"`
	ToHash        string          `json:"to_hash"`
	Empty         bool            `json:"empty"`
	Summary       planner.Summary `json:"summary"`
	Changes       []jsonChange    `json:"changes"`
	Hazards       []jsonHazard    `json:"hazards"`
	Statements    []jsonStmt      `json:"statements"`
}

type jsonChange struct {
	Action     string           `json:"action"`
	ObjectType string           `json:"object_type"`
	Name       string           `json:"name"`
	Details    []Detail         `json:"details"`
	Hazards    []planner.Hazard `json:"hazards"`
	Statements []jsonStmt       `json:"statements"`
}

type jsonHazard struct {
	Kind       planner.HazardKind `json:"kind"`
	Message    string             `json:"message"`
	ObjectType string             `json:"object_type"`
	Name       string             `json:"name"`
	Check      *planner.DataCheck `json:"check,omitempty"`
	Rows       *int64             `json:"rows,omitempty"`
	Bytes      *int64             `json:"bytes,omitempty"`
	Skipped    string             `json:"skipped,omitempty"`
}

type jsonStmt struct {
	SQL       string         `json:"sql"`
	Comment   string         `json:"comment,omitempty"`
	Route     *dialect.Route `json:"route,omitempty"`
	RunsAlone bool           `json:"runs_alone,omitempty"`
}

// RunsAloneText marks a statement that runs outside the plan's transaction
// (see planner.Plan.RunsAlone): if it fails, what ran before it stays
// applied.
const RunsAloneText = "runs on its own, outside the transaction"

// statementNotes are the comments the text, sql and markdown formats
// write above a statement: its own comment, its route and whether it runs
// alone.
func statementNotes(p *planner.Plan, st dialect.Stmt) []string {
	var notes []string
	if st.Comment != "" {
		notes = append(notes, st.Comment)
	}
	if st.Route != nil {
		notes = append(notes, RouteText(st.Route))
	}
	if p.RunsAlone(st) {
		notes = append(notes, RunsAloneText)
	}
	return notes
}

// RouteText is how a plan shows a route: "online schema change: …".
func RouteText(r *dialect.Route) string { return "online schema change: " + r.Reason }

// JSON writes the plan as a versioned JSON document (format_version "1",
// described in json.md) for programs: summary, changes with details,
// hazards and statements, and the schema hashes.
func JSON(w io.Writer, p *planner.Plan) error {
	return writeJSON(w, planDocument(p))
}

// planDocument is the JSON document of a plan.
func planDocument(p *planner.Plan) jsonPlan {
	if p == nil {
		p = &planner.Plan{}
	}
	doc := jsonPlan{
		FormatVersion: FormatVersion,
		FromHash:      p.FromHash,
		ToHash:        p.ToHash,
		Empty:         p.Empty(),
		Summary:       p.Summary(),
		Changes:       []jsonChange{},
		Hazards:       []jsonHazard{},
		Statements:    []jsonStmt{},
	}
	for _, s := range p.Steps {
		kind, name := planner.ObjectOf(s.Change)
		c := jsonChange{
			Action:     stepAction(s.Change),
			ObjectType: string(kind),
			Name:       name,
			Details:    details(s.Change),
			Hazards:    s.Hazards,
			Statements: []jsonStmt{},
		}
		if c.Details == nil {
			c.Details = []Detail{}
		}
		if c.Hazards == nil {
			c.Hazards = []planner.Hazard{}
		}
		for _, h := range s.Hazards {
			doc.Hazards = append(doc.Hazards, jsonHazard{Kind: h.Kind, Message: h.Message, ObjectType: string(kind), Name: name,
				Check: h.Check, Rows: h.Rows, Bytes: h.Bytes, Skipped: h.Skipped})
		}
		for _, st := range s.Statements {
			js := jsonStmt{SQL: st.SQL, Comment: st.Comment, Route: st.Route, RunsAlone: p.RunsAlone(st)}
			c.Statements = append(c.Statements, js)
			doc.Statements = append(doc.Statements, js)
		}
		doc.Changes = append(doc.Changes, c)
	}
	return doc
}

// writeJSON writes a document two-space indented, without HTML escaping.
func writeJSON(w io.Writer, doc any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("render json: %w", err)
	}
	return nil
}

// Markdown writes the plan as a pull-request comment: the summary, the
// hazards first, a table of the changed objects and the SQL in a
// collapsed <details> block.
func Markdown(w io.Writer, p *planner.Plan) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("### Strata plan\n\n")
	markdownBody(bw, p, "####")
	return bw.Flush()
}

// markdownBody writes a plan's summary, hazards, changes and SQL under
// headings of the given level ("####").
func markdownBody(bw *bufio.Writer, p *planner.Plan, heading string) {
	if p == nil || p.Empty() {
		bw.WriteString(NoChanges + "\n")
		return
	}
	bw.WriteString("**" + p.Summary().String() + "**\n\n")
	if hs := p.Hazards(); len(hs) > 0 {
		bw.WriteString(heading + " ⚠️ Hazards\n\n")
		for _, s := range p.Steps {
			kind, name := planner.ObjectOf(s.Change)
			for _, h := range s.Hazards {
				fmt.Fprintf(bw, "- **%s** (%s %s): %s\n", h.Kind, kind, mdSpan(name), mdText(hazardMessage(h, planRules(p))))
			}
		}
		bw.WriteString("\n")
	}
	bw.WriteString(heading + " Changes\n\n")
	mdObjects(bw, p)
	if stmts := p.Statements(); len(stmts) > 0 {
		n := "statements"
		if len(stmts) == 1 {
			n = "statement"
		}
		fmt.Fprintf(bw, "\n<details><summary>SQL (%d %s)</summary>\n\n```sql\n", len(stmts), n)
		for _, s := range stmts {
			for _, n := range statementNotes(p, s) {
				bw.WriteString("-- " + oneLine(n) + "\n")
			}
			bw.WriteString(strings.ReplaceAll(statementText(s.SQL), "```", "` ` `") + "\n")
		}
		bw.WriteString("```\n\n</details>\n")
	}
}

// mdObjects writes the table of a plan's changed objects.
func mdObjects(bw *bufio.Writer, p *planner.Plan) {
	bw.WriteString("| | Object | Changes |\n| --- | --- | --- |\n")
	for _, obj := range p.Objects() {
		verb, sym, from := objectHeader(obj)
		var parts []string
		if from != "" {
			parts = append(parts, "renamed from "+mdSpan(from))
		}
		for _, d := range objectDetails(obj) {
			parts = append(parts, detailSym(d.Action)+" "+mdDetail(d))
		}
		cell := strings.Join(parts, "<br>")
		if cell == "" {
			cell = verb
		}
		fmt.Fprintf(bw, "| %s | %s %s | %s |\n", mdSym(sym), obj.Kind, mdSpan(obj.Name), cell)
	}
}

func mdSym(sym string) string {
	switch sym {
	case "+":
		return "➕"
	case "-":
		return "➖"
	case "-/+":
		return "🔁"
	}
	return "✏️"
}

// mdDetail renders a detail in a table cell: label, then the text as code.
func mdDetail(d Detail) string {
	label := objectWord(d.ObjectType)
	if d.Name != "" {
		label += " " + mdSpan(d.Name)
	}
	text := detailText(d)
	if text == "" {
		return label
	}
	return label + " " + mdSpan(text)
}

// mdSpan renders s as a code span that is safe in a table cell: double
// backticks when s holds backticks, pipes escaped.
func mdSpan(s string) string {
	s = strings.ReplaceAll(oneLine(s), "|", "\\|")
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

// mdText makes s safe as table-free Markdown text on one line.
func mdText(s string) string {
	s = oneLine(s)
	s = strings.ReplaceAll(s, "<", "&lt;")
	return strings.ReplaceAll(s, "|", "\\|")
}
