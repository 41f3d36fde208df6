package registry

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/swhost/swhost/internal/webpush"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// The registration's functional-event state: its push subscription, its
// background sync tags and its shown notifications, kept in the store's
// key-value table under fe/<registration id>/ so that they survive a
// restart (and are shared by a fleet's nodes), and dropped with the
// registration. Every operation reads the store: nothing is cached in
// memory but the sync scheduler's timers (sync.go).

// DefaultPushEndpoint is the base of push subscription endpoints when
// Options.PushEndpoint is empty: a URL that names the subscription but
// reaches nothing (swhost serve sets its admin API's /v1/push/).
const DefaultPushEndpoint = "https://push.swhost.invalid/v1/push/"

// DefaultMaxBackgroundEntries bounds the notifications, sync tags and
// periodic sync tags one registration keeps (each kind separately).
const DefaultMaxBackgroundEntries = 256

func feKey(regID int64, parts ...string) string {
	return "fe/" + strconv.FormatInt(regID, 10) + "/" + strings.Join(parts, "/")
}

func feKeyPrefix(regID int64, kind string) string { return feKey(regID, kind) + "/" }

// getJSON reads key into v; ok false when there is no such key.
func (r *Registry) getJSON(ctx context.Context, key string, v any) (bool, error) {
	b, err := r.opts.Store.Get(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("registry: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("registry: %s: %w", key, err)
	}
	return true, nil
}

func (r *Registry) putJSON(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := r.opts.Store.Put(ctx, key, b); err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	return nil
}

// scanJSON calls fn for every value under prefix, in key order.
func (r *Registry) scanKeys(ctx context.Context, prefix string, fn func(e store.KVEntry) error) error {
	if err := r.opts.Store.Scan(ctx, prefix, store.ScanOptions{}, fn); err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	return nil
}

// dropFunctional deletes a registration's functional-event state (its
// subscription ends, its tags and notifications go).
func (r *Registry) dropFunctional(ctx context.Context, regID int64) {
	var keys []string
	_ = r.opts.Store.Scan(ctx, feKey(regID), store.ScanOptions{KeysOnly: true}, func(e store.KVEntry) error {
		keys = append(keys, e.Key)
		return nil
	})
	if len(keys) > 0 {
		if err := r.opts.Store.Delete(ctx, keys...); err != nil {
			r.log.Warn("functional-event state of a removed registration was not deleted", "registration", regID, "err", err)
		}
	}
	r.syncs.forget(regID)
}

func (r *Registry) maxBackground() int {
	if r.opts.MaxBackgroundEntries > 0 {
		return r.opts.MaxBackgroundEntries
	}
	return DefaultMaxBackgroundEntries
}

func (reg *Registration) requireActive(name string) error {
	if reg.Active() == nil {
		return weberr.New(name, "the registration has no active worker")
	}
	return nil
}

// ---- push

// Push is a registration's push subscription (registration.pushManager).
// It implements [worker.PushService].
type Push struct{ reg *Registration }

// Push returns the registration's push subscription service.
func (reg *Registration) Push() *Push { return &Push{reg} }

// pushRecord is a stored subscription: what PushSubscription shows, and
// the private key push messages are decrypted with (RFC 8291).
type pushRecord struct {
	Endpoint        string `json:"endpoint"`
	UserVisibleOnly bool   `json:"userVisibleOnly"`
	Key             []byte `json:"applicationServerKey,omitempty"`
	P256DH          []byte `json:"p256dh"`
	Auth            []byte `json:"auth"`
	Private         []byte `json:"private"`
}

func (p *pushRecord) subscription() worker.PushSubscription {
	return worker.PushSubscription{Endpoint: p.Endpoint, UserVisibleOnly: p.UserVisibleOnly, ApplicationServerKey: p.Key, P256DH: p.P256DH, Auth: p.Auth}
}

// ApplicationServerKey converts PushSubscriptionOptionsInit's
// applicationServerKey (a base64url string or bytes) to the P-256 public
// key it must be: InvalidCharacterError for a string that is not
// base64url, InvalidAccessError for bytes that are not an uncompressed
// P-256 point, NotSupportedError for none (nil).
func ApplicationServerKey(key any) ([]byte, error) {
	var b []byte
	switch k := key.(type) {
	case nil:
		return nil, weberr.New(weberr.NotSupportedError, "push subscriptions need an applicationServerKey (VAPID public key)")
	case string:
		var err error
		if b, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(k, "=")); err != nil {
			return nil, weberr.New(weberr.InvalidCharacterError, "the applicationServerKey string is not base64url")
		}
	case []byte:
		b = k
	default:
		return nil, weberr.Errorf(weberr.TypeError, "applicationServerKey of type %T", key)
	}
	if _, err := ecdh.P256().NewPublicKey(b); err != nil {
		return nil, weberr.New(weberr.InvalidAccessError, "the applicationServerKey is not a valid P-256 public key")
	}
	return b, nil
}

