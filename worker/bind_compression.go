package worker

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"iter"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/weberr"
)

// Bindings of js/19_compression.js: CompressionStream and
// DecompressionStream (the Compression Standard). Each stream's
// compression context is a Go codec session held by a handle, fed from
// the loop one chunk at a time and drained one piece at a time:
//
//	h := host.codecNew(format, decompress)  // TypeError: unsupported format
//	host.codecPush(h, bytes)                // a chunk (copied)
//	host.codecFinish(h)                     // the end of the input
//	host.codecPull(h)                       // ArrayBuffer | null; TypeError: bad data
//	host.codecClose(h)                      // releases the session
//
// The JavaScript enqueues each piece a pull returns and pulls again only
// once the readable side wants more (backpressure), so what a stream
// holds in Go is bounded by codecPiece and codecStep whatever the input,
// and a pull's work is bounded too: a decompression bomb is decoded no
// faster than its reader reads, each pull a short call the worker's CPU
// budget can interrupt between. The codecs are Go's compress/flate,
// compress/zlib and compress/gzip.

const (
	// codecPiece is the most output bytes one pull returns.
	codecPiece = 64 << 10
	// codecStep is the most input bytes one pull consumes without
	// returning output: past it the pull returns an empty piece, so that
	// input that decodes to nothing (empty deflate blocks) or compresses
	// into the codec's buffers is worked through in bounded calls.
	codecStep = 64 << 10
)

// codecFormat is a CompressionFormat this host supports.
type codecFormat uint8

const (
	formatDeflate    codecFormat = iota + 1 // "deflate": the zlib format (RFC 1950)
	formatDeflateRaw                        // "deflate-raw": DEFLATE (RFC 1951)
	formatGzip                              // "gzip": one gzip member (RFC 1952)
)

// parseCodecFormat returns the format s names, and false for any other
// string: the CompressionFormat "brotli" included, which Go's standard
// library has no codec for (the standard's "unsupported format").
func parseCodecFormat(s string) (codecFormat, bool) {
	switch s {
	case "deflate":
		return formatDeflate, true
	case "deflate-raw":
		return formatDeflateRaw, true
	case "gzip":
		return formatGzip, true
	}
	return 0, false
}

func (f codecFormat) String() string {
	switch f {
	case formatDeflate:
		return "deflate"
	case formatDeflateRaw:
		return "deflate-raw"
	case formatGzip:
		return "gzip"
	}
	return "unknown"
}

// codec is one compression context. Its methods are called from one
// goroutine at a time (the loop's).
type codec interface {
	// push queues a copy of b as the next input; it does no work.
	push(b []byte)
	// finish marks the end of the input.
	finish()
	// pull does a bounded step of work and returns the next piece of
	// output (at most codecPiece bytes; empty when the step made no
	// output but more work is pending), or nil when there is nothing to
	// do until more input is pushed, or, after finish, when the stream
	// is complete. Data the format refuses is an error (a TypeError),
	// returned again by every later pull.
	pull() ([]byte, error)
	// close releases the context's memory; later pushes are ignored and
	// pulls return nil.
	close()
}

// codecHandle is the handle of a stream's codec held by JavaScript.
type codecHandle struct{ c codec }

// codecNew is host.codecNew(format, decompress): the compression
// context of a new CompressionStream, or, with decompress, of a new
// DecompressionStream. An unsupported format is a TypeError, the
// constructors' first step.
func (in *instance) codecNew(format string, decompress bool) *codecHandle {
	f, ok := parseCodecFormat(format)
	if !ok {
		class := "CompressionStream"
		if decompress {
			class = "DecompressionStream"
		}
		in.throw(weberr.Errorf(weberr.TypeError, "Failed to construct '%s': Unsupported compression format: '%s'", class, format))
	}
	if !decompress {
		return &codecHandle{c: newDeflater(f)}
	}
	d := newInflater(f)
	h := &codecHandle{c: d}
	if in.inflaters == nil {
		in.inflaters = &inflaterSet{}
	}
	set := in.inflaters
	set.add(d)
	// A stream dropped before its end leaves its decoder waiting for
	// input; when the handle is collected the decoder is stopped. The
	// cleanup holds the set, not the instance: a handle a global of the
	// runtime keeps must not keep a stopped instance alive.
	runtime.AddCleanup(h, func(d *inflater) { set.remove(d) }, d)
	return h
}

// codecPush is host.codecPush(handle, bytes): a chunk of input, copied.
func (in *instance) codecPush(h *codecHandle, b []byte) { h.c.push(b) }

// codecFinish is host.codecFinish(handle): the end of the input.
func (in *instance) codecFinish(h *codecHandle) { h.c.finish() }

// codecPull is host.codecPull(handle): the next piece of output as an
// ArrayBuffer (empty: call again), or null when the codec waits for
// input or is done; corrupt, truncated or trailing data is a TypeError.
func (in *instance) codecPull(h *codecHandle) sobek.Value {
	p, err := h.c.pull()
	runtime.KeepAlive(h) // the cleanup must not stop a decoder that runs
	if err != nil {
		in.throw(err)
	}
	if p == nil {
		return sobek.Null()
	}
	return in.rt.ToValue(in.rt.NewArrayBuffer(p))
}

