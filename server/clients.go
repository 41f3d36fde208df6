package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// Long-lived window clients over the admin API: a test (the npm
// package, a script) opens a client at a page URL, posts messages to
// its service worker as the page's navigator.serviceWorker would, and
// takes the client's events (the messages workers post to it, its
// controllerchange events) one at a time by long polling.

// MaxAPIClients caps the clients open through POST /v1/clients at once;
// opening one more is a QuotaExceededError until one is closed.
const MaxAPIClients = 256

// clientWait is how long GET /v1/clients/{id}/events?wait=1 waits for an
// event before answering 204 (the caller asks again).
const clientWait = 25 * time.Second

// apiClients are the clients opened through the admin API, by id.
type apiClients struct {
	mu   sync.Mutex
	open map[string]*agent.Client
}

func (ac *apiClients) get(id string) *agent.Client {
	ac.mu.Lock()
	defer ac.mu.Unlock()
	return ac.open[id]
}

// openClientRequest is the body of POST /v1/clients.
type openClientRequest struct {
	URL string `json:"url"`
}

func (req *openClientRequest) validate() error { return required("url", req.URL) }

// postClientMessageRequest is the body of POST /v1/clients/{id}/messages.
type postClientMessageRequest struct {
	Data         json.RawMessage `json:"data,omitempty"`
	Worker       string          `json:"worker,omitempty"`       // active (default), waiting or installing
	Registration *int64          `json:"registration,omitempty"` // default: the controller, else the registration matching the client's URL
}

func (req *postClientMessageRequest) validate() error {
	return oneOf("worker", req.Worker, "active", "waiting", "installing")
}

// clientEventJSON is one event of a client, as GET
// /v1/clients/{id}/events answers it.
type clientEventJSON struct {
	Type   string          `json:"type"`
	Data   json.RawMessage `json:"data,omitempty"`
	Source string          `json:"source"`
	Seq    uint64          `json:"seq"`
}

// apiClientJSON describes a client, as /v1/clients lists it.
func apiClientJSON(c *agent.Client) clientInfo {
	ci := clientInfo{ID: c.ID(), URL: c.URL(), Origin: c.Origin()}
	if reg := c.Controller(); reg != nil {
		id := reg.ID()
		ci.Controller = &id
	}
	return ci
}

// openClient is POST /v1/clients {"url"}: a window client at url that
// lives until DELETE /v1/clients/{id} (agent.OpenClient), controlled by
// the active worker whose scope matches url.
func (s *Server) openClient(w http.ResponseWriter, r *http.Request) {
	var req openClientRequest
	if err := decodeBody(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	s.apiClients.mu.Lock()
	if len(s.apiClients.open) >= MaxAPIClients {
		s.apiClients.mu.Unlock()
		s.fail(w, weberr.Errorf(weberr.QuotaExceeded, "%d clients are open through the admin API, the most there may be; close one with DELETE /v1/clients/{id}", MaxAPIClients))
		return
	}
	c, err := s.agent.OpenClient(req.URL)
	if err != nil {
		s.apiClients.mu.Unlock()
		s.fail(w, err)
		return
	}
	if s.apiClients.open == nil {
		s.apiClients.open = map[string]*agent.Client{}
	}
	s.apiClients.open[c.ID()] = c
	s.apiClients.mu.Unlock()
	writeJSON(w, http.StatusCreated, apiClientJSON(c))
}

// withAPIClient resolves the {id} path value to a client opened through
// POST /v1/clients.
func (s *Server) withAPIClient(h func(http.ResponseWriter, *http.Request, *agent.Client)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := s.apiClients.get(r.PathValue("id"))
		if c == nil {
			s.fail(w, weberr.Errorf(weberr.NotFoundError, "no client %q opened through POST /v1/clients", r.PathValue("id")))
			return
		}
		h(w, r, c)
	}
}

// closeClient is DELETE /v1/clients/{id}.
func (s *Server) closeClient(w http.ResponseWriter, r *http.Request, c *agent.Client) {
	if err := noBody(r); err != nil {
		s.fail(w, err)
		return
	}
	s.apiClients.mu.Lock()
	delete(s.apiClients.open, c.ID())
	s.apiClients.mu.Unlock()
	c.Close()
	w.WriteHeader(http.StatusNoContent)
}

