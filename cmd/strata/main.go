// Command strata is a declarative schema migration tool for MySQL, MariaDB
// and SQLite: describe tables in HCL, plan the difference against a live
// database, apply it, and keep every applied plan as a versioned revision.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(runMain())
}

// runMain runs the CLI as a process: arguments, streams and signals of
// its own (the tests' strata binary runs it too).
func runMain() int {
	ctx, stop := interruptContext(context.Background())
	defer stop()
	return run(ctx, os.Args[1:], newSystemIO())
}

// interruptContext is cancelled by the first Ctrl-C (or SIGTERM): a run
// then stops at its next safe point, letting a running statement finish. A
// second one exits at once; crash safety (the per-statement records) makes
// that as safe as a kill.
func interruptContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-done:
			return
		}
		select {
		case <-sigs:
			fmt.Fprintln(os.Stderr, "\nSecond interrupt: exiting now. A statement that was running may still finish on the server; a rerun of the command settles it.")
			os.Exit(130)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}
