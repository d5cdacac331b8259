// Package osc hands statements that copy a big table to an online schema
// change engine: Percona's pt-online-schema-change, gh-ost (MySQL only), or
// a command of the user's. Strata never copies rows itself: the engine
// builds the altered copy, keeps it in step with the original through
// triggers (or the binlog), and swaps the two; this package starts it with
// the connection's password in a 0600 options file, relays its progress,
// judges its outcome, and tells a dead engine's leftovers from a running
// one.
package osc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Engines.
const (
	PTOSC   = "pt-osc"
	Ghost   = "gh-ost"
	Command = "command"
)

// Engine is an environment's online schema change engine.
type Engine struct {
	Kind    string   // PTOSC, Ghost or Command
	Command string   // Command's command line, with placeholders
	Args    []string // extra arguments for pt-osc or gh-ost
	MinSize int64    // tables of at least this many bytes go to the engine
	// Binary overrides the engine's program ("" looks it up on PATH).
	Binary string
}

// Name is the engine's name for messages.
func (e *Engine) Name() string {
	if e.Kind == Command {
		return "the online_schema_change command"
	}
	return e.Kind
}

// Conn is how the engine reaches the database.
type Conn struct {
	Host     string
	Port     int
	Socket   string // unix socket, "" for TCP
	User     string
	Password string // reaches the engine only through the options file
	Schema   string
}

// Job is one table's change.
type Job struct {
	Table   string
	Clauses string // the ALTER TABLE clauses, without ALGORITHM or LOCK
	DDL     string // the whole statement, for commands that want it
	Size    int64  // the table's bytes, data and indexes
	// Renames says that Strata planned a column rename among the clauses:
	// only then does pt-osc get --no-check-alter, its approval of renames.
	Renames bool
}

// EnvMarker is the variable every engine process (and its children) is
// started with, naming schema.table: a rerun finds a live engine of a
// table by it (Running).
const EnvMarker = "STRATA_OSC_TABLE"

// tailLines is how many of the engine's last lines a failure names.
const tailLines = 8

// Error is an engine run that failed: its exit and its last lines.
type Error struct {
	Engine string
	Table  string
	Exit   string   // "exit status 1", "no success line", ...
	Last   []string // the engine's last lines
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s did not alter table %s (%s)", e.Engine, quote(e.Table), e.Exit)
	if len(e.Last) > 0 {
		msg += "; its last lines:\n    " + strings.Join(e.Last, "\n    ")
	}
	return msg
}

func quote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

// Run runs the engine on one table and waits for it. Every line it prints
// goes to line as it comes (progress included); success needs exit status
// 0 and, for pt-osc and gh-ost, the engine's own line saying it is done.
// A cancelled ctx sends the engine SIGTERM (pt-osc then drops its triggers
// and copy); the engine also gets SIGTERM when Strata's process dies.
func (e *Engine) Run(ctx context.Context, c Conn, j Job, line func(string)) error {
	dir, err := os.MkdirTemp("", "strata-osc-")
	if err != nil {
		return fmt.Errorf("online schema change: temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	defaults, err := writeDefaults(dir, c)
	if err != nil {
		return err
	}
	argv, err := e.argv(c, j, defaults, dir)
	if err != nil {
		return err
	}
	// Pdeathsig is tied to the thread that started the child: keep this
	// goroutine on it until the engine has ended.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), EnvMarker+"="+c.Schema+"."+j.Table)
	cmd.SysProcAttr = sysProcAttr()
	cmd.Stdin = nil
	// A command's background child may keep the output open after the
	// command ended: stop waiting for it then.
	cmd.WaitDelay = 5 * time.Second
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		pw.Close()
		return fmt.Errorf("start %s: %w", e.Name(), err)
	}
	var (
		mu   sync.Mutex
		last []string
		ok   bool
	)
	success := e.successLine(c, j)
	read := make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			l := strings.TrimRight(sc.Text(), "\r")
			mu.Lock()
			last = append(last, l)
			if len(last) > tailLines {
				last = last[1:]
			}
			if success != nil && success.MatchString(l) {
				ok = true
			}
			mu.Unlock()
			if line != nil {
				line(l)
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait(); pw.Close() }()
	var werr error
	select {
	case werr = <-waited:
	case <-ctx.Done():
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case werr = <-waited:
		case <-time.After(time.Minute):
			_ = cmd.Process.Kill()
			werr = <-waited
		}
	}
	<-read
	mu.Lock()
	defer mu.Unlock()
	fail := &Error{Engine: e.Name(), Table: j.Table, Last: append([]string(nil), last...)}
	switch {
	case werr != nil:
		fail.Exit = werr.Error()
		if ctx.Err() != nil {
			fail.Exit += ", stopped by a signal"
		}
		return fail
	case success != nil && !ok:
		fail.Exit = "exit status 0 without its success line"
		return fail
	}
	return nil
}

