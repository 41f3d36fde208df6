package message

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/swhost/swhost/weberr"
)

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func recv(t *testing.T, p *Port) Message {
	t.Helper()
	m, err := p.Recv(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestOrderAndClose: messages arrive in order; after Close, what had
// arrived stays readable at both ends, then Recv returns ErrClosed, and
// posts are dropped.
func TestOrderAndClose(t *testing.T) {
	a, b := NewChannel()
	for i := range 100 {
		if err := a.PostMessage(float64(i)); err != nil {
			t.Fatal(err)
		}
	}
	b.PostMessage("to a")
	if b.Len() != 100 {
		t.Fatalf("Len %d", b.Len())
	}
	for i := range 50 {
		if got := recv(t, b).Data; got != float64(i) {
			t.Fatalf("message %d: %v", i, got)
		}
	}
	a.Close()
	if !a.Closed() || !b.Closed() {
		t.Error("Closed is false after Close")
	}
	if err := a.PostMessage("after close"); err != nil {
		t.Errorf("post on a closed channel: %v", err)
	}
	for i := 50; i < 100; i++ {
		if got := recv(t, b).Data; got != float64(i) {
			t.Fatalf("message %d after close: %v", i, got)
		}
	}
	if _, err := b.Recv(context.Background()); err != ErrClosed {
		t.Errorf("b after its queue: %v", err)
	}
	if got := recv(t, a).Data; got != "to a" {
		t.Errorf("a kept %v", got)
	}
	if _, err := a.Recv(context.Background()); err != ErrClosed {
		t.Errorf("a after its queue: %v", err)
	}
}

// TestRecvWaits: Recv waits for a message, for the close, or for its
// context.
func TestRecvWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { testRecvWaits(t) })
}

func testRecvWaits(t *testing.T) {
	a, b := NewChannel()
	got := make(chan any)
	go func() {
		m, _ := b.Recv(context.Background())
		got <- m.Data
	}()
	synctest.Wait() // Recv is waiting
	a.PostMessage("late")
	if v := <-got; v != "late" {
		t.Errorf("got %v", v)
	}
	errc := make(chan error)
	go func() {
		_, err := b.Recv(context.Background())
		errc <- err
	}()
	synctest.Wait()
	b.Close()
	if err := <-errc; err != ErrClosed {
		t.Errorf("Recv during Close: %v", err)
	}
	c, _ := NewChannel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	if _, err := c.Recv(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Recv past its context: %v", err)
	}
}

// TestConcurrentPosts: messages posted from several goroutines each
// arrive once, in each goroutine's order, while a reader takes them.
func TestConcurrentPosts(t *testing.T) {
	a, b := NewChannel()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				a.PostMessage([2]int{g, i})
			}
		}()
	}
	next := make([]int, 4)
	for range 2000 {
		v := recv(t, b).Data.([2]int)
		if v[1] != next[v[0]] {
			t.Fatalf("goroutine %d: got %d, want %d", v[0], v[1], next[v[0]])
		}
		next[v[0]]++
	}
	wg.Wait()
	if b.Len() != 0 {
		t.Errorf("%d more", b.Len())
	}
}

// TestQueueCompacts: a queue that is never empty (read as fast as it is
// written) keeps its order and does not grow without bound.
func TestQueueCompacts(t *testing.T) {
	a, b := NewChannel()
	for i := range 10 {
		a.PostMessage(i)
	}
	for i := 10; i < 100000; i++ {
		a.PostMessage(i)
		m, ok := b.TryRecv()
		if !ok || m.Data != i-10 {
			t.Fatalf("got %v, want %d", m.Data, i-10)
		}
	}
	if c := cap(b.ch.ends[b.side].queue); c > 64 {
		t.Errorf("queue capacity %d for %d messages", c, b.Len())
	}
}

