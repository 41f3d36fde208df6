package agent

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

const pushWorker = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(clients.claim()));
self.addEventListener('push', (e) => {
  e.waitUntil((async () => {
    const text = e.data ? e.data.text() : '(none)';
    await self.registration.showNotification('News', { body: text, tag: 'news', data: { url: '/article?' + text } });
    for (const c of await clients.matchAll({ includeUncontrolled: true })) c.postMessage({ pushed: text });
    if (text === 'fail') throw new Error('push handler failed');
  })());
});
self.addEventListener('notificationclick', (e) => {
  e.notification.close();
  e.waitUntil(clients.openWindow(e.notification.data.url));
});
self.addEventListener('notificationclose', (e) => {
  e.waitUntil(clients.matchAll({ includeUncontrolled: true }).then((l) => l.forEach((c) => c.postMessage('closed ' + e.notification.tag))));
});
self.addEventListener('message', (e) => {
  e.waitUntil((async () => {
    e.source.postMessage({ echo: e.data, from: e.source.url, origin: e.origin, type: e.source.type });
  })());
});
self.addEventListener('pushsubscriptionchange', (e) => {
  e.waitUntil(clients.matchAll({ includeUncontrolled: true }).then((l) => l.forEach((c) => c.postMessage([e.oldSubscription.endpoint !== e.newSubscription.endpoint, e.newSubscription.options.userVisibleOnly]))));
});
self.addEventListener('fetch', (e) => {
  if (new URL(e.request.url).pathname === '/subscribe') {
    e.respondWith(self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: 'BBPQltfz44dZ2UnjqIWp5RbuieaeOrxMQU91X2f9jea55aMwOYNcVbYxBBArAqwUDcdIFu-RJby8QI-ADMzst-E' }).then((s) => new Response(JSON.stringify(s))));
  }
});
`

// activeFixture registers body at /sw.js for scope / and waits until it
// is active.
func activeFixture(t *testing.T, body string) (*fixture, *registry.Registration) {
	t.Helper()
	f := newFixture(t)
	reg := f.register(t, "/sw.js", body, "/")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _ := f.a.ClientForURL("https://app.test/")
	if _, err := c.Ready(ctx); err != nil {
		t.Fatalf("ready: %v", err)
	}
	return f, reg
}

func TestTriggerPushShowsNotificationAndMessagesClients(t *testing.T) {
	f, reg := activeFixture(t, pushWorker)
	ctx := context.Background()
	page, _, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/page"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.a.Trigger(ctx, reg, TriggerRequest{Type: "push", Data: []byte("hello")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Err != nil {
		t.Fatalf("push outcome: %v", res.Err)
	}
	if len(res.Notifications) != 1 || res.Notifications[0].Title != "News" || res.Notifications[0].Body != "hello" {
		t.Fatalf("notifications = %+v", res.Notifications)
	}
	if d, _ := worker.NotificationData(&res.Notifications[0]); d.(map[string]any)["url"] != "/article?hello" {
		t.Errorf("notification data = %#v", d)
	}
	var toPage []PostedMessage
	for _, m := range res.Messages {
		if m.ClientID == page.ID() {
			toPage = append(toPage, m)
		}
	}
	if len(toPage) != 1 || toPage[0].Data.(map[string]any)["pushed"] != "hello" {
		t.Errorf("messages to the page = %+v (all: %+v)", toPage, res.Messages)
	}
	ev, err := page.NextEvent(ctx)
	if err != nil || ev.Type != "message" || ev.Message.Value().(map[string]any)["pushed"] != "hello" || ev.Source != "https://app.test/sw.js" {
		t.Errorf("page's next event = %+v, %v", ev, err)
	}

	// A rejected waitUntil is the outcome; what was shown still counts.
	res, err = f.a.Trigger(ctx, reg, TriggerRequest{Type: "push", Data: []byte("fail")})
	if err != nil || res.Err == nil || !strings.Contains(res.Err.Error(), "push handler failed") {
		t.Errorf("failing push: %+v, %v", res, err)
	}
	if len(res.Notifications) != 1 {
		t.Errorf("failing push showed %d notifications, want 1 (it replaced the tag)", len(res.Notifications))
	}
	if list, _ := reg.Notifications().List(ctx, ""); len(list) != 1 {
		t.Errorf("shown notifications = %d, want 1: the same tag replaces", len(list))
	}

	// A click opens a window at the notification's data URL.
	res, err = f.a.Trigger(ctx, reg, TriggerRequest{Type: "notificationclick", Notification: "news"})
	if err != nil || res.Err != nil {
		t.Fatalf("click: %+v, %v", res, err)
	}
	if len(res.Windows) != 1 || res.Windows[0] != "https://app.test/article?fail" {
		t.Errorf("windows = %v", res.Windows)
	}
	if list, _ := reg.Notifications().List(ctx, ""); len(list) != 0 {
		t.Errorf("notification.close() left %d notifications", len(list))
	}
	if _, err := f.a.Trigger(ctx, reg, TriggerRequest{Type: "notificationclick", Notification: "news"}); weberr.NameOf(err) != weberr.NotFoundError {
		t.Errorf("click on a closed notification: %v, want NotFoundError", err)
	}
	if _, err := f.a.Trigger(ctx, reg, TriggerRequest{Type: "bogus"}); weberr.NameOf(err) != weberr.TypeError {
		t.Errorf("unknown event: %v, want TypeError", err)
	}
	if _, err := f.a.Trigger(ctx, reg, TriggerRequest{Type: "sync"}); weberr.NameOf(err) != weberr.TypeError {
		t.Errorf("sync without a tag: %v, want TypeError", err)
	}
}

func TestTriggerNotificationCloseRemovesThenFires(t *testing.T) {
	f, reg := activeFixture(t, pushWorker)
	ctx := context.Background()
	page, _, _ := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/page"})
	if res, err := f.a.Trigger(ctx, reg, TriggerRequest{Type: "push", Data: []byte("x")}); err != nil || res.Err != nil {
		t.Fatal(err, res.Err)
	}
	res, err := f.a.Trigger(ctx, reg, TriggerRequest{Type: "notificationclose", Notification: "news"})
	if err != nil || res.Err != nil {
		t.Fatalf("close: %+v %v", res, err)
	}
	var got []any
	for _, m := range res.Messages {
		if m.ClientID == page.ID() {
			got = append(got, m.Data)
		}
	}
	if len(got) != 1 || got[0] != "closed news" {
		t.Errorf("messages = %v", got)
	}
	if list, _ := reg.Notifications().List(ctx, ""); len(list) != 0 {
		t.Errorf("%d notifications after a close", len(list))
	}
}

func TestClientPostMessageReachesTheControllerWithItsSource(t *testing.T) {
	f, _ := activeFixture(t, pushWorker)
	ctx := context.Background()
	page, _, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/page"})
	if err != nil {
		t.Fatal(err)
	}
	if err := page.PostMessage(ctx, map[string]any{"type": "SKIP_WAITING"}); err != nil {
		t.Fatal(err)
	}
	ev, err := page.NextEvent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := ev.Message.Value().(map[string]any)
	echo, _ := m["echo"].(map[string]any)
	if ev.Type != "message" || echo["type"] != "SKIP_WAITING" || m["from"] != "https://app.test/page" || m["origin"] != "https://app.test" || m["type"] != "window" {
		t.Errorf("reply = %+v", m)
	}
	other, _ := f.a.ClientForURL("https://other.test/")
	if err := other.PostMessage(ctx, 1); weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("uncontrolled client's postMessage: %v, want InvalidStateError", err)
	}
	if _, err := page.GetRegistration("https://other.test/"); weberr.NameOf(err) != weberr.SecurityError {
		t.Errorf("getRegistration of another origin: %v", err)
	}
	if reg, err := page.GetRegistration(""); err != nil || reg == nil || reg.ScopeText() != "https://app.test/" {
		t.Errorf("getRegistration() = %v, %v", reg, err)
	}
	if n := len(page.GetRegistrations()); n != 1 {
		t.Errorf("getRegistrations: %d", n)
	}
}

func TestControllerChangeOnClaim(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	page, _, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/page"})
	if err != nil {
		t.Fatal(err)
	}
	f.register(t, "/sw.js", pushWorker, "/")
	ev, err := page.NextEvent(ctx)
	if err != nil || ev.Type != "controllerchange" || ev.Source != "https://app.test/sw.js" {
		t.Fatalf("event = %+v, %v; want controllerchange from clients.claim()", ev, err)
	}
	if page.Controller() == nil {
		t.Error("no controller after controllerchange")
	}
	page.Close()
	if _, err := page.NextEvent(ctx); weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("NextEvent on a closed client: %v", err)
	}
}

func TestTriggerPushSubscriptionChange(t *testing.T) {
	f, reg := activeFixture(t, pushWorker)
	ctx := context.Background()
	page, _, _ := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/page"})
	if _, err := f.a.Trigger(ctx, reg, TriggerRequest{Type: "pushsubscriptionchange"}); weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("without a subscription: %v", err)
	}
	res, err := page.Fetch(ctx, &fetch.Request{URL: "/subscribe"})
	if err != nil || !strings.Contains(string(res.Response.Body), `"endpoint":"https://push.swhost.invalid/v1/push/`) {
		t.Fatalf("subscribe: %v %s %s", err, res.Response.Body, res.Response.Error)
	}
	sub, ok, err := reg.Push().Subscription(ctx)
	if !ok || err != nil || len(sub.P256DH) != 65 || len(sub.Auth) != 16 {
		t.Fatalf("stored subscription = %+v, %v, %v", sub, ok, err)
	}
	tr, err := f.a.Trigger(ctx, reg, TriggerRequest{Type: "pushsubscriptionchange"})
	if err != nil || tr.Err != nil {
		t.Fatal(err, tr.Err)
	}
	if len(tr.Messages) == 0 {
		t.Fatal("no message from pushsubscriptionchange")
	}
	if got := tr.Messages[0].Data.([]any); got[0] != true || got[1] != true {
		t.Errorf("pushsubscriptionchange saw %v; want a new endpoint and the old options", got)
	}
	sub2, _, _ := reg.Push().Subscription(ctx)
	if sub2.Endpoint == sub.Endpoint {
		t.Error("the subscription was not renewed")
	}
}