// codecClose is host.codecClose(handle): the stream ended, failed or
// was cancelled; its codec's memory is released.
func (in *instance) codecClose(h *codecHandle) {
	if d, ok := h.c.(*inflater); ok && in.inflaters != nil {
		in.inflaters.remove(d)
	}
	h.c.close()
}

// ---------------------------------------------------------------- compression

// deflater is a CompressionStream's context: a Go compressor writing
// into a buffer the pulls drain. The compressor (about 800 KB at the
// default level) is made on the first input and dropped at the end.
type deflater struct {
	format   codecFormat
	w        io.WriteCloser // nil before the first input and after the end
	out      bytes.Buffer   // output not pulled yet
	in       []byte         // input not compressed yet
	ending   bool           // finish was called
	ended    bool           // the compressor wrote the end of the stream
	released bool
}

func newDeflater(f codecFormat) *deflater { return &deflater{format: f} }

func (c *deflater) writer() io.WriteCloser {
	if c.w == nil {
		switch c.format {
		case formatGzip:
			c.w = gzip.NewWriter(&c.out)
		case formatDeflate:
			c.w = zlib.NewWriter(&c.out)
		default:
			c.w, _ = flate.NewWriter(&c.out, flate.DefaultCompression) // the level is valid
		}
	}
	return c.w
}

func (c *deflater) push(b []byte) {
	if !c.ending && !c.released {
		c.in = append(c.in, b...)
	}
}

func (c *deflater) finish() { c.ending = true }

func (c *deflater) pull() ([]byte, error) {
	if c.released {
		return nil, nil
	}
	if c.out.Len() == 0 {
		switch {
		case len(c.in) > 0:
			n := min(len(c.in), codecStep)
			_, _ = c.writer().Write(c.in[:n]) // into a bytes.Buffer: no error
			if c.in = c.in[n:]; len(c.in) == 0 {
				c.in = nil
			}
		case c.ending && !c.ended:
			_ = c.writer().Close() // into a bytes.Buffer: no error
			c.w, c.ended = nil, true
		default:
			return nil, nil
		}
	}
	p := make([]byte, min(c.out.Len(), codecPiece))
	_, _ = c.out.Read(p)
	return p, nil
}

func (c *deflater) close() {
	c.w, c.in, c.out, c.released = nil, nil, bytes.Buffer{}, true
}

// ---------------------------------------------------------------- decompression

// errCodecStopped ends a decoder whose stream was released.
var errCodecStopped = errors.New("compression: the stream was released")

// inflater is a DecompressionStream's context. Go's decoders read their
// input (they pull it); the stream pushes it. So the decoder runs as a
// coroutine (iter.Pull): a pull resumes it until it has a piece of
// output or has consumed what was pushed, and it waits for the next push
// inside its input's Read. The loop and the coroutine never run at once.
type inflater struct {
	format codecFormat
	in     []byte // input pushed and not consumed yet
	ending bool   // finish was called: no more input comes

	next func() ([]byte, bool) // resumes the coroutine; nil before the first pull
	stop func()
	// running is true while the coroutine exists (running or parked),
	// for tests of its shutdown.
	running atomic.Bool
	err     error // what ended the stream, when it failed
	done    bool  // the coroutine returned (or was stopped)

	mu       sync.Mutex // guards stopping against a cleanup on another goroutine
	released bool

	// The coroutine's own state.
	yield    func([]byte) bool
	stopped  bool   // yield returned false: the stream was released
	scratch  []byte // the piece being filled: scratch[start:filled] not handed over yet
	start    int
	filled   int
	consumed int // input consumed since the last piece was handed over
}

func newInflater(f codecFormat) *inflater { return &inflater{format: f} }

func (d *inflater) push(b []byte) {
	if !d.ending && !d.done && len(b) > 0 {
		d.in = append(d.in, b...)
	}
}

func (d *inflater) finish() { d.ending = true }

func (d *inflater) pull() ([]byte, error) {
	if d.done {
		return nil, d.err
	}
	if d.next == nil {
		d.mu.Lock()
		if d.released {
			d.mu.Unlock()
			d.done = true
			return nil, nil
		}
		d.next, d.stop = iter.Pull(d.run)
		d.mu.Unlock()
	}
	p, ok := d.next()
	if !ok {
		d.done = true
		d.in, d.scratch = nil, nil
		return nil, d.err
	}
	return p, nil
}

// close stops the coroutine. It may run on another goroutine than the
// pulls (a cleanup, or the instance's shutdown), never at the same time
// as one.
func (d *inflater) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.released {
		return
	}
	d.released = true
	if d.stop != nil {
		d.stop()
	}
	d.done, d.in, d.scratch = true, nil, nil
}

