package agent

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/swhost/swhost/message"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// Triggering functional events on demand: what Chrome's Application
// panel does with its Push, Sync and Periodic sync buttons, for testing a
// service worker without a browser, a push service or a user.

// TriggerRequest is a functional event to fire at a registration's active
// worker.
type TriggerRequest struct {
	// Type is the event: "push", "pushsubscriptionchange", "sync",
	// "periodicsync", "notificationclick", "notificationclose" or
	// "message".
	Type string
	// Data is a push message's data (nil: a push without data) or a
	// message's data as a Go value.
	Data []byte
	// Message is the data of a "message" event (any cloneable Go value).
	Message any
	// Tag is a sync or periodicsync tag.
	Tag string
	// LastChance is a sync event's lastChance.
	LastChance bool
	// Notification names the shown notification clicked or closed: its
	// id, or its tag.
	Notification string
	// Action is the notification action clicked ("" for the notification
	// itself).
	Action string
	// Client is the URL of the client a "message" comes from (a window
	// client opened there); "" means the registration's scope URL.
	Client string
}

// PostedMessage is a message a worker posted to a client.
type PostedMessage struct {
	ClientID  string `json:"clientId"`
	ClientURL string `json:"clientURL"`
	Data      any    `json:"data"`
}

// TriggerResult is what firing an event did.
type TriggerResult struct {
	// Err is nil when the event's promises fulfilled; otherwise the
	// listener's exception or the first rejection (or the event's
	// failure: a timeout, the worker stopped).
	Err error
	// Notifications are the notifications shown during the event, in the
	// order shown.
	Notifications []worker.Notification
	// Messages are the messages the registration's workers posted to
	// clients during the event.
	Messages []PostedMessage
	// Windows are the URLs of the windows clients.openWindow opened.
	Windows []string
}

// trace collects what a registration's workers do while an event is
// triggered.
type trace struct {
	messages []PostedMessage
	windows  []string
}

// record runs f on every trace of reg open now.
func (a *Agent) record(reg *registry.Registration, f func(*trace)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, t := range a.traces[reg] {
		f(t)
	}
}

// Trigger fires a functional event at reg's active worker (started if
// stopped) and reports its outcome with what the worker showed and
// posted meanwhile. The error is for requests that fire nothing: an
// unknown type (TypeError), no active worker (InvalidStateError), no
// such notification (NotFoundError), no push subscription for
// pushsubscriptionchange (InvalidStateError). A sync event fired this
// way leaves the registered tags as they are.
func (a *Agent) Trigger(ctx context.Context, reg *registry.Registration, req TriggerRequest) (TriggerResult, error) {
	if req.Type != "message" && !worker.IsFunctionalEvent(req.Type) {
		return TriggerResult{}, weberr.Errorf(weberr.TypeError, "unknown event %q: push, pushsubscriptionchange, sync, periodicsync, notificationclick, notificationclose or message", req.Type)
	}
	if reg.Active() == nil {
		return TriggerResult{}, weberr.Errorf(weberr.InvalidStateError, "%s has no active worker", reg.ScopeText())
	}
	fe := worker.FunctionalEvent{Type: req.Type, Data: req.Data, Tag: req.Tag, LastChance: req.LastChance, Action: req.Action}
	switch req.Type {
	case worker.EventSync, worker.EventPeriodicSync:
		if req.Tag == "" {
			return TriggerResult{}, weberr.Errorf(weberr.TypeError, "a %s event needs a tag", req.Type)
		}
	case worker.EventNotificationClick, worker.EventNotificationClose:
		n, err := reg.Notifications().Find(ctx, req.Notification)
		if err != nil {
			return TriggerResult{}, err
		}
		fe.Notification = &n
		if req.Type == worker.EventNotificationClose {
			// The user closed it: it leaves the list, then the event fires.
			if err := reg.Notifications().Close(ctx, n.ID); err != nil {
				return TriggerResult{}, err
			}
		}
	case worker.EventPushSubscriptionChange:
		old, next, err := reg.Push().Resubscribe(ctx)
		if err != nil {
			return TriggerResult{}, err
		}
		if old == nil {
			return TriggerResult{}, weberr.New(weberr.InvalidStateError, "the registration has no push subscription")
		}
		fe.OldSubscription, fe.NewSubscription = old, next
	}
	before, err := reg.Notifications().List(ctx, "")
	if err != nil {
		return TriggerResult{}, err
	}
	t := &trace{}
	a.mu.Lock()
	a.traces[reg] = append(a.traces[reg], t)
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.traces[reg] = slices.DeleteFunc(a.traces[reg], func(x *trace) bool { return x == t })
		if len(a.traces[reg]) == 0 {
			delete(a.traces, reg)
		}
		a.mu.Unlock()
	}()

	var res TriggerResult
	if req.Type == "message" {
		res.Err = a.triggerMessage(ctx, reg, req)
	} else {
		res.Err = a.reg.Fire(ctx, reg, fe)
	}
	after, err := reg.Notifications().List(ctx, "")
	if err != nil {
		return TriggerResult{}, err
	}
	seen := map[string]bool{}
	for _, n := range before {
		seen[n.ID] = true
	}
	for _, n := range after {
		if !seen[n.ID] {
			res.Notifications = append(res.Notifications, n)
		}
	}
	a.mu.Lock()
	res.Messages, res.Windows = t.messages, t.windows
	a.mu.Unlock()
	return res, nil
}

