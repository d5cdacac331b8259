package main

import (
	"bytes"
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