// Subscribe implements [worker.PushService].
func (p *Push) Subscribe(ctx context.Context, userVisibleOnly bool, key any) (worker.PushSubscription, error) {
	reg := p.reg
	k, err := ApplicationServerKey(key)
	if err != nil {
		return worker.PushSubscription{}, err
	}
	if err := reg.requireActive(weberr.InvalidStateError); err != nil {
		return worker.PushSubscription{}, err
	}
	reg.feMu.Lock()
	defer reg.feMu.Unlock()
	var old pushRecord
	ok, err := reg.r.getJSON(ctx, feKey(reg.id, "push"), &old)
	if err != nil {
		return worker.PushSubscription{}, err
	}
	if ok {
		if string(old.Key) != string(k) {
			return worker.PushSubscription{}, weberr.New(weberr.InvalidStateError, "a subscription with a different applicationServerKey exists; unsubscribe first")
		}
		return old.subscription(), nil
	}
	rec, err := reg.r.newPushRecord(userVisibleOnly, k)
	if err != nil {
		return worker.PushSubscription{}, err
	}
	if err := reg.r.putJSON(ctx, feKey(reg.id, "push"), rec); err != nil {
		return worker.PushSubscription{}, err
	}
	return rec.subscription(), nil
}

func (r *Registry) newPushRecord(userVisibleOnly bool, key []byte) (*pushRecord, error) {
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("registry: push keys: %w", err)
	}
	auth := make([]byte, 16)
	_, _ = rand.Read(auth)
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	base := r.opts.PushEndpoint
	if base == "" {
		base = DefaultPushEndpoint
	}
	return &pushRecord{
		Endpoint: base + hex.EncodeToString(id), UserVisibleOnly: userVisibleOnly, Key: key,
		P256DH: priv.PublicKey().Bytes(), Auth: auth, Private: priv.Bytes(),
	}, nil
}

// Subscription implements [worker.PushService].
func (p *Push) Subscription(ctx context.Context) (worker.PushSubscription, bool, error) {
	var rec pushRecord
	ok, err := p.reg.r.getJSON(ctx, feKey(p.reg.id, "push"), &rec)
	if !ok || err != nil {
		return worker.PushSubscription{}, false, err
	}
	return rec.subscription(), true, nil
}

// Unsubscribe implements [worker.PushService].
func (p *Push) Unsubscribe(ctx context.Context, endpoint string) (bool, error) {
	reg := p.reg
	reg.feMu.Lock()
	defer reg.feMu.Unlock()
	var rec pushRecord
	ok, err := reg.r.getJSON(ctx, feKey(reg.id, "push"), &rec)
	if !ok || err != nil || rec.Endpoint != endpoint {
		return false, err
	}
	if err := reg.r.opts.Store.Delete(ctx, feKey(reg.id, "push")); err != nil {
		return false, fmt.Errorf("registry: %w", err)
	}
	return true, nil
}

// Resubscribe replaces the subscription by a new one with the same
// options (new endpoint and keys), as a push service does when a
// subscription expires, and returns both: what a pushsubscriptionchange
// event carries. old is nil when there was none (new is nil then too).
func (p *Push) Resubscribe(ctx context.Context) (old, new *worker.PushSubscription, err error) {
	reg := p.reg
	reg.feMu.Lock()
	defer reg.feMu.Unlock()
	var rec pushRecord
	ok, err := reg.r.getJSON(ctx, feKey(reg.id, "push"), &rec)
	if !ok || err != nil {
		return nil, nil, err
	}
	next, err := reg.r.newPushRecord(rec.UserVisibleOnly, rec.Key)
	if err != nil {
		return nil, nil, err
	}
	if err := reg.r.putJSON(ctx, feKey(reg.id, "push"), next); err != nil {
		return nil, nil, err
	}
	o, n := rec.subscription(), next.subscription()
	return &o, &n, nil
}

// ---- notifications

// Notifications are a registration's shown notifications
// (registration.showNotification). It implements
// [worker.NotificationService].
type Notifications struct{ reg *Registration }

// Notifications returns the registration's notification service.
func (reg *Registration) Notifications() *Notifications { return &Notifications{reg} }

// noteRecord is a stored notification: the notification and its data
// (which worker.Notification leaves out of its JSON form).
type noteRecord struct {
	N    worker.Notification `json:"n"`
	Data []byte              `json:"data,omitempty"`
}

