package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/weberr"
)

// Bindings of js/11_blob.js and js/12_body.js.

// checkSize is host.checkSize(n): a QuotaExceededError when a body or
// buffer of n bytes is over the worker's MaxBodyBytes.
func (in *instance) checkSize(n int) {
	if n > in.w.limits.MaxBodyBytes {
		in.throw(weberr.Errorf(weberr.QuotaExceeded, "a body or buffer of %d bytes is over the worker's %d-byte limit", n, in.w.limits.MaxBodyBytes))
	}
}

// Bodies cross between Go and JavaScript as streams, one chunk at a time
// with one chunk in flight (backpressure both ways):
//
//   - a Go body (fetch.Response.Stream) becomes a JavaScript byte stream
//     whose pull reads the next chunk on a goroutine of its own and
//     enqueues it from a loop task (goBody, host.goBodyRead); cancelling
//     the stream closes the Go reader;
//   - a JavaScript ReadableStream given to Go (respondWith) becomes an
//     io.ReadCloser whose Read asks the loop for one chunk and waits for
//     it (jsBody, host.jsBodyChunk); Close cancels the stream, which runs
//     its source's cancel callback.
//
// A Go body a script hands back untouched (respondWith(await fetch(...)))
// goes back to Go as the same reader: no chunk crosses into JavaScript.

// goBodyChunk is the most bytes one pull of a Go body reads.
const goBodyChunk = 256 << 10

// goBody is a Go reader a JavaScript stream reads. Its fields are used
// by one goroutine at a time: the read goroutine while a read is in
// flight (one at a time, as pull is), the loop otherwise.
type goBody struct {
	rc      io.ReadCloser
	scratch []byte
	taken   bool // handed back to Go (goBodyTake): no longer the instance's
	closed  bool
}

// newGoBody wraps rc for a JavaScript stream; the instance closes it when
// it stops, unless Go took it back first.
func (in *instance) newGoBody(rc io.ReadCloser) *goBody {
	b := &goBody{rc: rc}
	if in.goBodies == nil {
		in.goBodies = map[*goBody]bool{}
	}
	in.goBodies[b] = true
	return b
}

// goBodyRead is host.goBodyRead(handle): a promise of the next chunk of
// the Go body (a Uint8Array of its own), null at its end (the reader is
// then closed); a read error rejects it with a TypeError (the stream's
// pull then closes the reader, goBodyCancel).
func (in *instance) goBodyRead(h sobek.Value) sobek.Value {
	b, ok := h.Export().(*goBody)
	if !ok || b.closed || b.taken {
		in.throw(weberr.New(weberr.TypeError, "the body is closed"))
	}
	if rs, ok := b.rc.(*requestStream); ok && !rs.claim() {
		in.throw(weberr.Errorf(weberr.TypeError, "%v", errBodyTakenBack))
	}
	if b.scratch == nil {
		b.scratch = make([]byte, goBodyChunk)
	}
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		for {
			n, err := b.rc.Read(b.scratch)
			if n > 0 {
				// The chunk is copied out of the scratch buffer in the
				// loop task that enqueues it, so that the heap account
				// charges it to this worker; the scratch is not read
				// into again before that (one pull in flight).
				return func() sobek.Value { return in.bytesValue(append([]byte(nil), b.scratch[:n]...)) }, nil
			}
			if err == io.EOF {
				return func() sobek.Value {
					in.closeGoBody(b) // read to its end: the producer is done
					return sobek.Null()
				}, nil
			}
			if err != nil {
				return nil, weberr.Errorf(weberr.TypeError, "reading the body failed: %w", err)
			}
		}
	})
}

// goBodyCancel is host.goBodyCancel(handle): the JavaScript stream was
// cancelled (or its Response dropped by an erroring read); the Go reader
// is closed.
func (in *instance) goBodyCancel(h sobek.Value) {
	if b, ok := h.Export().(*goBody); ok {
		if rs, ok := b.rc.(*requestStream); ok {
			rs.claim() // cancelling disturbs it
		}
		in.closeGoBody(b)
	}
}

func (in *instance) closeGoBody(b *goBody) {
	if b.closed || b.taken {
		return
	}
	b.closed = true
	delete(in.goBodies, b)
	b.rc.Close()
}

// closeGoBodies closes the Go bodies of a stopped instance.
func (in *instance) closeGoBodies() {
	for b := range in.goBodies {
		if !b.taken && !b.closed {
			b.closed = true
			b.rc.Close()
		}
	}
	in.goBodies = nil
}

// bytesValue returns a Uint8Array over b (not copied: b must be the
// caller's own).
func (in *instance) bytesValue(b []byte) sobek.Value {
	o, err := in.rt.New(in.rt.Get("Uint8Array"), in.rt.ToValue(in.rt.NewArrayBuffer(b)))
	if err != nil {
		in.throw(err)
	}
	return o
}

