package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/planner"
)

// samplePromotion has two revisions, a hazard counted on the target that
// shows a failure, one not counted, a backtick-laden SQL line and a drift
// with its plan.
func samplePromotion(t *testing.T) *Promotion {
	t.Helper()
	two := int64(2)
	created := time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)
	return &Promotion{
		Environment: "staging",
		Source:      "dev",
		Dir:         "migrations",
		Rules:       mysqlRules,
		FromHash:    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		ToHash:      "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
		Revisions: []PromotedRevision{
			{Version: "20261201103000", Name: "20261201103000_require_name.sql", PlannedOn: "dev", Author: "alice", Created: created,
				FromHash: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ToHash: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
				Statements: []PromotedStatement{{
					SQL: "ALTER TABLE `users` MODIFY COLUMN `name` varchar(50) NOT NULL", ObjectType: planner.ObjectTable, Object: "users",
					Hazards: []planner.Hazard{
						{Kind: planner.DataDependent, Message: "fails if `users`.`name` holds NULL values", Rows: &two,
							Check: &planner.DataCheck{Kind: planner.CountNulls, Table: "users", Columns: []string{"name"}}},
						{Kind: planner.Locking, Message: "rebuilds table `users`"},
					},
				}}},
			{Version: "20261201103100", Name: "20261201103100_add_tags.sql", PlannedOn: "dev", Author: "bob", Created: created.Add(time.Minute),
				FromHash: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", ToHash: "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
				Statements: []PromotedStatement{
					{SQL: "CREATE TABLE `tags` (\n  `id` int NOT NULL\n)", Comment: "new table", ObjectType: planner.ObjectTable, Object: "tags"},
					{SQL: "ALTER TABLE `users` ADD UNIQUE KEY `u` (`name`)", ObjectType: planner.ObjectTable, Object: "users",
						Hazards: []planner.Hazard{{Kind: planner.DataDependent, Message: "fails on duplicates", Skipped: "the earlier pending revision changes `users` first",
							Check: &planner.DataCheck{Kind: planner.CountDuplicates, Table: "users", Columns: []string{"name"}}}}},
				}},
		},
		Drift: &Drift{Revision: "20261130000000_init.sql", Expected: "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
			Live: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Plan: richPlan(t), Note: "Note: the plan holds more than the drift."},
		Gate: &Gate{From: "dev", Waiting: []Waiting{{Version: "20261201110000", Name: "20261201110000_add_nick.sql", Reason: "not applied on dev"}}},
	}
}

func TestPromotion_Golden(t *testing.T) {
	full := samplePromotion(t)
	noDrift := samplePromotion(t)
	noDrift.Drift, noDrift.Gate = nil, nil
	noDrift.Changes = richPlan(t)
	empty := &Promotion{Environment: "prod", Source: "staging", Dir: "migrations", FromHash: "abc", ToHash: "abc"}
	held := &Promotion{Environment: "prod", Source: "staging", Dir: "migrations", FromHash: "abc", ToHash: "abc",
		Gate: &Gate{From: "staging", Waiting: []Waiting{{Version: "20261201110000", Name: "20261201110000_add_nick.sql", Reason: "not applied on staging"}}}}
	renders := []struct {
		name   string
		render func(*bytes.Buffer, *Promotion) error
	}{
		{"text", func(b *bytes.Buffer, p *Promotion) error { return PromotionText(b, p, TextOptions{}) }},
		{"sql", func(b *bytes.Buffer, p *Promotion) error { return PromotionSQL(b, p) }},
		{"json", func(b *bytes.Buffer, p *Promotion) error { return PromotionJSON(b, p) }},
		{"markdown", func(b *bytes.Buffer, p *Promotion) error { return PromotionMarkdown(b, p) }},
	}
	for _, r := range renders {
		for _, c := range []struct {
			name string
			p    *Promotion
		}{{"", noDrift}, {"-drift", full}, {"-empty", empty}, {"-held", held}} {
			t.Run(r.name+c.name, func(t *testing.T) {
				var b bytes.Buffer
				if err := r.render(&b, c.p); err != nil {
					t.Fatal(err)
				}
				golden(t, "promotion-"+r.name+c.name+".golden", b.Bytes())
			})
		}
	}
}

func TestPromotion_counts(t *testing.T) {
	p := samplePromotion(t)
	var b bytes.Buffer
	if err := PromotionMarkdown(&b, p); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"will fail: 2 rows of `users` have NULL in `name`",
		"(not counted: the earlier pending revision changes `users` first)",
		"#### ❗ Drift",
		"| `20261201103000_require_name.sql` | dev | alice | 1 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "Strata will apply") {
		t.Errorf("markdown holds the text rendering:\n%s", md)
	}
}
