package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// progress shows which statement of a run is executing. On a terminal the
// line stays live: its elapsed time ticks until the statement ends, so a
// long ALTER visibly progresses. Elsewhere (logs, CI) each statement is one
// plain line, "[i/n] SQL", written when it starts.
type progress struct {
	w     io.Writer
	live  bool
	label string
	now   func() time.Time
	// width returns the terminal's columns (0 or nil: unknown): a live
	// line longer than that would wrap, and "\r" would then redraw only
	// its last row.
	width func() int
	// stopAck unregisters the interrupt acknowledgement.
	stopAck func() bool
	acked   bool
	// waiting, when set, says what the running statement waits for (a
	// lock another session holds), "" when nothing; asked once it has run
	// waitCheck, its answer is said once (see watch).
	waiting func(ctx context.Context) string
	wstop   chan struct{}

	mu      sync.Mutex
	line    string
	started time.Time
	stop    chan struct{}
	done    chan struct{}
	// begun is when each statement of a parallel run started (see
	// Finished); nil otherwise.
	begun map[int]time.Time
}

// newProgress starts the progress display of a run. When ctx ends while it
// runs (Ctrl-C), it says at once what happens: the running statement is
// let finish, the rest does not run.
func (a *app) newProgress(ctx context.Context, label string) *progress {
	p := &progress{w: a.io.Err, live: a.io.ErrTTY, label: label, now: a.io.Now, width: a.io.ErrWidth}
	p.stopAck = context.AfterFunc(ctx, p.interrupted)
	return p
}

// interrupted acknowledges Ctrl-C during the run.
func (p *progress) interrupted() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.acked {
		return
	}
	p.acked = true
	what := "the running statement"
	if p.begun != nil {
		what = "the running statements"
	}
	msg := "Interrupt received: letting " + what + " finish (DDL cannot be stopped safely part-way); nothing more will start. Press Ctrl-C again to exit at once."
	if p.stop != nil {
		// Above the live line, which goes on ticking below it.
		fmt.Fprint(p.w, "\r\x1b[K"+msg+"\n"+p.fit(p.line))
		return
	}
	fmt.Fprintln(p.w, msg)
}

// fit cuts a live line to the terminal's width, leaving room for the
// elapsed time that follows it (" (59m59s)").
func (p *progress) fit(line string) string {
	if p.width == nil {
		return line
	}
	w := p.width()
	if w <= 0 {
		return line
	}
	const room = len(" (59m59s)") + 1
	max := w - room
	if max < 10 {
		max = 10
	}
	r := []rune(line)
	if len(r) <= max {
		return line
	}
	return string(r[:max-1]) + "…"
}

// Statement reports that statement i (0-based) of n starts.
func (p *progress) Statement(i, n int, sql string) {
	p.finish()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.line = fmt.Sprintf("%s[%d/%d] %s", p.label, i+1, n, firstLine(sql))
	p.started = p.now()
	if p.begun != nil {
		p.begun[i] = p.started
	}
	if p.waiting != nil && p.begun == nil {
		p.wstop = make(chan struct{})
		go p.watch(p.wstop)
	}
	if !p.live {
		fmt.Fprintln(p.w, p.line)
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K"+p.fit(p.line))
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go p.tick(p.stop, p.done)
}

func (p *progress) tick(stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			fmt.Fprintf(p.w, "\r\x1b[K%s (%s)", p.fit(p.line), p.now().Sub(p.started).Round(time.Second))
			p.mu.Unlock()
		}
	}
}

// waitCheck is how long a statement runs before the run asks what it
// waits for; waitRecheck how often after that, until it says.
var waitCheck, waitRecheck = 2 * time.Second, 5 * time.Second

// watch says, once, what the running statement waits for when it waits
// for a lock: a statement held up by another session's transaction would
// otherwise sit silent for up to the server's lock timeout.
func (p *progress) watch(stop chan struct{}) {
	delay := waitCheck
	for {
		select {
		case <-stop:
			return
		case <-time.After(delay):
		}
		delay = waitRecheck
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		msg := p.waiting(ctx)
		cancel()
		if msg == "" {
			continue
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		select {
		case <-stop:
			return // the statement ended meanwhile
		default:
		}
		if p.stop != nil {
			// Above the live line, which goes on ticking below it.
			fmt.Fprint(p.w, "\r\x1b[K"+p.label+msg+"\n"+p.fit(p.line))
		} else {
			fmt.Fprintln(p.w, p.label+msg)
		}
		return
	}
}

// note says msg on a line of its own, above the live line when there is
// one.
func (p *progress) note(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		fmt.Fprint(p.w, "\r\x1b[K"+p.label+msg+"\n"+p.fit(p.line))
		return
	}
	fmt.Fprintln(p.w, p.label+msg)
}

// finish ends the live line of the statement that ran, with its time.
func (p *progress) finish() {
	p.mu.Lock()
	if p.wstop != nil {
		close(p.wstop)
		p.wstop = nil
	}
	stop, done := p.stop, p.done
	p.stop, p.done = nil, nil
	p.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	<-done
	p.mu.Lock()
	fmt.Fprintf(p.w, "\r\x1b[K%s (%s)\n", p.fit(p.line), p.now().Sub(p.started).Round(time.Millisecond))
	p.mu.Unlock()
}

// parallel switches to the display of a parallel run: a plain line when
// each statement starts and one when it ends, as several run at once.
func (p *progress) parallel() {
	p.live = false
	p.begun = map[int]time.Time{}
}

// Finished reports that statement i of n of a parallel run succeeded.
func (p *progress) Finished(i, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "%s[%d/%d] done (%s)\n", p.label, i+1, n, p.now().Sub(p.begun[i]).Round(time.Millisecond))
}

// Done ends the run's progress display.
func (p *progress) Done() {
	if p.stopAck != nil {
		p.stopAck()
	}
	p.finish()
}
