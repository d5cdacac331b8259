package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stratadb/strata/revision"
)

// TestInterruptedError: after Ctrl-C no "context canceled" reaches the
// user, while a run's own account of where it stopped is kept.
func TestInterruptedError(t *testing.T) {
	partial := &revision.PartialError{Version: "20261207000000", Done: 1, Total: 2, Err: fmt.Errorf("%w", revision.ErrInterrupted)}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"wrapped", fmt.Errorf("inspect mysql://u:***@h/db: %w", context.Canceled), "interrupted: stopped before its next step"},
		{"as text", fmt.Errorf("connect to h:3306: %v", context.Canceled), "interrupted: stopped before its next step"},
		{"partial", partial, "interrupted: apply of revision 20261207000000 stopped after 1 of 2 statements"},
		{"cancelled prompt", &exitCodeError{code: exitError, msg: "Apply cancelled: interrupted at the prompt; nothing was changed."}, "Apply cancelled"},
		{"other", errors.New("lock wait: boom"), "lock wait: boom"},
	}
	// With an environment, the way to see where it stands names it.
	if got := interruptedError(context.Canceled, "prod").Error(); !strings.HasSuffix(got, "'strata status --env prod' shows where the environment stands") {
		t.Errorf("with --env prod: %q", got)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := interruptedError(tt.err, "").Error()
			if !strings.HasPrefix(got, tt.want) || strings.Contains(got, "context canceled") {
				t.Errorf("got %q, want it to start with %q", got, tt.want)
			}
		})
	}
}
