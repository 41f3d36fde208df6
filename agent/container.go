package agent

import (
	"context"
	"fmt"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/message"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// The client side of the Service Worker API: what a page's
// navigator.serviceWorker (ServiceWorkerContainer) gives it. A Client
// posts messages to its controller, receives the messages workers post
// to it and the controllerchange events, as events in order
// (NextEvent), and finds the registrations of its origin.

// ClientEvent is an event at a client's ServiceWorkerContainer.
type ClientEvent struct {
	// Type is "message" (a worker's Client.postMessage) or
	// "controllerchange" (the client's controller changed: a new worker
	// activated, or clients.claim()).
	Type string
	// Message is a message event's data and ports.
	Message worker.Message
	// Source is the script URL of the worker that posted the message, or
	// of the new controller.
	Source string
	// Seq numbers the client's events from 1, in order
	// (NextEventAfter).
	Seq uint64
}

// NextEvent waits for the client's next event and returns it; events
// are kept in order until taken. It fails with ctx's error, or
// InvalidStateError once the client is closed.
func (c *Client) NextEvent(ctx context.Context) (ClientEvent, error) {
	return c.waitEvent(ctx, func() (ClientEvent, bool) {
		if len(c.events) == 0 {
			return ClientEvent{}, false
		}
		ev := c.events[0]
		c.events = c.events[1:]
		return ev, true
	})
}

// NextEventAfter is NextEvent for a reader that may lose an answer (a
// long poll over HTTP): it waits for the first event whose Seq is past
// after and returns it without taking it; the events up to after, which
// the reader saw, are dropped. Asking again with the same after returns
// the same event.
func (c *Client) NextEventAfter(ctx context.Context, after uint64) (ClientEvent, error) {
	return c.waitEvent(ctx, func() (ClientEvent, bool) {
		i := 0
		for i < len(c.events) && c.events[i].Seq <= after {
			i++
		}
		c.events = c.events[i:]
		if len(c.events) == 0 {
			return ClientEvent{}, false
		}
		return c.events[0], true
	})
}

// waitEvent waits until pick, called with c.mu held whenever the queue
// may have changed, finds an event, and returns it.
func (c *Client) waitEvent(ctx context.Context, pick func() (ClientEvent, bool)) (ClientEvent, error) {
	for {
		c.mu.Lock()
		if ev, ok := pick(); ok {
			c.mu.Unlock()
			return ev, nil
		}
		if c.closed {
			c.mu.Unlock()
			return ClientEvent{}, weberr.New(weberr.InvalidStateError, "the client is closed")
		}
		wake := c.wake
		c.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ClientEvent{}, ctx.Err()
		}
	}
}

// addEvent queues ev for NextEvent; it reports false when the client is
// closed.
func (c *Client) addEvent(ev ClientEvent) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	if ev.Type == "message" {
		c.messages = append(c.messages, ev.Message)
	}
	c.seq++
	ev.Seq = c.seq
	c.events = append(c.events, ev)
	close(c.wake)
	c.wake = make(chan struct{})
	return true
}

// PostMessage posts data to the client's controller, as
// navigator.serviceWorker.controller.postMessage does: a message event
// at the active worker (started if stopped) whose source is this client
// (a WindowClient) and origin the client's origin. It returns when the
// event is over (its waitUntil promises settled): nil, or the listener's
// exception or the rejection. InvalidStateError when the client has no
// controller; DataCloneError for data that cannot be cloned.
func (c *Client) PostMessage(ctx context.Context, data any, transfer ...*message.Port) error {
	reg := c.Controller()
	if reg == nil {
		return weberr.New(weberr.InvalidStateError, "the client has no controller (navigator.serviceWorker.controller is null)")
	}
	v := reg.Active()
	if v == nil {
		return weberr.New(weberr.InvalidStateError, "the client's controller is gone")
	}
	w, err := v.Worker(ctx)
	if err != nil {
		return err
	}
	return w.DispatchClientMessage(ctx, worker.Message{Data: data, Ports: transfer}, c.info())
}

func (c *Client) info() worker.Client {
	c.a.mu.Lock()
	focused := c.a.focused == c.id
	c.a.mu.Unlock()
	return worker.Client{ID: c.id, URL: c.url, Type: "window", FrameType: "top-level", Focused: focused, VisibilityState: "visible"}
}

// Focus implements worker.Clients: the window client id becomes the
// focused one.
func (v clientsView) Focus(_ context.Context, id string) (worker.Client, error) {
	c := v.a.Client(id)
	if c == nil || c.origin != v.reg.Scope().Origin() {
		return worker.Client{}, weberr.New(weberr.InvalidStateError, "Failed to execute 'focus' on 'WindowClient': the window is gone.")
	}
	v.a.mu.Lock()
	v.a.focused = id
	v.a.mu.Unlock()
	return c.info(), nil
}

