package worker

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/swhost/swhost/weberr"
)

// memServices keeps a registration's push subscription, sync tags and
// notifications in memory: what the registry keeps in the store, for
// testing the worker's side of the services.
type memServices struct {
	mu            sync.Mutex
	sub           *PushSubscription
	tags          []string
	notifications []Notification
	opened        []string
}

func (m *memServices) Subscribe(_ context.Context, visible bool, key any) (PushSubscription, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := key.([]byte)
	if !ok {
		return PushSubscription{}, weberr.New(weberr.InvalidAccessError, "want bytes")
	}
	if m.sub == nil {
		m.sub = &PushSubscription{Endpoint: "https://push.test/1", UserVisibleOnly: visible, ApplicationServerKey: b, P256DH: []byte{4, 1, 2}, Auth: []byte{0xfb, 0xff}}
	}
	return *m.sub, nil
}

func (m *memServices) Subscription(context.Context) (PushSubscription, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sub == nil {
		return PushSubscription{}, false, nil
	}
	return *m.sub, true, nil
}

func (m *memServices) Unsubscribe(_ context.Context, endpoint string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	had := m.sub != nil && m.sub.Endpoint == endpoint
	if had {
		m.sub = nil
	}
	return had, nil
}

func (m *memServices) Register(_ context.Context, tag string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tags = append(m.tags, tag)
	return nil
}
func (m *memServices) RegisterPeriodic(context.Context, string, int64) error { return nil }
func (m *memServices) UnregisterPeriodic(context.Context, string) error      { return nil }
func (m *memServices) Tags(_ context.Context, periodic bool) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if periodic {
		return nil, nil
	}
	return append([]string(nil), m.tags...), nil
}

func (m *memServices) Show(_ context.Context, n Notification) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n.ID = "n" + string(rune('0'+len(m.notifications)))
	m.notifications = append(m.notifications, n)
	return nil
}

func (m *memServices) List(_ context.Context, tag string) ([]Notification, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Notification
	for _, n := range m.notifications {
		if tag == "" || n.Tag == tag {
			out = append(out, n)
		}
	}
	return out, nil
}

func (m *memServices) Close(_ context.Context, id string) error { return nil }

func (m *memServices) hooks() Hooks {
	return Hooks{Push: m, Sync: m, Notifications: m, OpenWindow: func(_ context.Context, url string) (Client, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.opened = append(m.opened, url)
		return Client{ID: "w1", URL: url, Type: "window", FrameType: "top-level"}, nil
	}}
}

const functionalScript = `
self.addEventListener('push', (e) => {
  if (e.data === null) throw new Error('no data');
  const n = e.data.json();
  e.waitUntil(self.registration.showNotification(n.title, { body: n.body, tag: 'news', data: { n: n.n, when: new Date(0) }, actions: [{ action: 'a', title: 'A' }, { action: 'b', title: 'B' }, { action: 'c', title: 'C' }], vibrate: [200, 100, 200, 100] }));
});
self.addEventListener('sync', (e) => {
  if (e.tag === 'fail') e.waitUntil(Promise.reject(new Error('offline still')));
  if (e.tag === 'last' && !e.lastChance) e.waitUntil(Promise.reject(new Error('want lastChance')));
});
self.addEventListener('notificationclick', (e) => {
  const n = e.notification;
  if (!(n instanceof Notification) || n.title !== 'Hello' || n.data.n !== 7 || !(n.data.when instanceof Date) || e.action !== 'a') {
    throw new Error('bad click event: ' + JSON.stringify([n.title, n.data, e.action]));
  }
  e.waitUntil(clients.openWindow('/inbox?from=' + n.tag).then((c) => { if (c === null || c.url !== 'https://app.test/inbox?from=news') throw new Error('window ' + (c && c.url)); }));
});
self.addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  if (u.pathname === '/subscribe') {
    e.respondWith(self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: new Uint8Array([4, 9]) })
      .then(async (s) => {
        const again = await self.registration.pushManager.getSubscription();
        return new Response(JSON.stringify([s.toJSON(), s.options.applicationServerKey.byteLength, s.options.userVisibleOnly, new Uint8Array(s.getKey('p256dh'))[0], again.endpoint, await s.unsubscribe(), await self.registration.pushManager.getSubscription()]));
      }));
  }
  if (u.pathname === '/list') {
    e.respondWith(self.registration.getNotifications({ tag: 'news' }).then((l) => new Response(JSON.stringify(l.map((n) => [n.title, n.body, n.data.n, n.actions.length, Array.from(n.vibrate), Object.isFrozen(n.actions)])))));
  }
  if (u.pathname === '/sync') {
    e.respondWith(self.registration.sync.register('outbox').then(() => self.registration.sync.getTags()).then((t) => new Response(JSON.stringify(t))));
  }
});
`

