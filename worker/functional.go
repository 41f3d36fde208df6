package worker

import (
	"context"
	"fmt"

	"github.com/grafana/sobek"
	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/weberr"
)

// Functional events: the events a service worker handles besides fetch
// and message, which a user agent fires when something happens outside
// any page: a push message, connectivity for a background sync, a click
// on a notification. The state behind them (the push subscription, sync
// tags, shown notifications) belongs to the registration; the worker
// reaches it through the services in [Hooks].

// Functional event types.
const (
	EventPush                   = "push"
	EventPushSubscriptionChange = "pushsubscriptionchange"
	EventSync                   = "sync"
	EventPeriodicSync           = "periodicsync"
	EventNotificationClick      = "notificationclick"
	EventNotificationClose      = "notificationclose"
)

// IsFunctionalEvent reports whether typ is one of the functional event
// types DispatchFunctional fires.
func IsFunctionalEvent(typ string) bool {
	switch typ {
	case EventPush, EventPushSubscriptionChange, EventSync, EventPeriodicSync, EventNotificationClick, EventNotificationClose:
		return true
	}
	return false
}

// FunctionalEvent is a functional event to fire. Which fields count
// depends on Type.
type FunctionalEvent struct {
	Type string
	// Data is a push message's data (PushEvent.data); nil for a push
	// without data.
	Data []byte
	// Tag is the sync or periodicsync tag.
	Tag string
	// LastChance is SyncEvent.lastChance: the user agent will not retry.
	LastChance bool
	// Notification is the notification clicked or closed.
	Notification *Notification
	// Action is the action the user chose (NotificationEvent.action), ""
	// for a click on the notification itself.
	Action string
	// NewSubscription and OldSubscription are a pushsubscriptionchange
	// event's; nil for none.
	NewSubscription, OldSubscription *PushSubscription
}

// PushSubscription is a registration's push subscription, as
// PushSubscription shows it.
type PushSubscription struct {
	Endpoint string
	// ExpirationTime is in milliseconds since the Unix epoch; 0 means none.
	ExpirationTime       int64
	UserVisibleOnly      bool
	ApplicationServerKey []byte // nil when none was given
	// P256DH is the subscription's public key (an uncompressed P-256
	// point) and Auth its 16-byte authentication secret, which a push
	// application server encrypts messages with (RFC 8291).
	P256DH, Auth []byte
}

// PushService backs registration.pushManager: the registration's one
// subscription. Its methods are called on their own goroutine.
type PushService interface {
	// Subscribe returns the registration's subscription, made when there
	// is none. key is the applicationServerKey as given: nil, a string
	// (base64url) or []byte. It fails with InvalidStateError without an
	// active worker or when a subscription with another key exists, with
	// InvalidCharacterError or InvalidAccessError for a bad key and
	// NotSupportedError for none.
	Subscribe(ctx context.Context, userVisibleOnly bool, key any) (PushSubscription, error)
	// Subscription returns the subscription, ok false when there is none.
	Subscription(ctx context.Context) (s PushSubscription, ok bool, err error)
	// Unsubscribe removes the subscription whose endpoint is given and
	// reports whether there was one.
	Unsubscribe(ctx context.Context, endpoint string) (bool, error)
}

// SyncService backs registration.sync and registration.periodicSync.
// Its methods are called on their own goroutine.
type SyncService interface {
	// Register registers a one-off sync tag: the sync event fires once
	// the origin is online. It fails with InvalidStateError without an
	// active worker.
	Register(ctx context.Context, tag string) error
	// RegisterPeriodic registers (or updates) a periodic sync tag with
	// its minimum interval in milliseconds.
	RegisterPeriodic(ctx context.Context, tag string, minIntervalMillis int64) error
	// UnregisterPeriodic removes a periodic sync tag.
	UnregisterPeriodic(ctx context.Context, tag string) error
	// Tags lists the one-off tags not yet fired to success (periodic
	// false) or the periodic tags.
	Tags(ctx context.Context, periodic bool) ([]string, error)
}

// Notification is a shown notification, as a Notification object shows
// it.
type Notification struct {
	ID                 string               `json:"id"`
	Title              string               `json:"title"`
	Dir                string               `json:"dir"`
	Lang               string               `json:"lang,omitempty"`
	Body               string               `json:"body,omitempty"`
	Navigate           string               `json:"navigate,omitempty"`
	Tag                string               `json:"tag,omitempty"`
	Image              string               `json:"image,omitempty"`
	Icon               string               `json:"icon,omitempty"`
	Badge              string               `json:"badge,omitempty"`
	Vibrate            []int64              `json:"vibrate,omitempty"`
	Timestamp          int64                `json:"timestamp"` // milliseconds since the Unix epoch
	Renotify           bool                 `json:"renotify,omitempty"`
	Silent             *bool                `json:"silent,omitempty"`
	RequireInteraction bool                 `json:"requireInteraction,omitempty"`
	Actions            []NotificationAction `json:"actions,omitempty"`
	// Data is options.data serialized for storage (structured clone's
	// binary form); nil for none. [NotificationData] reads it.
	Data []byte `json:"-"`
}

