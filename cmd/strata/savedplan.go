package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/revision"
	"github.com/stratadb/strata/schema"
)

// savedPlanVersion is the format version of plan files written by --out.
const savedPlanVersion = 2

// savedPlan is what `plan --out` writes and `apply FILE` runs: the revision
// the apply will record (exact up and down statements with their hazards)
// and the live schema hash it was planned from.
type savedPlan struct {
	FormatVersion int    `json:"format_version"`
	Environment   string `json:"environment"`
	FromHash      string `json:"from_hash"`
	ToHash        string `json:"to_hash"`
	Destructive   bool   `json:"destructive"`
	RevisionName  string `json:"revision_name"`
	// Revision is the revision file text (revision.Format).
	Revision string `json:"revision"`
	// FromSchema is the live schema the plan was made from, so that a
	// stale plan can say what changed since.
	FromSchema *schema.Schema `json:"from_schema"`
}

func saveInto(path string, t *target, pl *planned, r *revision.Revision) error {
	sp := savedPlan{
		FormatVersion: savedPlanVersion,
		Environment:   t.Name,
		FromHash:      pl.Plan.FromHash,
		ToHash:        pl.Plan.ToHash,
		Destructive:   pl.Plan.HasHazard(planner.Destructive),
		RevisionName:  r.Name(),
		Revision:      string(revision.Format(r)),
		FromSchema:    pl.Current,
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

// loadSavedPlan reads a plan file and the revision inside it.
func loadSavedPlan(path string) (*savedPlan, *revision.Revision, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read plan file: %w", err)
	}
	var sp savedPlan
	if err := json.Unmarshal(b, &sp); err != nil {
		return nil, nil, fmt.Errorf("%s is not a Strata plan file: %v", path, err)
	}
	if sp.FormatVersion != savedPlanVersion {
		return nil, nil, fmt.Errorf("%s has plan format %d; this strata reads format %d: plan again", path, sp.FormatVersion, savedPlanVersion)
	}
	r, err := revision.Parse(sp.RevisionName, []byte(sp.Revision))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return &sp, r, nil
}
