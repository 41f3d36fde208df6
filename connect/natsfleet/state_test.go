package natsfleet

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/swhost/swhost/internal/natstest"
	"github.com/swhost/swhost/registry"
)

// stateRouter is a router of a state test and the member lists its
// OnMembers reported.
type stateRouter struct {
	*Router
	members chan []string
}

// stateRouters starts routers named ids on ns; each serves state from
// its entry of states (a router without one serves none).
func stateRouters(t testing.TB, ns *natstest.Server, states map[string]func(string) ([]int64, int), ids ...string) []stateRouter {
	t.Helper()
	var out []stateRouter
	for _, id := range ids {
		nc, err := nats.Connect(ns.URL())
		if err != nil {
			t.Fatal(err)
		}
		members := make(chan []string, 100)
		rt, err := New(nc, Options{NodeID: id, PresenceInterval: presence, StateTimeout: 30 * time.Second,
			OnMembers: func(m []string) {
				select {
				case members <- m:
				default:
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		if fn := states[id]; fn != nil {
			if err := rt.ServeState(fn); err != nil {
				t.Fatal(err)
			}
		}
		t.Cleanup(func() { rt.Close(); nc.Close() })
		out = append(out, stateRouter{rt, members})
	}
	return out
}

// waitMembers waits until rt hears n nodes, itself included.
func waitMembers(t testing.TB, rt stateRouter, n int) {
	t.Helper()
	for len(rt.Members()) < n {
		<-rt.members
	}
}

func TestPeers(t *testing.T) {
	ns := natstest.New(t)
	var mu sync.Mutex
	asked := map[string][]string{}
	state := func(id string, running []int64, clients int) func(string) ([]int64, int) {
		return func(key string) ([]int64, int) {
			mu.Lock()
			asked[id] = append(asked[id], key)
			mu.Unlock()
			return running, clients
		}
	}
	rts := stateRouters(t, ns, map[string]func(string) ([]int64, int){
		"n1": state("n1", []int64{9}, 0),
		"n2": state("n2", []int64{1, 2}, 3),
		"n3": state("n3", nil, 0),
	}, "n1", "n2", "n3")
	waitMembers(t, rts[0], 3)
	got := rts[0].Peers(context.Background(), "https://app.test/")
	want := []registry.PeerState{{Node: "n2", Answered: true, Running: []int64{1, 2}, Clients: 3}, {Node: "n3", Answered: true}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Peers = %+v, want %+v", got, want)
	}
	mu.Lock()
	if !slices.Equal(asked["n2"], []string{"https://app.test/"}) || len(asked["n1"]) != 0 {
		t.Errorf("asked: %v (a node does not ask itself)", asked)
	}
	mu.Unlock()
}

// TestPeersUnanswered: a member that serves no state is listed as not
// answering once the deadline passed.
func TestPeersUnanswered(t *testing.T) {
	ns := natstest.New(t)
	rts := stateRouters(t, ns, map[string]func(string) ([]int64, int){
		"n1": func(string) ([]int64, int) { return nil, 0 },
	}, "n1", "n2")
	waitMembers(t, rts[0], 2)
	rts[0].opts.StateTimeout = presence // read only by Peers, on this goroutine
	got := rts[0].Peers(context.Background(), "")
	if len(got) != 1 || got[0].Node != "n2" || got[0].Answered {
		t.Errorf("Peers = %+v, want n2 unanswered", got)
	}
}

// BenchmarkPeers measures one state request answered by two other nodes
// (docs/decisions.md, "Where workers run and whose clients count").
func BenchmarkPeers(b *testing.B) {
	ns := natstest.New(b)
	serve := func(string) ([]int64, int) { return []int64{1, 2, 3}, 1 }
	rts := stateRouters(b, ns, map[string]func(string) ([]int64, int){"n1": serve, "n2": serve, "n3": serve}, "n1", "n2", "n3")
	waitMembers(b, rts[0], 3)
	b.ResetTimer()
	for b.Loop() {
		if got := rts[0].Peers(context.Background(), ""); len(got) != 2 || !got[0].Answered || !got[1].Answered {
			b.Fatalf("Peers = %+v", got)
		}
	}
}