// TestTransfer: a transferred port arrives as a new object with the
// messages queued on it; the old object is detached; the transfer list is
// checked as postMessage checks it.
func TestTransfer(t *testing.T) {
	a, b := NewChannel()
	mine, theirs := NewChannel()
	mine.PostMessage("queued before transfer")
	done := theirs.Done()
	for _, tc := range []struct {
		name     string
		transfer []*Port
	}{
		{"itself", []*Port{a}},
		{"twice", []*Port{theirs, theirs}},
		{"nil", []*Port{nil}},
	} {
		if err := a.PostMessage(1, tc.transfer...); weberr.NameOf(err) != weberr.DataCloneError {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if err := a.PostMessage("take", theirs); err != nil {
		t.Fatal(err)
	}
	if err := theirs.PostMessage("x"); weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("post on a transferred port: %v", err)
	}
	if _, err := theirs.Recv(context.Background()); err != ErrClosed {
		t.Errorf("Recv on a transferred port: %v", err)
	}
	if !theirs.Closed() || theirs.Len() != 0 {
		t.Error("a transferred port is not closed")
	}
	if err := a.PostMessage(2, theirs); weberr.NameOf(err) != weberr.InvalidStateError && weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("transferring a transferred port: %v", err)
	}
	m := recv(t, b)
	if m.Data != "take" || len(m.Ports) != 1 || m.Ports[0] == theirs {
		t.Fatalf("got %+v", m)
	}
	got := m.Ports[0]
	if v := recv(t, got).Data; v != "queued before transfer" {
		t.Errorf("first message on the transferred port: %v", v)
	}
	got.PostMessage("back")
	if v := recv(t, mine).Data; v != "back" {
		t.Errorf("mine got %v", v)
	}
	theirs.Close() // a detached object: nothing happens
	if mine.Closed() {
		t.Fatal("closing a detached object closed the channel")
	}
	got.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Error("a Done channel taken before the transfer did not follow the port")
	}
}

// TestDroppedTransferClosesPorts: ports transferred with a message posted
// on a closed channel are closed, so their other ends see it.
func TestDroppedTransferClosesPorts(t *testing.T) {
	a, b := NewChannel()
	b.Close()
	mine, theirs := NewChannel()
	if err := a.PostMessage("x", theirs); err != nil {
		t.Fatal(err)
	}
	if !mine.Closed() {
		t.Error("the port of a dropped message is still open")
	}
}

// reader is a Reader that counts notifications.
type reader struct {
	mu sync.Mutex
	n  int
	c  chan struct{}
}

func newReader() *reader { return &reader{c: make(chan struct{}, 1)} }

func (r *reader) notify() {
	r.mu.Lock()
	r.n++
	r.mu.Unlock()
	select {
	case r.c <- struct{}{}:
	default:
	}
}

func (r *reader) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// TestReader: a Reader is notified of what is queued when it is set, of
// each message, and of the other end closing, not of its own end's.
func TestReader(t *testing.T) {
	a, b := NewChannel()
	a.PostMessage(1.0)
	r := newReader()
	b.SetReader(&Reader{Notify: r.notify})
	if r.count() != 1 {
		t.Fatalf("notified %d times when set with a message queued", r.count())
	}
	a.PostMessage(2.0)
	if r.count() != 2 {
		t.Fatalf("notified %d times", r.count())
	}
	for want := 1.0; want <= 2; want++ {
		if m, ok := b.TryRecv(); !ok || m.Data != want {
			t.Fatalf("TryRecv: %v %v", m.Data, ok)
		}
	}
	if _, ok := b.TryRecv(); ok {
		t.Fatal("TryRecv on an empty port")
	}
	b.Unread([]Message{{Data: "again"}, {Data: "and again"}})
	if r.count() != 3 || b.Len() != 2 {
		t.Fatalf("after Unread: notified %d, Len %d", r.count(), b.Len())
	}
	a.PostMessage("after")
	for _, want := range []any{"again", "and again", "after"} {
		if m, _ := b.TryRecv(); m.Data != want {
			t.Fatalf("got %v, want %v", m.Data, want)
		}
	}
	b.SetReader(nil)
	a.PostMessage(3.0)
	if r.count() != 4 {
		t.Fatalf("a removed reader was notified (%d)", r.count())
	}
	b.SetReader(&Reader{Notify: r.notify})
	if r.count() != 5 {
		t.Fatalf("notified %d times when set again with a message queued", r.count())
	}
	b.TryRecv()
	b.Close()
	if r.count() != 5 {
		t.Errorf("notified %d times: closing its own end must not notify it", r.count())
	}
	c, d := NewChannel()
	r2 := newReader()
	d.SetReader(&Reader{Notify: r2.notify})
	c.Close()
	if r2.count() != 1 || !d.Closed() {
		t.Errorf("the other end's close: notified %d times", r2.count())
	}
}

