package agent

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/swhost/swhost/broadcast"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// chatWorker answers pings on the BroadcastChannel "chat" of its origin,
// and posts a Blob then a string on it when asked to.
const chatWorker = `
const ch = new BroadcastChannel('chat');
ch.onmessage = (e) => {
  if (e.data === null || typeof e.data !== 'object' || !('ping' in e.data)) return;
  ch.postMessage({ pong: e.data.ping, when: e.data.when instanceof Date ? e.data.when.toISOString() : 'not a Date',
    big: typeof e.data.big, origin: e.origin });
};
addEventListener('fetch', (e) => {
  const path = new URL(e.request.url).pathname;
  if (path === '/blob') { ch.postMessage(new Blob(['x'])); ch.postMessage('after the blob'); }
  e.respondWith(new Response(path));
});`

func TestClientBroadcastChannel(t *testing.T) {
	f, _ := activeFixture(t, chatWorker)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	page, _, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/page"})
	if err != nil {
		t.Fatal(err)
	}
	fetchPath := func(path string) {
		t.Helper()
		res, err := page.Fetch(ctx, &fetch.Request{URL: "https://app.test" + path})
		if err != nil || string(res.Response.Body) != path {
			t.Fatalf("%s: %v %+v", path, err, res)
		}
	}
	fetchPath("/ready") // the worker runs, its channel open
	ch := page.BroadcastChannel("chat")
	recv := func(b *BroadcastChannel) BroadcastEvent {
		t.Helper()
		ev, err := b.Recv(ctx)
		if err != nil {
			t.Fatalf("Recv: %v", err)
		}
		return ev
	}

	// Go to the worker and back: the data is a structured clone (the
	// Date arrives as a Date, the BigInt as a bigint).
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	if err := ch.PostMessage(map[string]any{"ping": 1, "when": when, "big": big.NewInt(7)}); err != nil {
		t.Fatal(err)
	}
	ev := recv(ch)
	m, _ := ev.Data.(map[string]any)
	if ev.Type != "message" || ev.Origin != "https://app.test" || m["pong"] != 1.0 || m["when"] != "2024-05-06T07:08:09.000Z" ||
		m["big"] != "bigint" || m["origin"] != "https://app.test" {
		t.Errorf("pong: %+v", ev)
	}

	// The worker's Blob cannot be rebuilt in Go: messageerror, then the
	// next message as usual.
	fetchPath("/blob")
	if ev := recv(ch); ev.Type != "messageerror" || ev.Data != nil || ev.Origin != "https://app.test" {
		t.Errorf("a Blob: %+v", ev)
	}
	if ev := recv(ch); ev.Type != "message" || ev.Data != "after the blob" {
		t.Errorf("after the Blob: %+v", ev)
	}

	// Another client of the origin hears the first (not the poster
	// itself); a client of another origin hears neither. Deliveries
	// queue in posting order, so a sentinel posted last is the first
	// event of a channel that got nothing before it.
	page2, _ := f.a.ClientForURL("https://app.test/other-page")
	ch2 := page2.BroadcastChannel("chat")
	other, _ := f.a.ClientForURL("https://other.test/")
	otherCh := other.BroadcastChannel("chat")
	other2, _ := f.a.ClientForURL("https://other.test/2")
	otherCh2 := other2.BroadcastChannel("chat")
	if err := ch.PostMessage("to the origin"); err != nil {
		t.Fatal(err)
	}
	if ev := recv(ch2); ev.Data != "to the origin" {
		t.Errorf("second client: %+v", ev)
	}
	if err := ch2.PostMessage("sentinel"); err != nil {
		t.Fatal(err)
	}
	if ev := recv(ch); ev.Data != "sentinel" {
		t.Errorf("the poster got its own message first: %+v", ev)
	}
	if err := otherCh2.PostMessage("other sentinel"); err != nil {
		t.Fatal(err)
	}
	if ev := recv(otherCh); ev.Data != "other sentinel" || ev.Origin != "https://other.test" {
		t.Errorf("another origin's channel: %+v", ev)
	}

	// Data that cannot be cloned fails the post.
	if err := ch.PostMessage(make(chan int)); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("posting a channel: %v", err)
	}

	// Closing: no more events or posts; closing twice is fine; a closed
	// client closes its channels.
	before := broadcast.Default.Channels()
	ch.Close()
	ch.Close()
	if _, err := ch.Recv(ctx); weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("Recv after Close: %v", err)
	}
	if err := ch.PostMessage("x"); weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("PostMessage after Close: %v", err)
	}
	page2.Close()
	if _, err := ch2.Recv(ctx); weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("Recv after the client closed: %v", err)
	}
	if after := broadcast.Default.Channels(); after != before-2 {
		t.Errorf("open channels: %d before, %d after closing two", before, after)
	}
	if ch3 := page2.BroadcastChannel("chat"); ch3.PostMessage("x") == nil {
		t.Errorf("a closed client's new channel posts")
	}
	otherCh.Close()
	otherCh2.Close()
}