const windowWorker = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(clients.claim()));
self.addEventListener('push', (e) => e.waitUntil(self.registration.showNotification('n', { tag: 't' })));
self.addEventListener('notificationclick', (e) => {
  e.waitUntil((async () => {
    const [c] = (await clients.matchAll()).filter((c) => c.url === 'https://app.test/page');
    if (!(c instanceof WindowClient) || c.visibilityState !== 'visible') throw new Error('not a WindowClient');
    const f = await c.focus();
    if (!f.focused) throw new Error('focus() did not focus');
    const n = await c.navigate('/next');
    if (n === null || n.url !== 'https://app.test/next' || n.id === c.id || !n.focused) throw new Error('navigate: ' + JSON.stringify(n && [n.url, n.focused]));
    const away = await n.navigate('https://other.test/');
    (await clients.matchAll({ includeUncontrolled: true })).forEach((x) => x.postMessage(away === null ? 'cross-origin navigate gives null' : 'not null'));
  })());
});
self.addEventListener('message', (e) => {
  e.waitUntil(clients.matchAll().then((l) => Promise.all(l.map((c) => c.focus().then(() => 'focused', (err) => err.name)))).then((r) => e.source.postMessage(r)));
});
`

func TestWindowClientFocusAndNavigate(t *testing.T) {
	f, reg := activeFixture(t, windowWorker)
	ctx := context.Background()
	page, _, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/page"})
	if err != nil {
		t.Fatal(err)
	}
	// Outside a notification click, focus() is refused.
	if err := page.PostMessage(ctx, "focus please"); err != nil {
		t.Fatal(err)
	}
	ev, err := page.NextEvent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := ev.Message.Value().([]any); len(got) == 0 || got[0] != "InvalidAccessError" {
		t.Errorf("focus outside a click: %v", ev.Message.Value())
	}
	if res, err := f.a.Trigger(ctx, reg, TriggerRequest{Type: "push"}); err != nil || res.Err != nil {
		t.Fatal(err, res.Err)
	}
	res, err := f.a.Trigger(ctx, reg, TriggerRequest{Type: "notificationclick", Notification: "t"})
	if err != nil || res.Err != nil {
		t.Fatalf("click: %v %v", err, res.Err)
	}
	if f.a.Client(page.ID()) != nil {
		t.Error("the navigated page's client is still open")
	}
	var got []any
	for _, m := range res.Messages {
		got = append(got, m.Data)
	}
	if len(got) == 0 || got[0] != "cross-origin navigate gives null" {
		t.Errorf("messages = %v", got)
	}
}
