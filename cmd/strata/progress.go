package main

import (
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

	mu      sync.Mutex
	line    string
	started time.Time
	stop    chan struct{}
	done    chan struct{}
	// begun is when each statement of a parallel run started (see
	// Finished); nil otherwise.
	begun map[int]time.Time
}

func (a *app) newProgress(label string) *progress {
	return &progress{w: a.io.Err, live: a.io.ErrTTY, label: label, now: a.io.Now}
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
	if !p.live {
		fmt.Fprintln(p.w, p.line)
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K"+p.line)
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
			fmt.Fprintf(p.w, "\r\x1b[K%s (%s)", p.line, p.now().Sub(p.started).Round(time.Second))
			p.mu.Unlock()
		}
	}
}

// finish ends the live line of the statement that ran, with its time.
func (p *progress) finish() {
	p.mu.Lock()
	stop, done := p.stop, p.done
	p.stop, p.done = nil, nil
	p.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	<-done
	p.mu.Lock()
	fmt.Fprintf(p.w, "\r\x1b[K%s (%s)\n", p.line, p.now().Sub(p.started).Round(time.Millisecond))
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
func (p *progress) Done() { p.finish() }
