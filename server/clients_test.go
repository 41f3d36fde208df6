package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// msgSW echoes messages to their source with its version, and skips
// waiting on {type: 'SKIP_WAITING'}, as Workbox's and Angular's workers
// do.
const msgSW = `
const V = 'VERSION';
self.addEventListener('activate', e => e.waitUntil(self.clients.claim()));
self.addEventListener('message', e => {
  if (e.data && e.data.type === 'SKIP_WAITING') { self.skipWaiting(); return; }
  if (e.data && e.data.type === 'THROW') throw new Error('thrown on purpose');
  e.source.postMessage({echo: e.data, v: V});
});`

func TestAPIClients(t *testing.T) {
	f := newFixture(t)
	var version atomic.Value
	version.Store("1")
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, strings.Replace(msgSW, "VERSION", version.Load().(string), 1))
	}))
	t.Cleanup(up.Close)
	f.net.Resolve["https://msg.test"] = up.URL

	var info struct {
		ID       int64 `json:"id"`
		Versions []struct {
			Slot string `json:"slot"`
		} `json:"versions"`
	}
	if st := f.call(t, "POST", "/v1/registrations", `{"client":"https://msg.test/","script":"/sw.js"}`, &info); st != 201 {
		t.Fatalf("register: %d", st)
	}

	var c clientInfo
	if st := f.call(t, "POST", "/v1/clients", `{"url":"https://msg.test/page"}`, &c); st != 201 || c.ID == "" || c.Controller == nil || *c.Controller != info.ID || c.Origin != "https://msg.test" {
		t.Fatalf("open: %d %+v", st, c)
	}
	base := "/v1/clients/" + c.ID
	var listed []clientInfo
	f.call(t, "GET", "/v1/clients", "", &listed)
	found := false
	for _, l := range listed {
		found = found || l.ID == c.ID
	}
	if !found {
		t.Errorf("GET /v1/clients lacks the opened client: %+v", listed)
	}

	// No event yet: 204 at once without wait.
	if st := f.call(t, "GET", base+"/events", "", nil); st != 204 {
		t.Errorf("events with none queued: %d, want 204", st)
	}

	// A long poll started first gets the message posted after it.
	type polled struct {
		status int
		ev     clientEventJSON
	}
	got := make(chan polled, 1)
	go func() {
		var ev clientEventJSON
		st := f.call(t, "GET", base+"/events?wait=1", "", &ev)
		got <- polled{st, ev}
	}()
	var out map[string]string
	if st := f.call(t, "POST", base+"/messages", `{"data":{"hi":[1,"two"]}}`, &out); st != 200 || out["outcome"] != "fulfilled" {
		t.Fatalf("post: %d %v", st, out)
	}
	p := <-got
	var data struct {
		Echo map[string]any `json:"echo"`
		V    string         `json:"v"`
	}
	if p.status != 200 || p.ev.Type != "message" || p.ev.Source != "https://msg.test/sw.js" {
		t.Fatalf("long poll: %d %+v", p.status, p.ev)
	}
	if err := json.Unmarshal(p.ev.Data, &data); err != nil || data.V != "1" || len(data.Echo["hi"].([]any)) != 2 {
		t.Errorf("message data: %s (%v)", p.ev.Data, err)
	}

	// A listener's exception is the outcome, still a 200.
	if st := f.call(t, "POST", base+"/messages", `{"data":{"type":"THROW"}}`, &out); st != 200 || !strings.Contains(out["outcome"], "thrown on purpose") {
		t.Errorf("throwing listener: %d %v", st, out)
	}

	// Update flow: a new version waits; SKIP_WAITING posted to the
	// waiting worker activates it, and the client sees controllerchange
	// then the new version's answer.
	version.Store("2")
	if st := f.call(t, "POST", "/v1/registrations/"+jsonNum(info.ID)+"/update", "", &info); st != 200 || len(info.Versions) != 2 {
		t.Fatalf("update: %d %+v", st, info)
	}
	if st := f.call(t, "POST", base+"/messages", `{"data":{"type":"SKIP_WAITING"},"worker":"waiting"}`, &out); st != 200 || out["outcome"] != "fulfilled" {
		t.Fatalf("skip waiting message: %d %v", st, out)
	}
	var ev clientEventJSON
	if st := f.call(t, "GET", base+"/events?wait=1", "", &ev); st != 200 || ev.Type != "controllerchange" || ev.Data != nil {
		t.Fatalf("controllerchange: %d %+v", st, ev)
	}
	var data2 struct{ Echo, V string }
	f.call(t, "POST", base+"/messages", `{"data":"again","registration":`+jsonNum(info.ID)+`}`, &out)
	if st := f.call(t, "GET", base+"/events?wait=1", "", &ev); st != 200 || json.Unmarshal(ev.Data, &data2) != nil || data2.V != "2" || data2.Echo != "again" {
		t.Errorf("after the update: %d %+v %s", st, ev, ev.Data)
	}

	// after: the first event past a seq, kept until a later after
	// acknowledges it (a poll whose answer was lost asks again).
	last := ev.Seq
	for _, m := range []string{`"m1"`, `"m2"`} {
		f.call(t, "POST", base+"/messages", `{"data":`+m+`,"registration":`+jsonNum(info.ID)+`}`, &out)
	}
	var first, again, second clientEventJSON
	afterQ := func(n uint64) string { return base + "/events?wait=1&after=" + strconv.FormatUint(n, 10) }
	if st := f.call(t, "GET", afterQ(last), "", &first); st != 200 || first.Seq != last+1 || !strings.Contains(string(first.Data), "m1") {
		t.Errorf("after=%d: %d %+v %s", last, st, first, first.Data)
	}
	if st := f.call(t, "GET", afterQ(last), "", &again); st != 200 || again.Seq != first.Seq || string(again.Data) != string(first.Data) {
		t.Errorf("after=%d again: %d %+v, want the same event as before", last, st, again)
	}
	if st := f.call(t, "GET", afterQ(first.Seq), "", &second); st != 200 || second.Seq != first.Seq+1 || !strings.Contains(string(second.Data), "m2") {
		t.Errorf("after=%d: %d %+v %s", first.Seq, st, second, second.Data)
	}
	if st := f.call(t, "GET", base+"/events?after="+strconv.FormatUint(second.Seq, 10), "", nil); st != 204 {
		t.Errorf("after the last event: %d, want 204", st)
	}

	var apiErr apiError
	for _, tt := range []struct {
		method, path, body string
		status             int
		name               string
	}{
		{"POST", "/v1/clients", `{}`, 400, "TypeError"},
		{"POST", "/v1/clients", `{"url":"not a url"}`, 400, "TypeError"},
		{"POST", "/v1/clients", `{"url":"https://msg.test/","extra":1}`, 400, "TypeError"},
		{"POST", base + "/messages", `{"data":1,"worker":"parked"}`, 400, "TypeError"},
		{"POST", base + "/messages", `{"data":1,"worker":"waiting"}`, 409, "InvalidStateError"},
		{"POST", base + "/messages", `{"data":1,"registration":999}`, 404, "NotFoundError"},
		{"GET", base + "/events?wait=2", "", 400, "TypeError"},
		{"GET", base + "/events?wait=1&wait=1", "", 400, "TypeError"},
		{"GET", base + "/events?after=-1", "", 400, "TypeError"},
		{"GET", base + "/events?after=x", "", 400, "TypeError"},
		{"POST", "/v1/clients/nope/messages", `{"data":1}`, 404, "NotFoundError"},
		{"GET", "/v1/clients/nope/events", "", 404, "NotFoundError"},
		{"DELETE", "/v1/clients/nope", "", 404, "NotFoundError"},
	} {
		apiErr = apiError{}
		if st := f.call(t, tt.method, tt.path, tt.body, &apiErr); st != tt.status || apiErr.Error != tt.name || apiErr.Message == "" {
			t.Errorf("%s %s %s: %d %+v; want %d %s", tt.method, tt.path, tt.body, st, apiErr, tt.status, tt.name)
		}
	}

	// A client without a registration to talk to.
	var lone clientInfo
	if st := f.call(t, "POST", "/v1/clients", `{"url":"https://app.test/"}`, &lone); st != 201 || lone.Controller != nil {
		t.Fatalf("open uncontrolled: %d %+v", st, lone)
	}
	if st := f.call(t, "POST", "/v1/clients/"+lone.ID+"/messages", `{"data":1}`, &apiErr); st != 409 || apiErr.Error != "InvalidStateError" {
		t.Errorf("post without a registration: %d %+v", st, apiErr)
	}
	if st := f.call(t, "POST", "/v1/clients/"+lone.ID+"/messages", `{"data":1,"registration":`+jsonNum(info.ID)+`}`, &apiErr); st != 403 || apiErr.Error != "SecurityError" {
		t.Errorf("post to another origin's registration: %d %+v", st, apiErr)
	}

	// A request from the opened client goes through its controller, and
	// the worker sees the client's id.
	var fr fetchResponse
	if st := f.call(t, "POST", "/v1/fetch", `{"clientId":"`+c.ID+`","url":"https://msg.test/x"}`, &fr); st != 200 || fr.Layer != "network" {
		t.Errorf("fetch as the client: %d %+v", st, fr)
	}
	for _, body := range []string{`{"clientId":"nope","url":"https://msg.test/x"}`, `{"clientId":"` + c.ID + `","client":"https://msg.test/","url":"https://msg.test/x"}`} {
		apiErr = apiError{}
		if st := f.call(t, "POST", "/v1/fetch", body, &apiErr); st != 404 && st != 400 {
			t.Errorf("fetch %s: %d %+v", body, st, apiErr)
		}
	}

	if st := f.call(t, "DELETE", base, "", nil); st != 204 {
		t.Errorf("close: %d", st)
	}
	if st := f.call(t, "GET", base+"/events", "", &apiErr); st != 404 {
		t.Errorf("events after close: %d", st)
	}
}