// errBodyCancelled is the reason a JavaScript body stream is cancelled
// with when its Go reader closes it early (the client went away).
var errBodyCancelled = errors.New("the body's reader went away")

// jsBody is the io.ReadCloser over a JavaScript ReadableStream handed to
// Go. Read is called by one goroutine at a time (fetch.Response.Stream's
// contract); Close from any.
type jsBody struct {
	in     *instance
	id     int64
	pull   sobek.Callable // loop: reads one chunk, answered by host.jsBodyChunk
	cancel sobek.Callable // loop: cancels the stream with a reason

	results chan jsChunk // one pull in flight: capacity 1
	closed  chan struct{}
	once    sync.Once

	pending []byte // reader: the rest of the last chunk
	buf     []byte // the last chunk's bytes, reused: the next pull is asked only once pending is empty
	err     error  // reader: the end (io.EOF) or failure, once known
	ended   bool   // loop: the stream closed, errored or was cancelled
}

// jsChunk is the answer to one pull: bytes, the end (eof) or a failure.
type jsChunk struct {
	b   []byte
	eof bool
	err error
}

// newJSBody registers a JavaScript stream read by Go (on the loop). The
// worker is kept from going idle until the stream ends or is cancelled.
func (in *instance) newJSBody(pull, cancel sobek.Callable) *jsBody {
	in.nextBody++
	b := &jsBody{in: in, id: in.nextBody, pull: pull, cancel: cancel, results: make(chan jsChunk, 1), closed: make(chan struct{})}
	if in.jsBodies == nil {
		in.jsBodies = map[int64]*jsBody{}
	}
	in.jsBodies[b.id] = b
	in.extendBy(1)
	return b
}

// end forgets b (on the loop) once its stream is done.
func (b *jsBody) end() {
	if b.ended {
		return
	}
	b.ended = true
	delete(b.in.jsBodies, b.id)
	b.in.extendBy(-1)
}

// Read returns the bytes of the stream's chunks as they are produced.
func (b *jsBody) Read(p []byte) (int, error) {
	if len(b.pending) > 0 {
		n := copy(p, b.pending)
		b.pending = b.pending[n:]
		return n, nil
	}
	if b.err != nil {
		return 0, b.err
	}
	in := b.in
	if !in.loop.Submit(b.pullTask) {
		b.err = fmt.Errorf("the worker stopped: %w", ErrStopped)
		return 0, b.err
	}
	var r jsChunk
	select {
	case r = <-b.results:
	case <-b.closed:
		b.err = errors.New("read of a closed body")
		return 0, b.err
	case <-in.loop.Done():
		b.err = fmt.Errorf("the worker stopped while its body was read: %w", ErrStopped)
		return 0, b.err
	}
	switch {
	case r.err != nil:
		b.err = r.err
		return 0, b.err
	case r.eof:
		b.err = io.EOF
		return 0, io.EOF
	}
	n := copy(p, r.b)
	b.pending = r.b[n:]
	return n, nil
}

// pullTask (on the loop) asks the stream for its next chunk.
func (b *jsBody) pullTask() {
	in := b.in
	if b.ended {
		b.results <- jsChunk{err: errors.New("the body stream was cancelled")}
		return
	}
	if _, err := b.pull(sobek.Undefined(), in.rt.ToValue(b.id)); err != nil {
		b.end()
		b.results <- jsChunk{err: jsErrorFrom(err)}
	}
}

// jsBodyChunk is host.jsBodyChunk(id, chunk, error): the answer to a pull
// of the stream id: a Uint8Array, null for its end, or (chunk undefined)
// the error it failed with. The bytes are copied: the script may reuse
// its buffer.
func (in *instance) jsBodyChunk(id int64, chunk, failure sobek.Value) {
	b := in.jsBodies[id]
	if b == nil {
		return
	}
	var r jsChunk
	switch {
	case sobek.IsNull(chunk):
		r.eof = true
		b.end()
	case sobek.IsUndefined(chunk):
		r.err = weberr.Errorf(weberr.TypeError, "the body stream failed: %w", jsErrorFrom(failure))
		b.end()
	default:
		// One pull is in flight, asked once the reader has taken every
		// byte of the last chunk: its buffer is free again.
		b.buf = append(b.buf[:0], bytesOf(chunk)...)
		r.b = b.buf
	}
	select {
	case b.results <- r:
	default: // no pull in flight: a misbehaving caller; dropped
	}
}

// Close cancels the stream when it has not ended: its source's cancel
// callback runs (on the loop) with a reason saying the reader went away.
func (b *jsBody) Close() error {
	b.once.Do(func() {
		close(b.closed)
		b.in.loop.Submit(func() {
			if b.ended {
				return
			}
			b.end()
			if _, err := b.cancel(sobek.Undefined(), b.in.exception(weberr.Errorf(weberr.AbortError, "%v", errBodyCancelled))); err != nil {
				b.in.w.log.Debug("cancelling a body stream failed", "err", err)
			}
		})
	})
	return nil
}