// Navigate implements worker.Clients: the window client id, which the
// registration controls, loads url. A navigation makes a new document,
// so a new client: the old one closes, and the new one keeps the
// focus. Its ID is "" when it is not of the registration's origin.
func (v clientsView) Navigate(ctx context.Context, id, url string) (worker.Client, error) {
	c := v.a.Client(id)
	if c == nil || c.Controller() != v.reg {
		return worker.Client{}, weberr.New(weberr.TypeError, "Failed to execute 'navigate' on 'WindowClient': the client is not controlled by this service worker.")
	}
	next, res, err := v.a.Navigate(ctx, &fetch.Request{URL: url})
	if err != nil {
		return worker.Client{}, weberr.Errorf(weberr.TypeError, "Failed to execute 'navigate' on 'WindowClient': %v", err)
	}
	if res.Response.IsNetworkError() {
		next.Close()
		return worker.Client{}, weberr.Errorf(weberr.TypeError, "Failed to execute 'navigate' on 'WindowClient': %s", res.Response.Error)
	}
	v.a.mu.Lock()
	if v.a.focused == id {
		v.a.focused = next.id
	}
	v.a.mu.Unlock()
	c.Close()
	if next.origin != v.reg.Scope().Origin() {
		return worker.Client{}, nil
	}
	return next.info(), nil
}

// Ready waits until a registration whose scope matches the client's URL
// has an active worker, and returns it (navigator.serviceWorker.ready).
// It polls nothing: it waits for the registry's lifecycle changes.
func (c *Client) Ready(ctx context.Context) (*registry.Registration, error) {
	changed := make(chan struct{}, 1)
	cancel := c.a.reg.Subscribe(func(registry.Event) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer cancel()
	for {
		if reg := c.a.reg.Match(c.u); reg != nil && reg.Active() != nil {
			return reg, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// GetRegistration returns the registration whose scope matches
// clientURL (resolved against the client's URL; "" is the client's URL)
// best, or nil (navigator.serviceWorker.getRegistration). A URL of
// another origin is a SecurityError.
func (c *Client) GetRegistration(clientURL string) (*registry.Registration, error) {
	u, err := weburl.ParseRef(c.u, clientURL)
	if err != nil {
		return nil, weberr.Errorf(weberr.TypeError, "getRegistration: invalid URL %q", clientURL)
	}
	if u.Origin() != c.origin {
		return nil, weberr.Errorf(weberr.SecurityError, "getRegistration: %s is not of the client's origin %s", u.Href(), c.origin)
	}
	return c.a.reg.Match(u), nil
}

// GetRegistrations returns the registrations of the client's origin
// (navigator.serviceWorker.getRegistrations).
func (c *Client) GetRegistrations() []*registry.Registration {
	return c.a.reg.Registrations(c.origin)
}

// onRegistryEvent fires controllerchange at the clients of a
// registration whose new worker activated (the spec's Activate: every
// client using the registration gets the new controller).
func (a *Agent) onRegistryEvent(e registry.Event) {
	if e.Type != "state" || e.State != sw.StateActivating {
		return
	}
	for _, c := range a.Clients() {
		if reg := c.Controller(); reg != nil && reg.ScopeText() == e.Scope {
			c.addEvent(ClientEvent{Type: "controllerchange", Source: e.ScriptURL})
		}
	}
}

// WorkerOpenWindow opens a window client at url for reg's worker
// (clients.openWindow; registry.Environment's OpenWindow): a navigation
// that creates a client, controlled by whatever worker's scope matches
// it. The Client is zero (null in JavaScript) when the window is not of
// reg's origin. A navigation that fails is a TypeError.
func (a *Agent) WorkerOpenWindow(ctx context.Context, reg *registry.Registration, url string) (worker.Client, error) {
	c, res, err := a.Navigate(ctx, &fetch.Request{URL: url})
	if err != nil {
		return worker.Client{}, weberr.Errorf(weberr.TypeError, "openWindow %s: %v", url, err)
	}
	if res.Response.IsNetworkError() {
		c.Close()
		return worker.Client{}, weberr.Errorf(weberr.TypeError, "openWindow %s: %s", url, res.Response.Error)
	}
	a.record(reg, func(t *trace) { t.windows = append(t.windows, c.url) })
	a.mu.Lock()
	a.focused = c.id // a window opened from a click has the focus
	a.mu.Unlock()
	if c.origin != reg.Scope().Origin() {
		return worker.Client{}, nil
	}
	return c.info(), nil
}

// clientsPost delivers a worker's Client.postMessage to client id.
func (a *Agent) clientsPost(reg *registry.Registration, id string, msg worker.Message) error {
	c := a.Client(id)
	if c == nil {
		return fmt.Errorf("agent: no client %s", id)
	}
	src := ""
	if v := reg.Active(); v != nil {
		src = v.ScriptURL()
	}
	if !c.addEvent(ClientEvent{Type: "message", Message: msg, Source: src}) {
		return fmt.Errorf("agent: client %s is closed", id)
	}
	a.record(reg, func(t *trace) {
		t.messages = append(t.messages, PostedMessage{ClientID: c.id, ClientURL: c.url, Data: msg.Value()})
	})
	return nil
}
