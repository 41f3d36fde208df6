package worker

import (
	"context"
	"testing"
)

// BenchmarkFunctionalEvents measures firing functional events at a
// running worker against a message event, the peer in the same run: a
// push whose listener shows a notification (the service kept in memory,
// as the registry keeps it in the store), and a sync that does nothing.
//
//	go test ./worker -run '^$' -bench FunctionalEvents -benchtime 2000x -count 3 -benchmem
func BenchmarkFunctionalEvents(b *testing.B) {
	const script = `
self.addEventListener('push', (e) => e.waitUntil(self.registration.showNotification(e.data.text(), { tag: 't' })));
self.addEventListener('sync', () => {});
self.addEventListener('message', () => {});`
	m := &memServices{}
	w := newTestWorker(b, script, Options{Hooks: m.hooks()})
	ctx := context.Background()
	if err := w.Start(ctx); err != nil {
		b.Fatal(err)
	}
	data := []byte("hello")
	b.Run("push+showNotification", func(b *testing.B) {
		for b.Loop() {
			if err := w.DispatchFunctional(ctx, FunctionalEvent{Type: EventPush, Data: data}); err != nil {
				b.Fatal(err)
			}
			m.mu.Lock()
			m.notifications = m.notifications[:0]
			m.mu.Unlock()
		}
	})
	b.Run("sync", func(b *testing.B) {
		for b.Loop() {
			if err := w.DispatchFunctional(ctx, FunctionalEvent{Type: EventSync, Tag: "t"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("message (peer)", func(b *testing.B) {
		for b.Loop() {
			if err := w.DispatchMessage(ctx, Message{Data: "hello"}, "https://app.test"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
