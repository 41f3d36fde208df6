package server

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// Functional events from the admin API: the devtools page's Push, Sync,
// Periodic sync and Message buttons, the notifications a worker shows,
// and a push service endpoint for the subscriptions workers make.

// triggerRequest is the body of POST /v1/registrations/{id}/trigger.
type triggerRequest struct {
	Event        string          `json:"event"`
	Payload      *string         `json:"payload,omitempty"` // push: the data (absent: none)
	Data         json.RawMessage `json:"data,omitempty"`    // message: the JSON value posted
	Tag          string          `json:"tag,omitempty"`
	LastChance   bool            `json:"lastChance,omitempty"`
	Notification string          `json:"notification,omitempty"`
	Action       string          `json:"action,omitempty"`
	Client       string          `json:"client,omitempty"`
}

func (tr *triggerRequest) validate() error {
	if err := required("event", tr.Event); err != nil {
		return err
	}
	if tr.Event != "message" && !worker.IsFunctionalEvent(tr.Event) {
		return fieldError("event", "%q is not push, pushsubscriptionchange, sync, periodicsync, notificationclick, notificationclose or message", tr.Event)
	}
	return nil
}

// trigger fires a functional event and answers with its outcome, the
// notifications shown and the messages posted (agent.TriggerResult's
// JSON); an event whose promises rejected is still a 200.
func (s *Server) trigger(w http.ResponseWriter, r *http.Request, reg *registry.Registration) {
	var tr triggerRequest
	if err := decodeBody(r, &tr); err != nil {
		s.fail(w, err)
		return
	}
	req := agent.TriggerRequest{Type: tr.Event, Tag: tr.Tag, LastChance: tr.LastChance, Notification: tr.Notification, Action: tr.Action, Client: tr.Client}
	if tr.Payload != nil {
		req.Data = []byte(*tr.Payload)
	}
	if tr.Event == "message" && len(tr.Data) > 0 {
		if err := json.Unmarshal(tr.Data, &req.Message); err != nil {
			s.fail(w, weberr.Errorf(weberr.TypeError, "field data: %v", err))
			return
		}
	}
	res, err := s.agent.Trigger(r.Context(), reg, req)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// notifications lists the registration's shown notifications, with their
// data.
func (s *Server) notifications(w http.ResponseWriter, r *http.Request, reg *registry.Registration) {
	list, err := reg.Notifications().List(r.Context(), "")
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, agent.NotificationsJSON(list))
}

// syncTags lists the registration's background sync and periodic sync
// tags and its push subscription.
func (s *Server) syncTags(w http.ResponseWriter, r *http.Request, reg *registry.Registration) {
	ctx := r.Context()
	tags, err := reg.Sync().Tags(ctx, false)
	if err != nil {
		s.fail(w, err)
		return
	}
	periodic, err := reg.Sync().Tags(ctx, true)
	if err != nil {
		s.fail(w, err)
		return
	}
	out := map[string]any{"sync": tags, "periodicSync": periodic, "pushSubscription": nil}
	if sub, ok, err := reg.Push().Subscription(ctx); err != nil {
		s.fail(w, err)
		return
	} else if ok {
		out["pushSubscription"] = map[string]any{"endpoint": sub.Endpoint, "userVisibleOnly": sub.UserVisibleOnly}
	}
	writeJSON(w, http.StatusOK, out)
}

// maxPushBody caps a push message request (RFC 8030 push services take
// 4096 bytes of payload).
const maxPushBody = 8192

// push is the push service endpoint of the subscriptions, POST
// /push/{sub} (RFC 8030's "push message" request): the body, encrypted
// with aes128gcm (RFC 8291) as web-push libraries send it, or sent as
// is, becomes a push event at the subscribed registration's worker. It
// answers 201 with the event's outcome. It takes no admin token: as at a
// push service, the endpoint's unguessable id is the capability (see
// docs/security.md).
func (s *Server) push(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPushBody))
	if err != nil {
		s.fail(w, weberr.Errorf(weberr.TypeError, "push message: %v", err))
		return
	}
	reg, data, err := s.reg.PushMessage(r.Context(), r.PathValue("sub"), body, r.Header.Get("Content-Encoding"))
	if err != nil {
		s.fail(w, err)
		return
	}
	res, err := s.agent.Trigger(r.Context(), reg, agent.TriggerRequest{Type: worker.EventPush, Data: data})
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}
