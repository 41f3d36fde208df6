// Package lockedbuf provides a bytes.Buffer that one goroutine may write
// while others read it: the destination tests give to loggers and to the
// output of processes and servers they start.
package lockedbuf

import (
	"bytes"
	"context"
	"strings"
	"sync"
)

// Buffer is a bytes.Buffer guarded by a mutex. The zero value is empty
// and ready to use.
type Buffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	written chan struct{} // closed and replaced by each Write; nil until a Wait
}

// Write appends p to the buffer and wakes the callers of WaitLine.
func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.written != nil {
		close(l.written)
		l.written = nil
	}
	return l.b.Write(p)
}

// String returns what was written so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Lines returns the lines written so far that contain s, trimmed of
// surrounding white space.
func (l *Buffer) Lines(s string) []string {
	var out []string
	for line := range strings.Lines(l.String()) {
		if strings.Contains(line, s) {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

// WaitLine waits until a line written so far satisfies match and returns
// it; it returns "" and false when ctx ends first.
func (l *Buffer) WaitLine(ctx context.Context, match func(line string) bool) (string, bool) {
	for {
		l.mu.Lock()
		text := l.b.String()
		if l.written == nil {
			l.written = make(chan struct{})
		}
		written := l.written
		l.mu.Unlock()
		for line := range strings.Lines(text) {
			if match(line) {
				return line, true
			}
		}
		select {
		case <-written:
		case <-ctx.Done():
			return "", false
		}
	}
}