func TestAPIClientsCap(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < MaxAPIClients; i++ {
		if st := f.call(t, "POST", "/v1/clients", `{"url":"https://app.test/"}`, nil); st != 201 {
			t.Fatalf("client %d: %d", i, st)
		}
	}
	var apiErr apiError
	if st := f.call(t, "POST", "/v1/clients", `{"url":"https://app.test/"}`, &apiErr); st != 507 || apiErr.Error != "QuotaExceededError" {
		t.Errorf("one past the cap: %d %+v", st, apiErr)
	}
}

// TestSettle: POST /v1/settle answers once the fetch event's waitUntil
// work is over, so the cache write it makes after answering is there.
func TestSettle(t *testing.T) {
	f := newFixture(t)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, `self.addEventListener('fetch', e => {
  if (e.request.url.endsWith('/forever')) { e.respondWith(new Response('answered')); e.waitUntil(new Promise(() => {})); return; }
  e.respondWith(new Response('answered'));
  e.waitUntil(new Promise(r => setTimeout(r, 20)).then(() => caches.open('late')).then(c => c.put('/late', new Response('written after answering'))));
});`)
	}))
	t.Cleanup(up.Close)
	f.net.Resolve["https://late.test"] = up.URL
	if st := f.call(t, "POST", "/v1/registrations", `{"client":"https://late.test/","script":"/sw.js"}`, nil); st != 201 {
		t.Fatalf("register: %d", st)
	}
	var fr fetchResponse
	if st := f.call(t, "POST", "/v1/fetch", `{"client":"https://late.test/","url":"https://late.test/page"}`, &fr); st != 200 || *fr.Response.Body != "answered" {
		t.Fatalf("fetch: %d %+v", st, fr)
	}
	if st := f.call(t, "POST", "/v1/settle", "", nil); st != 200 {
		t.Fatalf("settle: %d", st)
	}
	var entries []entryInfo
	if st := f.call(t, "GET", "/v1/caches/entries?origin=https://late.test&cache=late", "", &entries); st != 200 || len(entries) != 1 {
		t.Errorf("after settle: %d %+v", st, entries)
	}

	f.call(t, "POST", "/v1/fetch", `{"client":"https://late.test/","url":"https://late.test/forever"}`, &fr)
	var apiErr apiError
	if st := f.call(t, "POST", "/v1/settle", `{"timeoutMs":30}`, &apiErr); st != 504 || apiErr.Error != "TimeoutError" {
		t.Errorf("settle with work that never ends: %d %+v", st, apiErr)
	}
	if st := f.call(t, "POST", "/v1/settle", `{"timeoutMs":-1}`, &apiErr); st != 400 || apiErr.Error != "TypeError" {
		t.Errorf("negative timeout: %d %+v", st, apiErr)
	}
}
