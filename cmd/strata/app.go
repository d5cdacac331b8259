package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
)

// IO is what a command may touch of the outside world: streams, the
// environment, the clock and whether we talk to a person at a terminal. Tests
// build their own.
type IO struct {
	In     io.Reader
	Out    io.Writer // data: plans, HCL, tables
	Err    io.Writer // status, prompts, errors
	Getenv func(string) (string, bool)
	Now    func() time.Time
	// InTTY and OutTTY say whether stdin/stdout are terminals: prompts need
	// a terminal on stdin (they are written to stderr, so stdout may be
	// redirected to a log); colour needs OutTTY and no NO_COLOR.
	InTTY, OutTTY bool
	// ErrTTY says whether stderr is a terminal: progress lines are live.
	ErrTTY bool
	// ErrWidth returns the columns of the terminal stderr is (0: unknown),
	// asked when a live line is drawn, so that a resized window is
	// followed. nil is unknown.
	ErrWidth func() int
	User     string
}

func newSystemIO() *IO {
	return &IO{
		In:       os.Stdin,
		Out:      os.Stdout,
		Err:      os.Stderr,
		Getenv:   os.LookupEnv,
		Now:      time.Now,
		InTTY:    isatty.IsTerminal(os.Stdin.Fd()) || isatty.IsCygwinTerminal(os.Stdin.Fd()),
		OutTTY:   isatty.IsTerminal(os.Stdout.Fd()) || isatty.IsCygwinTerminal(os.Stdout.Fd()),
		ErrTTY:   isatty.IsTerminal(os.Stderr.Fd()) || isatty.IsCygwinTerminal(os.Stderr.Fd()),
		ErrWidth: func() int { return terminalWidth(os.Stderr) },
		User:     currentUser(),
	}
}

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if name := os.Getenv("USER"); name != "" {
		return name
	}
	return "unknown"
}

// Color reports whether text output may use ANSI colours.
func (s *IO) Color() bool {
	if _, set := s.Getenv("NO_COLOR"); set {
		return false
	}
	if term, _ := s.Getenv("TERM"); term == "dumb" {
		return false
	}
	return s.OutTTY
}

// CanPrompt reports whether we can ask the person at the terminal.
func (s *IO) CanPrompt() bool { return s.InTTY }

// errPromptInterrupted is Confirm's answer to Ctrl-C at the prompt.
var errPromptInterrupted = errors.New("interrupted at the prompt")

// Confirm asks question and reports whether the answer was exactly "yes".
// Ctrl-C while it waits (ctx cancelled) ends the wait at once with
// errPromptInterrupted.
func (s *IO) Confirm(ctx context.Context, question string) (bool, error) {
	io.WriteString(s.Err, question)
	io.WriteString(s.Err, "\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
	type answer struct {
		line string
		err  error
	}
	// The read cannot be cancelled: it goes on in its goroutine, which
	// ends with the process.
	got := make(chan answer, 1)
	go func() {
		line, err := bufio.NewReader(s.In).ReadString('\n')
		got <- answer{line, err}
	}()
	select {
	case <-ctx.Done():
		io.WriteString(s.Err, "\n")
		return false, errPromptInterrupted
	case a := <-got:
		io.WriteString(s.Err, "\n")
		if a.err != nil && a.line == "" {
			return false, nil
		}
		return strings.TrimSpace(a.line) == "yes", nil
	}
}