// NotificationAction is one of a notification's actions.
type NotificationAction struct {
	Action   string `json:"action"`
	Title    string `json:"title"`
	Icon     string `json:"icon,omitempty"`
	Navigate string `json:"navigate,omitempty"`
}

// NotificationData returns a notification's data as Go values (see
// [Message.Value]); nil when it has none.
func NotificationData(n *Notification) (any, error) {
	if len(n.Data) == 0 {
		return nil, nil
	}
	rec, err := structuredclone.UnmarshalBinary(n.Data, IDBHostCodec.Decode)
	if err != nil {
		return nil, fmt.Errorf("notification data: %w", err)
	}
	return rec.Export(), nil
}

// NotificationService backs registration.showNotification and
// getNotifications. Its methods are called on their own goroutine.
type NotificationService interface {
	// Show records a new notification (its ID is set by the service),
	// replacing a shown one with the same tag. It fails with TypeError
	// without an active worker.
	Show(ctx context.Context, n Notification) error
	// List returns the shown notifications in the order they were shown,
	// those with the tag only when tag is not "".
	List(ctx context.Context, tag string) ([]Notification, error)
	// Close removes the notification id (Notification.close()). It is
	// called on the worker's loop and should return quickly.
	Close(ctx context.Context, id string) error
}

// DispatchFunctional fires a functional event and waits for its
// waitUntil promises. It returns nil when they fulfilled; a listener
// exception or the first rejection is the error (a *JSError when the
// script's).
func (w *Worker) DispatchFunctional(ctx context.Context, fe FunctionalEvent) error {
	if !IsFunctionalEvent(fe.Type) {
		return weberr.Errorf(weberr.TypeError, "%q is not a functional event", fe.Type)
	}
	if (fe.Type == EventNotificationClick || fe.Type == EventNotificationClose) && fe.Notification == nil {
		return weberr.Errorf(weberr.TypeError, "a %s event needs a notification", fe.Type)
	}
	r, err := w.dispatch(ctx, &event{kind: fe.Type}, func(in *instance, token int64, ev *event) {
		init, err := in.functionalInit(fe)
		if err != nil {
			in.complete(token, eventResult{err: fmt.Errorf("%s event: %w", fe.Type, err)})
			return
		}
		if fe.Type == EventNotificationClick {
			// A click is a user activation: clients.openWindow may open a
			// window until the event is over (forget).
			in.windowAllowed++
		}
		if ext, ok := in.call(token, in.js.functional, in.rt.ToValue(token), in.rt.ToValue(fe.Type), init); ok {
			in.settleLifetime(token, ext)
		}
	})
	if err != nil {
		return err
	}
	if r.threw != nil {
		return fmt.Errorf("%s event listener threw: %w", fe.Type, r.threw)
	}
	return r.failure
}

// functionalInit builds the init object the entry point's functional
// takes (on the loop).
func (in *instance) functionalInit(fe FunctionalEvent) (v sobek.Value, err error) {
	defer func() {
		if x := recover(); x != nil {
			ex, ok := x.(*sobek.Exception)
			if !ok {
				panic(x)
			}
			err = ex
		}
	}()
	rt := in.rt
	o := rt.NewObject()
	switch fe.Type {
	case EventPush:
		if fe.Data == nil {
			_ = o.Set("data", sobek.Null())
		} else {
			_ = o.Set("data", in.uint8Array(fe.Data))
		}
	case EventPushSubscriptionChange:
		_ = o.Set("newSubscription", in.subscriptionToJS(fe.NewSubscription))
		_ = o.Set("oldSubscription", in.subscriptionToJS(fe.OldSubscription))
	case EventSync:
		_ = o.Set("tag", fe.Tag)
		_ = o.Set("lastChance", fe.LastChance)
	case EventPeriodicSync:
		_ = o.Set("tag", fe.Tag)
	case EventNotificationClick, EventNotificationClose:
		_ = o.Set("notification", in.notificationToJS(fe.Notification))
		_ = o.Set("action", fe.Action)
	}
	return o, nil
}
