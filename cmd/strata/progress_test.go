package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestProgress_plainLines(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, now: time.Now}
	p.Statement(0, 2, "CREATE TABLE `a` (\n  id int\n)")
	p.Statement(1, 2, "DROP TABLE `b`")
	p.Done()
	want := "[1/2] CREATE TABLE `a` ( ...\n[2/2] DROP TABLE `b`\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestProgress_liveLineEndsWithItsTime(t *testing.T) {
	var b bytes.Buffer
	clock := time.Unix(0, 0)
	p := &progress{w: &b, live: true, now: func() time.Time { return clock }}
	p.Statement(0, 1, "ALTER TABLE `t` ADD COLUMN `c` int")
	clock = clock.Add(1500 * time.Millisecond)
	p.Done()
	out := b.String()
	if !strings.HasPrefix(out, "\r\x1b[K[1/1] ALTER TABLE") || !strings.HasSuffix(out, "(1.5s)\n") {
		t.Errorf("live output %q", out)
	}
}

func TestProgress_parallelSaysWhenEachEnds(t *testing.T) {
	var b bytes.Buffer
	clock := time.Unix(0, 0)
	p := &progress{w: &b, live: true, label: "  ", now: func() time.Time { return clock }}
	p.parallel()
	p.Statement(0, 2, "ALTER TABLE `a` ADD INDEX `k` (`x`)")
	clock = clock.Add(time.Second)
	p.Statement(1, 2, "ALTER TABLE `b` ADD INDEX `k` (`x`)")
	clock = clock.Add(500 * time.Millisecond)
	p.Finished(1, 2)
	clock = clock.Add(2 * time.Second)
	p.Finished(0, 2)
	p.Done()
	want := "  [1/2] ALTER TABLE `a` ADD INDEX `k` (`x`)\n" +
		"  [2/2] ALTER TABLE `b` ADD INDEX `k` (`x`)\n" +
		"  [2/2] done (500ms)\n" +
		"  [1/2] done (3.5s)\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// TestProgress_liveLineFitsTheTerminal: a live line longer than the
// terminal is cut to its width with room for the elapsed time, so that
// "\r" redraws the whole of it.
func TestProgress_liveLineFitsTheTerminal(t *testing.T) {
	for _, width := range []int{40, 80, 200} {
		var b bytes.Buffer
		clock := time.Unix(0, 0)
		p := &progress{w: &b, live: true, label: "  ", now: func() time.Time { return clock }, width: func() int { return width }}
		p.Statement(0, 1, "ALTER TABLE `a_rather_long_table_name` ADD COLUMN `c` int(11) NULL DEFAULT NULL AFTER `b`, ALGORITHM=INSTANT")
		clock = clock.Add(61 * time.Minute)
		p.Done()
		for _, line := range strings.Split(b.String(), "\r\x1b[K") {
			line = strings.TrimSuffix(line, "\n")
			if n := len([]rune(line)); n >= width {
				t.Errorf("width %d: a line of %d columns: %q", width, n, line)
			}
		}
		if width == 200 && !strings.Contains(b.String(), "ALGORITHM=INSTANT (1h1m0s)") {
			t.Errorf("width 200: the line was cut: %q", b.String())
		}
		if width == 40 && !strings.Contains(b.String(), "…") {
			t.Errorf("width 40: no mark of the cut: %q", b.String())
		}
	}
}

// TestProgress_interruptAcknowledged: Ctrl-C (the context ends) during a
// statement is said at once, above the live line.
func TestProgress_interruptAcknowledged(t *testing.T) {
	b := &liveOutput{}
	ctx, cancel := context.WithCancel(context.Background())
	a := &app{io: &IO{Err: b, ErrTTY: false, Now: time.Now}}
	p := a.newProgress(ctx, "")
	p.Statement(0, 2, "ALTER TABLE `t` ADD COLUMN `c` int")
	cancel()
	deadline := time.Now().Add(time.Second)
	for !strings.Contains(b.String(), "Interrupt received") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	p.Done()
	if !strings.Contains(b.String(), "Interrupt received: letting the running statement finish") {
		t.Errorf("no acknowledgement: %q", b.String())
	}
}
