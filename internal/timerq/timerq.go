// Package timerq is a queue of values by due time: the earliest first,
// and values due at the same time in the order they were pushed. The
// event loop's timers and the manual clock's waiters are kept in one.
//
// A Queue is not safe for concurrent use; its owner locks it.
package timerq

import (
	"container/heap"
	"time"
)

// Item is a value in a Queue.
type Item[T any] struct {
	When  time.Time // due time
	Value T

	seq   uint64
	index int // in the heap; -1 once popped or removed
}

// Queue is a queue of values by due time. The zero Queue is empty.
type Queue[T any] struct {
	h   items[T]
	seq uint64
}

// Len returns how many items are queued.
func (q *Queue[T]) Len() int { return len(q.h) }

// Push queues v, due at when, and returns its item (for Remove).
func (q *Queue[T]) Push(when time.Time, v T) *Item[T] {
	q.seq++
	it := &Item[T]{When: when, Value: v, seq: q.seq}
	heap.Push(&q.h, it)
	return it
}

// Peek returns the next item due, or nil when the queue is empty.
func (q *Queue[T]) Peek() *Item[T] {
	if len(q.h) == 0 {
		return nil
	}
	return q.h[0]
}

// Pop removes and returns the next item due, or nil when the queue is
// empty.
func (q *Queue[T]) Pop() *Item[T] {
	if len(q.h) == 0 {
		return nil
	}
	return heap.Pop(&q.h).(*Item[T])
}

// PopDue removes and returns the next item if it is due at or before
// now, or nil.
func (q *Queue[T]) PopDue(now time.Time) *Item[T] {
	if len(q.h) == 0 || q.h[0].When.After(now) {
		return nil
	}
	return heap.Pop(&q.h).(*Item[T])
}

// Remove takes it out of the queue; it reports false when it was not
// queued (popped or removed already).
func (q *Queue[T]) Remove(it *Item[T]) bool {
	if it.index < 0 || it.index >= len(q.h) || q.h[it.index] != it {
		return false
	}
	heap.Remove(&q.h, it.index)
	return true
}

// items is the heap (container/heap) under a Queue.
type items[T any] []*Item[T]

func (h items[T]) Len() int { return len(h) }
func (h items[T]) Less(i, j int) bool {
	if h[i].When.Equal(h[j].When) {
		return h[i].seq < h[j].seq
	}
	return h[i].When.Before(h[j].When)
}
func (h items[T]) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *items[T]) Push(x any) {
	it := x.(*Item[T])
	it.index = len(*h)
	*h = append(*h, it)
}
func (h *items[T]) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	it.index = -1
	*h = old[:len(old)-1]
	return it
}
