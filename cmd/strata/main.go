// Command strata is a declarative schema migration tool for MySQL, MariaDB
// and SQLite: describe tables in HCL, plan the difference against a live
// database, apply it, and keep every applied plan as a versioned revision.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], newSystemIO())
	stop()
	os.Exit(code)
}