// Show implements [worker.NotificationService]: a notification with the
// tag of a shown one replaces it in place; beyond the limit
// (Options.MaxBackgroundEntries) the oldest notification is closed.
func (ns *Notifications) Show(ctx context.Context, n worker.Notification) error {
	reg := ns.reg
	if err := reg.requireActive(weberr.TypeError); err != nil {
		return err
	}
	reg.feMu.Lock()
	defer reg.feMu.Unlock()
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	n.ID = hex.EncodeToString(id)
	var keys []string
	key := ""
	if err := reg.r.scanKeys(ctx, feKeyPrefix(reg.id, "note"), func(e store.KVEntry) error {
		keys = append(keys, e.Key)
		if n.Tag != "" && key == "" {
			var rec noteRecord
			if json.Unmarshal(e.Value, &rec) == nil && rec.N.Tag == n.Tag {
				key = e.Key
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if key == "" {
		seq := reg.r.opts.Now().UnixNano()
		if len(keys) > 0 {
			if last, err := strconv.ParseInt(keys[len(keys)-1][len(feKeyPrefix(reg.id, "note")):], 10, 64); err == nil && last >= seq {
				seq = last + 1
			}
		}
		key = feKey(reg.id, "note", fmt.Sprintf("%020d", seq))
		if len(keys) >= reg.r.maxBackground() {
			if err := reg.r.opts.Store.Delete(ctx, keys[0]); err != nil {
				return fmt.Errorf("registry: %w", err)
			}
		}
	}
	data := n.Data
	n.Data = nil
	if err := reg.r.putJSON(ctx, key, noteRecord{N: n, Data: data}); err != nil {
		return err
	}
	reg.r.emit(Event{Type: "notification", Scope: reg.text, Detail: n.Title})
	return nil
}

// List implements [worker.NotificationService].
func (ns *Notifications) List(ctx context.Context, tag string) ([]worker.Notification, error) {
	var out []worker.Notification
	err := ns.reg.r.scanKeys(ctx, feKeyPrefix(ns.reg.id, "note"), func(e store.KVEntry) error {
		var rec noteRecord
		if err := json.Unmarshal(e.Value, &rec); err != nil {
			return nil // a record this version cannot read is skipped
		}
		if tag == "" || rec.N.Tag == tag {
			rec.N.Data = rec.Data
			out = append(out, rec.N)
		}
		return nil
	})
	return out, err
}

// Close implements [worker.NotificationService].
func (ns *Notifications) Close(ctx context.Context, id string) error {
	reg := ns.reg
	reg.feMu.Lock()
	defer reg.feMu.Unlock()
	var del []string
	err := reg.r.scanKeys(ctx, feKeyPrefix(reg.id, "note"), func(e store.KVEntry) error {
		var rec noteRecord
		if json.Unmarshal(e.Value, &rec) == nil && rec.N.ID == id {
			del = append(del, e.Key)
		}
		return nil
	})
	if err != nil || len(del) == 0 {
		return err
	}
	if err := reg.r.opts.Store.Delete(ctx, del...); err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	return nil
}

// Find returns the shown notification whose id or, failing that, whose
// tag is key; NotFoundError when there is none.
func (ns *Notifications) Find(ctx context.Context, key string) (worker.Notification, error) {
	list, err := ns.List(ctx, "")
	if err != nil {
		return worker.Notification{}, err
	}
	for _, n := range list {
		if n.ID == key {
			return n, nil
		}
	}
	for _, n := range list {
		if n.Tag == key && key != "" {
			return n, nil
		}
	}
	return worker.Notification{}, weberr.Errorf(weberr.NotFoundError, "no shown notification has the id or tag %q", key)
}

// PushMessage turns a push service's request for the subscription id
// (the last path segment of its endpoint) into the data of a push
// event: the registration subscribed, and the body decrypted when
// contentEncoding is "aes128gcm" (RFC 8291; a body sent with no
// encoding is taken as it is, for testing). An empty body is a push
// without data (nil). NotFoundError when no registration has that
// subscription; TypeError for a body that does not decrypt or another
// encoding.
func (r *Registry) PushMessage(ctx context.Context, id string, body []byte, contentEncoding string) (*Registration, []byte, error) {
	if id == "" || strings.Contains(id, "/") {
		return nil, nil, weberr.Errorf(weberr.NotFoundError, "no push subscription %q", id)
	}
	r.mu.RLock()
	regs := make([]*Registration, 0, len(r.byID))
	for _, reg := range r.byID {
		regs = append(regs, reg)
	}
	r.mu.RUnlock()
	for _, reg := range regs {
		var rec pushRecord
		ok, err := r.getJSON(ctx, feKey(reg.id, "push"), &rec)
		if err != nil {
			return nil, nil, err
		}
		if !ok || !strings.HasSuffix(rec.Endpoint, "/"+id) {
			continue
		}
		if len(body) == 0 {
			return reg, nil, nil
		}
		switch strings.ToLower(contentEncoding) {
		case "":
			return reg, body, nil
		case "aes128gcm":
			priv, err := ecdh.P256().NewPrivateKey(rec.Private)
			if err != nil {
				return nil, nil, fmt.Errorf("registry: the stored push key: %w", err)
			}
			data, err := webpush.Decrypt(priv, rec.Auth, body)
			if err != nil {
				return nil, nil, weberr.Errorf(weberr.TypeError, "push message for %s: %v", id, err)
			}
			return reg, data, nil
		default:
			return nil, nil, weberr.Errorf(weberr.TypeError, "push message content encoding %q: only aes128gcm (RFC 8291)", contentEncoding)
		}
	}
	return nil, nil, weberr.Errorf(weberr.NotFoundError, "no push subscription %q", id)
}