// postClientMessage is POST /v1/clients/{id}/messages {"data", "worker",
// "registration"}: the client posts data to a worker of a registration
// (by default its controller's active worker, as
// navigator.serviceWorker.controller.postMessage; "worker": "waiting"
// posts to the waiting worker, as registration.waiting.postMessage). It
// answers when the worker's message event is over, with its outcome.
func (s *Server) postClientMessage(w http.ResponseWriter, r *http.Request, c *agent.Client) {
	var req postClientMessageRequest
	if err := decodeBody(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	var data any
	if len(req.Data) > 0 {
		if err := json.Unmarshal(req.Data, &data); err != nil {
			s.fail(w, fieldError("data", "%v", err))
			return
		}
	}
	reg, err := s.messageTarget(c, req.Registration)
	if err != nil {
		s.fail(w, err)
		return
	}
	var v *registry.Version
	switch req.Worker {
	case "", "active":
		v = reg.Active()
	case "waiting":
		v = reg.Waiting()
	case "installing":
		v = reg.Installing()
	}
	if v == nil {
		which := req.Worker
		if which == "" {
			which = "active"
		}
		s.fail(w, weberr.Errorf(weberr.InvalidStateError, "registration %d has no %s worker", reg.ID(), which))
		return
	}
	wk, err := v.Worker(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	client := worker.Client{ID: c.ID(), URL: c.URL(), Type: "window", FrameType: "top-level", VisibilityState: "visible"}
	outcome := "fulfilled"
	if err := wk.DispatchClientMessage(r.Context(), worker.Message{Data: data}, client); err != nil {
		if r.Context().Err() != nil {
			return
		}
		outcome = err.Error()
	}
	writeJSON(w, http.StatusOK, map[string]string{"outcome": outcome})
}

// messageTarget returns the registration a client's message goes to: the
// one named, which must be of the client's origin, else its controller,
// else the registration whose scope matches the client's URL.
func (s *Server) messageTarget(c *agent.Client, id *int64) (*registry.Registration, error) {
	if id != nil {
		reg := s.reg.Registration(*id)
		if reg == nil || reg.Uninstalling() {
			return nil, weberr.Errorf(weberr.NotFoundError, "no registration %d", *id)
		}
		if reg.Scope().Origin() != c.Origin() {
			return nil, weberr.Errorf(weberr.SecurityError, "registration %d is not of the client's origin %s", *id, c.Origin())
		}
		return reg, nil
	}
	if reg := c.Controller(); reg != nil {
		return reg, nil
	}
	reg, err := c.GetRegistration("")
	if err != nil {
		return nil, err
	}
	if reg == nil {
		return nil, weberr.Errorf(weberr.InvalidStateError, "the client %s has no controller and no registration's scope matches it", c.URL())
	}
	return reg, nil
}

// clientEvents is GET /v1/clients/{id}/events[?wait=1][&after=N]: the
// client's next event (a message a worker posted to it, or
// controllerchange), taken from its queue; with after, the first event
// whose seq is past N, kept until a request with an after at or past its
// seq (a poll whose answer was lost gets it again). Without wait it
// answers 204 at once when there is none; with wait=1 it waits up to
// 25 s for one, then answers 204.
func (s *Server) clientEvents(w http.ResponseWriter, r *http.Request, c *agent.Client) {
	wait, err := queryParam(r, "wait", "0", "1")
	if err != nil {
		s.fail(w, err)
		return
	}
	afterText, err := queryParam(r, "after")
	if err != nil {
		s.fail(w, err)
		return
	}
	var after uint64
	if afterText != "" {
		if after, err = strconv.ParseUint(afterText, 10, 64); err != nil {
			s.fail(w, weberr.Errorf(weberr.TypeError, "query parameter after: %q is not an event's seq (a non-negative integer)", afterText))
			return
		}
	}
	if err := noBody(r); err != nil {
		s.fail(w, err)
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	if wait == "1" {
		ctx, cancel = context.WithTimeout(ctx, clientWait)
		defer cancel()
		go func() {
			select {
			case <-s.done:
				cancel()
			case <-ctx.Done():
			}
		}()
	} else {
		cancel() // NextEvent still returns a queued event first
	}
	var ev agent.ClientEvent
	if afterText != "" {
		ev, err = c.NextEventAfter(ctx, after)
	} else {
		ev, err = c.NextEvent(ctx)
	}
	if err != nil {
		if r.Context().Err() != nil {
			return
		}
		if ctx.Err() != nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		s.fail(w, err)
		return
	}
	out := clientEventJSON{Type: ev.Type, Source: ev.Source, Seq: ev.Seq}
	if ev.Type == "message" {
		b, err := json.Marshal(ev.Message.Data)
		if err != nil {
			b, _ = json.Marshal(map[string]string{"$type": "unserializable", "message": err.Error()})
		}
		out.Data = b
	}
	writeJSON(w, http.StatusOK, out)
}
