package natsfleet

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/swhost/swhost/broadcast"
	"github.com/swhost/swhost/internal/natstest"
	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/message"
)

// relayNode is one node of a BroadcastChannel test: a bus relayed over
// NATS.
type relayNode struct {
	bus *broadcast.Bus
	rl  *Relay
}

func newRelayNodes(t *testing.T, ns *natstest.Server, ids ...string) []relayNode {
	t.Helper()
	var out []relayNode
	for _, id := range ids {
		nc, err := nats.Connect(ns.URL())
		if err != nil {
			t.Fatal(err)
		}
		rt, err := New(nc, Options{NodeID: id, PresenceInterval: presence})
		if err != nil {
			t.Fatal(err)
		}
		bus := broadcast.New()
		rl, err := rt.Broadcast(bus, HostCodec{})
		if err != nil {
			t.Fatal(err)
		}
		bus.SetRelay(rl)
		t.Cleanup(func() {
			bus.SetRelay(nil)
			rl.Close()
			rt.Close()
			nc.Close()
		})
		out = append(out, relayNode{bus: bus, rl: rl})
	}
	return out
}

// inbox subscribes to a channel and returns what reaches it.
func inbox(b *broadcast.Bus, origin, name string) (*broadcast.Sub, chan broadcast.Message) {
	ch := make(chan broadcast.Message, 1000)
	return b.Subscribe(origin, name, func(m broadcast.Message) { ch <- m }), ch
}

func recvBC(ctx context.Context, t *testing.T, who string, ch chan broadcast.Message) broadcast.Message {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-ctx.Done():
		t.Fatalf("%s: nothing received", who)
		return broadcast.Message{}
	}
}

func TestRelay(t *testing.T) {
	ns := natstest.New(t)
	nodes := newRelayNodes(t, ns, "n1", "n2", "n3")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const origin = "https://app.test"
	a1, _ := inbox(nodes[0].bus, origin, "c")
	_, a2 := inbox(nodes[0].bus, origin, "c")
	bs, b := inbox(nodes[1].bus, origin, "c")
	_, bOther := inbox(nodes[1].bus, origin, "d")
	_, c := inbox(nodes[2].bus, origin, "c")
	_, cOther := inbox(nodes[2].bus, "https://evil.test", "c")

	const n = 200
	when := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	data := func(i int) any {
		switch i % 5 {
		case 0:
			return fmt.Sprint("m", i)
		case 1:
			return float64(i)
		case 2:
			return i%2 == 0
		case 3:
			return nil
		}
		rec, err := structuredclone.FromGo(map[string]any{"i": float64(i), "when": when, "set": message.Set{"x", float64(i)}})
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	for i := range n {
		a1.Post(message.Message{Data: data(i)})
	}
	for _, r := range []struct {
		who string
		ch  chan broadcast.Message
	}{{"n1's other channel", a2}, {"n2", b}, {"n3", c}} {
		for i := range n {
			m := recvBC(ctx, t, r.who, r.ch)
			if m.Origin != origin || m.Name != "c" {
				t.Fatalf("%s: message %d on %s %s", r.who, i, m.Origin, m.Name)
			}
			want := fmt.Sprintf("%#v", message.Message{Data: data(i)}.Value())
			if got := fmt.Sprintf("%#v", m.Data.Value()); got != want {
				t.Fatalf("%s: message %d is %s, want %s", r.who, i, got, want)
			}
		}
	}
	// n2 answers; when its answer reaches n1, anything n1's relay echoed
	// back would have arrived before it (NATS keeps one connection's
	// order).
	bs.Post(message.Message{Data: "end"})
	if m := recvBC(ctx, t, "n1", a2); m.Data.Data != "end" {
		t.Fatalf("n1 received %#v before n2's answer: echoed back", m.Data.Data)
	}
	if m := recvBC(ctx, t, "n3", c); m.Data.Data != "end" {
		t.Fatalf("n3: %#v, want n2's answer", m.Data.Data)
	}
	for _, r := range []struct {
		who string
		ch  chan broadcast.Message
	}{{"n1", a2}, {"n2", b}, {"n3", c}, {"another name", bOther}, {"another origin", cOther}} {
		if len(r.ch) != 0 {
			t.Errorf("%s: %d more messages", r.who, len(r.ch))
		}
	}
}

func TestRelaySubject(t *testing.T) {
	rl := &Relay{pre: "swhost"}
	s := rl.Subject("https://a.test", "x.y *>")
	if !strings.HasPrefix(s, "swhost.bc.") || len(s) != len("swhost.bc.")+32 || strings.ContainsAny(s[len("swhost.bc."):], ".*> ") {
		t.Errorf("subject %q", s)
	}
	if rl.Subject("https://a.test", "x") == rl.Subject("https://a.test\x00x", "") {
		t.Error("origin and name are not separated")
	}
	if rl.Subject("https://a.test", "x") == rl.Subject("https://b.test", "x") {
		t.Error("two origins share a subject")
	}
}

func TestBroadcastCodec(t *testing.T) {
	for _, d := range []any{nil, message.Undefined{}, true, false, 1.5, "", "héllo"} {
		b, err := encodeBroadcast("n1", broadcast.Message{Origin: "o", Name: "n", Data: message.Message{Data: d}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		node, m, err := decodeBroadcast(b, nil)
		if err != nil || node != "n1" || m.Origin != "o" || m.Name != "n" || m.Data.Data != d {
			t.Errorf("%#v: %q %+v %v", d, node, m, err)
		}
		for i := range b {
			if _, _, err := decodeBroadcast(b[:i], nil); err == nil {
				t.Errorf("%#v cut at %d: no error", d, i)
			}
		}
	}
}
