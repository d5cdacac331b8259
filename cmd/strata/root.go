package main

import (
	"context"
	"errors"
	"io"
	"log"
	"runtime/debug"

	driver "github.com/go-sql-driver/mysql"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
)

// globalOptions are the flags every command takes.
type globalOptions struct {
	Env    string
	URL    string
	Schema string
	Dir    string
	// Target picks one database of a fleet environment (a targets block).
	Target string
	// MaxCountRows bounds the live-data checks of plan and apply.
	MaxCountRows int64
}

// app is one run of the CLI: its IO, its global flags, and the HCL files it
// has read (kept for diagnostics).
type app struct {
	io   *IO
	opts globalOptions
	// parallel is --parallel of apply and rollback: how many statements
	// of unrelated tables may run at once.
	parallel int
	// schemaFiles are the files loadDesired read the schema through (nil
	// before): their exclude patterns are not read twice.
	schemaFiles *config.Files
}

// run builds a fresh command tree, runs it and returns the exit code.
func run(ctx context.Context, args []string, sio *IO) int {
	// The driver logs connection trouble on its own; Strata reports every
	// error once, in its own words.
	driver.SetLogger(log.New(io.Discard, "", 0))
	a := &app{io: sio}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(sio.In)
	root.SetOut(sio.Out)
	root.SetErr(sio.Err)
	err := root.ExecuteContext(ctx)
	if err != nil && ctx.Err() != nil {
		err = interruptedError(err, a.opts.Env)
	}
	if err != nil {
		printError(sio.Err, err, sio.Color())
	}
	return exitCode(err)
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "strata",
		Short: "Declarative schema migrations for MySQL, MariaDB and SQLite",
		Long: `Strata keeps a database schema in HCL. It plans the difference between
schema.hcl and a live database, applies it, and records every applied plan
as a versioned revision in migrations/.`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: true},
		Version:           versionText(debug.ReadBuildInfo()),
	}
	root.SetVersionTemplate("{{.Version}}")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError(c, err)
	})
	f := root.PersistentFlags()
	f.StringVar(&a.opts.Env, "env", "", "environment to use: reads environments/`NAME`.hcl")
	f.StringVar(&a.opts.URL, "url", "", "database `URL` (mysql://user:pass@host:3306/db, postgres://user:pass@host:5432/db or sqlite://path.db) instead of --env")
	f.StringVar(&a.opts.Schema, "schema", "", "desired schema: an .hcl file or a directory of them (default: the environment's, else ./schema.hcl)")
	f.Int64Var(&a.opts.MaxCountRows, "max-count-rows", defaultMaxCountRows, "size hazards by counting rows only in tables of at most `N` rows (server estimate); 0 counts everywhere, -1 never")
	f.StringVar(&a.opts.Target, "target", "", "one database `NAME` of a fleet environment (targets block) to work on alone")
	f.StringVar(&a.opts.Dir, "dir", "", "directory of revisions (default: the environment's migrations_dir, else ./migrations)")

	root.AddCommand(
		newInitCmd(a),
		newInspectCmd(a),
		newPlanCmd(a),
		newApplyCmd(a),
		newValidateCmd(a),
		newFmtCmd(a),
		newStatusCmd(a),
		newHistoryCmd(a),
		newCurrentCmd(a),
		newRollbackCmd(a),
		newDriftCmd(a),
		newRehashCmd(a),
		newRevisionCmd(a),
		newBaselineCmd(a),
		newLintCmd(a),
	)
	registerCompletions(root)
	return root
}

// usageError reports a wrong flag or argument with the command's usage line.
func usageError(c *cobra.Command, err error) error {
	return &exitCodeError{code: exitError, msg: err.Error() + "\nSee '" + c.CommandPath() + " --help'."}
}

var errNoTarget = errors.New("no database given: pass --env NAME (reads environments/NAME.hcl) or --url URL")