// successLine is the line the engine prints last when the table was
// altered; nil for a custom command (its exit status decides).
func (e *Engine) successLine(c Conn, j Job) *regexp.Regexp {
	switch e.Kind {
	case PTOSC:
		return regexp.MustCompile(`^Successfully altered ` + regexp.QuoteMeta(quote(c.Schema)+"."+quote(j.Table)) + `\.$`)
	case Ghost:
		return regexp.MustCompile(`^# Done\s*$`)
	}
	return nil
}

// argv is the engine's command line. It never holds the password.
func (e *Engine) argv(c Conn, j Job, defaults, dir string) ([]string, error) {
	bin := e.Binary
	switch e.Kind {
	case PTOSC:
		if bin == "" {
			bin = "pt-online-schema-change"
		}
		dsn := []string{"D=" + dsnValue(c.Schema), "t=" + dsnValue(j.Table)}
		if c.Socket != "" {
			dsn = append(dsn, "S="+dsnValue(c.Socket))
		} else {
			dsn = append(dsn, "h="+dsnValue(c.Host), "P="+strconv.Itoa(c.Port))
		}
		args := []string{bin, "--defaults-file=" + defaults, "--alter", j.Clauses, "--execute",
			"--progress", "percentage,1"}
		if j.Renames {
			args = append(args, "--no-check-alter")
		}
		args = append(args, ptOSCDefaults(e.Args)...)
		return append(args, strings.Join(dsn, ",")), nil
	case Ghost:
		if bin == "" {
			bin = "gh-ost"
		}
		args := []string{bin, "--conf=" + defaults, "--database=" + c.Schema, "--table=" + j.Table,
			"--alter=" + j.Clauses, "--execute", "--allow-on-master", "--assume-rbr",
			"--serve-socket-file=" + filepath.Join(dir, "gh-ost.sock"),
			"--postpone-cut-over-flag-file=" + filepath.Join(dir, "gh-ost.postpone")}
		if c.Socket != "" {
			args = append(args, "--host=localhost", "--socket="+c.Socket)
		} else {
			args = append(args, "--host="+c.Host, "--port="+strconv.Itoa(c.Port))
		}
		return append(args, e.Args...), nil
	case Command:
		return []string{"/bin/sh", "-c", Expand(e.Command, c, j, defaults)}, nil
	}
	return nil, fmt.Errorf("unknown online schema change engine %q", e.Kind)
}

// ptOSCWriterDefaults keep the application's writers fast while pt-osc
// works: each of its metadata-locking statements (CREATE TRIGGER, the
// RENAME of the swap, DROP TRIGGER) gives up after 1 s instead of pt-osc's
// default 60 s, during which every writer queues behind it, and is tried
// again, up to 20 times a second apart.
var ptOSCWriterDefaults = []struct{ option, item string }{
	{"--set-vars", "lock_wait_timeout=1"},
	{"--tries", "create_triggers:20:1"},
	{"--tries", "swap_tables:20:1"},
	{"--tries", "drop_triggers:20:1"},
}

// ptOSCDefaults is args with ptOSCWriterDefaults added where args do not
// set the same item (a variable of --set-vars, an operation of --tries):
// into the user's own option when there is one, as a new option otherwise.
func ptOSCDefaults(args []string) []string {
	out := slices.Clone(args)
	var extra []string // options args lack, in order: "--tries", ...
	add := map[string][]string{}
	for _, d := range ptOSCWriterDefaults {
		at, value := optionValueAt(out, d.option)
		if at >= 0 && hasItem(value, d.item) {
			continue
		}
		if _, ok := add[d.option]; !ok {
			extra = append(extra, d.option)
		}
		add[d.option] = append(add[d.option], d.item)
	}
	for _, opt := range extra {
		items := strings.Join(add[opt], ",")
		switch at, value := optionValueAt(out, opt); {
		case at < 0:
			out = append(out, opt, items)
		case strings.HasPrefix(out[at], opt+"="):
			out[at] = opt + "=" + value + "," + items
		default:
			out[at] = value + "," + items
		}
	}
	return out
}

