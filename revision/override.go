package revision

import (
	"context"
	"fmt"
)

// maxAppliedBy is the width of the applied_by column.
const maxAppliedBy = 255

// NoteGateOverride records on version's row that it ran with its promotion
// gate skipped: note (who skipped the gate of which environment, and why)
// is appended to applied_by, cut to the column's width, and recorded as an
// EventGateOverride with the note, which `strata history` lists. The row must exist (the run began).
func (s *Store) NoteGateOverride(ctx context.Context, version, note string) error {
	rec, err := s.Get(ctx, version)
	if err != nil {
		return fmt.Errorf("record the gate override of %s: %w", version, err)
	}
	by := rec.AppliedBy + " (" + note + ")"
	if r := []rune(by); len(r) > maxAppliedBy {
		by = string(r[:maxAppliedBy-2]) + "…)"
	}
	if err := s.update(ctx, "gate override", version, "applied_by = ?", by); err != nil {
		return err
	}
	// And an event of its own in the event log, with the note.
	return s.RecordEvent(ctx, version, EventGateOverride, note)
}
