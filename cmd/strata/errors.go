package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/stratadb/strata/revision"
)

// Exit codes.
const (
	exitOK      = 0
	exitError   = 1
	exitChanges = 2 // plan --detailed-exitcode: changes pending
	// exitPartial: a fleet run (apply, rollback on many databases) changed
	// some targets and not others (failed or not started).
	exitPartial = 3
)

// exitCodeError ends a command with a specific exit code; its message (if
// any) has been printed already or is printed by run.
type exitCodeError struct {
	code int
	msg  string
}

func (e *exitCodeError) Error() string { return e.msg }

// silentError marks an error whose explanation was already written (e.g.
// HCL diagnostics): run prints nothing more.
var errSilent = &exitCodeError{code: exitError}

// exitCode maps an error to the process exit code, in one place.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ec *exitCodeError
	if errors.As(err, &ec) {
		return ec.code
	}
	return exitError
}

func printError(w io.Writer, err error, color bool) {
	var ec *exitCodeError
	if errors.As(err, &ec) && ec.msg == "" {
		return
	}
	prefix := "Error: "
	if color {
		prefix = "\x1b[1;31mError:\x1b[0m "
	}
	if line, ok := explainError(err); ok {
		// A privilege or read-only problem is the user's to fix outside
		// Strata: say that in one line rather than the driver's text.
		fmt.Fprintf(w, "%s%s\n", prefix, line)
		return
	}
	fmt.Fprintf(w, "%s%v\n", prefix, err)
}

// interruptedError words an error that Ctrl-C (or SIGTERM) caused: "context
// canceled" from wherever the run was (inspecting, planning, counting rows)
// never reaches the user; a run of statements says itself where it stopped.
func interruptedError(err error, env string) error {
	var pe *revision.PartialError
	var ec *exitCodeError
	if errors.As(err, &pe) || errors.As(err, &ec) {
		return err
	}
	if !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), context.Canceled.Error()) {
		return err
	}
	status := "'strata status'"
	if env != "" {
		status = "'strata status --env " + env + "'"
	}
	return errors.New("interrupted: stopped before its next step, with no statement cut off part-way. " + status + " shows where the environment stands")
}

// interruptedBetween is the end of a run of revisions that Ctrl-C stopped
// after done of n: the last one finished, the next did not start; next is
// the command that does the rest.
func interruptedBetween(t *target, done, n int, verb, next string) error {
	return fmt.Errorf("interrupted: %d of %s %s %s, none cut off part-way; the rest did not start. '%s' does the rest",
		done, plural(n, "revision"), verb, t.Name, next)
}