func TestFunctionalEvents(t *testing.T) {
	m := &memServices{}
	w := newTestWorker(t, functionalScript, Options{Hooks: m.hooks()})
	ctx := ctxT(t)

	if err := w.DispatchFunctional(ctx, FunctionalEvent{Type: EventPush, Data: []byte(`{"title":"Hello","body":"b","n":7}`)}); err != nil {
		t.Fatalf("push: %v", err)
	}
	if len(m.notifications) != 1 {
		t.Fatalf("notifications after push = %d, want 1", len(m.notifications))
	}
	n := m.notifications[0]
	if n.Title != "Hello" || n.Body != "b" || n.Tag != "news" || len(n.Actions) != 2 || n.Dir != "auto" {
		t.Errorf("notification = %+v; want title Hello, body b, tag news, 2 actions (maxActions), dir auto", n)
	}
	// The Vibration API drops a trailing pause: [200, 100, 200].
	if len(n.Vibrate) != 3 {
		t.Errorf("vibrate = %v, want 3 entries", n.Vibrate)
	}
	data, err := NotificationData(&n)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := data.(map[string]any); !ok || d["n"] != float64(7) {
		t.Errorf("notification data = %#v, want {n: 7, ...}", data)
	}
	if got := fetchBody(t, w, "https://app.test/list"); got != `[["Hello","b",7,2,[200,100,200],true]]` {
		t.Errorf("getNotifications = %s", got)
	}

	err = w.DispatchFunctional(ctx, FunctionalEvent{Type: EventPush})
	if err == nil || !strings.Contains(err.Error(), "no data") {
		t.Errorf("push without data: err = %v, want the listener's 'no data'", err)
	}

	if err := w.DispatchFunctional(ctx, FunctionalEvent{Type: EventSync, Tag: "outbox"}); err != nil {
		t.Errorf("sync: %v", err)
	}
	if err := w.DispatchFunctional(ctx, FunctionalEvent{Type: EventSync, Tag: "fail"}); err == nil || !strings.Contains(err.Error(), "offline still") {
		t.Errorf("sync rejected: err = %v, want the waitUntil rejection", err)
	}
	if err := w.DispatchFunctional(ctx, FunctionalEvent{Type: EventSync, Tag: "last", LastChance: true}); err != nil {
		t.Errorf("sync lastChance: %v", err)
	}

	if err := w.DispatchFunctional(ctx, FunctionalEvent{Type: EventNotificationClick, Notification: &n, Action: "a"}); err != nil {
		t.Fatalf("notificationclick: %v", err)
	}
	if len(m.opened) != 1 || m.opened[0] != "https://app.test/inbox?from=news" {
		t.Errorf("windows opened = %v", m.opened)
	}

	if got := fetchBody(t, w, "https://app.test/subscribe"); got != `[{"endpoint":"https://push.test/1","expirationTime":null,"keys":{"p256dh":"BAEC","auth":"-_8"}},2,true,4,"https://push.test/1",true,null]` {
		t.Errorf("subscribe = %s", got)
	}
	if got := fetchBody(t, w, "https://app.test/sync"); got != `["outbox"]` {
		t.Errorf("sync tags = %s", got)
	}

	for _, bad := range []FunctionalEvent{{Type: "fetch"}, {Type: EventNotificationClick}} {
		if err := w.DispatchFunctional(ctx, bad); weberr.NameOf(err) != weberr.TypeError {
			t.Errorf("DispatchFunctional(%+v) = %v, want a TypeError", bad, err)
		}
	}
}
