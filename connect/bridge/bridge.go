// Package bridge lets real web pages use swhost's connect over a
// WebSocket: a page loads /connect.js, calls swhost.connect(url, options)
// (or navigator.connect after swhost.install()), and gets a
// MessagePort-like object whose messages travel as JSON over one
// WebSocket per connection.
//
// The client's origin is the handshake's Origin header, which browsers
// set and pages cannot change; a handshake without one is refused. The
// allow-list restricts which page origins may use the bridge at all.
//
// Wire format (text frames, one JSON object each): the page sends
// {"connect": URL, "options": ANY} first; the bridge answers
// {"accepted": true} or {"error": {"name", "message"}} (and closes);
// afterwards both sides send {"data": ANY}. After the connect step an
// {"error": {"name", "message"}} from the bridge says that a message was
// dropped and why (DataCloneError: a page's value nested deeper than the
// structured clone's 5,000 levels, or a service's value JSON cannot
// carry; SyntaxError: a frame that is not one); the connection stays
// open, and connect.js fires messageerror on the port. Closing the socket
// closes the port, which removes the client from its registration at
// once.
package bridge

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/connect"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/weberr"
)

//go:embed connect.js
var script []byte

// Script returns the page-side client, connect.js.
func Script() []byte { return bytes.Clone(script) }

// Options configure a Handler.
type Options struct {
	// AllowedOrigins lists the page origins (scheme://host[:port]) that
	// may use the bridge; empty allows every origin.
	AllowedOrigins []string
	// MaxMessageBytes caps one frame; 0 means 1 MiB.
	MaxMessageBytes int64
	// ConnectTimeout bounds the connect step; 0 means 60 s.
	ConnectTimeout time.Duration
	// Logger receives connection errors; nil means slog.Default().
	Logger *slog.Logger
	// Agent, when set, lets pages talk to their own service worker
	// through the bridge ({"serviceWorker": PAGE_URL} first): each such
	// connection is a window client of the agent at the page's URL. nil
	// refuses that kind of connection.
	Agent *agent.Agent
}

// Handler serves the bridge: GET .../connect.js returns the client
// script, and a WebSocket handshake on any other path (connect.js uses
// .../connect next to itself) opens one connection.
type Handler struct {
	b       *connect.Broker
	opts    Options
	log     *slog.Logger
	allowed map[string]bool
}

// New returns a bridge handler over b.
func New(b *connect.Broker, opts Options) *Handler {
	if opts.MaxMessageBytes <= 0 {
		opts.MaxMessageBytes = 1 << 20
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = 60 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	h := &Handler{b: b, opts: opts, log: opts.Logger}
	if len(opts.AllowedOrigins) > 0 {
		h.allowed = map[string]bool{}
		for _, o := range opts.AllowedOrigins {
			h.allowed[strings.TrimSuffix(o, "/")] = true
		}
	}
	return h
}

// ServeHTTP serves connect.js or a bridge connection.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/connect.js") {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, _ = w.Write(script)
		return
	}
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		http.Error(w, "swhost connect bridge: a WebSocket handshake is expected here (load connect.js)", http.StatusUpgradeRequired)
		return
	}
	origin, err := h.origin(r.Header.Get("Origin"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	// The Origin check is ours (any allowed page origin may connect), so
	// the library's same-origin check is off.
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		h.log.Debug("bridge handshake", "err", err)
		return
	}
	ws.SetReadLimit(h.opts.MaxMessageBytes)
	h.serve(r.Context(), ws, origin)
}

// origin validates the handshake's Origin header.
func (h *Handler) origin(header string) (string, error) {
	if header == "" || header == "null" {
		return "", errors.New("swhost connect bridge: the handshake has no usable Origin header")
	}
	u, err := weburl.Parse(header)
	if err != nil {
		return "", fmt.Errorf("swhost connect bridge: invalid Origin header %q", header)
	}
	o := u.Origin()
	if h.allowed != nil && !h.allowed[o] {
		return "", fmt.Errorf("swhost connect bridge: pages of %s may not use this bridge", o)
	}
	return o, nil
}

// frame is one message of the wire format.
type frame struct {
	Connect       *string         `json:"connect,omitempty"`
	ServiceWorker *string         `json:"serviceWorker,omitempty"`
	Options       json.RawMessage `json:"options,omitempty"`
	Data          json.RawMessage `json:"data,omitempty"`
	Accepted      bool            `json:"accepted,omitempty"`
	Error         *frameError     `json:"error,omitempty"`
}

