package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// cliResult is what one in-process run of the CLI produced.
type cliResult struct {
	Code     int
	Out, Err string
}

// runCLI runs strata in-process with the given arguments, no terminal, and
// an environment made of env ("KEY=value" entries). Paths in args should be
// absolute: the working directory is the test's.
func runCLI(t testing.TB, env []string, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	sio := &IO{
		In:     strings.NewReader(""),
		Out:    &out,
		Err:    &errb,
		Getenv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
		Now:    time.Now,
		User:   "tester",
	}
	code := run(context.Background(), args, sio)
	return cliResult{Code: code, Out: out.String(), Err: errb.String()}
}
