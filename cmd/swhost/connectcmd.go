package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/swhost/swhost/connect"
	"github.com/swhost/swhost/weberr"
)

func init() {
	register(&command{name: "connect", summary: "connect to a cross-origin service as a client; stdin lines are messages, replies are JSON lines", run: runConnect})
}

// quietAfterInput is how long connect waits for more replies, after the
// end of input, when fewer replies than messages arrived.
const quietAfterInput = 500 * time.Millisecond

func runConnect(ctx context.Context, e *env, args []string) int {
	fs := e.newFlagSet("connect", "--client URL [--options JSON] [--count N] [--timeout D] TARGET_URL")
	var hf hostFlags
	hf.add(fs)
	client := fs.String("client", "", "URL of the connecting page; its origin is the client's origin (required)")
	optsJSON := fs.String("options", "", "connect options as JSON, such as '{\"name\":\"chat\",\"data\":{}}'")
	count := fs.Int("count", 0, "exit after this many messages received (0: at end of input, after the last reply)")
	timeout := fs.Duration("timeout", 0, "give up after this long, connect included (0: no limit)")
	activeTimeout := fs.Duration("active-timeout", connect.DefaultActiveTimeout, "how long to wait for a registration without an active worker to get one")
	pos, status := flagsOrUsage(fs, args, 1, 1)
	if status >= 0 {
		return status
	}
	if *client == "" || *count < 0 {
		fs.Usage()
		return exitBadInput
	}
	// JSON goes on as json.RawMessage, which the structured clone reads
	// in member order (a Go map would sort the keys).
	var options any
	if *optsJSON != "" {
		var raw json.RawMessage
		if err := json.Unmarshal([]byte(*optsJSON), &raw); err != nil {
			return e.fail(exitBadInput, weberr.Errorf(weberr.TypeError, "--options is not valid JSON: %v", err))
		}
		options = raw
	}
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}

	h, err := hf.open(ctx, e)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	defer h.Close()
	// The service's work after its last answer (waitUntil) ends before
	// its worker stops; after the broker is closed, so that no new
	// message comes in meanwhile.
	defer h.settle(ctx, e)
	b := h.newBroker(connect.Options{ActiveTimeout: *activeTimeout, Logger: e.logger()})
	defer b.Close()

	port, err := b.Connect(ctx, *client, pos[0], options)
	if err != nil {
		if ctx.Err() != nil {
			return e.fail(exitNoMatch, weberr.Errorf(weberr.TimeoutError, "connect to %s: no answer within --timeout %v", pos[0], *timeout))
		}
		return e.fail(exitBadInput, err)
	}
	defer port.Close()
	return (&connectSession{e: e, port: port, count: *count}).run(ctx)
}

// connectSession pumps stdin lines to the port and the port's messages to
// stdout.
type connectSession struct {
	e     *env
	port  *connect.Port
	count int
}

// inputDone reports the end of input: how many messages were sent, or an
// error.
type inputDone struct {
	sent int
	err  error
}

func (s *connectSession) run(ctx context.Context) int {
	msgs := make(chan connect.Message)
	recvErr := make(chan error, 1)
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	abandon := make(chan struct{})
	defer close(abandon)
	go func() {
		for {
			m, err := s.port.Recv(rctx)
			if err != nil {
				recvErr <- err
				return
			}
			select {
			case msgs <- m:
			case <-abandon:
				return
			}
		}
	}()
	inDone := make(chan inputDone, 1)
	go func() { inDone <- s.pump(rctx) }()

	out := bufio.NewWriter(s.e.stdout)
	defer out.Flush()
	received, sent, eof := 0, 0, false
	write := func(m connect.Message) {
		received++
		if err := writeJSONLine(out, m.Data); err != nil {
			fmt.Fprintf(s.e.stderr, "swhost: message %d: %v\n", received, err)
		}
		// A command line has no use for transferred ports: close them, so
		// the service sees their other ends close.
		for _, p := range m.Ports {
			p.Close()
		}
		if len(m.Ports) > 0 {
			fmt.Fprintf(s.e.stderr, "swhost: message %d: closed %d transferred port(s)\n", received, len(m.Ports))
		}
	}
	// done ends a session at the end of input: replies the service
	// already made are written too.
	done := func() int {
		stop()
		for {
			select {
			case m := <-msgs:
				write(m)
			case <-recvErr:
				for {
					m, err := s.port.Recv(rctx)
					if err != nil {
						return exitOK
					}
					write(m)
				}
			}
		}
	}
	var quiet <-chan time.Time
	for {
		select {
		case m := <-msgs:
			write(m)
			if s.count > 0 && received >= s.count {
				return exitOK
			}
			if len(msgs) == 0 {
				out.Flush()
			}
			if eof && s.count == 0 {
				if received >= sent {
					return done()
				}
				quiet = time.After(quietAfterInput)
			}
		case d := <-inDone:
			inDone = nil
			if d.err != nil {
				return s.e.fail(exitBadInput, d.err)
			}
			if s.count > 0 {
				continue
			}
			// Every message was handled by the service: what it replied
			// synchronously is already on its way.
			if err := s.port.Flush(ctx); err != nil {
				return s.timedOut()
			}
			eof, sent = true, d.sent
			if received >= sent {
				return done()
			}
			quiet = time.After(quietAfterInput)
		case <-quiet:
			return done()
		case err := <-recvErr:
			out.Flush()
			if errors.Is(err, connect.ErrClosed) {
				if s.count > 0 && received < s.count {
					fmt.Fprintf(s.e.stderr, "swhost: the service closed the connection after %d of %d messages\n", received, s.count)
					return exitNoMatch
				}
				return exitOK
			}
			return s.timedOut()
		case <-ctx.Done():
			return s.timedOut()
		}
	}
}

// timedOut is the exit for --timeout: 1 when --count messages did not all
// arrive, 0 otherwise.
func (s *connectSession) timedOut() int {
	if s.count > 0 {
		fmt.Fprintf(s.e.stderr, "swhost: TimeoutError: fewer than %d messages arrived within --timeout\n", s.count)
		return exitNoMatch
	}
	return exitOK
}

// pump posts every stdin line: a line that parses as JSON is sent as that
// value, any other as a string.
func (s *connectSession) pump(ctx context.Context) inputDone {
	r := bufio.NewReader(s.e.stdin)
	sent := 0
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
			if perr := s.port.PostMessage(parseLine(line)); perr != nil {
				return inputDone{sent, fmt.Errorf("line %d: %w", sent+1, perr)}
			}
			sent++
		}
		if err == io.EOF {
			return inputDone{sent: sent}
		}
		if err != nil {
			return inputDone{sent, fmt.Errorf("reading stdin: %w", err)}
		}
		if ctx.Err() != nil {
			return inputDone{sent: sent}
		}
	}
}

// parseLine returns line as a json.RawMessage when it is JSON (its value
// is sent with its members in the line's order), or as a string.
func parseLine(line string) any {
	if json.Valid([]byte(line)) {
		return json.RawMessage(line)
	}
	return line
}

// writeJSONLine writes v as one JSON line (null when v cannot be written
// as JSON, with the error returned).
func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte("null")
	}
	b = append(b, '\n')
	if _, werr := w.Write(b); werr != nil {
		return werr
	}
	return err
}