type frameError struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// parseFrame decodes a frame from the page; a frame must hold "connect"
// or "data". The data (or the connect options) is returned as the frame's
// json.RawMessage, which the structured clone reads as JSON.parse would,
// members in order (a Go map would sort them).
func parseFrame(b []byte) (f frame, data any, err error) {
	if err := json.Unmarshal(b, &f); err != nil {
		return f, nil, weberr.Errorf(weberr.SyntaxError, "bridge frame is not a JSON object: %v", err)
	}
	switch {
	case f.Connect != nil:
		if len(f.Options) > 0 {
			data = f.Options
		}
	case f.ServiceWorker != nil:
	case f.Data != nil:
		data = f.Data
	default:
		return f, nil, weberr.New(weberr.SyntaxError, `bridge frame has neither "connect", "serviceWorker" nor "data"`)
	}
	return f, data, nil
}

func writeFrame(ctx context.Context, ws *websocket.Conn, f any) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return ws.Write(ctx, websocket.MessageText, b)
}

// serve runs one connection: the connect step, then messages both ways
// until either side closes.
func (h *Handler) serve(ctx context.Context, ws *websocket.Conn, origin string) {
	defer ws.CloseNow()
	cctx, cancel := context.WithTimeout(ctx, h.opts.ConnectTimeout)
	_, b, err := ws.Read(cctx)
	cancel()
	if err != nil {
		return
	}
	f, options, err := parseFrame(b)
	if err == nil && f.ServiceWorker != nil {
		h.servePage(ctx, ws, origin, *f.ServiceWorker)
		return
	}
	if err == nil && f.Connect == nil {
		err = weberr.New(weberr.SyntaxError, `the first bridge frame must be {"connect": URL} or {"serviceWorker": PAGE_URL}`)
	}
	if err != nil {
		_ = writeFrame(ctx, ws, frame{Error: &frameError{Name: weberr.NameOf(err), Message: weberr.MessageOf(err)}})
		ws.Close(websocket.StatusPolicyViolation, "bad frame")
		return
	}
	cctx, cancel = context.WithTimeout(ctx, h.opts.ConnectTimeout)
	port, err := h.b.Connect(cctx, origin, *f.Connect, options)
	cancel()
	if err != nil {
		name := weberr.NameOf(err)
		if name == "" {
			name = weberr.AbortError
		}
		_ = writeFrame(ctx, ws, frame{Error: &frameError{Name: name, Message: weberr.MessageOf(err)}})
		ws.Close(websocket.StatusNormalClosure, name)
		return
	}
	defer port.Close()
	if err := writeFrame(ctx, ws, frame{Accepted: true}); err != nil {
		return
	}

	ctx, cancel = context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer cancel()
		for {
			m, err := port.Recv(ctx)
			if err != nil {
				if errors.Is(err, connect.ErrClosed) {
					ws.Close(websocket.StatusNormalClosure, "the service closed the connection")
				}
				return
			}
			// JSON frames cannot carry MessagePorts: close the ones a
			// service transferred, so their other ends see it.
			for _, p := range m.Ports {
				p.Close()
			}
			b, err := json.Marshal(struct {
				Data any `json:"data"`
			}{m.Data})
			if err != nil {
				// The page gets a messageerror, as a port that cannot
				// deserialize a message does.
				h.log.Warn("bridge: a message from the service cannot be sent as JSON; dropped", "origin", origin, "err", err)
				b, _ = json.Marshal(frame{Error: &frameError{Name: weberr.DataCloneError, Message: "a message from the service cannot be sent as JSON: " + err.Error()}})
			}
			if err := ws.Write(ctx, websocket.MessageText, b); err != nil {
				return
			}
		}
	}()
	for {
		_, b, err := ws.Read(ctx)
		if err != nil {
			return
		}
		_, data, err := parseFrame(b)
		if err == nil {
			err = port.PostMessage(data)
			if errors.Is(err, connect.ErrClosed) {
				return
			}
		}
		if err != nil {
			// The message is dropped, the connection stays: the page
			// hears why in an error frame (connect.js fires messageerror
			// on its port), the log says it too.
			h.log.Warn("bridge: a message from the page cannot be delivered; dropped", "origin", origin, "err", err)
			if h.refuse(ctx, ws, err) != nil {
				return
			}
		}
	}
}

// refuse tells the page that a message it sent was not delivered: an
// error frame with the web exception name (DataCloneError for a value
// that cannot be cloned, such as one nested deeper than the structured
// clone allows; SyntaxError for a frame that is not one).
func (h *Handler) refuse(ctx context.Context, ws *websocket.Conn, err error) error {
	name := weberr.NameOf(err)
	if name == "" {
		name = weberr.DataCloneError
	}
	return writeFrame(ctx, ws, frame{Error: &frameError{Name: name, Message: weberr.MessageOf(err)}})
}
