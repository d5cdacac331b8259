package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/revision"
)

// fleetStatusDoc is `strata status --format json` on a fleet (json.md).
type fleetStatusDoc struct {
	FormatVersion string              `json:"format_version"`
	Environment   string              `json:"environment"`
	URL           string              `json:"url"` // the server's, password masked
	Directory     string              `json:"migrations_dir"`
	Head          *statusRevision     `json:"head"` // null: the directory is empty
	Summary       fleetSummary        `json:"summary"`
	Targets       []fleetTargetStatus `json:"targets"`
}

// fleetSummary counts the targets by state; drifted ones are counted
// apart (a target at the head may have drifted).
type fleetSummary struct {
	Targets    int `json:"targets"`
	AtHead     int `json:"at_head"`
	Behind     int `json:"behind"`
	Failed     int `json:"failed"`
	Unreadable int `json:"unreadable"`
	Drifted    int `json:"drifted"`
}

// fleetTargetStatus is one target: its state, and the status document of
// the database (null when it could not be read).
type fleetTargetStatus struct {
	Database string `json:"database"`
	// State is "at_head", "behind" (revisions pending, none failed),
	// "failed" (a run failed: a partial revision, or the first pending
	// one refused) or "unreadable" (Error says why).
	State string `json:"state"`
	// Failure says what the last run did on a failed target, or on one
	// behind because a fleet run stopped before it ("not started: ...").
	Failure string     `json:"failure,omitempty"`
	Error   string     `json:"error,omitempty"`
	Status  *statusDoc `json:"status"`
}

// fleetStatus reads every target of a fleet in parallel.
func (a *app) fleetStatus(ctx context.Context, env *config.Environment) (*fleetStatusDoc, error) {
	names, err := a.resolveTargets(ctx, env)
	if err != nil {
		return nil, err
	}
	dir := revision.Dir{Path: a.migrationsDir(env)}
	revs, err := dir.Load()
	if err != nil {
		return nil, err
	}
	server, _ := env.ServerURL()
	doc := &fleetStatusDoc{FormatVersion: jsonFormatVersion, Environment: env.Name, URL: redactURL(server), Directory: dir.Path}
	if len(revs) > 0 {
		head := revs[len(revs)-1]
		doc.Head = &statusRevision{Version: head.Version, Name: head.Name()}
	}
	doc.Targets = eachTarget(ctx, names, max(env.Fleet.Parallel, fleetReadParallel), func(ctx context.Context, name string) fleetTargetStatus {
		ts := fleetTargetStatus{Database: name, State: "unreadable"}
		c, t, _, err := a.openFleetTarget(ctx, env, name)
		if err != nil {
			ts.Error = err.Error()
			return ts
		}
		defer t.Close()
		h, err := c.loadHistory(ctx, t)
		if err == nil {
			ts.Status, err = c.status(ctx, t, h)
		}
		var kind string
		if err == nil {
			kind, ts.Failure, err = fleetFailure(ctx, h)
		}
		if err != nil {
			ts.Error = err.Error()
			return ts
		}
		switch {
		case kind == "failed":
			ts.State = "failed"
		case len(h.State.Pending) > 0 || h.State.Partial != nil:
			ts.State = "behind"
		default:
			ts.State = "at_head"
		}
		return ts
	})
	s := &doc.Summary
	s.Targets = len(names)
	for _, ts := range doc.Targets {
		switch ts.State {
		case "at_head":
			s.AtHead++
		case "behind":
			s.Behind++
		case "failed":
			s.Failed++
		default:
			s.Unreadable++
		}
		if ts.Status != nil && ts.Status.Drift.State == "drifted" {
			s.Drifted++
		}
	}
	return doc, nil
}

// printFleetStatus summarises: counts, then the targets that need a look
// by name.
func printFleetStatus(w io.Writer, doc *fleetStatusDoc) {
	s := doc.Summary
	fmt.Fprintf(w, "Environment:  %s (%s, %s)\n", doc.Environment, doc.URL, plural(s.Targets, "target"))
	if doc.Head == nil {
		fmt.Fprintf(w, "Head:         none (no revision in %s yet)\n", doc.Directory)
	} else {
		fmt.Fprintf(w, "Head:         %s (%s)\n", doc.Head.Name, doc.Directory)
	}
	line := fmt.Sprintf("%d at head, %d behind, %d failed", s.AtHead, s.Behind, s.Failed)
	if s.Unreadable > 0 {
		line += fmt.Sprintf(", %d unreadable", s.Unreadable)
	}
	fmt.Fprintf(w, "Targets:      %s\n", line)
	var behind, failed, unreadable, drifted []string
	for _, ts := range doc.Targets {
		switch ts.State {
		case "behind":
			behind = append(behind, fmt.Sprintf("%s (%s)", ts.Database, behindText(ts)))
		case "failed":
			failed = append(failed, ts.Database+": "+firstSentence(ts.Failure))
		case "unreadable":
			unreadable = append(unreadable, ts.Database+": "+firstLine(ts.Error))
		}
		if ts.Status != nil && ts.Status.Drift.State == "drifted" {
			drifted = append(drifted, ts.Database)
		}
	}
	list := func(label string, items []string) {
		for i, it := range items {
			if i == 0 {
				fmt.Fprintf(w, "%-14s%s\n", label, it)
			} else {
				fmt.Fprintf(w, "%-14s%s\n", "", it)
			}
		}
	}
	list("Failed:", failed)
	list("Behind:", behind)
	list("Unreadable:", unreadable)
	if len(drifted) == 0 {
		fmt.Fprintln(w, "Drifted:      none")
	} else {
		fmt.Fprintf(w, "Drifted:      %d: %s\n", len(drifted), strings.Join(drifted, ", "))
	}
	if s.Failed > 0 {
		them := "them"
		for _, ts := range doc.Targets {
			if ts.State == "behind" && ts.Failure != "" {
				them = "them and the ones not started"
			}
		}
		fmt.Fprintf(w, "\nFix the failed ones, then 'strata apply --env %s --only failed' retries %s; 'strata status --env %s --format json' has each failure in full.\n", doc.Environment, them, doc.Environment)
	}
	if s.Drifted > 0 {
		fmt.Fprintf(w, "'strata drift --env %s --target NAME' shows how a drifted one differs.\n", doc.Environment)
	}
}