// run is the coroutine: it decodes the input and yields the output in
// pieces, nil when it waits for input.
func (d *inflater) run(yield func([]byte) bool) {
	d.running.Store(true)
	defer d.running.Store(false)
	d.yield = yield
	r, err := d.open()
	if err == nil {
		err = d.decode(r)
	}
	if d.stopped {
		return
	}
	if err != nil {
		d.err = d.decodeError(err)
		return
	}
	// The compressed stream ended: the end of the input may follow, no
	// more data.
	for {
		if len(d.in) > 0 {
			d.err = weberr.Errorf(weberr.TypeError, "%d bytes follow the end of the compressed %s data", len(d.in), d.format)
			return
		}
		if d.ending || !d.hand(nil) {
			return
		}
	}
}

// open makes the decoder, which reads the format's header.
func (d *inflater) open() (io.Reader, error) {
	src := inflaterInput{d}
	switch d.format {
	case formatGzip:
		z, err := gzip.NewReader(src)
		if err != nil {
			return nil, err
		}
		z.Multistream(false) // one member; anything after it is an error
		return z, nil
	case formatDeflate:
		return zlib.NewReader(src)
	}
	return flate.NewReader(src), nil
}

// decode reads r to its end, handing over each full piece, and the
// partial one when the input runs out or the data ends.
func (d *inflater) decode(r io.Reader) error {
	for {
		if d.scratch == nil {
			d.scratch = make([]byte, codecPiece)
		}
		n, err := r.Read(d.scratch[d.filled:])
		d.filled += n
		if d.filled == len(d.scratch) || err == io.EOF && d.filled > d.start {
			if !d.emit() {
				return errCodecStopped
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// emit hands over the output decoded since the last piece,
// scratch[start:filled]: the rest of the scratch buffer itself when it
// is full, a copy otherwise. emit may run inside the decoder's Read
// (when the input runs out), which goes on filling scratch[filled:], so
// the positions stay.
func (d *inflater) emit() bool {
	p := d.scratch[d.start:d.filled]
	if d.filled == len(d.scratch) {
		d.scratch, d.start, d.filled = nil, 0, 0
	} else {
		p = bytes.Clone(p)
		d.start = d.filled
	}
	return d.hand(p)
}

// hand yields p to the pull that resumed the coroutine, and reports
// whether the stream still runs.
func (d *inflater) hand(p []byte) bool {
	if d.stopped {
		return false
	}
	d.consumed = 0
	if !d.yield(p) {
		d.stopped = true
	}
	return !d.stopped
}

// wait makes input available to the decoder: it hands over the output
// decoded so far and yields until a push brings input. It returns io.EOF
// at the end of the input.
func (d *inflater) wait() error {
	if d.consumed >= codecStep {
		// Much input and no output: let the loop run.
		if d.filled > d.start && !d.emit() || d.filled == d.start && !d.hand([]byte{}) {
			return errCodecStopped
		}
	}
	for len(d.in) == 0 {
		if d.ending {
			return io.EOF
		}
		if d.filled > d.start && !d.emit() || d.filled == d.start && !d.hand(nil) {
			return errCodecStopped
		}
	}
	return nil
}

// decodeError is the TypeError a decoder's error fails the stream with.
func (d *inflater) decodeError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return weberr.Errorf(weberr.TypeError, "the compressed %s data ends before its end", d.format)
	}
	return weberr.Errorf(weberr.TypeError, "the compressed %s data is corrupt: %v", d.format, err)
}

// inflaterInput is the decoder's input: what was pushed, read on the
// coroutine. It is a flate.Reader (a ByteReader), so the decoders read
// exactly the bytes they need and no buffer reads past the end of the
// compressed data.
type inflaterInput struct{ d *inflater }

func (s inflaterInput) Read(p []byte) (int, error) {
	d := s.d
	if err := d.wait(); err != nil {
		return 0, err
	}
	n := copy(p[:min(len(p), codecStep-d.consumed)], d.in) // wait left room below codecStep
	d.in = d.in[n:]
	d.consumed += n
	return n, nil
}

func (s inflaterInput) ReadByte() (byte, error) {
	d := s.d
	if len(d.in) == 0 || d.consumed >= codecStep {
		if err := d.wait(); err != nil {
			return 0, err
		}
	}
	b := d.in[0]
	d.in = d.in[1:]
	d.consumed++
	return b, nil
}

// inflaterSet holds an instance's decoders that may still wait for
// input, so that they are stopped when the instance stops. The loop adds
// to it; a cleanup (when a handle is collected) and the instance's
// shutdown remove from it on other goroutines.
type inflaterSet struct {
	mu  sync.Mutex
	set map[*inflater]struct{}
}

func (s *inflaterSet) add(d *inflater) {
	s.mu.Lock()
	if s.set == nil {
		s.set = map[*inflater]struct{}{}
	}
	s.set[d] = struct{}{}
	s.mu.Unlock()
}

// remove stops d and forgets it.
func (s *inflaterSet) remove(d *inflater) {
	s.mu.Lock()
	delete(s.set, d)
	s.mu.Unlock()
	d.close()
}

// closeAll stops every decoder (the instance stopped).
func (s *inflaterSet) closeAll() {
	s.mu.Lock()
	list := make([]*inflater, 0, len(s.set))
	for d := range s.set {
		list = append(list, d)
	}
	s.set = nil
	s.mu.Unlock()
	for _, d := range list {
		d.close()
	}
}