// optionValueAt finds the last --option of args ("--option=v" or
// "--option v"): the index of the argument holding its value, and the
// value; -1 when args have none.
func optionValueAt(args []string, option string) (int, string) {
	at, value := -1, ""
	for i, a := range args {
		switch {
		case strings.HasPrefix(a, option+"="):
			at, value = i, strings.TrimPrefix(a, option+"=")
		case a == option && i+1 < len(args):
			at, value = i+1, args[i+1]
		}
	}
	return at, value
}

// hasItem reports whether a comma-separated list sets what item sets: the
// same variable (before "=") or operation (before ":").
func hasItem(list, item string) bool {
	key := func(s string) string {
		return strings.TrimSpace(strings.SplitN(strings.SplitN(s, "=", 2)[0], ":", 2)[0])
	}
	for _, it := range strings.Split(list, ",") {
		if key(it) == key(item) {
			return true
		}
	}
	return false
}

// dsnValue escapes a value of a pt-osc DSN, where "," separates parts.
func dsnValue(v string) string { return strings.ReplaceAll(v, ",", `\,`) }

var placeholder = regexp.MustCompile(`\{([A-Z_]+)\}`)

// Expand replaces a custom command's placeholders with shell-quoted
// values. {DEFAULTS_FILE} is the options file holding user and password;
// the password itself has no placeholder.
func Expand(command string, c Conn, j Job, defaults string) string {
	host := c.Host
	if c.Socket != "" {
		host = "localhost"
	}
	vals := map[string]string{
		"HOST": host, "PORT": strconv.Itoa(c.Port), "USER": c.User, "SCHEMA": c.Schema, "TABLE": j.Table,
		"CLAUSES": j.Clauses, "DDL": j.DDL, "SIZE": strconv.FormatInt(j.Size, 10), "DEFAULTS_FILE": defaults,
	}
	return placeholder.ReplaceAllStringFunc(command, func(m string) string {
		v, ok := vals[m[1:len(m)-1]]
		if !ok {
			return m // the environment's loader refuses unknown ones
		}
		return ShellQuote(v)
	})
}

// ShellQuote quotes s as one word for /bin/sh.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,:/=@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeDefaults writes the MySQL options file, readable by its owner only,
// that gives the engine its user and password.
func writeDefaults(dir string, c Conn) (string, error) {
	path := filepath.Join(dir, "client.cnf")
	var b strings.Builder
	b.WriteString("[client]\n")
	fmt.Fprintf(&b, "user=%s\n", optionValue(c.User))
	if c.Password != "" {
		fmt.Fprintf(&b, "password=%s\n", optionValue(c.Password))
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("online schema change: options file: %w", err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return "", fmt.Errorf("online schema change: options file: %w", err)
	}
	return path, f.Close()
}

// optionValue quotes a value of a MySQL options file: inside double quotes
// the client reads \\ and \" as the characters.
func optionValue(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(v) + `"`
}

// Running returns the process id of an engine still working on
// schema.table on this machine (one started with EnvMarker for it), 0 when
// there is none. Processes of other users may be unreadable: run Strata as
// the same user as the engine.
func Running(schemaName, table string) int {
	want := []byte(EnvMarker + "=" + schemaName + "." + table + "\x00")
	procs, _ := filepath.Glob("/proc/[0-9]*/environ")
	self := os.Getpid()
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(b)+"\x00", string(want)) {
			continue
		}
		pid, err := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		if err == nil && pid != self {
			return pid
		}
	}
	return 0
}

// ErrMariaDBGhost is why gh-ost is refused on MariaDB.
var ErrMariaDBGhost = errors.New(`gh-ost does not run against MariaDB: it stops with "Unknown system variable 'transaction_isolation'" (gh-ost 1.1.6 on MariaDB 10.11); use engine = "pt-osc"`)