func behindText(ts fleetTargetStatus) string {
	d := ts.Status
	if ts.Failure != "" {
		return plural(len(d.Pending), "revision") + " pending, " + ts.Failure
	}
	if d.Partial != nil {
		return fmt.Sprintf("%s part-way, %d of %d statements", d.Partial.Name, d.Partial.Done, d.Partial.Total)
	}
	return plural(len(d.Pending), "revision") + " pending"
}

// fleetHistoryDoc is `strata history --format json` on a fleet: each
// target's history document.
type fleetHistoryDoc struct {
	FormatVersion string               `json:"format_version"`
	Environment   string               `json:"environment"`
	Targets       []fleetTargetHistory `json:"targets"`
}

type fleetTargetHistory struct {
	Database string         `json:"database"`
	Error    string         `json:"error,omitempty"` // set when it could not be read
	Events   []historyEvent `json:"events"`
	// Revisions are the directory's revisions with their state on this
	// target.
	Revisions []historyEntry `json:"revisions"`
}

// fleetHistory reads every target's history in parallel.
func (a *app) fleetHistory(ctx context.Context, env *config.Environment) (*fleetHistoryDoc, error) {
	names, err := a.resolveTargets(ctx, env)
	if err != nil {
		return nil, err
	}
	doc := &fleetHistoryDoc{FormatVersion: jsonFormatVersion, Environment: env.Name}
	doc.Targets = eachTarget(ctx, names, max(env.Fleet.Parallel, fleetReadParallel), func(ctx context.Context, name string) fleetTargetHistory {
		th := fleetTargetHistory{Database: name, Events: []historyEvent{}, Revisions: []historyEntry{}}
		c, t, _, err := a.openFleetTarget(ctx, env, name)
		if err != nil {
			th.Error = err.Error()
			return th
		}
		defer t.Close()
		h, err := c.loadHistory(ctx, t)
		var evs []revision.Event
		if err == nil {
			evs, err = h.Store.Events(ctx)
		}
		if err != nil {
			th.Error = err.Error()
			return th
		}
		th.Events, th.Revisions = historyEvents(h, evs), historyEntries(h, evs)
		return th
	})
	return doc, nil
}

// printFleetHistory summarises the fleet's history a revision a line: on
// how many targets it is applied, and where it is not, why.
func printFleetHistory(w io.Writer, doc *fleetHistoryDoc) {
	type row struct {
		version, name string
		count         map[string][]string // status → targets
	}
	var rows []*row
	byVersion := map[string]*row{}
	var unreadable []string
	lastRun := map[string]string{} // target → its newest event, for the failed
	for _, th := range doc.Targets {
		if th.Error != "" {
			unreadable = append(unreadable, th.Database+": "+firstLine(th.Error))
			continue
		}
		for _, e := range th.Revisions {
			r := byVersion[e.Version]
			if r == nil {
				r = &row{version: e.Version, name: e.Name, count: map[string][]string{}}
				byVersion[e.Version] = r
				rows = append(rows, r)
			}
			r.count[e.Status] = append(r.count[e.Status], th.Database)
		}
		if n := len(th.Events); n > 0 {
			e := th.Events[n-1]
			lastRun[th.Database] = fmt.Sprintf("%s %s %s", e.Version, strings.ReplaceAll(e.Kind, "_", " "), strings.ReplaceAll(e.Outcome, "_", " "))
			if e.Note != "" && e.Kind == revision.EventRefused {
				lastRun[th.Database] += ": " + e.Note
			}
			if e.Error != "" {
				lastRun[th.Database] += ": " + firstLine(e.Error)
			}
		}
	}
	total := len(doc.Targets)
	fmt.Fprintf(w, "History of %s on %s:\n", doc.Environment, plural(total, "target"))
	if len(rows) == 0 {
		fmt.Fprintln(w, "  no revisions yet")
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %s_%s: applied on %d of %d", r.version, r.name, len(r.count["applied"]), total)
		for _, st := range []string{"partial", "rolled_back", "pending"} {
			if ts := r.count[st]; len(ts) > 0 {
				fmt.Fprintf(w, "; %s on %s", strings.ReplaceAll(st, "_", " "), shortList(ts, 5))
			}
		}
		fmt.Fprintln(w)
	}
	var failed []string
	for _, th := range doc.Targets {
		if l := lastRun[th.Database]; strings.Contains(l, " failed") || strings.Contains(l, " refused ") || strings.Contains(l, " died") {
			failed = append(failed, th.Database+": "+l)
		}
	}
	if len(failed) > 0 {
		fmt.Fprintln(w, "Last run failed on:")
		for _, f := range failed {
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
	if len(unreadable) > 0 {
		fmt.Fprintln(w, "Unreadable:")
		for _, u := range unreadable {
			fmt.Fprintf(w, "  %s\n", u)
		}
	}
	fmt.Fprintf(w, "'strata history --env %s --target NAME' lists one target's events.\n", doc.Environment)
}

// shortList names up to n items, then how many more.
func shortList(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// firstSentence is s up to its first full stop: the what of a failure,
// without the what-to-do that follows.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
