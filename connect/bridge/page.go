package bridge

import (
	"context"
	"encoding/json"

	"github.com/coder/websocket"

	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/weberr"
)

// A page talking to its own service worker (the Service Worker API's
// navigator.serviceWorker, for a page in a real browser whose worker
// runs in swhost). Wire format, after {"serviceWorker": PAGE_URL}: the
// bridge answers {"accepted": true, "controller": SCRIPT_URL|null} (or an
// error frame, and closes); the page sends {"data": ANY}, delivered as
// controller.postMessage (a message event at the worker whose source is
// the page's window client); the bridge sends {"data": ANY, "source":
// SCRIPT_URL} for each message the worker posts to the page's client and
// {"controllerchange": SCRIPT_URL} when its controller changes. An error
// frame after the first step says a message was not delivered (no
// controller: InvalidStateError).

// pageQueue is how many of a page's messages may wait for delivery.
const pageQueue = 16

// pageAccept is the answer to {"serviceWorker": URL}.
type pageAccept struct {
	Accepted   bool    `json:"accepted"`
	Controller *string `json:"controller"`
}

// pageMessage is a message from the worker to the page.
type pageMessage struct {
	Data   any    `json:"data"`
	Source string `json:"source"`
}

// servePage runs one page connection: the page at pageURL, whose origin
// must be the handshake's, becomes a window client of the agent for as
// long as the socket is open.
func (h *Handler) servePage(ctx context.Context, ws *websocket.Conn, origin, pageURL string) {
	fail := func(err error) {
		_ = writeFrame(ctx, ws, frame{Error: &frameError{Name: weberr.NameOf(err), Message: weberr.MessageOf(err)}})
		ws.Close(websocket.StatusPolicyViolation, weberr.NameOf(err))
	}
	if h.opts.Agent == nil {
		fail(weberr.New(weberr.NotSupportedError, "this bridge does not reach service workers"))
		return
	}
	u, err := weburl.Parse(pageURL)
	if err != nil {
		fail(weberr.Errorf(weberr.TypeError, "invalid page URL %q", pageURL))
		return
	}
	if u.Origin() != origin {
		fail(weberr.Errorf(weberr.SecurityError, "a page of %s cannot speak for %s", origin, u.Origin()))
		return
	}
	c, err := h.opts.Agent.OpenClient(u.Href())
	if err != nil {
		fail(err)
		return
	}
	defer c.Close()
	accept := pageAccept{Accepted: true}
	if reg := c.Controller(); reg != nil {
		if v := reg.Active(); v != nil {
			s := v.ScriptURL()
			accept.Controller = &s
		}
	}
	if err := writeFrame(ctx, ws, accept); err != nil {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer cancel()
		for {
			ev, err := c.NextEvent(ctx)
			if err != nil {
				return
			}
			var out any
			switch ev.Type {
			case "message":
				for _, p := range ev.Message.Ports {
					p.Close() // JSON frames carry no ports
				}
				out = pageMessage{Data: ev.Message.Value(), Source: ev.Source}
			case "controllerchange":
				out = map[string]string{"controllerchange": ev.Source}
			default:
				continue
			}
			b, err := json.Marshal(out)
			if err != nil {
				b, _ = json.Marshal(frame{Error: &frameError{Name: weberr.DataCloneError, Message: "a message from the service worker cannot be sent as JSON: " + err.Error()}})
			}
			if err := ws.Write(ctx, websocket.MessageText, b); err != nil {
				return
			}
		}
	}()
	// One goroutine delivers the page's messages in order, each message
	// event run to its end; the page reads on meanwhile (postMessage does
	// not wait) until pageQueue messages wait, then the socket waits.
	queue := make(chan any, pageQueue)
	go func() {
		for {
			select {
			case data := <-queue:
				if err := c.PostMessage(ctx, data); err != nil && ctx.Err() == nil {
					h.log.Warn("bridge: a page's message to its service worker failed", "page", c.URL(), "err", err)
					_ = h.refuse(ctx, ws, err)
				}
			case <-ctx.Done():
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
			select {
			case queue <- data:
			case <-ctx.Done():
				return
			}
			continue
		}
		h.log.Warn("bridge: a frame from the page is not a message; dropped", "origin", origin, "err", err)
		if h.refuse(ctx, ws, err) != nil {
			return
		}
	}
}
