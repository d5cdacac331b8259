package main

import (
	"bufio"
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
	User   string
}

func newSystemIO() *IO {
	return &IO{
		In:     os.Stdin,
		Out:    os.Stdout,
		Err:    os.Stderr,
		Getenv: os.LookupEnv,
		Now:    time.Now,
		InTTY:  isatty.IsTerminal(os.Stdin.Fd()) || isatty.IsCygwinTerminal(os.Stdin.Fd()),
		OutTTY: isatty.IsTerminal(os.Stdout.Fd()) || isatty.IsCygwinTerminal(os.Stdout.Fd()),
		ErrTTY: isatty.IsTerminal(os.Stderr.Fd()) || isatty.IsCygwinTerminal(os.Stderr.Fd()),
		User:   currentUser(),
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

// Confirm asks question and reports whether the answer was exactly "yes".
func (s *IO) Confirm(question string) (bool, error) {
	io.WriteString(s.Err, question)
	io.WriteString(s.Err, "\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
	line, err := bufio.NewReader(s.In).ReadString('\n')
	if err != nil && line == "" {
		io.WriteString(s.Err, "\n")
		return false, nil
	}
	io.WriteString(s.Err, "\n")
	return strings.TrimSpace(line) == "yes", nil
}