// TestClone: a reader that clones gets Go data as records, and a value
// that cannot be cloned fails the post before its ports move.
func TestClone(t *testing.T) {
	a, b := NewChannel()
	b.SetReader(&Reader{Notify: func() {}, Clone: true})
	v := map[string]any{"k": []any{1.0, "x"}}
	if err := a.PostMessage(v); err != nil {
		t.Fatal(err)
	}
	v["k"] = "changed"
	m, _ := b.TryRecv()
	if _, ok := m.Data.(*Record); !ok {
		t.Fatalf("cloned data is %T", m.Data)
	}
	if got := m.Value(); !reflect.DeepEqual(got, map[string]any{"k": []any{1.0, "x"}}) {
		t.Errorf("Value %#v", got)
	}
	a.PostMessage("plain")
	if m, _ := b.TryRecv(); m.Data != "plain" {
		t.Errorf("a string is posted as is: %#v", m.Data)
	}
	mine, theirs := NewChannel()
	if err := a.PostMessage(func() {}, theirs); weberr.NameOf(err) != weberr.DataCloneError {
		t.Fatalf("posting a func: %v", err)
	}
	if err := theirs.PostMessage("still mine"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, mine).Data; got != "still mine" {
		t.Errorf("got %v", got)
	}
	// Go to Go: not copied.
	c, d := NewChannel()
	f := func() {}
	if err := c.PostMessage(f); err != nil {
		t.Fatal(err)
	}
	if m := recv(t, d); m.Data == nil {
		t.Error("lost")
	}
}

// TestFlush: Flush calls the other end's Reader.Flush, and returns at
// once without one.
func TestFlush(t *testing.T) {
	a, b := NewChannel()
	if err := a.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	called := false
	b.SetReader(&Reader{Notify: func() {}, Flush: func(context.Context) error { called = true; return nil }})
	if err := a.Flush(context.Background()); err != nil || !called {
		t.Errorf("Flush: %v, called %v", err, called)
	}
	called = false
	if err := b.Flush(context.Background()); err != nil || called {
		t.Errorf("Flush toward a port without a Reader.Flush: %v, called %v", err, called)
	}
}

// raceRounds is how many times each goroutine of TestRace goes round.
const raceRounds = 2000

// TestRace exercises every method at once (for -race).
func TestRace(t *testing.T) {
	a, b := NewChannel()
	r := newReader()
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range raceRounds {
				x, y := NewChannel()
				a.PostMessage(i, x)
				y.PostMessage(i)
				_ = a.Len()
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range raceRounds {
			if i%2 == 0 {
				b.SetReader(&Reader{Notify: r.notify})
			} else {
				b.SetReader(nil)
			}
			if m, ok := b.TryRecv(); ok {
				m.Ports[0].Close()
			}
		}
	}()
	wg.Wait()
	b.Close()
	for {
		m, err := b.Recv(context.Background())
		if err != nil {
			break
		}
		if v, ok := m.Ports[0].TryRecv(); ok && v.Data == nil {
			t.Fatal("a message without data")
		}
	}
}