// triggerMessage posts req.Message to reg's active worker from a window
// client at req.Client (an open one at that URL, or a new one), whether
// or not reg controls it.
func (a *Agent) triggerMessage(ctx context.Context, reg *registry.Registration, req TriggerRequest) error {
	url := req.Client
	if url == "" {
		url = reg.Scope().Prefix()
	}
	c, err := a.ClientForURL(url)
	if err != nil {
		return err
	}
	return a.PostMessageAs(ctx, c, reg, req.Message)
}

// PostMessageAs posts data to reg's active worker as client c does with
// ServiceWorker.postMessage (event.source is c), whether or not reg
// controls c: what swhost message and the admin API use to talk to a
// worker. It returns when the message event is over, as
// Client.PostMessage does.
func (a *Agent) PostMessageAs(ctx context.Context, c *Client, reg *registry.Registration, data any, transfer ...*message.Port) error {
	v := reg.Active()
	if v == nil {
		return weberr.Errorf(weberr.InvalidStateError, "%s has no active worker", reg.ScopeText())
	}
	return a.PostMessageTo(ctx, c, v, data, transfer...)
}

// PostMessageTo posts data to the service worker v (an installing,
// waiting or active version, started if stopped) as client c does with
// ServiceWorker.postMessage: registration.waiting.postMessage, for
// instance. It returns when the message event is over. A version that is
// redundant fails with InvalidStateError.
func (a *Agent) PostMessageTo(ctx context.Context, c *Client, v *registry.Version, data any, transfer ...*message.Port) error {
	if v.State() == sw.StateRedundant {
		return weberr.Errorf(weberr.InvalidStateError, "the service worker %s is redundant", v.ScriptURL())
	}
	w, err := v.Worker(ctx)
	if err != nil {
		return err
	}
	return w.DispatchClientMessage(ctx, worker.Message{Data: data, Ports: transfer}, c.info())
}

// Outcome is "fulfilled", or the error that rejected the event.
func (r TriggerResult) Outcome() string {
	if r.Err == nil {
		return "fulfilled"
	}
	return r.Err.Error()
}

// NotificationJSON is a notification with its data as JSON values, as
// the command line and the admin API show it.
type NotificationJSON struct {
	worker.Notification
	Data any `json:"data,omitempty"`
}

// NotificationsJSON converts notifications for JSON output; data that
// cannot be read shows as null.
func NotificationsJSON(list []worker.Notification) []NotificationJSON {
	out := make([]NotificationJSON, len(list))
	for i := range list {
		out[i].Notification = list[i]
		out[i].Data, _ = worker.NotificationData(&list[i])
	}
	return out
}

// MarshalJSON writes the result as swhost trigger prints it and the admin
// API returns it: {"outcome", "notifications", "messages", "windows"}.
func (r TriggerResult) MarshalJSON() ([]byte, error) {
	msgs := r.Messages
	if msgs == nil {
		msgs = []PostedMessage{}
	}
	wins := r.Windows
	if wins == nil {
		wins = []string{}
	}
	return json.Marshal(struct {
		Outcome       string             `json:"outcome"`
		Notifications []NotificationJSON `json:"notifications"`
		Messages      []PostedMessage    `json:"messages"`
		Windows       []string           `json:"windows"`
	}{r.Outcome(), NotificationsJSON(r.Notifications), msgs, wins})
}
