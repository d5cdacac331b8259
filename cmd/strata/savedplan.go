package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
)

// savedPlanVersion is the format version of plan files written by --out.
const savedPlanVersion = 1

// savedPlan is what `plan --out` writes and `apply FILE` runs: the exact
// statements and the live schema hash they were planned from.
type savedPlan struct {
	FormatVersion int            `json:"format_version"`
	Environment   string         `json:"environment"`
	FromHash      string         `json:"from_hash"`
	ToHash        string         `json:"to_hash"`
	Statements    []dialect.Stmt `json:"statements"`
	Hazards       []string       `json:"hazards,omitempty"`
	Destructive   bool           `json:"destructive"`
}

func saveInto(path string, t *target, pl *planned) error {
	sp := savedPlan{
		FormatVersion: savedPlanVersion,
		Environment:   t.Name,
		FromHash:      pl.Plan.FromHash,
		ToHash:        pl.Plan.ToHash,
		Statements:    pl.Plan.Statements(),
		Destructive:   pl.Plan.HasHazard(planner.Destructive),
	}
	for _, s := range pl.Plan.Steps {
		for _, h := range s.Hazards {
			sp.Hazards = append(sp.Hazards, string(h.Kind)+": "+h.Message)
		}
	}
	b, err := json.MarshalIndent(sp, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	return nil
}

func loadSavedPlan(path string) (*savedPlan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan file: %w", err)
	}
	var sp savedPlan
	if err := json.Unmarshal(b, &sp); err != nil {
		return nil, fmt.Errorf("%s is not a Strata plan file: %v", path, err)
	}
	if sp.FormatVersion != savedPlanVersion {
		return nil, fmt.Errorf("%s has plan format %d; this strata reads format %d: plan again", path, sp.FormatVersion, savedPlanVersion)
	}
	return &sp, nil
}
